"""The text layer of a PDF page, read with pdfplumber into a ``PageLayout``.

Words with positions and font sizes, ruled tables as cells (words inside a table are
taken out of the text flow), vector strokes and images for the signature check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from parsers.layout import Cell, PageLayout, Table, Word, build_rows
from parsers.model import BBox, Source
from parsers.tables import aligned_tables, checkbox_lists

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


def _tables(page: Any, words: list[Word]) -> list[Table]:
    tables: list[Table] = []
    for found in page.find_tables():
        rows: list[tuple[Cell | None, ...]] = []
        for r, row in enumerate(found.rows):
            cells: list[Cell | None] = []
            for c, box in enumerate(row.cells):
                if box is None:
                    cells.append(None)
                    continue
                bb: BBox = (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
                inside = [w for w in words if _inside(w, bb)]
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


def layout_from_pdfplumber(page: Any, *, number: int) -> PageLayout:
    """Read one pdfplumber page; the caller closes the page."""
    words = _words_from_pdfplumber(
        page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
    )
    layout = PageLayout(
        number=number,
        width=float(page.width),
        height=float(page.height),
        source=Source.TEXT,
        char_count=sum(len(w.text) for w in words),
    )
    # Only look for ruled tables when the page draws lines at all: find_tables is the
    # most expensive call on a plain letter page.
    has_rules = bool(page.lines or page.rects)
    layout.tables = _tables(page, words) if has_rules and words else []
    flow = [w for w in words if not any(_inside(w, t.bbox) for t in layout.tables)]
    layout.rows = build_rows(flow) if flow else []
    aligned_tables(layout)
    checkbox_lists(layout)
    for curve in page.curves:
        layout.strokes.append(_box(curve))
    for line in page.lines:
        box = _box(line)
        if box[3] - box[1] <= 1.5 and box[2] - box[0] >= 40:
            layout.rules.append(box)
        elif box[3] - box[1] > 1.5 and box[2] - box[0] > 1.5:
            layout.strokes.append(box)  # slanted: part of a drawn signature
    for rect in page.rects:
        box = _box(rect)
        if box[3] - box[1] <= 1.5 and box[2] - box[0] >= 40:
            layout.rules.append(box)
    for image in page.images:
        layout.images.append(_box(image))
    return layout
