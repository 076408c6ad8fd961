"""Extensions a statement names apart from their block.

A letter that hands over a block often names part of it by its extensions only, in the
same statement: "0761 49389-00 bis -99, außer den Durchwahlen" / "-10 bis -19" (wrapped
onto the next row, so the row's own search cannot see the block) or "mit Ausnahme der
Durchwahlen 10 bis 19" (no hyphen, so the digits are no number on their own). Such a
mention becomes a number of its own, the members of that block it names, so the
statement's polarity decides its role like any other number's and a kept-back part
is cut out of the block. Only extensions that lie inside the block before them in the
same sentence are read; anything else is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers._blocks import NumberMatch
from parsers._notation import masked_spans
from parsers.model import NumberRange

__all__ = ["carve_out_unread", "extension_mentions"]

_RANGE = r"(?P<lo>\d{1,4})(?:\s*(?:bis(?:\s+einschließlich)?|[-–—])\s*-?\s*(?P<hi>\d{1,4}))?"
# "Durchwahl(en) 10 bis 19", "Nebenstellen -10 – -19", "DW 50"
_WORDED = re.compile(
    rf"\b(?:durchwahl\w*|nebenstelle\w*|dw)\s*:?\s*-?\s*{_RANGE}(?![\d.,]\d)", re.IGNORECASE
)
# "-10 bis -19", "-50": hyphenated extensions (the hyphen marks them as extensions)
_HYPHENATED = re.compile(
    r"(?<![\w\-–])[-–]\s?(?P<lo>\d{1,4})(?:\s*(?:bis|[-–—])\s*[-–]\s?(?P<hi>\d{1,4}))?(?![\d.,]?\d)",
    re.IGNORECASE,
)


def _inside(block: NumberRange, lo: str, hi: str) -> NumberRange | None:
    """The members ``lo``..``hi`` of ``block`` (width of the upper end), if inside it."""
    width = len(hi)
    if len(lo) > width or int(lo) > int(hi):
        return None
    base = block.first[: len(block.first) - width]
    if block.last[: len(block.last) - width] != base:
        return None
    part = NumberRange(f"{base}{int(lo):0{width}d}", f"{base}{int(hi):0{width}d}")
    if part.lo < block.lo or part.hi > block.hi or (part.lo, part.hi) == (block.lo, block.hi):
        return None
    return part


def extension_mentions(
    text: str,
    found: Sequence[tuple[int, int, NumberRange]],
    sentences: Sequence[tuple[int, int]],
) -> list[NumberMatch]:
    """Extension mentions in ``text`` (a block's text) that no number in ``found``
    ((start, end, range) in ``text``) covers, each read as members of the nearest block
    written before it in the same sentence."""
    out: list[NumberMatch] = []
    taken = [(s, e) for s, e, _r in found]
    for regex in (_WORDED, _HYPHENATED):
        for m in regex.finditer(text):
            lo, hi = m.group("lo"), m.group("hi") or m.group("lo")
            start, end = m.start("lo"), m.end()
            if any(s < end and start < e for s, e in taken):
                continue
            sentence = next(((s, e) for s, e in sentences if s <= start < e), None)
            if sentence is None:
                continue
            before = [f for f in found if sentence[0] <= f[0] and f[1] <= start]
            if not before:
                continue
            base = max(before, key=lambda f: f[0])[2]
            if base.is_single:
                continue
            part = _inside(base, lo, hi)
            if part is None:
                continue
            if regex is _HYPHENATED:
                start = m.start()
            kind = "extension" if part.is_single else "block"
            out.append(NumberMatch(part, start, end, text[start:end], kind))
            taken.append((start, end))
    return sorted(out, key=lambda n: n.start)


_CARVE_WORD = re.compile(
    r"(mit\s+ausnahme|ausgenommen|\bau(?:ß|ss)er\b|abgesehen\s+von|exklusive|\bexkl\b|\bohne\b)",
    re.IGNORECASE,
)
# Where the carve-out's clause ends: ";", a full stop, a relative clause.
_CLAUSE_END = re.compile(r";|\.\s|\.$|,\s+(?=(?:die|der|das|welche\w*|diese\w*|sie|wir)\b)")


def carve_out_unread(sentence: str, end: int, covered: Sequence[tuple[int, int]]) -> bool:
    """Whether a carve-out after a handed-over block (which ends at ``end`` in
    ``sentence``) holds digits no number read covers ("außer den Durchwahlen -29 bi" /
    "s -31", "außer null bis neun"): what it takes out of the block is not certain."""
    covered = [*covered, *masked_spans(sentence)]  # dates are no extensions
    for m in _CARVE_WORD.finditer(sentence, end):
        stop = _CLAUSE_END.search(sentence, m.end())
        span = sentence[m.end() : stop.start() if stop else len(sentence)]
        base = m.end()
        for d in re.finditer(r"\d", span):
            pos = base + d.start()
            if not any(s <= pos < e for s, e in covered):
                return True
        if not re.search(r"\d", span) and _NUMBER_WORDS.search(span):
            return True
        if _SPLIT_RANGE.search(_masked(sentence, covered)[m.end() : m.end() + len(span)]):
            return True  # "-29 bi" / "s -31": a range's ends read as two numbers
    return False


_NUMBER_WORDS = re.compile(
    r"\b(?:durchwahl\w*|nebenstelle\w*|null|eins|zwei|drei|vier|fünf|funf|sechs|sieben|acht|"
    r"neun|zehn|\w+zig)\b",
    re.IGNORECASE,
)


# two numbers read apart with a range word or dash between them ("# bis #", "# bi s #")
_SPLIT_RANGE = re.compile(r"#\s*(?:b\s*i\s*s?|[-–—])\s*(?:s\s*)?#", re.IGNORECASE)


def _masked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with every span collapsed to "#" padded to its length (offsets kept)."""
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = "#" if i == s else " "
    return "".join(chars)
