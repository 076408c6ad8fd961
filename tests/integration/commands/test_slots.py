from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.errors import UsageError
from config.settings import Settings, load_settings
from handlers.scheduling.slots import Slot
from integration.commands import slots as command
from integration.store.engine import engine_for_settings
from integration.store.migrate import upgrade
from integration.store.scheduling import SchedulingRepo
from parsers.model import NumberRange

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)  # Friday 10:00 Berlin


def _settings(tmp_path: Path) -> Settings:
    return load_settings(
        env={"PARTNERDESK_DATA_DIR": str(tmp_path)}, overrides={"scheduling": {"capacity": 1}}
    )


def _args(**kw: object) -> argparse.Namespace:
    return argparse.Namespace(**{"numbers": 1, "after": None, "count": None, **kw})


def test_prints_slots_around_existing_bookings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A booking at Tuesday 08:00-09:00 (capacity 1) moves Tuesday's first slot to 09:00."""
    settings = _settings(tmp_path)
    engine = engine_for_settings(settings)
    upgrade(engine)
    repo = SchedulingRepo(engine)
    record, _ = repo.create(
        ticket_b=1, partner_a=None, numbers=[NumberRange.single("+493011111111")], now=NOW
    )
    taken = Slot(datetime(2026, 11, 24, 7, tzinfo=UTC), datetime(2026, 11, 24, 8, tzinfo=UTC))
    repo.book(record.id, taken, checker=lambda busy: [], now=NOW)
    engine.dispose()
    assert command.run(_args(numbers=30, after="2026-11-24"), settings, now=NOW) == 0
    out = capsys.readouterr().out
    assert "a cutover of 30 operations takes 120 minutes" in out  # the 11..50 tier
    lines = [line for line in out.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert lines[0].startswith("1. Dienstag, 24.11.2026, 09:00 Uhr")
    assert lines[1].startswith("2. Mittwoch, 25.11.2026, 08:00 Uhr")
    assert len(lines) == 3


def test_count_and_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = _settings(tmp_path)
    assert command.run(_args(count=1), settings, now=NOW) == 0
    assert "2." not in capsys.readouterr().out
    with pytest.raises(UsageError):
        command.run(_args(numbers=0), settings, now=NOW)
    with pytest.raises(UsageError):
        command.run(_args(after="morgen"), settings, now=NOW)


def test_proposal_lines_for_demo(tmp_path: Path) -> None:
    lines = command.proposal_lines(
        _settings(tmp_path), [NumberRange("+493012345600", "+493012345609")], now=NOW
    )
    assert lines[0] == "1. Montag, 23.11.2026, 08:00 Uhr – 09:00 Uhr"
    assert len(lines) == 3
