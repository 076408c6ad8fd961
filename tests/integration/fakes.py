"""An in-memory Helpdesk that records every call (for handler and queue tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from config.errors import AttachmentError
from handlers.ports import AttachmentRef, CommentView, NewTicket, TicketUpdate, TicketView


@dataclass
class FakeHelpdesk:
    """Tickets, comments and files in dicts; updates appended to ``updates``."""

    tickets: dict[int, TicketView] = field(default_factory=dict)
    comments: dict[int, list[CommentView]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)  # content_url -> bytes
    updates: list[TicketUpdate] = field(default_factory=list)
    downloads: list[int] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    # raise this (once per entry) before the next update / download
    fail_update: list[Exception] = field(default_factory=list)
    fail_download: list[Exception] = field(default_factory=list)
    on_update: Callable[[TicketUpdate], None] | None = None
    # apply the next write, then raise this (Zendesk applied it but the answer was lost)
    fail_after_write: list[Exception] = field(default_factory=list)
    created: dict[int, NewTicket] = field(default_factory=dict)
    landed_checks: int = 0

    def get_ticket(self, ticket_id: int) -> TicketView:
        return self.tickets[ticket_id]

    def list_comments(self, ticket_id: int) -> list[CommentView]:
        return list(self.comments.get(ticket_id, []))

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes:
        self.downloads.append(attachment.id)
        if self.fail_download:
            raise self.fail_download.pop(0)
        data = self.files.get(attachment.content_url)
        if data is None:
            raise AttachmentError("download_failed", "HTTP 404")
        if not data.startswith(b"%PDF-"):
            raise AttachmentError("not_pdf", "not a PDF")
        return data

    def update_ticket(self, update: TicketUpdate) -> None:
        if self.fail_update:
            raise self.fail_update.pop(0)
        self.updates.append(update)
        self.references.append(update.reference)
        if update.comment:
            existing = self.comments.setdefault(update.ticket_id, [])
            existing.append(
                CommentView(
                    id=10_000 + len(existing),
                    body=update.comment,
                    public=update.public,
                    author_id=1,
                )
            )
        if self.on_update:
            self.on_update(update)
        if self.fail_after_write:
            raise self.fail_after_write.pop(0)

    def create_ticket(self, ticket: NewTicket) -> int:
        if self.fail_update:
            raise self.fail_update.pop(0)
        ticket_id = 50_000 + len(self.created)
        self.created[ticket_id] = ticket
        if self.fail_after_write:
            raise self.fail_after_write.pop(0)
        return ticket_id

    def find_ticket_by_external_id(self, external_id: str) -> int | None:
        ids = [i for i, t in self.created.items() if t.external_id == external_id]
        return min(ids) if ids else None

    def write_landed(self, ticket_id: int, reference: str) -> bool:
        self.landed_checks += 1
        return any(u.ticket_id == ticket_id and u.reference == reference for u in self.updates)
