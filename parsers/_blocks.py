"""The block and enumeration grammar on top of single numbers (see ``parsers.numbers``).

``scan`` walks a text: at each place a number may start it tries a table row, then one
number as written (``parsers._notation``), then what that number forms with the text
after it: a block (``bis``, dash, "Durchwahlen"), further extensions of the same
Stammnummer, or nothing more. The rules are documented in ``parsers.numbers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

from parsers._notation import Read, Skip, masked_spans, next_start, read_number
from parsers._plausible import plausible_nsn
from parsers.model import NumberRange

__all__ = ["RANGE_RE", "NumberMatch", "ext_range", "scan"]

_SP = "[ \u00a0\u2009\u202f]"
_MAX_EXT_WIDTH = 4  # blocks of at most 10 000 numbers
_MAX_PAIR_TAIL = 4  # two full numbers bound a block if they differ only in these digits
_DE = 49  # the table-row grammar knows German area codes only

_WS = "[ \u00a0\u2009\u202f\t\r\n]"  # a paragraph may wrap after "bis" or a comma
# "bis" may wrap onto the next line; a dash may not ("030 1234500\n- 030 1234599" is a
# bulleted list of two numbers, not a block of 100)
RANGE_RE = re.compile(
    rf"{_WS}*bis(?:{_SP}+einschlie(?:ß|ss)lich|{_SP}+einschl\.)?{_WS}*"
    rf"|{_SP}*[\u2013\u2014\-]{_SP}*"
    rf"|{_SP}*(?:\u2026|\.\.\.){_SP}*"  # "089 68025-0 … -49"
)
# A block's end may carry a footnote mark ("…-965229¹"): superscripts end it like a space.
_NO_WORD = "(?![^\\W\u00b9\u00b2\u00b3\u2070-\u2079])"
# "bis -99"; typesetters print a hyphen before digits as U+2212 MINUS SIGN ("bis −99").
_SHORT_END_RE = re.compile(rf"(?P<hyphen>[-\u2212])?(?P<ext>\d{{1,5}}){_NO_WORD}")
# An upper end that repeats the subscriber part: "(0931) 3257927-0 bis 3257927-9".
_SUB_EXT_END_RE = re.compile(rf"(?P<sub>\d{{3,8}})-(?P<ext>\d{{1,4}}){_NO_WORD}")
# An upper end of subscriber digits only: "07071 7222120 bis 7222139", also behind an
# ellipsis for the digits left out ("0201 64866100 – …6199").
_TAIL_END_RE = re.compile(rf"(?:\u2026|\.{{2,3}})?(?P<tail>\d{{3,8}}){_NO_WORD}(?![.,/\-]\d)")
# A block whose lower end is a lone zero group: "089 73794 0-49".
_ZERO_LO_RE = re.compile(rf"{_SP}+(?P<lo>0{{1,4}})-(?P<hi>\d{{1,4}}){_NO_WORD}")
_DURCHWAHL_RE = re.compile(
    rf"{_SP}*[,;:]?{_SP}*\(?(?:mit{_SP}+(?:den{_SP}+|der{_SP}+)?)?(?i:durchwahl\w*|dw|nebenstelle\w*)\.?{_SP}*:?{_SP}*"
    rf"(?:von{_SP}+)?-?(?P<lo>\d{{1,5}})(?:{_SP}*(?:bis{_WS}*|[\u2013\u2014\-]{_SP}*)-?(?P<hi>\d{{1,5}}))?"
    r"(?![\w])\)?"
)
# A further extension of the same Stammnummer: after a connector, or after up to four
# words on the same line (", ausgenommen -42", "(außer -42)", "Fax -99"). Each word
# must end in a space, so the repetition cannot backtrack badly.
_ENUM_EXT_RE = re.compile(
    rf"{_SP}*(?:(?:,|;|&|/|\bund\b|\bsowie\b){_WS}*|[,;:]?{_SP}*\(?(?:[^\W\d_]+\.?:?{_SP}+){{1,4}})"
    rf"(?P<item>-(?P<lo>\d{{1,5}})"
    rf"(?:{_SP}*(?:bis|[\u2013\u2014]){_SP}*-?(?P<hi>\d{{1,5}}))?)(?![\w])"
)
# A table row read as text: Vorwahl Rufnummer von bis ("0228 4702 10 19").
_ROW_RE = re.compile(
    rf"(?:\(0(?P<barea>[1-9]\d{{1,4}})\)|0(?P<area>[1-9]\d{{1,4}})|\+49{_SP}?(?P<iarea>[1-9]\d{{1,4}}))"
    rf"{_SP}+(?P<sub>\d{{3,8}}){_SP}+(?P<lo>\d{{1,4}}){_SP}+(?:(?:bis|[\u2013\u2014\-]){_SP}+)?"
    rf"(?P<hi>\d{{1,4}})(?![\w]|{_SP}?\d|[.,/\-]\d)"
)


@dataclass(frozen=True)
class NumberMatch:
    """A number or block found in text; ``start``/``end`` index into that text."""

    range: NumberRange
    start: int
    end: int
    text: str
    kind: str  # "single" | "block" | "extension"


class _Builder:
    """Turns digit strings into matches for one text and country."""

    def __init__(self, text: str, country_code: int) -> None:
        self.text = text
        self.cc = country_code

    def e164(self, nsn: str) -> str:
        return f"+{self.cc}{nsn}"

    def single(self, read: Read) -> NumberMatch:
        kind = "single" if read.ext_at is None else "extension"
        return self.match(NumberRange.single(self.e164(read.nsn)), read.start, read.end, kind)

    def match(self, rng: NumberRange, start: int, end: int, kind: str) -> NumberMatch:
        return NumberMatch(range=rng, start=start, end=end, text=self.text[start:end], kind=kind)

    def ext_range(self, base: str, lo_ext: str, hi_ext: str) -> NumberRange | None:
        """The block ``base`` + extensions ``lo_ext``..``hi_ext`` (width: the wider one)."""
        width = max(len(lo_ext), len(hi_ext))
        lo, hi = int(lo_ext), int(hi_ext)
        if width > _MAX_EXT_WIDTH or lo > hi:
            return None
        first, last = f"{base}{lo:0{width}d}", f"{base}{hi:0{width}d}"
        if not (plausible_nsn(self.cc, first) and plausible_nsn(self.cc, last)):
            return None
        return NumberRange(self.e164(first), self.e164(last))

    def pair_range(self, a: Read, b: Read) -> NumberRange | None:
        """The block bounded by two full numbers, if they can bound one."""
        if a.ext_at is not None and b.ext_at is not None and a.base == b.base:
            return self.ext_range(a.base, a.ext, b.ext)
        x, y = a.nsn, b.nsn
        if len(x) != len(y) or x > y or x[:-_MAX_PAIR_TAIL] != y[:-_MAX_PAIR_TAIL]:
            return None
        return NumberRange(self.e164(x), self.e164(y))


def _kind(rng: NumberRange) -> str:
    return "extension" if rng.is_single else "block"


def _after(b: _Builder, read: Read, masks: list[tuple[int, int]]) -> tuple[list[NumberMatch], int]:
    """What ``read`` forms with the text after it: a block, an enumeration, or itself."""
    text = b.text
    out: list[NumberMatch] = []
    zero = _ZERO_LO_RE.match(text, read.end) if read.ext_at is None else None
    if zero is not None:
        rng = b.ext_range(read.nsn, zero.group("lo"), zero.group("hi"))
        if rng is not None and not rng.is_single:
            return [b.match(rng, read.start, zero.end(), "block")], zero.end()
    dw = _DURCHWAHL_RE.match(text, read.end) if read.ext_at is None else None
    if dw is not None:
        rng = b.ext_range(read.nsn, dw.group("lo"), dw.group("hi") or dw.group("lo"))
        if rng is not None:
            out = [b.match(rng, read.start, dw.end(), _kind(rng))]
            out += _enumerated(b, read.nsn, dw.end())
            return out, out[-1].end
    rng_sep = RANGE_RE.match(text, read.end)
    if rng_sep is not None:
        nxt = read_number(text, rng_sep.end(), country_code=b.cc, masks=masks)
        if isinstance(nxt, Read):
            pair = b.pair_range(read, nxt)
            if pair is not None:
                kind = "single" if pair.is_single and read.ext_at is None else _kind(pair)
                out.append(b.match(pair, read.start, nxt.end, kind))
                out += _enumerated(b, read.base, nxt.end)
                return out, out[-1].end
            return [b.single(read), b.single(nxt)], nxt.end
        sub_ext = _SUB_EXT_END_RE.match(text, rng_sep.end())
        if (
            sub_ext is not None
            and read.ext_at is not None
            and read.base.endswith(sub_ext.group("sub"))
        ):
            block = b.ext_range(read.base, read.ext, sub_ext.group("ext"))
            if block is not None:
                out.append(b.match(block, read.start, sub_ext.end(), _kind(block)))
                out += _enumerated(b, read.base, sub_ext.end())
                return out, out[-1].end
        tail = _TAIL_END_RE.match(text, rng_sep.end())
        if tail is not None and read.ext_at is None and len(tail.group("tail")) < len(read.nsn):
            digits = tail.group("tail")
            upper = read.nsn[: -len(digits)] + digits
            pair = b.pair_range(read, Read(read.start, tail.end(), upper, None))
            if pair is not None and not pair.is_single and plausible_nsn(b.cc, upper):
                return [b.match(pair, read.start, tail.end(), "block")], tail.end()
        short = _SHORT_END_RE.match(text, rng_sep.end())
        if short is not None:
            hi = short.group("ext")
            if read.ext_at is not None:
                block = b.ext_range(read.base, read.ext, hi)
                base = read.base
            elif short.group("hyphen") and len(hi) < len(read.nsn):
                base = read.nsn[: -len(hi)]
                block = b.ext_range(base, read.nsn[-len(hi) :], hi)
            else:
                block = None
            if block is not None:
                out.append(b.match(block, read.start, short.end(), _kind(block)))
                out += _enumerated(b, base, short.end())
                return out, out[-1].end
    out.append(b.single(read))
    if read.ext_at is not None:
        out += _enumerated(b, read.base, read.end)
    return out, out[-1].end


def _stammnummer_block(
    b: _Builder, start: int, masks: list[tuple[int, int]]
) -> list[NumberMatch] | None:
    """``030 1234 Durchwahlen 00 bis 99`` or ``030 6615 0-29`` (a lone zero group, a
    dash, the last extension): a Stammnummer too short to dial on its own."""
    read = read_number(b.text, start, country_code=b.cc, masks=masks, lenient=True)
    if not isinstance(read, Read) or read.ext_at is not None:
        return None
    zero = _ZERO_LO_RE.match(b.text, read.end)
    if zero is not None:
        rng = b.ext_range(read.nsn, zero.group("lo"), zero.group("hi"))
        if rng is None or rng.is_single:
            return None
        return [b.match(rng, start, zero.end(), "block"), *_enumerated(b, read.nsn, zero.end())]
    dw = _DURCHWAHL_RE.match(b.text, read.end)
    if dw is None:
        return None
    rng = b.ext_range(read.nsn, dw.group("lo"), dw.group("hi") or dw.group("lo"))
    if rng is None:
        return None
    return [b.match(rng, start, dw.end(), _kind(rng)), *_enumerated(b, read.nsn, dw.end())]


def _table_row(b: _Builder, start: int, masks: list[tuple[int, int]]) -> NumberMatch | None:
    """A block written as table columns on one line, when nothing else fits it.

    ``0228 4702 10 19`` could also be one number grouped in pairs, so the row reading
    needs every sign of a block: a geographic area code of exactly the written length,
    a Rufnummer of at least three digits (pair grouping writes two), exactly two
    extensions of equal width, the first ending in 0 and the last in 9 (``0 9``,
    ``10 19``, ``00 99``, ``500 599``). Otherwise the digits are read as one number.
    Left ambiguous: a fixed-line number grouped "three, then pairs" whose last two
    pairs look like that (``0221 123 40 59``) is read as the block.
    """
    m = _ROW_RE.match(b.text, start)
    if m is None or any(s < m.end() and start < e for s, e in masks):
        return None
    area = m.group("barea") or m.group("area") or m.group("iarea")
    lo, hi = m.group("lo"), m.group("hi")
    if len(lo) != len(hi) or lo[-1] != "0" or hi[-1] != "9":
        return None
    rng = b.ext_range(area + m.group("sub"), lo, hi)
    if rng is None or rng.is_single:
        return None
    number = phonenumbers.parse(rng.first)
    if phonenumbers.length_of_geographical_area_code(number) != len(area):
        return None
    return b.match(rng, start, m.end(), "block")


def _enumerated(b: _Builder, base: str, pos: int) -> list[NumberMatch]:
    """Further extensions of the same Stammnummer: ``, -11 und -15``."""
    out: list[NumberMatch] = []
    while (m := _ENUM_EXT_RE.match(b.text, pos)) is not None:
        rng = b.ext_range(base, m.group("lo"), m.group("hi") or m.group("lo"))
        if rng is None:
            break
        out.append(b.match(rng, m.start("item"), m.end(), _kind(rng)))
        pos = m.end()
    return out


def scan(text: str, country_code: int) -> Iterator[NumberMatch]:
    """Every number and block of ``country_code`` in ``text``, in order."""
    b = _Builder(text, country_code)
    masks: list[tuple[int, int]] | None = None
    pos = 0
    while (start := next_start(text, pos)) >= 0:
        if masks is None:
            masks = masked_spans(text)  # only texts with a possible number pay for this
        row = _table_row(b, start, masks) if country_code == _DE else None
        if row is not None:
            yield row
            pos = row.end
            continue
        read = read_number(text, start, country_code=country_code, masks=masks)
        if isinstance(read, Skip):
            pos = read.end
        elif read is None:
            stamm = _stammnummer_block(b, start, masks)
            if stamm is not None:
                yield from stamm
                pos = stamm[-1].end
            else:
                pos = start + 1
        else:
            found, pos = _after(b, read, masks)
            yield from found


def ext_range(country_code: int, base: str, lo_ext: str, hi_ext: str) -> NumberRange | None:
    """The block ``base`` + extensions ``lo_ext``..``hi_ext`` (width: the wider one)."""
    return _Builder("", country_code).ext_range(base, lo_ext, hi_ext)
