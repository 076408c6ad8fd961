"""``partnerdesk serve``: the webhook service under uvicorn, with an in-process worker by default."""

from __future__ import annotations

import argparse

from config.settings import Settings
from integration.logs import get_logger

__all__ = ["HELP", "add_arguments", "build_service", "run"]

HELP = "run the webhook service (and an in-process worker)"
log = get_logger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--no-worker", action="store_true", help="do not process the queue in this process"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="in-process worker threads (default 2)"
    )


def build_service(settings: Settings, *, worker: bool = True, workers: int = 2) -> object:
    """The ASGI app of ``serve``: migrated database, app, optional in-process consumer."""
    from integration.queue import InProcessConsumer, build_huey
    from integration.runtime import build_runtime
    from integration.store.migrate import upgrade
    from integration.web.app import create_app

    runtime = build_runtime(settings)
    upgrade(runtime.store.engine)
    huey = build_huey(settings)
    holder: dict[str, InProcessConsumer] = {}

    def start() -> None:
        if worker:
            # create_app's Queue registered the tasks on this huey already.
            consumer = InProcessConsumer(huey, workers=max(1, workers), worker_type="thread")
            consumer.start()
            holder["consumer"] = consumer
            log.info("worker_started", workers=workers)

    def stop() -> None:
        consumer = holder.pop("consumer", None)
        if consumer is not None:
            consumer.stop(graceful=True)

    return create_app(settings, huey=huey, runtime=runtime, on_startup=start, on_shutdown=stop)


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from integration.commands.doctor import require_configuration

    for warning in require_configuration(settings):  # every missing setting in one message
        log.warning("configuration_warning", setting=warning.setting, message=warning.message)

    app = build_service(settings, worker=not args.no_worker, workers=args.workers)
    log.info("serving", host=args.host, port=args.port, worker=not args.no_worker)
    # uvicorn's access log would print request lines only; bodies are never logged.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)  # type: ignore[arg-type]
    return 0
