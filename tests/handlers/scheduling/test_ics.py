from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from handlers.scheduling.ics import cutover_uid, invitation

START = datetime(2026, 12, 1, 7, tzinfo=UTC)
END = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


def _build(**kw: object) -> Calendar:
    args: dict[str, object] = {
        "uid": cutover_uid(42),
        "sequence": 0,
        "start": START,
        "end": END,
        "summary": "Rufnummernumzug",
        "description": "2 Rufnummern",
        "stamp": datetime(2026, 11, 20, 9, tzinfo=UTC),
    }
    args.update(kw)
    return Calendar.from_ical(invitation(**args))  # type: ignore[arg-type]


class TestInvitation:
    def test_request_with_berlin_tzid(self) -> None:
        """DTSTART carries TZID=Europe/Berlin (local 08:00) and a VTIMEZONE is included."""
        cal = _build()
        assert str(cal["METHOD"]) == "REQUEST"
        (event,) = cal.events
        assert isinstance(event.start, datetime)
        assert event.start == START
        assert event.start.tzinfo is not None and str(event.start.tzinfo) == "Europe/Berlin"
        assert event.start.hour == 8
        assert event.end == END
        assert [str(tz["TZID"]) for tz in cal.timezones] == ["Europe/Berlin"]
        assert b"DTSTART;TZID=Europe/Berlin:20261201T080000" in invitation(
            uid="x", sequence=0, start=START, end=END, summary="s", description="d", stamp=START
        )

    def test_uid_stable_and_sequence_raised(self) -> None:
        first = _build()
        changed = _build(sequence=1, start=START.replace(day=2), end=END.replace(day=2))
        assert first.events[0]["UID"] == changed.events[0]["UID"] == "cutover-42@partnerdesk"
        assert changed.events[0].sequence == 1

    def test_cancel(self) -> None:
        cal = _build(method="CANCEL", sequence=2)
        assert str(cal["METHOD"]) == "CANCEL"
        assert str(cal.events[0]["STATUS"]) == "CANCELLED"

    def test_refuses_unknown_method(self) -> None:
        with pytest.raises(ValueError):
            _build(method="PUBLISH")
