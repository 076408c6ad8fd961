"""Page geometry: rows, segments, zones, word boxes and tables."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from parsers.layout import (
    Line,
    PageLayout,
    Word,
    build_rows,
    rows_from_segments,
    union,
    zone_of,
)
from parsers.model import Source
from parsers.tables import aligned_tables
from parsers.textlayer import layout_from_pdfplumber
from tests.parsers.pdfs import Letter, build


def w(text: str, x0: float, top: float, *, size: float = 10.0) -> Word:
    return Word(text, x0, top, x0 + 6 * len(text), top + size, size)


class TestBuildRows:
    def test_words_on_one_baseline_form_one_row_in_reading_order(self) -> None:
        rows = build_rows([w("Rufnummer", 100, 100), w("Die", 70, 100.5), w("030", 160, 99.8)])
        assert [[seg.text for seg in row] for row in rows] == [["Die Rufnummer 030"]]

    def test_rows_are_ordered_top_down(self) -> None:
        rows = build_rows([w("zwei", 70, 120), w("eins", 70, 100)])
        assert [row[0].text for row in rows] == ["eins", "zwei"]

    def test_wide_gap_splits_segments(self) -> None:
        """Columns (letterhead blocks, unruled cells) become separate segments."""
        rows = build_rows([w("Alpha", 70, 100), w("GmbH", 106, 100), w("Tel.", 380, 100)])
        assert [seg.text for seg in rows[0]] == ["Alpha GmbH", "Tel."]


class TestRowsFromSegments:
    def test_tilted_lines_stay_separate_rows(self) -> None:
        """OCR lines that drift 6 pt over their length do not merge with the next line."""
        first = [
            Word(f"a{i}", 70 + 40 * i, 300 + 0.6 * i, 100 + 40 * i, 310 + 0.6 * i)
            for i in range(10)
        ]
        second = [
            Word(f"b{i}", 70 + 40 * i, 314 + 0.6 * i, 100 + 40 * i, 324 + 0.6 * i)
            for i in range(10)
        ]
        rows = rows_from_segments([second, first])
        assert [r[0].text.split()[0] for r in rows] == ["a0", "b0"]
        assert all(len(r) == 1 for r in rows)

    def test_boxes_on_one_line_share_a_row(self) -> None:
        rows = rows_from_segments([[w("Tel.", 380, 100)], [w("Alpha", 70, 101)]])
        assert [seg.text for seg in rows[0]] == ["Alpha", "Tel."]


class TestLine:
    def test_bbox_of_maps_text_offsets_to_word_boxes(self) -> None:
        line = Line.of([w("Nr", 10, 50), w("030", 30, 50), w("1234567", 60, 50)])
        start = line.text.index("030")
        box = line.bbox_of(start, len(line.text))
        assert box == union([line.words[1].bbox, line.words[2].bbox])

    def test_spans_index_into_text(self) -> None:
        line = Line.of([w("a", 0, 0), w("bcd", 10, 0)])
        assert [line.text[s:e] for s, e in line.spans] == ["a", "bcd"]


class TestZone:
    page = PageLayout(number=1, width=595, height=842, source=Source.TEXT)

    @pytest.mark.parametrize(
        ("top", "bottom", "text", "zone"),
        [
            (30, 40, "", "header"),
            (800, 810, "", "footer"),
            (300, 310, "Ihr Zeichen: AB-12", "reference"),
            (300, 310, "Kundennummer 4711", "reference"),
            (300, 310, "Wir übergeben", "body"),
        ],
    )
    def test_zones(self, top: float, bottom: float, text: str, zone: str) -> None:
        assert zone_of(self.page, top, bottom, text) == zone

    def test_later_page_set_high_starts_its_text_at_an_intro_line(self) -> None:
        """Page 2 whose text starts inside the slim header height: the intro line
        ("Seite 2 – Fortsetzung der Liste:") and the list under it are body."""
        words = [
            w("Seite", 74, 29), w("2", 110, 29), w("–", 120, 29),
            w("Fortsetzung", 130, 29), w("der", 200, 29), w("Liste:", 225, 29),
            w("–", 82, 45), w("06221-913606", 95, 45),
        ]  # fmt: skip
        page = PageLayout(2, 612, 792, Source.TEXT, rows=build_rows(words))
        assert zone_of(page, 45, 55) == "body"
        assert zone_of(page, 29, 39) == "body"
        plain = PageLayout(2, 612, 792, Source.TEXT, rows=build_rows([w("Seite", 74, 20)]))
        assert zone_of(plain, 45, 55) == "header"  # no intro line: the slim header stays


class TestAlignedTables:
    def test_unruled_vorwahl_table_becomes_cells(self) -> None:
        """A header row with Vorwahl/Rufnummer columns turns aligned rows into cells."""
        words = [
            w("Vorwahl", 70, 300),
            w("Rufnummer", 180, 300),
            w("von", 300, 300),
            w("bis", 400, 300),
            w("0221", 70, 315),
            w("4711", 180, 315),
            w("10", 300, 315),
            w("15", 400, 315),
            w("Danach", 70, 360),
        ]
        page = PageLayout(1, 595, 842, Source.OCR, rows=build_rows(words))
        aligned_tables(page)
        assert len(page.tables) == 1
        cells = [c.text if c else None for c in page.tables[0].rows[1]]
        assert cells == ["0221", "4711", "10", "15"]
        assert [page.row_text(r) for r in range(len(page.rows))] == ["Danach"]

    def test_nr_rufnummer_bemerkung_table_with_wrapped_remark(self) -> None:
        """A wrapped remark line joins its row; prose after the table ends it."""
        words = [
            w("Nr.", 70, 300),
            w("Rufnummer", 100, 300),
            w("Bemerkung", 300, 300),
            w("1", 70, 318),
            w("030", 100, 318),
            w("1234567", 126, 318),
            w("wird", 300, 318),
            w("übergeben", 330, 318),
            w("Durchwahlblock,", 300, 331),
            w("2", 70, 338),
            w("030", 100, 338),
            w("999-0", 126, 338),
            w("Der", 70, 370),
            *[w(f"Wort{i}", 94 + 36 * i, 370) for i in range(12)],
        ]
        page = PageLayout(1, 595, 842, Source.OCR, rows=build_rows(words))
        aligned_tables(page)
        assert len(page.tables) == 1
        table = page.tables[0]
        assert len(table.rows) == 3
        # the position column is split from the number: body values start under both
        assert table.row_text(1) == "1 | 030 1234567 | wird übergeben Durchwahlblock,"
        assert page.row_text(0).startswith("Der Wort0")


class TestFromPdfplumber:
    def test_ruled_table_is_read_as_cells_and_left_out_of_the_flow(self) -> None:
        pdf = build(
            Letter(
                body=["Folgende Rufnummern werden übergeben:"],
                table=[
                    ["Vorwahl", "Rufnummer", "Durchwahl von", "Durchwahl bis"],
                    ["0221", "4711", "10", "15"],
                ],
            )
        )
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            page = doc.pages[0]
            try:
                layout = layout_from_pdfplumber(page, number=1)
            finally:
                page.close()
        assert len(layout.tables) == 1
        table = layout.tables[0]
        assert [c.text for c in table.rows[1] if c] == ["0221", "4711", "10", "15"]
        flow = " ".join(layout.row_text(r) for r in range(len(layout.rows)))
        assert "0221" not in flow
        assert layout.strokes  # the signature curve
        assert layout.rules  # the signature line
        assert layout.char_count > 100


def _sideways_annex(turn: int, *, page_rotation: int = 0, margin_note: bool = False) -> bytes:
    """An annex table drawn turned by ``turn`` degrees on a portrait sheet."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    width, height = A4
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    if page_rotation:
        c.setPageRotation(page_rotation)
    if margin_note:
        c.setFont("Helvetica", 7)
        c.saveState()
        c.translate(20, 300)
        c.rotate(90)
        c.drawString(0, 0, "Druckvermerk 0331 4711")
        c.restoreState()
    c.saveState()
    if turn == 90:
        c.translate(width, 0)
    elif turn == -90:
        c.translate(0, height)
    elif turn == 180:
        c.translate(width, height)
    c.rotate(turn)
    h = width if turn in (90, -90) else height
    c.setFont("Helvetica", 10)
    c.drawString(60, h - 80, "Folgende Rufnummern werden übergeben:")
    for x, text in [(60, "Vorwahl"), (140, "Rufnummer"), (240, "Durchwahl von"), (340, "bis")]:
        c.drawString(x, h - 100, text)
    for i, row in enumerate([("0331", "2345678", "", ""), ("0331", "98765", "00", "99")]):
        for x, text in zip([60, 140, 240, 340], row, strict=True):
            if text:
                c.drawString(x, h - 116 - 16 * i, text)
    c.restoreState()
    c.showPage()
    c.save()
    return buf.getvalue()


def _read_page(pdf: bytes) -> PageLayout:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        try:
            return layout_from_pdfplumber(page, number=2)
        finally:
            page.close()


class TestPageGeometry:
    @pytest.mark.parametrize("turn", [90, -90, 180])
    def test_turned_text_is_read_in_reading_order(self, turn: int) -> None:
        layout = _read_page(_sideways_annex(turn))
        flow = [layout.row_text(r) for r in range(len(layout.rows))]
        assert flow == ["Folgende Rufnummern werden übergeben:"]
        assert len(layout.tables) == 1
        rows = [layout.tables[0].row_text(r) for r in range(len(layout.tables[0].rows))]
        assert rows == [
            "Vorwahl | Rufnummer | Durchwahl von | bis",
            "0331 | 2345678",
            "0331 | 98765 | 00 | 99",
        ]
        if turn != 180:
            assert layout.width > layout.height  # read as the landscape sheet it is

    @pytest.mark.parametrize("rotation", [90, 270])
    def test_rotate_entry_with_turned_drawing(self, rotation: int) -> None:
        """/Rotate plus a drawing turned the other way: upright for the reader."""
        turn = 90 if rotation == 90 else -90
        layout = _read_page(_sideways_annex(turn, page_rotation=rotation))
        texts = [layout.row_text(r) for r in range(len(layout.rows))]
        texts += [t.row_text(r) for t in layout.tables for r in range(len(t.rows))]
        assert "0331 | 98765 | 00 | 99" in texts
        assert not any("0331 0331" in t for t in texts)

    def test_sideways_margin_note_is_left_out_of_the_flow(self) -> None:
        layout = _read_page(_sideways_annex(0, margin_note=True))
        flow = " ".join(layout.row_text(r) for r in range(len(layout.rows)))
        assert "Druckvermerk" not in flow and "4711" not in flow
        assert len(layout.tables) == 1


def _fpdf_table(borders: str) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import TableBordersLayout

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.set_y(80)
    pdf.multi_cell(0, 6, "Folgende Rufnummern werden übergeben:")
    pdf.ln(4)
    rows = [
        ("Vorwahl", "Rufnummer", "Durchwahl von", "Durchwahl bis", "Übergabe"),
        ("0221", "4711", "10", "15", "ja"),
        ("0221", "998877", "", "", "nein"),
        ("030", "123456", "0", "99", "ja"),
    ]
    with pdf.table(borders_layout=getattr(TableBordersLayout, borders), text_align="LEFT") as t:
        for r in rows:
            cells = t.row()
            for text in r:
                cells.cell(text)
    return bytes(pdf.output())


class TestRuledShapes:
    @pytest.mark.parametrize(
        "borders", ["ALL", "HORIZONTAL_LINES", "SINGLE_TOP_LINE", "NONE", "NO_HORIZONTAL_LINES"]
    )
    def test_every_border_layout_gives_one_row_per_line(self, borders: str) -> None:
        layout = _read_page(_fpdf_table(borders))
        assert len(layout.tables) == 1
        table = layout.tables[0]
        assert [table.row_text(r) for r in range(len(table.rows))] == [
            "Vorwahl | Rufnummer | Durchwahl von | Durchwahl bis | Übergabe",
            "0221 | 4711 | 10 | 15 | ja",
            "0221 | 998877 | nein",
            "030 | 123456 | 0 | 99 | ja",
        ]
