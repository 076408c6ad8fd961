"""Roles from statements: polarity, clauses, carve-outs, columns, footnotes, annexes.

Pages are built from words (``tests.fixtures.pagebuild.Sheet``) so each layout is
exact and the tests run without rendering PDFs.
"""

from __future__ import annotations

import pytest

from handlers.relocation.decision import decide
from parsers.findings import find_numbers_on_pages
from parsers.layout import PageLayout
from parsers.model import FoundNumber, NumberRange, ParsedDocument, Role, SignatureFinding
from parsers.numbers import find_numbers
from parsers.roles import NumberContext, classify
from tests.fixtures.pagebuild import Sheet


def _ctx(sentence: str, number: str, **kw: str) -> NumberContext:
    """A context for ``number`` inside ``sentence``, with the other numbers located."""
    found = find_numbers(sentence)
    at = sentence.index(number)
    others = tuple((m.start, m.end) for m in found if m.start != at)
    return NumberContext(
        sentence=sentence,
        before=sentence[:at],
        at=at,
        end=at + len(number),
        others=others,
        **kw,
    )


def _role(sentence: str, number: str, **kw: str) -> Role:
    return classify(_ctx(sentence, number, **kw))[0]


class TestPolarity:
    @pytest.mark.parametrize(
        ("sentence", "number"),
        [
            (
                "Die Rufnummer 0521 987654 wurde bereits zum 30.09.2026 gekündigt und steht "
                "für eine Übergabe nicht mehr zur Verfügung.",
                "0521 987654",
            ),
            (
                "Nicht umziehen soll die Rufnummer 06221/3328416; diese bleibt bei uns.",
                "06221/3328416",
            ),
            ("Die Rufnummer 030 51463421 ist bereits gekündigt und entfällt.", "030 51463421"),
            (
                "Auch die Rufnummer 030 22494936 wurde gekündigt; sie ist nicht Teil der Übergabe.",
                "030 22494936",
            ),
            ("Die Rufnummer 0391/7328749 geben wir nicht ab.", "0391/7328749"),
            (
                "Den Anschluss 0871/863429 nutzt der Kunde über uns weiter, er wechselt nicht.",
                "0871/863429",
            ),
            ("Bitte beachten Sie: 0931 8388156 wird nicht mit übertragen.", "0931 8388156"),
            ("Für 0541 3735721 gilt diese Erklärung ausdrücklich nicht.", "0541 3735721"),
            ("Die Rufnummer 05241 563724 bleibt weiterhin in unserem Bestand.", "05241 563724"),
            ("Die Rufnummer 0531 6654123 ist nicht Gegenstand dieser Freigabe.", "0531 6654123"),
        ],
    )
    def test_keep_back_or_negation_beats_handover_words(self, sentence: str, number: str) -> None:
        """Whatever handover word stands in the statement, keep-back wording wins."""
        assert _role(sentence, number, intro="Folgende Rufnummern werden übergeben:") is (
            Role.EXCLUDED
        )

    @pytest.mark.parametrize(
        "item",
        [
            "030 1234567 (wird weiterhin von uns betrieben)",
            "030 1234567 – wird zum Monatsende abgeschaltet",
            "030 1234567 (Auftrag storniert)",
        ],
    )
    def test_item_that_stays_or_ends_is_no_handover(self, item: str) -> None:
        assert _role(item, "030 1234567", intro="Folgende Rufnummern werden übergeben:") is (
            Role.EXCLUDED
        )

    @pytest.mark.parametrize(
        "sentence",
        [
            "Die Rufnummer 030 1234567 wird später gesondert freigegeben.",
            "Die Rufnummer 030 1234567 übergeben wir, sofern der Kunde zustimmt.",
            "Die Freigabe der Rufnummer 030 1234567 wird nachgereicht.",
        ],
    )
    def test_conditional_or_deferred_handover_is_unclear(self, sentence: str) -> None:
        assert _role(sentence, "030 1234567") is Role.UNCLEAR

    @pytest.mark.parametrize(
        "intro",
        [
            "Gegen einen Umzug der folgenden Rufnummern bestehen keine Bedenken:",
            "Der Übergabe der folgenden Rufnummern steht nichts entgegen:",
        ],
    )
    def test_negations_that_agree_are_no_keep_back(self, intro: str) -> None:
        assert _role("030 1234567", "030 1234567", intro=intro) is Role.TRANSFER

    def test_forward_only_carve_out(self) -> None:
        """ "ohne" names what follows it; with nothing after it, it names nothing."""
        block = "Wir übergeben den Block 030 1234-00 bis -99 ohne die -50."
        assert _role(block, "-50") is Role.EXCLUDED
        assert _role(block, "030 1234-00 bis -99") is Role.TRANSFER
        plain = "Wir übergeben die Rufnummer 030 1234567 ohne Unterbrechung des Betriebs."
        assert _role(plain, "030 1234567") is Role.TRANSFER

    def test_contact_phrase_in_a_conditional_sentence(self) -> None:
        sentence = "Falls Sie Fragen haben, erreichen Sie mich unter 030 1234567."
        assert _role(sentence, "030 1234567") is Role.CONTACT

    def test_doubt_is_unclear(self) -> None:
        sentence = "Ob die Rufnummer 030/38116092 ebenfalls wechseln soll, klärt der Kunde noch."
        assert _role(sentence, "030/38116092") is Role.UNCLEAR

    def test_contact_inside_the_handover_sentence(self) -> None:
        """ "… geben wir frei; für Rückfragen erreichen Sie mich unter …": the clause
        after the semicolon is the writer's line, the first clause hands over."""
        sentence = (
            "Die Rufnummer 0611/6665986 geben wir frei; für Rückfragen erreichen Sie mich "
            "unter 0541/25521-71 oder mobil unter 0160 7326627."
        )
        assert _role(sentence, "0611/6665986") is Role.TRANSFER
        assert _role(sentence, "0541/25521-71") is Role.CONTACT
        assert _role(sentence, "0160 7326627") is Role.CONTACT

    def test_two_clauses_each_keep_their_polarity(self) -> None:
        sentence = (
            "Wir übergeben die Rufnummer 030 1234567, die Rufnummer 030 7654321 verbleibt bei uns."
        )
        assert _role(sentence, "030 1234567") is Role.TRANSFER
        assert _role(sentence, "030 7654321") is Role.EXCLUDED

    @pytest.mark.parametrize(
        "sentence",
        [
            "Nicht übergeben wird 030 1111111, die 030 2222222 schon.",
            "Nicht übergeben werden 030 1111111, die 030 2222222 ebenso wenig.",
        ],
    )
    def test_handover_verb_of_a_negated_clause_hands_nothing_over(self, sentence: str) -> None:
        """A number whose own clause has no handover word never borrows one from a
        clause of the same sentence that keeps back: at most unclear."""
        assert _role(sentence, "030 2222222") is not Role.TRANSFER
        assert _role(sentence, "030 1111111") is Role.EXCLUDED

    def test_keep_back_clause_without_a_number_speaks_of_the_number_before(self) -> None:
        sentence = "Wir übergeben die Rufnummer 030 1234567, die jedoch bei uns verbleibt."
        assert _role(sentence, "030 1234567") is Role.EXCLUDED

    def test_carve_out_names_the_number_after_it(self) -> None:
        sentence = "Wir übergeben den Block 030 1234-00 bis -99 mit Ausnahme der -50."
        assert _role(sentence, "030 1234-00 bis -99") is Role.TRANSFER
        assert _role(sentence, "-50") is Role.EXCLUDED

    def test_carve_out_without_a_number_after_it_names_the_number_before(self) -> None:
        assert _role("Die Rufnummer 030 1234567 ist ausgenommen.", "030 1234567") is Role.EXCLUDED

    def test_carve_out_of_a_block_mentioned_again(self) -> None:
        """ "Von dem Block … ausgenommen ist die Durchwahl -44; sie bleibt bei uns": the
        extension is kept back, the block itself is only mentioned (not handed over)."""
        sentence = "Von dem Block 0531 9866-0 bis -99 ausgenommen ist die Durchwahl -44; sie bleibt bei uns."
        assert _role(sentence, "-44") is Role.EXCLUDED
        assert _role(sentence, "0531 9866-0 bis -99") is Role.UNCLEAR

    @pytest.mark.parametrize(
        ("row", "role"),
        [
            ("030 1234567 ☒ wird übergeben ☐ verbleibt", Role.TRANSFER),
            ("030 1234567 ☐ wird übergeben ☒ verbleibt", Role.EXCLUDED),
            ("030 1234567 ☒ verbleibt beim abgebenden Partner ☐ wird übergeben", Role.EXCLUDED),
            ("030 1234567 ☐ wird übergeben", Role.EXCLUDED),
            ("030 1234567 | ☒ | ☐", Role.UNCLEAR),
        ],
    )
    def test_check_boxes_decide_the_row(self, row: str, role: Role) -> None:
        """A ticked box takes its words, an unticked one turns them round; boxes without
        words of their own are never read as a handover, whatever the intro says."""
        assert _role(row, "030 1234567", intro="Folgende Rufnummern werden übergeben:") is role

    def test_form_choices_are_no_negation(self) -> None:
        header = "Rufnummer | Übergabe ja/nein"
        yes = NumberContext(sentence="030 1234567 | ja", table_header=header)
        no = NumberContext(sentence="030 1234567 | nein", table_header=header)
        assert classify(yes)[0] is Role.TRANSFER
        assert classify(no)[0] is Role.EXCLUDED

    def test_party_names_are_no_handover_words(self) -> None:
        sentence = "Ansprechpartner des abgebenden Partners ist Herr Krüger, erreichbar unter 0441 68155-65."
        assert _role(sentence, "0441 68155-65") is Role.CONTACT


def _letter_head(page: Sheet) -> None:
    page.line("Alpha Telekom GmbH", size=14)
    page.line("Hauptstraße 1 · 10115 Berlin · Tel. 030 2223334", size=8)
    page.y = 240
    page.line("Sehr geehrte Damen und Herren,")
    page.gap(4)


def _close(page: Sheet) -> None:
    page.gap()
    page.line("Mit freundlichen Grüßen")
    page.ink()
    page.line("Jana Keller")


def _roles(pages: list[PageLayout]) -> dict[str, set[Role]]:
    found, _ = find_numbers_on_pages(pages)
    out: dict[str, set[Role]] = {}
    for n in found:
        out.setdefault(str(n.range), set()).add(n.role)
    return out


def _approved(pages: list[PageLayout], requested: list[NumberRange]) -> list[NumberRange]:
    found, blanket = find_numbers_on_pages(pages)
    doc = ParsedDocument(
        file="x.pdf",
        pages=len(pages),
        numbers=tuple(found),
        signature=SignatureFinding(present=True, kind="ink"),
        blanket_clause=blanket,
    )
    return list(decide(requested, [doc]).approved)


def _one(e164: str) -> NumberRange:
    return NumberRange.single(e164)


class TestLayouts:
    def test_statement_in_the_second_column_keeps_back(self) -> None:
        """A keep-back statement set beside the handover list is read on its own: its
        number is excluded and the list keeps its intro."""
        page = Sheet()
        _letter_head(page)
        page.columns(
            ["Folgende Rufnummern werden", "übergeben:", "- 030 1234567", "- 030 2345678"],
            [
                "Bitte beachten Sie:",
                "Die Rufnummer 030 7654321 wurde",
                "bereits gekündigt und steht für eine",
                "Übergabe nicht mehr zur Verfügung.",
            ],
        )
        _close(page)
        got = _roles([page.layout()])
        assert got["+49307654321"] == {Role.EXCLUDED}
        assert got["+49301234567"] == {Role.TRANSFER}
        assert got["+49302345678"] == {Role.TRANSFER}

    def test_remark_column_read_as_a_second_column_keeps_its_number_back(self) -> None:
        """An unruled list whose remarks are long enough to look like a text column:
        a keep-back remark on a number's row never lets that number be handed over."""
        page = Sheet()
        _letter_head(page)
        page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        page.columns(
            ["030 1234567", "030 7654321", "030 2345678"],
            [
                "Zentrale des Kunden am Hauptsitz",
                "verbleibt bei uns wegen Notruf",
                "Telefax im Büro Nord",
            ],
            split=300,
        )
        _close(page)
        got = _roles([page.layout()])
        assert Role.TRANSFER not in got["+49307654321"]
        assert got["+49301234567"] == {Role.TRANSFER}

    @pytest.mark.parametrize("right_items", [1, 3])
    def test_two_headed_lists_side_by_side(self, right_items: int) -> None:
        """ "Folgende Rufnummern werden übergeben:" beside "Nicht übergeben werden:",
        each with its own list; the right list may be shorter and start lower."""
        page = Sheet()
        _letter_head(page)
        kept = ["030 7000001", "030 7000002", "030 7000003"][:right_items]
        handed = ["030 1000001", "030 1000002", "030 1000003"]
        left = ["Folgende Rufnummern werden", "übergeben:", *(f"- {n}" for n in handed)]
        right = ["Nicht übergeben werden:", "", *(f"- {n}" for n in kept)]
        page.columns(left, right, split=300)
        _close(page)
        got = _roles([page.layout()])
        for n in kept:
            assert got["+49" + n[1:].replace(" ", "")] == {Role.EXCLUDED}, n
        for n in handed:
            assert got["+49" + n[1:].replace(" ", "")] == {Role.TRANSFER}, n

    def test_sentence_never_ends_inside_a_block(self) -> None:
        """ "0351 41693-0 ... -99 wurde gekündigt": the dots are the block's, not the end
        of a sentence, so the keep-back reaches the block."""
        page = Sheet()
        _letter_head(page)
        page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        page.line("- 0351 41693-0 ... -99", x=page.left + 10)
        page.line("- 0351 8843469", x=page.left + 10)
        page.gap()
        page.line("Die Rufnummer 0351 41693-0 ... -99 wurde bereits gekündigt.")
        _close(page)
        found, _ = find_numbers_on_pages([page.layout()])
        block = NumberRange("+493514169300", "+493514169399")
        assert not any(n.range.overlaps(block) for n in found if n.role is Role.TRANSFER)
        assert any(n.range == block and n.role is Role.EXCLUDED for n in found)

    def test_sidebar_line_beside_the_handover_sentence_is_no_handover(self) -> None:
        page = Sheet()
        _letter_head(page)
        page.columns(
            [
                "Hiermit bestätigen wir die Übergabe der",
                "Rufnummer 089 4711815 an die Beta Net GmbH",
                "zum nächstmöglichen Termin und danken",
                "Ihnen für die gute Zusammenarbeit bisher.",
            ],
            ["Ihr Ansprechpartner", "Telefon 089 412993-27", "Frau Keller", "Raum 4.12"],
            split=380,
        )
        _close(page)
        got = _roles([page.layout()])
        assert got["+49894711815"] == {Role.TRANSFER}
        assert Role.TRANSFER not in got["+498941299327"]

    def test_raised_footnote_mark_keeps_its_number_back_and_does_not_cut_the_list(self) -> None:
        page = Sheet()
        _letter_head(page)
        page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        for text in ("- 030 1234567", "- 030 7654321", "- 030 2345678"):
            end = page.put(text, page.left + 10, page.y)
            if "7654321" in text:
                page.raised("¹", end, page.y)
            page.y += 14
        _close(page)
        page.y = 720
        page.line("¹ Diese Rufnummer verbleibt bei uns.", size=8)
        got = _roles([page.layout()])
        assert got["+49307654321"] == {Role.EXCLUDED}
        assert got["+49301234567"] == {Role.TRANSFER}
        assert got["+49302345678"] == {Role.TRANSFER}

    def test_raised_marks_at_the_number_and_at_the_note(self) -> None:
        """Both marks raised on rows of their own ("(1)" above the line's end and
        before the note at the bottom)."""
        page = Sheet()
        _letter_head(page)
        page.line("Wir geben die nachstehenden Rufnummern an die Beta Net GmbH frei:")
        for text in ("- 030 1234567", "- 030 7654321"):
            end = page.put(text, page.left + 10, page.y)
            if "1234567" in text:
                page.raised("(1)", end, page.y)
            page.y += 14
        _close(page)
        page.y = 600
        end = page.raised("(1)", page.left, page.y, size=8)
        page.put("Bereits gekündigt, wird nicht übergeben.", end + 2, page.y, size=8)
        got = _roles([page.layout()])
        assert got["+49301234567"] == {Role.EXCLUDED}
        assert got["+49307654321"] == {Role.TRANSFER}

    def test_check_box_rows_take_their_heading_row(self) -> None:
        """Boxes set as an unruled table under "Rufnummer | wird übergeben | verbleibt"."""
        page = Sheet()
        _letter_head(page)
        page.line("Je Rufnummer ist angekreuzt, ob sie an die Beta Net GmbH übergeben wird:")
        page.gap()
        xs = [page.left, page.left + 200, page.left + 320]
        rows = [
            ("Rufnummer", "wird übergeben", "verbleibt"),
            ("030 1234567", "☒", "☐"),
            ("030 7654321", "☐", "☒"),
        ]
        for row in rows:
            for x, text in zip(xs, row, strict=True):
                page.put(text, x, page.y)
            page.y += 14
        _close(page)
        got = _roles([page.layout()])
        assert got["+49301234567"] == {Role.TRANSFER}
        assert got["+49307654321"] == {Role.EXCLUDED}

    def test_list_running_on_below_a_sidebar_keeps_its_intro(self) -> None:
        page = Sheet()
        _letter_head(page)
        page.columns(
            [
                "hiermit bestätigen wir die Übergabe der folgenden",
                "Rufnummern unseres Kunden an die Beta Net GmbH:",
                "- 030 1234567",
                "- 030 2345678",
                "- 030 3456789",
            ],
            ["Ihr Ansprechpartner", "Jonas Krüger", "Telefon 0231 4763132"],
            split=380,
        )
        page.line("- 030 4567890", x=page.left)
        _close(page)
        got = _roles([page.layout()])
        for n in ("+49301234567", "+49302345678", "+49303456789", "+49304567890"):
            assert got[n] == {Role.TRANSFER}, n
        assert Role.TRANSFER not in got["+492314763132"]

    @pytest.mark.parametrize(
        ("heads", "kept_row"),
        [
            (["Rufnummer", "Übergabe", "keine Übergabe"], ["030 7654321", "☐", "☒"]),
            (["Rufnummer", "Übergabe", "keine Übergabe"], ["030 7654321", "☐ ☐", "☒ ☐"]),
            (["Rufnummer", "Übergabe", ""], ["030 7654321", "☐ ja", "☒ nein"]),
            (["Rufnummer", "Übergabe", "Bemerkung"], ["030 7654321", "ja", "verbleibt bei uns"]),
        ],
    )
    def test_ruled_table_row_that_keeps_back_is_never_handed_over(
        self, heads: list[str], kept_row: list[str]
    ) -> None:
        """Whatever the table's columns decide, a row whose own words or ticked box
        keep the number back does not hand it over."""
        page = Sheet()
        _letter_head(page)
        page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        page.gap()
        first = ["030 1234567", *("☒" if h == "Übergabe" else "ja" for h in heads[1:2])]
        first += [""] * (len(heads) - len(first))
        page.grid(
            [heads, first, kept_row], [page.left, page.left + 200, page.left + 300], ruled=True
        )
        _close(page)
        pages = [page.layout()]
        got = _roles(pages)
        assert Role.TRANSFER not in got["+49307654321"]
        assert _approved(pages, [_one("+49307654321")]) == []

    def test_mark_without_its_note_leaves_the_number_unclear(self) -> None:
        page = Sheet()
        _letter_head(page)
        page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        page.line("- 030 1234567*", x=page.left + 10)
        page.line("- 030 2345678", x=page.left + 10)
        _close(page)
        got = _roles([page.layout()])
        assert got["+49301234567"] == {Role.UNCLEAR}
        assert got["+49302345678"] == {Role.TRANSFER}

    def test_postscript_below_the_signature_keeps_back(self) -> None:
        page = Sheet()
        _letter_head(page)
        page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        page.line("- 030 1234567", x=page.left + 10)
        page.line("- 030 7654321", x=page.left + 10)
        _close(page)
        page.gap()
        page.line("P.S. Die Rufnummer 030 7654321 ist nicht Gegenstand dieser Freigabe.")
        pages = [page.layout()]
        got = _roles(pages)
        assert Role.EXCLUDED in got["+49307654321"]
        requested = [_one("+49301234567"), _one("+49307654321")]
        assert _approved(pages, requested) == [_one("+49301234567")]

    def test_annex_page_takes_the_letters_reference_as_intro(self) -> None:
        first = Sheet()
        _letter_head(first)
        first.line("Hiermit übergeben wir die in Anlage 1 aufgeführten Rufnummern an die Beta Net.")
        first.line("Rufnummern, die in der Anlage als verbleibt gekennzeichnet sind, sind")
        first.line("von der Übergabe ausgenommen.")
        _close(first)
        annex = Sheet(number=2)
        annex.y = 90
        annex.line("Anlage 1: Rufnummernliste")
        annex.line("zum Schreiben vom 28.01.2026")
        annex.gap()
        annex.line("1   030 1234567")
        annex.line("2   030 7654321   verbleibt")
        got = _roles([first.layout(), annex.layout()])
        assert got["+49301234567"] == {Role.TRANSFER}
        assert got["+49307654321"] == {Role.EXCLUDED}

    def test_page_without_annex_heading_gets_no_annex_intro(self) -> None:
        first = Sheet()
        _letter_head(first)
        first.line("Hiermit übergeben wir die in Anlage 1 aufgeführten Rufnummern an die Beta Net.")
        _close(first)
        second = Sheet(number=2)
        second.y = 90
        second.line("Notizen zum Termin")
        second.gap()
        second.line("030 1234567")
        got = _roles([first.layout(), second.layout()])
        assert got["+49301234567"] == {Role.UNCLEAR}

    def test_carve_out_inside_a_block_is_cut_out_of_the_transfer(self) -> None:
        page = Sheet()
        _letter_head(page)
        page.line("Wir übergeben den Block 030 1234-00 bis -99 mit Ausnahme der -50.")
        _close(page)
        pages = [page.layout()]
        found, _ = find_numbers_on_pages(pages)
        transfer = sorted(str(n.range) for n in found if n.role is Role.TRANSFER)
        assert transfer == ["+4930123400..+4930123449", "+4930123451..+4930123499"]
        block = NumberRange("+4930123400", "+4930123499")
        assert all(not r.contains(_one("+4930123450")) for r in _approved(pages, [block]))

    def test_list_continued_on_the_next_page_keeps_its_intro(self) -> None:
        first = Sheet()
        _letter_head(first)
        first.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        first.line("- 030 1234567", x=first.left + 10)
        second = Sheet(number=2)
        second.y = 90
        second.line("Fortsetzung der Liste:")
        second.line("- 030 2345678", x=second.left + 10)
        second.line("- 030 3456789 (Kündigung zum 31.03.2026)", x=second.left + 10)
        _close(second)
        got = _roles([first.layout(), second.layout()])
        assert got["+49301234567"] == {Role.TRANSFER}
        assert got["+49302345678"] == {Role.TRANSFER}
        assert got["+49303456789"] == {Role.EXCLUDED}

    def test_numbered_paragraph_wrapped_onto_the_next_row(self) -> None:
        page = Sheet()
        _letter_head(page)
        page.line("(1) Der abgebende Partner überträgt dem aufnehmenden Partner die nachstehend")
        page.line("aufgeführten Rufnummern des Endkunden zur weiteren Betreuung:")
        page.line("a) 030 1234567", x=page.left + 10)
        page.line("b) 030 2345678", x=page.left + 10)
        _close(page)
        got = _roles([page.layout()])
        assert got["+49301234567"] == {Role.TRANSFER}
        assert got["+49302345678"] == {Role.TRANSFER}


class TestBlockNotations:
    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("089 68025-0 … -49", "+49896802500", "+49896802549"),
            ("089 68025-0 ... -49", "+49896802500", "+49896802549"),
            ("089 73794 0-49", "+49897379400", "+49897379449"),
            ("0221 9541100-9541199", "+492219541100", "+492219541199"),
            ("07071 7222120 bis 7222139", "+4970717222120", "+4970717222139"),
            ("(0931) 3257927-0 bis 3257927-9", "+4993132579270", "+4993132579279"),
            ("0611 44740 mit den Durchwahlen 00 bis 99", "+496114474000", "+496114474099"),
        ],
    )
    def test_block(self, text: str, first: str, last: str) -> None:
        found = find_numbers(text)
        assert [(m.range.first, m.range.last) for m in found] == [(first, last)]
        assert found[0].text == text

    def test_superscript_mark_does_not_hide_the_number(self) -> None:
        assert [m.range.first for m in find_numbers("0231 7979023¹")] == ["+492317979023"]

    def test_short_tail_that_is_no_block_stays_single(self) -> None:
        """ "bis 2026" after a number is no block end (it would end before it starts)."""
        assert [str(m.range) for m in find_numbers("030 1234567 bis 2026")] == ["+49301234567"]


def test_found_numbers_keep_their_text_after_carving() -> None:
    page = Sheet()
    _letter_head(page)
    page.line("Wir übergeben 030 1234-00 bis -99, ausgenommen -42.")
    _close(page)
    found: list[FoundNumber] = find_numbers_on_pages([page.layout()])[0]
    pieces = [n for n in found if n.role is Role.TRANSFER]
    assert {n.text for n in pieces} == {"030 1234-00 bis -99"}
    assert all("carved" in n.why for n in pieces)


class TestSeparableHandover:
    def test_gehen_ueber_hands_over(self) -> None:
        """'gehen … in die Verantwortung der … über' is the separable verb 'übergehen'."""
        sentence = (
            "Mit Wirkung zum 02.04.2026 gehen die Rufnummern 07531 4828551 und 07531 8262831 "
            "in die Verantwortung der Brückenschlag IT GmbH über."
        )
        assert _role(sentence, "07531 8262831") is Role.TRANSFER

    def test_a_stray_full_stop_before_the_legal_form_ends_no_sentence(self) -> None:
        """OCR's 'Brückenschlag IT. GmbH über.' stays one sentence, so 'über' is kept."""
        from parsers.roles import split_sentences

        text = "Die Rufnummer 07531 4828551 geht an die Brückenschlag IT. GmbH über. Danke."
        spans = split_sentences(text)
        a, b = spans[0]
        assert text[a:b].endswith("GmbH über.")
        assert len(spans) == 2

    def test_negated_separable_verb_keeps_back(self) -> None:
        """'geht … nicht … über' is no handover."""
        sentence = "Die Rufnummer 07531 698494 geht nicht auf die Brückenschlag IT GmbH über."
        assert _role(sentence, "07531 698494") is not Role.TRANSFER

    def test_uebergibt_hands_over(self) -> None:
        """The present tense 'übergibt' is a handover verb too."""
        sentence = "Die Alpha GmbH übergibt die Rufnummer 030 2211334 an die Beta AG."
        assert _role(sentence, "030 2211334") is Role.TRANSFER


class TestListAnnouncement:
    def test_number_before_an_announced_list_is_not_handed_over(self) -> None:
        """ "(Ihre Rufnummer X) ... werden folgende Rufnummern übergeben:" hands over the
        list that follows, never the number named before the announcement."""
        sentence = (
            "bezugnehmend auf Ihren Anruf (Ihre Rufnummer 0221 5265056) bestätigen wir "
            "Folgendes. auf Wunsch unseres Kunden werden folgende Rufnummern an die Beta "
            "AG übergeben:"
        )
        assert _role(sentence, "0221 5265056") is Role.UNCLEAR

    def test_handover_before_the_announcement_still_hands_over(self) -> None:
        sentence = "Übergeben wird die Rufnummer 030 2211334 sowie folgende Rufnummern:"
        assert _role(sentence, "030 2211334") is Role.TRANSFER

    def test_subject_line_and_salutation_are_no_part_of_the_first_sentence(self) -> None:
        """A subject line ("Umzugsauftrag …") above the salutation does not hand over a
        number the first sentence names; the list under the announcement is handed over."""
        page = Sheet()
        page.line("Alpha Telekom GmbH", size=14)
        page.y = 220
        page.line("Umzugsauftrag Kowalski Logistik GmbH: Bestätigung")
        page.line("Sehr geehrte Damen und Herren,")
        page.line("bezugnehmend auf Ihren Anruf (Ihre Rufnummer 0221 5265056) bestätigen")
        page.line("wir Folgendes. auf Wunsch unseres Kunden werden folgende Rufnummern an die")
        page.line("Beta AG übergeben:")
        page.line("– 0231 4907436", x=80)
        page.line("– 0231 9209420", x=80)
        _close(page)
        got = _roles([page.layout()])
        assert Role.TRANSFER not in got["+492215265056"]
        assert got["+492314907436"] == {Role.TRANSFER}
        assert got["+492319209420"] == {Role.TRANSFER}


class TestOrphanNote:
    def _letter(self, note: str) -> list[PageLayout]:
        page = Sheet()
        _letter_head(page)
        page.line("Folgende Rufnummern werden an die Beta Net GmbH übergeben:")
        for text in ("- 030 1234567", "- 030 7654321"):
            page.line(text, x=page.left + 10)
        _close(page)
        page.line("Vorstand")
        page.line(note, x=page.left + 6, size=8)
        return [page.layout()]

    def test_keep_back_note_whose_mark_was_lost_hands_nothing_over(self) -> None:
        """A footnote below the signature whose mark OCR lost ("Nicht Gegenstand dieser
        Freigabe.") keeps back a number the reader cannot locate: nothing is approved."""
        pages = self._letter("Nicht Gegenstand dieser Freigabe.")
        got = _roles(pages)
        assert Role.TRANSFER not in got["+49301234567"]
        assert Role.TRANSFER not in got["+49307654321"]
        assert _approved(pages, [_one("+49301234567"), _one("+49307654321")]) == []

    def test_a_neutral_line_below_the_signature_changes_nothing(self) -> None:
        got = _roles(self._letter("Leiterin des Kundenservice am Standort Berlin"))
        assert got["+49301234567"] == {Role.TRANSFER}
        assert got["+49307654321"] == {Role.TRANSFER}


class TestKeepBackAgainstAnEarlierHandover:
    def test_block_kept_back_in_the_right_column_takes_no_left_intro(self) -> None:
        """The keep-back statement beside the handover list names a block in
        international notation: it never takes the left column's intro."""
        page = Sheet()
        _letter_head(page)
        page.columns(
            ["Folgende Rufnummern werden", "übergeben:", "- +49 221 3850613"],
            [
                "Bitte beachten Sie:",
                "Die Rufnummer",
                "+49 221 22460-500 bis -549 wurde",
                "bereits zum 15.12.2026 gekündigt und",
                "steht für eine Übergabe nicht mehr zur",
                "Verfügung.",
            ],
        )
        _close(page)
        block = NumberRange("+4922122460500", "+4922122460549")
        pages = [page.layout()]
        assert _roles(pages)[str(block)] == {Role.EXCLUDED}
        assert _approved(pages, [block, _one("+492213850613")]) == [_one("+492213850613")]

    def test_later_keep_back_sentence_beats_a_ticked_handover_box(self) -> None:
        """ "030 54860-00 bis -29: ☒ wird übergeben" and later "Nicht umziehen soll die
        Rufnummer 030 54860-00 bis -29.": the block is never approved."""
        page = Sheet()
        _letter_head(page)
        page.line("Für die folgenden Rufnummern gilt:")
        for n in ("030 54860-00 bis -29", "030 1234567"):
            page.line(
                f"Rufnummer {n}: ☒ wird übergeben ☐ verbleibt beim abgebenden Partner",
                x=page.left + 10,
            )
        page.gap()
        page.line("Nicht umziehen soll die Rufnummer 030 54860-00 bis -29.")
        _close(page)
        block = NumberRange("+4930548600", "+4930548629")
        pages = [page.layout()]
        assert _approved(pages, [block, _one("+49301234567")]) == [_one("+49301234567")]
