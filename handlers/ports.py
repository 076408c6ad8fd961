"""What the business processes see of the helpdesk: plain values and one Protocol.

Handlers never import zenpy; ``integration.zendesk`` implements :class:`Helpdesk` and
tests use an in-memory fake or zenpy against ``responses``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

__all__ = [
    "AttachmentRef",
    "Clock",
    "CommentView",
    "Event",
    "Helpdesk",
    "NewTicket",
    "TicketUpdate",
    "TicketView",
    "Upload",
]

Clock = Callable[[], datetime]  # returns an aware UTC datetime


@dataclass(frozen=True)
class TicketView:
    """The parts of a ticket partnerdesk reads."""

    id: int
    subject: str
    description: str
    status: str
    tags: tuple[str, ...] = ()
    form_id: int | None = None
    custom_fields: dict[int, Any] = field(default_factory=dict)
    requester_id: int | None = None
    organization_id: int | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class AttachmentRef:
    """An attachment on one of the ticket's comments."""

    id: int
    file_name: str
    content_type: str
    content_url: str
    size: int
    comment_id: int
    public: bool = True


@dataclass(frozen=True)
class CommentView:
    """A comment on a ticket."""

    id: int
    body: str
    public: bool
    author_id: int | None
    created_at: datetime | None = None
    attachments: tuple[AttachmentRef, ...] = ()


@dataclass(frozen=True)
class Upload:
    """A file to attach to the comment of an update (e.g. an .ics invitation)."""

    file_name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class TicketUpdate:
    """Everything one outcome writes to one ticket, sent as a single update.

    Zendesk takes one comment per update: ``comment`` is that comment (internal when
    ``public`` is False). Tags are added/removed, never replaced wholesale.
    """

    ticket_id: int
    comment: str | None = None
    public: bool = False
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()
    custom_fields: dict[int, Any] = field(default_factory=dict)
    status: str | None = None
    uploads: tuple[Upload, ...] = ()

    def is_empty(self) -> bool:
        return not (
            self.comment or self.add_tags or self.remove_tags or self.custom_fields or self.status
        )


@dataclass(frozen=True)
class NewTicket:
    """A ticket partnerdesk opens itself (e.g. the source partner's linked ticket)."""

    subject: str
    comment: str
    requester_email: str
    requester_name: str = ""
    public: bool = True
    tags: tuple[str, ...] = ()
    custom_fields: dict[int, Any] = field(default_factory=dict)
    external_id: str | None = None
    uploads: tuple[Upload, ...] = ()


@dataclass(frozen=True)
class Event:
    """One thing that happened to a ticket, as the router sees it.

    ``kind`` is a plain string: ``ticket.created``, ``ticket.updated``,
    ``ticket.comment_added``, ``ticket.custom_field_changed`` or ``trigger`` (a trigger
    webhook that carries only the ticket id), or ``manual`` (CLI / agent app).
    """

    kind: str
    ticket_id: int
    delivery_id: str = ""
    comment_id: int | None = None
    comment_body: str | None = None
    comment_public: bool | None = None
    author_id: int | None = None
    author_is_staff: bool | None = None
    field_id: int | None = None


class Helpdesk(Protocol):
    """The helpdesk operations the handlers need."""

    def get_ticket(self, ticket_id: int) -> TicketView: ...

    def list_comments(self, ticket_id: int) -> list[CommentView]: ...

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes: ...

    def update_ticket(self, update: TicketUpdate) -> None: ...

    def create_ticket(self, ticket: NewTicket) -> int: ...
