"""Jinja2 filters for ticket texts: German dates and number notation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import phonenumbers

from parsers.model import NumberRange

__all__ = ["FILTERS", "de_date", "de_datetime", "national"]

_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def national(value: NumberRange | str) -> str:
    """German national notation: ``030 12345678`` or ``030 123456-00 bis -99``."""
    rng = value if isinstance(value, NumberRange) else NumberRange.single(value)

    def fmt(e164: str) -> str:
        try:
            return str(
                phonenumbers.format_number(
                    phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL
                )
            )
        except phonenumbers.NumberParseException:
            return e164

    if rng.is_single:
        return fmt(rng.first)
    # common prefix, then the differing tail as an extension range
    i = 0
    while i < len(rng.first) and rng.first[i] == rng.last[i]:
        i += 1
    tail = len(rng.first) - i
    head = fmt(rng.first)
    if tail and len(head.replace(" ", "")) >= tail:
        return f"{head[:-tail]}-{rng.first[-tail:]} bis -{rng.last[-tail:]}".replace("--", "-")
    return f"{fmt(rng.first)} bis {fmt(rng.last)}"


def de_date(value: date | datetime) -> str:
    """``Donnerstag, 03.12.2026``."""
    return f"{_WEEKDAYS[value.weekday()]}, {value:%d.%m.%Y}"


def de_datetime(value: datetime) -> str:
    """``Donnerstag, 03.12.2026, 10:00 Uhr`` (in the value's own time zone)."""
    return f"{de_date(value)}, {value:%H:%M} Uhr"


FILTERS: dict[str, Callable[..., Any]] = {
    "national": national,
    "de_date": de_date,
    "de_datetime": de_datetime,
}
