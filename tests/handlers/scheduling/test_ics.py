"""The .ics invitations: parsed back with icalendar, checked against RFC 5546 per method."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from handlers.scheduling.ics import cutover_uid, invitation

START = datetime(2026, 12, 1, 7, tzinfo=UTC)
END = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
SUPPORT = "support@carrier.example"
PARTNERS = [("noc@alpha.example", "NOC Alpha"), ("support@beta.example", "")]

# RFC 5546 section 3.2: properties a VEVENT must carry (count "1" or "1+") per METHOD;
# SEQUENCE is required once it is above 0.
REQUIRED = {
    "PUBLISH": ("DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"),
    "REQUEST": ("ATTENDEE", "DTSTAMP", "DTSTART", "ORGANIZER", "SUMMARY", "UID"),
    "CANCEL": ("ATTENDEE", "DTSTAMP", "ORGANIZER", "SEQUENCE", "UID"),
}


def _build(**kw: object) -> Calendar:
    args: dict[str, object] = {
        "uid": cutover_uid(42),
        "sequence": 0,
        "start": START,
        "end": END,
        "summary": "Rufnummernumzug",
        "description": "2 Rufnummern",
        "stamp": datetime(2026, 11, 20, 9, tzinfo=UTC),
        "organizer": SUPPORT,
        "attendees": PARTNERS,
    }
    args.update(kw)
    return Calendar.from_ical(invitation(**args))  # type: ignore[arg-type]


def _assert_rfc5546(cal: Calendar, method: str) -> None:
    assert str(cal["METHOD"]) == method
    assert "PRODID" in cal and str(cal["VERSION"]) == "2.0"
    (event,) = cal.events
    for name in REQUIRED[method]:
        assert name in event, f"{method} lacks {name}"
    if int(event.get("SEQUENCE", 0)) > 0:
        assert "SEQUENCE" in event


@pytest.mark.parametrize(
    ("intent", "sequence", "organizer", "method"),
    [
        ("REQUEST", 0, SUPPORT, "REQUEST"),
        ("REQUEST", 2, SUPPORT, "REQUEST"),
        ("CANCEL", 3, SUPPORT, "CANCEL"),
        ("REQUEST", 0, None, "PUBLISH"),
        ("CANCEL", 1, None, "PUBLISH"),
    ],
)
def test_every_method_has_the_required_properties(
    intent: str, sequence: int, organizer: str | None, method: str
) -> None:
    cal = _build(
        method=intent, sequence=sequence, organizer=organizer, publisher="api@carrier.example"
    )
    _assert_rfc5546(cal, method)
    event = cal.events[0]
    if method == "PUBLISH":
        assert "ATTENDEE" not in event and str(event["ORGANIZER"]) == "mailto:api@carrier.example"
    else:
        assert str(event["ORGANIZER"]) == f"mailto:{SUPPORT}"
        attendees = event["ATTENDEE"]
        assert [str(a) for a in attendees] == [f"mailto:{e}" for e, _ in PARTNERS]
        assert attendees[0].params["CN"] == "NOC Alpha"
    assert str(event["STATUS"]) == ("CANCELLED" if intent == "CANCEL" else "CONFIRMED")


def test_request_with_berlin_tzid() -> None:
    """DTSTART carries TZID=Europe/Berlin (local 08:00) and a VTIMEZONE is included."""
    cal = _build()
    (event,) = cal.events
    assert isinstance(event.start, datetime)
    assert event.start == START and event.end == END
    assert event.start.tzinfo is not None and str(event.start.tzinfo) == "Europe/Berlin"
    assert event.start.hour == 8
    assert [str(tz["TZID"]) for tz in cal.timezones] == ["Europe/Berlin"]
    assert b"DTSTART;TZID=Europe/Berlin:20261201T080000" in invitation(
        uid="x", sequence=0, start=START, end=END, summary="s", description="d", stamp=START
    )


def test_uid_stable_and_sequence_raised() -> None:
    first = _build()
    changed = _build(sequence=1, start=START.replace(day=2), end=END.replace(day=2))
    assert first.events[0]["UID"] == changed.events[0]["UID"] == "cutover-42@partnerdesk"
    assert changed.events[0].sequence == 1


def test_refuses_unknown_method() -> None:
    with pytest.raises(ValueError):
        _build(method="PUBLISH")
