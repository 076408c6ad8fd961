"""The task queue: huey on SQLite by default, Redis when configured.

The queue only carries delivery ids; the delivery itself is in the database first
(docs/architecture.md, "Ack fast, work later"). Task modules in ``integration/tasks/`` expose
``register(queue: Queue) -> None`` and register their functions on ``queue.huey``;
they reach settings, store and helpdesk through ``queue.runtime``, so one process can
hold several isolated queues (the tests do).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from config.settings import Settings
from integration.logs import get_logger
from integration.runtime import Runtime

__all__ = ["InProcessConsumer", "Queue", "build_huey", "task_modules"]

log = get_logger(__name__)


def build_huey(settings: Settings, *, name: str = "partnerdesk", immediate: bool = False) -> Huey:
    """RedisHuey when ``general.redis_url`` is set, else SqliteHuey in the data directory."""
    if settings.general.redis_url:
        return RedisHuey(name, url=settings.general.redis_url, immediate=immediate)
    data_dir = settings.general.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    # No fsync for the queue: the durable record is the delivery row (synchronous=FULL);
    # a task lost with the OS is re-enqueued by the sweeper.
    return SqliteHuey(name, filename=str(data_dir / "queue.db"), immediate=immediate, fsync=False)


def task_modules() -> list[str]:
    """Every module in ``integration/tasks`` (the worker imports them all)."""
    import integration.tasks as package

    return sorted(
        f"{package.__name__}.{info.name}"
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    )


class Queue:
    """A huey instance with partnerdesk's tasks registered and the runtime they use."""

    def __init__(self, huey: Huey, runtime: Runtime) -> None:
        self.huey = huey
        self.runtime = runtime
        self.tasks: dict[str, Any] = {}
        for module_name in task_modules():
            module = importlib.import_module(module_name)
            register = getattr(module, "register", None)
            if callable(register):
                register(self)

    def enqueue_delivery(self, delivery_id: int, *, delay: float | None = None) -> None:
        """Put a stored delivery's id on the queue (now or after ``delay`` seconds)."""
        task = self.tasks["process_delivery"]
        if delay and delay > 0:
            task.schedule(args=(delivery_id,), delay=delay)
        else:
            task(delivery_id)

    def ping(self) -> int:
        """How many tasks wait; raises when the queue's storage cannot be reached."""
        return int(self.huey.pending_count())


class InProcessConsumer(Consumer):  # type: ignore[misc]
    """A huey consumer that runs beside uvicorn in the same process (no signal handlers).

    uvicorn owns SIGINT/SIGTERM in the main thread; the app's lifespan stops this one.
    """

    def _set_signal_handlers(self) -> None:
        return None
