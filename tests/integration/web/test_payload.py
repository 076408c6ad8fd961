from __future__ import annotations

import json

import pytest

from config.errors import PayloadError
from integration.web.payload import event_from_dict, event_to_dict, parse_body


def _parse(data: object) -> object:
    return parse_body(json.dumps(data).encode())


class TestTriggerBody:
    def test_ticket_id_string_without_event_is_trigger(self) -> None:
        d = parse_body(b'{"ticket_id": "123"}')
        assert (d.kind, d.ticket_id, d.event.kind, d.event.ticket_id) == (
            "trigger",
            123,
            "trigger",
            123,
        )

    def test_event_names_the_kind(self) -> None:
        d = parse_body(b'{"ticket_id": 7, "event": "ticket.comment_added"}')
        assert d.kind == "ticket.comment_added" and d.ticket_id == 7

    @pytest.mark.parametrize(
        "raw",
        [
            b"not json",
            b"[1]",
            b'{"foo": 1}',
            b'{"ticket_id": "{{ticket.id}}"}',
            b'{"ticket_id": -1}',
            b'{"ticket_id": true}',
            b'{"ticket_id": 1, "event": 5}',
            b"\xff\xfe",
        ],
    )
    def test_malformed_is_payload_error(self, raw: bytes) -> None:
        with pytest.raises(PayloadError):
            parse_body(raw)


class TestEnvelope:
    def test_comment_added_carries_comment_facts(self) -> None:
        d = _parse(
            {
                "type": "zen:event-type:ticket.comment_added",
                "id": "01J0",
                "time": "2026-11-22T10:00:00Z",
                "account_id": 1,
                "subject": "zen:ticket:5158",
                "zendesk_event_version": "2022-11-06",
                "detail": {"id": "5158", "status": "OPEN"},
                "event": {
                    "comment": {
                        "id": "991",
                        "body": "Anbei die Bestätigung",
                        "is_public": True,
                        "author": {"id": "55", "is_staff": False, "name": "X"},
                    }
                },
            }
        )
        ev = d.event  # type: ignore[attr-defined]
        assert d.kind == "ticket.comment_added" and d.ticket_id == 5158  # type: ignore[attr-defined]
        assert (ev.comment_id, ev.comment_public, ev.author_id, ev.author_is_staff) == (
            991,
            True,
            55,
            False,
        )
        assert d.envelope_id == "01J0"  # type: ignore[attr-defined]

    def test_custom_field_changed_names_field(self) -> None:
        d = _parse(
            {
                "type": "zen:event-type:ticket.custom_field_changed",
                "subject": "zen:ticket:9",
                "detail": {"id": "9"},
                "event": {
                    "custom_field": {"id": "360001", "title": "Art"},
                    "current": "x",
                    "previous": None,
                },
            }
        )
        assert d.event.field_id == 360001  # type: ignore[attr-defined]

    def test_ticket_id_from_detail_without_subject(self) -> None:
        d = _parse({"type": "zen:event-type:ticket.created", "detail": {"id": "77"}, "event": {}})
        assert d.ticket_id == 77  # type: ignore[attr-defined]

    def test_envelope_without_ticket_is_malformed(self) -> None:
        with pytest.raises(PayloadError):
            _parse({"type": "zen:event-type:ticket.created", "detail": {}})


def test_event_round_trips_through_dict() -> None:
    d = parse_body(b'{"ticket_id": 3, "event": "ticket.created"}')
    assert event_from_dict(json.loads(json.dumps(event_to_dict(d.event)))) == d.event
