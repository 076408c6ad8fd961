"""Which reminders are due: the partners' reminder the working day before, the agents' note on the day.

The queue's crontab runs in UTC every few minutes; this decides in local time, so the
reminder goes out at ``reminder_time`` Berlin time in summer and in winter. Each notice
is keyed by the cutover's local date: a rescheduled cutover is reminded again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from handlers.scheduling.calendar import ServiceCalendar
from handlers.scheduling.records import CutoverRecord

__all__ = ["Notice", "due_notices"]


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
