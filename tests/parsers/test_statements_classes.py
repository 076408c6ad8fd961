"""Sentence classes from the red-team letters (issue 9), each as a minimal statement:
exception ranges inside a block, double negation, revocation, refusal, conditions,
negations far from the number, and lists kept back before the handed-over list."""

from __future__ import annotations

import pytest

from parsers.findings import find_numbers_on_pages
from parsers.layout import PageLayout
from parsers.model import Role
from tests.fixtures.pagebuild import Sheet
from tests.parsers.test_statements import _role


def _page(*lines: str) -> PageLayout:
    page = Sheet()
    page.line("Alpha Telekom GmbH", size=14)
    page.y = 240
    page.line("Sehr geehrte Damen und Herren,")
    page.gap(4)
    for text in lines:
        if text:
            page.line(text)
        else:
            page.gap()
    page.gap()
    page.line("Mit freundlichen Grüßen")
    page.ink()
    page.line("Jana Keller")
    return page.layout()


def _ranges(page: PageLayout) -> dict[str, set[Role]]:
    found, _ = find_numbers_on_pages([page])
    out: dict[str, set[Role]] = {}
    for n in found:
        out.setdefault(f"{n.range.first}-{n.range.last}", set()).add(n.role)
    return out


BLOCK = "+497614938900"


class TestExceptionRangeInsideABlock:
    @pytest.mark.parametrize(
        "lines",
        [
            (
                "übergeben wird der Durchwahlbereich 0761 49389-00 bis -99, außer den Durchwahlen",
                "-10 bis -19, die beim Kunden für die Filiale verbleiben.",
            ),
            ("Übergeben wird 0761 49389-00 bis -99 mit Ausnahme der Durchwahlen 10 bis 19.",),
            (
                "Übergeben wird 0761 49389-00 bis -99; die Durchwahlen 10 bis 19 verbleiben bei uns.",
            ),
        ],
    )
    def test_the_range_is_cut_out_of_the_block(self, lines: tuple[str, ...]) -> None:
        got = _ranges(_page(*lines))
        assert got["+497614938910-+497614938919"] == {Role.EXCLUDED}
        assert got["+497614938900-+497614938909"] == {Role.TRANSFER}
        assert got["+497614938920-+497614938999"] == {Role.TRANSFER}

    def test_a_carve_out_that_cannot_be_read_leaves_the_block_unclear(self) -> None:
        for text in (
            "Übergeben wird 0761 49389-00 bis -49 außer den Durchwahlen 60 bis 69.",
            "Übergeben wird 0761 49389-00 bis -49 außer den Durchwahlen null bis neun.",
        ):
            assert _ranges(_page(text)) == {"+497614938900-+497614938949": {Role.UNCLEAR}}

    def test_a_range_broken_inside_its_word_leaves_the_block_unclear(self) -> None:
        got = _ranges(
            _page(
                "übergeben wird der Durchwahlbereich 0341 9686-20 bis -49, außer den Durchwahlen -29 bi",
                "s -31; diese verbleiben bei uns.",
            )
        )
        assert Role.TRANSFER not in {r for roles in got.values() for r in roles}

    def test_a_range_wrapped_before_bis_is_read_whole(self) -> None:
        got = _ranges(
            _page(
                "übergeben wird der Durchwahlbereich 0341 83611-50 bis -59, außer den Durchwahlen -55",
                "bis -56, die bei uns bleiben.",
            )
        )
        assert got["+493418361155-+493418361156"] == {Role.EXCLUDED}
        assert got["+493418361157-+493418361159"] == {Role.TRANSFER}

    def test_a_number_broken_before_its_last_digit_is_read_whole(self) -> None:
        got = _ranges(
            _page("Die Rufnummern 030 1234567 und 06131 76 89 7", "0 werden zum 1.3. übergeben.")
        )
        assert got["+49613176897" + "0-+49613176897" + "0"] == {Role.TRANSFER}

    def test_a_relative_clause_speaks_of_its_antecedent_only(self) -> None:
        sentence = "Wir übergeben 030 1234567, außer 030 7654321, die bei uns verbleibt."
        assert _role(sentence, "030 1234567") is Role.TRANSFER
        assert _role(sentence, "030 7654321") is Role.EXCLUDED
        # without a number of its own before it, the clause speaks of all
        assert _role("Wir übergeben 030 1234567, die bei uns verbleibt.", "030 1234567") is (
            Role.EXCLUDED
        )


class TestPolarityClasses:
    def test_double_negation_hands_over_only_with_handover_words(self) -> None:
        both = "Die Rufnummer 069 856051 ist von der Übergabe nicht ausgenommen und wird ebenfalls übergeben."
        assert _role(both, "069 856051") is Role.TRANSFER
        alone = "Die Rufnummer 069 856051 ist von der Übergabe nicht ausgenommen."
        assert _role(alone, "069 856051") is Role.UNCLEAR
        kept = "Die Rufnummer 069 856051 ist nicht ausgenommen, sie verbleibt bei uns."
        assert _role(kept, "069 856051") is Role.EXCLUDED

    @pytest.mark.parametrize(
        ("sentence", "number", "role"),
        [
            (
                "Diese Bestätigung widerrufen wir hiermit für die Rufnummer 089 6558280.",
                "089 6558280",
                Role.EXCLUDED,
            ),
            (
                "Unsere Bestätigung für die Rufnummer 089 6558280 ziehen wir zurück.",
                "089 6558280",
                Role.EXCLUDED,
            ),
            ("Es bleibt bei der Übergabe der Rufnummer 089 3443026.", "089 3443026", Role.TRANSFER),
            ("Portierung 0911 620996: abgelehnt.", "0911 620996", Role.EXCLUDED),
            (
                "Die Portierung der Rufnummer 0911 620996 lehnen wir ab.",
                "0911 620996",
                Role.EXCLUDED,
            ),
            (
                "Die Rufnummer 040 3169447 ist seit März nicht mehr aktiv.",
                "040 3169447",
                Role.EXCLUDED,
            ),
            (
                "Die Rufnummern 030 410304 und 030 9581166 werden übergeben, die Rufnummer "
                "030 439289 hingegen nicht.",
                "030 439289",
                Role.EXCLUDED,
            ),
            (
                "Weder die Rufnummer 0221 3419440 noch die Rufnummer 0221 8146374 werden "
                "übergeben; übergeben wird lediglich die Rufnummer 0221 725557.",
                "0221 8146374",
                Role.EXCLUDED,
            ),
            (
                "Weder die Rufnummer 0221 3419440 noch die Rufnummer 0221 8146374 werden "
                "übergeben; übergeben wird lediglich die Rufnummer 0221 725557.",
                "0221 725557",
                Role.TRANSFER,
            ),
        ],
    )
    def test_statement(self, sentence: str, number: str, role: Role) -> None:
        assert _role(sentence, number) is role

    @pytest.mark.parametrize(
        "sentence",
        [
            "Die Rufnummer 0561 492040 wird nur übergeben, falls die Kundin die Rechnung "
            "beglichen hat; andernfalls verbleibt sie bei uns.",
            "Die Rufnummer 0561 492040 wird erst nach Ablauf der Mindestvertragslaufzeit übergeben.",
            "Die Rufnummer 0561 492040 wird übergeben, sobald die Schlussrechnung bezahlt ist.",
        ],
    )
    def test_conditional_handover_is_unclear(self, sentence: str) -> None:
        assert _role(sentence, "0561 492040") is Role.UNCLEAR

    def test_negation_forty_words_after_the_number(self) -> None:
        sentence = (
            "Was die Rufnummer 0221 7956631 betrifft, die seit 2014 für die Rezeption genutzt "
            "wird, in den vergangenen Jahren mehrfach technisch umgestellt wurde und derzeit auf "
            "einen Sammelanschluss im Nebengebäude geschaltet ist, so ist nach Rücksprache mit "
            "der Hotelleitung und unserer Technik eine Übergabe dieser Rufnummer derzeit "
            "ausgeschlossen."
        )
        assert _role(sentence, "0221 7956631") is Role.EXCLUDED


class TestListsKeptBackFirst:
    def test_keep_back_list_before_the_handover_list(self) -> None:
        got = _ranges(
            _page(
                "die folgenden Rufnummern verbleiben bei uns und sind vom Umzug nicht betroffen:",
                "0911 3799638",
                "",
                "Übergeben werden dagegen:",
                "0911 770483",
            )
        )
        assert got["+499113799638-+499113799638"] == {Role.EXCLUDED}
        assert got["+49911770483-+49911770483"] == {Role.TRANSFER}

    def test_keine_uebergabe_erfolgt_fuer(self) -> None:
        got = _ranges(
            _page(
                "Übergabe erfolgt für:",
                "0341 8803219",
                "",
                "Keine Übergabe erfolgt für:",
                "0341 2221411",
            )
        )
        assert got["+493418803219-+493418803219"] == {Role.TRANSFER}
        assert got["+493412221411-+493412221411"] == {Role.EXCLUDED}
