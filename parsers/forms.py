"""Check boxes, normalised to the glyphs ☒ (ticked) and ☐ (not ticked).

Letters mark their boxes in four ways: Unicode glyphs (☒ ☐ ☑ □), typed brackets
(``[x]``, ``[ ]``), boxes drawn as vector rectangles with an X, a tick or a
ZapfDingbats ✔ inside (nothing in the text layer says which are ticked), and real
AcroForm check boxes (``/AS /Yes`` vs ``/Off``). Every one of them becomes a word
"☒" or "☐" at the box's position, so the statement rules and the table rules read
one canonical form. Vector marks used by a box are reported back so that they are
not mistaken for handwritten ink.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from parsers.layout import Word
from parsers.model import BBox

__all__ = [
    "TICKED",
    "UNTICKED",
    "Box",
    "acroform_boxes",
    "acroform_words",
    "box_outlines",
    "drawn_boxes",
    "with_boxes",
]

TICKED = "☒"
UNTICKED = "☐"

_TICKED_GLYPHS = {"☒", "☑", "⊠", "⮽", "🗹", "🗷"}
_UNTICKED_GLYPHS = {"☐", "□", "❑", "❏", "◻", "⬜"}
_TICKED_TYPED = re.compile(r"^[\[(][xX✓✔✗✘×][\])]$")
# Marks in any font; digits and letters are marks only in a symbol font
_MARK_CHARS = {"✓", "✔", "✗", "✘", "×", "x", "X"}
# ZapfDingbats: "4" is ✔, "3" ✓, "8" ✘, "7" ✗, "n" ■, "l" ●; fonts named so
_DINGBATS = re.compile(r"dingbat|zapf|wingding|symbol", re.IGNORECASE)

# A drawn box: a small near-square rectangle
_BOX_MIN, _BOX_MAX = 4.5, 18.0


@dataclass(frozen=True)
class Box:
    """One check box: where it is and whether it is ticked."""

    bbox: BBox
    ticked: bool


def _center_in(b: BBox, box: BBox, slack: float = 0.0) -> bool:
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    return box[0] - slack <= cx <= box[2] + slack and box[1] - slack <= cy <= box[3] + slack


def _is_edge(b: BBox, box: BBox) -> bool:
    """A horizontal or vertical stroke lying on the box's border (part of the box)."""
    thin_h = b[3] - b[1] <= 1.0
    thin_v = b[2] - b[0] <= 1.0
    if thin_h:
        return abs(b[1] - box[1]) <= 1.2 or abs(b[3] - box[3]) <= 1.2
    if thin_v:
        return abs(b[0] - box[0]) <= 1.2 or abs(b[2] - box[2]) <= 1.2
    return False


def _bbox(obj: dict[str, Any]) -> BBox:
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _square(b: BBox) -> bool:
    w, h = b[2] - b[0], b[3] - b[1]
    return _BOX_MIN <= w <= _BOX_MAX and _BOX_MIN <= h <= _BOX_MAX and abs(w - h) <= 2.5


def _closed_outline(curve: dict[str, Any]) -> bool:
    """A stroked, unfilled closed path around a small square (a box with rounded
    corners): its points reach all four sides of its bounding box."""
    if curve.get("fill") or not curve.get("stroke"):
        return False
    pts = curve.get("pts") or []
    if len(pts) < 4:
        return False
    x0, top, x1, bottom = _bbox(curve)
    (fx, fy), (lx, ly) = pts[0], pts[-1]
    if abs(fx - lx) > 1.0 or abs(fy - ly) > 1.0:
        return False
    near = 0.15 * (x1 - x0)
    return (
        any(abs(float(x) - x0) <= near for x, _ in pts)
        and any(abs(float(x) - x1) <= near for x, _ in pts)
        and any(abs(float(y) - top) <= near or abs(float(y) - bottom) <= near for _, y in pts)
    )


def _sides(pieces: Sequence[tuple[int, BBox]]) -> list[tuple[BBox, set[int]]]:
    """Boxes drawn as four thin sides (CSS borders of different colours come out as
    one filled bar per side): two horizontal bars of one length and two vertical bars
    joining their ends. A bar that runs on into a neighbour's (a grid of table cells)
    makes no box."""
    flat = [(i, b) for i, b in pieces if b[3] - b[1] <= 1.5 and _BOX_MIN <= b[2] - b[0] <= _BOX_MAX]
    tall = [(i, b) for i, b in pieces if b[2] - b[0] <= 1.5 and _BOX_MIN <= b[3] - b[1] <= _BOX_MAX]
    if len(flat) < 2 or len(tall) < 2:
        return []
    rails = [(i, b) for i, b in pieces if b[3] - b[1] <= 1.5]
    out: list[tuple[BBox, set[int]]] = []
    for i, top in flat:
        for j, bot in flat:
            if not (
                abs(top[0] - bot[0]) <= 1.0
                and abs(top[2] - bot[2]) <= 1.0
                and _BOX_MIN <= bot[3] - top[1] <= _BOX_MAX
            ):
                continue
            box = (min(top[0], bot[0]), top[1], max(top[2], bot[2]), bot[3])
            if _runs_on(box, rails):
                continue
            left = [k for k, v in tall if abs(v[0] - box[0]) <= 1.0 and _spans(v, box)]
            right = [k for k, v in tall if abs(v[2] - box[2]) <= 1.0 and _spans(v, box)]
            if left and right and _square(box):
                out.append((box, {i, j, left[0], right[0]}))
    return out


def _runs_on(box: BBox, flat: Sequence[tuple[int, BBox]]) -> bool:
    """Whether a horizontal bar continues the box's top or bottom edge past a corner."""
    return any(
        (abs(b[1] - box[1]) <= 1.0 or abs(b[3] - box[3]) <= 1.0)
        and (abs(b[0] - box[2]) <= 1.0 or abs(b[2] - box[0]) <= 1.0)
        for _, b in flat
    )


def _spans(v: BBox, box: BBox) -> bool:
    return v[1] <= box[1] + 1.2 and v[3] >= box[3] - 1.2


def box_outlines(
    marks: Sequence[dict[str, Any]], rects: Sequence[dict[str, Any]]
) -> list[tuple[BBox, set[int]]]:
    """Check boxes not drawn as one rectangle, each with the indexes into ``marks``
    (the page's lines and curves) its outline uses: a closed stroked path around a
    small square (rounded corners), or four thin sides, bars or strokes (``rects``
    sides get negative indexes: they are no marks)."""
    out = [
        (_bbox(m), {i})
        for i, m in enumerate(marks)
        if m.get("object_type") == "curve" and _square(_bbox(m)) and _closed_outline(m)
    ]
    pieces = [(i, _bbox(m)) for i, m in enumerate(marks)]
    pieces += [(-1 - k, _bbox(r)) for k, r in enumerate(rects)]
    return out + _sides(pieces)


def drawn_boxes(
    rects: Iterable[BBox],
    marks: Sequence[BBox],
    chars: Sequence[tuple[str, str, BBox]],
    outlines: Sequence[tuple[BBox, set[int]]] = (),
) -> tuple[list[Box], set[int]]:
    """Small square rectangles as check boxes; a box is ticked when a stroke (X, tick)
    or a mark character (✔, x, a ZapfDingbats glyph) sits inside it.

    ``marks`` are the page's lines and curves, ``chars`` (text, fontname, bbox).
    ``outlines`` are boxes drawn otherwise (``box_outlines``) with the indexes into
    ``marks`` their outline uses (never a tick). Returns the boxes and the indexes of
    the marks used as ticks or outlines.
    """
    boxes: list[Box] = []
    used: set[int] = set()
    seen: list[BBox] = []
    outline_marks = {i for _, own in outlines for i in own}
    candidates = [(r, set[int]()) for r in rects] + [(b, own) for b, own in outlines]
    for rect, own in candidates:
        w, h = rect[2] - rect[0], rect[3] - rect[1]
        if not (_BOX_MIN <= w <= _BOX_MAX and _BOX_MIN <= h <= _BOX_MAX and abs(w - h) <= 2.5):
            continue
        if any(abs(rect[0] - s[0]) < 1 and abs(rect[1] - s[1]) < 1 for s in seen):
            continue  # the same box drawn twice (fill and stroke)
        # a box with ordinary text inside is a table cell or a frame, not a check box
        inside = [c for c in chars if _center_in(c[2], rect)]
        if any(not (_DINGBATS.search(font) or text in _MARK_CHARS) for text, font, _ in inside):
            continue
        seen.append(rect)
        used |= own
        ticked = bool(inside)
        for i, m in enumerate(marks):
            if i in outline_marks:
                continue
            if _center_in(m, rect, slack=1.0) and not _is_edge(m, rect):
                mw, mh = m[2] - m[0], m[3] - m[1]
                if mw <= w * 1.6 and mh <= h * 1.6:
                    ticked = True
                    used.add(i)
        boxes.append(Box(rect, ticked))
    return boxes, used


def _name(value: Any) -> str:
    """A PDF name or string as text (pdfminer gives PSLiteral for names)."""
    name = getattr(value, "name", value)
    if isinstance(name, bytes):
        return name.decode("latin-1", "replace")
    return str(name) if name is not None else ""


def acroform_boxes(annots: Iterable[dict[str, Any]]) -> list[Box]:
    """AcroForm check boxes (widgets with an appearance state) from pdfplumber's
    ``page.annots``: ticked when the state is not ``Off``."""
    from pdfminer.pdftypes import resolve1

    out: list[Box] = []
    for annot in annots:
        data = annot.get("data") or {}
        if _name(resolve1(data.get("Subtype"))) != "Widget" or _field_type(data) != "Btn":
            continue
        parent = resolve1(data.get("Parent"))
        state = resolve1(data.get("AS"))
        if state is None:
            value = resolve1(data.get("V"))
            if value is None and isinstance(parent, dict):
                value = resolve1(parent.get("V"))
            state = value
        box = _bbox(annot)
        w, h = box[2] - box[0], box[3] - box[1]
        if not (3 <= w <= 30 and 3 <= h <= 30):
            continue  # a push button, not a check box
        out.append(Box(box, _name(state) not in ("", "Off")))
    return out


def _field_type(data: dict[str, Any]) -> str:
    from pdfminer.pdftypes import resolve1

    field_type = data.get("FT")
    parent = resolve1(data.get("Parent"))
    if field_type is None and isinstance(parent, dict):
        field_type = parent.get("FT")
    return _name(resolve1(field_type))


def acroform_words(annots: Iterable[dict[str, Any]]) -> list[Word]:
    """The values typed into AcroForm text fields, as words inside the field.

    pdfminer does not draw a field's appearance, so a filled-in porting form would
    otherwise show only its labels. Words are spread over the field at an estimated
    width (half the font size per character): their order and row are what matters.
    """
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    out: list[Word] = []
    for annot in annots:
        data = annot.get("data") or {}
        if _name(resolve1(data.get("Subtype"))) != "Widget" or _field_type(data) != "Tx":
            continue
        value = resolve1(data.get("V"))
        if isinstance(value, bytes):
            text = decode_text(value)
        elif isinstance(value, str):
            text = value
        else:
            continue
        x0, top, _, bottom = _bbox(annot)
        lines = [line.split() for line in text.splitlines() if line.strip()][:20]
        if not lines:
            continue
        line_h = (bottom - top) / len(lines)
        size = max(4.0, min(12.0, line_h * 0.75))
        for i, line in enumerate(lines):
            y = top + i * line_h + (line_h - size) / 2
            x = x0 + 2
            for token in line:
                width = 0.5 * size * len(token)
                out.append(Word(token, x, y, x + width, y + size, size))
                x += width + 0.3 * size
    return out


def _glyph_word(box: BBox, ticked: bool, size: float) -> Word:
    return Word(TICKED if ticked else UNTICKED, box[0], box[1], box[2], box[3], size)


def _split_glyph(word: Word) -> list[Word]:
    """A glyph glued to its label ("☒ja") as two words."""
    first = word.text[0]
    if len(word.text) > 1 and (first in _TICKED_GLYPHS or first in _UNTICKED_GLYPHS):
        step = (word.x1 - word.x0) / len(word.text)
        glyph = Word(first, word.x0, word.top, word.x0 + step, word.bottom, word.size)
        rest = Word(word.text[1:], word.x0 + step, word.top, word.x1, word.bottom, word.size)
        return [glyph, rest]
    return [word]


def _typed(words: Sequence[Word]) -> list[Word]:
    """Glyphs and typed brackets as ☒/☐ words."""
    out: list[Word] = []
    for word in (part for w in words for part in _split_glyph(w)):
        text = word.text
        if text in _TICKED_GLYPHS or _TICKED_TYPED.match(text):
            out.append(Word(TICKED, word.x0, word.top, word.x1, word.bottom, word.size))
        elif text in _UNTICKED_GLYPHS or text in ("[]", "[ ]"):
            out.append(Word(UNTICKED, word.x0, word.top, word.x1, word.bottom, word.size))
        elif (
            text == "]"
            and out
            and out[-1].text == "["
            and abs(out[-1].top - word.top) < 0.5 * word.size
            and word.x0 - out[-1].x1 < 1.5 * word.size
        ):
            prev = out.pop()
            out.append(Word(UNTICKED, prev.x0, prev.top, word.x1, word.bottom, word.size))
        else:
            out.append(word)
    return out


def with_boxes(words: Sequence[Word], boxes: Sequence[Box]) -> list[Word]:
    """The words with every check box as a ☒/☐ word; mark characters inside a drawn
    box (a ZapfDingbats "4") are replaced by the box's glyph."""
    out = _typed(words)
    if not boxes:
        return out
    kept = [w for w in out if not any(_center_in(w.bbox, b.bbox) for b in boxes)]
    for box in boxes:
        # the text size of the row the box sits in, for row grouping
        row = [
            w.size
            for w in kept
            if abs((w.top + w.bottom) / 2 - (box.bbox[1] + box.bbox[3]) / 2) < 6
        ]
        size = sorted(row)[len(row) // 2] if row else box.bbox[3] - box.bbox[1]
        kept.append(_glyph_word(box.bbox, box.ticked, size))
    return kept
