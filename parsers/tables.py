"""Tables: unruled tables found by alignment, and the numbers in table rows.

Ruled tables come from pdfplumber (``parsers.textlayer``); OCR pages and tab-aligned
letters have none, so a header row ("Vorwahl | Rufnummer | Durchwahl von | bis",
"Nr. | Rufnummer | Bemerkung") and the aligned rows under it are turned into cells
here. A row with Vorwahl/Rufnummer/Durchwahl columns is one block
(``numbers.block_from_parts``); other cells are read as numbers on their own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers import numbers
from parsers.layout import Cell, Line, PageLayout, Table, union, zone_of
from parsers.model import FoundNumber, NumberRange
from parsers.roles import NumberContext, classify

__all__ = ["aligned_tables", "table_numbers"]

_HEADER_CELL = re.compile(r"vorwahl|onkz|rufnummer|stammnummer|durchwahl", re.IGNORECASE)


def _column_of(seg: Line, columns: Sequence[tuple[float, float]]) -> int:
    """The header column a cell segment overlaps most (with a little slack)."""

    def overlap(i: int) -> float:
        return min(seg.x1, columns[i][1] + 15) - max(seg.x0, columns[i][0] - 15)

    return max(range(len(columns)), key=overlap)


def aligned_tables(page: PageLayout) -> None:
    """Turn unruled tables (a header row such as "Vorwahl | Rufnummer | Durchwahl ..."
    or "Nr. Rufnummer | Bemerkung" followed by rows of aligned segments) into Tables and
    take their rows out of the text flow. Lines of a wrapped cell join their row.

    OCR pages have no ruling at all, and some letters align columns with tabs only.
    """
    r = 0
    keep: list[list[Line]] = []
    while r < len(page.rows):
        row = page.rows[r]
        hits = sum(bool(_HEADER_CELL.search(seg.text)) for seg in row)
        if len(row) < 2 or hits < 1 or any(re.search(r"\d", seg.text) for seg in row):
            keep.append(row)
            r += 1
            continue
        header = row
        header_width = max(seg.x1 for seg in header) - min(seg.x0 for seg in header)
        body: list[list[Line]] = []
        held: list[Line] = []  # a wrapped cell line seen before its row's number
        nxt = r + 1
        last_bottom = max(seg.bottom for seg in header)
        while nxt < len(page.rows):
            cand = page.rows[nxt]
            top = min(seg.top for seg in cand)
            if top - last_bottom > 2.5 * cand[0].size or any(
                seg.x1 - seg.x0 > 0.6 * header_width for seg in cand
            ):
                break  # a gap or a line of prose: the table has ended
            if any(re.search(r"\d", seg.text) for seg in cand):
                body.append([*held, *cand])
                held = []
            elif body:
                body[-1] = [*body[-1], *cand]  # the next line of a wrapped cell
            else:
                held.extend(cand)
            last_bottom = max(seg.bottom for seg in cand)
            nxt += 1
        if not body:
            keep.append(row)
            r += 1
            continue
        columns = [(seg.x0, seg.x1) for seg in header]
        rows: list[tuple[Cell | None, ...]] = []
        for i, line_row in enumerate([header, *body]):
            cells: list[Cell | None] = [None] * len(columns)
            for seg in line_row:
                c = _column_of(seg, columns) if i else line_row.index(seg)
                prev = cells[c]
                if prev is None:
                    cells[c] = Cell(i, c, seg.text, seg.bbox)
                else:
                    cells[c] = Cell(i, c, f"{prev.text} {seg.text}", union([prev.bbox, seg.bbox]))
            rows.append(tuple(cells))
        bbox = union(seg.bbox for line_row in [header, *body] for seg in line_row)
        page.tables.append(Table(tuple(rows), bbox))
        r = nxt
    if len(keep) != len(page.rows):
        page.rows = [
            [Line(seg.words, seg.text, seg.spans, i) for seg in row] for i, row in enumerate(keep)
        ]


_AREA = re.compile(r"vorwahl|onkz|ortsnetz", re.IGNORECASE)
_NUMBER = re.compile(r"rufnummer|stammnummer|anschluss|nummer", re.IGNORECASE)
_FROM = re.compile(r"\bvon\b|\bab\b|anfang|start", re.IGNORECASE)
_TO = re.compile(r"\bbis\b|ende", re.IGNORECASE)


def _columns(header: Sequence[Cell | None]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c, cell in enumerate(header):
        if cell is None:
            continue
        t = cell.text
        if _AREA.search(t):
            cols.setdefault("area", c)
        elif (
            re.search(r"durchwahl|nebenstelle|block", t, re.IGNORECASE)
            or _FROM.search(t)
            or _TO.search(t)
        ):
            if _TO.search(t):
                cols.setdefault("to", c)
            elif _FROM.search(t):
                cols.setdefault("from", c)
            else:
                cols.setdefault("from", c)
        elif _NUMBER.search(t):
            cols.setdefault("number", c)
    return cols


def _cell_text(row: Sequence[Cell | None], c: int | None) -> str:
    if c is None or c >= len(row) or row[c] is None:
        return ""
    cell = row[c]
    assert cell is not None
    return cell.text.strip()


def table_numbers(page: PageLayout, table: Table, *, intro: str, region: str) -> list[FoundNumber]:
    """Every number in the table's rows, with its role (``intro``: the sentence above)."""
    if not table.rows:
        return []
    header = table.rows[0]
    header_is_text = not any(cell is not None and re.search(r"\d{3}", cell.text) for cell in header)
    cols = _columns(header) if header_is_text else {}
    header_text = table.row_text(0) if header_is_text else ""
    out: list[FoundNumber] = []
    for r in range(1 if header_is_text else 0, len(table.rows)):
        row = table.rows[r]
        cells = [c for c in row if c is not None and c.text]
        if not cells:
            continue
        row_bbox = union(c.bbox for c in cells)
        zone = zone_of(page, row_bbox[1], row_bbox[3])
        hits: list[tuple[NumberRange, str, tuple[float, float, float, float]]] = []
        if "area" in cols and "number" in cols:
            area, num = _cell_text(row, cols["area"]), _cell_text(row, cols["number"])
            lo, hi = _cell_text(row, cols.get("from")), _cell_text(row, cols.get("to"))
            if area and num:
                rng = numbers.block_from_parts(
                    area, num, lo or None, hi or lo or None, region=region
                )
                if rng is not None:
                    used = [row[i] for i in cols.values() if i < len(row) and row[i] is not None]
                    text = " ".join(p for p in (area, num, lo, hi) if p)
                    hits.append((rng, text, union(c.bbox for c in used if c is not None)))
        if not hits:
            for cell in cells:
                whole = numbers.parse_number(cell.text, region=region)
                if whole is not None:
                    hits.append((whole, cell.text, cell.bbox))
                    continue
                for m in numbers.find_numbers(cell.text, region=region):
                    hits.append((m.range, m.text, cell.bbox))
        for rng, text, bbox in hits:
            ctx = NumberContext(
                zone=zone, sentence=table.row_text(r), intro=intro, table_header=header_text
            )
            role, why = classify(ctx)
            out.append(
                FoundNumber(
                    range=rng,
                    role=role,
                    page=page.number,
                    source=page.source,
                    text=text,
                    bbox=bbox,
                    why=why,
                )
            )
    return out
