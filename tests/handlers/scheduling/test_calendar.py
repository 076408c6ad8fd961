from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from config.errors import ConfigError
from handlers.scheduling.calendar import ServiceCalendar, parse_window


class TestParseWindow:
    def test_parses(self) -> None:
        """A window is two HH:MM times."""
        assert parse_window("08:00-17:30") == (time(8), time(17, 30))

    @pytest.mark.parametrize("text", ["8-17", "17:00-08:00", "08:00", "ab:cd-ef:gh"])
    def test_refuses_bad_windows(self, text: str) -> None:
        """Malformed or reversed windows are configuration errors."""
        with pytest.raises(ConfigError):
            parse_window(text)


class TestWorkingDays:
    def test_berlin_womens_day(self, berlin: ServiceCalendar) -> None:
        """8 March is a holiday in Berlin (2027-03-08 is a Monday)."""
        assert berlin.holiday_name(date(2027, 3, 8)) == "Frauentag"
        assert not berlin.is_working_day(date(2027, 3, 8))
        assert berlin.is_working_day(date(2027, 3, 9))

    def test_womens_day_is_no_holiday_in_bavaria(self) -> None:
        """The state decides: 8 March is a working day in Bavaria."""
        cal = ServiceCalendar(service_hours={"mon": ["08:00-17:00"]}, holiday_state="BY")
        assert cal.is_working_day(date(2027, 3, 8))

    def test_bavaria_assumption_needs_catholic_category(self) -> None:
        """15 August is a holiday in Bavaria only with the catholic category."""
        hours = {"mon": ["08:00-17:00"], "fri": ["08:00-15:00"], "sat": ["08:00-12:00"]}
        public = ServiceCalendar(service_hours=hours, holiday_state="BY")
        catholic = ServiceCalendar(
            service_hours=hours, holiday_state="BY", holiday_categories=("public", "catholic")
        )
        day = date(2025, 8, 15)  # a Friday
        assert public.is_working_day(day)
        assert not catholic.is_working_day(day)
        assert catholic.holiday_name(day) == "Mariä Himmelfahrt"

    def test_closures_yearly_and_once(self) -> None:
        """'MM-DD' closes every year, 'YYYY-MM-DD' one day."""
        cal = ServiceCalendar(
            service_hours={d: ["08:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
            closures=["12-24", "12-31", "2026-11-27"],
        )
        assert not cal.is_working_day(date(2026, 12, 24))
        assert not cal.is_working_day(date(2027, 12, 24))
        assert not cal.is_working_day(date(2026, 12, 31))
        assert not cal.is_working_day(date(2026, 11, 27))
        assert cal.is_working_day(date(2027, 11, 26))
        assert cal.closed_reason(date(2026, 12, 24)) == "closure"

    def test_bad_closure(self) -> None:
        with pytest.raises(ConfigError):
            ServiceCalendar(service_hours={}, closures=["24.12."])

    def test_weekend_and_unknown_weekday(self, berlin: ServiceCalendar) -> None:
        assert berlin.closed_reason(date(2026, 11, 21)) == "no service hours"
        with pytest.raises(ConfigError):
            ServiceCalendar(service_hours={"monday": ["08:00-17:00"]})

    def test_previous_working_day_skips_weekend_and_holidays(self, berlin: ServiceCalendar) -> None:
        """Before Tuesday 29 Dec 2026 comes Monday 28; before Monday 4 Jan 2027 comes 30 Dec."""
        assert berlin.previous_working_day(date(2026, 12, 29)) == date(2026, 12, 28)
        assert berlin.previous_working_day(date(2027, 1, 4)) == date(2026, 12, 30)


class TestDst:
    def test_windows_keep_wall_clock_across_spring_change(self, berlin: ServiceCalendar) -> None:
        """08:00 Berlin is 07:00 UTC before the last Sunday of March 2026 and 06:00 after."""
        assert berlin.utc_windows(date(2026, 3, 27))[0][0] == datetime(2026, 3, 27, 7, tzinfo=UTC)
        assert berlin.utc_windows(date(2026, 3, 30))[0][0] == datetime(2026, 3, 30, 6, tzinfo=UTC)

    def test_windows_keep_wall_clock_across_autumn_change(self, berlin: ServiceCalendar) -> None:
        assert berlin.utc_windows(date(2026, 10, 23))[0][0] == datetime(2026, 10, 23, 6, tzinfo=UTC)
        assert berlin.utc_windows(date(2026, 10, 26))[0][0] == datetime(2026, 10, 26, 7, tzinfo=UTC)

    def test_window_on_the_change_day_has_real_length(self) -> None:
        """A 00:00-06:00 window on 29 March 2026 lasts five real hours."""
        cal = ServiceCalendar(service_hours={"sun": ["00:00-06:00"]}, holiday_state=None)
        ((start, end),) = cal.utc_windows(date(2026, 3, 29))
        assert (end - start).total_seconds() == 5 * 3600
        ((start, end),) = cal.utc_windows(date(2026, 10, 25))
        assert (end - start).total_seconds() == 7 * 3600
