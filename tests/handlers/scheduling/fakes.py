"""An in-memory helpdesk and a minimal store for the scheduling flow tests."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from config.settings import Settings, load_settings
from handlers.context import Context
from handlers.ports import AttachmentRef, CommentView, Event, NewTicket, TicketUpdate, TicketView
from integration.store import Store, WriteRecord
from integration.store.engine import make_engine
from integration.store.migrate import upgrade
from integration.store.scheduling import SchedulingRepo

SECRET = "x" * 40
SOURCE_FIELD = 9001
CUTOVER_FIELD = 9002
LINK_FIELD = 9003


class FakeHelpdesk:
    def __init__(self) -> None:
        self.tickets: dict[int, TicketView] = {}
        self.updates: list[TicketUpdate] = []
        self.created: list[NewTicket] = []
        self.comments: dict[int, list[CommentView]] = {}
        self._next = 5000
        self._comment_ids = 700

    def add(self, ticket_id: int, fields: dict[int, Any], *, requester_id: int | None = 77) -> None:
        self.tickets[ticket_id] = TicketView(
            id=ticket_id,
            subject="Umzugsauftrag",
            description="",
            status="open",
            custom_fields=fields,
            requester_id=requester_id,
        )

    def comment(self, ticket_id: int, body: str, *, author_id: int, public: bool = True) -> int:
        """A comment written on the ticket (by a partner when ``author_id`` is the requester)."""
        self._comment_ids += 1
        self.comments.setdefault(ticket_id, []).append(
            CommentView(id=self._comment_ids, body=body, public=public, author_id=author_id)
        )
        return self._comment_ids

    def set_field(self, ticket_id: int, field_id: int, value: Any) -> None:
        t = self.tickets[ticket_id]
        self.tickets[ticket_id] = replace(t, custom_fields={**t.custom_fields, field_id: value})

    def get_ticket(self, ticket_id: int) -> TicketView:
        return self.tickets[ticket_id]

    def list_comments(self, ticket_id: int) -> list[CommentView]:
        return list(self.comments.get(ticket_id, []))

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes:
        raise AssertionError("not used")

    def update_ticket(self, update: TicketUpdate) -> None:
        self.updates.append(update)
        if update.custom_fields and update.ticket_id in self.tickets:
            t = self.tickets[update.ticket_id]
            self.tickets[update.ticket_id] = replace(
                t, custom_fields={**t.custom_fields, **update.custom_fields}
            )

    def create_ticket(self, ticket: NewTicket) -> int:
        self._next += 1
        self.created.append(ticket)
        self.tickets[self._next] = TicketView(
            id=self._next,
            subject=ticket.subject,
            description=ticket.comment,
            status="new",
            tags=ticket.tags,
            custom_fields=dict(ticket.custom_fields),
            requester_id=88,  # the partner contact's user
            external_id=ticket.external_id,
        )
        return self._next

    def find_ticket_by_external_id(self, external_id: str) -> int | None:
        return next((t.id for t in self.tickets.values() if t.external_id == external_id), None)

    def write_landed(self, ticket_id: int, reference: str) -> bool:
        return any(u.ticket_id == ticket_id and u.reference == reference for u in self.updates)

    def for_ticket(self, ticket_id: int) -> list[TicketUpdate]:
        return [u for u in self.updates if u.ticket_id == ticket_id]


@dataclass
class CaseStub:
    decision: dict[str, Any] | None


@dataclass
class FakeStore:
    """The real store's ticket-write records, with relocation cases supplied by the test."""

    scheduling: SchedulingRepo
    real: Store
    cases: dict[int, CaseStub] = field(default_factory=dict)

    def get_case(self, ticket_id: int, process: str) -> CaseStub | None:
        return self.cases.get(ticket_id) if process == "relocation" else None

    def begin_write(self, **kw: Any) -> tuple[WriteRecord, bool]:
        return self.real.begin_write(**kw)

    def mark_write_sent(self, write_id: int, *, now: datetime) -> None:
        self.real.mark_write_sent(write_id, now=now)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def scheduling_settings(**over: Any) -> Settings:
    sched = {
        "cutover_field_id": CUTOVER_FIELD,
        "linked_ticket_field_id": LINK_FIELD,
        "capacity": 1,
        "organizer_email": "support@carrier.example",
        **over,
    }
    return load_settings(
        env={"PARTNERDESK_LINK_SECRET": SECRET},
        overrides={
            "relocation": {"source_partner_field_id": SOURCE_FIELD},
            "scheduling": sched,
            "partners": [
                {
                    "id": "alpha",
                    "name": "Alpha Tel GmbH",
                    "contact_email": "noc@alpha.example",
                    "contact_name": "NOC Alpha",
                }
            ],
        },
    )


def make_context(
    tmp: Path, *, now: datetime | None = None, **over: Any
) -> tuple[Context, FakeHelpdesk, FakeStore, Clock]:
    engine = make_engine(f"sqlite:///{tmp / 'sched.db'}")
    upgrade(engine)
    store = FakeStore(SchedulingRepo(engine), Store(engine, blob_root=tmp / "blobs"))
    helpdesk = FakeHelpdesk()
    clock = Clock(now or datetime(2026, 11, 20, 9, tzinfo=UTC))
    emitted: list[Event] = []
    ctx = Context(
        settings=scheduling_settings(**over),
        helpdesk=helpdesk,
        store=store,
        clock=clock,
        read_document=lambda data, name: None,  # type: ignore[arg-type,return-value]
        emit=emitted.append,
        cutovers=store.scheduling,
    )
    return ctx, helpdesk, store, clock


def approved(*ranges: tuple[str, str]) -> dict[str, Any]:
    return {
        "approved": [{"first": f, "last": lst} for f, lst in ranges],
        "rejected": [],
        "unrequested": [],
        "needs_review": False,
        "review_reasons": [],
        "overrides": [],
    }
