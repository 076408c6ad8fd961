"""Tests for handlers.product_change.note: the German internal note and reason sentences."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from config.settings import ProductChangeSettings
from handlers.product_change.facts import (
    ContractFacts,
    ContractStatus,
    FactProblem,
    MissingFacts,
    ProductGroup,
)
from handlers.product_change.note import reason_text, render_note
from handlers.product_change.rules import Reason, evaluate

SETTINGS = ProductChangeSettings(fee="99,00 EUR")
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
ALL_CODES = [
    "missing",
    "invalid",
    "not_configured",
    "start_in_future",
    "end_before_start",
    "term_mismatch",
    "move_without_leased_line",
    "terminated",
    "customer_admin_inactive",
    "termination_pending",
    "open_order",
    "open_cart",
    "leased_line_move_too_early",
    "leased_line_move_allowed",
    "within_minimum_term",
    "after_minimum_term",
    "leased_line_adaptation",
]


def note(today: date = date(2026, 1, 10), **changes: object) -> str:
    return render_note(evaluate(replace(BASE, **changes), today=today, settings=SETTINGS))


class TestRenderNote:
    """render_note: verdict, reasons, fee, first steps, effects and checklist in German."""

    def test_within_term(self) -> None:
        """The approval note has the headline, the term end, the fee line and step 7's hint."""
        text = note()
        assert "Ergebnis: Produktwechsel möglich – nur mit Anfrage zur Freigabe" in text
        assert "bis einschließlich 30.03.2027" in text
        assert "Produktwechselpauschale: 99,00 EUR" in text
        assert "[x] 7. Konditionen für das Zielprodukt" in text
        assert "Stand: Samstag, 10.01.2026" in text

    def test_after_term_has_no_fee(self) -> None:
        """After the minimum term no fee line appears."""
        text = note(date(2027, 3, 31))
        assert "ohne Einschränkung" in text
        assert "Produktwechselpauschale:" not in text

    def test_unconfigured_fee_invents_no_amount(self) -> None:
        """Without a configured amount the note points to the price list."""
        text = render_note(
            evaluate(BASE, today=date(2026, 1, 10), settings=ProductChangeSettings())
        )
        assert "Produktwechselpauschale laut Preisliste" in text
        assert "EUR" not in text and "€" not in text

    def test_leased_line_names_both_paths(self) -> None:
        """A leased line may be adapted or changed with a new order; the note does not mix them."""
        text = note(date(2027, 3, 31), current_group=ProductGroup.LEASED_LINE)
        assert (
            "Leased-Line-Anpassung: Der bestehende Vertrag wird angepasst und fortgesetzt" in text
        )
        assert "Produktwechsel mit Neubestellung: Dann wird eine neue Vertragsnummer" in text
        assert "Bei einem Produktwechsel mit Neubestellung gilt:" not in text
        plain = note(date(2027, 3, 31))
        assert "Bei einem Produktwechsel mit Neubestellung gilt:" in plain
        assert "angepasst und fortgesetzt" not in plain

    def test_effects_and_fifteen_steps(self) -> None:
        """Every note lists the three effects and the 15 numbered steps."""
        text = note(status=ContractStatus.TERMINATED)
        assert "neue Vertragsnummer" in text
        assert "Vorleistung, Hardware" in text
        assert "Kündigung des Altprodukts automatisch" in text
        numbers = re.findall(r"^\[.\] (\d+)\. ", text, flags=re.MULTILINE)
        assert numbers == [str(n) for n in range(1, 16)]

    def test_blocked_names_first_steps(self) -> None:
        """A blocked note says what must happen first."""
        text = note(open_cart=True, open_order=True)
        assert "Zuerst erforderlich:" in text
        assert "offenen Warenkorb" in text and "offenen Auftrag" in text
        assert "[!] 5." in text

    def test_needs_info_names_missing(self) -> None:
        """A needs-info note names each missing fact."""
        text = render_note(
            evaluate(
                ContractFacts(target_group=ProductGroup.FTTH),
                today=date(2026, 1, 10),
                settings=SETTINGS,
            )
        )
        assert "Es fehlt: Vertragsstatus" in text
        assert "Es fehlt: Mindestvertragslaufzeit" in text
        assert "Es fehlt: Zielproduktgruppe" not in text

    def test_missing_facts_note(self) -> None:
        """A source without configured fields yields an explanatory note."""
        v = evaluate(
            MissingFacts((FactProblem("fields", "not_configured"),)),
            today=date(2026, 1, 10),
            settings=SETTINGS,
        )
        assert "keine Ticketfelder konfiguriert" in render_note(v)

    def test_no_codes_leak(self) -> None:
        """No internal code (snake_case) reaches the note text."""
        for text in (
            note(),
            note(status=None, current_group=ProductGroup.LEASED_LINE, leased_line_move=True),
        ):
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text


class TestReasonText:
    """reason_text: every code has its own German sentence."""

    @pytest.mark.parametrize("code", ALL_CODES)
    def test_every_code_has_text(self, code: str) -> None:
        """The fallback (the bare code) is never used for a known code."""
        reason = Reason(code, fact="status", detail="2027-03-31", on=date(2027, 3, 30))
        text = reason_text(reason)
        assert code not in text
        assert text.endswith(".")

    def test_dates_in_german_form(self) -> None:
        """ISO details are shown as dd.mm.yyyy."""
        text = reason_text(Reason("term_mismatch", "term", "2027-03-31", date(2027, 3, 30)))
        assert "30.03.2027" in text and "31.03.2027" in text
