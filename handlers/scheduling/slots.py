"""Free cutover slots: service hours minus busy time, within notice, horizon and capacity.

Slots are generated in local wall-clock time on the slot grid and converted to UTC, so a
10:00 slot stays 10:00 across DST changes. Capacity counts *overlapping* bookings and
holds (cal.com's rule), not identical start times. A case whose numbers are already in
another open booking or hold gets no slot at all: a number cannot be in two cutovers.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from config.errors import ConfigError
from config.settings import SchedulingSettings
from handlers.scheduling.calendar import ServiceCalendar
from parsers.model import NumberRange

__all__ = [
    "Busy",
    "BusyIndex",
    "Slot",
    "SlotRules",
    "check_slot",
    "cutover_minutes",
    "find_slots",
    "no_slot_reason",
    "number_conflicts",
    "operations",
    "tiers_from",
]


@dataclass(frozen=True, order=True)
class Slot:
    """A cutover window as UTC instants, [start, end)."""

    start: datetime
    end: datetime

    def overlaps(self, other: Slot | Busy) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Busy:
    """An open booking or hold: it takes capacity and locks its numbers."""

    start: datetime
    end: datetime
    numbers: tuple[NumberRange, ...] = ()
    case_id: int | None = None
    kind: str = "booking"  # "booking" or "hold"


@dataclass(frozen=True)
class SlotRules:
    """The numeric rules of slot search (see ``[scheduling]`` in the settings)."""

    min_notice_hours: int = 48
    horizon_days: int = 60
    # (max operations, minutes), ascending: a single number or a whole block is one operation
    duration_tiers: tuple[tuple[int, int], ...] = ((1, 60), (10, 90), (50, 120), (200, 240))
    grid_minutes: int = 30
    capacity: int = 2
    slot_count: int = 3

    @classmethod
    def from_settings(cls, s: SchedulingSettings) -> SlotRules:
        return cls(
            min_notice_hours=s.min_notice_hours,
            horizon_days=s.horizon_days,
            duration_tiers=tiers_from(s.duration_tiers),
            grid_minutes=s.grid_minutes,
            capacity=s.capacity,
            slot_count=s.slot_count,
        )

    def earliest(self, now: datetime) -> datetime:
        return now + timedelta(hours=self.min_notice_hours)

    def latest(self, now: datetime) -> datetime:
        """Slots must end by this instant."""
        return now + timedelta(days=self.horizon_days)


def tiers_from(raw: Sequence[Sequence[int]]) -> tuple[tuple[int, int], ...]:
    """``[[max_operations, minutes], ...]`` from the settings, checked and sorted."""
    tiers: list[tuple[int, int]] = []
    for entry in raw:
        if len(entry) != 2 or int(entry[0]) < 1 or int(entry[1]) < 1:
            raise ConfigError(
                f"scheduling.duration_tiers entry {list(entry)!r} is not [max_operations, minutes]"
                " with both at least 1."
            )
        tiers.append((int(entry[0]), int(entry[1])))
    if not tiers:
        raise ConfigError("scheduling.duration_tiers is empty; give at least one [max, minutes].")
    return tuple(sorted(tiers))


def operations(numbers: Sequence[NumberRange]) -> int:
    """The platform's operations of a cutover: each single number and each block is one."""
    return len(numbers)


def cutover_minutes(operation_count: int, rules: SlotRules) -> int | None:
    """The duration of a cutover from the configured tiers, rounded UP to the slot grid.

    None when the count exceeds the largest tier: no configured duration covers it.
    """
    grid = max(rules.grid_minutes, 1)
    for limit, minutes in rules.duration_tiers:
        if max(operation_count, 1) <= limit:
            return max(grid, math.ceil(minutes / grid) * grid)
    return None


def no_slot_reason(
    calendar: ServiceCalendar,
    rules: SlotRules,
    numbers: Sequence[NumberRange],
    busy: Sequence[Busy],
    now: datetime,
    *,
    own_case: int | None = None,
) -> tuple[str, str]:
    """Why :func:`find_slots` found nothing: (code, detail for the agent's note).

    Codes: number_conflict, too_many_operations, longer_than_service_day,
    no_working_day, capacity.
    """
    others = [b for b in busy if own_case is None or b.case_id != own_case]
    if number_conflicts(numbers, others):
        return "number_conflict", ""
    minutes = cutover_minutes(operations(numbers), rules)
    if minutes is None:
        largest = rules.duration_tiers[-1][0]
        return "too_many_operations", f"{operations(numbers)} > {largest}"
    day = calendar.local_date(rules.earliest(now))
    last = calendar.local_date(rules.latest(now))
    longest = timedelta(0)
    working = False
    while day <= last:
        for start, end in calendar.local_windows(day):
            working = True
            longest = max(longest, end.astimezone(UTC) - start.astimezone(UTC))
        day += timedelta(days=1)
    if not working:
        return "no_working_day", ""
    if timedelta(minutes=minutes) > longest:
        return "longer_than_service_day", f"{minutes} > {int(longest.total_seconds() // 60)}"
    return "capacity", ""


def number_conflicts(
    numbers: Sequence[NumberRange], busy: Iterable[Busy], *, own_case: int | None = None
) -> list[Busy]:
    """Open bookings/holds of other cases that share a number with ``numbers``."""
    return [
        b
        for b in busy
        if (own_case is None or b.case_id != own_case)
        and any(n.overlaps(m) for n in numbers for m in b.numbers)
    ]


class BusyIndex:
    """Busy intervals sorted by start, answering 'how many overlap at most in [s, e)'."""

    def __init__(self, busy: Iterable[Busy]) -> None:
        self.items = sorted(busy, key=lambda b: (b.start, b.end))
        self.starts = [b.start for b in self.items]
        self.max_len = max((b.end - b.start for b in self.items), default=timedelta(0))

    def overlapping(self, start: datetime, end: datetime) -> list[Busy]:
        """Intervals with b.start < end and b.end > start."""
        lo = bisect_left(self.starts, start - self.max_len)
        hi = bisect_left(self.starts, end)
        return [b for b in self.items[lo:hi] if b.end > start]

    def peak(self, start: datetime, end: datetime, *, extra: Iterable[Slot] = ()) -> int:
        """The largest number of intervals that overlap one instant of [start, end)."""
        events: list[tuple[datetime, int]] = []
        spans: list[Busy | Slot] = [*self.overlapping(start, end), *extra]
        for b in spans:
            if b.start < end and b.end > start:
                events.append((max(b.start, start), 1))
                events.append((min(b.end, end), -1))
        # ends sort before starts at the same instant: back-to-back intervals do not overlap
        events.sort(key=lambda ev: (ev[0], ev[1]))
        level = peak = 0
        for _, delta in events:
            level += delta
            peak = max(peak, level)
        return peak


def _day_candidates(
    calendar: ServiceCalendar, day_start: datetime, duration: timedelta, grid: timedelta
) -> list[Slot]:
    """Grid-aligned slots inside the day's windows, walking local wall-clock time."""
    out: list[Slot] = []
    for local_start, local_end in calendar.local_windows(day_start.date()):
        wall = local_start
        window_end = local_end.astimezone(UTC)
        while wall < local_end:
            start = wall.astimezone(UTC)
            # a wall time skipped by DST does not round-trip; it is no real instant
            if start.astimezone(calendar.tz).replace(tzinfo=None) == wall.replace(tzinfo=None):
                end = start + duration
                if end > window_end:
                    break
                out.append(Slot(start, end))
            wall = wall + grid  # aware + timedelta keeps wall-clock arithmetic in zoneinfo
    return out


def find_slots(
    *,
    calendar: ServiceCalendar,
    rules: SlotRules,
    numbers: Sequence[NumberRange],
    busy: Sequence[Busy],
    now: datetime,
    after: datetime | None = None,
    count: int | None = None,
    exclude: Iterable[Slot] = (),
    own_case: int | None = None,
) -> list[Slot]:
    """The next ``count`` free slots for a cutover of ``numbers``, one per day where possible.

    ``busy`` holds every open booking and hold; those of ``own_case`` are ignored (a new
    round replaces the case's own holds). ``exclude`` are slots a partner refused.
    Returns [] when a number is already in another open cutover.
    """
    wanted = rules.slot_count if count is None else count
    others = [b for b in busy if own_case is None or b.case_id != own_case]
    if wanted <= 0 or number_conflicts(numbers, others):
        return []
    minutes = cutover_minutes(operations(numbers), rules)
    if minutes is None:
        return []
    duration = timedelta(minutes=minutes)
    grid = timedelta(minutes=max(rules.grid_minutes, 1))
    earliest = max(rules.earliest(now), after or rules.earliest(now))
    latest = rules.latest(now)
    refused = {(s.start, s.end) for s in exclude}
    refused_starts = {s.start for s in exclude}
    index = BusyIndex(others)

    chosen: list[Slot] = []
    spare: list[Slot] = []  # free slots on days that already gave one; used if days run out
    day = calendar.local_date(earliest)
    last_day = calendar.local_date(latest)
    while day <= last_day and len(chosen) < wanted:
        first_of_day = True
        start_of_day = datetime.combine(day, datetime.min.time())
        for slot in _day_candidates(calendar, start_of_day, duration, grid):
            if slot.start < earliest or slot.end > latest:
                continue
            if (slot.start, slot.end) in refused or slot.start in refused_starts:
                continue
            if index.peak(slot.start, slot.end) >= rules.capacity:
                continue
            if first_of_day:
                chosen.append(slot)
                first_of_day = False
            else:
                spare.append(slot)
        day += timedelta(days=1)
    if len(chosen) < wanted:
        for slot in spare:
            if len(chosen) >= wanted:
                break
            # a case's own proposals are held together: they must not squeeze each other out
            if index.peak(slot.start, slot.end, extra=chosen) < rules.capacity and not any(
                slot.overlaps(c) for c in chosen
            ):
                chosen.append(slot)
    return sorted(chosen)


def check_slot(
    slot: Slot,
    *,
    calendar: ServiceCalendar,
    rules: SlotRules,
    numbers: Sequence[NumberRange],
    busy: Sequence[Busy],
    now: datetime | None = None,
    own_case: int | None = None,
) -> list[str]:
    """Why ``slot`` cannot be booked (empty when it can).

    Codes: "outside_service_hours", "holiday", "closure", "no_service_day",
    "too_soon", "beyond_horizon", "capacity", "number_conflict". ``now`` None skips the
    notice and horizon checks (an agent may set a date by hand at short notice).
    """
    problems: list[str] = []
    day = calendar.local_date(slot.start)
    reason = calendar.closed_reason(day)
    if reason == "no service hours":
        problems.append("no_service_day")
    elif reason and reason.startswith("holiday"):
        problems.append("holiday")
    elif reason == "closure":
        problems.append("closure")
    elif not calendar.within_service(slot.start, slot.end):
        problems.append("outside_service_hours")
    if now is not None:
        if slot.start < rules.earliest(now):
            problems.append("too_soon")
        if slot.end > rules.latest(now):
            problems.append("beyond_horizon")
    others = [b for b in busy if own_case is None or b.case_id != own_case]
    if BusyIndex(others).peak(slot.start, slot.end) >= rules.capacity:
        problems.append("capacity")
    if number_conflicts(numbers, others):
        problems.append("number_conflict")
    return problems
