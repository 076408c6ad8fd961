from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from handlers.ports import Event
from handlers.router import Router
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.router import router
from integration.runtime import build_runtime
from integration.store import Store
from integration.tasks.scheduling import run_periodic
from tests.handlers.scheduling.fakes import SOURCE_FIELD, CaseStub, approved, make_context

B = 3001


def _reply(ticket: int, body: str) -> Event:
    return Event(
        kind="ticket.comment_added",
        ticket_id=ticket,
        comment_body=body,
        comment_public=True,
        author_is_staff=False,
    )


def test_periodic_releases_holds_and_reminds_once(tmp_path: Path) -> None:
    """Holds expire after hold_hours; the reminder and the day-of note are sent once each."""
    ctx, helpdesk, store, clock = make_context(tmp_path, now=datetime(2026, 11, 20, 9, tzinfo=UTC))
    helpdesk.add(B, {SOURCE_FIELD: "alpha"})
    store.cases[B] = CaseStub(approved(("+493012345600", "+493012345600")))
    router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
    runtime = build_runtime(
        ctx.settings,
        store=Store(store.scheduling.engine, blob_root=tmp_path / "b"),
        helpdesk_factory=lambda: helpdesk,
        clock=clock,
        read_document=ctx.read_document,
        router=Router(),
    )
    assert run_periodic(runtime) == {"released": 0, "notices": 0}
    clock.advance(hours=ctx.settings.scheduling.hold_hours)
    assert run_periodic(runtime)["released"] == 3

    # book case 2 and walk the clock to the reminder and the day itself
    other = 3002
    helpdesk.add(other, {SOURCE_FIELD: "alpha"})
    store.cases[other] = CaseStub(approved(("+493012345699", "+493012345699")))
    router.dispatch(Event(kind="relocation.approved", ticket_id=other), ctx)
    cutover = store.scheduling.by_ticket(other)
    assert cutover is not None and cutover.ticket_a is not None
    router.dispatch(_reply(cutover.ticket_a, "1"), ctx)
    router.dispatch(_reply(other, "1"), ctx)
    booked = store.scheduling.get(cutover.id)
    assert booked is not None and booked.state == "booked" and booked.start is not None
    cal_start = booked.start
    helpdesk.updates.clear()
    cal = calendar_from_settings(ctx.settings.scheduling)
    day_before = cal.previous_working_day(cal.local_date(cal_start))
    clock.now = datetime.combine(day_before, time(14, 59), cal.tz).astimezone(UTC)
    assert run_periodic(runtime)["notices"] == 0  # not yet 15:00 local
    clock.advance(minutes=1)
    assert run_periodic(runtime)["notices"] == 1
    assert run_periodic(runtime)["notices"] == 0  # idempotent
    reminders = [u for u in helpdesk.updates if u.public]
    assert {u.ticket_id for u in reminders} == {other, cutover.ticket_a}
    assert all("Erinnerung" in (u.comment or "") for u in reminders)
    clock.now = cal_start - timedelta(hours=1)
    assert run_periodic(runtime)["notices"] == 1
    assert not helpdesk.updates[-1].public and "Heute Umzug" in (helpdesk.updates[-1].comment or "")
