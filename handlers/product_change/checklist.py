"""The 15 portal steps of a Produktwechsel mit Neubestellung, marked by what the facts settle.

The steps follow the portal's product-change article (``docs/product_change.md``). This module decides only the state
and the note code of each step; the German step texts and notes live in the template
``product_change_note.de.j2`` (texts people read are never inline in code).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from handlers.product_change.rules import Outcome, Verdict

__all__ = ["STEP_KEYS", "Checklist", "Step", "StepState", "build_checklist"]

# Step number i+1 is STEP_KEYS[i]; the template maps keys to the article's wording.
STEP_KEYS = (
    "login",
    "select_customer",
    "open_contracts",
    "open_contract",
    "choose_product_change",
    "choose_target_group",
    "conditions_to_cart",
    "optional_articles",
    "open_cart",
    "create_offer",
    "send_offer",
    "customer_link",
    "customer_consent",
    "order_received",
    "order_confirmation",
)


class StepState(StrEnum):
    """How far the facts settle a step."""

    OPEN = "open"  # the agent does it as described
    SETTLED = "settled"  # the facts already decide how (the note says what)
    NOT_NEEDED = "not_needed"  # the facts make the step unnecessary
    BLOCKED = "blocked"  # cannot be done until the prerequisites are met


@dataclass(frozen=True)
class Step:
    """One portal step: its number, key, state and an optional note code."""

    number: int
    key: str
    state: StepState
    note: str = ""
    value: str = ""  # e.g. the target group or the fee the note names


@dataclass(frozen=True)
class Checklist:
    """The 15 steps in order."""

    steps: tuple[Step, ...]

    def settled(self) -> tuple[int, ...]:
        """Numbers of the steps the facts settle or make unnecessary."""
        return tuple(
            s.number for s in self.steps if s.state in (StepState.SETTLED, StepState.NOT_NEEDED)
        )

    def as_dict(self) -> list[dict[str, Any]]:
        return [
            {
                "number": s.number,
                "key": s.key,
                "state": s.state.value,
                "note": s.note,
                "value": s.value,
            }
            for s in self.steps
        ]


def build_checklist(verdict: Verdict) -> Checklist:
    """Mark the portal steps that the verdict and its facts already settle."""
    facts = verdict.facts
    marks: dict[str, Step] = {}

    def mark(key: str, state: StepState, note: str = "", value: str = "") -> None:
        marks[key] = Step(STEP_KEYS.index(key) + 1, key, state, note, value)

    if verdict.outcome is Outcome.BLOCKED:
        mark("choose_product_change", StepState.BLOCKED, "prerequisites")
    elif verdict.outcome is Outcome.NEEDS_INFO:
        mark("choose_product_change", StepState.BLOCKED, "needs_info")

    if facts.target_group is not None:
        mark("choose_target_group", StepState.SETTLED, "target_group", facts.target_group.value)

    if facts.customer_admin is True:
        mark("select_customer", StepState.SETTLED, "customer_admin_active")
    elif facts.customer_admin is False:
        mark("select_customer", StepState.BLOCKED, "customer_admin_inactive")

    if verdict.approval_request:
        mark("conditions_to_cart", StepState.SETTLED, "approval_request", verdict.fee or "")
        mark("order_received", StepState.SETTLED, "after_approval")
    elif verdict.term_end is not None:
        mark("conditions_to_cart", StepState.SETTLED, "no_approval")

    if verdict.leased_line and "order_received" not in marks:
        mark("order_received", StepState.SETTLED, "leased_line_check")

    if facts.sales_partner_poa is True:
        # The process names step 10 only as optional with the sales-partner power of
        # attorney; steps 11-13 stay as they are.
        mark("create_offer", StepState.NOT_NEEDED, "poa")
    elif facts.sales_partner_poa is False:
        mark("create_offer", StepState.SETTLED, "offer_required")
    else:
        mark("create_offer", StepState.OPEN, "poa_unknown")

    steps = tuple(
        marks.get(key, Step(i + 1, key, StepState.OPEN)) for i, key in enumerate(STEP_KEYS)
    )
    return Checklist(steps)
