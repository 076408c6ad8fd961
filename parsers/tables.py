"""Tables: unruled tables found by alignment, check-box lists, and the numbers in rows.

Ruled tables come from pdfplumber (``parsers.textlayer``). OCR pages, tab-aligned
letters, tables ruled only by a line under the header and monospace system exports
have no cell borders, so a header row ("Vorwahl | Rufnummer | Durchwahl von | bis",
"POS ONKZ RUFNR DW-VON DW-BIS UEBERGABE") and the aligned rows under it are turned
into cells here, from the words and their positions alone (no PDF objects, so the
same code serves OCR'd pages).

Columns of an unruled table come from the header: its segments, split further where
the body rows leave a gap in the header free and start a value under the next header
word (monospace exports separate columns by a single space). Every body word joins
the column whose header lies above it. The table ends at a gap, a line of prose, a
sentence ending in ":" (the intro of the next table) or a repeated header (which
starts a new table with the same columns).

A run of list rows led by check boxes ("☒ 030 1234567", "☐ 030 7654321") becomes a
two-column table (box | number) whose header is empty: the intro decides what a
ticked box means.

Roles (``table_numbers``): a column headed "Übergabe", "Umzug", "Status", "Aktion",
"J/N", "Verbleib" ... carries a per-row value (ja/nein, J/N, ☒/☐, ✓/✗, x/–,
"wird übergeben"/"verbleibt"/"bereits gekündigt"); that value decides the row's role
and a keep-back value always wins. An unreadable value gives ``unclear``. Without such
a column the row takes the role of the statement introducing the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from parsers import numbers
from parsers._tables_lines import footnote_tables, status_line_tables
from parsers.forms import TICKED, UNTICKED
from parsers.layout import Cell, Line, PageLayout, Table, Word, union, zone_of
from parsers.model import FoundNumber, NumberRange, Role
from parsers.roles import (
    NumberContext,
    classify,
    fold,
    has_keep_back_wording,
    split_sentences,
)

__all__ = [
    "TICKED",
    "UNTICKED",
    "aligned_tables",
    "answered_no",
    "checkbox_lists",
    "inverted_answers",
    "row_statement",
    "table_numbers",
]

# A header cell that names a number column: at least one is needed for a table.
_HEADER_CELL = re.compile(
    r"vorwahl|onkz|rufnummer|rufnr|stammnummer|kopfnummer|durchwahl|ortsnetz|anschluss|"
    r"telefonnummer|tel\.?\s?-?\s?nr",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_RULE_ROW = re.compile(r"^[\s\-=_–—.*+|]+$")


# --------------------------------------------------------------------------- geometry


@dataclass
class _Column:
    x0: float
    x1: float
    words: list[Word]


def _row_words(row: Sequence[Line]) -> list[Word]:
    return sorted((w for seg in row for w in seg.words), key=lambda w: w.x0)


def _header_columns(header: Sequence[Line], body: Sequence[Sequence[Line]]) -> list[_Column]:
    """The header's columns: its segments, split where the body shows a column start.

    A gap between two header words splits them into two columns when no body word
    crosses the gap and some body word starts under the right-hand word.
    """
    body_words = [w for row in body for seg in row for w in seg.words]
    body_rows = [[w for seg in row for w in seg.words] for row in body]
    cols: list[_Column] = []
    for seg in header:
        current = _Column(seg.words[0].x0, seg.words[0].x1, [seg.words[0]])
        for word in seg.words[1:]:
            gap_lo, gap_hi = current.x1, word.x0
            crossed = _crossed(gap_lo, gap_hi, body_rows)
            starts = any(
                word.x0 - 0.6 * word.size <= b.x0 <= word.x1
                and not (current.x0 - 0.6 * word.size <= b.x0 < gap_lo)
                for b in body_words
            )
            if not crossed and starts:
                cols.append(current)
                current = _Column(word.x0, word.x1, [word])
            else:
                current.x1 = word.x1
                current.words.append(word)
        cols.append(current)
    cols.sort(key=lambda c: c.x0)
    return cols


def _crossed(gap_lo: float, gap_hi: float, body_rows: Sequence[Sequence[Word]]) -> bool:
    """Whether the body closes the gap between two header words. A stray row (a
    summary line) may run over the whole gap; most rows must not. Values wider than
    their heading may reach into the gap from either side ("0711 6200512" under
    "Rufnummer", a box under "Übergabe") as long as a channel stays free between them."""
    strays = 0
    spans: list[tuple[float, float]] = []
    for words in body_rows:
        inside = [
            (max(b.x0, gap_lo), min(b.x1, gap_hi))
            for b in words
            if b.x0 < gap_hi - 0.5 and b.x1 > gap_lo + 0.5
        ]
        if any(b.x0 <= gap_lo + 0.5 and b.x1 >= gap_hi - 0.5 for b in words):
            strays += 1
        else:
            spans.extend(inside)
    if strays > 0.2 * len(body_rows):
        return True
    edge = gap_lo
    for lo, hi in sorted(spans):
        if lo - edge >= _CHANNEL:
            return False
        edge = max(edge, hi)
    return gap_hi - edge < _CHANNEL


_CHANNEL = 1.0  # the narrowest free strip that still parts two columns


def _column_index(word: Word, cols: Sequence[_Column]) -> int:
    """The column whose territory (from its header's left edge, a little slack before
    it, to the next header's) overlaps the word most."""
    best, best_overlap = 0, float("-inf")
    for i, col in enumerate(cols):
        prev_end = cols[i - 1].x1 if i else col.x0 - 40
        left = col.x0 - min(15.0, max(0.0, col.x0 - prev_end) / 2)
        if i + 1 < len(cols):
            nxt = cols[i + 1]
            right = nxt.x0 - min(15.0, max(0.0, nxt.x0 - col.x1) / 2)
        else:
            right = float("inf")
        overlap = min(word.x1, right) - max(word.x0, left)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


_HEADER_SMALL_WORDS = {
    "von",
    "bis",
    "ab",
    "nr",
    "nr.",
    "/",
    "-",
    "–",
    "und",
    "der",
    "des",
    "(ja/nein)",
    # a heading may ask a question ("Verbleibt bei uns?", "Verbleib beim Altanbieter")
    "bei",
    "beim",
    "uns",
    "uns?",
    "zum",
    "zur",
}


def _opens_row(row: Sequence[Line], cols: Sequence[_Column]) -> bool:
    """Whether a line with digits starts a row: it has words under the first column or
    a number column. Digits only in a remark column ("Schreiben vom 01.02. –
    verbleibt") continue the row above."""
    keys = {0} | {
        i for i, col in enumerate(cols) if _HEADER_CELL.search(" ".join(w.text for w in col.words))
    }
    return any(_column_index(w, cols) in keys for seg in row for w in seg.words)


def _is_header(row: Sequence[Line]) -> bool:
    """A row of column headings: a number heading, no digits, no sentence."""
    text = " ".join(seg.text for seg in row)
    if not _HEADER_CELL.search(text) or _DIGIT.search(text) or len(text) > 200:
        return False
    words = text.split()
    if len(words) < 2 or len(words) > 16 or text.rstrip().endswith((".", ",", ";", ":")):
        return False
    # headings are capitalised nouns; a sentence has verbs and articles in lower case
    small = [w for w in words if w[0].islower() and w.lower() not in _HEADER_SMALL_WORDS]
    return len(small) <= (1 if len(row) >= 3 else 0)


def _crosses_columns(seg: Line, cols: Sequence[_Column]) -> int:
    """How many column starts a segment reaches over (prose spans several columns)."""
    return sum(1 for col in cols[1:] if seg.x0 < col.x0 - 2 and seg.x1 > col.x0 + 2)


def _is_prose(row: Sequence[Line], cols: Sequence[_Column]) -> bool:
    text = " ".join(seg.text for seg in row).strip()
    if text.endswith(":"):
        return True  # the intro of what follows
    words = text.split()
    letters = sum(ch.isalpha() for ch in text)
    if len(words) >= 5 and letters >= 0.6 * len(text.replace(" ", "")):
        return any(_crosses_columns(seg, cols) for seg in row) or len(cols) < 2
    return False


def _wraps_header(row: Sequence[Line]) -> bool:
    """A line that continues the header's wrapped cells: heading words only ("von",
    "bis", "Durchwahl"), no digits."""
    words = [w.text for seg in row for w in seg.words]
    if not words or any(_DIGIT.search(w) for w in words):
        return False
    heads = (_AREA, _NUMBER, _RANGE, _FROM, _TO, _EXT, _HANDOVER_HEAD, _KEEP_HEAD, _STATUS_HEAD)
    return all(
        w.lower() in _HEADER_SMALL_WORDS or any(h.search(_plain(w)) for h in heads) for w in words
    )


def _with_wrapped(cols: list[_Column], extra: Sequence[Word]) -> list[_Column]:
    """The header's columns with its wrapped lines' words joined to the column each
    word stands under."""
    if not extra:
        return cols
    out = [_Column(c.x0, c.x1, list(c.words)) for c in cols]
    for word in extra:
        col = out[_column_index(word, cols)]
        col.words.append(word)
        col.x0, col.x1 = min(col.x0, word.x0), max(col.x1, word.x1)
    for col in out:
        col.words.sort(key=lambda w: (round(w.top / max(1.0, w.size * 0.6)), w.x0))
    return out


def _make_table(
    header: Sequence[Line], body: Sequence[Sequence[Line]], cols: Sequence[_Column]
) -> Table:
    rows: list[tuple[Cell | None, ...]] = []
    header_cells: list[Cell | None] = []
    for c, col in enumerate(cols):
        words = col.words
        header_cells.append(
            Cell(0, c, " ".join(w.text for w in words), union(w.bbox for w in words))
        )
    rows.append(tuple(header_cells))
    for r, line_row in enumerate(body, start=1):
        buckets: list[list[Word]] = [[] for _ in cols]
        for word in _row_words(line_row):
            buckets[_column_index(word, cols)].append(word)
        cells: list[Cell | None] = []
        for c, words in enumerate(buckets):
            if not words:
                cells.append(None)
                continue
            # a wrapped cell: its lines top to bottom, each left to right
            words.sort(key=lambda w: (round(w.top / max(1.0, w.size * 0.6)), w.x0))
            cells.append(Cell(r, c, " ".join(w.text for w in words), union(w.bbox for w in words)))
        rows.append(tuple(cells))
    bbox = union(seg.bbox for line_row in [header, *body] for seg in line_row)
    return Table(tuple(rows), bbox)


def aligned_tables(page: PageLayout) -> None:
    """Turn unruled tables (a header row naming number columns followed by rows of
    aligned words) and check-box lists (``checkbox_lists``) into Tables and take their
    rows out of the text flow. Lines of a wrapped cell join their row; rule rows
    ("-----", "=====") are dropped.
    """
    r = 0
    keep: list[list[Line]] = []
    rows = page.rows
    while r < len(rows):
        row = rows[r]
        labelled = _labelled(row)
        if labelled is not None:
            # "Kopfnummer 0851 53106 | Durchwahlbereich 00 – 99": headings in the row
            page.tables.append(labelled)
            r += 1
            continue
        dotted = _dotted_labels(rows, r)
        if dotted is not None:
            # "Ortsnetzkennzahl ...... 0341" / "Stammrufnummer ...... 95321" /
            # "Durchwahlbereich ...... 00 - 99": one labelled value per line
            page.tables.append(dotted[0])
            r = dotted[1]
            continue
        if not _is_header(row):
            keep.append(row)
            r += 1
            continue
        header = row
        header_words = _row_words(header)
        header_width = header_words[-1].x1 - header_words[0].x0
        body: list[list[Line]] = []
        held: list[Line] = []  # a wrapped cell line seen before its row's number
        extra: list[Word] = []  # the header's own wrapped lines
        header_rows: list[list[Line]] = []
        nxt = r + 1
        last_bottom = max(seg.bottom for seg in header)
        cols = _header_columns(header, [])
        while nxt < len(rows):
            cand = rows[nxt]
            top = min(seg.top for seg in cand)
            text = " ".join(seg.text for seg in cand)
            if top - last_bottom > 2.5 * cand[0].size:
                break  # a gap: the table has ended
            if _RULE_ROW.match(text):
                last_bottom = max(seg.bottom for seg in cand)
                nxt += 1
                if body:
                    break  # a text rule under the rows closes a system export's table
                continue
            if _is_header(cand) or _is_prose(cand, cols):
                break
            cand_x0 = min(seg.x0 for seg in cand)
            if cand_x0 < header_words[0].x0 - header_width * 0.25:
                break  # starts well left of the table: the letter's text again
            if _DIGIT.search(text) and (not body or _opens_row(cand, cols)):
                body.append([*held, *cand])
                held = []
                if len(body) <= 4:  # the first rows settle the columns
                    cols = _with_wrapped(_header_columns(header, [*header_rows, *body]), extra)
            elif any(_crosses_columns(seg, cols) for seg in cand) or (
                top - last_bottom > 1.2 * cand[0].size
            ):
                break  # text over several columns, or apart: not a wrapped cell
            elif body and nxt + 1 < len(rows) and _is_header(rows[nxt + 1]):
                break  # a line right above another header row is that table's caption
            elif body:
                body[-1] = [*body[-1], *cand]  # the next line of a wrapped cell
            elif not held and _wraps_header(cand):
                # the header's cells wrap ("Durchwahl" over "von"): the line joins them
                extra.extend(_row_words(cand))
                header_rows.append(cand)
            else:
                held.extend(cand)
            last_bottom = max(seg.bottom for seg in cand)
            nxt += 1
        if not body:
            keep.append(row)
            r += 1
            continue
        cols = _with_wrapped(_header_columns(header, [*header_rows, *body]), extra)
        if len(cols) < 2:
            keep.append(row)
            r += 1
            continue
        page.tables.append(_make_table([*header, *(s for h in header_rows for s in h)], body, cols))
        r = nxt
    if len(keep) != len(rows):
        page.rows = [
            [Line(seg.words, seg.text, seg.spans, i) for seg in row] for i, row in enumerate(keep)
        ]
    status_line_tables(page)  # a status line under each number
    footnote_tables(page)  # a footnote that lists numbers
    checkbox_lists(page)


_LABEL_VALUE = re.compile(r"^([A-Za-zÄÖÜäöüß][\w./()\- ]{1,40}?)\s*:?\s+([+(\d].*)$")
_LABEL_KIND = re.compile(
    r"durchwahl|\bdw\b|bereich|block|nebenstelle|ubergabe|uebergabe|umzug|status|von\b|bis\b",
    re.IGNORECASE,
)


def _labelled(row: Sequence[Line]) -> Table | None:
    """A row of labelled values ("Kopfnummer 0851 53106 | Durchwahlbereich 00 – 99",
    "Rufnummer: 030 1234567 | Übergabe: nein") as a one-row table: a stem and its
    range are one block, and a decision travels with its number."""
    if len(row) < 2:
        return None
    matches = [_LABEL_VALUE.match(seg.text) for seg in row]
    if not all(matches):
        return None
    values = [m.group(2) for m in matches if m is not None]
    if any(re.search(r"[^\W\d_]", re.sub(r"\bbis\b", "", v)) for v in values):
        return None  # a value with words in it is a sentence, not a labelled number
    labels = [m.group(1) for m in matches if m is not None]
    if not any(_HEADER_CELL.search(label) for label in labels):
        return None
    if not any(_LABEL_KIND.search(_plain(label)) for label in labels):
        return None
    header: list[Cell | None] = []
    body: list[Cell | None] = []
    for c, (seg, m) in enumerate(zip(row, matches, strict=True)):
        assert m is not None
        split = m.start(2)
        head_words = [w for w, (a, _) in zip(seg.words, seg.spans, strict=True) if a < split]
        value_words = [w for w, (a, _) in zip(seg.words, seg.spans, strict=True) if a >= split]
        if not head_words or not value_words:
            return None
        header.append(Cell(0, c, m.group(1), union(w.bbox for w in head_words)))
        body.append(Cell(1, c, m.group(2), union(w.bbox for w in value_words)))
    return Table((tuple(header), tuple(body)), union(seg.bbox for seg in row))


# "Stammrufnummer …….. 95321": a label, a dotted leader, a value of digits.
_DOTTED = re.compile(r"^([A-Za-zÄÖÜäöüß][\w./()\- ]{1,40}?)\s*[.…·_]{2,}\s*([+(\d][\d\s/()\-–]*)$")


def _dotted_labels(rows: Sequence[Sequence[Line]], start: int) -> tuple[Table, int] | None:
    """Lines of one labelled value each, set with dotted leaders, that together name
    a block (an area code or stem label and an extension range label) as a one-row
    table, and the index of the first line after them."""
    header: list[Cell | None] = []
    body: list[Cell | None] = []
    r = start
    while r < len(rows) and len(rows[r]) <= 2:
        seg = Line.of([w for part in rows[r] for w in part.words])  # leader | value
        m = _DOTTED.match(seg.text)
        if m is None:
            break
        head = [w for w, (a, _) in zip(seg.words, seg.spans, strict=True) if a < m.end(1)]
        value = [w for w, (a, _) in zip(seg.words, seg.spans, strict=True) if a >= m.start(2)]
        if not head or not value:
            break
        header.append(Cell(0, len(header), m.group(1), union(w.bbox for w in head)))
        body.append(Cell(1, len(body), m.group(2).strip(), union(w.bbox for w in value)))
        r += 1
    labels = [_plain(c.text) for c in header if c is not None]
    if (
        len(labels) < 2
        or not any(_AREA.search(t) or _NUMBER.search(t) for t in labels)
        or not any(_EXT.search(t) or _RANGE.search(t) for t in labels)
    ):
        return None
    boxes = [c.bbox for c in (*header, *body) if c is not None]
    return Table((tuple(header), tuple(body)), union(boxes)), r


_LEGEND = re.compile(rf"^\s*([{TICKED}{UNTICKED}])\s*(?:=|:|bedeutet\b)\s*")
_BOX_LEAD = re.compile(rf"^\s*[{TICKED}{UNTICKED}]\s*(?:[-–•·]\s*)?(?=[+(\d])")


# "Rufnummer 0211 4995343: ☒ wird übergeben ☐ verbleibt": a label, one number, then
# labelled check boxes, all on one line.
_INLINE_BOXES = re.compile(
    rf"^\s*(?:[^\W\d_][\w.\-]*\s+){{0,3}}[+(\d][\d\s/()\-–]*\d\s*:?\s*[{TICKED}{UNTICKED}]\s*[^\W\d_]"
)


def _inline_boxes(row: Sequence[Line]) -> Table | None:
    """A line that names one number and answers for it with labelled check boxes
    becomes a one-row table (number | boxes), so its boxes decide for that number
    alone, not for the lines around it that run on in the same paragraph."""
    if len(row) != 1 or not _INLINE_BOXES.match(row[0].text):
        return None
    words = row[0].words
    first_box = next(i for i, w in enumerate(words) if w.text[:1] in (TICKED, UNTICKED))
    label = [w for w in words[:first_box] if not _DIGIT.search(w.text)]
    number = [w for w in words[:first_box] if _DIGIT.search(w.text)]
    boxes = words[first_box:]
    if not number or not _NUMBER.search(" ".join(w.text for w in label) or "Rufnummer"):
        return None
    head = label or number
    header = (
        Cell(0, 0, " ".join(w.text for w in label) or "Rufnummer", union(w.bbox for w in head)),
        Cell(0, 1, "Status", union(w.bbox for w in boxes)),
    )
    body = (
        Cell(1, 0, " ".join(w.text for w in number).rstrip(":"), union(w.bbox for w in number)),
        Cell(1, 1, " ".join(w.text for w in boxes), union(w.bbox for w in boxes)),
    )
    return Table((header, body), row[0].bbox)


def checkbox_lists(page: PageLayout) -> None:
    """Rows that start with a check box followed by a number ("☒ 030 1234567") become
    a table: box | number, with an empty header, so the intro and the box decide."""
    r = 0
    keep: list[list[Line]] = []
    rows = page.rows
    # a legend ("[x] = Rufnummer wird übergeben", "[ ] = verbleibt") explains the boxes
    meanings: dict[str, Cell] = {}
    for row in rows:
        m = _LEGEND.match(row[0].text)
        if m and m.group(1) not in meanings:
            text = " ".join(seg.text for seg in row)[m.end() :].strip()
            meanings[m.group(1)] = Cell(0, 0 if m.group(1) == TICKED else 1, text, row[0].bbox)
    legend: tuple[Cell | None, ...] = (meanings.get(TICKED), meanings.get(UNTICKED))
    while r < len(rows):
        run: list[list[Line]] = []
        while r < len(rows) and _BOX_LEAD.match(rows[r][0].text):
            run.append(rows[r])
            r += 1
        if not run:
            inline = _inline_boxes(rows[r])
            if inline is not None:
                page.tables.append(inline)
            else:
                keep.append(rows[r])
            r += 1
            continue
        table_rows: list[tuple[Cell | None, ...]] = [legend]
        for i, row in enumerate(run, start=1):
            first = row[0]
            box = first.words[0]
            rest = [w for seg in row for w in seg.words][1:]
            if not rest:
                table_rows.append((Cell(i, 0, box.text, box.bbox), None))
                continue
            table_rows.append(
                (
                    Cell(i, 0, box.text[:1], box.bbox),
                    Cell(i, 1, " ".join(w.text for w in rest), union(w.bbox for w in rest)),
                )
            )
        bbox = union(seg.bbox for row in run for seg in row)
        page.tables.append(Table(tuple(table_rows), bbox, kind="checklist"))
    if len(keep) != len(rows):
        page.rows = [
            [Line(seg.words, seg.text, seg.spans, i) for seg in row] for i, row in enumerate(keep)
        ]


# --------------------------------------------------------------------------- semantics

_AREA = re.compile(r"vorwahl|onkz|ortsnetz", re.IGNORECASE)
_NUMBER = re.compile(
    r"rufnummer|rufnr|stammnummer|kopfnummer|anschluss|nummer|telefon", re.IGNORECASE
)
_RANGE = re.compile(r"bereich|block|spanne|range", re.IGNORECASE)
_FROM = re.compile(r"\bvon\b|\bab\b|anfang|start", re.IGNORECASE)
_TO = re.compile(r"\bbis\b|ende", re.IGNORECASE)
_EXT = re.compile(r"durchwahl|\bdw\b|nebenstelle", re.IGNORECASE)
_COUNT = re.compile(r"^\W*(anz(ahl)?|menge|stück|stk)\b", re.IGNORECASE)
_POSITION = re.compile(r"^\W*(pos|lfd|nr)\b\.?\W*$", re.IGNORECASE)

# Decision columns, by what a "yes" in them means.
_HANDOVER_HEAD = re.compile(
    r"(ubergabe|uebergabe|ubergeben|uebergeben|umzug|umziehen|portierung|portieren|freigabe|"
    r"wechsel|mitnahme|ubernahme|uebernahme|ubertragung|uebertragung)",
    re.IGNORECASE,
)
_KEEP_HEAD = re.compile(
    r"(verbleib|bleibt|behalten|gekundigt|gekuendigt|kundigung|kuendigung|ausgenommen|"
    r"abschaltung|abgeschaltet|nicht\s+ubergeben|nicht\s+uebergeben|keine\s+ubergabe)",
    re.IGNORECASE,
)
# A keep column that asks whether the number stays ("Verbleibt bei uns?", "Verbleib
# beim abgebenden Partner") or negates the handover ("Keine Übergabe"): its "nein"
# says the number leaves, i.e. is handed over.
_STAY_HEAD = re.compile(r"(verbleib|bleibt|behalten)", re.IGNORECASE)
_STATUS_HEAD = re.compile(
    r"(status|aktion|massnahme|\bj\s*/\s*n\b|\bja\s*/\s*nein\b)", re.IGNORECASE
)
# Remark columns: a keep-back remark ("verbleibt", "gekündigt") decides; any other
# remark ("Telefax", "Zentrale") leaves the row to the table's intro.
_REMARK_HEAD = re.compile(
    r"(bemerkung|hinweis|vermerk|anmerkung|kommentar|notiz|info)", re.IGNORECASE
)

_YES = {"ja", "j", "yes", "y", "x", "✓", "✔", "☑", "✅", TICKED, "jawohl"}
_NO = {"nein", "n", "no", "-", "–", "—", "✗", "✘", "❌", "×", UNTICKED, "entfällt", "entfallt"}
# Keep-back words in a cell that the statement rules may not know in this short form.
_KEEP_VALUE = re.compile(
    r"(gekundigt|gekuendigt|kundigung|kuendigung|storniert|abgemeldet|entfallt|entfaellt|"
    r"verbleib|bleibt|nicht\s+in\s+betrieb|abgeschaltet|nicht\s+mehr|kein)",
    re.IGNORECASE,
)
_CAPS_UMLAUT = (("AE", "Ä"), ("OE", "Ö"), ("UE", "Ü"))


# Status words a system export spells in ASCII in any case ("Uebergabe", "gekuendigt").
_ASCII_STATUS = re.compile(
    r"\b(u)e(?=ber(?:gab|geb|gib|trag|nahm|nehm))|(k)ue(?=ndig)|\b(entf)ae(?=llt)|\b(zur)ue(?=ck)",
    re.IGNORECASE,
)


def _umlauted(text: str) -> str:
    """The text with ASCII-transliterated umlauts read back: an all-caps export's
    AE/OE/UE everywhere, in other text only inside known status words."""
    if text.isupper():
        for a, b in _CAPS_UMLAUT:
            text = text.replace(a, b)
        return text

    def back(m: re.Match[str]) -> str:
        head = next(g for g in m.groups() if g)
        if head in ("u", "U"):
            return "ü" if head == "u" else "Ü"
        return head + ("ä" if head.lower() == "entf" else "ü")

    return _ASCII_STATUS.sub(back, text)


def _plain(text: str) -> str:
    """Folded lower-case text; ASCII-transliterated umlauts read as umlauts first."""
    return fold(_umlauted(text)).lower()


@dataclass(frozen=True)
class _Cols:
    area: int | None = None
    number: int | None = None
    lo: int | None = None
    hi: int | None = None
    span: int | None = None  # one cell holding "00 – 99"
    handover: tuple[int, ...] = ()  # "yes" here means handed over
    keep: tuple[int, ...] = ()  # "yes" here means kept back
    status: tuple[int, ...] = ()  # the value is a word or phrase
    remarks: tuple[int, ...] = ()  # free remarks: only keep-back wording counts
    labels: tuple[int, ...] = ()  # number-naming columns (their heading is no statement)
    stay: tuple[int, ...] = ()  # keep columns asking whether it stays: "nein" = it leaves


def _columns(header: Sequence[Cell | None]) -> _Cols:
    area = number = lo = hi = span = None
    handover: list[int] = []
    keep: list[int] = []
    status: list[int] = []
    remarks: list[int] = []
    labels: list[int] = []
    stay: list[int] = []
    last_decision: tuple[list[int], int] | None = None
    for c, cell in enumerate(header):
        raw = cell.text.strip() if cell is not None else ""
        t = _plain(raw)
        if not t:
            # a heading spanning two cells ("Übergabe" over "☒ ja" | "☐ nein",
            # "Durchwahl" over the first and the last extension)
            if last_decision is not None and last_decision[1] == c - 1:
                last_decision[0].append(c)
                last_decision = (last_decision[0], c)
            elif span is not None and span == c - 1 and hi is None:
                lo, hi, span = span, c, None
                labels.append(c)
            continue
        last_decision = None
        negated = has_keep_back_wording(raw)  # "Keine Übergabe", "Übergabe nicht gewünscht"
        if (
            (_KEEP_HEAD.search(t) or negated)
            and (negated or not _HANDOVER_HEAD.search(t))
            and not _NUMBER.search(t)
        ):
            keep.append(c)
            if _STAY_HEAD.search(t) or _HANDOVER_HEAD.search(t):
                stay.append(c)
            last_decision = (keep, c)
        elif _HANDOVER_HEAD.search(t) and not _NUMBER.search(t):
            handover.append(c)
            last_decision = (handover, c)
        elif _STATUS_HEAD.search(t):
            status.append(c)
            last_decision = (status, c)
        elif _REMARK_HEAD.search(t):
            remarks.append(c)
        elif _AREA.search(t) and area is None:
            area = c
            labels.append(c)
        elif _EXT.search(t) or _FROM.search(t) or _TO.search(t) or _RANGE.search(t):
            labels.append(c)
            if _TO.search(t) and not _FROM.search(t):
                hi = c if hi is None else hi
            elif _FROM.search(t) and not _TO.search(t):
                lo = c if lo is None else lo
            elif _RANGE.search(t) or _EXT.search(t):
                if _NUMBER.search(t) and not _EXT.search(t) and number is None:
                    number = c  # "Rufnummernblock": a whole block in one cell
                elif lo is None and span is None:
                    span = c
        elif _NUMBER.search(t) and number is None:
            number = c
            labels.append(c)
        elif _COUNT.search(t) or _POSITION.search(t):
            labels.append(c)
    return _Cols(
        area,
        number,
        lo,
        hi,
        span,
        tuple(handover),
        tuple(keep),
        tuple(status),
        tuple(remarks),
        tuple(labels),
        tuple(stay),
    )


def _cell_text(row: Sequence[Cell | None], c: int | None) -> str:
    if c is None or c >= len(row):
        return ""
    cell = row[c]
    return cell.text.strip() if cell is not None else ""


_BOX_PAIR = re.compile(rf"([{TICKED}{UNTICKED}])\s*([^{TICKED}{UNTICKED}]*)")


def _value(text: str) -> str:
    """A cell's value: "yes", "no", "" (empty), or a phrase verdict "transfer",
    "excluded", "unclear"."""
    t = text.strip()
    if not t:
        return ""
    if TICKED in t or UNTICKED in t:
        pairs = [(box, label.strip(" :;,.|")) for box, label in _BOX_PAIR.findall(t)]
        ticked = [label for box, label in pairs if box == TICKED]
        if not any(label for _, label in pairs):
            return "yes" if ticked else "no"
        if not ticked:
            # nothing ticked: "no" when every box's label is the yes-answer, else the
            # form was left unanswered
            plain = [_value(label) if label else "yes" for _, label in pairs]
            return "no" if all(v in ("yes", "transfer") for v in plain) else "unclear"
        got = {_value(label) if label else "yes" for label in ticked}
        if got == {"unclear"} and len(pairs) == 2 and len(ticked) == 1 and len(ticked[0]) <= 4:
            # a yes/no pair whose ticked label is misread ("☒ aja ☐ nein"): the
            # ticked box is the other answer than the unticked one
            other = next(_value(label) for box, label in pairs if box == UNTICKED)
            return {"no": "yes", "yes": "no"}.get(other, "unclear")
        if "excluded" in got:
            return "excluded"
        if len(got) > 1:
            return "unclear"  # two contradicting boxes ticked
        return got.pop()
    p = _plain(t).strip(" .;:!()[]")
    if p in _YES:
        return "yes"
    if p in _NO or re.fullmatch(r"[-–—_\s]+", p):
        return "no"
    if _KEEP_VALUE.search(p):
        return "excluded"
    role, _ = classify(NumberContext(sentence=_umlauted(t)))
    if role is Role.EXCLUDED:
        return "excluded"
    if role is Role.TRANSFER:
        return "transfer"
    return "unclear"


_QUOTED = re.compile(r"[„“\"‚»«']([^„“”\"‘’»«']{1,30})[“”\"‘’«»']")


def _value_legend(text: str) -> dict[str, Role]:
    """Values the letter explains in quotes: "Rufnummern mit dem Status „aktiv“ geben
    wir frei", "mit „N“ markierte verbleiben". Each quote takes the role of its clause;
    a value named in both a handover and a keep-back clause counts as kept back."""
    out: dict[str, Role] = {}
    for s, e in split_sentences(text):
        for clause in re.split(r";|\s—\s|\s–\s", text[s:e]):
            quotes = _QUOTED.findall(clause)
            if not quotes:
                continue
            role, _ = classify(NumberContext(sentence=clause))
            if role not in (Role.TRANSFER, Role.EXCLUDED):
                continue
            for q in quotes:
                key = _plain(q).strip()
                if out.get(key) is not Role.EXCLUDED:
                    out[key] = role
    return out


def _grouped(row: Sequence[Cell | None], group: Sequence[int]) -> list[str]:
    """The texts of a group of decision cells; cells with check boxes are read as one
    ("☐ ja | ☒ nein" is one answer, not two)."""
    texts = [_cell_text(row, c) for c in group]
    boxed = [t for t in texts if TICKED in t or UNTICKED in t]
    if len(boxed) > 1:
        return [" ".join(boxed), *(t for t in texts if t not in boxed)]
    return texts


def _row_role(
    row: Sequence[Cell | None], cols: _Cols, values: dict[str, Role] | None = None
) -> tuple[Role, str] | None:
    """The role the row's decision columns give, or None when the table has none."""
    for c in cols.remarks:
        if _value(_cell_text(row, c)) == "excluded":
            return Role.EXCLUDED, "column:remark_keeps_back"
    if not (cols.handover or cols.keep or cols.status):
        return None
    verdicts: list[tuple[Role, str]] = []
    if values:
        # a value the letter explained decides first ("Status „aktiv“ geben wir frei")
        for c in (*cols.handover, *cols.keep, *cols.status):
            explained = values.get(_plain(_cell_text(row, c)).strip(" .;:"))
            if explained is Role.EXCLUDED:
                return Role.EXCLUDED, "column:explained_value"
            if explained is Role.TRANSFER:
                verdicts.append((Role.TRANSFER, "column:explained_value"))
        if verdicts and not any(
            _value(_cell_text(row, c)) == "excluded"
            for c in (*cols.handover, *cols.keep, *cols.status)
        ):
            return verdicts[0]
        verdicts = []
    for text in _grouped(row, cols.handover):
        v = _value(text)
        if v in ("yes", "transfer"):
            verdicts.append((Role.TRANSFER, f"column:{v}"))
        elif v in ("no", "excluded"):
            verdicts.append((Role.EXCLUDED, f"column:{v}"))
        elif v == "unclear":
            verdicts.append((Role.UNCLEAR, "column:unknown_value"))
    for c in cols.keep:
        if answered_no(_cell_text(row, c)):
            # "nein" under "Verbleibt bei uns?" says it leaves; under "gekündigt" or
            # "Abschaltung" only that this column keeps nothing back (the intro decides)
            verdicts.append(
                (Role.TRANSFER, "column:stays_no" if c in cols.stay else "column:keep_no")
            )
    for text in _grouped(row, cols.keep):
        v = _value(text)
        if v in ("yes", "excluded"):
            verdicts.append((Role.EXCLUDED, f"column:keep_{v}"))
        elif v == "transfer":
            verdicts.append((Role.TRANSFER, "column:transfer"))
        elif v == "unclear":
            verdicts.append((Role.UNCLEAR, "column:unknown_value"))
    for c in cols.status:
        v = _value(_cell_text(row, c))
        if v == "excluded":
            verdicts.append((Role.EXCLUDED, "column:status_excluded"))
        elif v == "transfer":
            verdicts.append((Role.TRANSFER, "column:status_transfer"))
        elif v and not (cols.handover or cols.keep):
            # "ja" under "Status" says nothing, nor does an unknown remark: with no
            # other decision column the row is unclear
            verdicts.append((Role.UNCLEAR, "column:unknown_value"))
    for role in (Role.EXCLUDED, Role.UNCLEAR, Role.TRANSFER):
        hit = [why for r, why in verdicts if r is role]
        if hit:
            return role, hit[0]
    return Role.UNCLEAR, "column:no_value"


_SPOKEN_NO = re.compile(r"\b(nein|n|no)\b")


def answered_no(text: str) -> bool:
    """An explicit "nein" (written or ticked) in a keep-back column ("Verbleibt bei
    uns?", "Gekündigt"): the column's answer; a dash or an unticked box alone is none."""
    return _value(text) == "no" and bool(_SPOKEN_NO.search(_plain(text)))


def inverted_answers(table: Table) -> frozenset[int]:
    """Columns whose "nein" is that column's answer, not keep-back wording of the row:
    a heading that keeps back or asks whether the number stays ("Verbleibt bei uns?",
    "Gekündigt", "Abschaltung zum Vertragsende"). ``row_statement`` leaves those
    answers out of the row's own words; ``table_numbers`` has read them already."""
    if not table.rows or table.kind != "grid":
        return frozenset()
    header, _ = _header_of(table)
    return frozenset(_columns(header).keep)


def row_statement(table: Table, r: int, inverted: frozenset[int] = frozenset()) -> str:
    """The row's own words ("030 … | Zentrale | verbleibt"), without the "nein" of a
    column in ``inverted`` (read by the column already)."""
    row = table.rows[r]
    return " | ".join(
        c.text
        for i, c in enumerate(row)
        if c is not None and c.text and not (i in inverted and answered_no(c.text))
    )


_AREA_CELL = re.compile(r"^\(?(?:\+\s?49|0049)?\s?\(?0?\d{1,5}\)?$")


def _split_span(text: str) -> tuple[str, str]:
    m = re.fullmatch(r"\s*-?(\d{1,4})\s*(?:[-–—]|bis|\.\.\.?|…)\s*-?(\d{1,4})\s*", text)
    if m:
        return m.group(1), m.group(2)
    m = re.fullmatch(r"\s*-?(\d{1,4})\s*", text)
    return (m.group(1), "") if m else ("", "")


_Hit = tuple[NumberRange, str, tuple[float, float, float, float], str]


def _own_numbers(row: Sequence[Cell | None], span: int | None, region: str) -> list[_Hit]:
    """The numbers an extension-range column's cell writes out whole (a block or a
    number with its area code), where the cell is no bare range ("00 – 99")."""
    cell = row[span] if span is not None and span < len(row) else None
    if cell is None or not cell.text or _split_span(cell.text) != ("", ""):
        return []
    return [
        (m.range, m.text, cell.bbox, cell.text[: m.start])
        for m in numbers.find_numbers(cell.text, region=region)
    ]


def _row_hits(row: Sequence[Cell | None], cols: _Cols, region: str) -> list[_Hit]:
    """The numbers in a row: (range, text, box, the cell's words before it)."""
    hits: list[_Hit] = []
    own = _own_numbers(row, cols.span, region)
    if own:
        # "Durchwahlblock" holding whole blocks ("030 96066-00 bis -29") beside a
        # number column: the cell names numbers of its own, not the number's extensions
        cols = replace(cols, span=None)
    if cols.number is not None:
        area = _cell_text(row, cols.area)
        num = _cell_text(row, cols.number)
        lo, hi = _cell_text(row, cols.lo), _cell_text(row, cols.hi)
        if cols.span is not None and not lo:
            lo, hi = _split_span(_cell_text(row, cols.span))
        lo, hi = lo.strip("-–— "), hi.strip("-–— ")
        if area and not _AREA_CELL.match(area):
            num = ""  # "2 0221": a position glued to the area code; never guess
        if num:
            rng = numbers.block_from_parts(area, num, lo or None, hi or lo or None, region=region)
            if rng is not None:
                used_idx = [
                    i
                    for i in (cols.area, cols.number, cols.lo, cols.hi, cols.span)
                    if i is not None
                ]
                used = [row[i] for i in used_idx if i < len(row) and row[i] is not None]
                text = " ".join(p for p in (area, num, lo, hi) if p)
                hits.append((rng, text, union(c.bbox for c in used if c is not None), ""))
                return [*own, *hits]
    skip = {cols.area, cols.lo, cols.hi, cols.span} if cols.number is not None else set()
    for c, cell in enumerate(row):
        if cell is None or not cell.text or c in skip:
            continue
        whole = numbers.parse_number(cell.text, region=region)
        if whole is not None:
            hits.append((whole, cell.text, cell.bbox, ""))
            continue
        for m in numbers.find_numbers(cell.text, region=region):
            hits.append((m.range, m.text, cell.bbox, cell.text[: m.start]))
    return hits


def _side_by_side(table: Table) -> tuple[Table, Table] | None:
    """A list set in two columns ("Rufnummer | Übergabe | Rufnummer | Übergabe"): the
    two halves, each a table of its own."""
    header = table.rows[0]
    n = len(header)
    if n < 4 or n % 2 or table.kind != "grid":
        return None
    names = [_plain(c.text).strip() if c is not None else "" for c in header]
    half = n // 2
    if names[:half] != names[half:] or not any(_HEADER_CELL.search(x) for x in names[:half]):
        return None
    parts: list[Table] = []
    for lo in (0, half):
        rows = tuple(tuple(row[lo : lo + half]) for row in table.rows)
        boxes = [c.bbox for row in rows for c in row if c is not None]
        parts.append(Table(rows, union(boxes) if boxes else table.bbox))
    return parts[0], parts[1]


def _text_row(row: Sequence[Cell | None]) -> bool:
    texts = [c.text.strip() for c in row if c is not None and c.text.strip()]
    return bool(texts) and all(not _DIGIT.search(t) and len(t) <= 30 for t in texts)


def _header_of(table: Table) -> tuple[tuple[Cell | None, ...], int]:
    """The header (two heading rows merged: "Durchwahl" over "von" | "bis") and the
    index of the first body row."""
    rows = table.rows
    first = rows[0]
    if table.kind != "grid" or len(rows) < 3 or not _text_row(rows[1]) or not _text_row(first):
        return first, 1
    merged: list[Cell | None] = []
    for c in range(max(len(first), len(rows[1]))):
        top = first[c] if c < len(first) else None
        if top is None and c and c - 1 < len(first):
            top = first[c - 1]  # covered by the heading to its left
        sub = rows[1][c] if c < len(rows[1]) else None
        parts = [x.text.strip() for x in (top, sub) if x is not None and x.text.strip()]
        boxes = [x.bbox for x in (top, sub) if x is not None]
        merged.append(Cell(0, c, " ".join(parts), union(boxes)) if boxes else None)
    return tuple(merged), 2


_NAMING_WORD = re.compile(
    r"[\wäöüÄÖÜß.\-]*(nummer|rufnr|vorwahl|onkz|durchwahl|block|anschl)[\wäöüÄÖÜß.\-]*",
    re.IGNORECASE,
)


def _statement_header(header: Sequence[Cell | None], cols: _Cols) -> str:
    """The header's words that can be a statement. A number column's heading counts
    without its naming words: "Rufnummernblock" says nothing, "Zu übergebende
    Rufnummern" says "zu übergebende"."""
    parts = []
    for c, cell in enumerate(header):
        if cell is None or not cell.text:
            continue
        text = _NAMING_WORD.sub(" ", cell.text) if c in cols.labels else cell.text
        if text.strip(" /|-–()"):
            parts.append(text.strip())
    return " | ".join(parts)


def table_numbers(page: PageLayout, table: Table, *, intro: str, region: str) -> list[FoundNumber]:
    """Every number in the table's rows, with its role (``intro``: the sentence above)."""
    if not table.rows:
        return []
    halves = _side_by_side(table)
    if halves is not None:
        return [n for half in halves for n in table_numbers(page, half, intro=intro, region=region)]
    if table.caption:
        intro = table.caption  # a footnote table: the sentence carrying its mark
    intro = _umlauted(intro)  # "… bestaetigen wir die Uebergabe des folgenden Anschlusses:"
    header, first_body = _header_of(table)
    header_is_text = not any(cell is not None and re.search(r"\d{3}", cell.text) for cell in header)
    cols = _columns(header) if header_is_text else _body_columns(table)
    legend: dict[str, str] = {}
    if table.kind == "checklist":
        cols = _Cols(number=1, handover=(0,))
        for glyph, cell in zip((TICKED, UNTICKED), header, strict=False):
            if cell is not None:
                legend[glyph] = cell.text
    header_text = _statement_header(header, cols) if header_is_text else ""
    local = _paragraph_above(page, table.bbox[1])
    caption = _caption(local)
    if caption:
        header_text = f"{caption} | {header_text}" if header_text else caption
    if not intro and table.kind == "checklist":
        intro = local
    values = _value_legend(f"{intro} {local}" if local not in intro else intro)
    marks = _mark_column(table, header, first_body, cols, f"{intro} {local}")
    out: list[FoundNumber] = []
    for r in range(first_body if header_is_text else 0, len(table.rows)):
        row = table.rows[r]
        cells = [c for c in row if c is not None and c.text]
        if not cells:
            continue
        row_bbox = union(c.bbox for c in cells)
        zone = zone_of(page, row_bbox[1], row_bbox[3])
        if table.caption and zone == "footer":
            zone = "body"  # a footnote low on the page speaks for its marked sentence
        hits = _row_hits(row, cols, region)
        if not hits:
            continue
        decided = _row_role(row, cols, values)
        if decided is None and marks is not None:
            decided = _mark_role(row, *marks)
        for rng, text, bbox, before in hits:
            # a label before the number in its cell ("Tel. 040 …") makes it a contact
            if decided is None:
                ctx = NumberContext(
                    zone=zone,
                    before=before,
                    sentence=table.row_text(r),
                    intro=intro,
                    table_header=header_text,
                )
                role, why = classify(ctx)
            else:
                # the row's own words first (a contact label, keep-back wording), then
                # its decision column; the intro cannot overrule the column
                own = row_statement(table, r, frozenset(cols.keep))
                role, why = classify(NumberContext(zone=zone, before=before, sentence=own))
                if role not in (Role.CONTACT, Role.EXCLUDED):
                    if legend:
                        role, why = _legend_role(row, legend)
                    else:
                        role, why = _decided_role(decided, table, intro or local)
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


_MARKS = frozenset("✔✓✘✗×☒☐xX")


def _mark_column(
    table: Table,
    header: Sequence[Cell | None],
    first_body: int,
    cols: _Cols,
    text: str,
) -> tuple[int, dict[str, Role]] | None:
    """A column without a heading that holds only marks ("✔", "✘"), explained by the
    text above ("Mit ✔ gekennzeichnete Rufnummern werden an Sie übergeben, mit ✘
    gekennzeichnete nicht."): the column and each mark's role. Only used when the
    table has no decision column of its own."""
    if cols.handover or cols.keep or cols.status or table.kind != "grid":
        return None
    for c in range(len(header)):
        if _cell_text(header, c):
            continue
        cells = [_cell_text(row, c) for row in table.rows[first_body:]]
        if not any(cells) or not all(len(t) <= 1 and (not t or t in _MARKS) for t in cells):
            continue
        return c, _mark_legend(text, {t for t in cells if t})
    return None


def _mark_legend(text: str, marks: set[str]) -> dict[str, Role]:
    """Each mark's role from the clause of the text that names it; a mark named in a
    handover and a keep-back clause counts as kept back."""
    out: dict[str, Role] = {}
    for s, e in split_sentences(text):
        for clause in re.split(r"[,;]\s|\s[–—]\s", text[s:e]):
            named = [m for m in marks if m in clause]
            if len(named) != 1:
                continue
            role, _ = classify(NumberContext(sentence=clause))
            if role is Role.EXCLUDED or (role is Role.TRANSFER and out.get(named[0]) is None):
                out[named[0]] = role
    return out


_NO_MARKS = frozenset("✘✗×☐")


def _mark_role(
    row: Sequence[Cell | None], column: int, legend: dict[str, Role]
) -> tuple[Role, str] | None:
    """The role a row's mark gives. With no mark explained, a "no" mark ("✘") leaves
    the row unclear whatever the intro says, and any other mark leaves it to the intro."""
    mark = _cell_text(row, column)
    role = legend.get(mark)
    if role in (Role.TRANSFER, Role.EXCLUDED):
        assert role is not None
        return role, "column:explained_mark"
    if legend or mark in _NO_MARKS:
        return Role.UNCLEAR, "column:unexplained_mark"
    return None


_AREA_ONLY = re.compile(r"^\(?0[1-9]\d{1,4}\)?$")
_SUBSCRIBER_ONLY = re.compile(r"^\d{3,8}$")


def _body_columns(table: Table) -> _Cols:
    """Columns of a table without a heading row, from its cells: a column of area
    codes ("0561") followed by one of subscriber numbers ("869184") is Vorwahl |
    Rufnummer, so each row is one number (either cell alone is none)."""
    width = max((len(row) for row in table.rows), default=0)
    for c in range(width - 1):
        pairs = [(_cell_text(row, c), _cell_text(row, c + 1)) for row in table.rows]
        pairs = [p for p in pairs if p[0] or p[1]]
        if pairs and all(
            _AREA_ONLY.match(a) and _SUBSCRIBER_ONLY.match(n.replace(" ", "")) for a, n in pairs
        ):
            return _Cols(area=c, number=c + 1)
    return _Cols()


# A caption: a short heading right above a table ("Zu übergebende Rufnummern",
# "Nicht zu übergebende Rufnummern", "Folgende Rufnummern verbleiben:"), no sentence.
_CAPTION_WORDS = 8


def _caption(local: str) -> str:
    """The heading set right above a table, when the text there is one: at most a few
    words, no full stop at its end and no number of its own. It is read like a column
    heading, so it decides the rows of a table without a decision column (a keep-back
    caption before any handover wording)."""
    text = local.strip()
    if not text or len(text.split()) > _CAPTION_WORDS or text.endswith((".", ",", ";")):
        return ""
    if _DIGIT.search(text):
        return ""
    return text


_KEEP_INTRO = re.compile(r"(verbleib|bleiben|behalten|nicht\s+ubergeben|ausgenommen)")
_TRANSFER_INTRO = re.compile(r"(ubergeb|ubertrag|freigeb|frei\b|wechsel)")
_UNTICKED_KEPT = re.compile(
    r"nicht\s+(?:an)?gekreuzt\w*.{0,80}?(verbleib|bleib|behalt|nicht\s+ubergeben)"
)


def _paragraph_above(page: PageLayout, top: float) -> str:
    """The paragraph that ends right above ``top`` on the page (the table's intro)."""
    above = [r for r in range(len(page.rows)) if page.row_bottom(r) <= top + 1]
    if not above:
        return ""
    lines = [above[-1]]
    if top - page.row_bottom(above[-1]) > 3 * page.rows[above[-1]][0].size:
        return ""
    for r in reversed(above[:-1]):
        gap = page.row_top(lines[0]) - page.row_bottom(r)
        if gap > 0.9 * page.rows[r][0].size or len(lines) >= 5:
            break
        lines.insert(0, r)
    return " ".join(page.row_text(r) for r in lines)


def _decided_role(decided: tuple[Role, str], table: Table, intro: str) -> tuple[Role, str]:
    role, why = decided
    plain = _plain(intro)
    if table.kind == "checklist":
        if role is Role.EXCLUDED:
            # an unticked box is kept back only when the intro says so
            if _UNTICKED_KEPT.search(plain):
                return Role.EXCLUDED, "checkbox:unticked_kept_back"
            return Role.UNCLEAR, "checkbox:unticked"
        return _checklist_role(role, why, intro)
    if why == "column:stays_no" and has_keep_back_wording(intro):
        return Role.UNCLEAR, "column:contradicts_intro"
    if why == "column:keep_no" and classify(NumberContext(sentence=intro))[0] is not Role.TRANSFER:
        return Role.UNCLEAR, "column:keep_no_without_handover"
    if (
        role is Role.TRANSFER
        and _KEEP_INTRO.search(plain)
        and not (_HANDOVER_HEAD.search(plain) or _TRANSFER_INTRO.search(plain))
    ):
        return Role.UNCLEAR, "column:contradicts_intro"
    return role, why


def _legend_role(row: Sequence[Cell | None], legend: dict[str, str]) -> tuple[Role, str]:
    """A check-box row read through the form's legend ("☒ = wird übergeben")."""
    glyph = _cell_text(row, 0)[:1]
    meaning = legend.get(glyph)
    if not meaning:
        return Role.UNCLEAR, "checkbox:no_legend"
    role, _ = classify(NumberContext(sentence=meaning))
    if role is Role.EXCLUDED or _KEEP_VALUE.search(_plain(meaning)):
        return Role.EXCLUDED, "checkbox:legend_keeps_back"
    if role is Role.TRANSFER and glyph == TICKED:
        return Role.TRANSFER, "checkbox:legend_handover"
    return Role.UNCLEAR, "checkbox:legend_unclear"


def _checklist_role(role: Role, why: str, intro: str) -> tuple[Role, str]:
    """A box in a check-box list: ticked takes the intro's handover, an unticked box is
    kept back only when the intro says so ("nicht angekreuzte ... verbleiben")."""
    plain = _plain(intro)
    if role is Role.TRANSFER:
        head, _ = classify(NumberContext(sentence=intro))
        if head is Role.TRANSFER or _TRANSFER_INTRO.search(plain):
            if (
                _KEEP_INTRO.search(plain)
                and not _UNTICKED_KEPT.search(plain)
                and "angekreuzt" not in plain
                and "markiert" not in plain
            ):
                return Role.UNCLEAR, "checkbox:intro_keeps_back"
            return Role.TRANSFER, "checkbox:ticked"
        return Role.UNCLEAR, "checkbox:ticked_without_handover"
    return role, why
