"""Webhook bodies to ``handlers.ports.Event`` values: trigger bodies and event envelopes (pure).

Two shapes arrive (docs/facts.md, "Zendesk webhooks"):

* trigger webhooks: ``{"ticket_id": "123", "event": "ticket.created"}`` — the body the
  trigger writes; ``event`` is optional (kind ``trigger`` without it);
* event subscriptions: ``{"type": "zen:event-type:ticket.comment_added",
  "subject": "zen:ticket:123", "detail": {...}, "event": {...}}``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from config.errors import PayloadError
from handlers.ports import Event

__all__ = [
    "EVENT_TYPE_PREFIX",
    "MAX_JSON_DEPTH",
    "WebhookDelivery",
    "event_from_dict",
    "event_to_dict",
    "json_too_deep",
    "parse_body",
]

EVENT_TYPE_PREFIX = "zen:event-type:"
_MAX_TICKET_ID = 2**63 - 1
MAX_JSON_DEPTH = 32


@dataclass(frozen=True)
class WebhookDelivery:
    """What a webhook body says: the event kind, the ticket and the Event to route."""

    kind: str
    ticket_id: int
    event: Event
    envelope_id: str | None  # the event subscription's own id, a fallback invocation id
    body: Any  # the decoded JSON, for the store only


def json_too_deep(raw: bytes, max_depth: int) -> bool:
    """Whether ``raw`` opens more than ``max_depth`` arrays/objects at once (strings skipped).

    Cheap for ordinary bodies: only a body with more brackets than the limit is scanned.
    """
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return False
    depth = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > max_depth:
                return True
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return False


def _ticket_id(value: Any) -> int:
    if isinstance(value, bool):
        raise PayloadError("The ticket id is not a number; check the trigger's JSON body.")
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("zen:ticket:"):
            value = value[len("zen:ticket:") :]
        # ASCII digits only: str.isdigit() also accepts "²", which int() refuses
        if not (value.isascii() and value.isdigit()) or len(value) > 19:
            raise PayloadError("The ticket id is not a number; check the trigger's JSON body.")
    if not isinstance(value, int | str):
        raise PayloadError("The ticket id is not a number; check the trigger's JSON body.")
    number = int(value)
    if not 0 < number <= _MAX_TICKET_ID:
        raise PayloadError("The ticket id is out of range; check the trigger's JSON body.")
    return number


def _opt_int(value: Any) -> int | None:
    if isinstance(value, str) and not (value.strip().isascii() and len(value) <= 20):
        return None
    try:
        number = None if value is None or isinstance(value, bool) else int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number is None or abs(number) <= _MAX_TICKET_ID else None


def _opt_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _envelope(data: dict[str, Any]) -> WebhookDelivery:
    kind = str(data["type"])[len(EVENT_TYPE_PREFIX) :]
    detail = _obj(data.get("detail"))
    subject = data.get("subject")
    ticket_id = _ticket_id(subject if subject is not None else detail.get("id"))
    ev = _obj(data.get("event"))
    comment = _obj(ev.get("comment"))
    author = _obj(comment.get("author"))
    custom = _obj(ev.get("custom_field"))
    body = comment.get("body")
    event = Event(
        kind=kind,
        ticket_id=ticket_id,
        comment_id=_opt_int(comment.get("id")),
        comment_body=body if isinstance(body, str) else None,
        comment_public=_opt_bool(comment.get("is_public")),
        author_id=_opt_int(author.get("id")),
        author_is_staff=_opt_bool(author.get("is_staff")),
        field_id=_opt_int(custom.get("id") if custom else ev.get("field_id")),
    )
    envelope_id = data.get("id")
    return WebhookDelivery(
        kind=kind,
        ticket_id=ticket_id,
        event=event,
        envelope_id=str(envelope_id) if envelope_id else None,
        body=data,
    )


def parse_body(raw: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> WebhookDelivery:
    """Decode a webhook body; PayloadError when it is neither shape or nested too deeply."""
    if json_too_deep(raw, max_depth):
        raise PayloadError("The webhook body is nested too deeply.")
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise PayloadError(
            "The webhook body is not JSON; check the webhook's request format."
        ) from None
    if not isinstance(data, dict):
        raise PayloadError("The webhook body is not a JSON object; check the trigger's body.")
    if isinstance(data.get("type"), str) and data["type"].startswith(EVENT_TYPE_PREFIX):
        return _envelope(data)
    if "ticket_id" not in data:
        raise PayloadError(
            'The webhook body has no "ticket_id"; use {"ticket_id": "{{ticket.id}}"}.'
        )
    ticket_id = _ticket_id(data["ticket_id"])
    kind = data.get("event") or "trigger"
    if not isinstance(kind, str) or len(kind) > 100:
        raise PayloadError('The "event" of the webhook body must be a short string.')
    kind = kind.strip()
    return WebhookDelivery(
        kind=kind,
        ticket_id=ticket_id,
        # "current_user_id": "{{current_user.id}}" names who caused the update
        event=Event(
            kind=kind, ticket_id=ticket_id, author_id=_opt_int(data.get("current_user_id"))
        ),
        envelope_id=None,
        body=data,
    )


def event_to_dict(event: Event) -> dict[str, Any]:
    """An Event as JSON-able dict (stored with the delivery)."""
    return asdict(event)


def event_from_dict(data: dict[str, Any]) -> Event:
    """The inverse of :func:`event_to_dict`; unknown keys are ignored."""
    known = set(Event.__dataclass_fields__)
    return Event(**{k: v for k, v in data.items() if k in known})
