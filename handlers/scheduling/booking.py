"""Step 3 of the cutover conversation: fixing the date (a common slot or an agent's) or cancelling.

Every booking re-checks capacity and number conflicts under the repository's lock. An
agent's date passes the same checks as a proposal; see :func:`set_manual_date`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import structlog

from config.errors import SlotTakenError
from handlers.context import Context
from handlers.messages import render
from handlers.ports import TicketUpdate
from handlers.scheduling.calendar import ServiceCalendar
from handlers.scheduling.common import Outcome, calendar_of, rules_of, write_ticket
from handlers.scheduling.notices import confirm, send_cancellation
from handlers.scheduling.records import CutoverRecord, CutoverRepo
from handlers.scheduling.slots import Busy, Slot, check_slot, cutover_minutes, operations

__all__ = [
    "OVERRIDABLE",
    "book_slot",
    "cancel",
    "parse_field_date",
    "set_manual_date",
    "split_force",
]

log = structlog.get_logger(__name__)


def book_slot(ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, slot: Slot) -> Outcome:
    """Book ``slot`` after re-checking it under the lock, then confirm it to everyone.

    Outcome "taken" (with the current record) when it is gone meanwhile or in the past.
    """
    cal, rules, now = calendar_of(ctx), rules_of(ctx), ctx.clock()
    if slot.start <= now:
        return Outcome("taken", cutover)

    def checker(busy: Sequence[Busy]) -> list[str]:
        return check_slot(slot, calendar=cal, rules=rules, numbers=cutover.numbers, busy=busy)

    try:
        booked = repo.book(cutover.id, slot, checker=checker, now=now)
    except SlotTakenError:
        log.info("scheduling.slot_taken", cutover=cutover.id)
        return Outcome("taken", repo.get(cutover.id) or cutover)
    confirm(ctx, booked)
    return Outcome("booked", booked)


def cancel(
    ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, *, by_side: str | None
) -> Outcome:
    """Cancel the cutover: holds released, both partners told (with an .ics CANCEL if booked)."""
    was_booked = cutover.state == "booked"
    record = repo.set_state(cutover.id, "cancelled", now=ctx.clock())
    send_cancellation(ctx, record, was_booked=was_booked, by_partner=by_side is not None)
    log.info("scheduling.cancelled", cutover=record.id, by=by_side or "agent")
    return Outcome("cancelled", record)


def parse_field_date(value: str, cal: ServiceCalendar) -> datetime | None:
    """A date the agent typed: "2026-12-03 10:00", "03.12.2026 10:00" or "2026-12-03"."""
    text = value.strip().replace("T", " ")
    for fmt in ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=cal.tz)
        except ValueError:
            continue
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        windows = cal.windows.get(day.weekday())
        # a date-only field: the start of service that day
        start = windows[0][0] if windows else datetime.min.time()
        return datetime.combine(day, start, cal.tz)
    return None


# what an agent may override with a force flag and a reason; everything else blocks


# what an agent may override with a force flag and a reason; everything else blocks
OVERRIDABLE = frozenset(
    {"outside_service_hours", "no_service_day", "capacity", "too_soon", "beyond_horizon"}
)


_FORCE = re.compile(r"\s+(?:!?force|erzwingen|erzwungen)\b\s*[:=]?\s*", re.IGNORECASE)


def split_force(value: str) -> tuple[str, bool, str]:
    """``"2026-12-03 18:00 force: Kunde wünscht es"`` -> (date text, True, reason)."""
    parts = _FORCE.split(value.strip(), maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), True, parts[1].strip()
    return value.strip(), False, ""


def set_manual_date(
    ctx: Context,
    repo: CutoverRepo,
    cutover: CutoverRecord,
    value: str,
    *,
    force: bool = False,
    reason: str = "",
) -> Outcome:
    """An agent set a date (cutover field, sidebar or CLI): checked like a proposal.

    Holidays, closures, a date in the past and number conflicts (also with a member of a
    block in another cutover) always refuse it. Service hours, notice, horizon and
    capacity may be overridden with ``force`` and a ``reason`` (both recorded in the
    note); the field may carry them: ``2026-12-03 18:00 force: <reason>``.
    """
    cal, rules, now = calendar_of(ctx), rules_of(ctx), ctx.clock()
    text, typed_force, typed_reason = split_force(value)
    force, reason = force or typed_force, (reason or typed_reason).strip()
    start = parse_field_date(text, cal)
    minutes = cutover_minutes(operations(cutover.numbers), rules)
    if start is None or minutes is None:
        problem = "unparsable" if start is None else "too_many_operations"
        _manual_note(ctx, cutover, value=value, problems=[problem], refused=True)
        return Outcome("invalid", cutover)
    begin = start.astimezone(UTC)  # real minutes, not wall-clock ones, on a DST day
    slot = Slot(begin, begin + timedelta(minutes=minutes))
    if cutover.state == "booked" and cutover.slot == slot:
        return Outcome("unchanged", cutover)  # our own write of the field comes back as an event
    if force and not reason:
        _manual_note(ctx, cutover, value=value, problems=["force_without_reason"], refused=True)
        return Outcome("invalid", cutover)
    overridden: list[str] = []

    def checker(busy: Sequence[Busy]) -> list[str]:
        found = check_slot(
            slot, calendar=cal, rules=rules, numbers=cutover.numbers, busy=busy, now=now
        )
        if slot.start <= now:
            found.append("past")
        overridden[:] = [p for p in found if force and p in OVERRIDABLE]
        return [p for p in found if p not in overridden]

    try:
        booked = repo.book(cutover.id, slot, checker=checker, now=now)
    except SlotTakenError as exc:
        problems = list(exc.args[1]) if len(exc.args) > 1 else ["capacity"]
        _manual_note(
            ctx,
            cutover,
            value=value,
            problems=problems,
            refused=True,
            start=cal.local(slot.start),
            end=cal.local(slot.end),
            can_force=all(p in OVERRIDABLE for p in problems),
        )
        log.info("scheduling.manual_refused", cutover=cutover.id, problems=problems)
        return Outcome("refused", cutover)
    _manual_note(
        ctx,
        booked,
        value=value,
        problems=overridden,
        refused=False,
        start=cal.local(slot.start),
        end=cal.local(slot.end),
        reason=reason if overridden else "",
    )
    confirm(ctx, booked)
    return Outcome("booked", booked)


def _manual_note(
    ctx: Context,
    cutover: CutoverRecord,
    *,
    value: str,
    problems: list[str],
    refused: bool,
    start: datetime | None = None,
    end: datetime | None = None,
    reason: str = "",
    can_force: bool = False,
) -> None:
    """The internal note on B's ticket about an agent's date: booked (with overrides) or refused."""
    write_ticket(
        ctx,
        TicketUpdate(
            ticket_id=cutover.ticket_b,
            comment=render(
                "scheduling_manual",
                start=start,
                end=end,
                value=value,
                problems=problems,
                refused=refused,
                reason=reason,
                can_force=can_force,
            ),
            public=False,
        ),
        kind="scheduling_manual",
        # one note per typed value and verdict, however many events report the field
        fingerprint=f"{cutover.id}-{'refused' if refused else 'booked'}-{cutover.sequence}-"
        + hashlib.sha256(value.encode()).hexdigest()[:16],
    )
