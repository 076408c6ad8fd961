"""Visual marks on numbers that the words alone do not carry: strike-through and colour.

A number struck through (a thin line or filled bar drawn across the middle of its
characters, as CSS ``line-through`` or a pen tool prints it) is taken back from the
letter. A number printed in a colour that the letter's legend keeps back ("rot
dargestellte Rufnummern verbleiben bei uns") is kept back. The text layer writes both
as a marker word right after the number, "[durchgestrichen:entfällt]" or
"[rot:verbleibt]", so the statement rules read them as the keep-back wording they
already know, the way check boxes become ☒/☐. Colour means nothing without a legend.
Only words holding digits are marked: a struck word ("nicht") is never dropped or
turned round.
"""

from __future__ import annotations

import bisect
import colorsys
import re
from collections.abc import Iterable, Sequence
from typing import Any

from parsers.layout import PageLayout, Word
from parsers.model import BBox
from parsers.roles import fold, has_keep_back_wording

__all__ = [
    "STRUCK",
    "applied_marks",
    "colour_marked",
    "page_applied_marks",
    "strike_strokes",
    "struck_marked",
    "without_applied_legends",
]

STRUCK = "[durchgestrichen:entfällt]"

_DIGIT = re.compile(r"\d")
# a strike crosses the middle of the glyph box (an underline sits near its bottom)
_STRIKE_BAND = (0.3, 0.72)
_STRIKE_MAX_THICK = 2.5  # points: a bar thicker than this is a highlight or a rule box
_STRIKE_COVER = 0.6  # share of a word's width the line must cover


def _thin_horizontal(obj: dict[str, Any]) -> BBox | None:
    top, bottom = float(obj["top"]), float(obj["bottom"])
    x0, x1 = float(obj["x0"]), float(obj["x1"])
    if bottom - top <= _STRIKE_MAX_THICK and x1 - x0 >= 3:
        return (x0, top, x1, bottom)
    return None


def strike_strokes(
    words: Sequence[Word], rects: Iterable[dict[str, Any]], lines: Iterable[dict[str, Any]]
) -> tuple[list[Word], set[int], set[int]]:
    """The words struck through by a thin horizontal line or bar, and the indexes of
    the rects and lines doing it (they are strikes, not rules or ink)."""
    if not words:
        return [], set(), set()
    by_top = sorted(words, key=lambda w: w.top)
    tops = [w.top for w in by_top]
    tallest = max(w.bottom - w.top for w in words)
    struck: dict[int, Word] = {}
    used: tuple[set[int], set[int]] = (set(), set())
    for kind, objs in enumerate((rects, lines)):
        for i, obj in enumerate(objs):
            bar = _thin_horizontal(obj)
            if bar is None:
                continue
            mid = (bar[1] + bar[3]) / 2
            lo = bisect.bisect_left(tops, mid - tallest)
            hi = bisect.bisect_right(tops, mid)
            for w in by_top[lo:hi]:
                h = w.bottom - w.top
                if h <= 0 or not (
                    w.top + _STRIKE_BAND[0] * h <= mid <= w.top + _STRIKE_BAND[1] * h
                ):
                    continue
                cover = min(bar[2], w.x1) - max(bar[0], w.x0)
                if cover >= _STRIKE_COVER * (w.x1 - w.x0):
                    struck[id(w)] = w
                    used[kind].add(i)
    return list(struck.values()), used[0], used[1]


def _number_ends(words: Sequence[Word], marked: Sequence[Word]) -> list[Word]:
    """For each marked word holding digits, the last word of the number it belongs to
    (the run of digit words on its line, a small gap apart)."""
    ends: dict[int, Word] = {}
    for w in marked:
        if not _DIGIT.search(w.text):
            continue
        end = w
        while True:
            nxt = min(
                (
                    o
                    for o in words
                    if o.x0 >= end.x1 - 0.5
                    and o.x0 - end.x1 <= 0.6 * end.size
                    and abs((o.top + o.bottom) / 2 - (end.top + end.bottom) / 2) < 0.4 * end.size
                    and o is not end
                    and re.fullmatch(r"[\d()+/\-–.]+", o.text)
                ),
                key=lambda o: o.x0,
                default=None,
            )
            if nxt is None:
                break
            end = nxt
        ends[id(end)] = end
    return list(ends.values())


def _with_marker(words: list[Word], ends: Sequence[Word], marker: str) -> list[Word]:
    for end in ends:
        x = end.x1 + 0.01
        words.append(Word(marker, x, end.top, x + 0.01, end.bottom, end.size))
    return words


def struck_marked(words: list[Word], struck: Sequence[Word]) -> list[Word]:
    """The words with the marker after every struck number."""
    return _with_marker(words, _number_ends(words, struck), STRUCK)


# --- colour -------------------------------------------------------------------------

# Colour words as a legend names them, with the hue range (degrees) they cover;
# "farbig" is any colour that is not black, grey or white.
_COLOURS: dict[str, tuple[float, float] | None] = {
    "rot": (-25.0, 20.0),
    "orange": (15.0, 45.0),
    "gelb": (45.0, 70.0),
    "grun": (70.0, 170.0),
    "blau": (170.0, 265.0),
    "violett": (260.0, 335.0),
    "lila": (260.0, 335.0),
    "pink": (290.0, 350.0),
    "magenta": (290.0, 340.0),
    "farbig": None,
    "farblich": None,
}
_LEGEND = re.compile(
    r"\b(?:in\s+)?(?P<colour>rot|orange|gelb|grun|blau|violett|lila|pink|magenta|farbig|farblich)"
    r"(?:e[nmrs]?)?\s+(?:\w+\s+){0,3}?"
    r"(?:markiert|dargestellt|gedruckt|hervorgehoben|gekennzeichnet|geschrieben|gesetzt|"
    r"schrift|farbe|unterlegt|hinterlegt)\w*",
    re.IGNORECASE,
)
_COLOUR_WORD = re.compile(
    r"\b(?:rot|orange|gelb|gr[üu]n|blau|violett|lila|pink|magenta|farb)", re.IGNORECASE
)
_CLAUSE = re.compile(r"[;.!?]\s+|:\s|\s[–—-]\s")


def legend_colours(text: str) -> set[str]:
    """Colour words that the text's legend ties to keeping numbers back ("rot
    dargestellte Rufnummern verbleiben bei uns"): the keep-back must stand in the
    legend's own clause."""
    found: set[str] = set()
    if not _COLOUR_WORD.search(text):
        return found  # the common case: no colour named at all
    folded = fold(text)
    for clause in _CLAUSE.split(folded):
        for m in _LEGEND.finditer(clause):
            if has_keep_back_wording(clause):
                found.add(m.group("colour").lower())
    return found


def _rgb(colour: Any) -> tuple[float, float, float] | None:
    if not isinstance(colour, (tuple, list)) or not all(
        isinstance(v, (int, float)) for v in colour
    ):
        return None
    v = [float(x) for x in colour]
    if len(v) == 1:
        return (v[0], v[0], v[0])
    if len(v) == 3:
        return (v[0], v[1], v[2])
    if len(v) == 4:
        c, m, y, k = v
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def colour_matches(colour: Any, name: str) -> bool:
    """Whether a PDF fill colour is the colour a legend names."""
    rgb = _rgb(colour)
    if rgb is None:
        return False
    hue, light, _sat = colorsys.rgb_to_hls(*rgb)
    chroma = max(rgb) - min(rgb)
    if chroma < 0.25 or light > 0.92:
        return False  # black, grey, white: the text colour, not a marking
    span = _COLOURS.get(name)
    if span is None:
        return True
    deg = hue * 360.0
    lo, hi = span
    return lo <= deg <= hi or lo <= deg - 360.0 <= hi


def colour_marked(
    words: list[Word], chars: Sequence[dict[str, Any]], rects: Sequence[dict[str, Any]] = ()
) -> list[Word]:
    """The words with a keep-back marker after every number printed in a colour the
    page's legend keeps back, or set on a highlight of that colour (a filled box about
    a line high behind it); the words unchanged when the page has no such legend."""
    names = legend_colours(" ".join(w.text for w in words))
    if not names:
        return words
    marked: list[tuple[Word, str]] = []
    digit_chars = [c for c in chars if _DIGIT.fullmatch(str(c.get("text", "")))]
    fills = [r for r in rects if r.get("fill")]
    for w in words:
        if not _DIGIT.search(w.text):
            continue
        inside = [
            c.get("non_stroking_color")
            for c in digit_chars
            if w.x0 - 0.5 <= (float(c["x0"]) + float(c["x1"])) / 2 <= w.x1 + 0.5
            and w.top - 1 <= (float(c["top"]) + float(c["bottom"])) / 2 <= w.bottom + 1
        ]
        behind = [r.get("non_stroking_color") for r in fills if _highlights(r, w)]
        for name in sorted(names):
            printed = inside and sum(colour_matches(c, name) for c in inside) * 2 > len(inside)
            if printed or any(colour_matches(c, name) for c in behind):
                marked.append((w, name))
                break
    for name in sorted(names):
        group = [w for w, n in marked if n == name]
        _with_marker(words, _number_ends(words, group), f"[{name}:verbleibt]")
    return words


def _highlights(rect: dict[str, Any], w: Word) -> bool:
    """A filled box about a line high behind the word's centre."""
    x0, top, x1, bottom = (float(rect[k]) for k in ("x0", "top", "x1", "bottom"))
    cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom and bottom - top <= 3 * (w.bottom - w.top)


# --- legends the marks have answered ----------------------------------------------------

_MARKER = re.compile(r"\[(?P<kind>durchgestrichen|[a-z]+):(?:entfällt|verbleibt)\]")
_STRIKE_LEGEND = re.compile(r"\b(?:durch)?gestrichen\w*", re.IGNORECASE)


def applied_marks(text: str) -> set[str]:
    """The kinds of mark ("durchgestrichen", "rot" ...) the text layer wrote after
    numbers in the text: the legends of those kinds have been applied number by number."""
    return {m.group("kind") for m in _MARKER.finditer(text)}


def page_applied_marks(page: PageLayout) -> set[str]:
    """``applied_marks`` of a page's rows and table cells."""
    texts = [page.row_text(r) for r in range(len(page.rows))]
    texts += [t.row_text(r) for t in page.tables for r in range(len(t.rows))]
    return applied_marks(" ".join(texts))


def without_applied_legends(intro: str, applied: set[str]) -> str:
    """The intro of a list without the clauses that are legends of marks the text layer
    has applied ("wir übergeben die nachstehenden Rufnummern; durchgestrichene
    Rufnummern entfallen:" → "wir übergeben die nachstehenden Rufnummern;").

    Each marked number carries its keep-back itself, so the legend must not keep back
    the unmarked ones too. A legend of a kind not applied (no struck number found, a
    scan) stays and keeps the whole list back.
    """
    if not applied or not intro:
        return intro
    parts = _CLAUSE_KEEP.split(intro)
    out: list[str] = []
    for i in range(0, len(parts), 2):
        clause = parts[i]
        sep = parts[i + 1] if i + 1 < len(parts) else ""
        if not _is_applied_legend(clause, applied):
            out.append(clause + sep)
    return "".join(out).strip()


# clause ends, and brackets: a legend is often set in brackets inside the intro
_CLAUSE_KEEP = re.compile(r"(;\s*|:\s+|\s[–—-]\s|\s*\(|\)\s*)")


def _is_applied_legend(clause: str, applied: set[str]) -> bool:
    if not has_keep_back_wording(clause):
        return False
    if "durchgestrichen" in applied and _STRIKE_LEGEND.search(clause):
        return True
    return bool(legend_colours(clause) & applied)
