from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.errors import ConfigError
from handlers.scheduling.calendar import ServiceCalendar
from handlers.scheduling.slots import (
    Busy,
    BusyIndex,
    Slot,
    SlotRules,
    check_slot,
    cutover_minutes,
    find_slots,
    number_conflicts,
    operations,
    tiers_from,
)
from parsers.model import NumberRange

BLOCK = NumberRange("+493012345600", "+493012345699")
ONE = NumberRange.single("+493098765432")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


class TestCutoverMinutes:
    def test_tiers_count_operations(self, rules: SlotRules) -> None:
        """The shipped tiers: 1 -> 60, 2..10 -> 90, 11..50 -> 120, 51..200 -> 240, more: none."""
        assert [cutover_minutes(n, rules) for n in (1, 2, 10, 11, 50, 51, 200)] == [
            60, 90, 90, 120, 120, 240, 240,
        ]  # fmt: skip
        assert cutover_minutes(201, rules) is None

    def test_a_block_of_ten_thousand_is_one_operation(self, rules: SlotRules) -> None:
        block = NumberRange("+493012340000", "+493012349999")
        assert block.count == 10_000 and operations([block]) == 1
        assert cutover_minutes(operations([block]), rules) == 60

    @given(st.integers(1, 400), st.sampled_from([15, 30, 45]))
    def test_rounded_up_to_the_grid_never_shorter(self, count: int, grid: int) -> None:
        rules = SlotRules(duration_tiers=((10, 50), (400, 200)), grid_minutes=grid)
        minutes = cutover_minutes(count, rules)
        tier = 50 if count <= 10 else 200
        assert minutes is not None and minutes % grid == 0
        assert tier <= minutes < tier + grid

    def test_bad_tiers_are_a_config_error(self) -> None:
        with pytest.raises(ConfigError):
            tiers_from([[10]])
        with pytest.raises(ConfigError):
            tiers_from([])


class TestFindSlots:
    def test_friday_afternoon_with_two_days_notice(
        self, berlin: ServiceCalendar, rules: SlotRules
    ) -> None:
        """Friday 15:00 local + 48 h lands on Sunday: the first slot is Monday 08:00."""
        now = utc(2026, 11, 20, 14, 0)  # Friday 15:00 Berlin
        slots = find_slots(calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now)
        local = [berlin.local(s.start) for s in slots]
        assert [d.date() for d in local] == [
            date(2026, 11, 23),
            date(2026, 11, 24),
            date(2026, 11, 25),
        ]
        assert all(d.hour == 8 and d.minute == 0 for d in local)

    def test_spread_over_days_and_skips_closures(
        self, berlin: ServiceCalendar, rules: SlotRules
    ) -> None:
        """Around Christmas: 24, 25, 26 Dec and the weekend are skipped; one slot per day."""
        now = utc(2026, 12, 21, 7)  # Monday; 48 h notice -> Wednesday 23 Dec 08:00
        slots = find_slots(calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now)
        days = [berlin.local(s.start).date() for s in slots]
        assert days == [date(2026, 12, 23), date(2026, 12, 28), date(2026, 12, 29)]

    def test_new_years_eve_closed(self, berlin: ServiceCalendar, rules: SlotRules) -> None:
        now = utc(2026, 12, 28, 7)
        slots = find_slots(calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now, count=3)
        days = [berlin.local(s.start).date() for s in slots]
        assert date(2026, 12, 31) not in days and date(2027, 1, 1) not in days
        assert days[0] == date(2026, 12, 30)

    def test_berlin_womens_day_skipped(self, berlin: ServiceCalendar, rules: SlotRules) -> None:
        now = utc(2027, 3, 4, 7)  # Thursday; notice -> Saturday; Monday 8 March is a holiday
        slots = find_slots(calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now, count=1)
        assert berlin.local(slots[0].start).date() == date(2027, 3, 9)

    def test_bavarian_assumption_day_skipped(self, rules: SlotRules) -> None:
        hours = {d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
        cal = ServiceCalendar(
            service_hours=hours, holiday_state="BY", holiday_categories=("public", "catholic")
        )
        now = utc(2025, 8, 12, 6)  # Tuesday; notice -> Thursday 14 August
        slots = find_slots(calendar=cal, rules=rules, numbers=[ONE], busy=[], now=now, count=2)
        days = [cal.local(s.start).date() for s in slots]
        assert days == [date(2025, 8, 14), date(2025, 8, 18)]

    def test_dst_spring_keeps_local_time(self, berlin: ServiceCalendar, rules: SlotRules) -> None:
        """Slots on both sides of the last Sunday of March start at 08:00 local time."""
        now = utc(2026, 3, 24, 7)
        slots = find_slots(calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now, count=4)
        assert [berlin.local(s.start).hour for s in slots] == [8, 8, 8, 8]
        assert {s.start.hour for s in slots} == {7, 6}  # UTC moves, local time does not

    def test_dst_autumn_keeps_local_time(self, berlin: ServiceCalendar, rules: SlotRules) -> None:
        now = utc(2026, 10, 20, 6)
        slots = find_slots(calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now, count=4)
        assert [berlin.local(s.start).hour for s in slots] == [8, 8, 8, 8]
        assert {s.start.hour for s in slots} == {6, 7}

    def test_night_window_over_dst_change(self, rules: SlotRules) -> None:
        """02:30 does not exist on 29 March 2026 in Berlin: no slot starts then."""
        cal = ServiceCalendar(service_hours={"sun": ["01:00-05:00"]}, holiday_state=None)
        r = SlotRules(min_notice_hours=0, grid_minutes=30, duration_tiers=((1, 30),))
        slots = find_slots(
            calendar=cal, rules=r, numbers=[ONE], busy=[], now=utc(2026, 3, 28, 12), count=20
        )
        on_day = [
            cal.local(s.start) for s in slots if cal.local(s.start).date() == date(2026, 3, 29)
        ]
        assert on_day  # the day has slots
        assert all(not (2 <= d.hour < 3) for d in on_day)
        assert all(cal.within_service(s.start, s.end) for s in slots)

    def test_capacity_counts_overlap_not_identical_starts(self, berlin: ServiceCalendar) -> None:
        """Two bookings 08:00-09:00 and 08:30-09:30 fill capacity 2 from 08:30 to 09:00 only."""
        r = SlotRules(capacity=2, min_notice_hours=0, duration_tiers=((1, 30),))
        day = datetime(2026, 11, 24, tzinfo=berlin.tz)
        busy = [
            Busy(day.replace(hour=8), day.replace(hour=9)),
            Busy(day.replace(hour=8, minute=30), day.replace(hour=9, minute=30)),
        ]
        index = BusyIndex(busy)
        assert index.peak(day.replace(hour=8), day.replace(hour=8, minute=30)) == 1
        assert index.peak(day.replace(hour=8, minute=30), day.replace(hour=9)) == 2
        assert index.peak(day.replace(hour=9, minute=30), day.replace(hour=10)) == 0
        slots = find_slots(
            calendar=berlin, rules=r, numbers=[ONE], busy=busy, now=utc(2026, 11, 23, 22), count=1
        )
        assert berlin.local(slots[0].start).hour == 8 and berlin.local(slots[0].start).minute == 0

    def test_number_in_other_cutover_gets_no_slot(
        self, berlin: ServiceCalendar, rules: SlotRules
    ) -> None:
        """A number of the block already has an open hold of case 9: nothing is offered."""
        other = Busy(
            utc(2027, 1, 5, 8),
            utc(2027, 1, 5, 9),
            (NumberRange.single("+493012345642"),),
            9,
            "hold",
        )
        assert number_conflicts([BLOCK], [other]) == [other]
        assert (
            find_slots(
                calendar=berlin,
                rules=rules,
                numbers=[BLOCK],
                busy=[other],
                now=utc(2026, 11, 20, 8),
            )
            == []
        )
        # its own hold is no conflict
        assert find_slots(
            calendar=berlin,
            rules=rules,
            numbers=[BLOCK],
            busy=[other],
            now=utc(2026, 11, 20, 8),
            own_case=9,
        )

    def test_excluded_slots_not_offered_again(
        self, berlin: ServiceCalendar, rules: SlotRules
    ) -> None:
        now = utc(2026, 11, 20, 8)
        first = find_slots(calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now)
        second = find_slots(
            calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=now, exclude=first
        )
        assert not set(first) & set(second)
        assert len(second) == 3

    def test_fills_one_day_when_only_one_day_is_left(self, berlin: ServiceCalendar) -> None:
        """A horizon of 3 days leaves one working day: three non-overlapping slots on it."""
        r = SlotRules(min_notice_hours=0, horizon_days=1, duration_tiers=((1, 60),))
        slots = find_slots(
            calendar=berlin, rules=r, numbers=[ONE], busy=[], now=utc(2026, 11, 24, 6)
        )
        assert len(slots) == 3
        assert len({berlin.local(s.start).date() for s in slots}) == 1
        assert all(not a.overlaps(b) for a in slots for b in slots if a is not b)


class TestCheckSlot:
    def test_reports_every_problem(self, berlin: ServiceCalendar, rules: SlotRules) -> None:
        holiday = Slot(utc(2026, 12, 25, 9), utc(2026, 12, 25, 10))
        assert check_slot(holiday, calendar=berlin, rules=rules, numbers=[ONE], busy=[]) == [
            "holiday"
        ]
        closure = Slot(utc(2026, 12, 24, 9), utc(2026, 12, 24, 10))
        assert check_slot(closure, calendar=berlin, rules=rules, numbers=[ONE], busy=[]) == [
            "closure"
        ]
        late = Slot(utc(2026, 11, 24, 16), utc(2026, 11, 24, 17))  # 17:00-18:00 local
        assert check_slot(late, calendar=berlin, rules=rules, numbers=[ONE], busy=[]) == [
            "outside_service_hours"
        ]
        ok = Slot(utc(2026, 11, 24, 9), utc(2026, 11, 24, 10))
        assert check_slot(ok, calendar=berlin, rules=rules, numbers=[ONE], busy=[]) == []
        assert check_slot(
            ok, calendar=berlin, rules=rules, numbers=[ONE], busy=[], now=utc(2026, 11, 23, 9)
        ) == ["too_soon"]
        full = [Busy(ok.start, ok.end), Busy(ok.start, ok.end, (ONE,), 4)]
        assert check_slot(ok, calendar=berlin, rules=rules, numbers=[ONE], busy=full) == [
            "capacity",
            "number_conflict",
        ]


# ---- properties ----------------------------------------------------------------------

_numbers = st.integers(0, 40).map(lambda i: NumberRange.single(f"+4930555000{i:02d}"))


@st.composite
def _busy(draw: st.DrawFn, base: datetime) -> Busy:
    start = base + timedelta(minutes=30 * draw(st.integers(0, 2 * 24 * 30)))
    length = timedelta(minutes=30 * draw(st.integers(1, 8)))
    nums = tuple(draw(st.lists(_numbers, max_size=2)))
    return Busy(start, start + length, nums, draw(st.integers(100, 200)))


_NOW = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=60, deadline=None)
@given(
    now=_NOW,
    notice=st.integers(0, 96),
    horizon=st.integers(3, 40),
    capacity=st.integers(1, 3),
    count=st.integers(1, 5),
    case_numbers=st.lists(_numbers, min_size=1, max_size=3, unique=True),
    data=st.data(),
)
def test_every_slot_obeys_the_rules(
    berlin: ServiceCalendar,
    now: datetime,
    notice: int,
    horizon: int,
    capacity: int,
    count: int,
    case_numbers: list[NumberRange],
    data: st.DataObject,
) -> None:
    """Inside service hours on a working day, after notice, within horizon, within capacity."""
    rules = SlotRules(min_notice_hours=notice, horizon_days=horizon, capacity=capacity)
    busy = data.draw(st.lists(_busy(now), max_size=40))
    slots = find_slots(
        calendar=berlin, rules=rules, numbers=case_numbers, busy=busy, now=now, count=count
    )
    assert len(slots) <= count
    if number_conflicts(case_numbers, busy):
        assert slots == []  # a number is never in two open cutovers
        return
    index = BusyIndex(busy)
    for slot in slots:
        assert berlin.is_working_day(berlin.local_date(slot.start))
        assert berlin.within_service(slot.start, slot.end)
        assert slot.start >= now + timedelta(hours=notice)
        assert slot.end <= now + timedelta(days=horizon)
        assert index.peak(slot.start, slot.end) < capacity
    # holding all proposals together never exceeds capacity either
    held = BusyIndex([*busy, *(Busy(s.start, s.end) for s in slots)])
    for slot in slots:
        assert held.peak(slot.start, slot.end) <= capacity
    assert len({s.start for s in slots}) == len(slots)
