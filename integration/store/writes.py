"""Ticket-write records: the store side of ``handlers.writes`` (write once, recover by reference)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from integration.store.models import TicketWrite
from integration.store.records import WriteRecord, write_record
from integration.store.sessions import SessionOwner

__all__ = ["WriteStore"]


class WriteStore(SessionOwner):
    """The ``ticket_writes`` table: pending before Zendesk is called, sent after."""

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

    def writes(self, ticket_id: int) -> list[WriteRecord]:
        with self.session() as s:
            rows = s.scalars(
                select(TicketWrite)
                .where(TicketWrite.ticket_id == ticket_id)
                .order_by(TicketWrite.id)
            )
            return [write_record(r) for r in rows]
