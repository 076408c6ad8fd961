"""Agents' overrides and the app action log, on SQLite and PostgreSQL (revision 0003)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.relocation.decision import Override
from integration.store import Store
from integration.store.overrides import OverrideRepo
from parsers.model import NumberRange

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
A = NumberRange.single("+49301111111")
BLOCK = NumberRange("+493022222200", "+493022222299")


def test_overrides_round_trip_in_order(store: Store) -> None:
    """Stored overrides come back oldest first, per ticket, exactly as given."""
    repo = OverrideRepo(store)
    first = Override(BLOCK, "approve", "Bestätigung per Post", 42, True)
    second = Override(A, "reject", "Kunde zieht zurück", None)
    repo.add(7, first, now=NOW)
    repo.add(7, second, now=NOW + timedelta(minutes=1))
    repo.add(8, Override(A, "approve", "anderes Ticket", 1), now=NOW)
    assert repo.overrides(7) == [first, second]
    entries = repo.entries(7)
    assert [e.created_at for e in entries] == [NOW, NOW + timedelta(minutes=1)]
    assert entries[0].range.count == 100
    # the hook the relocation handler calls
    assert store.app_overrides(7) == [first, second]
    assert store.app_overrides(99) == []


def test_action_log(store: Store) -> None:
    """Every app action is logged with agent, outcome and codes."""
    repo = OverrideRepo(store)
    repo.log(
        7, agent_id=42, action="override", outcome="refused", detail={"code": "no_reason"}, now=NOW
    )
    repo.log(7, agent_id=42, action="reevaluate", outcome="done", detail={}, now=NOW)
    assert [(a["action"], a["outcome"], a["detail"]) for a in repo.actions(7)] == [
        ("override", "refused", {"code": "no_reason"}),
        ("reevaluate", "done", {}),
    ]
    assert repo.actions(8) == []
