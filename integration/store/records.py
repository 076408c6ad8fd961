"""Frozen views of the integration rows, so nothing lazy-loads outside a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.ports import CaseRecord, DocumentRecord, WriteRecord
from integration.store.models import Case, Delivery, DocumentRow, TicketWrite

__all__ = [
    "ACTIVE_STATES",
    "CaseRecord",
    "DeliveryRecord",
    "DocumentRecord",
    "WriteRecord",
    "case_record",
    "delivery_record",
    "document_record",
    "write_record",
]

# Delivery states: received -> queued -> processing -> done | failed; ignored on arrival.
ACTIVE_STATES = ("received", "queued", "processing")


@dataclass(frozen=True)
class DeliveryRecord:
    id: int
    invocation_id: str
    event_kind: str
    ticket_id: int | None
    event: dict[str, Any] | None
    state: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    created_at: datetime
    updated_at: datetime


def delivery_record(row: Delivery) -> DeliveryRecord:
    return DeliveryRecord(
        id=row.id,
        invocation_id=row.invocation_id,
        event_kind=row.event_kind,
        ticket_id=row.ticket_id,
        event=row.event,
        state=row.state,
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def case_record(row: Case) -> CaseRecord:
    return CaseRecord(
        id=row.id,
        ticket_id=row.ticket_id,
        process=row.process,
        state=row.state,
        requested=list(row.requested or []),
        invalid=list(row.invalid or []),
        decision=row.decision,
        fingerprint=row.fingerprint,
    )


def document_record(row: DocumentRow) -> DocumentRecord:
    return DocumentRecord(
        id=row.id,
        case_id=row.case_id,
        attachment_id=row.attachment_id,
        file_name=row.file_name,
        sha256=row.sha256,
        parsed=row.parsed,
        error_code=row.error_code,
    )


def write_record(row: TicketWrite) -> WriteRecord:
    return WriteRecord(
        id=row.id,
        ticket_id=row.ticket_id,
        kind=row.kind,
        fingerprint=row.fingerprint,
        reference=row.reference,
        state=row.state,
    )
