"""Periodic scheduling work: release expired holds, remind partners, note the day.

huey's crontab is UTC, so the task runs every 15 minutes and
``handlers.scheduling.notices`` decides in local time what is due. Every notice is
written through ``handlers.writes`` (once per cutover, kind and day) and then marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from huey import crontab

from handlers.messages import render
from handlers.ports import TicketUpdate
from handlers.scheduling import flow
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.common import write_ticket
from handlers.scheduling.notices import due_notices
from integration.logs import get_logger
from integration.runtime import Runtime
from integration.store.scheduling import SchedulingRepo

if TYPE_CHECKING:
    from integration.queue import Queue

__all__ = ["register", "run_periodic"]

log = get_logger(__name__)


def run_periodic(runtime: Runtime) -> dict[str, int]:
    """One pass: release holds whose time is up, send due reminders and day-of notes."""
    settings = runtime.settings
    repo = SchedulingRepo(runtime.store)
    now = runtime.clock()
    released = repo.release_expired(now)
    cal = calendar_from_settings(settings.scheduling)
    notices = due_notices(
        repo.booked(after=now),
        now=now,
        calendar=cal,
        reminder_time=settings.scheduling.reminder_time,
    )
    sent = 0
    open_cutovers = [*repo.proposing(), *repo.booked(after=now)]
    helpdesk = runtime.helpdesk_factory() if notices or open_cutovers else None
    ctx = None
    if helpdesk is not None:
        ctx = runtime.context(helpdesk=helpdesk)
        for cutover in open_cutovers:
            # a link answer or a retry that Zendesk refused left messages unsent
            flow.resume(ctx, repo, cutover)
    for notice in notices:
        c = notice.cutover
        if helpdesk is None or ctx is None or c.start is None or c.end is None:
            continue
        start, end = cal.local(c.start), cal.local(c.end)
        # each notice is written once per cutover, kind and day (handlers.writes), and
        # marked afterwards, so a failed write is retried by the next run, never lost
        fingerprint = f"{c.id}-{notice.kind}-{notice.day}"
        if notice.kind == "reminder":
            text = render("scheduling_reminder", numbers=c.numbers, start=start, end=end)
            for ticket_id in (c.ticket_b, c.ticket_a):
                if ticket_id is not None:
                    write_ticket(
                        ctx,
                        TicketUpdate(ticket_id=ticket_id, comment=text, public=True),
                        kind="scheduling_reminder",
                        fingerprint=fingerprint,
                    )
        else:
            count = sum(n.count for n in c.numbers)
            write_ticket(
                ctx,
                TicketUpdate(
                    ticket_id=c.ticket_b,
                    comment=render("scheduling_dayof", start=start, end=end, count=count),
                    public=False,
                ),
                kind="scheduling_dayof",
                fingerprint=fingerprint,
            )
        if repo.claim_notice(c.id, kind=notice.kind, day=notice.day):
            sent += 1
    if released or sent:
        log.info("scheduling.periodic", released=released, notices=sent)
    return {"released": released, "notices": sent}


def register(queue: Queue) -> None:
    """Register the 15-minute scheduling task on ``queue.huey``."""

    def scheduling_periodic() -> dict[str, int]:
        return run_periodic(queue.runtime)

    every_15_minutes = crontab(minute="*/15")  # UTC; local time is decided in run_periodic
    queue.tasks["scheduling_periodic"] = queue.huey.periodic_task(
        every_15_minutes, name="scheduling_periodic"
    )(scheduling_periodic)
