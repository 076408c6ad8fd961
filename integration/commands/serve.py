"""``partnerdesk serve``: the webhook service under uvicorn, with an in-process worker by default."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from config.settings import Settings
from integration.logs import get_logger

__all__ = [
    "HELP",
    "HeaderTimeoutProtocol",
    "add_arguments",
    "build_service",
    "run",
    "uvicorn_options",
]

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
    from integration.tasks.deliveries import LeaseWatcher
    from integration.web.app import create_app

    runtime = build_runtime(settings)
    upgrade(runtime.store.engine)
    huey = build_huey(settings)
    holder: dict[str, InProcessConsumer] = {}

    watchers: list[LeaseWatcher] = []

    def start() -> None:
        if worker:
            # create_app's Queue registered the tasks on this huey already.
            consumer = InProcessConsumer(huey, workers=max(1, workers), worker_type="thread")
            consumer.start()
            holder["consumer"] = consumer
            watcher = LeaseWatcher(app.state.queue)
            watcher.start()
            watchers.append(watcher)
            log.info("worker_started", workers=workers)

    def stop() -> None:
        for watcher in watchers:
            watcher.stop()
        watchers.clear()
        consumer = holder.pop("consumer", None)
        if consumer is not None:
            consumer.stop(graceful=True)

    app = create_app(settings, huey=huey, runtime=runtime, on_startup=start, on_shutdown=stop)
    return app


class HeaderTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for a request's headers.

    uvicorn times out idle keep-alive connections but not a client that sends its
    request line and headers slowly; this closes such a connection after
    ``header_timeout`` seconds (the body has its own deadline in ``web.limits``).
    """

    header_timeout = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_late)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is not None and self._header_timer is not None:
            self._header_timer.cancel()  # a request's headers are complete
            self._header_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._header_timer is None and not self.transport.is_closing():
            # the next request on this keep-alive connection gets a deadline of its own
            self._header_timer = self.loop.call_later(
                self.timeout_keep_alive + self.header_timeout, self._headers_late
            )

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _headers_late(self) -> None:
        self._header_timer = None
        if self.cycle is None and not self.transport.is_closing():
            log.warning("request_headers_too_slow")
            self.transport.close()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Server timeouts: idle keep-alive, slow headers (protocol), slow bodies (middleware)."""
    limits = settings.limits

    class Protocol(HeaderTimeoutProtocol):
        header_timeout = limits.body_read_timeout_seconds

    return {
        "http": Protocol,
        "timeout_keep_alive": limits.keepalive_timeout_seconds,
        "h11_max_incomplete_event_size": 16 * 1024,  # request line + headers
        "log_config": None,  # uvicorn's own handlers would bypass the masking
        "log_level": "warning",
        "access_log": False,  # request lines only; bodies are never logged
    }


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from integration.commands.doctor import require_configuration

    for warning in require_configuration(settings):  # every missing setting in one message
        log.warning("configuration_warning", setting=warning.setting, message=warning.message)

    app = build_service(settings, worker=not args.no_worker, workers=args.workers)
    log.info("serving", host=args.host, port=args.port, worker=not args.no_worker)
    uvicorn.run(app, host=args.host, port=args.port, **uvicorn_options(settings))  # type: ignore[arg-type]
    return 0
