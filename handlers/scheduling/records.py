"""What the scheduling flow reads from and writes to storage, as plain values and a Protocol.

``integration.store.scheduling.SchedulingRepo`` implements :class:`CutoverRepo` on the
database; the flow in ``handlers.scheduling.flow`` only sees these types.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from handlers.scheduling.slots import Busy, Slot
from parsers.model import NumberRange

__all__ = [
    "OPEN_STATES",
    "CutoverRecord",
    "CutoverRepo",
    "Opened",
    "ProposalRecord",
    "ResponseRecord",
]

# proposing: slots are out; booked: a date is fixed; handover: an agent owns the date.
# "conflict" (a number is in another open cutover) is not open: it claims no number.
OPEN_STATES = ("proposing", "booked", "handover")


@dataclass(frozen=True)
class CutoverRecord:
    """One planned cutover of a relocation case (keyed by partner B's ticket)."""

    id: int
    ticket_b: int
    ticket_a: int | None
    partner_a: str | None
    numbers: tuple[NumberRange, ...]
    state: str  # proposing, booked, handover, cancelled, done
    round: int
    start: datetime | None
    end: datetime | None
    sequence: int  # iCalendar SEQUENCE of the last invitation sent
    reminder_sent_on: str | None
    dayof_sent_on: str | None

    @property
    def slot(self) -> Slot | None:
        return Slot(self.start, self.end) if self.start and self.end else None

    def side_of(self, ticket_id: int) -> str | None:
        """'a' or 'b' when ``ticket_id`` is one of the case's tickets."""
        if ticket_id == self.ticket_b:
            return "b"
        if self.ticket_a is not None and ticket_id == self.ticket_a:
            return "a"
        return None

    def ticket_of(self, side: str) -> int | None:
        return self.ticket_a if side == "a" else self.ticket_b


@dataclass(frozen=True)
class ProposalRecord:
    round: int
    index: int  # 1-based, as the partners see it
    start: datetime
    end: datetime
    state: str  # held, released, booked
    hold_until: datetime

    @property
    def slot(self) -> Slot:
        return Slot(self.start, self.end)


@dataclass(frozen=True)
class ResponseRecord:
    side: str
    kind: str  # accept, refuse
    choices: tuple[int, ...]  # the slots accepted
    via: str  # link, reply
    refused: tuple[int, ...] = ()  # the slots refused


@dataclass(frozen=True)
class Opened:
    """The result of opening a cutover: claims and first proposal written together."""

    cutover: CutoverRecord
    created: bool  # False: the ticket's cutover existed already (a repeated approval)
    slots: tuple[Slot, ...] = ()  # held as round 1
    conflicts: tuple[int, ...] = ()  # B tickets of other open cutovers sharing a number


# (busy of other cases, slots offered in earlier rounds) -> slots to hold now
Proposer = Callable[[Sequence[Busy], Sequence[Slot]], list[Slot]]
# busy of other cases -> problems (empty: bookable)
Checker = Callable[[Sequence[Busy]], list[str]]


class CutoverRepo(Protocol):
    def get(self, cutover_id: int) -> CutoverRecord | None: ...

    def by_ticket(self, ticket_id: int) -> CutoverRecord | None: ...

    def create(
        self, *, ticket_b: int, partner_a: str | None, numbers: Sequence[NumberRange], now: datetime
    ) -> tuple[CutoverRecord, bool]: ...

    def open(
        self,
        *,
        ticket_b: int,
        partner_a: str | None,
        numbers: Sequence[NumberRange],
        proposer: Proposer,
        hold_until: datetime,
        now: datetime,
    ) -> Opened: ...

    def set_ticket_a(self, cutover_id: int, ticket_a: int, *, now: datetime) -> None: ...

    def busy(self, now: datetime) -> list[Busy]: ...

    def propose_round(
        self, cutover_id: int, *, proposer: Proposer, hold_until: datetime, now: datetime
    ) -> tuple[int, list[Slot]]: ...

    def proposals(self, cutover_id: int, round_: int) -> list[ProposalRecord]: ...

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
    ) -> None: ...

    def responses(self, cutover_id: int, round_: int) -> dict[str, ResponseRecord]: ...

    def book(
        self, cutover_id: int, slot: Slot, *, checker: Checker, now: datetime, manual: bool = False
    ) -> CutoverRecord: ...

    def set_state(self, cutover_id: int, state: str, *, now: datetime) -> CutoverRecord: ...

    def release_expired(self, now: datetime) -> int: ...

    def booked(self, *, after: datetime) -> list[CutoverRecord]: ...

    def proposing(self) -> list[CutoverRecord]: ...

    def claim_notice(self, cutover_id: int, *, kind: str, day: str) -> bool: ...
