"""``partnerdesk process TICKET_ID [--dry-run]``: run the relocation handler for one ticket.

Without ``--dry-run`` the handler runs exactly as the queue would run it (same store,
same idempotency records: an outcome already written is not written again). With
``--dry-run`` it reads the ticket from Zendesk, keeps everything in a throw-away
database, and prints the update(s) it would send instead of sending them.

Exit codes: 0 everything requested is approved without review; 1 anything else (partial,
rejected, review, or the ticket is no Umzugsauftrag); 2 usage or configuration errors.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from config.errors import UsageError
from config.settings import Settings
from handlers.ports import (
    AttachmentRef,
    CommentView,
    Event,
    Helpdesk,
    NewTicket,
    TicketUpdate,
    TicketView,
)

__all__ = ["HELP", "RecordingHelpdesk", "add_arguments", "format_update", "run"]

HELP = "run the relocation handler for one ticket"


@dataclass
class RecordingHelpdesk:
    """Reads through to a real helpdesk, records writes instead of sending them."""

    inner: Helpdesk
    updates: list[TicketUpdate] = field(default_factory=list)

    def get_ticket(self, ticket_id: int) -> TicketView:
        return self.inner.get_ticket(ticket_id)

    def list_comments(self, ticket_id: int) -> list[CommentView]:
        return self.inner.list_comments(ticket_id)

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes:
        return self.inner.download_attachment(attachment, max_bytes=max_bytes)

    def update_ticket(self, update: TicketUpdate) -> None:
        self.updates.append(update)

    def create_ticket(self, ticket: NewTicket) -> int:
        raise UsageError("A dry run does not create tickets.")

    def find_ticket_by_external_id(self, external_id: str) -> int | None:
        return self.inner.find_ticket_by_external_id(external_id)

    def write_landed(self, ticket_id: int, reference: str) -> bool:
        return any(u.ticket_id == ticket_id and u.reference == reference for u in self.updates)


def format_update(update: TicketUpdate) -> str:
    """A readable rendering of one update: header as JSON, then the comment text."""
    head = {
        "ticket_id": update.ticket_id,
        "public": update.public,
        "add_tags": list(update.add_tags),
        "remove_tags": list(update.remove_tags),
        "custom_fields": {str(k): v for k, v in update.custom_fields.items()},
        "status": update.status,
    }
    return json.dumps(head, ensure_ascii=False, indent=2) + "\n" + (update.comment or "")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ticket_id", type=int, help="the Zendesk ticket id")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the update(s) instead of sending them"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    from handlers.relocation.service import handle
    from integration.runtime import build_runtime
    from integration.store import Store
    from integration.store.engine import make_engine
    from integration.store.migrate import upgrade

    if args.ticket_id <= 0:
        raise UsageError("TICKET_ID must be a positive number.")
    with tempfile.TemporaryDirectory(prefix="partnerdesk-dry-") as tmp:
        if args.dry_run:
            store = Store(
                make_engine(f"sqlite:///{Path(tmp) / 'dry.db'}"), blob_root=Path(tmp) / "docs"
            )
        else:
            store = Store.from_settings(settings)
        upgrade(store.engine)
        runtime = build_runtime(settings, store=store)
        real = runtime.helpdesk_factory()
        helpdesk: Helpdesk = RecordingHelpdesk(real) if args.dry_run else real
        emitted: list[Event] = []
        ctx = runtime.context(helpdesk=helpdesk, emit=emitted.append)
        result = handle(Event(kind="manual", ticket_id=args.ticket_id), ctx)
        if result is None:
            print(f"ticket {args.ticket_id} is not an Umzugsauftrag; nothing to do")
            return 1
        if isinstance(helpdesk, RecordingHelpdesk):
            for update in helpdesk.updates:
                print(format_update(update))
            if not helpdesk.updates:
                print("nothing to write")
        else:
            _enqueue_follow_ups(runtime, emitted, args.ticket_id)
            print(
                f"ticket {args.ticket_id}: {result.decision.outcome}"
                f"{' (review)' if result.decision.needs_review else ''}, "
                f"{len(result.updates)} update(s) sent"
            )
        store.engine.dispose()
    return 0 if result.decision.outcome == "approved" and not result.decision.needs_review else 1


def _enqueue_follow_ups(runtime: object, events: list[Event], ticket_id: int) -> None:
    from integration.queue import Queue, build_huey
    from integration.runtime import Runtime
    from integration.tasks.deliveries import record_event

    assert isinstance(runtime, Runtime)
    if not events:
        return
    queue = Queue(build_huey(runtime.settings), runtime)
    for event in events:
        delivery_id, created = record_event(
            runtime,
            event,
            invocation_id=f"emit:{event.kind}:{ticket_id}:cli:{runtime.clock().isoformat()}",
        )
        if created:
            queue.enqueue_delivery(delivery_id)
