from __future__ import annotations

import pytest

from config.settings import load_settings
from handlers.scheduling.calendar import ServiceCalendar, calendar_from_settings
from handlers.scheduling.slots import SlotRules


@pytest.fixture(scope="session")
def berlin() -> ServiceCalendar:
    """The shipped default calendar: Berlin, Mon-Thu 8-17, Fri 8-15, 24/31 Dec closed."""
    return calendar_from_settings(load_settings(env={}).scheduling)


@pytest.fixture(scope="session")
def rules() -> SlotRules:
    return SlotRules.from_settings(load_settings(env={}).scheduling)
