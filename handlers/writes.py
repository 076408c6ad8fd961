"""The one write-once mechanism for every ticket write of every process.

Zendesk can apply a write and still fail to answer (a timeout, a 5xx, a dropped
connection), and the queue retries a delivery that failed half-way. So every ticket
write goes through this module, which guarantees that no note, public comment or new
ticket is ever written twice:

1. **Record first.** Before Zendesk is called, the write is recorded in the store as
   *pending* under ``(ticket_id, kind, fingerprint)`` with its reference
   ``partnerdesk-ref: <kind>-<fingerprint>``. A record already *sent* means: done, skip.
2. **Carry the reference.** An update carries the reference as the audit's custom
   metadata (``TicketUpdate.reference``; the Zendesk adapter sends it as the update's
   ``metadata`` and Zendesk shows it in the audit's ``metadata.custom``); a new ticket
   carries its ``external_id`` (the adapter also sends it as ``Idempotency-Key``).
3. **Recover by asking Zendesk.** A record found *pending* (an earlier attempt died or
   got no answer) and any ambiguous failure now are resolved by asking the helpdesk
   whether the write landed (``Helpdesk.write_landed`` reads the ticket's audits;
   ``Helpdesk.find_ticket_by_external_id`` looks the new ticket up). Landed: recorded
   as sent, not written again. Not landed: written (the update is sent with
   ``safe_update``, so a conflicting concurrent change answers 409, not a lost write).

API, for every process (``ctx`` is the handler's :class:`~handlers.context.Context`)::

    state = write_update(ctx, update, kind="scheduling_confirm", fingerprint="17-s2")
    # "sent" now, "found" (an earlier attempt's write is on the ticket), "already"
    ticket_id, state = create_ticket_once(ctx, new_ticket, kind="scheduling_ticket_a")
    # new_ticket.external_id is required; it is the key of the ticket
    record_written(ctx, ticket_id=ticket_id, kind="scheduling_proposal", fingerprint="17-r1")
    # a write that travelled inside another one (e.g. the new ticket's first comment)

A fresh write costs exactly one helpdesk call; the look-ups happen only on recovery.
Transient failures that are not resolved propagate (the queue retries the delivery and
the record stays *pending*, so the retry looks before it writes).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Literal, Protocol

import structlog

from config.errors import PermanentHelpdeskError, TransientHelpdeskError, WriteConflictError
from handlers.context import Context
from handlers.ports import NewTicket, TicketUpdate

__all__ = [
    "REFERENCE_MARKER",
    "WriteState",
    "create_ticket_once",
    "record_written",
    "reference",
    "write_update",
]

REFERENCE_MARKER = "partnerdesk-ref:"
CREATE_TICKET_ID = 0  # the record of a ticket creation is keyed before the ticket exists
CONFLICT_RETRIES = 2  # safe_update conflicts (409) retried at once with a fresh stamp

WriteState = Literal["sent", "found", "already"]

log = structlog.get_logger(__name__)


class _Record(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def state(self) -> str: ...


def reference(kind: str, fingerprint: str) -> str:
    """The reference one write carries: ``partnerdesk-ref: <kind>-<fingerprint>``."""
    return f"{REFERENCE_MARKER} {kind}-{fingerprint}"


def _key(value: str) -> str:
    """A fingerprint that fits the store's 64-character column."""
    return value if len(value) <= 64 else hashlib.sha256(value.encode()).hexdigest()


def _begin(
    ctx: Context, *, ticket_id: int, kind: str, fingerprint: str, ref: str
) -> tuple[_Record, bool]:
    record, created = ctx.store.begin_write(
        ticket_id=ticket_id, kind=kind, fingerprint=fingerprint, reference=ref, now=ctx.clock()
    )
    return record, created


def _landed(ctx: Context, ticket_id: int, ref: str) -> bool:
    return bool(ctx.helpdesk.write_landed(ticket_id, ref))


def write_update(ctx: Context, update: TicketUpdate, *, kind: str, fingerprint: str) -> WriteState:
    """Send ``update`` exactly once per ``(ticket, kind, fingerprint)``.

    Returns ``sent`` (written by this call), ``found`` (an earlier attempt's write was
    found on the ticket) or ``already`` (recorded as sent before).
    """
    fp = _key(fingerprint)
    ref = reference(kind, fp)
    update = replace(update, reference=ref)
    record, created = _begin(ctx, ticket_id=update.ticket_id, kind=kind, fingerprint=fp, ref=ref)
    if record.state == "sent":
        return "already"
    if not created and _landed(ctx, update.ticket_id, ref):
        ctx.store.mark_write_sent(record.id, now=ctx.clock())
        log.info("write_found_on_ticket", kind=kind, ticket_id=update.ticket_id)
        return "found"
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            ctx.helpdesk.update_ticket(update)
        except TransientHelpdeskError as exc:
            # Ambiguous: Zendesk may have applied it. Ask before anyone writes again.
            try:
                landed = _landed(ctx, update.ticket_id, ref)
            except TransientHelpdeskError:
                raise exc from None
            if landed:
                ctx.store.mark_write_sent(record.id, now=ctx.clock())
                log.info("write_landed_despite_error", kind=kind, ticket_id=update.ticket_id)
                return "found"
            if isinstance(exc, WriteConflictError) and attempt < CONFLICT_RETRIES:
                log.info("write_conflict_retry", kind=kind, ticket_id=update.ticket_id)
                continue
            raise
        break
    ctx.store.mark_write_sent(record.id, now=ctx.clock())
    log.info("write_sent", kind=kind, ticket_id=update.ticket_id, public=update.public)
    return "sent"


def create_ticket_once(ctx: Context, ticket: NewTicket, *, kind: str) -> tuple[int, WriteState]:
    """Open ``ticket`` exactly once per ``ticket.external_id``; returns (ticket id, state)."""
    if not ticket.external_id:
        raise ValueError("a ticket partnerdesk opens needs an external_id")
    fp = _key(ticket.external_id)
    record, created = _begin(
        ctx, ticket_id=CREATE_TICKET_ID, kind=kind, fingerprint=fp, ref=ticket.external_id
    )
    if not created:
        existing = ctx.helpdesk.find_ticket_by_external_id(ticket.external_id)
        if existing is not None:
            if record.state != "sent":
                ctx.store.mark_write_sent(record.id, now=ctx.clock())
            log.info("ticket_found_by_external_id", kind=kind, ticket_id=existing)
            return existing, "found" if record.state != "sent" else "already"
        if record.state == "sent":
            raise PermanentHelpdeskError(
                "A ticket partnerdesk opened earlier is no longer found by its external id; "
                "an agent must check whether it was deleted or merged."
            )
    try:
        ticket_id = ctx.helpdesk.create_ticket(ticket)
    except TransientHelpdeskError as exc:
        try:
            existing = ctx.helpdesk.find_ticket_by_external_id(ticket.external_id)
        except TransientHelpdeskError:
            raise exc from None
        if existing is None:
            raise
        ctx.store.mark_write_sent(record.id, now=ctx.clock())
        log.info("ticket_created_despite_error", kind=kind, ticket_id=existing)
        return existing, "found"
    ctx.store.mark_write_sent(record.id, now=ctx.clock())
    log.info("ticket_created", kind=kind, ticket_id=ticket_id)
    return ticket_id, "sent"


def record_written(ctx: Context, *, ticket_id: int, kind: str, fingerprint: str) -> None:
    """Record a write that was carried by another one (nothing is sent)."""
    fp = _key(fingerprint)
    record, _created = _begin(
        ctx, ticket_id=ticket_id, kind=kind, fingerprint=fp, ref=reference(kind, fp)
    )
    if record.state != "sent":
        ctx.store.mark_write_sent(record.id, now=ctx.clock())
