"""Numbers on laid-out pages, each with its role: the bridge from geometry to facts.

Numbers are searched in *units*: a visual row, joined with the next row only where a
number or block visibly wraps ("030 1234" / "5678", "... -00 bis" / "-99"), so a wrapped
number never becomes a shorter valid one. Roles are read from *blocks*: paragraphs and
list items, with the sentence that introduces a list or table ("Folgende Rufnummern
werden übergeben:") carried down to its items.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from parsers import numbers
from parsers._marks import page_applied_marks, without_applied_legends
from parsers._statement_extensions import carve_out_unread, extension_mentions
from parsers.layout import Line, PageLayout, Table, Word, zone_of
from parsers.model import FoundNumber, Role, Source
from parsers.references import (
    apply_references,
    apply_sections,
    apply_stems,
    person_contact,
    statement_spans,
    status_segment,
)
from parsers.roles import (
    NumberContext,
    classify,
    classify_words,
    fold,
    has_blanket_clause,
    has_handover_wording,
    has_keep_back_wording,
    split_sentences,
)
from parsers.tables import answered_no, inverted_answers, table_numbers

__all__ = ["Unit", "find_closing", "find_numbers_on_pages"]

# (cid:N) is how pdfminer spells a bullet glyph it cannot map to Unicode.
_LIST_MARKER = re.compile(r"^\s*(?:[•·▪◦‣*\-–—]|\(cid:\d+\)|\(?\d{1,2}[.)](?!\d)|\(?[a-z][.)])\s+")
# Tolerant of OCR ("GruBen", glued "freundlichenGrüßen"): the prefix is what matters.
_CLOSING = re.compile(
    r"(mit\s*freundlich\w*?\s*gr[üu]\w*|freundliche\s*gr[üu]\w*|mit\s*besten\s*gr[üu]\w*|"
    r"beste\s*gr[üu]\w*|viele\s*gr[üu]\w*|hochachtungsvoll)",
    re.IGNORECASE,
)
_SALUTATION = re.compile(r"^\s*(sehr\s*geehrte|guten\s*tag|hallo\b|liebe[rs]?\b)", re.IGNORECASE)
# A note that a list goes on elsewhere: not an intro of its own.
_CONTINUATION = re.compile(
    r"(fortsetzung|fortgesetzt|nachsten\s+seite|seite\s+\d|hinweise\s+zu)", re.IGNORECASE
)
_INTRO_HINT = re.compile(
    r"(:\s*$|folgend|nachstehend|aufgeführt|aufgelistet|tabelle|liste)", re.IGNORECASE
)
_LETTERS = re.compile(r"[A-Za-zÄÖÜäöüß]")
_NUMBER_TAIL = re.compile(r"\d{1,2}\s+[a-zäöüß]")
# A row of a numbered list or table: a running number, then a phone number.
_NUMBERED_ROW = re.compile(r"^[1-9]\d{0,2}\s+(?:\(0|0|\+)\d")
# Footnote marks: asterisks, superscript digits, "(1)" glued to the number.
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_MARK = rf"(?:\*{{1,3}}|[{_SUPERSCRIPTS}]+|\(\d\)|†)"
_MARKER_ONLY = re.compile(rf"\s*{_MARK}\s*")
_MARK_AFTER = re.compile(rf"[\s\-–—…./\d]{{0,20}}?(?P<mark>{_MARK})")
# A footnote or P.S. line: its mark (or "P.S.") and the statement after it.
_NOTE_LINE = re.compile(rf"^\s*(?P<mark>{_MARK})\s*(?P<text>\S.*)$")
_POSTSCRIPT = re.compile(
    rf"^\s*(?:p\.?\s?(?:p\.?\s?)?s(?:\.|:|\b)|nachtrag\b|hinweis\b|anmerkung\b|{_MARK}\s*\S)",
    re.IGNORECASE,
)
_ROW_SEP = " | "
_ANNEX_HEADING = re.compile(r"^\s*(anlage|anhang|beiblatt|beilage)\b", re.IGNORECASE)
_ANNEX_REF = re.compile(
    r"\b(anlage|anhang|beiblatt|beilage|beigefügt\w*|anliegend\w*|beiliegend\w*)", re.IGNORECASE
)


@dataclass
class Unit:
    """A row (or wrapped rows) of one page: where numbers are searched."""

    page: int
    line: Line  # words and text; segments of a row are separated by " | "
    zone: str
    starts_item: bool  # begins with a list marker
    gap_before: float  # vertical distance to the previous unit on the page
    list_like: bool = False  # a list item or a row that is (almost) only numbers
    block: int = -1


def _row_line(segments: Sequence[Line], row: int) -> Line:
    """One Line for a whole row; segments are separated by " | " in its text."""
    words: list[Word] = []
    spans: list[tuple[int, int]] = []
    text = ""
    for i, seg in enumerate(segments):
        if i:
            text += _ROW_SEP
        base = len(text)
        words.extend(seg.words)
        spans.extend((base + s, base + e) for s, e in seg.spans)
        text += seg.text
    return Line(tuple(words), text, tuple(spans), row)


def _concat(a: Line, b: Line, sep: str) -> Line:
    base = len(a.text) + len(sep)
    return Line(
        (*a.words, *b.words),
        a.text + sep + b.text,
        (*a.spans, *((base + s, base + e) for s, e in b.spans)),
        a.row,
    )


def _continues(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` carries on a number or block that ``prev`` wrapped."""
    p, n = prev.rstrip(), nxt.lstrip()
    if _LIST_MARKER.match(n) or _NUMBERED_ROW.match(n):
        return False  # the next list item, not a continuation
    if re.search(r"(\bbis|[-–/])$", p) and re.match(r"[-–(+\d]", n):
        return True
    if re.search(r"\d$", p) and re.match(r"(?:bis\b|[-–—]\s*[-–]?\d)\s*[-–]?\s*\d", n):
        return True  # "… außer den Durchwahlen -55" / "bis -56": a range's upper end
    # "030 1234" / "5678": a digit run broken by the line end. A next row that starts
    # a new number (0, +, bracket) is a new item, not a continuation.
    if re.search(r"\d$", p) and _NUMBER_TAIL.match(n):
        return True  # "… 06131 76 89 7" / "0 werden übergeben.": a lone digit group
    return bool(re.search(r"\d$", p) and re.match(r"[1-9]", n))


def find_closing(pages: Sequence[PageLayout]) -> tuple[int, float] | None:
    """(page number, bottom) of the last closing formula ("Mit freundlichen Grüßen")."""
    for page in reversed(pages):
        for r in range(len(page.rows) - 1, -1, -1):
            if _CLOSING.search(page.row_text(r)):
                return page.number, page.row_bottom(r)
    return None


def _salutation_row(page: PageLayout) -> int | None:
    for r in range(len(page.rows)):
        if _SALUTATION.match(page.rows[r][0].text):
            return r
    return None


def _units(pages: Sequence[PageLayout]) -> tuple[list[Unit], list[tuple[int, Line]]]:
    closing = find_closing(pages)
    units: list[Unit] = []
    markers: list[tuple[int, Line]] = []
    for page in pages:
        prev_bottom: float | None = None
        prev_zone = ""
        prev_labels = False  # the row above is reference by its own words
        pending: Unit | None = None
        # On the first page everything above the salutation is letterhead, address
        # window and reference block: the writer's data, never a handover.
        salutation = _salutation_row(page) if page.number == 1 else None
        body_size = _body_size(page)
        for r, segments, fresh in _reading_order(page):
            line = _row_line(segments, r)
            top, bottom = line.top, line.bottom
            zone = zone_of(page, top, bottom, line.text)
            if zone == "reference" and salutation is not None and r > salutation:
                zone = "body"  # reference words inside the letter's sentences
            if zone == "body" and salutation is not None and r < salutation:
                # a subject line with handover wording ("Betreff: Freigabe der Rufnummer
                # ...") is read like the body; the rest is letterhead and address
                zone = "body" if classify_words(line.text) else "header"
            own_reference = zone == "reference"
            if (
                zone == "body"
                and prev_zone == "reference"
                and prev_labels
                and prev_bottom is not None
                and top - prev_bottom < line.size
            ):
                # the value row under a row of reference labels; only the row right
                # under the labels, so a reference never spreads down the letter
                zone = "reference"
            if zone == "reference" and _is_prose(line.text):
                zone = "body"  # a sentence that happens to name a customer number
            if zone == "body" and closing and page.number == closing[0] and top >= closing[1] - 1:
                zone = "signature"
            if zone == "signature" and (
                _POSTSCRIPT.match(line.text)
                or (pending is not None and pending.zone == "postscript" and gap_ok(pending, line))
            ):
                # a P.S. or footnote below the signature is a statement of the letter
                zone = "postscript"
            gap = 0.0 if prev_bottom is None else top - prev_bottom
            if fresh:
                gap = _NEW_COLUMN  # the first row of a column: never joins the row before
            prev_bottom = bottom
            prev_zone = zone
            prev_labels = own_reference and zone == "reference"
            if _raised_digit_mark(line, body_size):
                # a footnote mark set as a small raised digit ("…4578¹" typeset): it marks
                # the number next to it and never carries on the number of the row above
                markers.append((page.number, line))
                continue
            if (
                pending is not None
                and pending.zone == zone
                and gap < 1.2 * line.size
                and _continues(pending.line.text, line.text)
            ):
                pending.line = _concat(pending.line, line, " ")
                continue
            if _MARKER_ONLY.fullmatch(line.text):
                # a raised footnote mark on a row of its own: it marks the number next
                # to it and must not cut a list from its introduction
                markers.append((page.number, line))
                continue
            pending = Unit(page.number, line, zone, bool(_LIST_MARKER.match(line.text)), gap)
            units.append(pending)
    return units, markers


_DIGIT_MARK = re.compile(r"\s*\d{1,2}\s*")
_RAISED_FRACTION = 0.8  # a mark is set at most this fraction of the body text's size


def _body_size(page: PageLayout) -> float:
    """The font size most of the page's words are set in (the body text's)."""
    sizes = [round(w.size, 1) for row in page.rows for seg in row for w in seg.words]
    return max(set(sizes), key=sizes.count) if sizes else 0.0


def _raised_digit_mark(line: Line, body_size: float) -> bool:
    """A row holding only one or two digits set markedly smaller than the body text: a
    footnote mark typeset as a superscript, which the text layer gives as a plain digit
    on a row of its own (beside the number it marks, or before its note)."""
    return bool(_DIGIT_MARK.fullmatch(line.text)) and 0 < line.size <= _RAISED_FRACTION * body_size


_NEW_COLUMN = 1e6
_GUTTER_SLACK = 12.0  # points a column's left edge may wander (indented list items)
_MIN_COLUMN_ROWS = 3
_MAX_ROW_GAP = 2  # rows of a column stretch lie at most this many rows apart


def _prose(seg: Line, words: int) -> bool:
    return sum(1 for w in _strip_digits(seg.text).split() if _LETTERS.search(w)) >= words


def _gutters(page: PageLayout) -> list[tuple[float, int, int]]:
    """The column edges on the page: (x, first row, last row), stretches that do not
    overlap, in page order.

    A second column is a left edge shared by at least three rows, right of a third of
    the page, where either side reads as running text (a sidebar next to the letter's
    sentences, or a statement set beside a list). Tables (short cells on both sides)
    are not columns: their rows stay whole so a remark stays with its number.
    """
    starts: dict[float, list[tuple[int, Line, Line | None]]] = {}
    for r, row in enumerate(page.rows):
        for i, seg in enumerate(row):
            if seg.x0 < page.width / 4:
                continue
            key = next((k for k in starts if abs(k - seg.x0) <= _GUTTER_SLACK), seg.x0)
            starts.setdefault(key, []).append((r, seg, row[i - 1] if i else None))
    runs: list[list[tuple[int, Line, Line | None]]] = []
    for group in starts.values():
        # a column is a run of rows close together, not every row sharing an edge
        run = [group[0]]
        for hit in group[1:]:
            if hit[0] - run[-1][0] > _MAX_ROW_GAP:
                runs.append(run)
                run = []
            run.append(hit)
        runs.append(run)
    found: list[tuple[int, tuple[float, int, int]]] = []
    for hits in runs:
        beside = [(rt, lt) for _r, rt, lt in hits if lt is not None]
        # a heading beside the left column's heading, with its own list under it
        # ("Folgende Rufnummern werden übergeben:" | "Nicht übergeben werden:")
        headed_list = any(rt.text.rstrip().endswith(":") for rt, _lt in beside) and any(
            _LIST_MARKER.match(rt.text) for _r, rt, _lt in hits
        )
        if headed_list and len(hits) >= 2:
            found.append(
                (len(hits), (min(rt.x0 for _r, rt, _lt in hits) - 1, hits[0][0], hits[-1][0]))
            )
            continue
        if len(hits) < _MIN_COLUMN_ROWS or len(beside) < 2:
            continue
        right_prose = sum(_prose(rt, 3) for _r, rt, _lt in hits) / len(hits)
        left_prose = sum(_prose(lt, 4) for _rt, lt in beside) / len(beside)
        # two lists set side by side: a number on both sides of the gutter
        paired_lists = sum(
            bool(numbers.find_numbers(rt.text) and numbers.find_numbers(lt.text))
            for rt, lt in beside
        )
        # running text in the right column: rows that carry on a sentence in lower case
        flowing = sum(
            1
            for (r0, _a, _b), (r1, rt, _c) in itertools.pairwise(hits)
            if r1 == r0 + 1 and rt.text[:1].islower()
        )
        if max(right_prose, left_prose) < 0.6 and paired_lists < 2 and flowing < 2:
            continue
        found.append((len(hits), (min(rt.x0 for _r, rt, _lt in hits) - 1, hits[0][0], hits[-1][0])))
    chosen: list[tuple[float, int, int]] = []
    for _n, (x, first, last) in sorted(found, key=lambda f: -f[0]):
        if all(last < a or first > b for _x, a, b in chosen):
            chosen.append((x, first, last))
    return sorted(chosen, key=lambda g: g[1])


def _reading_order(page: PageLayout) -> list[tuple[int, list[Line], bool]]:
    """The page's rows as (row index, segments, starts a column), with each two-column
    stretch read column by column: the left column's rows, then the right column's.
    A row never joins text across the gutter."""
    out: list[tuple[int, list[Line], bool]] = []
    r = 0
    for x, first, last in _gutters(page):
        # a list in the left column may run on below the right column's last row
        while (
            last + 1 < len(page.rows)
            and all(seg.x0 < x for seg in page.rows[last + 1])
            and _LIST_MARKER.match(page.rows[last + 1][0].text)
        ):
            last += 1
        out.extend((i, list(page.rows[i]), False) for i in range(r, first))
        left: list[tuple[int, list[Line], bool]] = []
        right: list[tuple[int, list[Line], bool]] = []
        for i in range(first, last + 1):
            segs = page.rows[i]
            lo = [s for s in segs if s.x0 < x]
            hi = [s for s in segs if s.x0 >= x]
            if lo:
                left.append((i, lo, not left))
            if hi:
                right.append((i, hi, not right))
        out.extend([*left, *right])
        r = last + 1
    out.extend((i, list(page.rows[i]), False) for i in range(r, len(page.rows)))
    return out


def gap_ok(prev: Unit, line: Line) -> bool:
    """Whether ``line`` continues the paragraph of ``prev`` (no blank line between)."""
    return line.top - prev.line.bottom < 0.9 * line.size


def _is_prose(text: str) -> bool:
    """A row of running text (a sentence), not a label and its value."""
    words = [w for w in _strip_digits(text).split() if _LETTERS.search(w)]
    return len(words) >= 8 and classify_words(text)


def _strip_digits(text: str) -> str:
    return re.sub(r"[+\d][\d\s/().\-–]*\d", " ", text)


def _letters_without_numbers(text: str) -> int:
    stripped = re.sub(r"[+\d][\d\s/().\-–]*\d", " ", text)
    return len(_LETTERS.findall(stripped))


def _assign_blocks(units: list[Unit]) -> list[list[Unit]]:
    blocks: list[list[Unit]] = []
    for i, u in enumerate(units):
        # a list item: a marker, or a short row of numbers that is not a sentence (a
        # row whose sentence runs on in lower case on the next row is prose)
        text = u.line.text.rstrip()
        nxt = units[i + 1] if i + 1 < len(units) else None
        runs_on = (
            nxt is not None
            and nxt.page == u.page
            and nxt.zone == u.zone
            and 0 <= nxt.gap_before <= 0.9 * nxt.line.size
            and nxt.line.text[:1].islower()
        )
        u.list_like = u.starts_item or (
            _letters_without_numbers(text) <= 25
            and bool(re.search(r"\d{3}", text))
            and not text.endswith((".", "!", "?"))
            and not runs_on
        )
        prev = blocks[-1][-1] if blocks else None
        if (
            prev is not None
            and prev.starts_item
            and not u.starts_item
            and prev.page == u.page
            and prev.zone == u.zone
            and u.gap_before <= 0.9 * u.line.size
            and _prose_item(prev.line.text)
        ):
            # "(1) Der abgebende Partner überträgt ... die nachstehend" / "aufgeführten
            # Rufnummern ...:": a numbered paragraph wrapped onto the next row
            prev.list_like = u.list_like = False
            for unit in blocks[-1]:
                unit.list_like = False
            blocks[-1].append(u)
            u.block = len(blocks) - 1
            continue
        new = (
            prev is None
            or prev.page != u.page
            or prev.zone != u.zone
            or u.starts_item
            or u.list_like != prev.list_like
            or prev.line.text.rstrip().endswith(":")
            or u.gap_before > 0.9 * u.line.size
            # the salutation is a block of its own: the subject line above it and
            # the letter's first sentence below it are no one statement
            or bool(_SALUTATION.match(u.line.text) or _SALUTATION.match(prev.line.text))
        )
        if new:
            blocks.append([u])
        else:
            blocks[-1].append(u)
        u.block = len(blocks) - 1
    return blocks


def _prose_item(text: str) -> bool:
    """A list item that is a sentence running on (no number, no end yet)."""
    words = [w for w in _strip_digits(text).split() if _LETTERS.search(w)]
    return (
        len(words) >= 4
        and not numbers.find_numbers(text)
        and not text.rstrip().endswith((".", "!", "?", ":"))
    )


def _block_text(block: Sequence[Unit]) -> str:
    return " ".join(u.line.text for u in block)


def _intro(blocks: list[list[Unit]], index: int) -> str:
    """The sentence introducing the list/table that block ``index`` belongs to.

    Walks back over list items and notes that a list continues ("Fortsetzung der
    Liste:", "... auf der nächsten Seite fortgesetzt."), so items continued on the
    next page keep the intro of page 1.
    """
    page = blocks[index][0].page if index < len(blocks) else (blocks[-1][0].page if blocks else 1)
    for i in range(index - 1, -1, -1):
        block = blocks[i]
        if block[0].zone != "body":
            continue
        text = _block_text(block)
        if all(u.list_like for u in block) and not (
            text.rstrip().endswith(":") and _letters_without_numbers(text) > 10
        ):
            continue
        spans = split_sentences(text)
        last = text[spans[-1][0] : spans[-1][1]] if spans else text
        if len(spans) > 1 and len(last.split()) < 5:
            # a stray split ("... GmbH & Co. KG frei:"): take the sentence before too
            last = text[spans[-2][0] : spans[-1][1]]
        elif len(last.split()) < 5 and i > 0:
            # the end of a heading that began on the row above ("Folgende Rufnummern
            # werden | Nicht übergeben werden:" / "übergeben:"): read it whole, so a
            # keep-back beside it is not lost
            prev = blocks[i - 1]
            if (
                prev[0].page == block[0].page
                and prev[0].zone == "body"
                and not all(u.list_like for u in prev)
                and 0 <= block[0].gap_before <= 1.5 * block[0].line.size
            ):
                before = _block_text(prev)
                tail = split_sentences(before)
                last = (before[tail[-1][0] : tail[-1][1]] if tail else before) + " " + last
        if _CONTINUATION.search(fold(last)) and not classify_words(last):
            continue
        if _ANNEX_HEADING.match(text) and not classify_words(text):
            break  # the annex's own title: the letter's reference to it introduces it
        if _INTRO_HINT.search(last):
            return last
        announced = _announcing_tail(text, spans)
        if announced:
            return announced
        break
    return _annex_intro(blocks, index, page)


# "die Übergabe der folgenden Rufnummern": a sentence that announces the list below.
_ANNOUNCES = re.compile(r"\b(?:nach)?folgende[nr]?\b|\bnachstehend|\buntenstehend", re.IGNORECASE)


def _announcing_tail(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """For a paragraph whose list announcement is not its last sentence ("… bestätigen
    die Übergabe der folgenden Rufnummern an Sie. Die Rufnummern gehören zu …"): the
    text from the announcing sentence to the paragraph's end, so a later sentence that
    keeps back or doubts still governs the list."""
    for s, _e in reversed(spans[:-1]):
        if _ANNOUNCES.search(text[s:_e]):
            return text[s:]
    return ""


def _annex_intro(blocks: list[list[Unit]], index: int, page: int) -> str:
    """For a list on an annex page ("Anlage 1: Rufnummernliste"): the sentence of the
    letter that hands over what the annex lists ("die in Anlage 1 aufgeführten
    Rufnummern übergeben wir ..."). A reference that keeps back is returned only when
    no reference hands over; each row's own remark ("verbleibt") still wins."""
    heading = any(
        b[0].page == page and b[0].zone == "body" and _ANNEX_HEADING.match(_block_text(b))
        for b in blocks[:index]
    )
    if not heading:
        return ""
    keep_back = ""
    for b in blocks:
        if b[0].page >= page or b[0].zone != "body":
            continue
        text = _block_text(b)
        for s, e in split_sentences(text):
            sentence = text[s:e]
            if not _ANNEX_REF.search(sentence):
                continue
            words = fold(sentence)
            if has_handover_wording(words) and not has_keep_back_wording(words):
                return sentence
            if classify_words(sentence) and not keep_back:
                keep_back = sentence
    return keep_back


def _colon_intro(blocks: list[list[Unit]], index: int) -> str:
    """For prose: the sentence right before, when it ends with a colon ("... übergeben:")."""
    if index == 0:
        return ""
    prev = blocks[index - 1]
    text = _block_text(prev)
    if (
        prev[0].zone != "body"
        or prev[0].page != blocks[index][0].page
        or not text.rstrip().endswith(":")
    ):
        return ""
    spans = split_sentences(text)
    return text[spans[-1][0] : spans[-1][1]] if spans else text


def _intro_above(blocks: list[list[Unit]], page: int, top: float) -> str:
    """The introducing sentence for a table starting at ``top`` on ``page``."""
    index = 0
    for i, block in enumerate(blocks):
        u = block[0]
        if (u.page, u.line.top) < (page, top):
            index = i + 1
    return _intro(blocks, index)


def _sentences(text: str, matches: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of a block; a sentence never ends inside a number ("0351 41693-0
    ... -99 wurde gekündigt" is one sentence, not two)."""
    spans = split_sentences(text)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and any(a < s < b for a, b in matches):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _sentence_of(spans: Sequence[tuple[int, int]], pos: int, size: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return 0, size


_BOXES = re.compile("[\u2612\u2610]")


def _box_header(units: list[Unit], u: Unit) -> str:
    """For a row of check boxes set as a table without rules: the heading row above
    the box rows, when it has as many cells as the row ("Rufnummer | wird übergeben |
    verbleibt")."""
    cells = u.line.text.count(_ROW_SEP)
    i = units.index(u)
    for prev in reversed(units[max(0, i - 60) : i]):
        if prev.page != u.page:
            break
        text = prev.line.text
        if _BOXES.search(text):
            continue
        if text.count(_ROW_SEP) == cells and not re.search(r"\d", text):
            return text
        break
    return ""


def _unit_numbers(
    blocks: list[list[Unit]],
    *,
    region: str,
    sources: dict[int, Source],
    notes: dict[str, str],
    markers: list[tuple[int, Line]],
    used: set[str],
    applied: dict[int, set[str]],
) -> list[FoundNumber]:
    """Every number the blocks name with its role; ``used`` collects the footnotes
    numbers are marked for."""
    found: list[FoundNumber] = []
    units_before = [u for block in blocks for u in block]
    for b, block in enumerate(blocks):
        block_text = _block_text(block)
        intro: str | None = None
        # every number of the block first, with its offset in the block's text, so a
        # statement knows the other numbers it names (carve-outs, clauses)
        hits: list[tuple[Unit, numbers.NumberMatch, int]] = []
        offset = 0
        for u in block:
            hits.extend((u, m, offset) for m in numbers.find_numbers(u.line.text, region=region))
            offset += len(u.line.text) + 1
        spans = _sentences(block_text, [(base + m.start, base + m.end) for _u, m, base in hits])
        hits = _with_extension_mentions(block, block_text, hits, spans)
        for k, (u, m, base) in enumerate(hits):
            if u.list_like:
                sentence = u.line.text
                lo, hi = base, base + len(u.line.text)
            else:
                lo, hi = _sentence_of(spans, base + m.start, len(block_text))
                sentence = block_text[lo:hi]
            own = [(h.start, h.end) for hu, h, _b in hits if hu is u]
            pair = status_segment(u.line.text, own, m.start)
            if pair is not None:  # "0351 … Übergabe: ja 0351 … Übergabe: nein" on one line
                lo, hi = base + pair[0] - len(pair[3]), base + pair[1]
                sentence = pair[3] + block_text[base + pair[0] : hi]
            at = base + m.start - lo
            others = tuple(
                (ob + om.start - lo, ob + om.end - lo)
                for j, (_ou, om, ob) in enumerate(hits)
                if j != k and lo <= ob + om.start < hi
            )
            if intro is None:
                intro = _intro(blocks, b) if u.list_like else _colon_intro(blocks, b)
                # a legend ("durchgestrichene Rufnummern entfallen") the text layer has
                # applied number by number keeps back only the marked numbers
                intro = without_applied_legends(intro, applied.get(u.page, set()))
            header = _box_header(units_before, u) if _BOXES.search(u.line.text) else ""
            ctx = NumberContext(
                zone=u.zone,
                before=sentence[:at].replace("|", " "),
                sentence=sentence,
                intro=intro,
                table_header=header,
                at=at,
                end=at + len(m.text),
                others=others,
                note=_note_for(u, m, notes, markers),
            )
            if ctx.note and ctx.note != UNRESOLVED_NOTE:
                used.add(ctx.note)
            role, why = classify(ctx)
            if pair is not None and not pair[2]:
                role, why = Role.UNCLEAR, "status:pairing_uncertain"
            elif (
                role is Role.TRANSFER
                and not m.range.is_single
                and carve_out_unread(sentence, ctx.end or 0, ((ctx.at or 0, ctx.end or 0), *others))
            ):
                role, why = Role.UNCLEAR, "carve_out:unread"
            elif role is not Role.CONTACT and (
                person := person_contact(ctx.before, sentence[ctx.end :])
            ):
                role, why = Role.CONTACT, f"contact:{person}"
            found.append(
                FoundNumber(
                    range=m.range,
                    role=role,
                    page=u.page,
                    source=sources[u.page],
                    text=m.text,
                    bbox=u.line.bbox_of(m.start, m.end),
                    why=why,
                )
            )
    return found


def _with_extension_mentions(
    block: Sequence[Unit],
    text: str,
    hits: list[tuple[Unit, numbers.NumberMatch, int]],
    spans: Sequence[tuple[int, int]],
) -> list[tuple[Unit, numbers.NumberMatch, int]]:
    """The block's numbers plus the extensions its statements name apart from their
    block ("…-00 bis -99, außer den Durchwahlen" / "-10 bis -19"), in text order."""
    written = [(base + m.start, base + m.end, m.range) for _u, m, base in hits]
    extra = extension_mentions(text, written, spans)
    if not extra:
        return hits
    out = list(hits)
    base = 0
    bases = []
    for u in block:
        bases.append((base, u))
        base += len(u.line.text) + 1
    for m in extra:
        for lo, u in bases:
            if lo <= m.start and m.end <= lo + len(u.line.text):
                local = replace(m, start=m.start - lo, end=m.end - lo)
                out.append((u, local, lo))
                break
    return sorted(out, key=lambda h: h[2] + h[1].start)


def _notes(units: Sequence[Unit], markers: Sequence[tuple[int, Line]] = ()) -> dict[str, str]:
    """Footnotes by their mark ("*", "¹", "(1)"): the statement each one makes. A
    raised mark on a row of its own that starts a line of text is that line's mark."""
    out: dict[str, str] = {}
    for page, mark in markers:
        for u in units:
            line = u.line
            if (
                u.page == page
                and u.zone != "header"
                and 0 <= line.x0 - mark.x1 < 20
                and mark.top - 2 <= line.top <= mark.bottom + 2
            ):
                out.setdefault(mark.text.strip(), line.text)
                break
    for u in units:
        if u.zone == "header":
            continue  # footnotes sit low on the page, often in the footer band
        m = _NOTE_LINE.match(u.line.text)
        if m and not numbers.find_numbers(m.group("mark")):
            out.setdefault(m.group("mark"), m.group("text"))
        words = u.line.words
        if (
            len(words) > 1
            and _DIGIT_MARK.fullmatch(words[0].text)
            and words[0].size <= _RAISED_FRACTION * words[1].size
        ):
            # "¹ Diese Rufnummer …" with the mark typeset as a small digit
            out.setdefault(words[0].text, u.line.text[u.line.spans[1][0] :])
    return out


UNRESOLVED_NOTE = "\x00"


def _note_for(
    u: Unit, m: numbers.NumberMatch, notes: dict[str, str], markers: list[tuple[int, Line]]
) -> str:
    """The footnote a number is marked for: a mark right after it in the text, or a
    raised mark on a row of its own next to its right edge. A mark whose note cannot
    be found leaves the number unclear."""
    mark = _MARK_AFTER.match(u.line.text, m.end)
    if mark is None:
        box = u.line.bbox_of(m.start, m.end)
        for page, line in markers:
            if (
                page == u.page
                and abs(line.x0 - box[2]) < 4
                and box[1] - line.size <= line.top <= box[3]
            ):
                key = line.text.strip()
                return notes.get(key, UNRESOLVED_NOTE)
        return ""
    return notes.get(mark.group("mark"), UNRESOLVED_NOTE)


def _column_text(texts: list[str]) -> list[str]:
    """For each row's text of one column: the sentences of that column it belongs to."""
    joined = " ".join(texts)
    out, pos = [], 0
    spans = split_sentences(joined)
    for text in texts:
        lo, hi = pos, pos + len(text)
        out.append(" ".join(joined[s:e] for s, e in spans if s < hi and lo < e))
        pos = hi + 1
    return out


def _beside_keep_back(pages: Sequence[PageLayout], found: list[FoundNumber]) -> list[FoundNumber]:
    """A safety net for column splits: a number handed over in one column whose row
    carries keep-back wording in the other column is left unclear, unless that
    wording belongs to a sentence of the other column that names its own number (a
    table read as columns must not lose a remark such as "verbleibt")."""
    # page -> [(gutter x, top, bottom, {side: (row text, its column sentence)})]
    rows: dict[int, list[tuple[float, float, float, dict[str, tuple[str, str]]]]] = {}
    for page in pages:
        for x, first, last in _gutters(page):
            region = range(first, last + 1)
            texts = {
                "L": [" ".join(seg.text for seg in page.rows[r] if seg.x0 < x) for r in region],
                "R": [" ".join(seg.text for seg in page.rows[r] if seg.x0 >= x) for r in region],
            }
            context = {side: iter(_column_text([t for t in ts if t])) for side, ts in texts.items()}
            spans = []
            for i, r in enumerate(region):
                sides = {side: (ts[i], next(context[side])) for side, ts in texts.items() if ts[i]}
                if len(sides) == 2:
                    spans.append((x, page.row_top(r), page.row_bottom(r), sides))
            rows.setdefault(page.number, []).extend(spans)
    if not rows:
        return found
    out: list[FoundNumber] = []
    for n in found:
        if n.role is Role.TRANSFER and n.bbox is not None and n.page in rows:
            mid = (n.bbox[1] + n.bbox[3]) / 2
            for x, top, bottom, sides in rows[n.page]:
                text, sentence = sides["L" if n.bbox[0] >= x else "R"]
                if (
                    top <= mid <= bottom
                    and has_keep_back_wording(text)
                    and not numbers.find_numbers(sentence)
                ):
                    n = replace(n, role=Role.UNCLEAR, why="column:beside_keep_back")
                    break
        out.append(n)
    return out


def _second_opinion(table: Table, found: list[FoundNumber]) -> list[FoundNumber]:
    """Keep-back wins in tables too: a row handed over by its columns is checked
    against the row's own words (and its check boxes under their headings); where
    those keep back, or boxes cannot be read, the number is not handed over."""
    header = _cells_text(table, 0) if table.rows else ""
    out: list[FoundNumber] = []
    for n in found:
        if n.role is Role.TRANSFER and n.bbox is not None:
            row = _row_of(table, n.bbox)
            if row is not None:
                text = _cells_text(table, row)
                boxed = bool(_BOXES.search(text))
                role, why = classify(
                    NumberContext(sentence=text, table_header=header if boxed else "")
                )
                if role is Role.EXCLUDED:
                    n = replace(n, role=role, why=f"row:{why}")
        out.append(n)
    return out


def _cells_text(table: Table, r: int) -> str:
    """A table row's cells joined with " | ", empty cells kept (columns line up). A
    cell of boxes only (a form field drawn twice: "☒ ☐") counts as ticked when any box
    in it is: enough to hear a keep-back, never used to hand over."""
    cells = []
    answers = inverted_answers(table) if r else frozenset()
    for i, c in enumerate(table.rows[r]):
        text = c.text.strip() if c is not None else ""
        if i in answers and answered_no(text):
            text = ""  # "nein" under "Verbleibt bei uns?" was read by its column
        if text and not _BOXES.sub("", text).strip() and len(text.split()) > 1:
            text = "\u2612" if "\u2612" in text else "\u2610"
        cells.append(text)
    return _ROW_SEP.join(cells)


def _row_of(table: Table, bbox: tuple[float, float, float, float]) -> int | None:
    mid = (bbox[1] + bbox[3]) / 2
    for r, row in enumerate(table.rows):
        cells = [c for c in row if c is not None]
        if (
            r
            and cells
            and min(c.bbox[1] for c in cells) - 1 <= mid <= max(c.bbox[3] for c in cells) + 1
        ):
            return r
    return None


_NUMBER_WORD = re.compile(r"(ruf)?nummer|anschl[uü]ss|durchwahl", re.IGNORECASE)


def _orphan_note(
    blocks: Sequence[Sequence[Unit]],
    used_notes: set[str],
    handled: set[tuple[int, int, int]],
    found: list[FoundNumber],
) -> list[FoundNumber]:
    """A keep-back statement below the closing that names no number ("Nicht Gegenstand
    dieser Freigabe.", its footnote mark lost to OCR; a footnote no number is marked
    for; a P.S. whose reference back finds no number) keeps back a number the reader
    cannot locate: no number of the letter is handed over. A P.S. that names its
    number, a note some number is marked for, and a reference that was resolved (or
    left its list unclear) are read as statements of their own."""
    orphan = any(
        _is_orphan(b, block, k, used_notes, handled)
        for b, block in enumerate(blocks)
        if block[0].zone in ("signature", "postscript")
        for k in range(len(block))
    )
    if not orphan:
        return found
    return [
        replace(n, role=Role.UNCLEAR, why=f"{n.why};note:orphan_keep_back")
        if n.role is Role.TRANSFER
        else n
        for n in found
    ]


def _is_orphan(
    b: int,
    block: Sequence[Unit],
    k: int,
    used_notes: set[str],
    handled: set[tuple[int, int, int]],
) -> bool:
    u = block[k]
    if numbers.find_numbers(u.line.text):
        return False
    text = _block_text(block)
    lo = sum(len(v.line.text) + 1 for v in block[:k])
    hi = lo + len(u.line.text)
    spans = [(s, e) for s, e in statement_spans(text) if s < hi and lo < e]
    if u.zone == "postscript":
        # the statement this line belongs to: a P.S. wrapped over several lines
        statement = " ".join(text[s:e] for s, e in spans)
        if numbers.find_numbers(statement) or any((b, s, e) in handled for s, e in spans):
            return False
    else:
        statement = u.line.text  # the signature block is no prose: its line alone
    if any(note and note in statement for note in used_notes):
        return False  # a footnote some number is marked for
    return (
        len(_LETTERS.findall(statement)) >= 12
        and has_keep_back_wording(statement)
        # about the handover or a number, not a mail disclaimer's "wenn Sie nicht ..."
        and (has_handover_wording(statement) or bool(_NUMBER_WORD.search(statement)))
    )


def _carve(found: list[FoundNumber]) -> list[FoundNumber]:
    """Take kept-back members out of handed-over blocks ("-00 bis -99 mit Ausnahme der
    -50"), so a transfer never covers a number the letter keeps back elsewhere."""
    kept = [n.range for n in found if n.role is Role.EXCLUDED]
    if not kept:
        return found
    out: list[FoundNumber] = []
    for n in found:
        if n.role is not Role.TRANSFER or not any(n.range.overlaps(k) for k in kept):
            out.append(n)
            continue
        parts = [n.range]
        for k in kept:
            parts = [piece for part in parts for piece in part.minus(k)]
        out.extend(replace(n, range=part, why=f"{n.why};carved") for part in parts)
    return out


def find_numbers_on_pages(
    pages: Sequence[PageLayout], *, region: str = "DE"
) -> tuple[list[FoundNumber], bool]:
    """Every number the pages name with its role, and whether the letter speaks of
    "alle Rufnummern (des Kunden)". The clause itself names nothing: only numbers
    written out can get the role transfer.
    """
    units, markers = _units(pages)
    blocks = _assign_blocks(units)
    sources = {p.number: p.source for p in pages}
    notes = _notes(units, markers)
    used_notes: set[str] = set()
    applied = {p.number: page_applied_marks(p) for p in pages}
    found = _unit_numbers(
        blocks,
        region=region,
        sources=sources,
        notes=notes,
        markers=markers,
        used=used_notes,
        applied=applied,
    )
    for page in pages:
        for table in page.tables:
            intro = _intro_above(blocks, page.number, table.bbox[1])
            intro = without_applied_legends(intro, applied[page.number])
            found.extend(
                _second_opinion(table, table_numbers(page, table, intro=intro, region=region))
            )
    handled: set[tuple[int, int, int]] = set()
    found = apply_references(
        blocks, apply_stems(blocks, found, region=region), region=region, handled=handled
    )
    found = apply_sections(blocks, found, region=region)
    found = _beside_keep_back(pages, found)
    found = _orphan_note(blocks, used_notes, handled, found)
    found = _carve(found)
    # reading order: page, then top to bottom, left to right
    found.sort(key=lambda n: (n.page, n.bbox[1] if n.bbox else 0.0, n.bbox[0] if n.bbox else 0.0))
    body = " ".join(_block_text(b) for b in blocks if b[0].zone in ("body", "postscript"))
    return found, has_blanket_clause(body)
