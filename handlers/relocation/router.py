"""Events that (re)evaluate an Umzugsauftrag."""

from __future__ import annotations

from typing import Any

from handlers.ports import Event
from handlers.relocation.service import PROCESS, handle
from handlers.router import Process, Router, TicketMarker

__all__ = ["EVENT_KINDS", "process", "router"]

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


process = Process(
    name=PROCESS,
    router=router,
    marker=lambda s: TicketMarker(
        form_id=s.relocation.form_id,
        tag=s.relocation.tag,
        field_id=s.relocation.field_id,
        field_value=s.relocation.field_value,
    ),
    review_tag=lambda s: s.relocation.tag_review,
    sidebar=True,
)
