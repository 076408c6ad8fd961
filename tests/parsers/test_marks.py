"""Visual marks on numbers: strike-through, colour with a legend, text set askew."""

from __future__ import annotations

import io
from collections.abc import Callable

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from config.settings import Settings, load_settings
from parsers._marks import (
    STRUCK,
    applied_marks,
    colour_matches,
    legend_colours,
    without_applied_legends,
)
from parsers.document import read_document_inprocess
from parsers.layout import PageLayout
from parsers.model import ParsedDocument, Role
from parsers.textlayer import layout_from_pdfplumber

H = A4[1]
Draw = Callable[[canvas.Canvas], None]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={})


def pdf(draw: Draw) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setFont("Helvetica", 10)
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def layout(data: bytes) -> PageLayout:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        page = doc.pages[0]
        try:
            return layout_from_pdfplumber(page, number=1)
        finally:
            page.close()


def rows(data: bytes) -> list[str]:
    page = layout(data)
    return [page.row_text(r) for r in range(len(page.rows))]


def roles(doc: ParsedDocument) -> dict[str, Role]:
    return {str(n.range.as_dict()["first"]): n.role for n in doc.numbers}


def closing(c: canvas.Canvas, y: float) -> None:
    c.setFillColorRGB(0, 0, 0)
    c.drawString(70, y, "Mit freundlichen Grüßen")
    path = c.beginPath()
    path.moveTo(80, y - 40)
    path.curveTo(100, y - 10, 130, y - 60, 170, y - 30)
    c.drawPath(path)
    c.drawString(70, y - 70, "Jan Weber")


def number_list(
    c: canvas.Canvas, intro: str, numbers: list[str], mark: Callable[[canvas.Canvas, int], None]
) -> None:
    c.drawString(70, H - 200, "Sehr geehrte Damen und Herren,")
    c.drawString(70, H - 225, intro)
    for i, number in enumerate(numbers):
        y = H - 250 - 15 * i
        mark(c, i)
        c.drawString(90, y, number)
        c.setFillColorRGB(0, 0, 0)
    closing(c, H - 330)


NUMBERS = ["030 1111111", "030 2222222", "030 3333333"]


def strike_second(c: canvas.Canvas, i: int) -> None:
    if i == 1:
        y = H - 250 - 15 * i
        c.setLineWidth(0.8)
        c.line(88, y + 3.5, 150, y + 3.5)  # through the middle of the digits


def underline_second(c: canvas.Canvas, i: int) -> None:
    if i == 1:
        y = H - 250 - 15 * i
        c.line(88, y - 1.5, 150, y - 1.5)


def bar_through_second(c: canvas.Canvas, i: int) -> None:
    if i == 1:
        y = H - 250 - 15 * i
        c.rect(88, y + 3, 62, 0.8, stroke=0, fill=1)  # CSS line-through is a filled bar


class TestStrikeThrough:
    def test_a_line_through_a_number_marks_it(self) -> None:
        text = rows(pdf(lambda c: number_list(c, "Folgende Rufnummern:", NUMBERS, strike_second)))
        assert f"030 2222222 {STRUCK}" in text
        assert "030 1111111" in text and "030 3333333" in text

    def test_a_filled_bar_through_a_number_marks_it(self) -> None:
        text = rows(
            pdf(lambda c: number_list(c, "Folgende Rufnummern:", NUMBERS, bar_through_second))
        )
        assert f"030 2222222 {STRUCK}" in text

    def test_an_underline_is_no_strike(self) -> None:
        page = layout(
            pdf(lambda c: number_list(c, "Folgende Rufnummern:", NUMBERS, underline_second))
        )
        assert STRUCK not in " ".join(page.row_text(r) for r in range(len(page.rows)))

    def test_the_strike_is_no_rule(self) -> None:
        page = layout(pdf(lambda c: number_list(c, "Folgende Rufnummern:", NUMBERS, strike_second)))
        assert not [r for r in page.rules if r[1] > H - 260 and r[1] < H - 150]

    def test_a_struck_number_is_not_handed_over(self, settings: Settings) -> None:
        data = pdf(
            lambda c: number_list(
                c, "folgende Rufnummern werden übergeben:", NUMBERS, strike_second
            )
        )
        got = roles(read_document_inprocess(data, filename="s.pdf", settings=settings))
        assert got["+49302222222"] == Role.EXCLUDED
        assert got["+49301111111"] == got["+49303333333"] == Role.TRANSFER

    def test_a_struck_number_in_a_sentence_is_not_handed_over(self, settings: Settings) -> None:
        def draw(c: canvas.Canvas) -> None:
            c.drawString(70, H - 200, "Sehr geehrte Damen und Herren,")
            c.drawString(70, H - 225, "wir übergeben die Rufnummern 030 1111111 und 030 2222222.")
            x = 70 + c.stringWidth("wir übergeben die Rufnummern 030 1111111 und ", "Helvetica", 10)
            c.line(
                x - 1, H - 225 + 3.5, x + c.stringWidth("030 2222222", "Helvetica", 10), H - 221.5
            )
            closing(c, H - 300)

        got = roles(read_document_inprocess(pdf(draw), filename="s.pdf", settings=settings))
        assert got["+49302222222"] != Role.TRANSFER


def red_second(c: canvas.Canvas, i: int) -> None:
    if i == 1:
        c.setFillColorRGB(0.75, 0, 0)


class TestColour:
    def test_legend_colours(self) -> None:
        assert legend_colours("rot dargestellte Rufnummern verbleiben bei uns") == {"rot"}
        assert legend_colours("Rufnummern in roter Schrift werden nicht übergeben.") == {"rot"}
        assert legend_colours("Die grün markierten Nummern bleiben bei uns.") == {"grun"}
        # colour tied to a handover, or a keep-back in another clause: no legend
        assert legend_colours("Rot markierte Rufnummern werden übergeben.") == set()
        assert legend_colours("Rot markierte Rufnummern werden übergeben. X verbleibt.") == set()

    def test_colour_matches(self) -> None:
        assert colour_matches((0.75, 0.0, 0.0), "rot")
        assert colour_matches((0.0, 1.0, 1.0, 0.0), "rot")  # CMYK red
        assert not colour_matches((0.07, 0.07, 0.07), "rot")  # near black
        assert not colour_matches((0.0,), "farbig")  # grey scale black
        assert colour_matches((0.1, 0.2, 0.8), "blau") and not colour_matches(
            (0.1, 0.2, 0.8), "rot"
        )

    def test_a_number_in_the_legend_colour_is_marked(self) -> None:
        def draw(c: canvas.Canvas) -> None:
            c.drawString(70, H - 180, "Rot markierte Rufnummern verbleiben bei uns.")
            number_list(c, "Folgende Rufnummern werden übergeben:", NUMBERS, red_second)

        text = rows(pdf(draw))
        assert "030 2222222 [rot:verbleibt]" in text
        assert "030 1111111" in text and "030 3333333" in text

    def test_a_number_on_a_highlight_of_the_legend_colour_is_marked(self) -> None:
        def highlight_second(c: canvas.Canvas, i: int) -> None:
            if i == 1:
                c.setFillColorRGB(1.0, 0.9, 0.0)  # a yellow highlighter
                c.rect(88, H - 250 - 15 * i - 3, 64, 13, stroke=0, fill=1)
                c.setFillColorRGB(0, 0, 0)

        def draw(c: canvas.Canvas) -> None:
            c.drawString(70, H - 180, "Gelb markierte Rufnummern werden nicht übergeben.")
            number_list(c, "Folgende Rufnummern werden übergeben:", NUMBERS, highlight_second)

        text = rows(pdf(draw))
        assert "030 2222222 [gelb:verbleibt]" in text
        assert "030 1111111" in text

    def test_colour_without_a_legend_means_nothing(self) -> None:
        text = rows(
            pdf(
                lambda c: number_list(
                    c, "Folgende Rufnummern werden übergeben:", NUMBERS, red_second
                )
            )
        )
        assert "030 2222222" in text

    def test_a_number_in_the_legend_colour_is_not_handed_over(self, settings: Settings) -> None:
        def draw(c: canvas.Canvas) -> None:
            c.drawString(70, H - 180, "Rot markierte Rufnummern verbleiben bei uns.")
            number_list(c, "folgende Rufnummern werden übergeben:", NUMBERS, red_second)

        got = roles(read_document_inprocess(pdf(draw), filename="c.pdf", settings=settings))
        assert got["+49302222222"] == Role.EXCLUDED
        assert got["+49301111111"] == Role.TRANSFER


class TestAppliedLegends:
    """A legend in a list's intro whose marks the text layer applied keeps back only the
    marked numbers; one whose marks were not found keeps back the whole list."""

    STRIKE = "wir übergeben die nachstehenden Rufnummern; durchgestrichene Rufnummern entfallen:"
    COLOUR = "übergeben werden die Rufnummern; rot dargestellte Rufnummern verbleiben bei uns:"

    def test_applied_marks(self) -> None:
        text = f"040 2413037 {STRUCK} 0761 3659052 [rot:verbleibt] 030 1"
        assert applied_marks(text) == {"durchgestrichen", "rot"}
        assert applied_marks("030 1111111 verbleibt") == set()

    def test_an_applied_legend_leaves_the_intro(self) -> None:
        assert without_applied_legends(self.STRIKE, {"durchgestrichen"}) == (
            "wir übergeben die nachstehenden Rufnummern;"
        )
        assert without_applied_legends(self.COLOUR, {"rot"}) == "übergeben werden die Rufnummern;"

    def test_a_legend_in_brackets_leaves_the_intro(self) -> None:
        intro = (
            "folgende Rufnummern werden übergeben (gestrichene Rufnummern sind nicht "
            "Gegenstand der Übergabe):"
        )
        left = without_applied_legends(intro, {"durchgestrichen"})
        assert left.startswith("folgende Rufnummern werden übergeben")
        assert "Gegenstand" not in left
        assert without_applied_legends(intro, set()) == intro

    def test_a_legend_not_applied_stays(self) -> None:
        assert without_applied_legends(self.STRIKE, set()) == self.STRIKE
        assert without_applied_legends(self.COLOUR, {"durchgestrichen"}) == self.COLOUR
        assert without_applied_legends(self.STRIKE, {"rot"}) == self.STRIKE

    def test_a_keep_back_that_is_no_legend_stays(self) -> None:
        intro = "Folgende Rufnummern verbleiben bei uns:"
        assert without_applied_legends(intro, {"durchgestrichen", "rot"}) == intro


def tilted_note(c: canvas.Canvas) -> None:
    """A note set 1.5 degrees askew, in a larger italic face, then a drawn signature."""
    c.saveState()
    c.translate(70, H - 150)
    c.rotate(1.5)
    c.setFont("Times-Italic", 15)
    lines = [
        "Liebe Frau Schubert,",
        "die 0351 742400 und die 0351 4219200 werden übergeben.",
        "Viele Grüße, Ihr K. Meißner",
    ]
    for i, line in enumerate(lines):
        c.drawString(0, -28 * i, line)
    c.restoreState()
    path = c.beginPath()
    path.moveTo(80, H - 260)
    path.curveTo(100, H - 230, 130, H - 280, 170, H - 250)
    c.drawPath(path)


class TestTiltedText:
    def test_tilted_text_reads_as_words(self) -> None:
        text = rows(pdf(tilted_note))
        assert text[1] == "die 0351 742400 und die 0351 4219200 werden übergeben."
        assert text[2] == "Viele Grüße, Ihr K. Meißner"

    def test_tilted_note_is_text_and_the_drawing_below_is_ink(self, settings: Settings) -> None:
        doc = read_document_inprocess(pdf(tilted_note), filename="t.pdf", settings=settings)
        assert doc.signature.present and doc.signature.kind == "ink"
        assert roles(doc)["+49351742400"] == Role.TRANSFER
