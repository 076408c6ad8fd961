"""Tests for handlers.product_change.checklist: which of the 15 steps the facts settle."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from config.settings import ProductChangeSettings
from handlers.product_change.checklist import STEP_KEYS, StepState, build_checklist
from handlers.product_change.facts import ContractFacts, ContractStatus, ProductGroup
from handlers.product_change.rules import evaluate

BASE = ContractFacts(
    status=ContractStatus.ACTIVE,
    customer_admin=True,
    open_order=False,
    open_cart=False,
    contract_start=date(2025, 3, 31),
    term_months=24,
    current_group=ProductGroup.SDSL,
    target_group=ProductGroup.VDSL,
    leased_line_move=False,
)


def steps(
    today: date = date(2026, 1, 10), **changes: object
) -> dict[int, tuple[StepState, str, str]]:
    verdict = evaluate(replace(BASE, **changes), today=today, settings=ProductChangeSettings())
    return {s.number: (s.state, s.note, s.value) for s in build_checklist(verdict).steps}


class TestBuildChecklist:
    """build_checklist marks steps from the verdict and its facts."""

    def test_fifteen_steps_in_order(self) -> None:
        """Always the 15 portal steps, numbered 1..15."""
        verdict = evaluate(
            ContractFacts(), today=date(2026, 1, 10), settings=ProductChangeSettings()
        )
        checklist = build_checklist(verdict)
        assert [s.number for s in checklist.steps] == list(range(1, 16))
        assert [s.key for s in checklist.steps] == list(STEP_KEYS)

    def test_within_term_step_7_approval(self) -> None:
        """Within the minimum term step 7 says: approval request into the cart, with the fee.

        No amount is configured by default: the value is empty and the note reads
        "laut Preisliste"."""
        s = steps()
        assert s[7] == (StepState.SETTLED, "approval_request", "")
        assert s[14][1] == "after_approval"

    def test_after_term_step_7_no_approval(self) -> None:
        """After the minimum term step 7 needs no approval."""
        s = steps(date(2027, 3, 31))
        assert s[7] == (StepState.SETTLED, "no_approval", "")
        assert s[14][0] is StepState.OPEN

    def test_target_group_settles_step_6(self) -> None:
        """A known target group settles step 6; an unknown one leaves it open."""
        assert steps()[6] == (StepState.SETTLED, "target_group", "VDSL")
        assert steps(target_group=None)[6][0] is StepState.OPEN

    @pytest.mark.parametrize(
        ("poa", "expected10", "expected11_13"),
        [
            (True, StepState.NOT_NEEDED, StepState.OPEN),
            (False, StepState.SETTLED, StepState.OPEN),
            (None, StepState.OPEN, StepState.OPEN),
        ],
    )
    def test_power_of_attorney(
        self, poa: bool | None, expected10: StepState, expected11_13: StepState
    ) -> None:
        """The sales-partner power of attorney makes step 10 unnecessary, and only step 10."""
        s = steps(sales_partner_poa=poa)
        assert s[10][0] is expected10
        assert {s[n][0] for n in (11, 12, 13)} == {expected11_13}

    def test_blocked_marks_step_5(self) -> None:
        """A blocked change cannot be chosen in the portal yet."""
        assert steps(open_cart=True)[5] == (StepState.BLOCKED, "prerequisites", "")
        assert steps(status=None)[5] == (StepState.BLOCKED, "needs_info", "")
        assert steps()[5][0] is StepState.OPEN

    def test_leased_line_check_on_order(self) -> None:
        """After the term a leased line gets the order-management note on step 14."""
        s = steps(date(2027, 3, 31), current_group=ProductGroup.LEASED_LINE)
        assert s[14] == (StepState.SETTLED, "leased_line_check", "")

    def test_settled_lists_numbers(self) -> None:
        """settled() returns the numbers of settled and unnecessary steps."""
        verdict = evaluate(
            replace(BASE, sales_partner_poa=True),
            today=date(2026, 1, 10),
            settings=ProductChangeSettings(),
        )
        assert build_checklist(verdict).settled() == (2, 6, 7, 10, 14)

    def test_customer_admin_settles_or_blocks_step_2(self) -> None:
        assert steps()[2] == (StepState.SETTLED, "customer_admin_active", "")
        assert steps(customer_admin=False)[2] == (StepState.BLOCKED, "customer_admin_inactive", "")
        assert steps(customer_admin=None)[2][0] is StepState.OPEN
