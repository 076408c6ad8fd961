"""Tests for handlers.product_change.facts: spellings, flags and raw-value parsing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.product_change.facts import (
    ContractStatus,
    ProductGroup,
    facts_from_values,
    parse_flag,
    parse_group,
    parse_status,
)


class TestParseGroup:
    """parse_group: case-insensitive, separators and German spellings."""

    @pytest.mark.parametrize(
        ("text", "group"),
        [
            ("SDSL", ProductGroup.SDSL),
            ("sdsl", ProductGroup.SDSL),
            ("G.SHDSL", ProductGroup.SDSL),
            (" vdsl2 ", ProductGroup.VDSL),
            ("VDSL-Vectoring", ProductGroup.VDSL),
            ("ADSL2+", ProductGroup.ADSL),
            ("Glasfaser", ProductGroup.FTTH),
            ("FTTH", ProductGroup.FTTH),
            ("Standleitung", ProductGroup.LEASED_LINE),
            ("STANDLEITUNG", ProductGroup.LEASED_LINE),
            ("Leased Line", ProductGroup.LEASED_LINE),
            ("leased_line", ProductGroup.LEASED_LINE),
            ("Plusnet Leased-Line", ProductGroup.LEASED_LINE),
            ("Festverbindung", ProductGroup.LEASED_LINE),
            (ProductGroup.FTTH, ProductGroup.FTTH),
        ],
    )
    def test_known(self, text: str, group: ProductGroup) -> None:
        """Known spellings map to their group."""
        assert parse_group(text) is group

    @pytest.mark.parametrize("text", ["FTTB", "Kabel", "", "DSL", "S DSL x", "12"])
    def test_unknown(self, text: str) -> None:
        """Other products and noise are not matched to the nearest group."""
        assert parse_group(text) is None

    @given(
        st.sampled_from(["sdsl", "vdsl", "adsl", "ftth", "standleitung", "leased line"]), st.data()
    )
    def test_case_insensitive(self, text: str, data: st.DataObject) -> None:
        """Any upper/lower mix of a known spelling gives the same group."""
        flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        mixed = "".join(c.upper() if f else c for c, f in zip(text, flips, strict=True))
        assert parse_group(mixed) is parse_group(text) is not None


class TestParseStatus:
    """parse_status: English codes and German words."""

    @pytest.mark.parametrize(
        ("text", "status"),
        [
            ("active", ContractStatus.ACTIVE),
            ("Aktiv", ContractStatus.ACTIVE),
            ("ungekündigt", ContractStatus.ACTIVE),
            ("gekündigt", ContractStatus.TERMINATED),
            ("gekuendigt", ContractStatus.TERMINATED),
            ("terminated", ContractStatus.TERMINATED),
            ("termination_pending", ContractStatus.TERMINATION_PENDING),
            ("Kündigung vorgemerkt", ContractStatus.TERMINATION_PENDING),
        ],
    )
    def test_known(self, text: str, status: ContractStatus) -> None:
        """Known spellings map to their status."""
        assert parse_status(text) is status

    def test_unknown(self) -> None:
        """An unknown status word is not guessed."""
        assert parse_status("pausiert") is None
        assert parse_status(3) is None


class TestParseFlag:
    """parse_flag: checkboxes and ja/nein dropdowns."""

    @pytest.mark.parametrize(
        ("value", "flag"),
        [(True, True), (False, False), ("ja", True), ("Nein", False), ("yes", True), ("0", False)],
    )
    def test_values(self, value: object, flag: bool) -> None:
        """Booleans and yes/no words are read."""
        assert parse_flag(value) is flag

    @pytest.mark.parametrize("value", ["vielleicht", 2, None])
    def test_unreadable(self, value: object) -> None:
        """Anything else is unknown."""
        assert parse_flag(value) is None


class TestFactsFromValues:
    """facts_from_values: raw values to facts, with problems for unreadable ones."""

    def test_full(self) -> None:
        """Ticket-style values (strings, ISO and German dates) become typed facts."""
        facts = facts_from_values(
            {
                "status": "aktiv",
                "open_order": False,
                "open_cart": "nein",
                "contract_start": "31.03.2025",
                "term_months": "24",
                "term_end": "2027-03-30",
                "current_group": "Standleitung",
                "target_group": "vdsl",
                "leased_line_move": "ja",
            }
        )
        assert facts.problems == ()
        assert facts.status is ContractStatus.ACTIVE
        assert facts.contract_start == date(2025, 3, 31)
        assert facts.term_months == 24 and facts.term_end == date(2027, 3, 30)
        assert facts.current_group is ProductGroup.LEASED_LINE
        assert facts.open_cart is False and facts.leased_line_move is True
        assert facts.sales_partner_poa is None

    def test_blank_is_unknown_not_invalid(self) -> None:
        """Empty strings and None leave the fact unknown without a problem."""
        facts = facts_from_values({"status": "  ", "term_months": None})
        assert facts.status is None and facts.term_months is None
        assert facts.problems == ()

    def test_unreadable_values_become_problems(self) -> None:
        """Each unreadable value is named with its fact and raw text."""
        facts = facts_from_values(
            {
                "status": "pausiert",
                "contract_start": "31/03/2025",
                "term_months": "24 Monate",
                "open_cart": "vielleicht",
            }
        )
        found = {(p.fact, p.code, p.detail) for p in facts.problems}
        assert found == {
            ("status", "invalid", "pausiert"),
            ("contract_start", "invalid", "31/03/2025"),
            ("term", "invalid", "24 Monate"),
            ("open_cart", "invalid", "vielleicht"),
        }

    def test_bool_is_not_a_month_count(self) -> None:
        """A checkbox value in the months field is not read as 1 month."""
        facts = facts_from_values({"term_months": True})
        assert facts.term_months is None
        assert [p.fact for p in facts.problems] == ["term"]
