"""Benchmark: the next K free slots with 10,000 existing bookings over a 60-day horizon."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime, timedelta

from config.settings import load_settings
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.slots import Busy, SlotRules, find_slots
from parsers.model import NumberRange

BOOKINGS = 10_000
HORIZON_DAYS = 60
REPEATS = 5


def run() -> list[str]:
    settings = load_settings(env={}).scheduling
    calendar = calendar_from_settings(settings)
    now = datetime(2026, 11, 2, 7, tzinfo=UTC)
    rng = random.Random(4)
    # a busy team: capacity 200 so 10,000 bookings still leave room to find slots
    rules = SlotRules.from_settings(settings)
    rules = SlotRules(**{**rules.__dict__, "capacity": 200, "horizon_days": HORIZON_DAYS})
    busy = []
    for i in range(BOOKINGS):
        start = now + timedelta(minutes=30 * rng.randrange(0, HORIZON_DAYS * 48))
        nums = (NumberRange.single(f"+4969{7_000_000 + i:07d}"),)
        busy.append(Busy(start, start + timedelta(minutes=30 * rng.randint(1, 6)), nums, i))
    numbers = [NumberRange("+493012345600", "+493012345699")]
    timings = []
    slots = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        slots = find_slots(
            calendar=calendar, rules=rules, numbers=numbers, busy=busy, now=now, count=3
        )
        timings.append(time.perf_counter() - t0)
    # worst case: capacity 1 leaves no free slot, so every candidate of 60 days is examined
    full = SlotRules(**{**rules.__dict__, "capacity": 1})
    t0 = time.perf_counter()
    none = find_slots(calendar=calendar, rules=full, numbers=numbers, busy=busy, now=now, count=3)
    exhaustive = time.perf_counter() - t0
    return [
        f"slots: {len(slots)} of 3 slots among {BOOKINGS} bookings / {HORIZON_DAYS} days: "
        f"best {min(timings) * 1000:.1f} ms, median {sorted(timings)[REPEATS // 2] * 1000:.1f} ms",
        f"slots: full scan of {HORIZON_DAYS} days (no free slot, {len(none)} found): "
        f"{exhaustive * 1000:.1f} ms",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
