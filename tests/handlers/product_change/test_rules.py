"""Tests for handlers.product_change.rules: every rule, their combinations, date edges."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.settings import ProductChangeSettings
from handlers.product_change.facts import (
    ContractFacts,
    ContractStatus,
    FactProblem,
    MissingFacts,
    ProductGroup,
    facts_from_values,
)
from handlers.product_change.rules import (
    Outcome,
    Verdict,
    evaluate,
    local_today,
    months_passed_on,
    term_last_day,
)

SETTINGS = ProductChangeSettings()
# Contract from 31.03.2025 with 24 months: the minimum term ends on 30.03.2027.
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
WITHIN = date(2026, 1, 10)
AFTER = date(2027, 6, 1)


def verdict(
    today: date = WITHIN, settings: ProductChangeSettings = SETTINGS, **changes: Any
) -> Verdict:
    return evaluate(replace(BASE, **changes), today=today, settings=settings)


def codes(v: Verdict) -> list[str]:
    return [r.code for r in v.reasons]


class TestOutcomeTable:
    """One row per rule and per combination; outcome, reason codes and prerequisites."""

    @pytest.mark.parametrize(
        ("changes", "today", "outcome", "must_have", "prerequisites"),
        [
            ({}, WITHIN, Outcome.APPROVAL_REQUIRED, ["within_minimum_term"], []),
            ({}, AFTER, Outcome.POSSIBLE, ["after_minimum_term"], []),
            (
                {"status": ContractStatus.TERMINATED},
                AFTER,
                Outcome.BLOCKED,
                ["terminated"],
                ["withdraw_termination"],
            ),
            (
                {"status": ContractStatus.TERMINATION_PENDING},
                AFTER,
                Outcome.BLOCKED,
                ["termination_pending"],
                ["withdraw_termination"],
            ),
            ({"open_order": True}, AFTER, Outcome.BLOCKED, ["open_order"], ["finish_order"]),
            ({"open_cart": True}, AFTER, Outcome.BLOCKED, ["open_cart"], ["finish_cart"]),
            (
                {"open_cart": True},
                WITHIN,
                Outcome.BLOCKED,
                ["open_cart", "within_minimum_term"],
                ["finish_cart"],
            ),
            (
                {"status": ContractStatus.TERMINATED, "open_order": True, "open_cart": True},
                WITHIN,
                Outcome.BLOCKED,
                ["terminated", "open_order", "open_cart"],
                ["withdraw_termination", "finish_order", "finish_cart"],
            ),
            ({"status": None}, AFTER, Outcome.NEEDS_INFO, ["missing"], ["supply_facts"]),
            ({"open_order": None}, AFTER, Outcome.NEEDS_INFO, ["missing"], ["supply_facts"]),
            ({"term_months": None}, AFTER, Outcome.NEEDS_INFO, ["missing"], ["supply_facts"]),
            ({"contract_start": None}, AFTER, Outcome.NEEDS_INFO, ["missing"], ["supply_facts"]),
            ({"target_group": None}, AFTER, Outcome.NEEDS_INFO, ["missing"], ["supply_facts"]),
            # a certain blocker wins over missing facts, which are still named
            (
                {"open_order": True, "target_group": None},
                AFTER,
                Outcome.BLOCKED,
                ["open_order", "missing"],
                ["finish_order", "supply_facts"],
            ),
            (
                {"term_months": None, "term_end": date(2027, 3, 30)},
                WITHIN,
                Outcome.APPROVAL_REQUIRED,
                ["within_minimum_term"],
                [],
            ),
            ({"term_end": date(2027, 3, 30)}, AFTER, Outcome.POSSIBLE, ["after_minimum_term"], []),
            (
                {"term_end": date(2027, 3, 31)},
                AFTER,
                Outcome.NEEDS_INFO,
                ["term_mismatch"],
                ["supply_facts"],
            ),
            (
                {"term_months": None, "term_end": date(2025, 3, 30)},
                AFTER,
                Outcome.NEEDS_INFO,
                ["end_before_start"],
                ["supply_facts"],
            ),
            (
                {"contract_start": date(2026, 2, 1)},
                WITHIN,
                Outcome.NEEDS_INFO,
                ["start_in_future"],
                ["supply_facts"],
            ),
            ({"term_months": 0}, AFTER, Outcome.NEEDS_INFO, ["invalid"], ["supply_facts"]),
            ({"term_months": 240}, AFTER, Outcome.NEEDS_INFO, ["invalid"], ["supply_facts"]),
            (
                {"leased_line_move": True},
                AFTER,
                Outcome.NEEDS_INFO,
                ["move_without_leased_line"],
                ["supply_facts"],
            ),
            (
                {"current_group": ProductGroup.LEASED_LINE, "leased_line_move": None},
                AFTER,
                Outcome.NEEDS_INFO,
                ["missing", "leased_line_adaptation"],
                ["supply_facts"],
            ),
            (
                {"current_group": ProductGroup.LEASED_LINE},
                AFTER,
                Outcome.POSSIBLE,
                ["after_minimum_term", "leased_line_adaptation"],
                [],
            ),
            (
                {"target_group": ProductGroup.LEASED_LINE, "leased_line_move": None},
                WITHIN,
                Outcome.APPROVAL_REQUIRED,
                ["leased_line_adaptation"],
                [],
            ),
            (
                {"current_group": ProductGroup.LEASED_LINE, "leased_line_move": True},
                date(2026, 3, 30),
                Outcome.BLOCKED,
                ["leased_line_move_too_early"],
                ["wait_leased_line_move"],
            ),
            (
                {"current_group": ProductGroup.LEASED_LINE, "leased_line_move": True},
                date(2026, 3, 31),
                Outcome.APPROVAL_REQUIRED,
                ["leased_line_move_allowed", "within_minimum_term"],
                [],
            ),
            (
                {
                    "current_group": ProductGroup.LEASED_LINE,
                    "leased_line_move": True,
                    "term_months": 6,
                },
                date(2026, 1, 10),
                Outcome.BLOCKED,
                ["leased_line_move_too_early", "after_minimum_term"],
                ["wait_leased_line_move"],
            ),
            (
                {
                    "current_group": ProductGroup.LEASED_LINE,
                    "leased_line_move": True,
                    "open_cart": True,
                },
                date(2026, 1, 10),
                Outcome.BLOCKED,
                ["open_cart", "leased_line_move_too_early"],
                ["finish_cart", "wait_leased_line_move"],
            ),
            ({"sales_partner_poa": True}, AFTER, Outcome.POSSIBLE, ["after_minimum_term"], []),
        ],
    )
    def test_row(
        self,
        changes: dict[str, Any],
        today: date,
        outcome: Outcome,
        must_have: list[str],
        prerequisites: list[str],
    ) -> None:
        """Each combination of facts gives the expected outcome, reasons and first steps."""
        v = verdict(today, **changes)
        assert v.outcome is outcome
        for code in must_have:
            assert code in codes(v)
        assert list(v.prerequisites) == prerequisites

    def test_fee_only_within_term(self) -> None:
        """The fee line and the approval request come with the minimum term, not after."""
        within, after = verdict(WITHIN), verdict(AFTER)
        assert (within.fee, within.approval_request) == ("", True)  # due; amount per price list
        assert (after.fee, after.approval_request) == (None, False)

    def test_customer_admin_is_a_checked_fact(self) -> None:
        """Unknown -> needs_info naming it; inactive -> blocked with the first step."""
        unknown = verdict(WITHIN, customer_admin=None)
        assert unknown.outcome is Outcome.NEEDS_INFO
        assert [r.fact for r in unknown.reasons if r.code == "missing"] == ["customer_admin"]
        inactive = verdict(WITHIN, customer_admin=False)
        assert inactive.outcome is Outcome.BLOCKED
        assert "customer_admin_inactive" in codes(inactive)
        assert list(inactive.prerequisites) == ["activate_customer_admin"]

    def test_fee_is_configurable(self) -> None:
        """The amount comes from settings.product_change.fee."""
        v = verdict(WITHIN, settings=ProductChangeSettings(fee="149,00 EUR"))
        assert v.fee == "149,00 EUR"

    def test_leased_line_months_configurable(self) -> None:
        """leased_line_min_months moves the earliest relocation date (31.03. + 6 → 30.09. ends)."""
        settings = ProductChangeSettings(leased_line_min_months=6)
        v = verdict(
            date(2025, 10, 1),
            settings=settings,
            current_group=ProductGroup.LEASED_LINE,
            leased_line_move=True,
        )
        assert v.outcome is Outcome.APPROVAL_REQUIRED
        assert v.earliest_leased_line_move == date(2025, 10, 1)
        early = verdict(
            date(2025, 9, 30),
            settings=settings,
            current_group=ProductGroup.LEASED_LINE,
            leased_line_move=True,
        )
        assert early.outcome is Outcome.BLOCKED

    def test_too_early_names_the_date(self) -> None:
        """The blocking reason carries the first day a relocation is allowed."""
        v = verdict(
            date(2025, 12, 1), current_group=ProductGroup.LEASED_LINE, leased_line_move=True
        )
        (reason,) = [r for r in v.reasons if r.code == "leased_line_move_too_early"]
        assert reason.on == date(2026, 3, 31)
        assert reason.detail == "12"

    def test_mismatch_names_both_dates(self) -> None:
        """A disagreeing term end names the computed end and the entered one."""
        v = verdict(AFTER, term_end=date(2027, 3, 31))
        (reason,) = [r for r in v.reasons if r.code == "term_mismatch"]
        assert reason.on == date(2027, 3, 30)
        assert reason.detail == "2027-03-31"
        assert v.term_end is None and v.fee is None

    def test_every_missing_fact_is_named(self) -> None:
        """Empty facts name each required fact exactly once."""
        v = evaluate(ContractFacts(), today=WITHIN, settings=SETTINGS)
        missing = [r.fact for r in v.reasons if r.code == "missing"]
        assert missing == [
            "status",
            "customer_admin",
            "open_order",
            "open_cart",
            "contract_start",
            "term",
            "current_group",
            "target_group",
        ]
        assert v.outcome is Outcome.NEEDS_INFO

    def test_unknown_group_is_named_not_guessed(self) -> None:
        """An unknown product group is an invalid fact with its raw value, never a match."""
        facts = facts_from_values(
            {**{k: v for k, v in BASE.as_dict().items() if k != "problems"}, "target_group": "FTTB"}
        )
        v = evaluate(facts, today=AFTER, settings=SETTINGS)
        assert v.outcome is Outcome.NEEDS_INFO
        (reason,) = [r for r in v.reasons if r.code == "invalid"]
        assert (reason.fact, reason.detail) == ("target_group", "FTTB")

    def test_unreadable_term_value_suppresses_the_other(self) -> None:
        """One unreadable term value makes the term unknown rather than trusting the other."""
        facts = replace(
            BASE, problems=(FactProblem("term", "invalid", "x"),), term_end=date(2027, 3, 30)
        )
        v = evaluate(facts, today=WITHIN, settings=SETTINGS)
        assert v.outcome is Outcome.NEEDS_INFO
        assert v.term_end is None and v.fee is None

    def test_missing_facts_from_source(self) -> None:
        """A source that has no facts at all gives needs_info with its problems."""
        v = evaluate(
            MissingFacts((FactProblem("fields", "not_configured"),)),
            today=WITHIN,
            settings=SETTINGS,
        )
        assert v.outcome is Outcome.NEEDS_INFO
        assert codes(v) == ["not_configured"]
        assert v.prerequisites == ("supply_facts",)

    def test_effects_always_listed(self) -> None:
        """New contract number, kept components and automatic termination are on every verdict."""
        for v in (
            verdict(WITHIN),
            verdict(AFTER, status=ContractStatus.TERMINATED),
            verdict(status=None),
        ):
            assert v.effects == ("new_contract_number", "components_kept", "old_product_terminated")

    def test_as_dict_without_today_is_stable(self) -> None:
        """The fingerprint form does not change from one day to the next."""
        a, b = verdict(date(2026, 1, 10)), verdict(date(2026, 1, 11))
        assert a.as_dict(include_today=False) == b.as_dict(include_today=False)
        assert a.as_dict()["today"] != b.as_dict()["today"]


class TestTermEdges:
    """term_last_day / months_passed_on with the 31st, 29 February and month ends."""

    @pytest.mark.parametrize(
        ("start", "months", "last_day"),
        [
            (date(2025, 3, 31), 24, date(2027, 3, 30)),
            (date(2025, 1, 31), 1, date(2025, 2, 28)),
            (date(2024, 1, 31), 1, date(2024, 2, 29)),
            (date(2025, 8, 31), 1, date(2025, 9, 30)),
            (date(2024, 2, 29), 12, date(2025, 2, 28)),
            (date(2024, 2, 29), 48, date(2028, 2, 28)),
            (date(2025, 3, 1), 12, date(2026, 2, 28)),
            (date(2025, 1, 15), 1, date(2025, 2, 14)),
            (date(2025, 12, 31), 2, date(2026, 2, 28)),
        ],
    )
    def test_last_day(self, start: date, months: int, last_day: date) -> None:
        """The term ends the day before the same day number, or on a short month's last day."""
        assert term_last_day(start, months) == last_day

    @pytest.mark.parametrize(
        ("start", "earliest"),
        [
            (date(2025, 3, 31), date(2026, 3, 31)),
            (date(2024, 2, 29), date(2025, 3, 1)),
            (date(2025, 1, 31), date(2026, 1, 31)),
        ],
    )
    def test_twelve_months_passed(self, start: date, earliest: date) -> None:
        """The leased-line relocation is allowed from the day after 12 months have ended."""
        assert months_passed_on(start, 12) == earliest

    def test_last_day_of_term_and_day_after(self) -> None:
        """On the term's last day approval is still required; the day after it is not."""
        assert verdict(date(2027, 3, 30)).outcome is Outcome.APPROVAL_REQUIRED
        assert verdict(date(2027, 3, 31)).outcome is Outcome.POSSIBLE

    def test_leap_day_start(self) -> None:
        """A contract from 29.02.2024 with 12 months is in term on 28.02.2025, free on 01.03."""
        facts = {"contract_start": date(2024, 2, 29), "term_months": 12}
        assert verdict(date(2025, 2, 28), **facts).outcome is Outcome.APPROVAL_REQUIRED
        assert verdict(date(2025, 3, 1), **facts).outcome is Outcome.POSSIBLE

    @given(
        start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
        months=st.integers(min_value=1, max_value=120),
    )
    def test_term_spans_the_months(self, start: date, months: int) -> None:
        """The last day lies `months` (or one less, for a start on the 1st) calendar months on."""
        end = term_last_day(start, months)
        offset = (end.year - start.year) * 12 + end.month - start.month
        assert end > start
        assert offset in (months - 1, months)
        assert term_last_day(start, months + 1) > end

    @given(
        start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)).filter(
            lambda d: d.day <= 28
        ),
        a=st.integers(min_value=1, max_value=60),
        b=st.integers(min_value=1, max_value=60),
    )
    def test_terms_tile(self, start: date, a: int, b: int) -> None:
        """Two consecutive terms of a and b months end where one term of a+b months ends."""
        first_end = term_last_day(start, a)
        assert term_last_day(first_end + timedelta(days=1), b) == term_last_day(start, a + b)


class TestLocalToday:
    """local_today: the Berlin calendar day of an aware instant."""

    @pytest.mark.parametrize(
        ("now", "expected"),
        [
            (datetime(2026, 1, 10, 22, 59, tzinfo=UTC), date(2026, 1, 10)),
            (datetime(2026, 1, 10, 23, 30, tzinfo=UTC), date(2026, 1, 11)),
            (datetime(2027, 3, 30, 21, 59, tzinfo=UTC), date(2027, 3, 30)),
            (datetime(2027, 3, 30, 22, 30, tzinfo=UTC), date(2027, 3, 31)),
        ],
    )
    def test_midnight(self, now: datetime, expected: date) -> None:
        """Late UTC evenings are already the next day in Berlin (CET +1, CEST +2)."""
        assert local_today(now) == expected

    def test_clock_at_midnight_changes_verdict(self) -> None:
        """At 23:30 UTC on the term's last day Berlin is past it: the change is free."""
        today = local_today(datetime(2027, 3, 30, 23, 30, tzinfo=UTC))
        assert verdict(today).outcome is Outcome.POSSIBLE
        assert (
            verdict(local_today(datetime(2027, 3, 30, 21, 0, tzinfo=UTC))).outcome
            is Outcome.APPROVAL_REQUIRED
        )

    def test_naive_clock_refused(self) -> None:
        """A naive datetime would shift boundaries silently, so it is refused."""
        with pytest.raises(ValueError, match="aware"):
            local_today(datetime(2026, 1, 10, 23, 30))


_optional_bool = st.one_of(st.none(), st.booleans())


@st.composite
def any_facts(draw: st.DrawFn) -> ContractFacts:
    return ContractFacts(
        status=draw(st.one_of(st.none(), st.sampled_from(ContractStatus))),
        open_order=draw(_optional_bool),
        open_cart=draw(_optional_bool),
        contract_start=draw(
            st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)))
        ),
        term_months=draw(st.one_of(st.none(), st.integers(min_value=-1, max_value=150))),
        term_end=draw(
            st.one_of(st.none(), st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31)))
        ),
        current_group=draw(st.one_of(st.none(), st.sampled_from(ProductGroup))),
        target_group=draw(st.one_of(st.none(), st.sampled_from(ProductGroup))),
        leased_line_move=draw(_optional_bool),
        sales_partner_poa=draw(_optional_bool),
    )


class TestVerdictProperties:
    """Properties that hold for any facts."""

    @given(
        facts=any_facts(), today=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
    )
    def test_never_a_guess(self, facts: ContractFacts, today: date) -> None:
        """A positive verdict needs every required fact; fee and approval go together."""
        v = evaluate(facts, today=today, settings=SETTINGS)
        if v.outcome in (Outcome.POSSIBLE, Outcome.APPROVAL_REQUIRED):
            assert facts.status is ContractStatus.ACTIVE
            assert facts.open_order is False and facts.open_cart is False
            assert facts.contract_start is not None and facts.contract_start <= today
            assert facts.current_group is not None and facts.target_group is not None
            assert v.term_end is not None
            assert not v.prerequisites
        assert (v.fee is not None) == v.approval_request
        assert (v.outcome is Outcome.APPROVAL_REQUIRED) == (
            v.approval_request and not v.prerequisites
        )
        if v.outcome is Outcome.BLOCKED:
            assert set(v.prerequisites) - {"supply_facts"}
        if v.outcome is Outcome.NEEDS_INFO:
            assert v.prerequisites == ("supply_facts",)
