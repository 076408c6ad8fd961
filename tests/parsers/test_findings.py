"""Numbers on whole letters with their roles (text layer, in-process)."""

from __future__ import annotations

import pytest

from config.settings import Settings, load_settings
from parsers.document import read_document_inprocess
from parsers.model import NumberRange, ParsedDocument, Role
from tests.parsers.pdfs import Letter, build


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={})


def read(letter: Letter, settings: Settings) -> ParsedDocument:
    doc = read_document_inprocess(build(letter), filename="letter.pdf", settings=settings)
    assert doc.error is None
    return doc


def roles(doc: ParsedDocument) -> dict[str, set[Role]]:
    out: dict[str, set[Role]] = {}
    for n in doc.numbers:
        out.setdefault(str(n.range), set()).add(n.role)
    return out


class TestLetters:
    def test_list_under_handover_intro_with_kept_back_number(self, settings: Settings) -> None:
        doc = read(
            Letter(
                body=[
                    "Sehr geehrte Damen und Herren,",
                    "",
                    "hiermit bestätigen wir, dass folgende Rufnummern an die Beta Net GmbH übergeben werden:",
                    "- 030 12345678",
                    "- 030 1234-00 bis -99",
                    "",
                    "Ausgenommen ist die Rufnummer 030 7654321, sie verbleibt bei uns.",
                    "Für Rückfragen erreichen Sie mich unter 0171 2345678.",
                ]
            ),
            settings,
        )
        got = roles(doc)
        assert got["+493012345678"] == {Role.TRANSFER}
        assert got["+4930123400..+4930123499"] == {Role.TRANSFER}
        assert got["+49307654321"] == {Role.EXCLUDED}
        assert got["+491712345678"] == {Role.CONTACT}
        # letterhead phone/fax and footer hotline
        assert got["+49302223334"] == {Role.CONTACT}
        assert got["+49302223335"] == {Role.CONTACT}
        assert got["+498003334445"] == {Role.CONTACT}
        assert not doc.blanket_clause

    def test_second_list_under_keep_back_heading_is_excluded(self, settings: Settings) -> None:
        doc = read(
            Letter(
                body=[
                    "Folgende Rufnummern werden übergeben:",
                    "- 030 12345678",
                    "",
                    "Nicht übergeben werden:",
                    "- 030 87654321",
                ]
            ),
            settings,
        )
        got = roles(doc)
        assert got["+493012345678"] == {Role.TRANSFER}
        assert got["+493087654321"] == {Role.EXCLUDED}

    def test_number_wrapped_over_two_lines_stays_whole(self, settings: Settings) -> None:
        """A number broken by the line end is read whole, never as a shorter valid one."""
        doc = read(
            Letter(
                body=["Hiermit übergeben wir die Rufnummer 030 1234", "5678 an die Beta Net GmbH."]
            ),
            settings,
        )
        transfer = [n for n in doc.numbers if n.role is Role.TRANSFER]
        assert [str(n.range) for n in transfer] == ["+493012345678"]
        assert transfer[0].bbox is not None

    def test_block_wrapped_after_bis_stays_a_block(self, settings: Settings) -> None:
        doc = read(
            Letter(body=["Wir geben den Rufnummernblock 0221 4711-10 bis", "-15 frei."]),
            settings,
        )
        assert NumberRange("+49221471110", "+49221471115") in {
            n.range for n in doc.numbers if n.role is Role.TRANSFER
        }

    def test_table_with_vorwahl_columns_under_intro(self, settings: Settings) -> None:
        doc = read(
            Letter(
                body=["Folgende Rufnummernblöcke werden an die Beta Net GmbH übertragen:"],
                table=[
                    ["Vorwahl", "Rufnummer", "Durchwahl von", "Durchwahl bis"],
                    ["0221", "4711", "10", "15"],
                    ["030", "998877", "0", "9"],
                ],
            ),
            settings,
        )
        got = roles(doc)
        assert got["+49221471110..+49221471115"] == {Role.TRANSFER}
        assert got["+49309988770..+49309988779"] == {Role.TRANSFER}

    def test_named_without_handover_is_unclear(self, settings: Settings) -> None:
        doc = read(Letter(body=["Der Kunde nutzt bei uns die Rufnummer 030 12345678."]), settings)
        assert roles(doc)["+493012345678"] == {Role.UNCLEAR}

    def test_blanket_clause_names_nothing(self, settings: Settings) -> None:
        doc = read(
            Letter(body=["Hiermit geben wir alle Rufnummern des Kunden Muster AG frei."]), settings
        )
        assert doc.blanket_clause
        assert not [n for n in doc.numbers if n.role is Role.TRANSFER]

    def test_list_continues_on_second_page(self, settings: Settings) -> None:
        """The intro on page 1 carries to the items continued on page 2."""
        doc = read(
            Letter(
                body=["Folgende Rufnummern werden übergeben:", "- 030 12345678"],
                pages_body=[["- 030 23456789"]],
            ),
            settings,
        )
        on_two = [n for n in doc.numbers if n.page == 2 and n.range.first == "+493023456789"]
        assert [n.role for n in on_two] == [Role.TRANSFER]
        assert doc.pages == 2
        assert len(doc.page_sizes) == 2

    def test_non_phone_digits_are_not_numbers(self, settings: Settings) -> None:
        """Customer number, date, HRB and IBAN in the letter are not read as numbers."""
        doc = read(Letter(body=["Wir übergeben die Rufnummer 030 12345678."]), settings)
        assert {str(n.range) for n in doc.numbers} == {
            "+493012345678",
            "+49302223334",
            "+49302223335",
            "+498003334445",
        }

    def test_subject_line_with_handover_wording_is_read_like_the_body(
        self, settings: Settings
    ) -> None:
        """Above the salutation only a line with handover wording escapes the letterhead zone."""
        doc = read(
            Letter(
                body=[
                    "Betreff: Freigabe der Rufnummer 030 12345678",
                    "Ihr Ansprechpartner 030 2223339",
                    "",
                    "Sehr geehrte Damen und Herren,",
                    "hiermit geben wir die Rufnummer 030 12345678 frei.",
                ]
            ),
            settings,
        )
        got = roles(doc)
        assert got["+493012345678"] == {Role.TRANSFER}
        assert got["+49302223339"] == {Role.CONTACT}

    def test_order_number_in_a_body_sentence_is_no_reference_line(self, settings: Settings) -> None:
        doc = read(
            Letter(
                body=[
                    "Sehr geehrte Damen und Herren,",
                    "die Rufnummer 030 12345678 (Auftragsnummer 4711) wird übergeben.",
                ]
            ),
            settings,
        )
        assert roles(doc)["+493012345678"] == {Role.TRANSFER}
