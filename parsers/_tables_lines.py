"""Tables set as lines rather than columns: a status line under each number.

"0911 5385695" on one line and "→ Übergabe zum 01.02.2027" (or "Status: verbleibt")
right under it is a two-column table written downwards: the status line governs the
number above it and no other. Each pair becomes one row of a ``Rufnummer | Status``
table, so ``parsers.tables.table_numbers`` reads the status as a status column.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace

from parsers import numbers
from parsers.layout import Cell, Line, PageLayout, Table, Word, union
from parsers.roles import split_sentences

__all__ = ["footnote_tables", "reindexed", "status_line_tables"]

# A status line starts with an arrow or a status label.
_STATUS_LEAD = re.compile(
    r"^\s*(?:→|->|=>|⇒|➔|➜|►|▶|»|(?:status|stand|vermerk|übergabe|uebergabe|ubergabe)\s*:)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_MAX_LABEL_WORDS = 2  # words beside the number on its line ("Zentrale", "Fax")
_GAP_EM = 1.0  # the status line sits right under its number


def _text(row: Sequence[Line]) -> str:
    return " ".join(seg.text for seg in row)


def _number_line(row: Sequence[Line]) -> bool:
    """A line that is one number and at most a short label."""
    text = _text(row)
    found = numbers.find_numbers(text)
    if len(found) != 1 or text.rstrip().endswith(":"):
        return False
    rest = text[: found[0].start] + text[found[0].end :]
    return len(_WORD.findall(rest)) <= _MAX_LABEL_WORDS


def _status_line(row: Sequence[Line], above: Sequence[Line]) -> bool:
    """A status line right under ``above``, not left of it, naming no number."""
    text = _text(row)
    if not _STATUS_LEAD.match(text) or numbers.find_numbers(text):
        return False
    top = min(seg.top for seg in row)
    bottom = max(seg.bottom for seg in above)
    size = max(seg.size for seg in above)
    x0 = min(seg.x0 for seg in row)
    return top - bottom <= _GAP_EM * size and x0 >= min(seg.x0 for seg in above) - 2


_LABELLED = re.compile(r"^\s*([^\W\d_]+)\s*:\s*(.*)$")


def _pair_table(pairs: Sequence[tuple[Sequence[Line], Sequence[Line]]]) -> Table:
    """The pairs as a ``Rufnummer | Status`` table. Status lines that all share one
    label ("Übergabe: ja", "Übergabe: nein") give that label as the heading and their
    values as the cells, so "ja" is read under "Übergabe"."""
    first_number, first_status = pairs[0]
    number_words = [w for seg in first_number for w in seg.words]
    status_words = [w for seg in first_status for w in seg.words]
    texts = [_text(status) for _number, status in pairs]
    labelled = [_LABELLED.match(t) for t in texts]
    labels = {m.group(1).lower() for m in labelled if m is not None}
    heading = "Status"
    if all(labelled) and len(labels) == 1:
        heading = next(m.group(1) for m in labelled if m is not None)
        texts = [m.group(2) for m in labelled if m is not None]
    header: tuple[Cell | None, ...] = (
        Cell(0, 0, "Rufnummer", union(w.bbox for w in number_words)),
        Cell(0, 1, heading, union(w.bbox for w in status_words)),
    )
    rows: list[tuple[Cell | None, ...]] = [header]
    for r, ((number_row, status_row), text) in enumerate(zip(pairs, texts, strict=True), 1):
        rows.append(
            (
                Cell(r, 0, _text(number_row), union(seg.bbox for seg in number_row)),
                Cell(r, 1, text, union(seg.bbox for seg in status_row)),
            )
        )
    bbox = union(seg.bbox for pair in pairs for row in pair for seg in row)
    return Table(tuple(rows), bbox)


def status_line_tables(page: PageLayout) -> None:
    """Runs of "number line, status line under it" become tables; their lines leave
    the text flow."""
    rows = page.rows
    keep: list[list[Line]] = []
    r = 0
    while r < len(rows):
        pairs: list[tuple[Sequence[Line], Sequence[Line]]] = []
        while r + 1 < len(rows) and _status_line(rows[r + 1], rows[r]) and _number_line(rows[r]):
            pairs.append((rows[r], rows[r + 1]))
            r += 2
        if pairs:
            page.tables.append(_pair_table(pairs))
            continue
        keep.append(rows[r])
        r += 1
    if len(keep) != len(rows):
        page.rows = reindexed(keep)


def reindexed(rows: Sequence[Sequence[Line]]) -> list[list[Line]]:
    """Rows renumbered after some left the text flow."""
    return [[Line(seg.words, seg.text, seg.spans, i) for seg in row] for i, row in enumerate(rows)]


# --------------------------------------------------------------------------- footnotes

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_MARK_TEXT = re.compile(rf"^(?:\d{{1,2}}\)?|[{_SUPERSCRIPTS}]{{1,2}}|\*{{1,3}}|\(\d\))$")
_RAISED = 0.9  # a mark is set smaller than the text it follows
_ROW_GAP_EM = 1.2  # rows of one footnote table follow each other closely
_PARAGRAPH_GAP_EM = 0.9
_TABLE_GAP_EM = 2.0  # a table right under its footnote line
_TABLE_GAP = 20.0  # (in points, for footnotes set very small)


def _words(row: Sequence[Line]) -> list[Word]:
    return [w for seg in row for w in seg.words]


def _is_mark(word: Word, nxt: Word) -> bool:
    """A footnote mark: a superscript or asterisk, or a mark set smaller than the
    word next to it."""
    if not _MARK_TEXT.match(word.text):
        return False
    return word.text[0] in _SUPERSCRIPTS + "*" or word.size < _RAISED * nxt.size


def _caption_at(page: PageLayout, r: int) -> tuple[str, int] | None:
    """The footnote line at row ``r`` ("¹ Betroffene Rufnummern:"): its mark and how
    many rows it takes (a raised mark may sit on a row of its own just above)."""
    words = _words(page.rows[r])
    if len(words) >= 2 and _is_mark(words[0], words[1]):
        rest = words[1:]
        mark, n = words[0].text, 1
    elif len(words) == 1 and r + 1 < len(page.rows):
        nxt = _words(page.rows[r + 1])
        if not nxt or not _is_mark(words[0], nxt[0]) or not _beside(words[0], nxt[0]):
            return None
        rest = nxt
        mark, n = words[0].text, 2
    else:
        return None
    text = " ".join(w.text for w in rest)
    if not _WORD.search(text) or numbers.find_numbers(text):
        return None
    return mark, n


def _beside(mark: Word, word: Word) -> bool:
    """A raised mark on a row of its own standing just before ``word``'s line start."""
    gap = word.x0 - mark.x1
    return -0.5 <= gap < 0.6 * word.size and word.top - word.size < mark.top <= word.top


def _anchor(page: PageLayout, above: int, mark: str) -> tuple[int, Word] | None:
    """The word a footnote mark follows in the text above row ``above``: the mark set
    raised right after it on its row, or on a row of its own just above its end."""
    for r in range(above - 1, -1, -1):
        words = _words(page.rows[r])
        for prev, word in itertools.pairwise(words):
            if word.text == mark and _is_mark(word, prev) and word.x0 - prev.x1 < 0.3 * prev.size:
                return r, prev
        if len(words) == 1 and words[0].text == mark and r + 1 < len(page.rows):
            m = words[0]
            for prev in _words(page.rows[r + 1]):
                if -0.5 <= m.x0 - prev.x1 < 0.3 * prev.size and prev.top - prev.size < m.top:
                    return r + 1, prev
    return None


def _marked_sentence(page: PageLayout, above: int, mark: str) -> str:
    """The sentence above row ``above`` that carries ``mark`` ("… des Kunden Autohaus
    Kessler¹ an Ihr Unternehmen …"), without the mark."""
    found = _anchor(page, above, mark)
    if found is None:
        return ""
    r, anchor = found
    first = last = r
    while first > 0 and _tight(page, first - 1, first) and not _ends(page, first - 1):
        first -= 1
    while last + 1 < len(page.rows) and _tight(page, last, last + 1) and not _ends(page, last):
        last += 1
    parts: list[str] = []
    at = 0
    for i in range(first, last + 1):
        for w in _words(page.rows[i]):
            if w.text == mark and w.size < _RAISED * anchor.size:
                continue
            parts.append(w.text)
            if w is anchor:
                at = len(" ".join(parts))
    text = " ".join(parts)
    for s, e in split_sentences(text):
        if s <= at <= e:
            return text[s:e]
    return text


def _ends(page: PageLayout, r: int) -> bool:
    """Whether row ``r`` ends a sentence or the salutation (no paragraph runs on)."""
    return page.row_text(r).rstrip().endswith((".", "!", "?", ":", ","))


def _tight(page: PageLayout, upper: int, lower: int) -> bool:
    size = max(seg.size for seg in page.rows[upper])
    return page.row_top(lower) - page.row_bottom(upper) < _PARAGRAPH_GAP_EM * size


def _footnote_row(row: Sequence[Line]) -> tuple[list[Word], list[Word]] | None:
    """A footnote table's row: it starts with one number; the words after it are the
    row's remark ("Zentrale", "verbleibt (Notruf Aufzug)")."""
    line = Line.of(_words(row))
    found = numbers.find_numbers(line.text)
    if len(found) != 1 or found[0].start != 0:
        return None
    end = found[0].end
    number = [w for w, (s, _e) in zip(line.words, line.spans, strict=True) if s < end]
    remark = [w for w, (s, _e) in zip(line.words, line.spans, strict=True) if s >= end]
    return number, remark


def _rows_table(page: PageLayout, c: int, n: int, sentence: str) -> tuple[Table, int] | None:
    """A footnote's rows of numbers without a heading row ("0711 616728 Zentrale" …)
    as a ``Rufnummer | Bemerkung`` table; with the index of the first row after it."""
    body: list[tuple[list[Word], list[Word]]] = []
    r = c + n
    while r < len(page.rows) and _tight_rows(page, r - 1, r):
        split = _footnote_row(page.rows[r])
        if split is None:
            break
        body.append(split)
        r += 1
    if not body:
        return None
    head_words = _words(page.rows[c + n - 1])[2 - n :]
    head_box = union(w.bbox for w in head_words)
    rows: list[tuple[Cell | None, ...]] = [
        (
            Cell(0, 0, " ".join(w.text for w in head_words), head_box),
            Cell(0, 1, "Bemerkung", head_box),
        )
    ]
    for i, (number, remark) in enumerate(body, start=1):
        rows.append(
            (
                Cell(i, 0, " ".join(w.text for w in number), union(w.bbox for w in number)),
                Cell(i, 1, " ".join(w.text for w in remark), union(w.bbox for w in remark))
                if remark
                else None,
            )
        )
    bbox = union(seg.bbox for row in page.rows[c:r] for seg in row)
    return Table(tuple(rows), bbox, caption=sentence), r


def _tight_rows(page: PageLayout, upper: int, lower: int) -> bool:
    size = max(seg.size for seg in page.rows[lower])
    return page.row_top(lower) - page.row_bottom(upper) < _ROW_GAP_EM * size


def _table_below(page: PageLayout, r: int) -> int | None:
    """The table that starts right under row ``r`` (its footnote line)."""
    bottom = page.row_bottom(r)
    size = max(seg.size for seg in page.rows[r])
    x0 = min(seg.x0 for seg in page.rows[r])
    for i, table in enumerate(page.tables):
        top = table.bbox[1]
        if bottom - 1 <= top <= bottom + max(_TABLE_GAP_EM * size, _TABLE_GAP) and (
            table.bbox[2] > x0
        ):
            return i
    return None


def footnote_tables(page: PageLayout) -> None:
    """A footnote that lists numbers ("¹ Betroffene Rufnummern:" over a table, or over
    rows of numbers) is read under the sentence that carries its mark: the table gets
    that sentence as its caption and the footnote line leaves the text flow."""
    keep: list[list[Line]] = []
    r = 0
    while r < len(page.rows):
        caption = _caption_at(page, r)
        sentence = _marked_sentence(page, r, caption[0]) if caption else ""
        if caption and sentence:
            n = caption[1]
            below = _table_below(page, r + n - 1)
            if below is not None:
                page.tables[below] = replace(page.tables[below], caption=sentence)
                r += n
                continue
            built = _rows_table(page, r, n, sentence)
            if built is not None:
                page.tables.append(built[0])
                r = built[1]
                continue
        keep.append(page.rows[r])
        r += 1
    if len(keep) != len(page.rows):
        page.rows = reindexed(keep)
