"""Check boxes in every form a letter uses come out as ☒/☐ words at the box."""

from __future__ import annotations

import io

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from parsers.forms import TICKED, UNTICKED, Box, box_outlines, drawn_boxes, with_boxes
from parsers.layout import PageLayout, Word
from parsers.textlayer import layout_from_pdfplumber

H = A4[1]


def read(pdf: bytes) -> PageLayout:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        try:
            return layout_from_pdfplumber(page, number=1)
        finally:
            page.close()


def flow(layout: PageLayout) -> list[str]:
    return [layout.row_text(r) for r in range(len(layout.rows))]


def form(draw_box) -> bytes:  # type: ignore[no-untyped-def]
    """Three rows "box  number": ticked, not ticked, ticked."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(70, H - 200, "Angekreuzte Rufnummern werden übergeben.")
    for i, (number, ticked) in enumerate(
        [("030 1234567", True), ("030 7654321", False), ("030 2345678", True)]
    ):
        y = H - 230 - 20 * i
        draw_box(c, 70, y - 1, ticked, i)
        c.setFont("Helvetica", 10)
        c.drawString(90, y, number)
    c.showPage()
    c.save()
    return buf.getvalue()


def box_with_x(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    c.rect(x, y, 10, 10, stroke=1, fill=0)
    if ticked:
        c.line(x + 1.5, y + 1.5, x + 8.5, y + 8.5)
        c.line(x + 1.5, y + 8.5, x + 8.5, y + 1.5)


def box_with_tick(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    c.rect(x, y, 10, 10, stroke=1, fill=0)
    if ticked:
        path = c.beginPath()
        path.moveTo(x + 1.5, y + 5)
        path.lineTo(x + 4, y + 1.5)
        path.lineTo(x + 11.5, y + 11.5)
        c.drawPath(path, stroke=1, fill=0)


def box_with_dingbat(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    c.rect(x, y, 10, 10, stroke=1, fill=0)
    if ticked:
        c.setFont("ZapfDingbats", 9)
        c.drawString(x + 1.2, y + 2, "4")  # ✔


def acroform_box(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    c.acroForm.checkbox(
        name=f"cb{i}", x=x, y=y, size=10, checked=ticked, buttonStyle="check", borderWidth=1
    )


def typed_box(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    c.setFont("Courier", 10)
    c.drawString(x - 6, y + 1, "[x]" if ticked else "[ ]")


def glyph_box(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    c.drawString(x, y + 1, "[X]" if ticked else "[]")


def rounded_box(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    """A CSS box with rounded corners: one closed stroked path, no rectangle; ticked
    with a CSS tick (two filled bars turned 45 degrees)."""
    c.roundRect(x, y, 10, 10, 2, stroke=1, fill=0)
    if ticked:
        for pts in (
            [(x + 2, y + 5), (x + 3, y + 6), (x + 5, y + 4), (x + 4, y + 3)],
            [(x + 4, y + 3), (x + 5, y + 4), (x + 9, y + 8), (x + 8, y + 9)],
        ):
            path = c.beginPath()
            path.moveTo(*pts[0])
            for p in pts[1:]:
                path.lineTo(*p)
            path.close()
            c.drawPath(path, stroke=0, fill=1)


def four_sided_box(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
    """A CSS box whose borders differ in colour: each side a filled bar of its own, one
    of them a path; ticked with a ✔ character."""
    c.rect(x, y, 10, 0.8, stroke=0, fill=1)
    c.rect(x, y + 9.2, 10, 0.8, stroke=0, fill=1)
    c.rect(x + 9.2, y, 0.8, 10, stroke=0, fill=1)
    path = c.beginPath()
    path.moveTo(x, y)
    path.lineTo(x, y + 10)
    path.lineTo(x + 0.8, y + 9.2)
    path.lineTo(x + 0.8, y + 0.8)
    c.drawPath(path, stroke=0, fill=1)
    if ticked:
        c.setFont("ZapfDingbats", 8)
        c.drawString(x + 1.5, y + 2, "4")


EXPECTED = [f"{TICKED} 030 1234567", f"{UNTICKED} 030 7654321", f"{TICKED} 030 2345678"]


def box_rows(layout: PageLayout) -> list[str]:
    rows = [r for r in flow(layout) if r.startswith((TICKED, UNTICKED))]
    for table in layout.tables:  # check-box lists are read as tables
        rows += [table.row_text(r).replace(" | ", " ") for r in range(1, len(table.rows))]
    return rows


class TestDrawnBoxes:
    def test_x_drawn_in_a_box(self) -> None:
        layout = read(form(box_with_x))
        assert box_rows(layout) == EXPECTED
        assert not layout.strokes  # the X is a tick, not ink

    def test_tick_drawn_as_a_path(self) -> None:
        layout = read(form(box_with_tick))
        assert box_rows(layout) == EXPECTED
        assert not layout.strokes

    def test_zapf_dingbats_check_in_a_box(self) -> None:
        layout = read(form(box_with_dingbat))
        assert box_rows(layout) == EXPECTED
        assert "4" not in " ".join(flow(layout)).split()

    def test_box_with_rounded_corners_and_a_css_tick(self) -> None:
        layout = read(form(rounded_box))
        assert box_rows(layout) == EXPECTED
        assert not layout.strokes  # neither the outline nor the tick is ink

    def test_box_drawn_as_four_sides(self) -> None:
        layout = read(form(four_sided_box))
        assert box_rows(layout) == EXPECTED
        assert not layout.strokes

    def test_a_filled_dot_is_no_box(self) -> None:
        def dot(c: canvas.Canvas, x: float, y: float, ticked: bool, i: int) -> None:
            c.circle(x + 5, y + 5, 3, stroke=0, fill=1)  # a list bullet

        assert box_rows(read(form(dot))) == []

    def test_acroform_check_boxes(self) -> None:
        assert box_rows(read(form(acroform_box))) == EXPECTED

    def test_typed_brackets(self) -> None:
        assert box_rows(read(form(typed_box))) == EXPECTED

    def test_brackets_without_space(self) -> None:
        assert box_rows(read(form(glyph_box))) == EXPECTED


class TestUnit:
    def test_a_box_with_text_inside_is_no_check_box(self) -> None:
        boxes, used = drawn_boxes(
            [(70, 100, 82, 112)], [], [("A", "Helvetica", (72, 101, 78, 111))]
        )
        assert boxes == [] and used == set()

    def test_a_digit_in_a_text_font_is_no_tick(self) -> None:
        """A narrow table cell holding "4" is no box ticked with ZapfDingbats' ✔."""
        boxes, _ = drawn_boxes([(70, 100, 82, 112)], [], [("4", "Helvetica", (73, 101, 79, 111))])
        assert boxes == []
        boxes, _ = drawn_boxes(
            [(70, 100, 82, 112)], [], [("4", "ZapfDingbats", (73, 101, 79, 111))]
        )
        assert boxes == [Box((70, 100, 82, 112), ticked=True)]

    def test_cells_of_a_grid_drawn_side_by_side_are_no_boxes(self) -> None:
        """Table borders drawn one bar per cell side: a small cell whose top runs on
        into its neighbour's is a cell, not a check box."""
        bars = [
            (0, {"x0": 70, "top": 100, "x1": 82, "bottom": 100.8}),
            (1, {"x0": 82, "top": 100, "x1": 200, "bottom": 100.8}),
            (2, {"x0": 70, "top": 111.2, "x1": 82, "bottom": 112}),
            (3, {"x0": 70, "top": 100, "x1": 70.8, "bottom": 112}),
            (4, {"x0": 81.2, "top": 100, "x1": 82, "bottom": 112}),
        ]
        rects = [dict(b, object_type="rect") for _, b in bars]
        assert box_outlines([], rects) == []
        assert len(box_outlines([], [r for i, r in enumerate(rects) if i != 1])) == 1

    def test_glyph_glued_to_its_label_is_split(self) -> None:
        words = with_boxes([Word("☒ja", 70, 100, 88, 110), Word("☐nein", 120, 100, 150, 110)], [])
        assert [w.text for w in words] == [TICKED, "ja", UNTICKED, "nein"]

    def test_box_replaces_the_mark_character_inside(self) -> None:
        words = with_boxes(
            [Word("4", 71, 101, 78, 110), Word("030", 90, 100, 110, 110)],
            [Box((70, 100, 80, 110), ticked=True)],
        )
        assert sorted(w.text for w in words) == ["030", TICKED]


def test_filled_in_text_fields_are_read() -> None:
    """pdfminer does not draw a field's appearance: the typed value becomes words."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    c.drawString(60, H - 230, "Rufnummer:")
    c.acroForm.textfield(
        name="nr1", value="030 1234567", x=140, y=H - 234, width=150, height=16, borderWidth=0
    )
    c.drawString(60, H - 250, "Bemerkung:")
    c.acroForm.textfield(
        name="note", value="verbleibt", x=140, y=H - 254, width=150, height=16, borderWidth=0
    )
    c.showPage()
    c.save()
    assert flow(read(buf.getvalue())) == ["Rufnummer: | 030 1234567", "Bemerkung: | verbleibt"]
