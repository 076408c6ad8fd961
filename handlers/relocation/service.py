"""The relocation handler: an Umzugsauftrag's documents → decision → one ticket write.

Steps: recognise the ticket; read the requested numbers; read every PDF attachment not
seen before (bytes kept content-addressed, parse result stored); decide over ALL of the
case's documents; write the note (+ tags + status field) once per outcome, then the
optional public reply as a second update with its own idempotency record.

Exactly once: every write goes through ``handlers.writes`` (recorded as *pending* with
its reference before Zendesk is called; a retry or an ambiguous failure asks Zendesk
whether it landed before writing again).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import structlog

from config.errors import AttachmentError
from config.settings import RelocationSettings
from handlers.context import Context
from handlers.ports import AttachmentRef, CommentView, Event, TicketUpdate, TicketView
from handlers.relocation.decision import Decision, decide
from handlers.relocation.texts import (
    NOTE_KIND,
    REPLY_KIND,
    SeenDocument,
    fingerprint,
    note_update,
    reference,
    reply_update,
)
from handlers.router import TicketMarker, ticket_matches
from handlers.writes import write_update
from parsers.model import DocumentError, NumberRange, ParsedDocument
from parsers.serialize import number_range_from_dict, parsed_document_from_dict

__all__ = [
    "PROCESS",
    "RelocationResult",
    "handle",
    "is_pdf",
    "is_relocation",
    "requested_text",
    "write_once",
]

PROCESS = "relocation"
SKIPPED = "skipped"
ATTACHMENT_LIMIT = "attachment_limit"  # review reason: the per-ticket caps left attachments unread
REFERENCE_MARKER = "partnerdesk-ref:"
log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RelocationResult:
    """What one run did (for the CLI and tests)."""

    decision: Decision
    fingerprint: str
    updates: tuple[TicketUpdate, ...]  # the updates sent by this run (empty: nothing new)


def is_relocation(ticket: TicketView, settings: RelocationSettings) -> bool:
    """An Umzugsauftrag by ticket form, tag or custom field value."""
    marker = TicketMarker(
        form_id=settings.form_id,
        tag=settings.tag,
        field_id=settings.field_id,
        field_value=settings.field_value,
    )
    return ticket_matches(ticket, marker)


def requested_text(ticket: TicketView, settings: RelocationSettings) -> str:
    """The requested numbers' text: the configured field if filled, else the description."""
    if settings.requested_numbers_field_id is not None:
        value = ticket.custom_fields.get(settings.requested_numbers_field_id)
        if isinstance(value, str) and value.strip():
            return value
    return ticket.description


def is_pdf(attachment: AttachmentRef) -> bool:
    """PDF by content type or file name; the download still checks the bytes."""
    return attachment.content_type.split(";")[
        0
    ].strip().lower() == "application/pdf" or attachment.file_name.lower().endswith(".pdf")


@dataclass(frozen=True)
class _Reading:
    """What one run read: how many attachments, and which it left for a later run."""

    read: int
    left: tuple[int, ...]  # attachment ids not read: the per-ticket caps were reached


def _read_new_attachments(
    ctx: Context, ticket_id: int, case_id: int, comments: list[CommentView]
) -> _Reading:
    """Download, keep and parse every attachment not seen before, within the caps.

    Per ticket and run at most ``limits.max_attachments_per_ticket`` PDFs are read and
    parsing stops once ``limits.ticket_parse_budget_seconds`` are spent; attachments left
    over stay unseen (a later run reads them) and the decision goes to review.
    """
    store = ctx.store
    limits = ctx.settings.limits
    seen: set[int] = store.seen_attachment_ids(ticket_id)
    count = 0
    pdfs = 0
    parse_seconds = 0.0
    left: list[int] = []
    for comment in comments:
        for att in comment.attachments:
            if att.id in seen:
                continue
            if is_pdf(att) and (
                pdfs >= limits.max_attachments_per_ticket
                or parse_seconds >= limits.ticket_parse_budget_seconds
            ):
                left.append(att.id)
                continue
            seen.add(att.id)
            count += 1
            sha: str | None = None
            parsed: ParsedDocument | None
            if not is_pdf(att):
                parsed = None
            else:
                pdfs += 1
                try:
                    data = ctx.helpdesk.download_attachment(att, max_bytes=limits.max_file_bytes)
                except AttachmentError as exc:
                    if exc.transient:
                        raise  # the queue retries the whole delivery later
                    parsed = ParsedDocument.failed(att.file_name, DocumentError(exc.code, str(exc)))
                else:
                    sha = store.put_pdf(data)
                    started = time.monotonic()
                    parsed = ctx.read_document(data, att.file_name)
                    parse_seconds += time.monotonic() - started
            store.add_document(
                case_id=case_id,
                ticket_id=ticket_id,
                attachment_id=att.id,
                file_name=att.file_name,
                sha256=sha,
                parsed=parsed.as_dict() if parsed else None,
                error_code=(parsed.error.code if parsed and parsed.error else None)
                if parsed
                else SKIPPED,
                now=ctx.clock(),
            )
            log.info(
                "attachment_recorded",
                attachment_id=att.id,
                skipped=parsed is None,
                error=parsed.error.code if parsed and parsed.error else None,
            )
    if left:
        log.warning("attachment_limit_reached", read=pdfs, left=len(left))
    return _Reading(read=count, left=tuple(left))


def _case_documents(ctx: Context, case_id: int) -> list[SeenDocument]:
    out: list[SeenDocument] = []
    for rec in ctx.store.documents(case_id):
        parsed = (
            None
            if rec.error_code == SKIPPED or rec.parsed is None
            else parsed_document_from_dict(rec.parsed)
        )
        out.append(SeenDocument(rec.attachment_id, rec.file_name, rec.sha256, parsed))
    return out


def write_once(ctx: Context, update: TicketUpdate, *, kind: str, fp: str, ref: str = "") -> str:
    """Send ``update`` unless this outcome was written already (``handlers.writes``).

    Returns ``sent``, ``found`` (an earlier attempt's write was found on the ticket) or
    ``already`` (recorded as sent before). ``ref`` is implied by ``kind`` and ``fp``.
    """
    return write_update(ctx, update, kind=kind, fingerprint=fp)


def handle(event: Event, ctx: Context) -> RelocationResult | None:
    """Process one event for an Umzugsauftrag; None when the ticket is not one."""
    if event.comment_body and REFERENCE_MARKER in event.comment_body:
        return None  # our own note coming back as comment_added
    settings = ctx.settings.relocation
    ticket = ctx.helpdesk.get_ticket(event.ticket_id)
    if not is_relocation(ticket, settings):
        log.info("not_a_relocation", ticket_id=ticket.id)
        return None
    from parsers.numbers import parse_requested

    requested = parse_requested(
        requested_text(ticket, settings), region=ctx.settings.general.region
    )
    case = ctx.store.upsert_case(
        ticket.id,
        PROCESS,
        requested=[r.as_dict() for r in requested.ranges],
        invalid=list(requested.invalid),
        now=ctx.clock(),
    )
    comments = ctx.helpdesk.list_comments(ticket.id)
    reading = _read_new_attachments(ctx, ticket.id, case.id, comments)
    documents = _case_documents(ctx, case.id)
    ranges: list[NumberRange] = [number_range_from_dict(r) for r in case.requested]
    decision = decide(
        ranges,
        [d.parsed for d in documents if d.parsed is not None],
        invalid=tuple(case.invalid),
        # agents' overrides from the sidebar app (integration.store.overrides), oldest first
        overrides=getattr(ctx.store, "app_overrides", lambda _ticket_id: ())(ticket.id),
    )
    if reading.left:
        # Unread attachments might keep numbers back: never approve without an agent.
        decision = replace(
            decision,
            needs_review=True,
            review_reasons=(*decision.review_reasons, ATTACHMENT_LIMIT),
        )
    fp = fingerprint(decision, documents)
    state = "review" if decision.needs_review else decision.outcome
    ctx.store.save_decision(
        case.id, decision=decision.as_dict(), fingerprint=fp, state=state, now=ctx.clock()
    )
    log.info(
        "relocation_decided",
        outcome=decision.outcome,
        review=decision.needs_review,
        approved=decision.approved_count,
        rejected=len(decision.rejected),
        documents=len(documents),
    )
    sent: list[TicketUpdate] = []
    note_ref = reference(NOTE_KIND, fp)
    note = note_update(
        ticket.id, decision, documents, settings, present_tags=ticket.tags, ref=note_ref
    )
    note_state = write_once(ctx, note, kind=NOTE_KIND, fp=fp, ref=note_ref)
    if note_state == "sent":
        sent.append(note)
    # The reply goes out only after the note succeeded (write_once raised otherwise).
    if settings.public_reply:
        reply_ref = reference(REPLY_KIND, fp)
        reply = reply_update(ticket.id, decision, ref=reply_ref, documents=documents)
        if (
            reply is not None
            and write_once(ctx, reply, kind=REPLY_KIND, fp=fp, ref=reply_ref) == "sent"
        ):
            sent.append(reply)
    approved = decision.outcome in ("approved", "partial") and not decision.needs_review
    if note_state != "already" and approved:
        ctx.emit(Event(kind="relocation.approved", ticket_id=ticket.id))
    return RelocationResult(decision=decision, fingerprint=fp, updates=tuple(sent))
