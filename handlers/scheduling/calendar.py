"""The service calendar: when support works, in local wall-clock time, and when it does not.

Windows are configured per weekday as ``"HH:MM-HH:MM"`` in the service time zone
(Europe/Berlin by default). Public holidays come from ``holidays.Germany`` for the
configured state and categories; closures are extra days off (``"YYYY-MM-DD"`` once or
``"MM-DD"`` every year, 24 and 31 December by default).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from config.errors import ConfigError
from config.settings import SchedulingSettings

__all__ = ["WEEKDAYS", "ServiceCalendar", "calendar_from_settings", "parse_window"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

Window = tuple[time, time]


def parse_window(text: str) -> Window:
    """``"08:00-17:00"`` -> (08:00, 17:00); raises ConfigError for anything else."""
    try:
        left, right = (part.strip() for part in text.split("-"))
        start = time.fromisoformat(left)
        end = time.fromisoformat(right)
    except ValueError:
        raise ConfigError(
            f"The service-hours window {text!r} is not of the form HH:MM-HH:MM; fix scheduling.service_hours."
        ) from None
    if end <= start:
        raise ConfigError(
            f"The service-hours window {text!r} ends before it starts; fix scheduling.service_hours."
        )
    return start, end


def _parse_closures(closures: Iterable[str]) -> tuple[frozenset[date], frozenset[tuple[int, int]]]:
    once: set[date] = set()
    yearly: set[tuple[int, int]] = set()
    for raw in closures:
        text = raw.strip()
        try:
            if len(text) == 5:  # MM-DD
                month, day = (int(p) for p in text.split("-"))
                date(2024, month, day)  # validates, leap year allows 02-29
                yearly.add((month, day))
            else:
                once.add(date.fromisoformat(text))
        except ValueError:
            raise ConfigError(
                f"The closure {raw!r} is neither YYYY-MM-DD nor MM-DD; fix scheduling.closures."
            ) from None
    return frozenset(once), frozenset(yearly)


class ServiceCalendar:
    """Working days and service windows in one time zone; answers in aware datetimes."""

    def __init__(
        self,
        *,
        timezone: str = "Europe/Berlin",
        service_hours: Mapping[str, Sequence[str]],
        holiday_state: str | None = "BE",
        holiday_categories: Sequence[str] = ("public",),
        closures: Iterable[str] = (),
    ) -> None:
        try:
            self.tz = ZoneInfo(timezone)
        except (KeyError, ValueError):
            raise ConfigError(
                f"The time zone {timezone!r} is unknown; fix scheduling.timezone."
            ) from None
        unknown = set(service_hours) - set(WEEKDAYS)
        if unknown:
            raise ConfigError(
                f"scheduling.service_hours names unknown weekdays {sorted(unknown)}; use mon..sun."
            )
        self.windows: dict[int, tuple[Window, ...]] = {
            WEEKDAYS.index(day): tuple(sorted(parse_window(w) for w in wins))
            for day, wins in service_hours.items()
            if wins
        }
        self.closures_once, self.closures_yearly = _parse_closures(closures)
        # holidays expands years lazily on lookup, so one object serves every year.
        self._holidays = holidays.Germany(  # type: ignore[attr-defined]
            subdiv=holiday_state or None,
            categories=tuple(holiday_categories),
            language="de",
        )

    def holiday_name(self, day: date) -> str | None:
        """The public holiday's German name, or None."""
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_closed(self, day: date) -> bool:
        """A configured closure day (not a public holiday)."""
        return day in self.closures_once or (day.month, day.day) in self.closures_yearly

    def is_working_day(self, day: date) -> bool:
        """Service windows exist, and the day is neither a holiday nor a closure."""
        return (
            day.weekday() in self.windows
            and self.holiday_name(day) is None
            and not self.is_closed(day)
        )

    def closed_reason(self, day: date) -> str | None:
        """Why no service happens on ``day`` ("holiday: ...", "closure", "no service hours"), or None."""
        if day.weekday() not in self.windows:
            return "no service hours"
        name = self.holiday_name(day)
        if name:
            return f"holiday: {name}"
        if self.is_closed(day):
            return "closure"
        return None

    def local_windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's service windows as aware local datetimes (empty on a day off)."""
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, start, self.tz), datetime.combine(day, end, self.tz))
            for start, end in self.windows[day.weekday()]
        ]

    def utc_windows(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's service windows in UTC (real instants, correct on DST days)."""
        return [(s.astimezone(UTC), e.astimezone(UTC)) for s, e in self.local_windows(day)]

    def within_service(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies inside one service window of a working day."""
        day = start.astimezone(self.tz).date()
        return any(ws <= start and end <= we for ws, we in self.utc_windows(day))

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the service time zone."""
        return moment.astimezone(self.tz)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        probe = day - timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(probe):
                return probe
            probe -= timedelta(days=1)
        raise ConfigError("No working day within a year; check scheduling.service_hours.")


def calendar_from_settings(settings: SchedulingSettings) -> ServiceCalendar:
    """Build the calendar from the ``[scheduling]`` settings section."""
    return ServiceCalendar(
        timezone=settings.timezone,
        service_hours=settings.service_hours,
        holiday_state=settings.holiday_state,
        holiday_categories=settings.holiday_categories,
        closures=settings.closures,
    )
