"""Table shapes a letter sets without a decision column of the usual kind: captions
over tables, inverted decision columns, a status line under each number, a footnote
that lists the numbers, a contact label inside a cell. Each test builds a small PDF
with reportlab (or a ruled table as pdfplumber gives it) and reads it as the reader
does."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from parsers.findings import find_numbers_on_pages
from parsers.layout import PageLayout, Word, build_rows
from parsers.model import Role, Source
from parsers.tables import aligned_tables, inverted_answers, row_statement, table_numbers
from parsers.textlayer import layout_from_pdfplumber
from tests.fixtures.producers.common import font_file
from tests.parsers.test_tables import grid, ruled_roles

PAGE_H = A4[1]
FONT = "DejaVuSans"  # holds the arrows and superscripts letters print
pdfmetrics.registerFont(TTFont(FONT, str(font_file("DejaVuSans.ttf"))))


@dataclass
class Text:
    """A run of text: left edge, top (points from the page top), font size, and a
    rise (a raised footnote mark)."""

    x: float
    top: float
    text: str
    size: float = 10.0
    rise: float = 0.0


def _pdf(
    texts: Sequence[Text], grids: Sequence[tuple[float, float, list[list[str]]]] = ()
) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for t in texts:
        c.setFont(FONT, t.size)
        c.drawString(t.x, PAGE_H - t.top - t.size + t.rise, t.text)
    for x, top, rows in grids:
        c.setFont(FONT, 10)
        c.setLineWidth(0.6)
        for r, row in enumerate(rows):
            y = PAGE_H - top - 18 * (r + 1)
            for col, cell in enumerate(row):
                c.rect(x + 60 * col, y, 60, 18, stroke=1, fill=0)
                c.drawString(x + 60 * col + 4, y + 5, cell)
    c.showPage()
    c.save()
    return buf.getvalue()


def _letter(
    body: Sequence[Text], grids: Sequence[tuple[float, float, list[list[str]]]] = ()
) -> bytes:
    head = [
        Text(70, 60, "Alpha Telecom GmbH · Hauptstraße 1 · 10115 Berlin", 8),
        Text(70, 240, "Sehr geehrte Damen und Herren,"),
    ]
    return _pdf([*head, *body], grids)


def _layout(pdf: bytes) -> PageLayout:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return layout_from_pdfplumber(doc.pages[0], number=1)


def _roles(pdf: bytes) -> dict[str, Role]:
    found, _ = find_numbers_on_pages([_layout(pdf)])
    return {n.range.first: n.role for n in found}


def _close(top: float) -> list[Text]:
    return [Text(70, top, "Mit freundlichen Grüßen"), Text(70, top + 40, "Jana Keller")]


class TestCaptions:
    """A caption over a table without a decision column decides its rows."""

    def test_handover_and_keep_back_captions(self) -> None:
        pdf = _letter(
            [
                Text(70, 265, "Zu übergebende Rufnummern"),
                Text(70, 345, "Nicht zu übergebende Rufnummern"),
                *_close(430),
            ],
            [(70, 280, [["0561", "869184"], ["0561", "707262"]]), (70, 360, [["0561", "2665488"]])],
        )
        assert _roles(pdf) == {
            "+49561869184": Role.TRANSFER,
            "+49561707262": Role.TRANSFER,
            "+495612665488": Role.EXCLUDED,
        }

    def test_caption_between_unruled_tables_is_not_a_wrapped_cell(self) -> None:
        # the next table's caption, set right under the last row of an unruled table,
        # must not join that row (it would hand the kept-back number over)
        pdf = _letter(
            [
                Text(70, 265, "Nicht zu übergebende Rufnummern"),
                Text(70, 281, "Rufnummer"),
                Text(310, 281, "Vermerk"),
                Text(70, 295, "0351/964759"),
                Text(70, 309, "Zu übergebende Rufnummern"),
                Text(70, 325, "Rufnummer"),
                Text(310, 325, "Vermerk"),
                Text(70, 339, "0351/62194892"),
                *_close(430),
            ]
        )
        assert _roles(pdf) == {
            "+49351964759": Role.EXCLUDED,
            "+4935162194892": Role.TRANSFER,
        }

    def test_keep_back_caption_beats_a_handover_intro(self) -> None:
        page = PageLayout(
            1,
            595,
            842,
            Source.TEXT,
            rows=build_rows([_w("Verbleibende", 70, 282), _w("Rufnummern", 150, 282)]),
        )
        table = grid(["Rufnummer", "Art"], ["030 1234567", "Zentrale"])
        page.tables = [table]
        roles = [
            n.role
            for n in table_numbers(
                page, table, intro="Wir übergeben folgende Rufnummern:", region="DE"
            )
        ]
        assert roles == [Role.EXCLUDED]

    def test_caption_without_wording_keeps_the_intro(self) -> None:
        page = PageLayout(
            1, 595, 842, Source.TEXT, rows=build_rows([_w("Rufnummernliste", 70, 282)])
        )
        table = grid(["Rufnummer", "Art"], ["030 1234567", "Zentrale"])
        page.tables = [table]
        got = table_numbers(page, table, intro="", region="DE")
        assert [n.role for n in got] == [Role.UNCLEAR]
        got = table_numbers(page, table, intro="Folgende Rufnummern übergeben wir:", region="DE")
        assert [n.role for n in got] == [Role.TRANSFER]

    def test_sentence_above_is_no_caption(self) -> None:
        """A full sentence ending in a full stop is the letter's text, not a heading."""
        page = PageLayout(
            1,
            595,
            842,
            Source.TEXT,
            rows=build_rows(
                [
                    _w(t, 70 + 60 * i, 282)
                    for i, t in enumerate(["Wir", "übergeben", "die", "Anschlüsse."])
                ]
            ),
        )
        table = grid(["Rufnummer", "Art"], ["030 1234567", "Zentrale"])
        page.tables = [table]
        assert [n.role for n in table_numbers(page, table, intro="", region="DE")] == [Role.UNCLEAR]

    def test_area_and_subscriber_cells_without_heading_are_one_number(self) -> None:
        table = grid(["0561", "869184"], ["0561", "707262"])
        page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
        got = table_numbers(page, table, intro="Folgende Rufnummern übergeben wir:", region="DE")
        assert [n.range.first for n in got] == ["+49561869184", "+49561707262"]


def _w(text: str, x0: float, top: float, size: float = 10.0) -> Word:
    return Word(text, x0, top, x0 + 6 * len(text), top + size, size)


HANDOVER = "wir bestätigen die Übergabe der Rufnummern gemäß folgender Aufstellung:"


class TestInvertedColumn:
    """A heading that asks whether the number stays turns "ja" and "nein" round."""

    @pytest.mark.parametrize(
        "heading",
        ["Verbleibt bei uns?", "Verbleibt beim abgebenden Partner?", "Keine Übergabe"],
    )
    @pytest.mark.parametrize(
        ("value", "role"),
        [("ja", Role.EXCLUDED), ("X", Role.EXCLUDED), ("nein", Role.TRANSFER), ("", Role.UNCLEAR)],
    )
    def test_yes_keeps_back_no_hands_over(self, heading: str, value: str, role: Role) -> None:
        table = grid(["Rufnummer", heading], ["089 618842", value])
        assert ruled_roles(table, HANDOVER) == [role]

    def test_no_under_a_keep_back_intro_is_unclear(self) -> None:
        table = grid(["Rufnummer", "Verbleibt bei uns?"], ["089 618842", "nein"])
        assert ruled_roles(table, "Folgende Rufnummern verbleiben bei uns:") == [Role.UNCLEAR]

    @pytest.mark.parametrize("heading", ["Gekündigt", "Abschaltung zum Vertragsende"])
    def test_no_under_a_keep_back_heading_leaves_the_row_to_the_intro(self, heading: str) -> None:
        """ "Gekündigt: nein" says only that this column keeps nothing back: the intro
        hands the row over, or nothing does."""
        table = grid(["Rufnummer", heading], ["089 618842", "nein"], ["089 7098711", "ja"])
        assert ruled_roles(table, HANDOVER) == [Role.TRANSFER, Role.EXCLUDED]
        neutral = "Den Stand je Rufnummer entnehmen Sie der Übersicht:"
        assert ruled_roles(table, neutral) == [Role.UNCLEAR, Role.EXCLUDED]

    def test_row_statement_leaves_the_answer_out(self) -> None:
        table = grid(
            ["Rufnummer", "Verbleibt bei uns?", "Bemerkung"], ["089 618842", "nein", "Fax"]
        )
        inverted = inverted_answers(table)
        assert inverted == frozenset({1})
        assert row_statement(table, 1, inverted) == "089 618842 | Fax"
        keep = grid(["Rufnummer", "Verbleibt bei uns?"], ["089 618842", "ja"])
        assert row_statement(keep, 1, inverted_answers(keep)) == "089 618842 | ja"


class TestStatusLines:
    """A status line right under each number governs that number only."""

    @pytest.mark.parametrize(
        ("give", "keep"),
        [
            ("→ Übergabe zum 01.02.2027", "→ keine Übergabe (Hausnotruf)"),
            ("Status: wird übergeben", "Status: verbleibt bei uns"),
            ("Übergabe: ja", "Übergabe: nein – Alarmanlage"),
        ],
    )
    def test_each_status_line_decides_its_number(self, give: str, keep: str) -> None:
        lines = [("0911 5385695", give), ("0911 701075", keep), ("0911 593925", give)]
        body: list[Text] = []
        top = 265.0
        for number, status in lines:
            body += [Text(100, top, number), Text(100, top + 13, status, 8.5)]
            top += 34
        pdf = _letter([*body, *_close(top + 20)])
        assert _roles(pdf) == {
            "+499115385695": Role.TRANSFER,
            "+49911701075": Role.EXCLUDED,
            "+49911593925": Role.TRANSFER,
        }

    def test_status_line_wins_over_the_intro(self) -> None:
        pdf = _letter(
            [
                Text(70, 258, "folgende Rufnummern werden übergeben:"),
                Text(100, 275, "030 1234567"),
                Text(100, 288, "→ verbleibt bei uns", 8.5),
                Text(100, 309, "030 7654321"),
                Text(100, 322, "→ siehe Anlage", 8.5),
                *_close(360),
            ]
        )
        assert _roles(pdf) == {"+49301234567": Role.EXCLUDED, "+49307654321": Role.UNCLEAR}


class TestFootnoteTable:
    """Numbers listed only in a footnote are read under the sentence carrying its mark."""

    def _body(self, mark: str, rise: float) -> list[Text]:
        sentence = "wir bestätigen die Übergabe der Rufnummern des Kunden Autohaus Kessler"
        return [
            Text(70, 262, sentence),
            Text(70 + pdfmetrics.stringWidth(sentence, FONT, 10), 262, mark, 7, rise),
            Text(70, 276, "an Ihr Unternehmen zum 01.01.2027."),
            *_close(300),
            Text(70, 400, mark, 6, 2),
            Text(75, 400, "Betroffene Rufnummern:", 8),
            Text(75, 414, "0711 616728    Zentrale", 8),
            Text(75, 427, "0711 348221    Fax", 8),
            Text(75, 440, "0711 403277    verbleibt (Notruf Aufzug)", 8),
        ]

    def test_rows_under_a_marked_footnote(self) -> None:
        pdf = _letter(self._body("1", 3))
        assert _roles(pdf) == {
            "+49711616728": Role.TRANSFER,
            "+49711348221": Role.TRANSFER,
            "+49711403277": Role.EXCLUDED,
        }

    def test_without_the_mark_in_the_text_nothing_is_handed_over(self) -> None:
        body = [t for t in self._body("1", 3) if not (t.text == "1" and t.top == 262)]
        got = _roles(_letter(body))
        assert Role.TRANSFER not in got.values()


class TestColumnsAndCells:
    def test_values_wider_than_their_heading_leave_a_channel(self) -> None:
        """ "0711 6200512" reaches past "Rufnummer", a box starts under "Übergabe": the
        gap between the headings still parts two columns."""
        words = [
            Word("Rufnummer", 75.4, 280, 144.6, 290.5, 10.5),
            Word("Übergabe", 161.2, 280, 218.8, 290.5, 10.5),
        ]
        for i, (sub, box) in enumerate((("6200512", "☒"), ("749320", "☐"))):
            top = 295 + 16 * i
            words += [
                Word("0711", 75.4, top, 102.1, top + 10.5, 10.5),
                Word(sub, 105.4, top, 105.4 + 6.7 * len(sub), top + 10.5, 10.5),
                Word(box, 161.6, top, 173.6, top + 10.5, 10.5),
            ]
        page = PageLayout(1, 595, 842, Source.TEXT, rows=build_rows(words))
        aligned_tables(page)
        assert len(page.tables) == 1
        roles = [
            n.role
            for n in table_numbers(
                page, page.tables[0], intro="angekreuzte Rufnummern werden übergeben:", region="DE"
            )
        ]
        assert roles == [Role.TRANSFER, Role.EXCLUDED]

    def test_contact_label_inside_a_cell(self) -> None:
        """A layout grid (sidebar beside the letter) holds "Tel. 040 …": a contact."""
        table = grid(["Rufnummern:", "Ihr Ansprechpartner"], ["", "Tel. 040 2144763"])
        page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
        got = {
            n.range.first: n.role
            for n in table_numbers(page, table, intro="folgende Rufnummern:", region="DE")
        }
        assert got["+49402144763"] is Role.CONTACT


class TestMarkColumn:
    """A column without a heading that holds only marks takes their meaning from the
    text above; a mark the text does not explain decides nothing."""

    def _roles(self, text: str) -> list[Role]:
        table = grid(
            ["", "Rufnummer", "Verwendung"],
            ["✔", "+49 761 75 38 45 52", "Zentrale"],
            ["✘", "+49 761 45 11 63 35", "Lager"],
        )
        page = PageLayout(1, 595, 842, Source.TEXT, tables=[table])
        return [n.role for n in table_numbers(page, table, intro=text, region="DE")]

    def test_explained_marks(self) -> None:
        text = (
            "Mit ✔ gekennzeichnete Rufnummern werden an Sie übergeben, mit ✘ gekennzeichnete nicht."
        )
        assert self._roles(text) == [Role.TRANSFER, Role.EXCLUDED]

    def test_mark_that_keeps_back(self) -> None:
        text = "Mit ✔ gekennzeichnete Rufnummern verbleiben bei uns, alle anderen übergeben wir."
        assert self._roles(text) == [Role.EXCLUDED, Role.UNCLEAR]

    def test_unexplained_marks_decide_nothing(self) -> None:
        assert self._roles("Die Rufnummern unseres Kunden:") == [Role.UNCLEAR, Role.UNCLEAR]

    def test_unexplained_no_mark_is_never_handed_over_by_the_intro(self) -> None:
        assert self._roles("Folgende Rufnummern übergeben wir:") == [Role.TRANSFER, Role.UNCLEAR]
