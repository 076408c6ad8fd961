"""What the business processes see of the world: plain values and Protocols.

Handlers never import zenpy, SQLAlchemy or anything under ``integration/``:
``integration.zendesk`` implements :class:`Helpdesk`, ``integration.store`` implements
:class:`CaseStore`, and tests use in-memory fakes. The runtime passes the implementations
in (``handlers.context.Context``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from handlers.relocation.decision import Override

__all__ = [
    "AttachmentRef",
    "CaseRecord",
    "CaseStore",
    "Clock",
    "CommentView",
    "DocumentRecord",
    "Event",
    "Helpdesk",
    "NewTicket",
    "TicketUpdate",
    "TicketView",
    "Upload",
    "WriteRecord",
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
    # partnerdesk's reference of this write (handlers.writes); Zendesk keeps it in the
    # audit's custom metadata, so a retry can tell whether the write landed
    reference: str = ""

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
    # structured input of events that are no webhooks (e.g. a partner's link-page answer)
    data: dict[str, Any] = field(default_factory=dict)


class Helpdesk(Protocol):
    """The helpdesk operations the handlers need."""

    def get_ticket(self, ticket_id: int) -> TicketView: ...

    def list_comments(self, ticket_id: int) -> list[CommentView]: ...

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes: ...

    def update_ticket(self, update: TicketUpdate) -> None: ...

    def create_ticket(self, ticket: NewTicket) -> int:
        """Open a ticket; ``external_id`` (when set) doubles as the request's idempotency key."""
        ...

    def find_ticket_by_external_id(self, external_id: str) -> int | None:
        """The id of the ticket with this external id, or None."""
        ...

    def write_landed(self, ticket_id: int, reference: str) -> bool:
        """Whether an update carrying ``reference`` was applied to the ticket."""
        ...


@dataclass(frozen=True)
class CaseRecord:
    """One process's case on one ticket, as stored."""

    id: int
    ticket_id: int
    process: str
    state: str
    requested: list[dict[str, Any]]
    invalid: list[str]
    decision: dict[str, Any] | None
    fingerprint: str | None


@dataclass(frozen=True)
class DocumentRecord:
    """One attachment of a case, with what the reader made of it."""

    id: int
    case_id: int
    attachment_id: int
    file_name: str
    sha256: str | None
    parsed: dict[str, Any] | None
    error_code: str | None


@dataclass(frozen=True)
class WriteRecord:
    """One ticket write, recorded with its reference before it is sent."""

    id: int
    ticket_id: int
    kind: str
    fingerprint: str
    reference: str
    state: str


class CaseStore(Protocol):
    """The durable state the handlers read and write: cases, documents, writes, blobs."""

    def get_case(self, ticket_id: int, process: str) -> CaseRecord | None: ...

    def upsert_case(
        self,
        ticket_id: int,
        process: str,
        *,
        requested: Sequence[dict[str, Any]],
        invalid: Sequence[str],
        now: datetime,
    ) -> CaseRecord: ...

    def save_decision(
        self,
        case_id: int,
        *,
        decision: dict[str, Any],
        fingerprint: str,
        state: str,
        now: datetime,
    ) -> None: ...

    def add_document(
        self,
        *,
        case_id: int,
        ticket_id: int,
        attachment_id: int,
        file_name: str,
        sha256: str | None,
        parsed: dict[str, Any] | None,
        error_code: str | None,
        now: datetime,
    ) -> bool: ...

    def documents(self, case_id: int) -> list[DocumentRecord]: ...

    def seen_attachment_ids(self, ticket_id: int) -> set[int]: ...

    def put_pdf(self, data: bytes) -> str: ...

    def read_pdf(self, sha256: str) -> bytes: ...

    def get_write(self, ticket_id: int, kind: str, fingerprint: str) -> WriteRecord | None: ...

    def begin_write(
        self, *, ticket_id: int, kind: str, fingerprint: str, reference: str, now: datetime
    ) -> tuple[WriteRecord, bool]: ...

    def mark_write_sent(self, write_id: int, *, now: datetime) -> None: ...

    def writes(self, ticket_id: int) -> list[WriteRecord]: ...

    def app_overrides(self, ticket_id: int) -> list[Override]: ...
