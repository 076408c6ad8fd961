"""Tables and repository of cutover scheduling: cutovers, proposals (holds), responses.

Revision "0002" creates these tables. Every write that can take capacity (holding a
round of proposals, booking) runs in :meth:`SchedulingRepo._locked`: one transaction
that serialises against every other such write (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL ``pg_advisory_xact_lock``) and re-reads the busy time inside it, so two
partners confirming at once can never overbook or double-book a number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from config.errors import SchedulingError, SlotTakenError
from handlers.scheduling.records import (
    Checker,
    CutoverRecord,
    Opened,
    ProposalRecord,
    Proposer,
    ResponseRecord,
)
from handlers.scheduling.slots import Busy, Slot, number_conflicts
from integration.store.base import Base
from integration.store.models import UTCDateTime
from integration.store.repo import Repo
from parsers.model import NumberRange

__all__ = ["CutoverRow", "ProposalRow", "ResponseRow", "SchedulingRepo"]

# any fixed 64-bit key: the one advisory lock all capacity-taking writes share
_PG_LOCK_KEY = 0x5044_5343_4844  # "PDSCHD"


class CutoverRow(Base):
    __tablename__ = "cutovers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_b: Mapped[int] = mapped_column(BigInteger, unique=True)
    ticket_a: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    partner_a: Mapped[str | None] = mapped_column(String(100), nullable=True)
    numbers: Mapped[Any] = mapped_column(JSON)  # [{"first", "last"}]
    state: Mapped[str] = mapped_column(String(20), index=True)
    round: Mapped[int] = mapped_column(Integer, default=0)
    start: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    reminder_sent_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    dayof_sent_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ProposalRow(Base):
    """A proposed slot; while ``held`` and before ``hold_until`` it takes capacity."""

    __tablename__ = "cutover_proposals"
    __table_args__ = (
        UniqueConstraint("cutover_id", "round", "idx", name="uq_cutover_proposals_slot"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cutover_id: Mapped[int] = mapped_column(
        ForeignKey("cutovers.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer)
    idx: Mapped[int] = mapped_column(Integer)
    start: Mapped[datetime] = mapped_column(UTCDateTime)
    end: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(20), index=True)  # held, released, booked
    hold_until: Mapped[datetime] = mapped_column(UTCDateTime)


class ResponseRow(Base):
    """A partner's answer to a round (accept with choices, or refuse); the latest counts."""

    __tablename__ = "cutover_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cutover_id: Mapped[int] = mapped_column(
        ForeignKey("cutovers.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(1))
    kind: Mapped[str] = mapped_column(String(10))
    choices: Mapped[Any] = mapped_column(JSON)  # {"accept": [...], "refuse": [...]}
    via: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _record(row: CutoverRow) -> CutoverRecord:
    return CutoverRecord(
        id=row.id,
        ticket_b=row.ticket_b,
        ticket_a=row.ticket_a,
        partner_a=row.partner_a,
        numbers=tuple(NumberRange(n["first"], n["last"]) for n in row.numbers),
        state=row.state,
        round=row.round,
        start=row.start,
        end=row.end,
        sequence=row.sequence,
        reminder_sent_on=row.reminder_sent_on,
        dayof_sent_on=row.dayof_sent_on,
    )


def _response(row: ResponseRow) -> ResponseRecord:
    """A stored answer; rows written before refusals were kept hold a plain list."""
    data = row.choices
    if isinstance(data, dict):
        accepted, refused = data.get("accept", []), data.get("refuse", [])
    else:
        accepted, refused = data, []
    return ResponseRecord(
        row.side,
        row.kind,
        tuple(int(c) for c in accepted),
        row.via,
        tuple(int(c) for c in refused),
    )


class SchedulingRepo(Repo):
    """Cutover state on the database behind an ``integration.store.Store`` (or an engine)."""

    @contextmanager
    def _locked(self) -> Iterator[Session]:
        """A transaction that holds the scheduling write lock from its first statement."""
        with self._sessions.begin() as session:
            if self.engine.dialect.name == "sqlite":
                # take SQLite's write lock before reading, so the capacity we read stays true
                session.execute(text("BEGIN IMMEDIATE"))
            elif self.engine.dialect.name == "postgresql":
                session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            yield session

    # -- reading ------------------------------------------------------------------------

    def get(self, cutover_id: int) -> CutoverRecord | None:
        with self._session() as s:
            row = s.get(CutoverRow, cutover_id)
            return _record(row) if row else None

    def by_ticket(self, ticket_id: int) -> CutoverRecord | None:
        with self._session() as s:
            row = s.scalar(
                select(CutoverRow)
                .where((CutoverRow.ticket_b == ticket_id) | (CutoverRow.ticket_a == ticket_id))
                .order_by(CutoverRow.id.desc())
            )
            return _record(row) if row else None

    def _busy(self, s: Session, now: datetime) -> list[Busy]:
        out: list[Busy] = []
        numbers: dict[int, tuple[NumberRange, ...]] = {}
        for row in s.scalars(
            select(CutoverRow).where(CutoverRow.state.in_(("proposing", "booked", "handover")))
        ):
            numbers[row.id] = _record(row).numbers
            if row.state in ("booked", "handover") and row.start and row.end and row.end > now:
                out.append(Busy(row.start, row.end, numbers[row.id], row.id, "booking"))
            elif row.state != "booked":
                # an open case locks its numbers even before a date is fixed
                out.append(Busy(now, now, numbers[row.id], row.id, "case"))
        for p in s.scalars(
            select(ProposalRow).where(ProposalRow.state == "held", ProposalRow.hold_until > now)
        ):
            if p.cutover_id in numbers:
                out.append(Busy(p.start, p.end, numbers[p.cutover_id], p.cutover_id, "hold"))
        return out

    def busy(self, now: datetime) -> list[Busy]:
        """Open bookings and unexpired holds, each with its case's numbers."""
        with self._session() as s:
            return self._busy(s, now)

    def proposals(self, cutover_id: int, round_: int) -> list[ProposalRecord]:
        with self._session() as s:
            rows = s.scalars(
                select(ProposalRow)
                .where(ProposalRow.cutover_id == cutover_id, ProposalRow.round == round_)
                .order_by(ProposalRow.idx)
            )
            return [
                ProposalRecord(r.round, r.idx, r.start, r.end, r.state, r.hold_until) for r in rows
            ]

    def responses(self, cutover_id: int, round_: int) -> dict[str, ResponseRecord]:
        """The latest response of each side in ``round_``."""
        with self._session() as s:
            rows = s.scalars(
                select(ResponseRow)
                .where(ResponseRow.cutover_id == cutover_id, ResponseRow.round == round_)
                .order_by(ResponseRow.id)
            )
            return {r.side: _response(r) for r in rows}

    def booked(self, *, after: datetime) -> list[CutoverRecord]:
        """Booked cutovers that end after ``after``, earliest first."""
        with self._session() as s:
            rows = s.scalars(
                select(CutoverRow)
                .where(CutoverRow.state == "booked", CutoverRow.end > after)
                .order_by(CutoverRow.start)
            )
            return [_record(r) for r in rows]

    def proposing(self) -> list[CutoverRecord]:
        """Cutovers whose proposals are out."""
        with self._session() as s:
            rows = s.scalars(select(CutoverRow).where(CutoverRow.state == "proposing"))
            return [_record(r) for r in rows]

    # -- writing ------------------------------------------------------------------------

    def create(
        self, *, ticket_b: int, partner_a: str | None, numbers: Sequence[NumberRange], now: datetime
    ) -> tuple[CutoverRecord, bool]:
        """Create the cutover of ``ticket_b``; returns (record, created). Idempotent."""
        try:
            with self._session() as s:
                row = CutoverRow(
                    ticket_b=ticket_b,
                    partner_a=partner_a,
                    numbers=[{"first": n.first, "last": n.last} for n in numbers],
                    state="proposing",
                    round=0,
                    sequence=0,
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
                s.flush()
                return _record(row), True
        except IntegrityError:
            existing = self.by_ticket(ticket_b)
            if existing is None:
                raise
            return existing, False

    def open(
        self,
        *,
        ticket_b: int,
        partner_a: str | None,
        numbers: Sequence[NumberRange],
        proposer: Proposer,
        hold_until: datetime,
        now: datetime,
    ) -> Opened:
        """Create the cutover, claim its numbers and hold its first proposals in ONE transaction.

        Under the scheduling lock: a number already in another open cutover (also as a
        member of a block) makes this one a ``conflict`` that claims nothing, so of two
        overlapping requests the first gets slots and the second one clear conflict.
        """
        with self._locked() as s:
            existing = s.scalar(select(CutoverRow).where(CutoverRow.ticket_b == ticket_b))
            if existing is not None:
                return Opened(_record(existing), False)
            others = self._busy(s, now)
            clash = number_conflicts(numbers, others)
            row = CutoverRow(
                ticket_b=ticket_b,
                partner_a=partner_a,
                numbers=[{"first": n.first, "last": n.last} for n in numbers],
                state="conflict" if clash else "proposing",
                round=0 if clash else 1,
                sequence=0,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            if clash:
                ids = sorted({b.case_id for b in clash if b.case_id is not None})
                tickets = s.scalars(select(CutoverRow.ticket_b).where(CutoverRow.id.in_(ids)))
                return Opened(_record(row), True, conflicts=tuple(sorted(tickets)))
            slots = proposer(others, [])
            for i, slot in enumerate(slots, start=1):
                s.add(
                    ProposalRow(
                        cutover_id=row.id,
                        round=1,
                        idx=i,
                        start=slot.start,
                        end=slot.end,
                        state="held",
                        hold_until=hold_until,
                    )
                )
            return Opened(_record(row), True, slots=tuple(slots))

    def set_ticket_a(self, cutover_id: int, ticket_a: int, *, now: datetime) -> None:
        with self._session() as s:
            s.execute(
                update(CutoverRow)
                .where(CutoverRow.id == cutover_id)
                .values(ticket_a=ticket_a, updated_at=now)
            )

    def propose_round(
        self, cutover_id: int, *, proposer: Proposer, hold_until: datetime, now: datetime
    ) -> tuple[int, list[Slot]]:
        """Release the case's holds, then hold the slots ``proposer`` picks as the next round."""
        with self._locked() as s:
            row = s.get(CutoverRow, cutover_id)
            if row is None:
                raise SchedulingError(f"Cutover {cutover_id} does not exist.")
            s.execute(
                update(ProposalRow)
                .where(ProposalRow.cutover_id == cutover_id, ProposalRow.state == "held")
                .values(state="released")
            )
            earlier = [
                Slot(p.start, p.end)
                for p in s.scalars(select(ProposalRow).where(ProposalRow.cutover_id == cutover_id))
            ]
            others = [b for b in self._busy(s, now) if b.case_id != cutover_id]
            slots = proposer(others, earlier)
            row.updated_at = now
            if not slots and number_conflicts(_record(row).numbers, others):
                # still in conflict: it claims nothing, in this very transaction
                row.state = "conflict"
                return row.round, slots
            row.round += 1
            row.state = "proposing"
            for i, slot in enumerate(slots, start=1):
                s.add(
                    ProposalRow(
                        cutover_id=cutover_id,
                        round=row.round,
                        idx=i,
                        start=slot.start,
                        end=slot.end,
                        state="held",
                        hold_until=hold_until,
                    )
                )
            return row.round, slots

    def record_response(
        self,
        cutover_id: int,
        *,
        round_: int,
        side: str,
        kind: str,
        choices: Sequence[int],
        via: str,
        now: datetime,
        refused: Sequence[int] = (),
    ) -> None:
        """Store one answer: ``choices`` accepted, ``refused`` refused (the latest counts)."""
        with self._session() as s:
            s.add(
                ResponseRow(
                    cutover_id=cutover_id,
                    round=round_,
                    side=side,
                    kind=kind,
                    choices={"accept": list(choices), "refuse": list(refused)},
                    via=via,
                    created_at=now,
                )
            )

    def book(
        self, cutover_id: int, slot: Slot, *, checker: Checker, now: datetime, manual: bool = False
    ) -> CutoverRecord:
        """Fix the cutover at ``slot`` after re-checking it under the lock.

        Raises SlotTakenError (with the problem codes in ``args[1]``) when capacity or a
        number conflict forbids it. ``manual`` books even then (an agent decided) and
        leaves the conflicts to the caller's note.
        """
        with self._locked() as s:
            row = s.get(CutoverRow, cutover_id)
            if row is None:
                raise SchedulingError(f"Cutover {cutover_id} does not exist.")
            others = [b for b in self._busy(s, now) if b.case_id != cutover_id]
            problems = checker(others)
            if problems and not manual:
                raise SlotTakenError(
                    "The slot was taken meanwhile; new slots are proposed.", problems
                )
            changed = row.start is not None and (row.start, row.end) != (slot.start, slot.end)
            row.state = "booked"
            row.start, row.end = slot.start, slot.end
            row.sequence = row.sequence + 1 if changed else row.sequence
            row.reminder_sent_on = None if changed else row.reminder_sent_on
            row.dayof_sent_on = None if changed else row.dayof_sent_on
            row.updated_at = now
            for p in s.scalars(
                select(ProposalRow).where(
                    ProposalRow.cutover_id == cutover_id, ProposalRow.state == "held"
                )
            ):
                p.state = "booked" if (p.start, p.end) == (slot.start, slot.end) else "released"
            return _record(row)

    def set_state(self, cutover_id: int, state: str, *, now: datetime) -> CutoverRecord:
        """Move to ``state``; leaving 'proposing' releases the holds, cancelling bumps SEQUENCE."""
        with self._session() as s:
            row = s.get(CutoverRow, cutover_id)
            if row is None:
                raise SchedulingError(f"Cutover {cutover_id} does not exist.")
            if state == "cancelled" and row.state == "booked":
                row.sequence += 1
            row.state = state
            row.updated_at = now
            if state != "proposing":
                s.execute(
                    update(ProposalRow)
                    .where(ProposalRow.cutover_id == cutover_id, ProposalRow.state == "held")
                    .values(state="released")
                )
            return _record(row)

    def release_expired(self, now: datetime) -> int:
        """Release holds whose time is up; returns how many."""
        with self._session() as s:
            result = s.execute(
                update(ProposalRow)
                .where(ProposalRow.state == "held", ProposalRow.hold_until <= now)
                .values(state="released")
            )
            return int(getattr(result, "rowcount", 0) or 0)

    def claim_notice(self, cutover_id: int, *, kind: str, day: str) -> bool:
        """Mark the reminder ("reminder") or day-of note ("dayof") for ``day`` as sent, once."""
        column = CutoverRow.reminder_sent_on if kind == "reminder" else CutoverRow.dayof_sent_on
        with self._session() as s:
            result = s.execute(
                update(CutoverRow)
                .where(
                    CutoverRow.id == cutover_id,
                    (column.is_(None)) | (column != day),
                )
                .values({column.key: day})
            )
            return bool(getattr(result, "rowcount", 0))
