"""Processing stored webhook deliveries: claim, route, retry with backoff, fail visibly, sweep.

Every delivery is claimed atomically in the database before it runs, so the sweeper
and a late duplicate task never process it twice at once. Transient errors (Zendesk
429/5xx, timeouts, a busy database) reschedule the delivery with backoff, honouring
Retry-After; anything else, or too many attempts, ends in state ``failed`` and an
internal note on the ticket telling an agent to take over.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

import structlog
from huey import crontab
from sqlalchemy.exc import OperationalError

from config.errors import AttachmentError, PartnerdeskError, TransientHelpdeskError
from handlers.messages import render
from handlers.ports import Event, TicketUpdate
from handlers.router import failed_process
from handlers.writes import reference, write_update
from integration.logs import get_logger
from integration.runtime import Runtime
from integration.web.payload import event_from_dict, event_to_dict

if TYPE_CHECKING:
    from integration.queue import Queue

__all__ = [
    "Heartbeat",
    "LeaseWatcher",
    "Outcome",
    "backoff_seconds",
    "classify",
    "process_delivery",
    "reclaim_expired",
    "record_event",
    "register",
    "sweep",
]

log = get_logger(__name__)

FAILURE_KIND = "failure"
BUSY_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Outcome:
    """What one run of a delivery ended in (returned for tests and the CLI)."""

    state: str  # done, queued (retry scheduled), failed, busy (ticket busy), skipped
    error: str | None = None
    delay: float | None = None
    emitted: tuple[int, ...] = field(default=())


def backoff_seconds(attempt: int, *, base: float, cap: float, retry_after: float | None) -> float:
    """Delay before attempt ``attempt + 1``: doubling from ``base``, capped; Retry-After wins."""
    if retry_after is not None:
        return max(1.0, retry_after)
    return float(min(cap, base * (2 ** max(0, attempt - 1))))


def classify(exc: BaseException) -> tuple[bool, str, float | None]:
    """(transient, error code, retry_after) of an exception raised by a handler."""
    if isinstance(exc, TransientHelpdeskError):
        code = "rate_limited" if exc.retry_after is not None else "zendesk_unavailable"
        return True, code, exc.retry_after
    if isinstance(exc, AttachmentError):
        return exc.transient, f"attachment_{exc.code}", None
    if isinstance(exc, OperationalError):
        return True, "database_busy", None
    if isinstance(exc, PartnerdeskError):
        return False, type(exc).__name__, None
    return False, f"internal:{type(exc).__name__}", None


def record_event(runtime: Runtime, event: Event, *, invocation_id: str) -> tuple[int, bool]:
    """Store a follow-up event as a delivery of its own (durable; deduplicated by id)."""
    return runtime.store.record_delivery(
        invocation_id=invocation_id,
        webhook_id="internal",
        event_kind=event.kind,
        ticket_id=event.ticket_id,
        body={"internal": True},
        event=event_to_dict(event),
        state="received",
        now=runtime.clock(),
    )


def _write_failure_note(
    runtime: Runtime,
    delivery_id: int,
    ticket_id: int,
    error: str,
    *,
    detail: str = "",
    process: str | None = None,
) -> None:
    """Tell an agent on the ticket, once per delivery, that partnerdesk gave up."""
    fingerprint = f"delivery-{delivery_id}"
    body = render(
        "integration_failure",
        error=error,
        detail=detail,
        reference=reference(FAILURE_KIND, fingerprint),
    )
    # the review tag of the process that failed; relocation's when none is known
    owner = runtime.router.get(process or "") or runtime.router.get("relocation")
    tags = (owner.review_tag(runtime.settings),) if owner is not None else ()
    write_update(
        runtime.context(),
        TicketUpdate(ticket_id=ticket_id, comment=body, public=False, add_tags=tags),
        kind=FAILURE_KIND,
        fingerprint=fingerprint,
    )


class Heartbeat:
    """Renews a claimed delivery's lease every ``interval`` seconds while work runs.

    A worker that dies stops renewing; its lease expires after ``queue.lease_seconds``
    and the lease watcher hands the delivery to another worker. ``lost`` tells that
    another worker took over (the lease ran out while this one was still working).
    """

    def __init__(self, runtime: Runtime, delivery_id: int, attempt: int) -> None:
        self._runtime = runtime
        self._delivery_id = delivery_id
        self._attempt = attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{delivery_id}", daemon=True)
        self.lost = False

    def _run(self) -> None:
        interval = self._runtime.settings.queue.heartbeat_seconds
        while not self._stop.wait(interval):
            try:
                held = self._runtime.store.renew_lease(
                    self._delivery_id, attempt=self._attempt, now=self._runtime.clock()
                )
            except OperationalError:
                continue  # a busy database: try again at the next beat
            if not held:
                self.lost = True
                log.warning("lease_lost", delivery_id=self._delivery_id)
                return

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def process_delivery(queue: Queue, delivery_id: int) -> Outcome:
    """Run one stored delivery through the routers, exactly once in effect."""
    runtime = queue.runtime
    settings = runtime.settings
    store = runtime.store
    record = store.claim_delivery(
        delivery_id, now=runtime.clock(), lease_seconds=settings.queue.lease_seconds
    )
    if record is None:
        if store.ticket_busy(
            delivery_id, now=runtime.clock(), lease_seconds=settings.queue.lease_seconds
        ):
            # another delivery of this ticket is running: try again shortly
            queue.enqueue_delivery(delivery_id, delay=BUSY_RETRY_SECONDS)
            return Outcome(state="busy", delay=BUSY_RETRY_SECONDS)
        return Outcome(state="skipped")
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(
        delivery_id=delivery_id, ticket_id=record.ticket_id, kind=record.event_kind
    )
    event = event_from_dict(record.event or {})
    event = Event(**{**event_to_dict(event), "delivery_id": str(delivery_id)})
    emitted: list[int] = []

    def emit(follow_up: Event) -> None:
        new_id, created = record_event(
            runtime,
            follow_up,
            invocation_id=f"emit:{follow_up.kind}:{follow_up.ticket_id}:{delivery_id}",
        )
        if created:
            emitted.append(new_id)

    ctx = runtime.context(emit=emit)
    try:
        with Heartbeat(runtime, delivery_id, record.attempts):
            ran = runtime.router.dispatch(event, ctx)
    except Exception as exc:
        transient, code, retry_after = classify(exc)
        if transient and record.attempts < settings.queue.max_attempts:
            delay = backoff_seconds(
                record.attempts,
                base=settings.queue.backoff_base_seconds,
                cap=settings.queue.backoff_max_seconds,
                retry_after=retry_after,
            )
            now = runtime.clock()
            store.defer_delivery(
                delivery_id,
                until=now + timedelta(seconds=delay),
                error=code,
                now=now,
                attempt=record.attempts,
            )
            log.warning("delivery_deferred", error=code, attempt=record.attempts, delay=delay)
            queue.enqueue_delivery(delivery_id, delay=delay)
            return Outcome(state="queued", error=code, delay=delay)
        if transient:
            code = f"exhausted:{code}"
        log.error("delivery_failed", error=code, attempt=record.attempts)
        store.finish_delivery(
            delivery_id, state="failed", now=runtime.clock(), error=code, attempt=record.attempts
        )
        if record.ticket_id is not None:
            try:
                # partnerdesk's own error sentences say what to fix (e.g. a missing setting);
                # they go to the agents' internal note, never to the logs or to partners.
                detail = str(exc) if isinstance(exc, PartnerdeskError) else ""
                _write_failure_note(
                    runtime,
                    delivery_id,
                    record.ticket_id,
                    code,
                    detail=detail,
                    process=failed_process(exc),
                )
            except Exception as note_exc:  # the failed state stays visible in the database
                log.error("failure_note_not_written", error=type(note_exc).__name__)
        return Outcome(state="failed", error=code)
    store.finish_delivery(delivery_id, state="done", now=runtime.clock(), attempt=record.attempts)
    log.info("delivery_done", handlers=ran, attempt=record.attempts)
    for new_id in emitted:
        queue.enqueue_delivery(new_id)
    return Outcome(state="done", emitted=tuple(emitted))


def sweep(queue: Queue) -> list[int]:
    """Re-enqueue deliveries the queue may have lost (a killed worker, a failed enqueue)."""
    runtime = queue.runtime
    q = runtime.settings.queue
    now = runtime.clock()
    ids = runtime.store.stale_deliveries(
        now=now, grace_seconds=q.sweep_grace_seconds, lease_seconds=q.lease_seconds
    )
    for delivery_id in ids:
        runtime.store.touch_delivery(delivery_id, now=now)
        queue.enqueue_delivery(delivery_id)
    if ids:
        log.warning("deliveries_swept", count=len(ids))
    return ids


def reclaim_expired(queue: Queue) -> list[int]:
    """Re-enqueue deliveries whose worker stopped renewing its lease."""
    runtime = queue.runtime
    now = runtime.clock()
    ids = runtime.store.expired_leases(now=now, lease_seconds=runtime.settings.queue.lease_seconds)
    for delivery_id in ids:
        runtime.store.touch_delivery(delivery_id, now=now)
        queue.enqueue_delivery(delivery_id)
    if ids:
        log.warning("leases_expired", count=len(ids))
    return ids


class LeaseWatcher:
    """Every ``queue.heartbeat_seconds``, hand expired leases to a live worker.

    huey's periodic tasks run once a minute at best; this thread runs beside the
    consumer so a crashed worker's delivery is picked up within one lease plus one
    heartbeat (30 s + 10 s by default).
    """

    def __init__(self, queue: Queue) -> None:
        self._queue = queue
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-watcher", daemon=True)

    def _run(self) -> None:
        interval = self._queue.runtime.settings.queue.heartbeat_seconds
        while not self._stop.wait(interval):
            try:
                reclaim_expired(self._queue)
            except Exception as exc:  # the watcher must outlive a database hiccup
                log.warning("lease_watch_failed", error=type(exc).__name__)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def register(queue: Queue) -> None:
    """Register ``process_delivery`` and the periodic sweeper on ``queue.huey``."""
    huey = queue.huey

    def process_delivery_task(delivery_id: int) -> str:
        return process_delivery(queue, delivery_id).state

    def sweep_task() -> int:
        return len(sweep(queue))

    queue.tasks["process_delivery"] = huey.task(name="process_delivery")(process_delivery_task)
    # huey's crontab is evaluated in UTC (docs/facts.md, "Queue, calendar, logging")
    every = crontab(minute=queue.runtime.settings.queue.sweep_minutes)
    queue.tasks["sweep_deliveries"] = huey.periodic_task(every, name="sweep_deliveries")(sweep_task)
