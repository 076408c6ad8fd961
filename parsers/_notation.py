"""Reading one phone number as it is written, and the digits that are never numbers.

The scanner works on structure, not on ``phonenumbers.PhoneNumberMatcher``: a number
starts with a prefix (``0`` + area code, ``(0..)``, ``+49``, ``0049``, ``+49 (0)``),
continues with digit groups joined by the separators German letters use, and is
validated afterwards (see ``_plausible``). The rules, in the order they apply:

* A number never starts glued to a word, a ``+``/``#``, or right after a digit and a
  dot, slash, colon or hyphen (``V-2024-000123``, ``1.0301``); a comma may glue list
  items (``030 1234567,030 1234568``).
* Digit groups are joined by a space, a dot or a hyphen. A slash (``030/1234567``,
  ``030 / 1234567``) or a spaced hyphen (``030 - 1234567``) is accepted only right
  after the area code; after a complete number ``/ 79`` ends the number, so
  ``030 12345678 / 79`` reads as ``030 12345678`` alone (whether ``79`` replaces the
  last digits or is a separate extension is not certain, so it is not guessed).
* A hyphen after the subscriber part starts the DIN 5008 extension (``1234567-25``);
  the extension is the last group. Its position is kept for block notation.
* A space-joined group that starts with ``0`` starts the next number when the digits
  so far form a plausible number and a plausible number can be read from that group
  on (``030 1234567 030 1234568``; but ``0221 12 34 05 67`` stays one number). If the
  joined digits are not plausible, trailing space-joined groups are dropped until they
  are (``030 1234567 12 Mitarbeiter`` still misreads; no grammar can tell).
* A number glued to a letter (``0301234567abc``), one that touches a date, IBAN or a
  labelled value (customer/contract/order/invoice/ticket numbers, HRB, USt, tax and
  bank data), and one that ends at a line break where the digits on the next line
  would continue it into another plausible number (a number split over two lines) is
  dropped: it is not certain.
* Numbers of other countries (``+43 ...``, ``0041 ...``) are skipped whole, so their
  digit groups are never read as German numbers.

The national trunk prefix is ``0`` (true for DE; the region only sets the country
code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers._plausible import plausible_nsn

__all__ = ["Read", "Skip", "masked_spans", "next_start", "read_number"]

_SP = "[ \u00a0\u2009\u202f]"  # space, no-break space, thin spaces (PDF text has them)
_MAX_DIGITS = 16  # more digits than E.164 allows: stop reading, it is not a number
# An extension this long after a hyphen is the subscriber part of a second number
# ("0221 9541100-9541199"): the hyphen is a range dash.
_MIN_PAIR_END = 5
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"  # footnote marks glued to a number

# Where a number can start. The look-behinds are the "never glued" rule above.
_START_RE = re.compile(r"(?<![\w+#])(?<!\d[./:\-])(?:\+|00(?=[1-9])|\(0(?=\s?[1-9])|0(?=[1-9]))")
# After +49 / 0049: "(0)", a wrongly kept trunk 0, an area code in brackets, or digits.
_AFTER_CC_RE = re.compile(
    rf"{_SP}?(?:\({_SP}?0{_SP}?\){_SP}?|[\-./]{_SP}?)?"
    rf"(?:\((?P<barea>[1-9]\d{{0,4}})\)|0?(?P<first>[1-9]\d*))"
)
_NATIONAL_RE = re.compile(rf"\(0{_SP}?(?P<barea>[1-9]\d{{0,4}}){_SP}?\)|0(?P<first>[1-9]\d*)")
_GROUP_RE = re.compile(rf"(?P<sep>{_SP}?/{_SP}?|{_SP}-{_SP}|{_SP}|[.\-])(?P<d>\d+)")
_AFTER_BRACKET_RE = re.compile(rf"{_SP}?(?:[\-/]{_SP}?)?(?P<d>\d+)")
_FOREIGN_RUN_RE = re.compile(rf"(?:\+{_SP}?|00)\d+(?:(?:{_SP}|{_SP}?[/.\-()]{_SP}?)\(?\d+\)?)*")
# A number ending at a line break with more digits on the next line (not a list marker
# "2." / "2)" and not the prefix of the next number).
_CONTINUED_RE = re.compile(r"[ \t]*\r?\n[ \t]*(?!\d{1,3}[.)])(?P<d>[1-9]\d*)")

_DATE_RE = re.compile(
    r"(?<!\d)(?:\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})(?!\d)"
)
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")
# A label that announces a non-phone value, then that value (letters only as an
# upper-case prefix such as "V-2024-..." or "DE123...").
_LABELLED_RE = re.compile(
    r"(?i:\b(?:kunden|vertrag|iban|bic|swift|hrb|hra|ust|steuer|st\.-?nr|auftrag|ticket"
    r"|rechnung|referenz|ref|bestell|konto|blz|aktenzeichen|az|mandat|vorgang|invoice"
    r"|order|customer|contract))"
    r"[\w.\-]*[ \u00a0]*[:#.]?[ \u00a0]*"
    r"(?:[A-Z]{1,3}-?)?\d[\d \u00a0/.\-]*"
)
_MASK_RES = (_DATE_RE, _IBAN_RE, _LABELLED_RE)


@dataclass(frozen=True, slots=True)
class Read:
    """One number as written: its span and its digits after the country code."""

    start: int
    end: int
    nsn: str
    ext_at: int | None  # index into ``nsn`` where the DIN extension starts

    @property
    def base(self) -> str:
        """The digits before the extension (the Stammnummer), or all digits."""
        return self.nsn if self.ext_at is None else self.nsn[: self.ext_at]

    @property
    def ext(self) -> str:
        return "" if self.ext_at is None else self.nsn[self.ext_at :]


@dataclass(frozen=True, slots=True)
class Skip:
    """A span to jump over (another country's number); nothing is read from it."""

    end: int


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans holding dates, IBANs and labelled non-phone values."""
    return [m.span() for regex in _MASK_RES for m in regex.finditer(text)]


def next_start(text: str, pos: int) -> int:
    """Index of the next place a number may start at or after ``pos``, or -1."""
    m = _START_RE.search(text, pos)
    return -1 if m is None else m.start()


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def read_number(
    text: str,
    pos: int,
    *,
    country_code: int,
    masks: list[tuple[int, int]],
    lenient: bool = False,
) -> Read | Skip | None:
    """Read the number starting at ``pos`` (a prefix), or say why there is none.

    ``lenient`` returns the digits as written even when they are no plausible number
    on their own (a Stammnummer such as ``030 1234`` before "Durchwahlen 00 bis 99").
    """
    cc = str(country_code)
    if text.startswith("+", pos) or text.startswith("00", pos):
        p = pos + 1 if text[pos] == "+" else pos + 2
        if text[pos] == "+" and p < len(text) and text[p] in " \u00a0\u2009\u202f":
            p += 1
        if not text.startswith(cc, p):
            foreign = _FOREIGN_RUN_RE.match(text, pos)
            return Skip(foreign.end() if foreign else pos + 1)
        head = _AFTER_CC_RE.match(text, p + len(cc))
    else:
        head = _NATIONAL_RE.match(text, pos)
    if head is None:
        return None
    return _read_groups(text, pos, head, country_code=country_code, masks=masks, lenient=lenient)


def _read_groups(
    text: str,
    start: int,
    head: re.Match[str],
    *,
    country_code: int,
    masks: list[tuple[int, int]],
    lenient: bool,
) -> Read | None:
    bracketed = head.group("barea") is not None
    nsn = head.group("barea") or head.group("first")
    area_like = bracketed or len(nsn) <= 5
    end = head.end()
    ext_at: int | None = None
    # (end, digit count) where the number could stop if later space-joined groups are noise
    cuts: list[tuple[int, int]] = []
    groups = 1
    last_sep, last_group, last_end = "", "", end
    if bracketed:
        m = _AFTER_BRACKET_RE.match(text, end)
        if m is None:
            return None
        nsn += m.group("d")
        end = m.end()
        groups = 2
    while len(nsn) <= _MAX_DIGITS:
        m = _GROUP_RE.match(text, end)
        if m is None:
            break
        sep, digits = m.group("sep"), m.group("d")
        bare = sep.strip(" \u00a0\u2009\u202f")
        if bare == "/" or (bare == "-" and bare != sep):
            # a slash or a spaced hyphen separates the area code, nothing else
            if not (groups == 1 and area_like):
                break
        elif bare == "-" and not (groups == 1 and area_like):
            if len(digits) >= _MIN_PAIR_END and len(digits) == len(last_group):
                break  # "0221 9541100-9541199": a second number, the block's upper end
            if last_sep == " " and set(last_group) == {"0"} and groups > 2:
                # "089 73794 0-49": a lone zero group opens a block (see _blocks)
                end, nsn = last_end, nsn[: -len(last_group)]
                break
            cuts = []  # the extension is part of what is written: never cut before it
            ext_at = len(nsn)
            nsn += digits
            end = m.end()
            break
        elif bare == "":
            if (
                digits[0] == "0"
                and plausible_nsn(country_code, nsn)
                and isinstance(
                    read_number(text, m.start("d"), country_code=country_code, masks=masks), Read
                )
            ):
                break  # "030 1234567 030 1234568": the next number starts here
            cuts.append((end, len(nsn)))
        else:
            cuts = []  # only trailing space-joined groups may be dropped
        last_sep, last_group, last_end = bare or " ", digits, end
        nsn += digits
        end = m.end()
        groups += 1
    if not lenient and not plausible_nsn(country_code, nsn):
        for cut_end, count in reversed(cuts):
            if plausible_nsn(country_code, nsn[:count]):
                end, nsn = cut_end, nsn[:count]
                break
        else:
            return None
    if ext_at is not None and ext_at >= len(nsn):
        ext_at = None
    if end < len(text) and text[end].isalnum() and text[end] not in _SUPERSCRIPTS:
        return None
    if _overlaps(masks, start, end):
        return None
    more = None if lenient else _CONTINUED_RE.match(text, end)
    if more is not None and plausible_nsn(country_code, nsn + more.group("d")):
        return None  # the next line may hold the rest of this number

    return Read(start=start, end=end, nsn=nsn, ext_at=ext_at)
