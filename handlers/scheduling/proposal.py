"""Step 1 of the cutover conversation: open the cutover, hold slots, send them.

Partner A (source) gets its own ticket that names only the numbers and the slots (its
``external_id`` keys it, its tag lets the reply trigger match it); partner B (target,
the requester) is answered on its ticket. Opening a cutover claims its numbers and
holds its first slots in one transaction (``CutoverRepo.open``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import structlog

from handlers.context import Context
from handlers.messages import render
from handlers.ports import NewTicket, TicketUpdate
from handlers.scheduling.calendar import ServiceCalendar
from handlers.scheduling.common import (
    Outcome,
    calendar_of,
    handover,
    require_link_secret,
    rules_of,
    write_ticket,
)
from handlers.scheduling.links import LinkClaims, make_token
from handlers.scheduling.records import CutoverRecord, CutoverRepo
from handlers.scheduling.slots import Busy, Slot, find_slots, no_slot_reason
from handlers.writes import create_ticket_once, record_written
from parsers.model import NumberRange

__all__ = ["link_for", "new_round", "send_round", "start"]

log = structlog.get_logger(__name__)


def link_for(ctx: Context, cutover: CutoverRecord, side: str, round_: int) -> str:
    """The partner's personal page link for this round."""
    s = ctx.settings.scheduling
    token = make_token(
        LinkClaims(cutover.id, side, round_),
        secret=s.link_secret.get_secret_value(),
        now=ctx.clock(),
        ttl_hours=s.link_ttl_hours,
    )
    return f"{ctx.settings.general.public_url.rstrip('/')}/slots/{token}"


def _local_pairs(cal: ServiceCalendar, slots: Sequence[Slot]) -> list[tuple[datetime, datetime]]:
    return [(cal.local(s.start), cal.local(s.end)) for s in slots]


def start(
    ctx: Context, repo: CutoverRepo, *, ticket_b: int, numbers: Sequence[NumberRange]
) -> Outcome:
    """A relocation was approved: open the cutover and send the first proposals."""
    require_link_secret(ctx)
    now = ctx.clock()
    ticket = ctx.helpdesk.get_ticket(ticket_b)
    field = ctx.settings.relocation.source_partner_field_id
    raw = ticket.custom_fields.get(field) if field is not None else None
    partner = ctx.settings.partner(str(raw)) if raw not in (None, "") else None
    if partner is None or not numbers:
        cutover, created = repo.create(
            ticket_b=ticket_b, partner_a=partner.id if partner else None, numbers=numbers, now=now
        )
        if not created:
            return _resume_start(ctx, repo, cutover, partner_known=partner is not None)
        if not numbers:
            return handover(ctx, repo, cutover, "no_numbers")
        return handover(ctx, repo, cutover, "unknown_partner", str(raw or ""))
    why: list[tuple[str, str]] = []
    opened = repo.open(
        ticket_b=ticket_b,
        partner_a=partner.id,
        numbers=numbers,
        proposer=_proposer(ctx, numbers, why),
        hold_until=now + timedelta(hours=ctx.settings.scheduling.hold_hours),
        now=now,
    )
    cutover = opened.cutover
    if not opened.created:
        return _resume_start(ctx, repo, cutover, partner_known=True)
    if opened.conflicts:
        detail = ", ".join(f"#{t}" for t in opened.conflicts)
        return handover(ctx, repo, cutover, "number_conflict", detail, state="conflict")
    if not opened.slots:
        reason, detail = why[0] if why else ("capacity", "")
        return handover(ctx, repo, cutover, reason, detail)
    log.info("scheduling.proposed", cutover=cutover.id, round=1, slots=len(opened.slots))
    return send_round(ctx, repo, cutover, reason="")


def _resume_start(
    ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, *, partner_known: bool
) -> Outcome:
    """A repeated approval, or a retry after a failed ticket write: finish what is missing."""
    if cutover.state == "proposing" and cutover.round == 0 and partner_known:
        return new_round(ctx, repo, cutover, reason="")
    if cutover.state == "proposing" and cutover.round > 0:
        send_round(ctx, repo, cutover, reason="")
    return Outcome("exists", cutover)


def _proposer(
    ctx: Context, numbers: Sequence[NumberRange], why: list[tuple[str, str]]
) -> Callable[[Sequence[Busy], Sequence[Slot]], list[Slot]]:
    """The slot search run inside the repository's transaction; notes why nothing fits."""
    cal, rules, now = calendar_of(ctx), rules_of(ctx), ctx.clock()

    def proposer(busy: Sequence[Busy], earlier: Sequence[Slot]) -> list[Slot]:
        slots = find_slots(
            calendar=cal, rules=rules, numbers=numbers, busy=busy, now=now, exclude=earlier
        )
        if not slots:
            why.append(no_slot_reason(cal, rules, numbers, busy, now))
        return slots

    return proposer


def new_round(ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, *, reason: str) -> Outcome:
    """Hold the next slots (excluding every earlier proposal) and send them to both partners."""
    s = ctx.settings.scheduling
    if cutover.round >= s.max_rounds:
        return handover(ctx, repo, cutover, "max_rounds", str(cutover.round))
    now = ctx.clock()
    why: list[tuple[str, str]] = []
    proposer = _proposer(ctx, cutover.numbers, why)
    hold_until = now + timedelta(hours=s.hold_hours)
    round_, slots = repo.propose_round(
        cutover.id, proposer=proposer, hold_until=hold_until, now=now
    )
    current = repo.get(cutover.id) or cutover
    if not slots:
        reason, detail = why[0] if why else ("capacity", "")
        state = "conflict" if reason == "number_conflict" else "handover"
        return handover(ctx, repo, current, reason, detail, state=state)
    log.info("scheduling.proposed", cutover=current.id, round=round_, slots=len(slots))
    return send_round(ctx, repo, current, reason=reason)


def send_round(ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, *, reason: str) -> Outcome:
    """Send the current round's proposals to both partners (each message once)."""
    s = ctx.settings.scheduling
    cal, now = calendar_of(ctx), ctx.clock()
    current = cutover
    round_ = current.round
    proposals = repo.proposals(current.id, round_)
    if not proposals:
        return Outcome("waiting", current)
    pairs = _local_pairs(cal, [p.slot for p in proposals])
    hold_until = proposals[0].hold_until
    if current.ticket_a is None:
        subject = render(
            "scheduling_new_ticket_subject", count=sum(n.count for n in current.numbers)
        ).strip()
        partner = ctx.settings.partner(current.partner_a or "")
        if partner is None:  # the directory changed since the case started
            return handover(ctx, repo, current, "unknown_partner", current.partner_a or "")
        ticket_a, _state = create_ticket_once(
            ctx,
            NewTicket(
                subject=subject,
                comment=_proposal(ctx, current, "a", round_, pairs, hold_until, reason),
                requester_email=partner.contact_email,
                requester_name=partner.contact_name or partner.name,
                public=True,
                # the reply trigger matches this tag; the external id keys the ticket
                tags=(s.tag_partner_ticket,),
                external_id=f"partnerdesk-cutover-{current.id}",
            ),
            kind="scheduling_ticket_a",
        )
        repo.set_ticket_a(current.id, ticket_a, now=now)
        current = repo.get(current.id) or current
        # the new ticket's first comment carried this round: record it as written
        record_written(
            ctx,
            ticket_id=ticket_a,
            kind="scheduling_proposal",
            fingerprint=f"{current.id}-r{round_}",
        )
    else:
        write_ticket(
            ctx,
            TicketUpdate(
                ticket_id=current.ticket_a,
                comment=_proposal(ctx, current, "a", round_, pairs, hold_until, reason),
                public=True,
            ),
            kind="scheduling_proposal",
            fingerprint=f"{current.id}-r{round_}",
        )
    fields = {}
    if s.linked_ticket_field_id is not None and current.ticket_a is not None:
        fields[s.linked_ticket_field_id] = current.ticket_a
    write_ticket(
        ctx,
        TicketUpdate(
            ticket_id=current.ticket_b,
            comment=_proposal(ctx, current, "b", round_, pairs, hold_until, reason),
            public=True,
            custom_fields=fields,
            remove_tags=(s.tag_handover,),
        ),
        kind="scheduling_proposal",
        fingerprint=f"{current.id}-r{round_}",
    )
    return Outcome("new_round", current)


def _proposal(
    ctx: Context,
    cutover: CutoverRecord,
    side: str,
    round_: int,
    pairs: list[tuple[datetime, datetime]],
    hold_until: datetime,
    reason: str,
) -> str:
    return render(
        "scheduling_proposal",
        numbers=cutover.numbers,
        slots=pairs,
        link=link_for(ctx, cutover, side, round_),
        round=round_,
        hold_until=calendar_of(ctx).local(hold_until),
        reason=reason,
    )
