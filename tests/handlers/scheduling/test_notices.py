from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from handlers.scheduling.calendar import ServiceCalendar
from handlers.scheduling.notices import due_notices
from handlers.scheduling.records import CutoverRecord
from parsers.model import NumberRange


def _cutover(start: datetime, **kw: object) -> CutoverRecord:
    from datetime import timedelta

    base = CutoverRecord(
        id=1,
        ticket_b=10,
        ticket_a=11,
        partner_a="alpha",
        numbers=(NumberRange.single("+493011111111"),),
        state="booked",
        round=1,
        start=start,
        end=start + timedelta(hours=1),
        sequence=0,
        reminder_sent_on=None,
        dayof_sent_on=None,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _kinds(berlin: ServiceCalendar, c: CutoverRecord, now: datetime) -> list[str]:
    return [n.kind for n in due_notices([c], now=now, calendar=berlin, reminder_time="15:00")]


class TestReminder:
    def test_working_day_before_at_local_time_in_winter(self, berlin: ServiceCalendar) -> None:
        """Tuesday 1 Dec 10:00 local: reminder from Monday 15:00 CET (14:00 UTC)."""
        c = _cutover(datetime(2026, 12, 1, 9, tzinfo=UTC))
        assert _kinds(berlin, c, datetime(2026, 11, 30, 13, 59, tzinfo=UTC)) == []
        assert _kinds(berlin, c, datetime(2026, 11, 30, 14, 0, tzinfo=UTC)) == ["reminder"]

    def test_local_time_in_summer(self, berlin: ServiceCalendar) -> None:
        """In CEST 15:00 local is 13:00 UTC."""
        c = _cutover(datetime(2026, 6, 3, 8, tzinfo=UTC))  # Wednesday
        assert _kinds(berlin, c, datetime(2026, 6, 2, 12, 59, tzinfo=UTC)) == []
        assert _kinds(berlin, c, datetime(2026, 6, 2, 13, 0, tzinfo=UTC)) == ["reminder"]

    def test_monday_cutover_reminded_on_friday(self, berlin: ServiceCalendar) -> None:
        c = _cutover(datetime(2026, 11, 30, 8, tzinfo=UTC))  # Monday
        assert _kinds(berlin, c, datetime(2026, 11, 27, 14, 30, tzinfo=UTC)) == ["reminder"]
        assert _kinds(berlin, c, datetime(2026, 11, 26, 14, 30, tzinfo=UTC)) == []

    def test_sent_once_and_again_after_reschedule(self, berlin: ServiceCalendar) -> None:
        c = _cutover(datetime(2026, 12, 1, 9, tzinfo=UTC), reminder_sent_on="2026-12-01")
        assert _kinds(berlin, c, datetime(2026, 11, 30, 15, tzinfo=UTC)) == []
        moved = replace(
            c, start=datetime(2026, 12, 2, 9, tzinfo=UTC), end=datetime(2026, 12, 2, 10, tzinfo=UTC)
        )
        assert _kinds(berlin, moved, datetime(2026, 12, 1, 15, tzinfo=UTC)) == ["reminder"]


class TestDayOf:
    def test_note_on_the_day_only(self, berlin: ServiceCalendar) -> None:
        c = _cutover(datetime(2026, 12, 1, 9, tzinfo=UTC))
        assert _kinds(berlin, c, datetime(2026, 12, 1, 5, tzinfo=UTC)) == ["dayof"]
        assert (
            _kinds(
                berlin, replace(c, dayof_sent_on="2026-12-01"), datetime(2026, 12, 1, 6, tzinfo=UTC)
            )
            == []
        )
        assert _kinds(berlin, c, datetime(2026, 12, 1, 11, tzinfo=UTC)) == []  # over

    def test_not_booked_ignored(self, berlin: ServiceCalendar) -> None:
        c = _cutover(datetime(2026, 12, 1, 9, tzinfo=UTC), state="cancelled")
        assert _kinds(berlin, c, datetime(2026, 12, 1, 5, tzinfo=UTC)) == []
