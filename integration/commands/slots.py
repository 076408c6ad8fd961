"""``partnerdesk slots``: the next free cutover slots, from the bookings and holds in the store.

``--numbers`` is how many operations move: each single number and each whole block counts
one (it sets the cutover's duration from ``duration_tiers``);
``--after`` (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time) moves the search start.
The schema is brought up to date first, so this works on a fresh data directory.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from config.errors import UsageError
from config.settings import Settings
from handlers.messages.filters import de_datetime
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.slots import Busy, SlotRules, cutover_minutes, find_slots
from integration.store.engine import engine_for_settings
from integration.store.migrate import upgrade
from integration.store.scheduling import SchedulingRepo
from parsers.model import NumberRange

__all__ = ["HELP", "add_arguments", "proposal_lines", "run"]

HELP = "print the next free cutover slots"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--numbers",
        type=int,
        required=True,
        metavar="N",
        help="how many operations move (a single number or a whole block is one)",
    )
    parser.add_argument(
        "--after", default=None, metavar="DATE", help="earliest start, local (YYYY-MM-DD[THH:MM])"
    )
    parser.add_argument(
        "--count",
        type=int,
        default=None,
        metavar="K",
        help="how many slots (default: scheduling.slot_count)",
    )


def run(args: argparse.Namespace, settings: Settings, *, now: datetime | None = None) -> int:
    if args.numbers < 1:
        raise UsageError("--numbers must be at least 1.")
    if args.count is not None and args.count < 1:
        raise UsageError("--count must be at least 1.")
    cal = calendar_from_settings(settings.scheduling)
    after = None
    if args.after:
        try:
            after = datetime.fromisoformat(args.after).replace(tzinfo=cal.tz)
        except ValueError:
            raise UsageError(
                f"--after {args.after!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM."
            ) from None
    moment = now or datetime.now(UTC)
    engine = engine_for_settings(settings)
    try:
        upgrade(engine)
        busy = SchedulingRepo(engine).busy(moment)
    finally:
        engine.dispose()
    rules = SlotRules.from_settings(settings.scheduling)
    # the count only sets the duration: placeholder numbers conflict with nothing
    placeholders = [NumberRange.from_ints(i, i, 15) for i in range(args.numbers)]
    slots = find_slots(
        calendar=cal,
        rules=rules,
        numbers=placeholders,
        busy=[b for b in busy if b.kind != "case"],
        now=moment,
        after=after,
        count=args.count,
    )
    minutes = cutover_minutes(args.numbers, rules)
    if minutes is None:
        print(f"{args.numbers} operations exceed the largest scheduling.duration_tiers entry")
        return 1
    print(
        f"{len(busy)} open bookings/holds; a cutover of {args.numbers} operations takes"
        f" {minutes} minutes"
    )
    if not slots:
        print("no free slot within the horizon")
        return 1
    for i, slot in enumerate(slots, start=1):
        start, end = cal.local(slot.start), cal.local(slot.end)
        print(f"{i}. {de_datetime(start)} – {end:%H:%M} Uhr ({start.isoformat()})")
    return 0


def proposal_lines(
    settings: Settings, numbers: list[NumberRange], *, now: datetime, busy: list[Busy] | None = None
) -> list[str]:
    """The slots a case with ``numbers`` would be offered now, as printable lines (``make demo``)."""
    cal = calendar_from_settings(settings.scheduling)
    rules = SlotRules.from_settings(settings.scheduling)
    slots = find_slots(calendar=cal, rules=rules, numbers=numbers, busy=busy or [], now=now)
    if not slots:
        return ["no free cutover slot within the horizon"]
    return [
        f"{i}. {de_datetime(cal.local(s.start))} – {cal.local(s.end):%H:%M} Uhr"
        for i, s in enumerate(slots, start=1)
    ]
