"""Reading pages without a text layer: render with pypdfium2, read with RapidOCR.

RapidOCR's PyPI wheel ships its ONNX models, so nothing is downloaded at run time;
the engine is created once per process, lazily, because loading the models takes
about a second and the text-only path must not pay for it. OCR boxes are converted to
PDF points so that OCR words and text-layer words share one coordinate space.

Before OCR the page image is straightened (the skew is measured from the text rows'
projection profile) and its drawn structure is measured with OpenCV morphology, so
that a scan comes out as the same ``PageLayout`` a text page gives: horizontal rules
(signature lines, table borders), ruled tables as cells (pdfplumber's own
edges-to-cells algorithm on the detected rules), and check boxes as the words
"☒"/"☐" at the box position.
"""

from __future__ import annotations

import logging
import math
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parsers.layout import Cell, PageLayout, Table, Word, build_rows, rows_from_segments
from parsers.model import BBox, Source
from parsers.signature import ScanImage
from parsers.tables import aligned_tables

__all__ = [
    "OcrPage",
    "PageShapes",
    "deskew_angle",
    "engine",
    "find_shapes",
    "ocr_page",
    "segments_from_boxes",
    "split_glued",
    "words_from_boxes",
]

TICKED = "☒"
UNTICKED = "☐"

_ENGINE: Any = None
_MARKER_GLUED = re.compile(r"^(\s*\d{1,2}[.)])(?=[0(+])")
# Where OCR swallowed the space between a word and a number: "Rufnummernblock0941",
# "09114483264und", "5566770erbeten", "24/7:030 2025002", "(Mobil)0171", "-0bis -9",
# "bis-15", "030 1234567,030 7654321", "AG.Rufnummern".
_GLUED = re.compile(
    r"(?<=[a-zäöüß])(?=[0(+]\d)"
    r"|(?<=\d)(?=[a-zäöüß]{2,})"
    r"|(?<=[A-ZÄÖÜ][a-zäöüß])(?=[0+]\d{2})"
    r"|(?<=:)(?=(?:0|\+)\d{2})"
    r"|(?<=[)\]])(?=[0+]\d)"
    r"|(?<=\d[,;])(?=0\d{2})"
    r"|(?<=\bbis)(?=[-–\d])"
    # a number run into an international one or into a capitalised value of the next
    # column, a value run into its label ("004+49511567160", "1UEBERGABE",
    # "StatusUEBERGABE")
    r"|(?<=\d)(?=\+\d{2})"
    r"|(?<=\d)(?=[A-ZÄÖÜ]{3})"
    r"|(?<=\d[.,:])(?=[A-ZÄÖÜ]{3})"
    r"|(?<=[a-zäöüß])(?=[A-ZÄÖÜ]{3,}\b)"
    # two words run together, the second capitalised: "vonDurchwahl" (two headings of
    # neighbouring columns), "SaalecomKommunikation"
    r"|(?<=[a-zäöüß]{2})(?=[A-ZÄÖÜ][a-zäöüß]{2})"
    # a sentence ending in a company form glued to the next one ("… Netze
    # AG.Rufnummern mit …"); after another word a dot may be dust ("an die.Isarline")
    r"|(?:(?<=[A-Z]{2}\.)|(?<=mbH\.))(?=[A-ZÄÖÜ][a-zäöüß]{2})"
)
# What OCR makes of a drawn check box: dropped where a box was found in the image
_BOX_GLYPHS = "□■☐☑☒▢▣口区回図囗"
_MIN_SCORE = 0.5
_SKEW_LIMIT = 3.0  # degrees searched either way
# a page reads sideways when its ink's row profile is less than half as peaked as its
# column profile (upright pages measured 1.9-3.8 the other way, sideways ones 0.35-0.52)
_SIDEWAYS_RATIO = 0.8
_GOOD_READING = 0.9  # a mean line score a page read the right way up reaches


@dataclass(frozen=True)
class OcrPage:
    """The layout read from a page image plus the image (for the signature check)."""

    layout: PageLayout
    scan: ScanImage


@dataclass(frozen=True)
class PageShapes:
    """Drawn structure found in a page image, in PDF points."""

    hrules: tuple[BBox, ...]
    vrules: tuple[BBox, ...]
    boxes: tuple[tuple[BBox, bool], ...]  # check boxes and whether each is ticked
    dots: tuple[BBox, ...] = ()  # small filled round marks (list bullets, if placed so)
    dashes: tuple[BBox, ...] = ()  # short thick horizontal strokes (dash list markers)
    quotes: tuple[BBox, ...] = ()  # pairs of small strokes side by side (quotation marks)


def engine() -> Any:
    """The process's RapidOCR engine (created on first use)."""
    global _ENGINE
    if _ENGINE is None:
        # One thread per engine: the machine runs several parsing children at once and
        # onnxruntime's default of one thread per core oversubscribes it.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from rapidocr import RapidOCR

        for name in ("RapidOCR", "rapidocr"):
            logging.getLogger(name).setLevel(logging.WARNING)
        _ENGINE = RapidOCR(
            params={
                "Global.log_level": "warning",
                "Global.use_cls": False,  # pages are straightened before OCR
                # RapidOCR scales a page down to this longest side (A4 at 300 dpi: ~170 dpi);
                # 2800 read a little better in tests but took twice as long.
                "Global.max_side_len": 2000,
                # boxes per word (from the recogniser's character positions) instead of
                # one box per text line
                "Global.return_word_box": True,
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        for name in ("RapidOCR", "rapidocr"):
            # "text detection result is empty" on a blank page is not worth a warning
            logging.getLogger(name).setLevel(logging.ERROR)
    return _ENGINE


# a middle dot OCR read with no space either side of it, between two words: a speck
# in the gap between two columns ("ANZ·STATUS") or a separator ("Rostock·Amtsgericht")
_DOT_GLUED = re.compile(r"(?<=[^\W\d_]{2})·(?=[^\W\d_]{2})")


def _unglue(token: str) -> str:
    return _GLUED.sub(" ", _DOT_GLUED.sub(" · ", token))


def split_glued(text: str) -> str:
    """Put back the spaces OCR dropped between words and numbers."""
    return _unglue(_MARKER_GLUED.sub(r"\1 ", text, count=1))


_KEEP_MARKED = set("äöüÄÖÜß")
# a speck read as a leading dot: before a letter, or before a number ("·+49 …")
_STRAY_LEAD = re.compile(r"^[.,'`´·]+(?=[^\W\d_]|[+(]?\d)")
_STRAY_ONLY = re.compile(r"^[.,'`´]+$")
# a dot cutting a single last digit off a digit run is dust ("84571.3"): no phone
# notation ends in a one-digit group after a dot
_DUST_IN_DIGITS = re.compile(r"(?<=\d{3})\.(?=\d(?:$|[^\d.]|\.$))")
# a cell of digits has no sentence to end: a dot before or after it is dust
_STRAY_AROUND_DIGITS = re.compile(r"^[.,'`´·]+(?=[\d(+])|(?<=\d)[.,'`´·]+$")


# a speck between a number and the dash of its range ("26951100.-26951199")
_DUST_BEFORE_DASH = re.compile(r"(?<=\d)[.,'`´·]+(?=[-–]\d)")


def clean_token(token: str) -> str:
    """One OCR word without the marks JPEG noise and dust leave on it: accents German
    does not use ("bís", "Umzuġ", "āja" → "bis", "Umzug", "aja") and a speck read as
    a leading dot (".ja"); a word that is only such a speck becomes empty."""
    if not token.isascii():
        token = "".join(
            ch
            if ch.isascii() or ch in _KEEP_MARKED
            else unicodedata.normalize("NFKD", ch)[0]
            if unicodedata.normalize("NFKD", ch)[0].isalpha()
            else ch
            for ch in token
        )
    token = _STRAY_LEAD.sub("", _DUST_IN_DIGITS.sub("", _DUST_BEFORE_DASH.sub("", token)))
    return "" if _STRAY_ONLY.match(token) else token


def _lerp(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def _words_in_quad(quad: Any, text: str, *, scale: float) -> list[Word]:
    """Split ``text`` at spaces; each token gets its share of ``quad`` by character
    position, cut along the quad's own top and bottom edges (a tilted line keeps its
    words' true height)."""
    tl, tr, br, bl = ((float(p[0]) / scale, float(p[1]) / scale) for p in quad)
    height = ((bl[0] - tl[0]) ** 2 + (bl[1] - tl[1]) ** 2) ** 0.5
    n = max(len(text), 1)
    words: list[Word] = []
    pos = 0
    for raw in text.split(" "):
        token = clean_token(raw)
        if token:
            # a speck taken off the front moves the word's box to where its text starts
            lead = raw.find(token[0]) if raw[:1] != token[:1] and token[0] in raw else 0
            f0, f1 = (pos + lead) / n, (pos + lead + len(token)) / n
            pts = [_lerp(tl, tr, f0), _lerp(tl, tr, f1), _lerp(bl, br, f0), _lerp(bl, br, f1)]
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            words.append(
                Word(token, min(xs), min(ys), max(xs), max(ys), size=max(height * 0.8, 1.0))
            )
        pos += len(raw) + 1
    return words


def segments_from_boxes(
    boxes: Any,
    texts: Any,
    *,
    scale: float,
    min_score: float = 0.0,
    scores: Any = None,
    word_results: Any = None,
) -> list[list[Word]]:
    """Each OCR text line as a list of words with boxes in PDF points.

    With ``word_results`` (RapidOCR's ``return_word_box``: per line, the words with
    their own quads) each word keeps its measured box; otherwise a word's box is cut
    out of the line's quad by character position. Words glued to numbers are split.
    """
    out: list[list[Word]] = []
    if boxes is None or texts is None:
        return out
    for i, (quad, text) in enumerate(zip(boxes, texts, strict=False)):
        if scores is not None and float(scores[i]) < min_score:
            continue
        words: list[Word] = []
        parts = word_results[i] if word_results is not None and i < len(word_results) else None
        if parts and all(len(p) == 3 for p in parts):
            joined = " ".join(str(p[0]) for p in parts)
            if joined.split() == str(text).split():
                # the words of one line share its top, bottom and size, as words set
                # in one font on one baseline do in a text layer
                top = min(float(quad[0][1]), float(quad[1][1])) / scale
                bottom = max(float(quad[2][1]), float(quad[3][1])) / scale
                size = max((bottom - top) * 0.8, 1.0)
                for j, (token, _score, wquad) in enumerate(parts):
                    token = str(token)
                    if j == 0:
                        token = _MARKER_GLUED.sub(r"\1 ", token, count=1)
                    for w in _words_in_quad(wquad, _unglue(token), scale=scale):
                        words.append(Word(w.text, w.x0, top, w.x1, bottom, size))
                if words:
                    out.append(words)
                continue
        line = split_glued(str(text))
        if line.strip():
            words = _words_in_quad(quad, line, scale=scale)
        if words:
            out.append(words)
    return out


def words_from_boxes(
    boxes: Any, texts: Any, *, scale: float, min_score: float = 0.0, scores: Any = None
) -> list[Word]:
    """All words of all OCR boxes, in PDF points (see ``segments_from_boxes``)."""
    segments = segments_from_boxes(boxes, texts, scale=scale, min_score=min_score, scores=scores)
    return [w for seg in segments for w in seg]


# --- image geometry ---------------------------------------------------------------


def _dark_mask(pixels: Any) -> Any:
    """Ink as a 0/255 mask: Otsu's threshold, never above mid-grey paper shadows."""
    import cv2

    thr, _ = cv2.threshold(pixels, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    _, mask = cv2.threshold(pixels, min(float(thr), 170.0), 255, cv2.THRESH_BINARY_INV)
    return mask


def deskew_angle(pixels: Any, *, scale: float) -> float:
    """The page's skew in degrees (counter-clockwise positive, as PIL's ``rotate``).

    Text rows give the horizontal projection profile its sharpest peaks when the page
    is straight: the angle that maximises the profile's sum of squares wins, searched
    coarse then fine on a ~75 dpi copy. A margin of the page is ignored (scanner-lid
    shadows and page edges are straight at any skew).
    """
    import cv2
    import numpy as np

    factor = min(1.0, (75 / 72) / scale)
    small = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    mask = _dark_mask(small)
    h, w = mask.shape
    my, mx = int(h * 0.04), int(w * 0.04)
    ys, xs = np.nonzero(mask[my : h - my, mx : w - mx])
    if len(ys) < 200:
        return 0.0
    if len(ys) > 150_000:
        keep = np.random.default_rng(0).choice(len(ys), 150_000, replace=False)
        ys, xs = ys[keep], xs[keep]
    ys = ys.astype(np.float64)
    xs = xs.astype(np.float64) - w / 2

    def sharpness(deg: float) -> float:
        # a point on a text row tilted by deg lies at y - x*tan(deg) when straightened
        # (image y points down, a counter-clockwise tilt raises the right end)
        shifted = ys + xs * math.tan(math.radians(deg))
        counts = np.bincount(np.round(shifted - shifted.min()).astype(np.int64))
        return float(np.dot(counts, counts))

    coarse = max(np.arange(-_SKEW_LIMIT, _SKEW_LIMIT + 1e-9, 0.25), key=sharpness)
    fine = max(np.arange(coarse - 0.25, coarse + 0.25 + 1e-9, 0.05), key=sharpness)
    finer = max(np.arange(fine - 0.04, fine + 0.04 + 1e-9, 0.02), key=sharpness)
    return float(round(finer, 2))


def _straighten(pixels: Any, angle: float) -> Any:
    """The image rotated by ``-angle`` degrees about its centre, paper-white fill."""
    import cv2

    h, w = pixels.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    return cv2.warpAffine(
        pixels, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def _components(mask: Any) -> list[tuple[int, int, int, int, int]]:
    """(x, y, w, h, area) of each connected component of a 0/255 mask."""
    import cv2

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [tuple(int(v) for v in stats[i]) for i in range(1, n)]  # type: ignore[misc]


def find_shapes(pixels: Any, *, scale: float) -> PageShapes:
    """Rules and check boxes drawn on a straightened page image (``scale`` px/pt)."""
    import cv2
    import numpy as np

    # ~150 dpi is plenty to find rules and box candidates and costs a quarter of
    # 300 dpi; a candidate box is judged at full resolution
    full = _dark_mask(pixels)
    full_pixels = pixels
    full_scale = scale
    factor = min(1.0, (150 / 72) / scale)
    if factor < 0.9:
        pixels = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        scale *= factor
    mask = _dark_mask(pixels)
    h, w = mask.shape
    edge = 0.02 * min(h, w)  # shadows and cut edges along the border are no rules
    thick = max(3.5 * scale, 3)
    hlen = max(int(20 * scale), 10)
    vlen = max(int(14 * scale), 8)
    # a rule may be broken by JPEG noise or bend by a pixel over its length: close
    # small gaps along it before opening with a long kernel
    gap = max(int(scale), 2)  # about a point: more would join the letters of a line
    hmask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    hmask = cv2.morphologyEx(hmask, cv2.MORPH_OPEN, np.ones((1, hlen), np.uint8))
    vmask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((gap, 1), np.uint8))
    vmask = cv2.morphologyEx(vmask, cv2.MORPH_OPEN, np.ones((vlen, 1), np.uint8))

    def inside(x: int, y: int, cw: int, ch: int) -> bool:
        return bool(x > edge and y > edge and x + cw < w - edge and y + ch < h - edge)

    hrules = tuple(
        (x / scale, (y + ch / 2) / scale, (x + cw) / scale, (y + ch / 2) / scale)
        for x, y, cw, ch, _ in _components(hmask)
        if ch <= thick and inside(x, y, cw, ch)
    )
    vrules = tuple(
        ((x + cw / 2) / scale, y / scale, (x + cw / 2) / scale, (y + ch) / scale)
        for x, y, cw, ch, _ in _components(vmask)
        if cw <= thick and inside(x, y, cw, ch)
    )
    boxes: list[tuple[BBox, bool]] = []
    dots: list[BBox] = []
    dashes: list[BBox] = []
    specks: list[BBox] = []
    lo, hi = 6.5 * scale, 16 * scale  # a check box glyph at 10 points is ~7.5 points
    for x, y, cw, ch, area in _components(mask):
        if (
            1.8 * scale <= cw <= 6 * scale
            and 1.8 * scale <= ch <= 6 * scale
            and 0.7 <= cw / ch <= 1.4
            and area >= 0.6 * cw * ch
        ):
            dots.append((x / scale, y / scale, (x + cw) / scale, (y + ch) / scale))
            continue
        if (
            2.5 * scale <= cw <= 8 * scale
            and ch <= 2 * scale
            and cw >= 2.5 * ch
            and area >= 0.5 * cw * ch  # a scanned dash loses its corners
        ):
            dashes.append((x / scale, y / scale, (x + cw) / scale, (y + ch) / scale))
            continue
        if 0.6 * scale <= cw <= 2.5 * scale and 1.2 * scale <= ch <= 4 * scale:
            specks.append((x / scale, y / scale, (x + cw) / scale, (y + ch) / scale))
            continue
        if not (lo <= cw <= hi and lo <= ch <= hi and 0.75 <= cw / ch <= 1.33):
            continue
        if not inside(x, y, cw, ch):
            continue
        k = full_scale / scale
        fx0, fy0 = int(x * k), int(y * k)
        fx1, fy1 = math.ceil((x + cw) * k), math.ceil((y + ch) * k)
        ticked = _box_state(full[fy0:fy1, fx0:fx1] > 0)
        if ticked is not None:
            boxes.append(((x / scale, y / scale, (x + cw) / scale, (y + ch) / scale), ticked))
    boxes += _faint_boxes(pixels, full_pixels, scale=scale, full_scale=full_scale, found=boxes)
    return PageShapes(
        hrules=hrules,
        vrules=vrules,
        boxes=tuple(boxes),
        dots=tuple(dots),
        dashes=tuple(dashes),
        quotes=tuple(_quote_pairs(specks)),
    )


def _faint_boxes(
    pixels: Any,
    full_pixels: Any,
    *,
    scale: float,
    full_scale: float,
    found: Sequence[tuple[BBox, bool]],
) -> list[tuple[BBox, bool]]:
    """Check boxes drawn in thin grey lines (a word processor's form boxes) that the
    ink threshold breaks up: looked for again with a threshold halfway between ink and
    paper, after taking out the rules (a box set tight under a table rule would
    otherwise be one component with it). Only where no box was found already."""
    import cv2
    import numpy as np

    thr, _ = cv2.threshold(pixels, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = float(np.median(pixels[::4, ::4]))
    level = float(thr) + 0.5 * (paper - float(thr))
    if level <= float(thr) + 5:
        return []
    _, mask = cv2.threshold(pixels, level, 255, cv2.THRESH_BINARY_INV)
    hlen, vlen = max(int(20 * scale), 10), max(int(14 * scale), 8)
    rules = cv2.bitwise_or(
        cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, hlen), np.uint8)),
        cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((vlen, 1), np.uint8)),
    )
    mask = cv2.bitwise_and(mask, cv2.bitwise_not(rules))
    h, w = mask.shape
    edge = 0.02 * min(h, w)
    lo, hi = 6.5 * scale, 16 * scale
    k = full_scale / scale
    out: list[tuple[BBox, bool]] = []
    for x, y, cw, ch, _area in _components(mask):
        if not (lo <= cw <= hi and lo <= ch <= hi and 0.75 <= cw / ch <= 1.33):
            continue
        if not (x > edge and y > edge and x + cw < w - edge and y + ch < h - edge):
            continue
        bbox: BBox = (x / scale, y / scale, (x + cw) / scale, (y + ch) / scale)
        if any(_box_overlap(bbox, b) for b, _ in found):
            continue
        fx0, fy0 = int(x * k), int(y * k)
        fx1, fy1 = math.ceil((x + cw) * k), math.ceil((y + ch) * k)
        ticked = _box_state(full_pixels[fy0:fy1, fx0:fx1] < level)
        if ticked is not None:
            out.append((bbox, ticked))
    return out


def _quote_pairs(specks: Sequence[BBox]) -> list[BBox]:
    """Two small strokes of one height side by side (a quotation mark, „ or “), each
    as the box around both."""
    pairs: list[BBox] = []
    ordered = sorted(specks)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 : i + 4]:
            if b[0] - a[2] > 1.5:
                break
            if (
                b[0] >= a[2] - 0.3
                and abs(a[1] - b[1]) <= 1.0
                and abs((a[3] - a[1]) - (b[3] - b[1])) <= 1.0
            ):
                pairs.append((a[0], min(a[1], b[1]), b[2], max(a[3], b[3])))
                break
    return pairs


def _box_overlap(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _box_state(cell: Any) -> bool | None:
    """Whether a square component is a check box and, if so, whether it is ticked;
    None when it is no box.

    A box has all four sides drawn (ink along at least 85% of each border band), all
    four corners inked, is square (letters such as "D", "O", "0" are taller than wide),
    and has a light ring just inside its sides: empty when its middle is empty too,
    ticked when there is ink in its middle and the ring is crossed in a few places only
    (the strokes of an X or a tick; a blurred letter or speck is a solid blob).
    """
    import numpy as np

    # the sides are the outermost rows and columns that are mostly ink (dust stuck to
    # a corner widens the component, not the box)
    full_rows = np.flatnonzero(cell.mean(axis=1) >= 0.7)
    full_cols = np.flatnonzero(cell.mean(axis=0) >= 0.7)
    if len(full_rows) < 2 or len(full_cols) < 2:
        return None
    trimmed = cell[full_rows[0] : full_rows[-1] + 1, full_cols[0] : full_cols[-1] + 1]
    if trimmed.shape[0] < 0.8 * cell.shape[0] or trimmed.shape[1] < 0.8 * cell.shape[1]:
        return None
    cell = trimmed
    ch, cw = cell.shape
    if cw < 0.85 * ch or ch < 0.85 * cw:  # boxes are square, letters are taller
        return None
    band = max(round(min(ch, cw) * 0.15), 2)
    if min(ch, cw) < 4 * band + 2:
        return None

    def side(strip: Any, axis: int) -> float:
        # the share of positions along the side where the strip has ink
        return float(strip.any(axis=axis).mean())

    sides = (
        side(cell[:band, :], 0),
        side(cell[-band:, :], 0),
        side(cell[:, :band], 1),
        side(cell[:, -band:], 1),
    )
    if min(sides) < 0.85:
        return None
    inside = cell[band : ch - band, band : cw - band]
    inner = cell[2 * band : ch - 2 * band, 2 * band : cw - 2 * band]
    ring = (float(inside.sum()) - float(inner.sum())) / max(inside.size - inner.size, 1)
    filled = float(inner.mean())
    if not _square_corners(cell, band):
        return None
    if filled <= 0.1:
        return False if ring <= 0.12 else None  # an empty box, or a letter "O", "D", "0"
    if ring <= 0.4:
        return True  # a mark inside (the strokes of an X or a tick cross the ring)
    return True if _filled_square_inside(cell, band) else None  # or a blob


def _square_corners(cell: Any, band: int) -> bool:
    """Whether all four corners are inked (a letter "O" or "D" is round there): a
    corner block a band wide half inked, or one half a band wide (a hairline frame,
    which fills little of the larger block; a blurred corner fills the larger one)."""

    def corners(k: int) -> list[float]:
        blocks = (cell[:k, :k], cell[:k, -k:], cell[-k:, :k], cell[-k:, -k:])
        return [float(b.mean()) for b in blocks]

    wide, narrow = corners(band), corners(max(band // 2, 2))
    return all(max(a, b) >= 0.5 for a, b in zip(wide, narrow, strict=True))


def _filled_square_inside(cell: Any, band: int) -> bool:
    """Whether a box holds a solid mark set off from its frame by a light gap (a
    word processor's ticked box: a filled square inside the frame, "▣").

    The gap is the lightest one-pixel ring inside the frame, within two bands of the
    border; the mark is what that ring encloses. A blob or a letter has no light ring
    all round; an empty box encloses no ink.
    """
    ch, cw = cell.shape
    best: tuple[float, int] | None = None
    for k in range(1, 2 * band + 1):
        if min(ch, cw) <= 2 * k + 4:
            break
        ring = (
            float(cell[k, k : cw - k].sum())
            + float(cell[ch - 1 - k, k : cw - k].sum())
            + float(cell[k + 1 : ch - 1 - k, k].sum())
            + float(cell[k + 1 : ch - 1 - k, cw - 1 - k].sum())
        ) / (2 * (cw - 2 * k) + 2 * (ch - 2 * k - 2))
        if best is None or ring < best[0]:
            best = (ring, k)
    if best is None or best[0] > 0.12:
        return False
    k = best[1]
    enclosed = cell[k + 1 : ch - 1 - k, k + 1 : cw - 1 - k]
    return enclosed.size > 0 and float(enclosed.mean()) >= 0.3


# --- page ---------------------------------------------------------------------------


def _centre_in(word: Word, box: BBox, pad: float = 0.0) -> bool:
    cx = (word.x0 + word.x1) / 2
    cy = (word.top + word.bottom) / 2
    return box[0] - pad <= cx <= box[2] + pad and box[1] - pad <= cy <= box[3] + pad


def _overlaps(word: Word, box: BBox) -> bool:
    return word.x0 < box[2] and box[0] < word.x1 and word.top < box[3] and box[1] < word.bottom


def _with_boxes(segments: list[list[Word]], boxes: Sequence[tuple[BBox, bool]]) -> list[list[Word]]:
    """OCR's reading of each check box replaced by the canonical "☒"/"☐" word."""
    if not boxes:
        return segments
    out: list[list[Word]] = []
    for seg in segments:
        kept: list[Word] = []
        for word in seg:
            hit = next((b for b, _ in boxes if _overlaps(word, b)), None)
            if hit is None:
                kept.append(word)
                continue
            text = word.text.lstrip(_BOX_GLYPHS + "xX×")
            if not text or (len(text) == len(word.text) and _centre_in(word, hit, 1.0)):
                continue  # the glyph itself (or OCR's guess at the mark inside it)
            share = len(text) / max(len(word.text), 1)
            x0 = max(word.x0, hit[2], word.x1 - (word.x1 - word.x0) * share)
            kept.append(Word(text, min(x0, word.x1 - 1), word.top, word.x1, word.bottom, word.size))
        if kept:
            out.append(kept)
    for box, ticked in boxes:
        size = box[3] - box[1]
        out.append([Word(TICKED if ticked else UNTICKED, *box, size=size)])
    return out


# a typed check box, "[X]" / "[x]" / "(x)" or "[]", at the start of an OCR word; OCR
# drops the space inside "[ ]" and the one after the box ("[]verbleibt")
_TYPED_BOX = re.compile(r"^(?:([\[(]\s*[xX×✓✔✗✘]\s*[\])])|(\[\s*\]))")


# box glyphs OCR reads from a box printed as a character (the text layer's spellings)
_TICKED_CHARS = "☒☑⊠"
_UNTICKED_CHARS = "☐□❑❏◻⬜"


def _typed_word(word: Word) -> list[Word]:
    """A typed box or box glyph read by OCR as the word ☒/☐, split off the word glued
    to it ("[]verbleibt", "□ja")."""
    first = word.text[:1]
    if first and first in _TICKED_CHARS + _UNTICKED_CHARS:
        box_len, glyph = 1, TICKED if first in _TICKED_CHARS else UNTICKED
    else:
        m = _TYPED_BOX.match(word.text)
        if m is None:
            return [word]
        box_len, glyph = len(m.group(1) or m.group(2)), TICKED if m.group(1) else UNTICKED
    step = (word.x1 - word.x0) / max(len(word.text), 1)
    cut = word.x0 + step * box_len
    rest = word.text[box_len:]
    out = [Word(glyph, word.x0, word.top, cut, word.bottom, word.size)]
    if rest:
        out.append(Word(rest, cut, word.top, word.x1, word.bottom, word.size))
    return out


def _with_typed_boxes(segments: list[list[Word]]) -> list[list[Word]]:
    """Typed check boxes ("[X]", "[ ]", also as the two words "[" "]") as ☒/☐ words,
    as the text layer spells them."""
    out: list[list[Word]] = []
    for seg in segments:
        kept: list[Word] = []
        for word in (part for w in seg for part in _typed_word(w)):
            prev = kept[-1] if kept else None
            if word.text == "]" and prev is not None and prev.text == "[":
                kept[-1] = Word(UNTICKED, prev.x0, prev.top, word.x1, word.bottom, word.size)
            else:
                kept.append(word)
        out.append(kept)
    return out


def _with_bullets(
    segments: list[list[Word]], dots: Sequence[BBox], dashes: Sequence[BBox] = ()
) -> list[list[Word]]:
    """A "•" (a filled dot) or "–" (a short dash) before each text line that starts
    right after such a mark at its middle height: OCR often drops list markers, the
    text layer keeps them. A mark OCR did read (a word over it) is not added again."""
    marks = [(d, "•") for d in dots] + [(d, "–") for d in dashes]
    if not marks:
        return segments
    out: list[list[Word]] = []
    for seg in segments:
        first = seg[0]
        height = first.bottom - first.top
        mid = (first.top + first.bottom) / 2
        found = next(
            (
                (d, glyph)
                for d, glyph in marks
                if 0 <= first.x0 - d[2] <= max(2.0 * height, 12.0)
                and abs((d[1] + d[3]) / 2 - mid) <= 0.2 * height
                and d[3] - d[1] <= 0.6 * height
            ),
            None,
        )
        if (
            found is not None
            and first.text[:1] not in "•·-–—*"
            and not any(_overlaps(w, found[0]) for s_ in segments for w in s_)
        ):
            out.append([Word(found[1], *found[0], size=first.size), *seg])
        else:
            out.append(seg)
    return out


def _with_low_quotes(segments: list[list[Word]], quotes: Sequence[BBox]) -> list[list[Word]]:
    """An opening quotation mark „ put back before a word that starts right after a
    pair of strokes low on its line (OCR drops the low mark, keeps the closing “, and
    "„verbleibt“" would read as the bare word)."""
    if not quotes:
        return segments
    out: list[list[Word]] = []
    for seg in segments:
        kept: list[Word] = []
        for word in seg:
            mid = (word.top + word.bottom) / 2
            mark = next(
                (
                    q
                    for q in quotes
                    if -0.5 <= word.x0 - q[2] <= 3.0
                    and mid < (q[1] + q[3]) / 2 <= word.bottom + 1.0
                ),
                None,
            )
            if mark is not None and word.text[:1] not in "„‚\"“”'«»":
                word = Word("„" + word.text, mark[0], word.top, word.x1, word.bottom, word.size)
            kept.append(word)
        out.append(kept)
    return out


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict[str, Any]:
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
        "object_type": "line",
    }


def _snapped(
    hrules: Sequence[BBox], vrules: Sequence[BBox], reach: float = 10.0
) -> tuple[list[BBox], list[BBox]]:
    """Rule ends that stop a little short of a crossing rule (dust, a faint stretch of
    a scanned line) extended to it, so that the crossing counts."""

    def extend(
        lo: float, hi: float, at: float, crossing: list[tuple[float, float, float]]
    ) -> tuple[float, float]:
        for pos, c0, c1 in crossing:
            if c0 - 3 <= at <= c1 + 3:
                if lo - reach <= pos < lo:
                    lo = pos
                if hi < pos <= hi + reach:
                    hi = pos
        return lo, hi

    verticals = [(v[0], v[1], v[3]) for v in vrules]
    horizontals = [(h[1], h[0], h[2]) for h in hrules]
    hs = [(*extend(h[0], h[2], h[1], verticals), h[1]) for h in hrules]
    vs = [(*extend(v[1], v[3], v[0], horizontals), v[0]) for v in vrules]
    return (
        [(x0, y, x1, y) for x0, x1, y in hs],
        [(x, y0, x, y1) for y0, y1, x in vs],
    )


def ruled_tables(shapes: PageShapes, words: Sequence[Word]) -> list[Table]:
    """Tables ruled in both directions, cut into cells by pdfplumber's own algorithm
    (edges merged, intersections, cells, tables) on the rules found in the image."""
    from pdfplumber import table as pt

    if not shapes.hrules or not shapes.vrules:
        return []
    hrules, vrules = _snapped(shapes.hrules, shapes.vrules)
    edges = [_edge(r[0], r[1], r[2], r[1], "h") for r in hrules]
    edges += [_edge(r[0], r[1], r[0], r[3], "v") for r in vrules]
    # pdfplumber's defaults for drawn lines (3 points) doubled: a scanned rule may be
    # broken by dust or end a few points short of the rule it meets
    edges = pt.merge_edges(edges, 3, 3, 6, 6)
    edges = [e for e in edges if (e["width"] if e["orientation"] == "h" else e["height"]) >= 3]
    cells = pt.intersections_to_cells(pt.edges_to_intersections(edges, 6, 6))
    tables: list[Table] = []
    for group in pt.cells_to_tables(cells):
        found = pt.Table(None, group)  # type: ignore[arg-type]  # rows need no page
        rows: list[tuple[Cell | None, ...]] = []
        for r, row in enumerate(found.rows):
            cells_out: list[Cell | None] = []
            for c, box in enumerate(row.cells):
                if box is None:
                    cells_out.append(None)
                    continue
                bb: BBox = (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
                inside = [w for w in words if _centre_in(w, bb)]
                text = " ".join(seg.text for row_ in build_rows(inside) for seg in row_)
                cells_out.append(Cell(r, c, _STRAY_AROUND_DIGITS.sub("", text), bb))
            rows.append(tuple(cells_out))
        if len(rows) >= 2:
            x0, top, x1, bottom = found.bbox
            tables.append(Table(tuple(rows), (float(x0), float(top), float(x1), float(bottom))))
    return tables


def sideways(pixels: Any, *, scale: float) -> bool:
    """Whether the page's text runs up or down the sheet (a landscape annex printed
    across a portrait page): the column profile of the ink is then far more peaked than
    the row profile, as the row profile is on an upright page (measured on a ~75 dpi
    copy, page margins ignored)."""
    import cv2
    import numpy as np

    factor = min(1.0, (75 / 72) / scale)
    small = cv2.resize(pixels, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    mask = _dark_mask(small) > 0
    h, w = mask.shape
    mask = mask[int(h * 0.04) : h - int(h * 0.04), int(w * 0.04) : w - int(w * 0.04)]
    total = float(mask.sum())
    if total < 200:
        return False
    rows = mask.sum(axis=1).astype(np.float64)
    cols = mask.sum(axis=0).astype(np.float64)
    # peakedness: 1.0 for ink spread evenly, higher where it gathers in lines
    by_row = float(rows @ rows) * len(rows) / total**2
    by_col = float(cols @ cols) * len(cols) / total**2
    return by_row < _SIDEWAYS_RATIO * by_col


def read_image(pixels: Any, *, scale: float, number: int, width: float, height: float) -> OcrPage:
    """OCR one grey page image (``scale`` pixels per PDF point) into a ``PageLayout``.

    A page whose text runs sideways is turned a quarter first, the way that reads
    better (the higher mean recognition score; the clockwise turn is tried first and
    kept when it reads well), and comes out as a landscape page, as the text layer
    turns such a page."""
    import numpy as np

    if not sideways(pixels, scale=scale):
        return _read_upright(pixels, scale=scale, number=number, width=width, height=height)[0]
    readings: list[tuple[OcrPage, float]] = []
    for turn in (-1, 1):  # np.rot90: -1 clockwise, 1 counter-clockwise
        turned = np.ascontiguousarray(np.rot90(pixels, turn))
        readings.append(
            _read_upright(turned, scale=scale, number=number, width=height, height=width)
        )
        if readings[-1][1] >= _GOOD_READING:
            break
    return max(readings, key=lambda r: r[1])[0]


def _read_upright(
    pixels: Any, *, scale: float, number: int, width: float, height: float
) -> tuple[OcrPage, float]:
    """The page read as it stands, and the mean score of its recognised lines."""
    import cv2

    angle = deskew_angle(pixels, scale=scale)
    if abs(angle) >= 0.1:
        pixels = _straighten(pixels, angle)
    shapes = find_shapes(pixels, scale=scale)
    result = engine()(cv2.cvtColor(pixels, cv2.COLOR_GRAY2BGR))
    scores = getattr(result, "scores", None)
    segments = segments_from_boxes(
        getattr(result, "boxes", None),
        getattr(result, "txts", None),
        scale=scale,
        scores=scores,
        min_score=_MIN_SCORE,
        word_results=getattr(result, "word_results", None),
    )
    segments = _with_typed_boxes(_with_boxes(segments, shapes.boxes))
    segments = _with_low_quotes(_with_bullets(segments, shapes.dots, shapes.dashes), shapes.quotes)
    words = [w for seg in segments for w in seg]
    layout = PageLayout(
        number=number,
        width=width,
        height=height,
        source=Source.OCR,
        char_count=sum(len(w.text) for w in words),
    )
    layout.tables = ruled_tables(shapes, words)
    if layout.tables:
        segments = [
            kept
            for seg in segments
            if (kept := [w for w in seg if not any(_centre_in(w, t.bbox) for t in layout.tables)])
        ]
    layout.rows = rows_from_segments(segments)
    layout.rules = [r for r in shapes.hrules if r[2] - r[0] >= 40]
    aligned_tables(layout)
    mean = (
        sum(float(v) for v in scores) / len(scores) if scores is not None and len(scores) else 0.0
    )
    return OcrPage(layout=layout, scan=ScanImage(pixels=pixels, scale=scale)), mean


def ocr_page(pdf: Any, index: int, *, dpi: int) -> OcrPage:
    """OCR page ``index`` (0-based) of an open ``pypdfium2.PdfDocument``."""
    import numpy as np

    page = pdf[index]
    try:
        width, height = (float(v) for v in page.get_size())
        scale = dpi / 72.0
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            # a grey render is one byte per pixel: copy it out before the buffer goes
            pixels = np.array(bitmap.to_numpy(), dtype=np.uint8, order="C")
        finally:
            bitmap.close()
    finally:
        page.close()
    if pixels.ndim == 3:
        pixels = np.ascontiguousarray(pixels[:, :, 0])
    return read_image(pixels, scale=scale, number=index + 1, width=width, height=height)
