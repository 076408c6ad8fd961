"""Phone numbers and number blocks in German text, normalised to E.164 ranges.

``find_numbers`` reads every number of the region's country in a line or paragraph,
``parse_number`` reads a string that is exactly one number or block (a table cell),
``block_from_parts`` joins the table columns Vorwahl | Rufnummer | Durchwahl von |
Durchwahl bis, ``parse_requested`` reads the list of numbers a ticket asks for.

How a single number is read (prefixes, separators, what is never a number) is in
``parsers._notation``; what counts as plausible is in ``parsers._plausible``; the
grammar below is implemented in ``parsers._blocks``. Numbers
of other countries are ignored: only the region's country code (+49 for DE) is
returned, because only those numbers live on the platform. On top of single numbers:

Blocks (one ``NumberRange``, never expanded into its members):

* ``030 1234-00 bis -99``, ``030 1234-00 – 99``: the extension after the hyphen, then
  ``bis``/dash and the last extension. Both extensions are read as numbers and written
  with the larger of the two widths: ``030 123456-0 bis -99`` is ``…00`` to ``…99``
  (100 numbers; ``-0`` is how the Abfragestelle of a two-digit block is usually
  written, and reading it as ``…0`` to ``…99`` would make bounds of unequal length).
* ``030 1234500 bis -99``: a hyphenated short end replaces as many trailing digits.
* ``0221 4711-10 bis 0221 4711-15``, ``030 1234500 - 030 1234599``: two full numbers of
  equal length that differ at most in their last four digits. Two full numbers that
  are not such a pair are returned as two single numbers.
* ``030 123456 Durchwahlen 00 bis 99`` / ``Durchwahl 25`` after a Stammnummer.
* ``0228 4702 10 19``: a table row Vorwahl | Rufnummer | von | bis read as one line,
  only with every sign of a block (see ``_table_row``); otherwise the digits are one
  number in digit groups.
* Blocks hold at most 10 000 numbers (extensions of up to four digits); a wider range
  yields only the number written first. A block whose end is cut off (a line ending
  in "bis") yields its first number, the only one that is certain; pass paragraphs
  (lines joined by newlines) so a block wrapped after "bis" is read whole.

Enumerations: full numbers joined by "und", commas etc. are read one by one;
``030 123456-10, -11 und -15`` gives three numbers of the same Stammnummer (the
extensions need their hyphen to be certain). A hyphenated extension a few words after
a DIN number or block is read the same way (``030 1234-00 bis -99, ausgenommen -42``,
``030 1234567-0, Fax -99``), so a kept-back extension is found and can get its role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from parsers._blocks import RANGE_RE, NumberMatch, ext_range, scan
from parsers._notation import masked_spans
from parsers._plausible import is_plausible, plausible_nsn
from parsers.model import NumberRange

__all__ = [
    "NumberMatch",
    "RequestedNumbers",
    "block_from_parts",
    "find_numbers",
    "is_plausible",
    "parse_number",
    "parse_requested",
]

_BULLET_RE = re.compile(
    r"^\s*(?:[-\u2013\u2022*\u00b7\u25aa]|\(?[1-9]\d{0,2}[.)])\s*"
)  # never "(030)"
_ITEM_SEP_RE = re.compile(r"[,;]|\b(?:und|sowie)\b")
# "/ 79", "-11" left over after a number: an abbreviated number the grammar did not take
_ABBREVIATED_RE = re.compile(r"\s*[/\-]\s*\d{1,5}\s*")


@dataclass(frozen=True)
class RequestedNumbers:
    """What a ticket asks for: the ranges read, and items that are no plausible number."""

    ranges: tuple[NumberRange, ...]
    invalid: tuple[str, ...]


@lru_cache(maxsize=16)
def _country_code(region: str) -> int:
    code = phonenumbers.country_code_for_region(region.upper())
    if not code:
        raise ValueError(f"unknown region {region!r}")
    return int(code)


def find_numbers(text: str, *, region: str = "DE") -> list[NumberMatch]:
    """Every plausible number and block of the region's country in ``text``, in order."""
    return list(_found(text, region))


@lru_cache(maxsize=4096)
def _found(text: str, region: str) -> tuple[NumberMatch, ...]:
    # the reader asks for the same line several times (rows, statements, tables); a
    # match is frozen, so the answers can be shared
    return tuple(scan(text, _country_code(region)))


_STRIP = " \t\r\n.,;:"


def parse_number(text: str, *, region: str = "DE") -> NumberRange | None:
    """The number or block that makes up all of ``text`` (a table cell), else None."""
    stripped = text.strip(_STRIP)
    found = find_numbers(stripped, region=region)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(stripped):
        return found[0].range
    return None


def block_from_parts(
    area_code: str,
    number: str,
    ext_from: str | None = None,
    ext_to: str | None = None,
    *,
    region: str = "DE",
) -> NumberRange | None:
    """Join table columns Vorwahl | Rufnummer | Durchwahl von | Durchwahl bis.

    The area code may be written with or without its ``0`` (a Vorwahl column names
    an area code by its heading), or with ``+49``/``0049``; an empty area code means
    ``number`` is written in full. Without extensions the result is one number; with
    only ``ext_from`` it is that extension; with both it is the block (width: the
    wider of the two, as in ``find_numbers``). Returns None for anything implausible.
    """
    cc = _country_code(region)
    area = re.sub(r"[\s()/\-.]", "", area_code)
    subscriber = re.sub(r"[\s/\-.]", "", number)
    lo = (ext_from or "").strip().lstrip("-").strip()
    hi = (ext_to or "").strip().lstrip("-").strip()
    if (hi and not lo) or ((lo or hi) and not (lo + hi).isdigit()):
        return None
    if area:
        for prefix in (f"+{cc}", f"00{cc}"):
            if area.startswith(prefix):
                area = area[len(prefix) :]
                break
        area = area.removeprefix("0")
        if not (area.isdigit() and subscriber.isdigit()) or area[0] == "0":
            return None
        base = area + subscriber
    else:
        full = parse_number(number, region=region)
        if full is None or not lo:
            return full
        if not full.is_single:
            return None
        base = full.first[1 + len(str(cc)) :]
    if not lo:
        return NumberRange.single(f"+{cc}{base}") if plausible_nsn(cc, base) else None
    return ext_range(cc, base, lo, hi or lo)


def parse_requested(text: str, *, region: str = "DE") -> RequestedNumbers:
    """Read a requested list: items split by commas, semicolons, newlines and "und".

    Items may use any notation ``find_numbers`` reads, blocks included; bullets
    ("-", "•", "1.") and labels ("Rufnummer:") are tolerated. A piece that holds at
    least three digits but no plausible number (and is no date, IBAN or labelled
    customer/contract number), and an abbreviation the grammar does not take (the
    "/ 79" of ``030 12345678 / 79``), is returned in ``invalid`` as written, stripped;
    so is a range that is no block (``030 1234567 bis 030 7654321``, ``-99 bis -10``).
    """
    ranges: list[NumberRange] = []
    invalid: list[str] = []
    for raw_line in text.splitlines():
        line = _BULLET_RE.sub("", raw_line, count=1)
        found = find_numbers(line, region=region)
        kept: list[NumberMatch] = []
        for m in found:
            if kept and RANGE_RE.fullmatch(line, kept[-1].end, m.start):
                # "X bis Y" that is no block (reversed, too wide): the range asked for
                # cannot be read, and its two ends alone are not what was asked
                invalid.append(line[kept.pop().start : m.end].strip())
                continue
            kept.append(m)
        for m in kept:
            if m.range not in ranges:
                ranges.append(m.range)
        gaps, pos = [], 0
        for m in found:
            gaps.append(line[pos : m.start])
            pos = m.end
        gaps.append(line[pos:])
        for gap in gaps:
            for piece in _ITEM_SEP_RE.split(gap):
                if _ABBREVIATED_RE.fullmatch(piece):
                    invalid.append(piece.strip())
                    continue
                item = piece.strip(" \t-\u2013\u2022*:.()/")
                if sum(c.isdigit() for c in item) >= 3 and not _non_number(item):
                    invalid.append(item)
    return RequestedNumbers(ranges=tuple(ranges), invalid=tuple(dict.fromkeys(invalid)))


def _non_number(item: str) -> bool:
    """Whether ``item`` is only dates, IBANs or labelled values (not a number attempt)."""
    rest = list(item)
    for s, e in masked_spans(item):
        rest[s:e] = [" "] * (e - s)
    return not any(c.isdigit() for c in rest)
