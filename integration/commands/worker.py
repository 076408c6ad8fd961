"""``partnerdesk worker``: run queue workers only (the web service runs elsewhere)."""

from __future__ import annotations

import argparse

from config.settings import Settings
from integration.logs import get_logger

__all__ = ["HELP", "add_arguments", "run"]

HELP = "run queue workers only"
log = get_logger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, default=2, help="worker threads (default 2)")
    parser.add_argument(
        "--no-periodic", action="store_true", help="do not run the sweeper and other periodic tasks"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from huey.consumer import Consumer

    from integration.queue import Queue, build_huey
    from integration.runtime import build_runtime
    from integration.store.migrate import upgrade
    from integration.tasks.deliveries import LeaseWatcher

    runtime = build_runtime(settings)
    upgrade(runtime.store.engine)
    queue = Queue(build_huey(settings), runtime)
    log.info("worker_starting", workers=args.workers, tasks=sorted(queue.tasks))
    consumer = Consumer(
        queue.huey,
        workers=max(1, args.workers),
        worker_type="thread",
        periodic=not args.no_periodic,
    )
    watcher = LeaseWatcher(queue)  # a dead worker's delivery is handed on within one lease
    watcher.start()
    try:
        consumer.run()  # blocks; SIGINT/SIGTERM stop it gracefully
    finally:
        watcher.stop()
    return 0
