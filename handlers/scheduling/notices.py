"""Step 4 of the cutover conversation: what partners and agents are told.

The confirmation (with the .ics invitation, the date in the cutover field, the tag and
the agents' runbook), the cancellation, and which reminders are due: the partners'
reminder the working day before, the agents' note on the day. The queue's crontab runs
in UTC every few minutes; :func:`due_notices` decides in local time, so the reminder
goes out at ``reminder_time`` Berlin time in summer and in winter. Each notice is keyed
by the cutover's local date: a rescheduled cutover is reminded again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

import structlog

from handlers.context import Context
from handlers.messages import render
from handlers.ports import TicketUpdate, Upload
from handlers.scheduling.calendar import ServiceCalendar
from handlers.scheduling.common import calendar_of, field_value, write_ticket
from handlers.scheduling.ics import cutover_uid, invitation
from handlers.scheduling.records import CutoverRecord

__all__ = ["Notice", "confirm", "due_notices", "send_cancellation"]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Notice:
    cutover: CutoverRecord
    kind: str  # "reminder" (public, both partners) or "dayof" (internal note)
    day: str  # the cutover's local date, ISO


def due_notices(
    cutovers: Iterable[CutoverRecord],
    *,
    now: datetime,
    calendar: ServiceCalendar,
    reminder_time: str,
) -> list[Notice]:
    """Notices due at ``now`` for booked cutovers that have not been sent (by their markers)."""
    at = time.fromisoformat(reminder_time)
    local_now = calendar.local(now)
    today = local_now.date()
    out: list[Notice] = []
    for c in cutovers:
        if c.state != "booked" or c.start is None or c.end is None or c.end <= now:
            continue
        day = calendar.local_date(c.start)
        key = day.isoformat()
        if today == day and c.dayof_sent_on != key:
            out.append(Notice(c, "dayof", key))
        if c.reminder_sent_on == key or today >= day:
            continue
        before = calendar.previous_working_day(day)
        if today > before or (today == before and local_now.time() >= at):
            out.append(Notice(c, "reminder", key))
    return out


def _method_of(ics: bytes) -> str:
    """The METHOD line of a serialised calendar (REQUEST, CANCEL or PUBLISH)."""
    for line in ics.splitlines():
        if line.startswith(b"METHOD:"):
            return line[7:].decode().strip()
    return "PUBLISH"


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
        write_ticket(
            ctx, update, kind="scheduling_confirm", fingerprint=f"{cutover.id}-s{cutover.sequence}"
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
    write_ticket(
        ctx, runbook, kind="scheduling_runbook", fingerprint=f"{cutover.id}-s{cutover.sequence}"
    )
    log.info("scheduling.booked", cutover=cutover.id, sequence=cutover.sequence)


def send_cancellation(
    ctx: Context, record: CutoverRecord, *, was_booked: bool, by_partner: bool
) -> None:
    """Tell both partners the cutover is cancelled (with the .ics CANCEL when it was booked)."""
    s = ctx.settings.scheduling
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
        "scheduling_cancelled", numbers=record.numbers, start=start, by_partner=by_partner
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
        write_ticket(
            ctx, update, kind="scheduling_cancel", fingerprint=f"{record.id}-s{record.sequence}"
        )
