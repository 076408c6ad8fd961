"""Tables of the integration: webhook deliveries, cases, documents and ticket writes.

Revision "0001" in ``migrations/versions`` creates exactly these tables; change both
together. Timestamps are stored as naive UTC and read back as aware UTC, so SQLite
(which has no time zones) and PostgreSQL behave the same.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from integration.store.base import Base

__all__ = ["Case", "Delivery", "DocumentRow", "TicketWrite", "UTCDateTime"]


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime in, an aware UTC datetime out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Delivery(Base):
    """One webhook invocation, stored before it is acknowledged."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invocation_id: Mapped[str] = mapped_column(String(200), unique=True)
    webhook_id: Mapped[str] = mapped_column(String(200), default="")
    event_kind: Mapped[str] = mapped_column(String(100))
    ticket_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    body: Mapped[Any] = mapped_column(JSON)  # the parsed request body; logs never see it
    event: Mapped[Any] = mapped_column(JSON, nullable=True)  # handlers.ports.Event as a dict
    state: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(100), nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # SHA-256 of the signature, signed timestamp and body (revisions 0004, 0005): a replay
    # of the same signed request under a new invocation id fails the insert, without a run
    content_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)


class Case(Base):
    """One business case per ticket and process, with its latest decision."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("ticket_id", "process", name="uq_cases_ticket_process"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    process: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40), default="open")
    requested: Mapped[Any] = mapped_column(JSON, default=list)  # NumberRange.as_dict() items
    invalid: Mapped[Any] = mapped_column(JSON, default=list)  # requested tokens that are no number
    decision: Mapped[Any] = mapped_column(JSON, nullable=True)  # Decision.as_dict()
    fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DocumentRow(Base):
    """A ticket attachment looked at for a case (read, failed or skipped)."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("ticket_id", "attachment_id", name="uq_documents_ticket_attachment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger)
    attachment_id: Mapped[int] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    parsed: Mapped[Any] = mapped_column(JSON, nullable=True)  # ParsedDocument.as_dict()
    error_code: Mapped[str | None] = mapped_column(String(40), nullable=True)  # or "skipped"
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketWrite(Base):
    """The idempotency record of one outcome written to a ticket."""

    __tablename__ = "ticket_writes"
    __table_args__ = (
        UniqueConstraint("ticket_id", "kind", "fingerprint", name="uq_ticket_writes_outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(40))  # relocation_note, relocation_reply, failure
    fingerprint: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(Text)  # the string written into the comment
    state: Mapped[str] = mapped_column(String(20))  # pending, sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
