"""Plausibility of a phone number beyond ``phonenumbers.is_valid_number``.

German numbering is open, so ``phonenumbers`` accepts ``030 123`` (five digits) as a
valid Berlin number, and a number cut short by a line break still validates. The rule
here, for numbers of country code 49:

* ``phonenumbers`` must call it valid and it must fit E.164 (at most 15 digits, so
  at most 13 after the country code);
* geographic (fixed-line) numbers need at least 7 digits after the country code and a
  subscriber part of at least 3 digits after the area code (ONKZ). So a 2-digit area
  code (Berlin 30) needs at least 5 subscriber digits, a 3-digit one (Köln 221) 4, a
  4- or 5-digit one 3. This rejects ``030 123`` and ``030 1234`` but keeps a
  ``0221 4711`` Stammnummer and every member of ``030 1234-00 bis -99``;
* every other German type (mobile, 0800, 0180, 0900, 0700, ...) needs at least 7
  digits after the country code; ``phonenumbers`` checks their exact lengths.

Numbers of other countries only need to be valid for ``phonenumbers``.
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

__all__ = ["is_plausible", "plausible_nsn"]

_DE = 49
_MIN_NSN = 7
_MIN_SUBSCRIBER = 3
_MAX_NSN = 13  # E.164 allows 15 digits including the two of the country code
_GEOGRAPHIC = frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


@lru_cache(maxsize=8192)
def plausible_nsn(country_code: int, nsn: str) -> bool:
    """Whether ``nsn`` (digits after the country code) is a plausible number there."""
    if not nsn.isdigit() or nsn[0] == "0" or len(nsn) + len(str(country_code)) > 15:
        return False
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int(nsn))
    if not phonenumbers.is_valid_number(number):
        return False
    if country_code != _DE:
        return True
    if not _MIN_NSN <= len(nsn) <= _MAX_NSN:
        return False
    if phonenumbers.number_type(number) in _GEOGRAPHIC:
        area = phonenumbers.length_of_geographical_area_code(number)
        return area > 0 and len(nsn) - area >= _MIN_SUBSCRIBER
    return True


def is_plausible(e164: str) -> bool:
    """Whether an E.164 string (``+4930...``) is a plausible phone number."""
    if not (e164.startswith("+") and e164[1:].isdigit()):
        return False
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return False
    nsn = phonenumbers.national_significant_number(number)
    # parse() drops leading zeros and other noise; a round trip proves the string exact
    if f"+{number.country_code}{nsn}" != e164:
        return False
    return plausible_nsn(number.country_code, nsn)
