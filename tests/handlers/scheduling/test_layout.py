"""The slot's path runs one way: proposal -> answer -> booking -> notices.

A step imports only the shared modules and the steps after it, never an earlier step,
so following a booking never leads back to a module already passed. The one loop is
the domain's own: when no slot of a round can be booked, ``answer`` starts the next
round (``proposal.new_round``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[3] / "handlers" / "scheduling"
STEPS = ("proposal", "answer", "booking", "notices")


def _imports(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name.rsplit(".", 1)[-1] for name in found if name.startswith("handlers.scheduling")}


@pytest.mark.parametrize("step", STEPS)
def test_no_step_imports_an_earlier_one(step: str) -> None:
    earlier = set(STEPS[: STEPS.index(step)])
    allowed = {"proposal"} if step == "answer" else set()
    assert not (_imports(step) & earlier) - allowed


def test_the_shared_module_imports_no_step() -> None:
    assert not _imports("common") & set(STEPS)
