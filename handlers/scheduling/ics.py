"""The .ics invitation attached to a cutover confirmation (RFC 5545 via icalendar 7).

One cutover keeps one UID for its whole life; every change (new date, cancellation)
raises SEQUENCE so calendar programs replace the earlier invitation instead of adding
a second one.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
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
) -> bytes:
    """Serialise one cutover as an iCalendar REQUEST (or CANCEL) with a Europe/Berlin TZID."""
    if method not in ("REQUEST", "CANCEL"):
        raise ValueError("method must be REQUEST or CANCEL")
    tz = ZoneInfo(timezone)
    cal = Calendar.new(method=method, prodid=PRODID)
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
    if organizer:
        event.add("organizer", f"mailto:{organizer}")
    cal.add_component(event)
    cal.add_missing_timezones()  # VTIMEZONE for the TZID, so every client shows local time
    data: bytes = cal.to_ical()
    return data
