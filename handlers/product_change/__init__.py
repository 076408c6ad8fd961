"""Produktwechsel mit Neubestellung: contract facts → verdict → checklist → internal note.

For a one-off verdict (demo, scripts)::

    facts = facts_from_values({"status": "active", "contract_start": "2025-03-31", ...})
    verdict = evaluate(facts, today=local_today(now), settings=settings.product_change)
    text = render_note(verdict, build_checklist(verdict))

The ticket side lives in :mod:`handlers.product_change.router` (imported separately so
the pure parts stay free of logging and store concerns).
"""

from __future__ import annotations

from handlers.product_change.checklist import Checklist, build_checklist
from handlers.product_change.facts import (
    ContractFacts,
    ContractStatus,
    MissingFacts,
    ProductGroup,
    facts_from_values,
)
from handlers.product_change.note import render_note
from handlers.product_change.rules import Outcome, Verdict, evaluate, local_today

__all__ = [
    "Checklist",
    "ContractFacts",
    "ContractStatus",
    "MissingFacts",
    "Outcome",
    "ProductGroup",
    "Verdict",
    "build_checklist",
    "evaluate",
    "facts_from_values",
    "local_today",
    "render_note",
]
