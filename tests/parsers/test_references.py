"""Rules that close the red team's false approvals (issue 9): references back to a
listed number, several statuses on one line, a person's number in brackets, and a stem
written apart from its extensions. Each letter is a minimal page built from words."""

from __future__ import annotations

import pytest

from handlers.relocation.decision import decide
from parsers.findings import find_numbers_on_pages
from parsers.layout import PageLayout
from parsers.model import NumberRange, ParsedDocument, Role, SignatureFinding
from parsers.references import person_contact, status_segment
from tests.fixtures.pagebuild import Sheet


def _page(*lines: str) -> PageLayout:
    page = Sheet()
    page.line("Alpha Telekom GmbH", size=14)
    page.line("Hauptstraße 1 · 10115 Berlin", size=8)
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


def _roles(page: PageLayout) -> dict[str, set[Role]]:
    found, _ = find_numbers_on_pages([page])
    out: dict[str, set[Role]] = {}
    for n in found:
        key = n.range.first if n.range.is_single else f"{n.range.first}-{n.range.last}"
        out.setdefault(key, set()).add(n.role)
    return out


def _approved(page: PageLayout, requested: list[str]) -> set[str]:
    found, blanket = find_numbers_on_pages([page])
    doc = ParsedDocument(
        file="x.pdf",
        pages=1,
        numbers=tuple(found),
        signature=SignatureFinding(present=True, kind="ink"),
        blanket_clause=blanket,
    )
    ranges = [NumberRange.single(n) for n in requested]
    return {r.first for r in decide(ranges, [doc]).approved}


LIST = ["folgende Rufnummern werden übergeben:", "030 310597", "030 751434", "030 778074", ""]


class TestReferencesBack:
    def test_second_named_number_withdrawn_later_is_kept_back(self) -> None:
        page = _page(
            *LIST,
            "Nach Prüfung ist der Anschluss mit der zweitgenannten Rufnummer jedoch",
            "nicht auf den Kunden geschaltet; diese Rufnummer können wir deshalb nicht übergeben.",
        )
        got = _roles(page)
        assert got["+4930751434"] == {Role.EXCLUDED}
        assert got["+4930310597"] == {Role.TRANSFER}
        assert got["+4930778074"] == {Role.TRANSFER}
        requested = ["+4930310597", "+4930751434", "+4930778074"]
        assert _approved(page, requested) == {"+4930310597", "+4930778074"}

    @pytest.mark.parametrize(
        ("statement", "kept"),
        [
            ("Die erstgenannte Rufnummer verbleibt jedoch bei uns.", "+4930310597"),
            ("Die letztgenannte verbleibt.", "+4930778074"),
            ("Die drittgenannte Nummer ist bereits gekündigt.", "+4930778074"),
        ],
    )
    def test_ordinals_pick_their_item(self, statement: str, kept: str) -> None:
        got = _roles(_page(*LIST, statement))
        assert got[kept] == {Role.EXCLUDED}
        others = {"+4930310597", "+4930751434", "+4930778074"} - {kept}
        assert all(got[n] == {Role.TRANSFER} for n in others)

    def test_ordinal_beyond_the_list_leaves_the_list_unclear(self) -> None:
        got = _roles(_page(*LIST, "Die fünftgenannte Rufnummer verbleibt jedoch bei uns."))
        assert all(Role.TRANSFER not in got[n] for n in ("+4930310597", "+4930751434"))

    def test_this_number_without_position_in_a_list_of_several_is_unclear(self) -> None:
        got = _roles(_page(*LIST, "Die o. g. Nummer ist jedoch bereits gekündigt."))
        assert {r for roles in got.values() for r in roles} == {Role.UNCLEAR}

    def test_this_number_after_a_single_number_keeps_it_back(self) -> None:
        got = _roles(
            _page(
                "folgende Rufnummer wird übergeben:",
                "030 310597",
                "",
                "Diese Rufnummer ist jedoch bereits gekündigt.",
            )
        )
        assert got["+4930310597"] == {Role.EXCLUDED}

    def test_a_positive_reference_changes_nothing(self) -> None:
        got = _roles(_page(*LIST, "Die zweitgenannte Rufnummer wird ebenfalls zum 1.3. übergeben."))
        assert all(roles == {Role.TRANSFER} for roles in got.values())

    def test_a_contrast_keeps_back_only_the_negated_position(self) -> None:
        got = _roles(_page(*LIST, "Die erstgenannte wird übergeben, die zweitgenannte nicht."))
        assert got["+4930310597"] == {Role.TRANSFER}
        assert got["+4930751434"] == {Role.EXCLUDED}

    @pytest.mark.parametrize(
        "statement",
        [
            "Die oben genannten Rufnummern verbleiben jedoch bis 31.3. bei uns.",
            "Bitte beachten Sie, dass diese Rufnummern nicht vor dem 1.3. portiert werden können.",
        ],
    )
    def test_a_plural_reference_that_keeps_back_leaves_the_list_unclear(
        self, statement: str
    ) -> None:
        got = _roles(_page(*LIST, statement))
        assert Role.TRANSFER not in {r for roles in got.values() for r in roles}

    def test_an_ordinal_in_the_sentence_of_its_numbers_never_hands_over_the_item(self) -> None:
        got = _roles(
            _page("Übergeben werden 030 310597 und 030 751434, die letztgenannte verbleibt jedoch.")
        )
        assert Role.TRANSFER not in got["+4930751434"]

    @pytest.mark.parametrize(
        ("ordinal", "kept", "handed"),
        [
            ("letztgenannte", "+4930751434", "+4930310597"),
            ("erstgenannte", "+4930310597", "+4930751434"),
        ],
    )
    def test_an_ordinal_in_the_sentence_keeps_back_only_its_item(
        self, ordinal: str, kept: str, handed: str
    ) -> None:
        got = _roles(_page(f"Übergeben werden 030 310597 und 030 751434, die {ordinal} verbleibt."))
        assert got[kept] == {Role.EXCLUDED}
        assert got[handed] == {Role.TRANSFER}

    def test_an_ordinal_beyond_the_sentence_keeps_back_every_number(self) -> None:
        got = _roles(
            _page("Übergeben werden 030 310597 und 030 751434, die drittgenannte verbleibt.")
        )
        assert got["+4930310597"] == got["+4930751434"] == {Role.EXCLUDED}

    def test_an_agreeing_reference_changes_nothing(self) -> None:
        got = _roles(_page(*LIST, "Für die o.g. Rufnummern bestehen keine Bedenken."))
        assert all(roles == {Role.TRANSFER} for roles in got.values())

    NAMED = ("Betroffen sind die Rufnummern 030 310597, 030 751434 und 030 778074.",)

    def test_references_that_hand_over_and_keep_back(self) -> None:
        got = _roles(
            _page(
                *self.NAMED,
                "Übergeben werden die beiden erstgenannten; die letztgenannte verbleibt.",
            )
        )
        assert got["+4930310597"] == got["+4930751434"] == {Role.TRANSFER}
        assert got["+4930778074"] == {Role.EXCLUDED}

    @pytest.mark.parametrize(
        "statement",
        [
            "Übergeben werden die erstgenannten.",  # how many?
            "Die erstgenannte wird nur übergeben, falls der Kunde zustimmt.",
            "Die zweitgenannte wird erst nach Ablauf der Mindestvertragslaufzeit übergeben.",
            "Die beiden erstgenannten werden nicht übergeben.",
        ],
    )
    def test_an_uncertain_handover_reference_hands_nothing_over(self, statement: str) -> None:
        got = _roles(_page(*self.NAMED, statement))
        assert Role.TRANSFER not in {r for roles in got.values() for r in roles}

    def test_a_handover_reference_never_overrides_a_keep_back(self) -> None:
        got = _roles(
            _page(
                "Die Rufnummern 030 310597 und 030 751434 verbleiben bei uns.",
                "Die erstgenannte wird übergeben.",
            )
        )
        assert Role.TRANSFER not in got["+4930310597"]

    def test_a_colon_intro_points_forward_not_back(self) -> None:
        got = _roles(_page(*LIST, "Diese Rufnummern bleiben in unserem Bestand:", "030 999888", ""))
        assert got["+4930310597"] == {Role.TRANSFER}
        assert got["+4930999888"] == {Role.EXCLUDED}


class TestStatusesOnOneLine:
    def test_each_status_belongs_to_the_number_before_it(self) -> None:
        page = _page(
            "zu den Rufnummern des Kunden teilen wir Folgendes mit:",
            "0351 4103920 Übergabe: ja 0351 462649 Übergabe: nein",
            "0351 962418 Übergabe: nein 0351 478405 Übergabe: ja",
        )
        got = _roles(page)
        assert got["+493514103920"] == {Role.TRANSFER}
        assert got["+49351478405"] == {Role.TRANSFER}
        assert got["+49351462649"] == {Role.EXCLUDED}
        assert got["+49351962418"] == {Role.EXCLUDED}

    def test_uncertain_pairing_leaves_the_line_unclear(self) -> None:
        page = _page(
            "zu den Rufnummern des Kunden teilen wir Folgendes mit:",
            "Übergabe: ja 0351 4103920 Übergabe: nein 0351 462649",
        )
        got = _roles(page)
        assert got["+493514103920"] == {Role.UNCLEAR}
        assert got["+49351462649"] == {Role.UNCLEAR}

    def test_dash_statuses_after_a_heading_on_the_same_line(self) -> None:
        page = _page(
            "Übergabe je Rufnummer: 0221 925540 – ja | 0221 2419011 – nein | 0221 4380757 – ja"
        )
        got = _roles(page)
        assert got["+49221925540"] == {Role.TRANSFER}
        assert got["+492214380757"] == {Role.TRANSFER}
        assert got["+492212419011"] == {Role.EXCLUDED}

    def test_segment_rule(self) -> None:
        text = "030 1234567 Status: ja 030 7654321 Status: nein"
        spans = [(0, 11), (23, 34)]
        assert status_segment(text, spans, 23) == (23, len(text), True, "")
        assert status_segment("Tel: 030 1234567 Fax: 030 7654321", [(5, 16), (22, 33)], 5) is None
        two = "030 1234567 Übergabe: ja Status: nein 030 7654321 Übergabe: ja"
        assert status_segment(two, [(0, 11), (38, 49)], 0) == (0, 38, False, "")


class TestPersonInSentence:
    def test_recipient_in_brackets_inside_a_handover_sentence_is_contact(self) -> None:
        page = _page(
            "wie mit Ihrem Herrn Brink (0251 7910215) abgestimmt, werden die Rufnummern",
            "0251 5470793 und 0251 4271652 übergeben.",
        )
        got = _roles(page)
        assert got["+492517910215"] == {Role.CONTACT}
        assert got["+492515470793"] == {Role.TRANSFER}
        assert got["+492514271652"] == {Role.TRANSFER}

    @pytest.mark.parametrize(
        ("before", "after"),
        [
            ("mit Frau Dr. Meyer-Lang (Tel. ", ") abgestimmt"),
            ("Ihr Ansprechpartner (", ")"),
            ("der Kunde ist erreichbar unter ", ""),
            ("der Kunde (", ") erreichbar"),
        ],
    )
    def test_person_wording(self, before: str, after: str) -> None:
        assert person_contact(before, after) is not None

    def test_no_person(self) -> None:
        assert person_contact("werden die Rufnummern ", " und ") is None
        assert person_contact("die Rufnummer (", ") wird übergeben") is None


class TestStems:
    def test_stem_with_extensions_on_the_next_line(self) -> None:
        page = _page(
            "wie besprochen bestätigen wir hiermit die Portierung unseres Anlagenanschlusses:",
            "Stammnummer ....... 089 56163",
            "Durchwahlen ....... 00 - 99 (kompletter Block)",
        )
        got = _roles(page)
        assert got == {"+49895616300-+49895616399": {Role.TRANSFER}}
        assert _approved(page, ["+498956163"]) == set()

    def test_stem_with_extensions_in_words(self) -> None:
        page = _page(
            "hiermit bestätigen wir die Übergabe des Anlagenanschlusses mit der Stammrufnummer",
            "0341 94901 und den Durchwahlen null bis neunundneunzig an Ihr Haus.",
        )
        got = _roles(page)
        assert got == {"+493419490100-+493419490199": {Role.TRANSFER}}
        assert _approved(page, ["+4934194901"]) == set()

    @pytest.mark.parametrize(
        "lines",
        [
            ["Die Kopfnummer 0851 53106 mit allen Durchwahlen wird übergeben."],
            ["Folgende Rufnummern werden übergeben:", "Stammnummer 0851 53106"],
        ],
    )
    def test_stem_without_readable_extensions_is_unclear(self, lines: list[str]) -> None:
        got = _roles(_page(*lines))
        assert got == {"+49851 53106".replace(" ", ""): {Role.UNCLEAR}}

    @pytest.mark.parametrize(
        "extensions",
        [
            "Durchwahlen ....... 10 - 19 (verbleiben beim Kunden)",
            "Durchwahlen ....... 00 - 99 außer der 50",
            "Durchwahlen ....... 00 - 99, ob vollständig, klären wir noch",
        ],
    )
    def test_extensions_with_keep_back_or_doubt_leave_the_stem_unclear(
        self, extensions: str
    ) -> None:
        got = _roles(
            _page(
                "Folgende Rufnummern werden übergeben:", "Stammnummer ....... 089 56163", extensions
            )
        )
        assert Role.TRANSFER not in {r for roles in got.values() for r in roles}

    def test_extension_wording_of_the_next_number_leaves_a_number_alone(self) -> None:
        got = _roles(
            _page(
                "Wir übertragen die Rufnummer 0681 743740, ferner die",
                "Durchwahlnummern 0681 933400-10 bis 0681 933400-39.",
            )
        )
        assert got["+49681743740"] == {Role.TRANSFER}
