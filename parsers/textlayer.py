"""The text layer of a PDF page, read with pdfplumber into a ``PageLayout``.

Words with positions and font sizes, ruled tables as cells (words inside a table are
taken out of the text flow), vector strokes and images for the signature check.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from parsers._marks import colour_marked, strike_strokes, struck_marked
from parsers.forms import (
    Box,
    acroform_boxes,
    acroform_words,
    box_outlines,
    drawn_boxes,
    with_boxes,
)
from parsers.layout import Cell, PageLayout, Table, Word, build_rows
from parsers.model import BBox, Source
from parsers.tables import aligned_tables

__all__ = ["layout_from_pdfplumber"]


def _words_from_pdfplumber(raw: Iterable[dict[str, Any]]) -> list[Word]:
    words = []
    for w in raw:
        text = str(w["text"]).strip()
        if not text:
            continue
        size = float(w.get("size") or (float(w["bottom"]) - float(w["top"])) or 10.0)
        words.append(
            Word(text, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]), size)
        )
    return words


def _inside(word: Word, box: BBox) -> bool:
    cx = (word.x0 + word.x1) / 2
    cy = (word.top + word.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _split_at_edges(page: Any, words: list[Word], edges: list[float], box: BBox) -> list[Word]:
    """Words that run over a cell border (a heading wider than its cell, glued to the
    next heading) split at that border, by their characters."""
    out: list[Word] = []
    for word in words:
        cuts = [x for x in edges if word.x0 + 1 < x < word.x1 - 1]
        if not cuts or not _inside(word, box):
            out.append(word)
            continue
        chars = sorted(
            (
                c
                for c in page.chars
                if word.x0 - 0.5 <= float(c["x0"]) <= word.x1
                and abs(float(c["top"]) - word.top) < 0.5 * word.size
                and str(c["text"]).strip()
            ),
            key=lambda c: float(c["x0"]),
        )
        parts: list[list[Any]] = [[]]
        for c in chars:
            mid = (float(c["x0"]) + float(c["x1"])) / 2
            last = parts[-1][-1] if parts[-1] else None
            prev_mid = (float(last["x0"]) + float(last["x1"])) / 2 if last is not None else mid
            if last is not None and any(prev_mid <= x <= mid for x in cuts):
                parts.append([])
            parts[-1].append(c)
        pieces = [p for p in parts if p]
        if len(pieces) < 2 or "".join(str(c["text"]) for p in pieces for c in p) != word.text:
            out.append(word)
            continue
        for p in pieces:
            out.append(
                Word(
                    "".join(str(c["text"]) for c in p),
                    float(p[0]["x0"]),
                    word.top,
                    float(p[-1]["x1"]),
                    word.bottom,
                    word.size,
                )
            )
    return out


def _sub_rows(words: list[Word], boxes: list[BBox | None]) -> list[list[Word]]:
    """The words of one ruled row, split into the rows it really holds.

    A table ruled only between columns comes out of pdfplumber as one row whose cells
    hold every line. A text line that fills two or more cells and carries digits starts
    a row of its own; any other line (a wrapped cell) stays with the row above.
    """
    cell_of: dict[Word, int] = {}
    for w in words:
        for c, bb in enumerate(boxes):
            if bb is not None and _inside(w, bb):
                cell_of[w] = c
                break
    if not cell_of:
        return [[]]
    subs: list[list[Word]] = []
    for line in build_rows(list(cell_of)):
        line_words = [w for seg in line for w in seg.words]
        cells_hit = {cell_of[w] for w in line_words}
        digits = sum(ch.isdigit() for w in line_words for ch in w.text)
        if subs and (len(cells_hit) < 2 or digits < 3):
            subs[-1].extend(line_words)
        else:
            subs.append(line_words)
    return subs


def _tables(page: Any, words: list[Word]) -> list[Table]:
    tables: list[Table] = []
    for found in page.find_tables():
        edges = sorted({float(b[0]) for row in found.rows for b in row.cells if b is not None})
        tb: BBox = tuple(float(v) for v in found.bbox)  # type: ignore[assignment]
        inner = [e for e in edges if e > tb[0] + 1]
        words = _split_at_edges(page, words, inner, tb) if inner else words
        rows: list[tuple[Cell | None, ...]] = []
        for row in found.rows:
            boxes: list[BBox | None] = [
                None if b is None else (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
                for b in row.cells
            ]
            for sub in _sub_rows(words, boxes):
                r = len(rows)
                cells: list[Cell | None] = []
                for c, bb in enumerate(boxes):
                    if bb is None:
                        cells.append(None)
                        continue
                    inside = [w for w in sub if _inside(w, bb)]
                    text = " ".join(seg.text for row_ in build_rows(inside) for seg in row_)
                    cells.append(Cell(r, c, text, bb))
                rows.append(tuple(cells))
        if rows:
            bbox = found.bbox
            tables.append(
                Table(tuple(rows), (float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])))
            )
    return tables


def _box(obj: dict[str, Any]) -> BBox:
    return (float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def _boxes(page: Any) -> tuple[list[Box], set[int]]:  # page: a pdfplumber page or _View
    """Check boxes: drawn ones (small squares, rounded or drawn side by side) and
    AcroForm fields. Returns the boxes and the indexes (into lines + curves) of strokes
    that tick a box or draw its outline."""
    boxes: list[Box] = []
    used: set[int] = set()
    small = [
        _box(r)
        for r in page.rects
        if 4.5 <= float(r["x1"]) - float(r["x0"]) <= 18
        and 4.5 <= float(r["bottom"]) - float(r["top"]) <= 18
    ]
    mark_objs = [*page.lines, *page.curves]
    outlines = box_outlines(mark_objs, page.rects) if mark_objs else []
    if small or outlines:
        marks = [_box(o) for o in mark_objs]
        frames = small + [b for b, _ in outlines]
        near = [
            (str(c["text"]), str(c.get("fontname", "")), _box(c))
            for c in page.chars
            if any(
                s[0] - 2 <= float(c["x0"]) <= s[2] + 2 and s[1] - 2 <= float(c["top"]) <= s[3] + 2
                for s in frames
            )
        ]
        boxes, used = drawn_boxes(small, marks, near, outlines)
    if page.annots:
        boxes.extend(acroform_boxes(page.annots))
    return boxes, used


Direction = tuple[int, int]
_UPRIGHT: Direction = (1, 0)


def _char_direction(char: dict[str, Any]) -> Direction:
    """Where a character's baseline points on the page (y down): (1, 0) upright."""
    m = char.get("matrix")
    if not m:
        return _UPRIGHT
    a, b = float(m[0]), float(m[1])
    if abs(a) >= abs(b):
        return (1 if a >= 0 else -1, 0)
    return (0, -1 if b > 0 else 1)


class _View:
    """A page turned so that text in ``direction`` reads left to right, top down.

    Offers what the layout reads from a pdfplumber page (chars, rects, lines, curves,
    images, annots, width, height) with every box turned, and only the characters
    that run in the page's main direction: sideways text mixed in (a margin imprint)
    would otherwise come out as words in no reading order.
    """

    def __init__(self, page: Any, direction: Direction) -> None:
        dx, dy = direction
        self._d = (dx, dy)
        self._n = (-dy, dx)  # the direction of the next line
        w, h = float(page.width), float(page.height)
        corners = [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)]
        xs = [x * dx + y * dy for x, y in corners]
        ys = [x * self._n[0] + y * self._n[1] for x, y in corners]
        self._ox, self._oy = -min(xs), -min(ys)
        self.width, self.height = max(xs) - min(xs), max(ys) - min(ys)
        self.chars = [self._turn(c) for c in page.chars if _char_direction(c) == direction]
        self.rects = [self._turn(o) for o in page.rects]
        self.lines = [self._turn(o) for o in page.lines]
        self.curves = [self._turn(o) for o in page.curves]
        self.images = [self._turn(o) for o in page.images]
        self.annots = [self._turn(o) for o in (page.annots or [])]

    def _turn(self, obj: dict[str, Any]) -> dict[str, Any]:
        x0, top, x1, bottom = (float(obj[k]) for k in ("x0", "top", "x1", "bottom"))
        pts = [(x0, top), (x1, top), (x0, bottom), (x1, bottom)]
        nx = [x * self._d[0] + y * self._d[1] + self._ox for x, y in pts]
        ny = [x * self._n[0] + y * self._n[1] + self._oy for x, y in pts]
        out = dict(obj)
        out.update(x0=min(nx), x1=max(nx), top=min(ny), bottom=max(ny), upright=True)
        if "size" in obj and self._d[0] == 0:
            # pdfminer gives a sideways glyph the size of its advance: the line height
            # across the text is the font size once turned
            out["size"] = out["bottom"] - out["top"]
        out["doctop"] = out["top"]
        return out

    def extract_words(self, **kwargs: Any) -> list[dict[str, Any]]:
        from pdfplumber.utils.text import extract_words

        return extract_words(self.chars, **kwargs)


def _skew(char: dict[str, Any]) -> float:
    """The small angle (radians) by which an upright character's baseline is turned."""
    m = char.get("matrix")
    if not m or not m[1]:
        return 0.0
    return math.atan2(float(m[1]), float(m[0]))


def _straightened(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Characters set slightly askew (a note rotated a degree or two, as CSS
    ``transform: rotate`` prints it) turned back to level, each group of one angle about
    its own centre.

    pdfminer gives a turned glyph the box around the turned glyph, so sizes vary from
    glyph to glyph and words fall apart into letters; the glyph's own box is solved
    back from its turned box.
    """
    skewed = [c for c in chars if (m := c.get("matrix")) and m[1]]
    if not skewed:
        return chars
    groups: dict[float, list[dict[str, Any]]] = {}
    for c in skewed:
        groups.setdefault(round(_skew(c), 3), []).append(c)
    turned: dict[int, dict[str, Any]] = {}
    for angle, group in groups.items():
        cos, sin = math.cos(angle), abs(math.sin(angle))
        if cos < 0.86:
            continue  # more than 30 degrees from level: sideways or upside down
        centres = [
            ((float(c["x0"]) + float(c["x1"])) / 2, (float(c["top"]) + float(c["bottom"])) / 2)
            for c in group
        ]
        px = sum(x for x, _ in centres) / len(centres)
        py = sum(y for _, y in centres) / len(centres)
        ca, sa = math.cos(angle), math.sin(angle)
        for c, (cx, cy) in zip(group, centres, strict=True):
            bw, bh = float(c["x1"]) - float(c["x0"]), float(c["bottom"]) - float(c["top"])
            det = cos * cos - sin * sin
            w = max((bw * cos - bh * sin) / det, 0.1)
            h = max((bh * cos - bw * sin) / det, 0.1)
            dx, dy = cx - px, cy - py
            nx, ny = px + dx * ca - dy * sa, py + dx * sa + dy * ca
            out = dict(c)
            out.update(
                x0=nx - w / 2,
                x1=nx + w / 2,
                top=ny - h / 2,
                bottom=ny + h / 2,
                size=round(h, 2),
                upright=True,
            )
            out["doctop"] = out["top"] + float(c["doctop"]) - float(c["top"])
            turned[id(c)] = out
    return [turned.get(id(c), c) for c in chars]


def _page_view(page: Any) -> Any:
    """The page itself when all its text is upright, else a turned ``_View``."""
    counts: dict[Direction, int] = {}
    for c in page.chars:
        d = _char_direction(c)
        counts[d] = counts.get(d, 0) + 1
    if not counts or set(counts) == {_UPRIGHT}:
        return page
    return _View(page, max(counts, key=lambda d: counts[d]))


def layout_from_pdfplumber(page: Any, *, number: int) -> PageLayout:
    """Read one pdfplumber page; the caller closes the page.

    A page whose text runs sideways or upside down (an annex printed across the
    sheet, a /Rotate page drawn turned) is read turned so that its text runs left to
    right; its ruled tables are then read from word alignment.
    """
    from pdfplumber.utils.text import extract_words

    real = page
    page = _page_view(real)
    chars = page.chars if page is not real else _straightened(page.chars)
    # Characters closer than a fifth of their size form a word: the default (3 pt)
    # glues a bold column heading to the next cell's ("ÜbergabeRufnummer").
    words = _words_from_pdfplumber(
        extract_words(
            chars,
            extra_attrs=["size"],
            keep_blank_chars=False,
            use_text_flow=False,
            x_tolerance_ratio=0.2,
        )
    )
    boxes, ticks = _boxes(page)
    words = with_boxes(words, boxes)
    struck, strike_rects, strike_lines = strike_strokes(words, page.rects, page.lines)
    if struck:
        words = struck_marked(words, struck)  # a struck number is taken back
    words = colour_marked(words, chars, page.rects)  # in a colour a legend keeps back
    if page.annots:
        words.extend(acroform_words(page.annots))  # filled-in form fields
    layout = PageLayout(
        number=number,
        width=float(page.width),
        height=float(page.height),
        source=Source.TEXT,
        char_count=sum(len(w.text) for w in words),
    )
    # Only look for ruled tables when the page draws lines at all: find_tables is the
    # most expensive call on a plain letter page.
    has_rules = bool(page.lines or page.rects) and page is real
    layout.tables = _tables(page, words) if has_rules and words else []
    flow = [w for w in words if not any(_inside(w, t.bbox) for t in layout.tables)]
    layout.rows = build_rows(flow) if flow else []
    aligned_tables(layout)  # and check-box lists
    n_lines = len(page.lines)
    for i, curve in enumerate(page.curves):
        if n_lines + i not in ticks:  # a tick in a check box is not ink
            layout.strokes.append(_box(curve))
    for i, line in enumerate(page.lines):
        if i in ticks or i in strike_lines:
            continue
        box = _box(line)
        if box[3] - box[1] <= 1.5 and box[2] - box[0] >= 40:
            layout.rules.append(box)
        elif box[3] - box[1] > 1.5 and box[2] - box[0] > 1.5:
            layout.strokes.append(box)  # slanted: part of a drawn signature
    for i, rect in enumerate(page.rects):
        if i in strike_rects:
            continue  # a line through struck text is no rule
        box = _box(rect)
        if box[3] - box[1] <= 1.5 and box[2] - box[0] >= 40:
            layout.rules.append(box)
    for image in page.images:
        layout.images.append(_box(image))
    return layout
