"""Fixing a cutover date and telling everyone: confirmation, cancellation, agent dates.

Every ticket write here goes through :func:`write_once`, keyed by the cutover and its
iCalendar SEQUENCE, so a retried delivery or the periodic catch-up never sends a
confirmation twice.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog

from config.errors import SlotTakenError
from handlers.context import Context
from handlers.messages import render
from handlers.ports import TicketUpdate, Upload
from handlers.scheduling.calendar import ServiceCalendar, calendar_from_settings
from handlers.scheduling.ics import cutover_uid, invitation
from handlers.scheduling.records import CutoverRecord, CutoverRepo
from handlers.scheduling.slots import (
    Busy,
    Slot,
    SlotRules,
    check_slot,
    cutover_minutes,
    operations,
)

__all__ = [
    "Outcome",
    "calendar_of",
    "cancel",
    "confirm",
    "field_value",
    "once",
    "parse_field_date",
    "rules_of",
    "set_manual_date",
    "split_force",
    "write_once",
    "write_ticket",
]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What an answer led to: waiting, booked, new_round, handover, cancelled, closed."""

    code: str
    cutover: CutoverRecord | None = None


def calendar_of(ctx: Context) -> ServiceCalendar:
    return calendar_from_settings(ctx.settings.scheduling)


def rules_of(ctx: Context) -> SlotRules:
    return SlotRules.from_settings(ctx.settings.scheduling)


def write_once(
    ctx: Context, *, ticket_id: int, kind: str, fingerprint: str, send: Callable[[], None]
) -> None:
    """Send a ticket write at most once per fingerprint (deliveries are retried)."""
    begin = getattr(ctx.store, "begin_write", None)
    if begin is None:  # a store without write records (unit tests): just send
        send()
        return
    record, _created = begin(
        ticket_id=ticket_id,
        kind=kind,
        fingerprint=fingerprint,
        reference=f"partnerdesk-ref: {kind}-{fingerprint}",
        now=ctx.clock(),
    )
    if record.state == "sent":
        return
    send()
    ctx.store.mark_write_sent(record.id, now=ctx.clock())


def write_ticket(ctx: Context, update: TicketUpdate, *, kind: str, fingerprint: str) -> None:
    """Every scheduling ticket update goes through here: written once per fingerprint."""
    write_once(
        ctx,
        ticket_id=update.ticket_id,
        kind=kind,
        fingerprint=fingerprint,
        send=lambda: ctx.helpdesk.update_ticket(update),
    )


def once(
    ctx: Context, *, ticket_id: int, kind: str, fingerprint: str, run: Callable[[], None]
) -> None:
    """Run ``run`` once per fingerprint (e.g. read one partner reply once)."""
    write_once(ctx, ticket_id=ticket_id, kind=kind, fingerprint=fingerprint, send=run)


def _method_of(ics: bytes) -> str:
    """The METHOD line of a serialised calendar (REQUEST, CANCEL or PUBLISH)."""
    for line in ics.splitlines():
        if line.startswith(b"METHOD:"):
            return line[7:].decode().strip()
    return "PUBLISH"


def field_value(cal: ServiceCalendar, start: datetime) -> str:
    return cal.local(start).strftime("%Y-%m-%d %H:%M")


def _calendar_people(ctx: Context, cutover: CutoverRecord) -> dict[str, object]:
    """ORGANIZER and ATTENDEEs of the invitations: the support mailbox and both partners.

    Partner A is the directory's contact; partner B is in the directory when its
    ``zendesk_user_id`` is the requester of B's ticket. Without ``organizer_email`` the
    invitation is METHOD:PUBLISH with the API user's address as its ORGANIZER.
    """
    s = ctx.settings
    attendees: list[tuple[str, str]] = []
    partner_a = s.partner(cutover.partner_a or "") if cutover.partner_a else None
    if partner_a is not None:
        attendees.append((partner_a.contact_email, partner_a.contact_name or partner_a.name))
    if s.scheduling.organizer_email:
        requester = ctx.helpdesk.get_ticket(cutover.ticket_b).requester_id
        for partner in s.partners:
            if requester is not None and partner.zendesk_user_id == requester:
                attendees.append((partner.contact_email, partner.contact_name or partner.name))
    return {
        "organizer": s.scheduling.organizer_email or None,
        "attendees": attendees,
        "publisher": s.zendesk.email or None,
    }


def confirm(ctx: Context, cutover: CutoverRecord, *, method: str = "REQUEST") -> None:
    """Confirmation (+ .ics, field, tag) to both partners and the runbook note for agents."""
    s = ctx.settings.scheduling
    cal = calendar_of(ctx)
    assert cutover.start is not None and cutover.end is not None
    start, end = cal.local(cutover.start), cal.local(cutover.end)
    count = sum(n.count for n in cutover.numbers)
    ics = invitation(
        uid=cutover_uid(cutover.id),
        sequence=cutover.sequence,
        start=cutover.start,
        end=cutover.end,
        summary=f"Rufnummernumzug ({count} Rufnummer{'n' if count != 1 else ''})",
        description="Während des Zeitfensters sind die Rufnummern nicht erreichbar.",
        stamp=ctx.clock(),
        timezone=s.timezone,
        method=method,
        **_calendar_people(ctx, cutover),  # type: ignore[arg-type]
    )
    upload = Upload("umzugstermin.ics", ics, f"text/calendar; method={_method_of(ics)}")
    fields = (
        {s.cutover_field_id: field_value(cal, cutover.start)}
        if s.cutover_field_id is not None
        else {}
    )
    text = render("scheduling_confirmation", numbers=cutover.numbers, start=start, end=end)
    for ticket_id in (cutover.ticket_b, cutover.ticket_a):
        if ticket_id is None:
            continue
        update = TicketUpdate(
            ticket_id=ticket_id,
            comment=text,
            public=True,
            add_tags=(s.tag_scheduled,),
            remove_tags=(s.tag_handover,),
            custom_fields=dict(fields),
            uploads=(upload,),
        )
        write_once(
            ctx,
            ticket_id=ticket_id,
            kind="scheduling_confirm",
            fingerprint=f"{cutover.id}-s{cutover.sequence}",
            send=lambda update=update: ctx.helpdesk.update_ticket(update),  # type: ignore[misc]
        )
    runbook = TicketUpdate(
        ticket_id=cutover.ticket_b,
        comment=render(
            "scheduling_runbook",
            numbers=cutover.numbers,
            start=start,
            end=end,
            ticket_a=cutover.ticket_a,
            ticket_b=cutover.ticket_b,
            count=count,
        ),
        public=False,
    )
    write_once(
        ctx,
        ticket_id=cutover.ticket_b,
        kind="scheduling_runbook",
        fingerprint=f"{cutover.id}-s{cutover.sequence}",
        send=lambda: ctx.helpdesk.update_ticket(runbook),
    )
    log.info("scheduling.booked", cutover=cutover.id, sequence=cutover.sequence)


def cancel(
    ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, *, by_side: str | None
) -> Outcome:
    """Cancel the cutover: holds released, both partners told (with an .ics CANCEL if booked)."""
    s = ctx.settings.scheduling
    was_booked = cutover.state == "booked"
    record = repo.set_state(cutover.id, "cancelled", now=ctx.clock())
    cal = calendar_of(ctx)
    start = cal.local(record.start) if was_booked and record.start else None
    uploads: tuple[Upload, ...] = ()
    if was_booked and record.start and record.end:
        ics = invitation(
            uid=cutover_uid(record.id),
            sequence=record.sequence,
            start=record.start,
            end=record.end,
            summary="Rufnummernumzug (abgesagt)",
            description="Der Termin ist abgesagt.",
            stamp=ctx.clock(),
            timezone=s.timezone,
            method="CANCEL",
            **_calendar_people(ctx, record),  # type: ignore[arg-type]
        )
        uploads = (Upload("umzugstermin.ics", ics, f"text/calendar; method={_method_of(ics)}"),)
    text = render(
        "scheduling_cancelled", numbers=record.numbers, start=start, by_partner=by_side is not None
    )
    for ticket_id in (record.ticket_b, record.ticket_a):
        if ticket_id is None:
            continue
        update = TicketUpdate(
            ticket_id=ticket_id,
            comment=text,
            public=True,
            remove_tags=(s.tag_scheduled,),
            uploads=uploads,
        )
        write_once(
            ctx,
            ticket_id=ticket_id,
            kind="scheduling_cancel",
            fingerprint=f"{record.id}-s{record.sequence}",
            send=lambda update=update: ctx.helpdesk.update_ticket(update),  # type: ignore[misc]
        )
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
