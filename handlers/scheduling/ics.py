"""The .ics invitation attached to a cutover confirmation (RFC 5545 via icalendar 7).

One cutover keeps one UID for its whole life; every change (new date, cancellation)
raises SEQUENCE so calendar programs replace the earlier invitation instead of adding
a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress
from icalendar.enums import STATUS

__all__ = ["cutover_uid", "invitation"]

PRODID = "-//partnerdesk//cutover//DE"


def cutover_uid(case_id: int, *, domain: str = "partnerdesk") -> str:
    """The stable UID of a case's cutover."""
    return f"cutover-{case_id}@{domain}"


def invitation(
    *,
    uid: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    stamp: datetime,
    timezone: str = "Europe/Berlin",
    method: str = "REQUEST",
    organizer: str | None = None,
    attendees: Sequence[tuple[str, str]] = (),
    publisher: str | None = None,
) -> bytes:
    """Serialise one cutover as an iCalendar object with a Europe/Berlin TZID.

    ``method`` is the intent, REQUEST (a date) or CANCEL. RFC 5546 requires ORGANIZER
    and ATTENDEEs for both; with an ``organizer`` mailbox (and at least one attendee,
    (e-mail, name)) they are sent as such. Without one the object is METHOD:PUBLISH
    (a cancellation then carries STATUS:CANCELLED), whose ORGANIZER is ``publisher``.
    """
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("method must be REQUEST or CANCEL")
    itip = bool(organizer) and bool(attendees)
    tz = ZoneInfo(timezone)
    cal = Calendar.new(method=method if itip else "PUBLISH", prodid=PRODID)
    event = Event.new(
        uid=uid,
        sequence=sequence,
        start=start.astimezone(tz),
        end=end.astimezone(tz),
        stamp=stamp,
        summary=summary,
        description=description,
        status=STATUS.CANCELLED if method == "CANCEL" else STATUS.CONFIRMED,
    )
    sender = organizer if itip else publisher
    if sender:
        event.add("organizer", vCalAddress(f"mailto:{sender}"))
    if itip:
        for email, name in attendees:
            attendee = vCalAddress(f"mailto:{email}")
            attendee.params["ROLE"] = "REQ-PARTICIPANT"
            attendee.params["RSVP"] = "FALSE"
            if name:
                attendee.params["CN"] = name
            event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    cal.add_missing_timezones()  # VTIMEZONE for the TZID, so every client shows local time
    data: bytes = cal.to_ical()
    return data
