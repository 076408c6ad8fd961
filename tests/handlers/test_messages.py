"""German filters for ticket texts."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.messages.filters import de_date, de_datetime, national
from parsers.model import NumberRange


class TestFilters:
    def test_national_single_and_block(self) -> None:
        assert national(NumberRange.single("+493012345678")) == "030 12345678"
        assert national(NumberRange("+493012345600", "+493012345699")) == "030 123456-00 bis -99"
        assert national("+4917612345678") == "0176 12345678"

    def test_german_dates(self) -> None:
        t = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
        assert de_date(t) == "Donnerstag, 03.12.2026"
        assert de_datetime(t) == "Donnerstag, 03.12.2026, 10:00 Uhr"
