"""Event routing: a tiny router per business process, composed by the app (after gidgethub).

Each process package declares a :class:`Process` (its name, router, how its tickets are
recognised and which tag sends a case to an agent). The composition root builds one
:class:`ProcessRouter` from them; it fetches the ticket once per event, decides which
processes it belongs to with the shared :func:`ticket_matches`, and dispatches only to
those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handlers.ports import (
    AttachmentRef,
    CommentView,
    Event,
    Helpdesk,
    NewTicket,
    TicketUpdate,
    TicketView,
)

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = [
    "TICKET_EVENT_KINDS",
    "Handler",
    "Process",
    "ProcessRouter",
    "Router",
    "TicketMarker",
    "failed_process",
    "ticket_matches",
]

Handler = Callable[[Event, Any], None]

# Events about a ticket as Zendesk sees it (the rest are follow-ups such as
# "relocation.approved" that one process emits for another).
TICKET_EVENT_KINDS = frozenset(
    {
        "ticket.created",
        "ticket.updated",
        "ticket.comment_added",
        "ticket.custom_field_changed",
        "trigger",
        "manual",
    }
)


class Router:
    """Maps event kinds to handler functions; routers can be composed."""

    def __init__(self, *others: Router) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)
        for other in others:
            for kind, handlers in other._handlers.items():
                self._handlers[kind].extend(handlers)

    def register(self, *kinds: str) -> Callable[[Handler], Handler]:
        """Decorator: call the function for every event of the given kinds."""

        def decorate(func: Handler) -> Handler:
            for kind in kinds:
                self._handlers[kind].append(func)
            return func

        return decorate

    def handlers_for(self, kind: str) -> list[Handler]:
        return list(self._handlers.get(kind, ()))

    def kinds(self) -> set[str]:
        return set(self._handlers)

    def dispatch(self, event: Event, context: Any) -> int:
        """Call every handler for ``event.kind``; returns how many ran."""
        handlers = self.handlers_for(event.kind)
        for handler in handlers:
            handler(event, context)
        return len(handlers)


@dataclass(frozen=True)
class TicketMarker:
    """How a process recognises its tickets: form, tag or a custom field's value."""

    form_id: int | None = None
    tag: str = ""
    field_id: int | None = None
    field_value: str = ""


def ticket_matches(ticket: TicketView, marker: TicketMarker) -> bool:
    """Whether the ticket carries the marker's form, tag or field value (case-insensitive)."""
    if marker.form_id is not None and ticket.form_id == marker.form_id:
        return True
    if marker.tag and marker.tag.casefold() in (t.casefold() for t in ticket.tags):
        return True
    if marker.field_id is not None and marker.field_value:
        value = ticket.custom_fields.get(marker.field_id)
        if isinstance(value, str) and value.strip().casefold() == marker.field_value.casefold():
            return True
    return False


@dataclass(frozen=True)
class Process:
    """One business process as the composition root sees it.

    ``marker`` returns the ticket marker from the settings, or None for a process whose
    tickets are not marked (scheduling knows its tickets from its own records and filters
    itself). ``name`` is also the case's process name in the store and the sidebar's.
    """

    name: str
    router: Router
    review_tag: Callable[[Settings], str]
    marker: Callable[[Settings], TicketMarker] | None = None
    sidebar: bool = False  # whether the agents' sidebar shows this process's case


class _OnceHelpdesk:
    """The context's helpdesk with ``get_ticket`` answered once per ticket per event.

    A write to the ticket forgets the cached view, so a handler that runs after another
    process wrote still reads the ticket as it now is.
    """

    def __init__(self, inner: Helpdesk) -> None:
        self._inner = inner
        self._tickets: dict[int, TicketView] = {}

    def __getattr__(self, name: str) -> Any:
        # adapter extras beyond the Protocol (e.g. audit look-ups) pass straight through
        return getattr(self._inner, name)

    def get_ticket(self, ticket_id: int) -> TicketView:
        if ticket_id not in self._tickets:
            self._tickets[ticket_id] = self._inner.get_ticket(ticket_id)
        return self._tickets[ticket_id]

    def list_comments(self, ticket_id: int) -> list[CommentView]:
        return self._inner.list_comments(ticket_id)

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes:
        return self._inner.download_attachment(attachment, max_bytes=max_bytes)

    def update_ticket(self, update: TicketUpdate) -> None:
        self._tickets.pop(update.ticket_id, None)
        self._inner.update_ticket(update)

    def create_ticket(self, ticket: NewTicket) -> int:
        return self._inner.create_ticket(ticket)


def failed_process(exc: BaseException) -> str | None:
    """The name of the process whose handler raised ``exc`` (set by ProcessRouter)."""
    name = getattr(exc, "partnerdesk_process", None)
    return name if isinstance(name, str) else None


class ProcessRouter:
    """All processes composed: one entrance for every event, webhook or link or CLI."""

    def __init__(self, *processes: Process) -> None:
        names = [p.name for p in processes]
        if len(set(names)) != len(names):
            raise ValueError(f"process names must be unique: {names}")
        self.processes: tuple[Process, ...] = processes

    def kinds(self) -> set[str]:
        return set().union(*(p.router.kinds() for p in self.processes))

    def get(self, name: str) -> Process | None:
        return next((p for p in self.processes if p.name == name), None)

    def matching(self, ticket: TicketView, settings: Settings) -> list[Process]:
        """The marked processes whose tickets look like ``ticket``."""
        return [
            p
            for p in self.processes
            if p.marker is not None and ticket_matches(ticket, p.marker(settings))
        ]

    def _targets(self, event: Event, context: Any) -> Sequence[Process]:
        listening = [p for p in self.processes if p.router.handlers_for(event.kind)]
        if event.kind not in TICKET_EVENT_KINDS or not any(p.marker for p in listening):
            return listening
        ticket = context.helpdesk.get_ticket(event.ticket_id)  # the one fetch of this event
        return [
            p
            for p in listening
            if p.marker is None or ticket_matches(ticket, p.marker(context.settings))
        ]

    def dispatch(self, event: Event, context: Any) -> int:
        """Run the handlers of every process the event belongs to; returns how many ran."""
        original = context.helpdesk
        inner = original._inner if isinstance(original, _OnceHelpdesk) else original
        context.helpdesk = _OnceHelpdesk(inner)  # one ticket fetch for this event only
        ran = 0
        try:
            for process in self._targets(event, context):
                try:
                    ran += process.router.dispatch(event, context)
                except Exception as exc:
                    exc.partnerdesk_process = process.name  # type: ignore[attr-defined]
                    raise
        finally:
            context.helpdesk = original
        return ran
