"""Webhook deliveries: stored before the 202, claimed under a lease, retried, swept.

A delivery is claimed atomically (one ticket's deliveries run one at a time), its lease
renewed by the working worker's heartbeat and fenced by the attempt number, so a worker
whose lease was taken over cannot overwrite its successor's state.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from integration.store.models import Delivery
from integration.store.records import DeliveryRecord, delivery_record
from integration.store.sessions import SessionOwner

__all__ = ["DeliveryStore"]


class DeliveryStore(SessionOwner):
    """The ``deliveries`` table."""

    def record_delivery(
        self,
        *,
        invocation_id: str,
        webhook_id: str,
        event_kind: str,
        ticket_id: int | None,
        body: Any,
        event: dict[str, Any] | None,
        state: str,
        now: datetime,
        content_sha256: str | None = None,
    ) -> tuple[int, bool]:
        """Store a delivery; returns (id, created). A known invocation id is not stored twice.

        Nor is a delivery with the same ``content_sha256`` (the same signed request
        replayed under a new invocation id): the existing one's id is returned.
        """
        try:
            with self.session() as s:
                row = Delivery(
                    content_sha256=content_sha256,
                    invocation_id=invocation_id,
                    webhook_id=webhook_id,
                    event_kind=event_kind,
                    ticket_id=ticket_id,
                    body=body,
                    event=event,
                    state=state,
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
                s.flush()
                return row.id, True
        except IntegrityError:
            with self.session() as s:
                existing = s.scalar(
                    select(Delivery.id).where(Delivery.invocation_id == invocation_id)
                )
                if existing is None and content_sha256 is not None:
                    existing = s.scalar(
                        select(Delivery.id).where(Delivery.content_sha256 == content_sha256)
                    )
            if existing is None:  # the conflict was something else: let it surface
                raise
            return existing, False

    def get_delivery(self, delivery_id: int) -> DeliveryRecord | None:
        with self.session() as s:
            row = s.get(Delivery, delivery_id)
            return delivery_record(row) if row else None

    def list_deliveries(self, *, ticket_id: int | None = None) -> list[DeliveryRecord]:
        with self.session() as s:
            query = select(Delivery).order_by(Delivery.id)
            if ticket_id is not None:
                query = query.where(Delivery.ticket_id == ticket_id)
            return [delivery_record(r) for r in s.scalars(query)]

    def mark_queued(self, delivery_id: int, *, now: datetime) -> None:
        """The id went onto the queue (only from ``received``)."""
        with self.session() as s:
            s.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.state == "received")
                .values(state="queued", updated_at=now)
            )

    def claim_delivery(
        self, delivery_id: int, *, now: datetime, lease_seconds: float
    ) -> DeliveryRecord | None:
        """Atomically take a delivery for processing; None when it is not to be run now.

        Not run now: done, failed, ignored, held by a live worker, or another delivery of
        the same ticket is being processed (``ticket_busy`` tells that case apart; one
        ticket's deliveries run one at a time, so two notes never race). A delivery still
        ``processing`` after ``lease_seconds`` belongs to a worker that died.
        """
        stale = now - timedelta(seconds=lease_seconds)
        with self.session() as s:
            ticket_id = s.scalar(select(Delivery.ticket_id).where(Delivery.id == delivery_id))
            if ticket_id is not None and s.bind is not None and s.bind.dialect.name == "postgresql":
                # READ COMMITTED would let two claims pass the NOT EXISTS below at once.
                s.execute(
                    text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                    {"key": f"partnerdesk:ticket:{ticket_id}"},
                )
            sibling = aliased(Delivery)
            result = s.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    or_(
                        Delivery.state.in_(("received", "queued")),
                        (Delivery.state == "processing") & (Delivery.claimed_at < stale),
                    ),
                    ~exists().where(
                        sibling.ticket_id == Delivery.ticket_id,
                        sibling.id != Delivery.id,
                        sibling.state == "processing",
                        sibling.claimed_at >= stale,
                    ),
                )
                .values(
                    state="processing",
                    attempts=Delivery.attempts + 1,
                    claimed_at=now,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) != 1:
                return None
            row = s.get(Delivery, delivery_id)
            return delivery_record(row) if row else None

    def renew_lease(self, delivery_id: int, *, attempt: int, now: datetime) -> bool:
        """Heartbeat: the worker running ``attempt`` still holds the delivery; False if lost."""
        with self.session() as s:
            result = s.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.state == "processing",
                    Delivery.attempts == attempt,
                )
                .values(claimed_at=now)
                .execution_options(synchronize_session=False)
            )
            return getattr(result, "rowcount", 0) == 1

    def expired_leases(self, *, now: datetime, lease_seconds: float, limit: int = 100) -> list[int]:
        """Deliveries whose worker stopped renewing its lease (it crashed or hangs)."""
        stale = now - timedelta(seconds=lease_seconds)
        with self.session() as s:
            query = (
                select(Delivery.id)
                .where(Delivery.state == "processing", Delivery.claimed_at < stale)
                .order_by(Delivery.id)
                .limit(limit)
            )
            return list(s.scalars(query))

    def ticket_busy(self, delivery_id: int, *, now: datetime, lease_seconds: float) -> bool:
        """Whether this waiting delivery's ticket is being processed by another delivery."""
        stale = now - timedelta(seconds=lease_seconds)
        with self.session() as s:
            row = s.get(Delivery, delivery_id)
            if row is None or row.state not in ("received", "queued") or row.ticket_id is None:
                return False
            busy = s.scalar(
                select(Delivery.id).where(
                    Delivery.ticket_id == row.ticket_id,
                    Delivery.id != delivery_id,
                    Delivery.state == "processing",
                    Delivery.claimed_at >= stale,
                )
            )
            return busy is not None

    def finish_delivery(
        self,
        delivery_id: int,
        *,
        state: str,
        now: datetime,
        error: str | None = None,
        attempt: int | None = None,
    ) -> bool:
        """Set a final state (done, failed) and the last error code.

        With ``attempt``, only while that attempt still holds the delivery (a worker
        whose lease was taken over must not overwrite its successor's state).
        """
        with self.session() as s:
            query = update(Delivery).where(Delivery.id == delivery_id)
            if attempt is not None:
                query = query.where(Delivery.attempts == attempt)
            result = s.execute(
                query.values(state=state, last_error=error, updated_at=now, next_attempt_at=None)
            )
            return getattr(result, "rowcount", 0) == 1

    def defer_delivery(
        self,
        delivery_id: int,
        *,
        until: datetime,
        error: str,
        now: datetime,
        attempt: int | None = None,
    ) -> bool:
        """Back to ``queued`` after a transient failure; retried at ``until``."""
        with self.session() as s:
            query = update(Delivery).where(Delivery.id == delivery_id)
            if attempt is not None:
                query = query.where(Delivery.attempts == attempt)
            result = s.execute(
                query.values(
                    state="queued", last_error=error, next_attempt_at=until, updated_at=now
                )
            )
            return getattr(result, "rowcount", 0) == 1

    def stale_deliveries(
        self, *, now: datetime, grace_seconds: float, lease_seconds: float, limit: int = 100
    ) -> list[int]:
        """Ids the queue may have lost: waiting ones untouched for the grace period and
        due, and processing ones whose lease was not renewed (their worker died)."""
        quiet = now - timedelta(seconds=grace_seconds)
        stale_claim = now - timedelta(seconds=lease_seconds)
        with self.session() as s:
            query = (
                select(Delivery.id)
                .where(
                    or_(
                        Delivery.state.in_(("received", "queued"))
                        & (Delivery.updated_at < quiet)
                        & or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
                        (Delivery.state == "processing") & (Delivery.claimed_at < stale_claim),
                    ),
                )
                .order_by(Delivery.id)
                .limit(limit)
            )
            return list(s.scalars(query))

    def touch_delivery(self, delivery_id: int, *, now: datetime) -> None:
        """Note that the sweeper re-enqueued it, so it is not re-enqueued every minute."""
        with self.session() as s:
            s.execute(update(Delivery).where(Delivery.id == delivery_id).values(updated_at=now))
