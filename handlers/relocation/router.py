"""Events that (re)evaluate an Umzugsauftrag (contract 6)."""

from __future__ import annotations

from typing import Any

from handlers.ports import Event
from handlers.relocation.service import handle
from handlers.router import Router

__all__ = ["EVENT_KINDS", "router"]

# "trigger" is a trigger webhook carrying only the ticket id; "manual" is the CLI.
EVENT_KINDS = (
    "ticket.created",
    "ticket.comment_added",
    "ticket.custom_field_changed",
    "trigger",
    "manual",
)

router = Router()


@router.register(*EVENT_KINDS)
def on_ticket_event(event: Event, ctx: Any) -> None:
    handle(event, ctx)
