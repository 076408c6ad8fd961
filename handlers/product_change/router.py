"""Events of Produktwechsel tickets: facts → verdict → one internal note and tags.

A ticket is a product-change ticket when its form, a tag or a custom field says so
(``[product_change]`` settings). Each evaluation writes one update (note + tags) unless
the state is the same as last time: a fingerprint of the verdict (without the date) is
kept on the ticket's ``product_change`` case in the store, so the update that partnerdesk
itself causes, or a repeated webhook, writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import structlog

from config.settings import ProductChangeSettings, Settings
from handlers.context import Context
from handlers.ports import Event, TicketUpdate, TicketView
from handlers.product_change.checklist import build_checklist
from handlers.product_change.note import render_note
from handlers.product_change.rules import Outcome, Verdict, evaluate, local_today
from handlers.product_change.source import ContractSource, TicketFieldSource
from handlers.router import Process, Router, TicketMarker, ticket_matches
from handlers.writes import write_update

__all__ = [
    "EVENT_KINDS",
    "PROCESS",
    "build_router",
    "fingerprint",
    "is_product_change",
    "marker_of",
    "process",
    "process_ticket",
    "router",
    "tag_for",
]

PROCESS = "product_change"
EVENT_KINDS = (
    "ticket.created",
    "ticket.updated",
    "ticket.custom_field_changed",
    "trigger",
    "manual",
)
SourceFactory = Callable[[Settings], ContractSource]

log = structlog.get_logger(__name__)


NOTE_KIND = "product_change_note"


def _default_source(settings: Settings) -> ContractSource:
    return TicketFieldSource(settings.product_change)


def is_product_change(ticket: TicketView, settings: ProductChangeSettings) -> bool:
    """Whether the ticket's form, tags or marker field make it a Produktwechsel ticket."""
    return ticket_matches(ticket, marker_of(settings))


def marker_of(settings: ProductChangeSettings) -> TicketMarker:
    """The form, tag and field value that mark a Produktwechsel ticket."""
    return TicketMarker(
        form_id=settings.form_id,
        tag=settings.tag,
        field_id=settings.field_id,
        field_value=settings.field_value,
    )


def tag_for(outcome: Outcome, settings: ProductChangeSettings) -> str:
    """The ticket tag that marks ``outcome``."""
    return {
        Outcome.POSSIBLE: settings.tag_possible,
        Outcome.APPROVAL_REQUIRED: settings.tag_approval,
        Outcome.BLOCKED: settings.tag_blocked,
        Outcome.NEEDS_INFO: settings.tag_info,
    }[outcome]


def fingerprint(verdict: Verdict) -> str:
    """SHA-256 of the verdict without its date: equal while nothing that matters changes."""
    canonical = json.dumps(verdict.as_dict(include_today=False), sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _irrelevant_field(event: Event, settings: Settings, source: ContractSource) -> bool:
    """A field change that cannot alter the verdict (skips a ticket fetch)."""
    if event.kind != "ticket.custom_field_changed" or event.field_id is None:
        return False
    if not isinstance(source, TicketFieldSource):
        return False  # another source may depend on anything
    pc = settings.product_change
    watched = set(source.field_ids().values()) | {pc.field_id}
    return event.field_id not in watched


def process_ticket(event: Event, ctx: Context, *, source: ContractSource) -> TicketUpdate | None:
    """Evaluate the ticket of ``event`` and write the note; returns the update sent, if any."""
    settings = ctx.settings
    pc = settings.product_change
    if _irrelevant_field(event, settings, source):
        return None
    ticket = ctx.helpdesk.get_ticket(event.ticket_id)
    if not is_product_change(ticket, pc) or ticket.status == "closed":
        return None  # Zendesk refuses updates to closed tickets; nothing to advise there
    now = ctx.clock()
    verdict = evaluate(
        source.get_facts(ticket),
        today=local_today(now, tz=settings.general.timezone),
        settings=pc,
    )
    fp = fingerprint(verdict)
    case = ctx.store.get_case(ticket.id, PROCESS)
    if case is not None and case.fingerprint == fp:
        log.info("product_change.unchanged", ticket_id=ticket.id, outcome=verdict.outcome.value)
        return None
    wanted = tag_for(verdict.outcome, pc)
    ours = {tag_for(o, pc) for o in Outcome}
    present = set(ticket.tags)
    update = TicketUpdate(
        ticket_id=ticket.id,
        comment=render_note(verdict, build_checklist(verdict)),
        public=False,
        add_tags=(wanted,),
        remove_tags=tuple(sorted((ours - {wanted}) & present)),
    )
    # keyed by the transition, so a verdict that comes back after another is written again
    previous = case.fingerprint if case is not None and case.fingerprint else "new"
    write_update(ctx, update, kind=NOTE_KIND, fingerprint=f"{previous}>{fp}")
    # Saved only after the write succeeded: a failed write is retried, never lost.
    if case is None:
        case = ctx.store.upsert_case(ticket.id, PROCESS, requested=[], invalid=[], now=now)
    ctx.store.save_decision(
        case.id,
        decision=verdict.as_dict(),
        fingerprint=fp,
        state=verdict.outcome.value,
        now=now,
    )
    log.info(
        "product_change.written",
        ticket_id=ticket.id,
        outcome=verdict.outcome.value,
        reasons=len(verdict.reasons),
    )
    return update


def build_router(*, source_factory: SourceFactory = _default_source) -> Router:
    """A router for product-change events reading facts from ``source_factory(settings)``."""
    built = Router()

    @built.register(*EVENT_KINDS)
    def on_event(event: Event, ctx: Any) -> None:
        process_ticket(event, ctx, source=source_factory(ctx.settings))

    return built


router = build_router()

process = Process(
    name=PROCESS,
    router=router,
    marker=lambda s: marker_of(s.product_change),
    review_tag=lambda s: s.product_change.tag_review,
)
