"""The ``Store``: a thin, typed façade over the integration tables and the PDF blobs.

Handlers receive a Store through ``Context.store`` and see only frozen records, never
ORM objects, so nothing lazy-loads outside a session. Other processes add their own
tables in their own modules and use :meth:`Store.session` for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, exists, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from config.settings import Settings
from handlers.relocation.decision import Override
from integration.store.blobs import BlobStore
from integration.store.engine import engine_for_settings
from integration.store.models import Case, Delivery, DocumentRow, TicketWrite
from integration.store.records import (
    ACTIVE_STATES,
    CaseRecord,
    DeliveryRecord,
    DocumentRecord,
    WriteRecord,
    case_record,
    delivery_record,
    document_record,
    write_record,
)

__all__ = [
    "ACTIVE_STATES",
    "CaseRecord",
    "DeliveryRecord",
    "DocumentRecord",
    "Store",
    "WriteRecord",
]


class Store:
    """Deliveries, cases, documents, ticket writes and PDF blobs of one installation."""

    def __init__(self, engine: Engine, *, blob_root: Path) -> None:
        self.engine = engine
        self.blobs = BlobStore(blob_root)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls(engine_for_settings(settings), blob_root=settings.general.data_dir / "documents")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back on error."""
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise when the database cannot be reached."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    # -- deliveries -------------------------------------------------------------------

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
        """Store a delivery; returns (id, created). A known invocation id is not stored twice."""
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
            if existing is None:  # the conflict was something else: let it surface
                raise
            return existing, False

    def find_replay(self, content_sha256: str, *, since: datetime) -> int | None:
        """A delivery with the same signed content received since ``since``, or None."""
        with self.session() as s:
            return s.scalar(
                select(Delivery.id)
                .where(Delivery.content_sha256 == content_sha256, Delivery.created_at >= since)
                .order_by(Delivery.id)
                .limit(1)
            )

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

    # -- cases ------------------------------------------------------------------------

    def get_case(self, ticket_id: int, process: str) -> CaseRecord | None:
        with self.session() as s:
            row = s.scalar(select(Case).where(Case.ticket_id == ticket_id, Case.process == process))
            return case_record(row) if row else None

    def upsert_case(
        self,
        ticket_id: int,
        process: str,
        *,
        requested: Sequence[dict[str, Any]],
        invalid: Sequence[str],
        now: datetime,
    ) -> CaseRecord:
        """Create the case or refresh what the ticket requests."""
        for _ in range(2):  # a concurrent insert of the same case loses once, then updates
            try:
                with self.session() as s:
                    row = s.scalar(
                        select(Case).where(Case.ticket_id == ticket_id, Case.process == process)
                    )
                    if row is None:
                        row = Case(
                            ticket_id=ticket_id,
                            process=process,
                            state="open",
                            created_at=now,
                        )
                        s.add(row)
                    row.requested = list(requested)
                    row.invalid = list(invalid)
                    row.updated_at = now
                    s.flush()
                    return case_record(row)
            except IntegrityError:
                continue
        raise RuntimeError("the case could not be stored")  # pragma: no cover

    def save_decision(
        self,
        case_id: int,
        *,
        decision: dict[str, Any],
        fingerprint: str,
        state: str,
        now: datetime,
    ) -> None:
        with self.session() as s:
            s.execute(
                update(Case)
                .where(Case.id == case_id)
                .values(decision=decision, fingerprint=fingerprint, state=state, updated_at=now)
            )

    # -- documents --------------------------------------------------------------------

    def add_document(
        self,
        *,
        case_id: int,
        ticket_id: int,
        attachment_id: int,
        file_name: str,
        sha256: str | None,
        parsed: dict[str, Any] | None,
        error_code: str | None,
        now: datetime,
    ) -> bool:
        """Record an attachment once; False when it was recorded already."""
        try:
            with self.session() as s:
                s.add(
                    DocumentRow(
                        case_id=case_id,
                        ticket_id=ticket_id,
                        attachment_id=attachment_id,
                        file_name=file_name,
                        sha256=sha256,
                        parsed=parsed,
                        error_code=error_code,
                        created_at=now,
                    )
                )
            return True
        except IntegrityError:
            return False

    def documents(self, case_id: int) -> list[DocumentRecord]:
        with self.session() as s:
            rows = s.scalars(
                select(DocumentRow).where(DocumentRow.case_id == case_id).order_by(DocumentRow.id)
            )
            return [document_record(r) for r in rows]

    def seen_attachment_ids(self, ticket_id: int) -> set[int]:
        with self.session() as s:
            return set(
                s.scalars(
                    select(DocumentRow.attachment_id).where(DocumentRow.ticket_id == ticket_id)
                )
            )

    def put_pdf(self, data: bytes) -> str:
        """Keep the document's bytes; returns their SHA-256."""
        return self.blobs.put(data)

    def read_pdf(self, sha256: str) -> bytes:
        return self.blobs.get(sha256)

    # -- ticket writes ----------------------------------------------------------------

    def get_write(self, ticket_id: int, kind: str, fingerprint: str) -> WriteRecord | None:
        with self.session() as s:
            row = s.scalar(
                select(TicketWrite).where(
                    TicketWrite.ticket_id == ticket_id,
                    TicketWrite.kind == kind,
                    TicketWrite.fingerprint == fingerprint,
                )
            )
            return write_record(row) if row else None

    def begin_write(
        self, *, ticket_id: int, kind: str, fingerprint: str, reference: str, now: datetime
    ) -> tuple[WriteRecord, bool]:
        """Record a write as pending before it is sent; returns (record, created)."""
        try:
            with self.session() as s:
                row = TicketWrite(
                    ticket_id=ticket_id,
                    kind=kind,
                    fingerprint=fingerprint,
                    reference=reference,
                    state="pending",
                    created_at=now,
                )
                s.add(row)
                s.flush()
                return write_record(row), True
        except IntegrityError:
            existing = self.get_write(ticket_id, kind, fingerprint)
            if existing is None:
                raise
            return existing, False

    def mark_write_sent(self, write_id: int, *, now: datetime) -> None:
        with self.session() as s:
            s.execute(
                update(TicketWrite)
                .where(TicketWrite.id == write_id)
                .values(state="sent", sent_at=now)
            )

    def app_overrides(self, ticket_id: int) -> list[Override]:
        """Agents' overrides from the sidebar app for ``decide``, oldest first."""
        from integration.store.overrides import OverrideRepo  # the app's table (rev. 0003)

        return OverrideRepo(self).overrides(ticket_id)

    def writes(self, ticket_id: int) -> list[WriteRecord]:
        with self.session() as s:
            rows = s.scalars(
                select(TicketWrite)
                .where(TicketWrite.ticket_id == ticket_id)
                .order_by(TicketWrite.id)
            )
            return [write_record(r) for r in rows]
