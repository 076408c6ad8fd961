"""OCR: boxes to PDF points (fast), and scanned letters read end to end (marked ocr)."""

from __future__ import annotations

import io
import random
import socket
from collections.abc import Iterator

import numpy as np
import pytest

from config.settings import Settings, load_settings
from parsers import ocr
from parsers.document import read_document_inprocess
from parsers.layout import Word
from parsers.model import Role, Source
from tests.parsers.pdfs import Letter, build, scanned

BODY = [
    "Sehr geehrte Damen und Herren,",
    "",
    "hiermit bestätigen wir, dass folgende Rufnummern an die Beta Net GmbH übergeben werden:",
    "- 030 12345678",
    "- 0221 4711-10 bis -15",
    "",
    "Ausgenommen ist die Rufnummer 030 7654321, sie verbleibt bei uns.",
]


class TestWordsFromBoxes:
    def test_box_is_split_into_words_in_points(self) -> None:
        """A 300 dpi box becomes words in points, apportioned by character position."""
        scale = 300 / 72
        quad = [
            [100 * scale, 200 * scale],
            [210 * scale, 200 * scale],
            [210 * scale, 212 * scale],
            [100 * scale, 212 * scale],
        ]
        words = ocr.words_from_boxes([quad], ["Tel. 030 1234567"], scale=scale)
        assert [w.text for w in words] == ["Tel.", "030", "1234567"]
        assert words[0].x0 == pytest.approx(100)
        assert words[-1].x1 == pytest.approx(210)
        assert all(w.top == pytest.approx(200) and w.bottom == pytest.approx(212) for w in words)
        assert words[0].x1 <= words[1].x0 <= words[2].x0

    def test_tilted_box_gives_words_their_own_height(self) -> None:
        """Words of a tilted line are cut from the quad, not from the line's envelope."""
        quad = [[0, 0], [400, 20], [400, 32], [0, 12]]  # 400 pt long, rising 20 pt
        words = ocr.words_from_boxes([quad], ["aaaa bbbb"], scale=1.0)
        assert words[0].bottom - words[0].top < 25
        assert words[0].top < words[1].top

    @pytest.mark.parametrize(
        ("raw", "fixed"),
        [
            ("1.0049 761 615016", "1. 0049 761 615016"),
            ("Rufnummernblock0941 3913-00", "Rufnummernblock 0941 3913-00"),
            ("07531 322-0bis -9", "07531 322-0 bis -9"),
            ("0221 4711-10 bis-15", "0221 4711-10 bis -15"),
        ],
    )
    def test_glued_markers_and_words_are_separated(self, raw: str, fixed: str) -> None:
        words = ocr.words_from_boxes([[[0, 0], [300, 0], [300, 10], [0, 10]]], [raw], scale=1.0)
        assert " ".join(w.text for w in words) == fixed

    def test_low_scores_are_dropped(self) -> None:
        quad = [[0, 0], [10, 0], [10, 10], [0, 10]]
        words = ocr.words_from_boxes(
            [quad, quad], ["gut", "rauschen"], scale=1.0, scores=[0.9, 0.2], min_score=0.5
        )
        assert [w.text for w in words] == ["gut"]


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={}, overrides={"ocr": {"dpi": 200}})


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.mark.ocr
class TestScannedLetters:
    def test_engine_loads_offline(self, no_network: None, monkeypatch: pytest.MonkeyPatch) -> None:
        """The models ship in the wheel: creating the engine needs no network."""
        monkeypatch.setattr(ocr, "_ENGINE", None)
        assert ocr.engine() is not None

    def test_scan_is_read_with_roles_and_marked_ocr(self, settings: Settings) -> None:
        doc = read_document_inprocess(
            scanned(build(Letter(body=BODY)), dpi=200), filename="s.pdf", settings=settings
        )
        assert doc.error is None
        assert doc.ocr_pages == (1,)
        assert all(n.source is Source.OCR for n in doc.numbers)
        got = {str(n.range): n.role for n in doc.numbers}
        assert got["+493012345678"] is Role.TRANSFER
        assert got["+49221471110..+49221471115"] is Role.TRANSFER
        assert got["+49307654321"] is Role.EXCLUDED
        assert got["+49302223334"] is Role.CONTACT  # letterhead
        assert got["+498003334445"] is Role.CONTACT  # footer hotline
        for n in doc.numbers:  # boxes are in points on the page
            assert n.bbox is not None
            assert 0 <= n.bbox[0] < n.bbox[2] <= doc.page_sizes[0][0]
        assert doc.signature.present and doc.signature.kind == "ink"
        assert doc.signature.signatory == "Dr. Katrin Albers"

    def test_tilted_noisy_scan(self, settings: Settings) -> None:
        """A slightly rotated scan with dust still gives the list its handover role."""
        pdf = scanned(build(Letter(body=BODY)), dpi=200, tilt=0.6, noise=0.003)
        doc = read_document_inprocess(pdf, filename="t.pdf", settings=settings)
        got = {str(n.range): n.role for n in doc.numbers}
        assert got["+493012345678"] is Role.TRANSFER
        assert got["+49307654321"] is Role.EXCLUDED
        assert not any(
            n.role is Role.TRANSFER
            for n in doc.numbers
            if n.range.first in ("+49302223334", "+498003334445")
        )
        assert doc.signature.present

    def test_unsigned_scan_has_no_signature(self, settings: Settings) -> None:
        pdf = scanned(build(Letter(body=BODY[:4], signed="line-only")), dpi=200)
        doc = read_document_inprocess(pdf, filename="u.pdf", settings=settings)
        assert doc.error is None
        assert not doc.signature.present

    def test_ocr_disabled_leaves_scan_unread(self) -> None:
        off = load_settings(env={}, overrides={"ocr": {"enabled": False}})
        doc = read_document_inprocess(
            scanned(build(Letter(body=BODY[:4])), dpi=100), filename="s.pdf", settings=off
        )
        assert doc.ocr_pages == ()
        assert doc.numbers == ()


# --- glued words, stray marks, skew, rules and boxes (fast: no OCR engine) -----------


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("09114483264und", "09114483264 und"),
        ("0911 5566770erbeten", "0911 5566770 erbeten"),
        ("24/7:030 2025002", "24/7: 030 2025002"),
        ("(Mobil)0171 2345678", "(Mobil) 0171 2345678"),
        ("030 1234567,030 7654321", "030 1234567, 030 7654321"),
        ("Fax0221 4711", "Fax 0221 4711"),
        ("an die Netze AG.Rufnummern mit", "an die Netze AG. Rufnummern mit"),
        ("004+49511567160 1UEBERGABE", "004 +49511567160 1 UEBERGABE"),
        ("1.VERBLEIBT mit StatusUEBERGABE:", "1. VERBLEIBT mit Status UEBERGABE:"),
        ("ANZ·STATUS", "ANZ · STATUS"),
        ("Durchwahl vonDurchwahl bis", "Durchwahl von Durchwahl bis"),
        ("McDonald eBay GmbH", "McDonald eBay GmbH"),
        ("HRB26923 DE78 10GB 96B", "HRB26923 DE78 10GB 96B"),
        ("www.netze.de, i.A. Meier, Co.KG", "www.netze.de, i.A. Meier, Co.KG"),
        ("an die.Isarline Telekom", "an die.Isarline Telekom"),  # dust, no sentence end
        ("Netze GmbH.Bitte", "Netze GmbH. Bitte"),
        # left alone: times, house numbers, amounts
        ("ab 10:00 Uhr", "ab 10:00 Uhr"),
        ("Lange Reihe 96b", "Lange Reihe 96b"),
        ("1,5 Mio", "1,5 Mio"),
    ],
)
def test_words_glued_to_numbers_are_split(raw: str, fixed: str) -> None:
    assert ocr.split_glued(raw) == fixed


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (".ja", "ja"),
        ("bís", "bis"),
        ("Umzuġ", "Umzug"),
        (".", ""),
        ("Grüße", "Grüße"),
        ("84571.3", "845713"),  # dust inside a number
        (".+4951131911421", "+4951131911421"),  # a speck before a number
        ("...-49", "...-49"),
        ("26951100.-26951199", "26951100-26951199"),  # a speck before a range's dash
        ("0521.5157379", "0521.5157379"),  # a dotted notation stays
        ("24.02.2026", "24.02.2026"),
    ],
)
def test_noise_marks_are_taken_off_words(raw: str, clean: str) -> None:
    assert ocr.clean_token(raw) == clean


def test_word_boxes_from_the_recogniser_are_kept_and_split() -> None:
    """RapidOCR's per-word quads are used; a glued word is cut inside its own quad."""
    line = [[0, 0], [400, 0], [400, 20], [0, 20]]
    parts = (("Tel.", 0.99, [[0, 0], [40, 0], [40, 20], [0, 20]]),
             ("09114483264und", 0.98, [[60, 1], [200, 1], [200, 19], [60, 19]]))  # fmt: skip
    (seg,) = ocr.segments_from_boxes(
        [line], ["Tel. 09114483264und"], scale=1.0, word_results=[parts]
    )
    assert [w.text for w in seg] == ["Tel.", "09114483264", "und"]
    # one line, one top, bottom and size for all its words (as in a text layer)
    assert len({(w.top, w.bottom, w.size) for w in seg}) == 1
    assert seg[0].x1 == pytest.approx(40)
    assert seg[1].x0 == pytest.approx(60) and seg[2].x1 == pytest.approx(200)


def _page_image(draw_fn: object, *, dpi: int, tilt: float = 0.0, seed: int = 5) -> np.ndarray:
    """An A4 page drawn at ``dpi``, tilted, blurred, with specks and JPEG artefacts."""
    from PIL import Image, ImageDraw, ImageFilter

    s = dpi / 72
    img = Image.new("L", (int(595 * s), int(842 * s)), 240)
    draw_fn(ImageDraw.Draw(img), s)  # type: ignore[operator]
    img = img.filter(ImageFilter.GaussianBlur(0.5 * dpi / 200))
    if tilt:
        img = img.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=240)
    rng = random.Random(seed)
    d = ImageDraw.Draw(img)
    for _ in range(400):
        x, y = rng.randrange(img.width), rng.randrange(img.height)
        r = rng.choice([1, 1, 2, 3])
        d.ellipse([x, y, x + r, y + r], fill=rng.randint(30, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=35)
    return np.asarray(Image.open(buf).convert("L")).copy()


def _text_rows(d: object, s: float) -> None:
    for i in range(30):
        y = (120 + i * 18) * s
        x = 70 * s
        for j in range((i * 7) % 5 + 6):  # word-like blocks of varying length
            w = (18 + (i * 3 + j * 5) % 25) * s
            d.rectangle([x, y, x + w, y + 7 * s], fill=30)  # type: ignore[attr-defined]
            x += w + 5 * s


@pytest.mark.parametrize(("dpi", "tilt"), [(150, 1.8), (200, -0.6), (300, 1.1), (200, 0.0)])
def test_skew_is_measured(dpi: int, tilt: float) -> None:
    pixels = _page_image(_text_rows, dpi=dpi, tilt=tilt)
    assert ocr.deskew_angle(pixels, scale=dpi / 72) == pytest.approx(tilt, abs=0.15)


def _form(d: object, s: float) -> None:
    """A 4×3 ruled table with check boxes (ticked in rows 1 and 3) and a short rule."""
    line = d.line  # type: ignore[attr-defined]
    rect = d.rectangle  # type: ignore[attr-defined]
    for r in range(5):
        line([(70 * s, (300 + r * 22) * s), (520 * s, (300 + r * 22) * s)], fill=20, width=2)
    for x in (70, 250, 400, 520):
        line([(x * s, 300 * s), (x * s, 388 * s)], fill=20, width=2)
    for r in range(1, 4):
        for x, ticked in ((260, r != 2), (410, r == 2)):
            top = (300 + r * 22 + 6) * s
            box = [x * s, top, (x + 10) * s, top + 10 * s]
            rect(box, outline=20, width=max(int(s), 1))
            if ticked:
                line([(box[0], box[1]), (box[2], box[3])], fill=20, width=max(int(s), 1))
                line([(box[0], box[3]), (box[2], box[1])], fill=20, width=max(int(s), 1))
    line([(70 * s, 520 * s), (250 * s, 520 * s)], fill=20, width=2)  # signature line
    from PIL import ImageFont

    font = ImageFont.load_default(size=int(11 * s))
    for i, text in enumerate(("Rufnummer 0800 880 Dose", "BODO OBB 8080 DDR", "ODO 0D0 nein")):
        d.text((80 * s, (420 + 20 * i) * s), text, fill=20, font=font)  # type: ignore[attr-defined]
    rect([0, 0, 12 * s, 842 * s], fill=90)  # scanner-lid shadow along the edge


@pytest.mark.parametrize(("dpi", "tilt"), [(150, 1.5), (240, -0.8)])
def test_rules_tables_and_check_boxes_are_found(dpi: int, tilt: float) -> None:
    s = dpi / 72
    pixels = _page_image(_form, dpi=dpi, tilt=tilt)
    pixels = ocr._straighten(pixels, ocr.deskew_angle(pixels, scale=s))
    shapes = ocr.find_shapes(pixels, scale=s)
    long_rules = [r for r in shapes.hrules if r[2] - r[0] > 100]
    assert len(long_rules) == 6  # five table rules and the signature line
    assert all(abs(r[1] - r[3]) < 0.01 for r in long_rules)
    assert not any(r[0] < 20 for r in shapes.vrules)  # the shadow is no rule
    states = sorted((round(b[1] / 22), "ja" if b[0] < 330 else "nein", t) for b, t in shapes.boxes)
    assert [(col, t) for _, col, t in states] == [
        ("ja", True), ("nein", False), ("ja", False), ("nein", True), ("ja", True), ("nein", False)
    ]  # fmt: skip
    words = [Word("0301234567", 80, 326, 140, 334), Word("ja", 275, 326, 285, 334)]
    (table,) = ocr.ruled_tables(shapes, words)
    assert len(table.rows) == 4 and len(table.rows[0]) == 3
    assert table.rows[1][0] is not None and table.rows[1][0].text == "0301234567"


def test_check_box_glyphs_become_canonical_words() -> None:
    """OCR's "□"/"区" reading of a box is replaced by ☒/☐ at the box position."""
    box = (100.0, 100.0, 110.0, 110.0)
    segs = [[Word("□ja", 99, 99, 125, 111), Word("nein", 140, 99, 160, 111)], [Word("X", 101, 101, 109, 109)]]  # fmt: skip
    out = ocr._with_boxes(segs, [(box, True)])
    texts = sorted(w.text for seg in out for w in seg)
    assert texts == ["ja", "nein", "☒"]


def test_dropped_list_bullets_are_put_back() -> None:
    """A filled dot at mid-height just left of a line start becomes "•"; a period at the
    baseline or a dot inside a line does not."""
    line = [Word("030", 80, 100, 95, 110), Word("21580997", 98, 100, 140, 110)]
    other = [Word("Text", 80, 130, 100, 140)]
    dots = [(72.0, 103.5, 75.5, 107.0), (72.0, 137.0, 74.0, 139.5)]
    out = ocr._with_bullets([line, other], dots)
    assert [w.text for w in out[0]] == ["•", "030", "21580997"]
    assert [w.text for w in out[1]] == ["Text"]


def test_scanned_rules_that_stop_short_still_make_cells() -> None:
    """A row rule broken by dust and ending a few points before the frame still
    separates the rows (each row's number in its own cell)."""
    hrules = (
        (76.0, 375.0, 447.0, 375.0),
        (76.0, 393.0, 447.0, 393.0),
        (81.0, 411.0, 156.0, 411.0),  # starts 5 points right of the frame
        (158.0, 411.0, 447.0, 411.0),  # dust gap
        (76.0, 429.0, 439.0, 429.0),  # ends 7 points short
        (76.0, 447.0, 447.0, 447.0),
    )
    vrules = tuple((x, 375.0, x, 448.0) for x in (76.0, 146.0, 256.0, 446.0))
    shapes = ocr.PageShapes(hrules=hrules, vrules=vrules, boxes=())
    words = [Word("0341", 82, 396 + 18 * i, 104, 407 + 18 * i) for i in range(3)]
    (table,) = ocr.ruled_tables(shapes, words)
    assert [row[0].text if row[0] else None for row in table.rows] == [
        "", "0341", "0341", "0341"
    ]  # fmt: skip
    assert all(c is not None for row in table.rows for c in row)


def _filled_boxes(d: object, s: float) -> None:
    """Word-processor check boxes: a frame, ticked ones with a filled square inside."""
    rect = d.rectangle  # type: ignore[attr-defined]
    for i, ticked in enumerate((True, False, True)):
        x, top = 300 * s, (300 + 22 * i) * s
        rect([x, top, x + 10 * s, top + 10 * s], outline=20, width=max(int(0.8 * s), 1))
        if ticked:
            rect([x + 2.2 * s, top + 2.2 * s, x + 7.8 * s, top + 7.8 * s], fill=20)
    rect([300 * s, 400 * s, 310 * s, 410 * s], fill=20)  # a solid blob is no box


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_box_with_a_filled_square_inside_is_ticked(dpi: int) -> None:
    s = dpi / 72
    shapes = ocr.find_shapes(_page_image(_filled_boxes, dpi=dpi), scale=s)
    assert sorted((round(b[1]), t) for b, t in shapes.boxes) == [
        (300, True), (322, False), (344, True)
    ]  # fmt: skip


def test_typed_check_boxes_become_canonical_words() -> None:
    """OCR's "[X]", "[]" (the space inside lost), "[" "]" and "[]verbleibt" (glued to
    its label) are spelled ☒/☐ as the text layer spells typed boxes."""
    seg = [
        Word("[X]", 100, 100, 112, 110),
        Word("wird", 115, 100, 135, 110),
        Word("[]verbleibt", 140, 100, 200, 110),
        Word("[", 210, 100, 213, 110),
        Word("]", 215, 100, 218, 110),
        Word("[Anlage]", 230, 100, 270, 110),
        Word("□ja", 280, 100, 295, 110),
        Word("☑", 300, 100, 305, 110),
    ]
    (out,) = ocr._with_typed_boxes([seg])
    assert [w.text for w in out] == [
        "☒", "wird", "☐", "verbleibt", "☐", "[Anlage]", "☐", "ja", "☒"
    ]  # fmt: skip
    assert out[2].x1 <= out[3].x0 and out[3].x1 == 200


def test_dropped_dash_markers_are_put_back() -> None:
    """A short dash at mid-height just left of a line start becomes "–" (a list
    marker); a dash OCR read itself is not doubled."""
    line = [Word("0721", 94, 368, 112, 379), Word("956061", 115, 368, 140, 379)]
    read = [Word("–", 80, 383, 85, 394), Word("0721", 94, 383, 112, 394)]
    dashes = [(80.2, 373.0, 84.5, 374.2), (80.2, 388.0, 84.5, 389.2)]
    out = ocr._with_bullets([line, read], [], dashes)
    assert [w.text for w in out[0]] == ["–", "0721", "956061"]
    assert [w.text for w in out[1]] == ["–", "0721"]


def _dash_list(d: object, s: float) -> None:
    for i in range(3):
        y = (200 + 14 * i) * s
        d.rectangle([80 * s, y + 4.5 * s, 84.3 * s, y + 5.5 * s], fill=20)  # type: ignore[attr-defined]
        d.rectangle([94 * s, y, 140 * s, y + 8 * s], fill=20)  # type: ignore[attr-defined]


def test_dash_markers_are_found_in_the_image() -> None:
    s = 300 / 72
    shapes = ocr.find_shapes(_page_image(_dash_list, dpi=300), scale=s)
    assert len(shapes.dashes) == 3
    assert all(79 <= d[0] <= 81 and 83.5 <= d[2] <= 85.5 for d in shapes.dashes)


def _faint_form(d: object, s: float) -> None:
    """Thin grey boxes set tight under black table rules (a word processor's form
    check boxes): the first row's box crossed, the second empty."""
    line = d.line  # type: ignore[attr-defined]
    for y in (300, 318, 336):
        line([(200 * s, y * s), (420 * s, y * s)], fill=20, width=max(int(1.2 * s), 1))
    for x in (200, 300, 420):
        line([(x * s, 300 * s), (x * s, 336 * s)], fill=20, width=max(int(1.2 * s), 1))
    for i, ticked in enumerate((True, False)):
        x0, y0 = 310 * s, (301.5 + 18 * i) * s
        x1, y1 = x0 + 11 * s, y0 + 11 * s
        d.rectangle([x0, y0, x1, y1], outline=120, width=2)  # type: ignore[attr-defined]
        if ticked:
            line([(x0, y0), (x1, y1)], fill=120, width=2)
            line([(x0, y1), (x1, y0)], fill=120, width=2)


def test_thin_grey_boxes_under_a_rule_are_found() -> None:
    s = 300 / 72
    shapes = ocr.find_shapes(_page_image(_faint_form, dpi=300), scale=s)
    assert [t for _, t in sorted(shapes.boxes, key=lambda b: b[0][1])] == [True, False]


def test_a_page_whose_text_runs_sideways_is_recognised() -> None:
    pixels = _page_image(_text_rows, dpi=150, tilt=0.8)
    assert not ocr.sideways(pixels, scale=150 / 72)
    assert ocr.sideways(np.ascontiguousarray(np.rot90(pixels)), scale=150 / 72)
    assert ocr.sideways(np.ascontiguousarray(np.rot90(pixels, -1)), scale=150 / 72)


def test_a_sideways_page_is_read_turned_the_way_that_reads_better(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both quarter turns are tried (clockwise first); the better-scoring reading wins
    and the page comes out landscape, as the text layer turns such a page."""
    pixels = np.ascontiguousarray(np.rot90(_page_image(_text_rows, dpi=150)))
    tried: list[tuple[int, float, float]] = []

    def fake(
        turned: np.ndarray, *, scale: float, number: int, width: float, height: float
    ) -> object:
        tried.append((turned.shape[1], width, height))
        page = ocr.OcrPage(layout=object(), scan=object())  # type: ignore[arg-type]
        return page, (0.4 if len(tried) == 1 else 0.95)

    monkeypatch.setattr(ocr, "_read_upright", fake)
    ocr.read_image(pixels, scale=150 / 72, number=2, width=595.0, height=842.0)
    assert [(w, h) for _, w, h in tried] == [(842.0, 595.0), (842.0, 595.0)]
    assert tried[0][0] == pixels.shape[0]  # the image itself turned a quarter


def test_a_dropped_low_quotation_mark_is_put_back() -> None:
    """Two small strokes side by side low on the line, right before a word OCR read
    without its „, give the word back its opening mark ("„verbleibt\""); a closing
    mark high on the line and a pair far from the word do nothing."""
    specks = [
        (118.6, 309.1, 120.0, 312.0),
        (120.5, 309.1, 121.9, 312.0),  # „ before "verbleibt"
        (169.4, 302.9, 171.3, 305.8),
        (171.4, 302.9, 173.3, 305.8),  # “ after it
        (300.0, 309.0, 301.4, 312.0),  # a lone speck
    ]
    quotes = ocr._quote_pairs(specks)
    assert len(quotes) == 2
    seg = [
        Word("Vermerk", 80, 301, 117, 312),
        Word('verbleibt"', 122.5, 301, 173, 312),
        Word("oder", 176, 301, 195, 312),
    ]
    (out,) = ocr._with_low_quotes([seg], quotes)
    assert [w.text for w in out] == ["Vermerk", '„verbleibt"', "oder"]


def test_a_word_cleaned_of_a_leading_speck_keeps_its_own_box() -> None:
    """A speck taken off the front of a word does not shift the word's box left (a
    column gap in a monospace table stays free)."""
    quad = [[0, 0], [150, 0], [150, 10], [0, 10]]
    (word,) = ocr.words_from_boxes([quad], [".+4951131911421"], scale=1.0)
    assert word.text == "+4951131911421"
    assert word.x0 == pytest.approx(10)


def test_a_ragged_scanned_dash_is_still_a_dash() -> None:
    """A dash the scan left ragged (an 8×3 pixel stroke at 150 dpi with its corners
    and edge pixels missing, just over half of its box inked) is still found."""
    s = 150 / 72
    pixels = np.full((int(842 * s), int(595 * s)), 240, np.uint8)
    pixels[400:412, 200:400] = 20  # some text-like ink for the threshold
    dash = np.full((3, 8), 20, np.uint8)
    dash[0, :3] = dash[0, 5:] = dash[2, :2] = dash[2, 6:] = 240  # 14 of 24 pixels
    pixels[700:703, 300:308] = dash
    shapes = ocr.find_shapes(pixels, scale=s)
    assert [tuple(round(v) for v in d) for d in shapes.dashes] == [(144, 336, 148, 337)]


# a ☒ glyph from a 150 dpi scan, thresholded at 300 dpi: its top corners are blurred
# round, so a corner block half a band wide is mostly paper (the band-wide one is not)
_THICK_X = """
...#######################..
.##########################.
############################
#######...##########.#######
####....................####
###......................###
###..###............###..###
###..#####.........####..###
###.######.......######.####
###...#####.....######..####
###....#####....#####...####
###.....############....####
###......##########.....####
###.......########......####
###.......#######.......####
###.......#######.......####
###......#########......####
###.....###########.....####
###....######..#####....####
###...######....#####...####
###..######......######.####
###..#####........#####.####
#########..........###..####
###.................#...####
###.....................####
######..##########.....#####
############################
############################
.#########################..
"""


def test_a_box_with_blurred_corners_is_still_a_box() -> None:
    cell = np.array([[c == "#" for c in row] for row in _THICK_X.split()])
    assert ocr._box_state(cell) is True
    blob = np.ones_like(cell)
    assert ocr._box_state(blob) is None
