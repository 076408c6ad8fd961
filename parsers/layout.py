"""Page geometry: words with positions grouped into rows, segments and tables.

Both the text layer (pdfplumber) and OCR produce the same ``PageLayout`` so that the
number finder, the role rules and the signature check work on one representation.
Coordinates are PDF points from the page's top-left corner (pdfplumber's space).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from parsers.model import BBox, Source

__all__ = [
    "Cell",
    "Line",
    "PageLayout",
    "Table",
    "Word",
    "build_rows",
    "header_limit",
    "rows_from_segments",
    "union",
    "zone_of",
]

# Zones (as fractions of the page height). DIN 5008 letters keep the letterhead in
# the top ~45 mm (of 297) and the footer in the bottom ~25 mm; a little slack is added.
HEADER_FRACTION = 0.14
LATER_HEADER_FRACTION = 0.075  # pages after the first repeat a slim header at most
TOP_RULE_FRACTION = 0.12  # a rule above this line closes a later page's header
FOOTER_FRACTION = 0.87
# A gap wider than this many font sizes splits a row into separate segments (columns,
# unruled table cells, a letterhead's left and right blocks).
SEGMENT_GAP_EM = 2.2
MIN_SEGMENT_GAP = 14.0

_REFERENCE = re.compile(
    r"\b(ihr(e)?\s+zeichen|unser(e)?\s+zeichen|ihre\s+nachricht\s+vom|kunden-?\s?nr|kundennummer"
    r"|vertrags-?\s?nr|vertragsnummer|aktenzeichen|auftragsnummer|auftrags-?\s?nr|rechnungsnummer"
    r"|ticket-?\s?nr|vorgangsnummer|referenz)",
    re.IGNORECASE,
)


def union(boxes: Iterable[BBox]) -> BBox:
    """The smallest box holding every box given (at least one)."""
    bs = list(boxes)
    return (
        min(b[0] for b in bs),
        min(b[1] for b in bs),
        max(b[2] for b in bs),
        max(b[3] for b in bs),
    )


@dataclass(frozen=True)
class Word:
    """One word with its box; ``size`` is the font size (box height for OCR)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 10.0

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass(frozen=True)
class Line:
    """A run of words read left to right; ``text`` joins them with single spaces.

    ``spans[i]`` is the (start, end) offset of ``words[i]`` inside ``text``, so a match
    found in the text can be mapped back to the boxes of the words it covers.
    """

    words: tuple[Word, ...]
    text: str
    spans: tuple[tuple[int, int], ...]
    row: int = 0  # index of the visual row on its page

    @classmethod
    def of(cls, words: Sequence[Word], *, row: int = 0) -> Line:
        parts: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for w in words:
            if parts:
                pos += 1
            spans.append((pos, pos + len(w.text)))
            parts.append(w.text)
            pos += len(w.text)
        return cls(tuple(words), " ".join(parts), tuple(spans), row)

    def joined(self, other: Line) -> Line:
        """This line followed by ``other`` (a wrapped continuation)."""
        return Line.of([*self.words, *other.words], row=self.row)

    @property
    def bbox(self) -> BBox:
        return union(w.bbox for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)

    def bbox_of(self, start: int, end: int) -> BBox:
        """The union of the boxes of the words that the text offsets [start, end) touch."""
        hit = [
            w.bbox
            for w, (s, e) in zip(self.words, self.spans, strict=True)
            if s < end and start < e
        ]
        return union(hit) if hit else self.bbox


@dataclass(frozen=True)
class Cell:
    """One table cell: its text and box (row/col are 0-based)."""

    row: int
    col: int
    text: str
    bbox: BBox


@dataclass(frozen=True)
class Table:
    """A table read as cells; ``rows[r][c]`` is None for a merged/missing cell."""

    rows: tuple[tuple[Cell | None, ...], ...]
    bbox: BBox
    kind: str = "grid"  # "grid" (ruled or aligned columns) or "checklist" (box | number)
    # the statement that governs the rows from elsewhere (a footnote table: the sentence
    # carrying the footnote's mark)
    caption: str = ""

    def row_text(self, r: int) -> str:
        return " | ".join(c.text for c in self.rows[r] if c is not None and c.text)


@dataclass
class PageLayout:
    """Everything the reader keeps of one page."""

    number: int  # 1-based
    width: float
    height: float
    source: Source
    rows: list[list[Line]] = field(default_factory=list)  # visual rows, each split in segments
    tables: list[Table] = field(default_factory=list)
    strokes: list[BBox] = field(default_factory=list)  # curves and slanted lines (ink)
    rules: list[BBox] = field(default_factory=list)  # horizontal lines (signature lines)
    images: list[BBox] = field(default_factory=list)
    char_count: int = 0

    def row_text(self, r: int) -> str:
        return " | ".join(seg.text for seg in self.rows[r])

    def row_top(self, r: int) -> float:
        return min(seg.top for seg in self.rows[r])

    def row_bottom(self, r: int) -> float:
        return max(seg.bottom for seg in self.rows[r])


def header_limit(page: PageLayout) -> float:
    """Where the page's letterhead ends (points from the top).

    A rule drawn across the top of the page closes the letterhead; without one, the
    first page keeps the DIN 5008 letterhead height and later pages (which repeat a
    slim header at most) a smaller one, ending early at an intro line (text ending in
    ":") set inside it.
    """
    near_top = [r[3] for r in page.rules if r[3] <= page.height * TOP_RULE_FRACTION]
    if near_top and page.number > 1:
        return max(near_top) + 1
    if page.number == 1:
        return page.height * HEADER_FRACTION
    limit = page.height * LATER_HEADER_FRACTION
    for row in page.rows:
        top = min(seg.top for seg in row)
        if top >= limit:
            break
        text = " ".join(seg.text for seg in row).strip()
        if text.endswith(":") and len(text.split()) >= 3:
            # a later page set high ("Seite 2 – Fortsetzung der Liste:"): an intro
            # line is the letter's text, and so is what it introduces
            return top
    return limit


def zone_of(page: PageLayout, top: float, bottom: float, text: str = "") -> str:
    """Which part of the letter a box lies in: header, footer, reference or body."""
    if bottom <= header_limit(page):
        return "header"
    if top >= page.height * FOOTER_FRACTION:
        return "footer"
    # reference lines (Ihr Zeichen, Kundennummer ...) sit in the upper part of page 1;
    # the same words further down are part of a sentence
    if text and page.number == 1 and top < page.height * 0.45 and _REFERENCE.search(text):
        return "reference"
    return "body"


def _split_segments(words_in_row: list[Word], idx: int) -> list[Line]:
    words_in_row.sort(key=lambda w: w.x0)
    segments: list[list[Word]] = [[words_in_row[0]]]
    for prev, cur in itertools.pairwise(words_in_row):
        gap = cur.x0 - prev.x1
        if gap > max(MIN_SEGMENT_GAP, SEGMENT_GAP_EM * max(prev.size, cur.size)):
            segments.append([cur])
        else:
            segments[-1].append(cur)
    return [Line.of(seg, row=idx) for seg in segments]


def rows_from_segments(segments: Sequence[Sequence[Word]]) -> list[list[Line]]:
    """Rows from OCR text lines: each line's words stay together, whatever its tilt.

    Lines are grouped into one row when their centres lie within half a line height,
    so a slightly rotated scan does not merge neighbouring rows the way grouping by
    word boxes would.
    """
    items = []
    for seg in segments:
        if not seg:
            continue
        cy = statistics.fmean((w.top + w.bottom) / 2 for w in seg)
        h = statistics.median(w.bottom - w.top for w in seg)
        items.append((cy, h, list(seg)))
    items.sort(key=lambda it: it[0])
    rows: list[tuple[float, float, list[Word]]] = []
    for cy, h, seg in items:
        if rows and abs(cy - rows[-1][0]) < 0.5 * min(h, rows[-1][1]):
            rcy, rh, words = rows[-1]
            words.extend(seg)
            rows[-1] = (rcy, rh, words)
        else:
            rows.append((cy, h, seg))
    return [_split_segments(words, idx) for idx, (_, _, words) in enumerate(rows)]


def build_rows(words: Sequence[Word]) -> list[list[Line]]:
    """Group words into visual rows (by vertical overlap), each split at wide gaps."""
    ordered = sorted(words, key=lambda w: (round((w.top + w.bottom) / 2, 1), w.x0))
    rows: list[list[Word]] = []
    spans: list[tuple[float, float]] = []
    for w in sorted(ordered, key=lambda w: w.top):
        mid = (w.top + w.bottom) / 2
        for i in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            top, bottom = spans[i]
            if top <= mid <= bottom:
                rows[i].append(w)
                spans[i] = (min(top, w.top), max(bottom, w.bottom))
                break
        else:
            rows.append([w])
            spans.append((w.top, w.bottom))
    ordered_rows = sorted(rows, key=lambda r: min(w.top for w in r))
    return [_split_segments(words_in_row, idx) for idx, words_in_row in enumerate(ordered_rows)]
