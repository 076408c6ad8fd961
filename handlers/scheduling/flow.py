"""The cutover conversation: propose to both partners, collect answers, book, remind.

Every function takes the handler context and a :class:`CutoverRepo`; the slot rules
stay in the pure modules. Partner A (source) gets its own ticket that names only the
numbers and the slots; partner B (target, the requester) is answered on its ticket.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

import structlog

from config.errors import ConfigError, SchedulingError, SlotTakenError
from handlers.context import Context
from handlers.messages import render
from handlers.ports import NewTicket, TicketUpdate
from handlers.scheduling.booking import (
    Outcome,
    calendar_of,
    cancel,
    confirm,
    field_value,
    once,
    rules_of,
    set_manual_date,
    write_once,
    write_ticket,
)
from handlers.scheduling.calendar import ServiceCalendar
from handlers.scheduling.links import LinkClaims, make_token
from handlers.scheduling.records import CutoverRecord, CutoverRepo, ProposalRecord, ResponseRecord
from handlers.scheduling.slots import (
    Busy,
    Slot,
    check_slot,
    find_slots,
    no_slot_reason,
)
from parsers.model import NumberRange

__all__ = [
    "Outcome",
    "book_common",
    "bookable",
    "cancel",
    "field_value",
    "link_for",
    "new_round",
    "once",
    "require_link_secret",
    "respond",
    "resume",
    "set_manual_date",
    "start",
    "write_ticket",
]

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


def _handover(
    ctx: Context,
    repo: CutoverRepo,
    cutover: CutoverRecord,
    reason: str,
    detail: str = "",
    *,
    ticket_id: int | None = None,
    state: str = "handover",
) -> Outcome:
    """Internal note + handover tag on partner B's ticket (or ``ticket_id``).

    ``state`` "conflict" keeps a cutover whose numbers are in another one from claiming them.
    """
    s = ctx.settings.scheduling
    record = cutover
    if cutover.state not in ("booked", "cancelled"):
        record = repo.set_state(cutover.id, state, now=ctx.clock())
    ctx.helpdesk.update_ticket(
        TicketUpdate(
            ticket_id=ticket_id or cutover.ticket_b,
            comment=render("scheduling_handover", reason=reason, detail=detail),
            public=False,
            add_tags=(s.tag_handover,),
        )
    )
    log.info("scheduling.handover", cutover=cutover.id, reason=reason)
    return Outcome("handover", record)


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
            return _handover(ctx, repo, cutover, "no_numbers")
        return _handover(ctx, repo, cutover, "unknown_partner", str(raw or ""))
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
        return _handover(ctx, repo, cutover, "number_conflict", detail, state="conflict")
    if not opened.slots:
        reason, detail = why[0] if why else ("capacity", "")
        return _handover(ctx, repo, cutover, reason, detail)
    log.info("scheduling.proposed", cutover=cutover.id, round=1, slots=len(opened.slots))
    return _send_round(ctx, repo, cutover, reason="")


def _resume_start(
    ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, *, partner_known: bool
) -> Outcome:
    """A repeated approval, or a retry after a failed ticket write: finish what is missing."""
    if cutover.state == "proposing" and cutover.round == 0 and partner_known:
        return new_round(ctx, repo, cutover, reason="")
    if cutover.state == "proposing" and cutover.round > 0:
        _send_round(ctx, repo, cutover, reason="")
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
        return _handover(ctx, repo, cutover, "max_rounds", str(cutover.round))
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
        return _handover(ctx, repo, current, reason, detail, state=state)
    log.info("scheduling.proposed", cutover=current.id, round=round_, slots=len(slots))
    return _send_round(ctx, repo, current, reason=reason)


def _send_round(ctx: Context, repo: CutoverRepo, cutover: CutoverRecord, *, reason: str) -> Outcome:
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
            return _handover(ctx, repo, current, "unknown_partner", current.partner_a or "")
        ticket_a = ctx.helpdesk.create_ticket(
            NewTicket(
                subject=subject,
                comment=_proposal(ctx, current, "a", round_, pairs, hold_until, reason),
                requester_email=partner.contact_email,
                requester_name=partner.contact_name or partner.name,
                public=True,
                # the reply trigger matches this tag; the external id keys the ticket
                tags=(s.tag_partner_ticket,),
                external_id=f"partnerdesk-cutover-{current.id}",
            )
        )
        repo.set_ticket_a(current.id, ticket_a, now=now)
        current = repo.get(current.id) or current
        # the new ticket's first comment carried this round: record it as sent
        write_once(
            ctx,
            ticket_id=ticket_a,
            kind="scheduling_proposal",
            fingerprint=f"{current.id}-r{round_}",
            send=lambda: None,
        )
    else:
        ticket_a = current.ticket_a
        write_once(
            ctx,
            ticket_id=ticket_a,
            kind="scheduling_proposal",
            fingerprint=f"{current.id}-r{round_}",
            send=lambda: ctx.helpdesk.update_ticket(
                TicketUpdate(
                    ticket_id=ticket_a,
                    comment=_proposal(ctx, current, "a", round_, pairs, hold_until, reason),
                    public=True,
                )
            ),
        )
    fields = {}
    if s.linked_ticket_field_id is not None and current.ticket_a is not None:
        fields[s.linked_ticket_field_id] = current.ticket_a
    target = current
    write_once(
        ctx,
        ticket_id=current.ticket_b,
        kind="scheduling_proposal",
        fingerprint=f"{current.id}-r{round_}",
        send=lambda: ctx.helpdesk.update_ticket(
            TicketUpdate(
                ticket_id=target.ticket_b,
                comment=_proposal(ctx, target, "b", round_, pairs, hold_until, reason),
                public=True,
                custom_fields=fields,
                remove_tags=(s.tag_handover,),
            )
        ),
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


def resume(ctx: Context, repo: CutoverRepo, cutover: CutoverRecord) -> None:
    """Send whatever an interrupted run left unsent (each write is recorded, so never twice)."""
    if cutover.state == "proposing" and cutover.round > 0:
        _send_round(ctx, repo, cutover, reason="")
    elif cutover.state == "booked" and cutover.start is not None:
        confirm(ctx, cutover)


def respond(
    ctx: Context,
    repo: CutoverRepo,
    cutover: CutoverRecord,
    *,
    side: str,
    kind: str,
    choices: Sequence[int] = (),
    refused: Sequence[int] = (),
    via: str,
) -> Outcome:
    """Record one partner's answer and act on it.

    ``kind``: accept (``choices`` accepted, ``refused`` refused), refuse (``refused``),
    none_fit, reschedule (or its old name other_date), cancel. The answer replaces the
    side's earlier answer in this round: a later refusal withdraws an acceptance.
    """
    if cutover.state in ("cancelled", "done"):
        return Outcome("closed", cutover)
    if cutover.state == "booked":
        confirm(ctx, cutover)  # a retry after a failed confirmation sends what is missing
    if kind == "cancel":
        return cancel(ctx, repo, cutover, by_side=side)
    if cutover.state != "proposing":
        # booked or with an agent: a change of date goes through an agent
        if kind in ("refuse", "none_fit", "reschedule", "other_date"):
            return _handover(
                ctx, repo, cutover, "unclear_reply", "Wunsch nach anderem Termin nach der Buchung"
            )
        return Outcome("closed", cutover)
    now = ctx.clock()
    offered = {p.index for p in repo.proposals(cutover.id, cutover.round)}
    if kind in ("reschedule", "other_date"):
        repo.record_response(
            cutover.id,
            round_=cutover.round,
            side=side,
            kind="refuse",
            choices=(),
            refused=tuple(sorted(offered)),
            via=via,
            now=now,
        )
        return new_round(ctx, repo, cutover, reason="other_date")
    if kind == "none_fit":
        refused = tuple(offered)
    accepted = tuple(sorted(c for c in set(choices) if c in offered)) if kind == "accept" else ()
    refusals = tuple(sorted(c for c in set(refused) if c in offered and c not in accepted))
    repo.record_response(
        cutover.id,
        round_=cutover.round,
        side=side,
        kind="accept" if accepted else "refuse",
        choices=accepted,
        refused=refusals,
        via=via,
        now=now,
    )
    return book_common(ctx, repo, cutover)


def bookable(offered: Sequence[int], answers: dict[str, ResponseRecord]) -> tuple[set[int], bool]:
    """Slots every partner accepted and none refused, in the latest answer of each.

    Returns (the candidates, whether both partners have accepted something). An empty
    candidate set means no slot of this round can be booked any more.
    """
    possible = set(offered)
    for answer in answers.values():
        possible -= set(answer.refused)
    both = all(side in answers and answers[side].choices for side in ("a", "b"))
    for answer in answers.values():
        if answer.choices:
            possible &= set(answer.choices)
    return possible, both


def book_common(ctx: Context, repo: CutoverRepo, cutover: CutoverRecord) -> Outcome:
    """Book the earliest slot both partners accepted; new round when none can be."""
    answers = repo.responses(cutover.id, cutover.round)
    proposals: dict[int, ProposalRecord] = {
        p.index: p for p in repo.proposals(cutover.id, cutover.round)
    }
    candidates, both = bookable(sorted(proposals), answers)
    if not candidates:
        return new_round(ctx, repo, cutover, reason="refused")
    if not both:
        return Outcome("waiting", cutover)
    index = min(candidates)
    if not all(index in a.choices and index not in a.refused for a in answers.values()):
        raise SchedulingError("Refusing to book a slot a partner did not accept.")
    slot = proposals[index].slot
    cal, rules, now = calendar_of(ctx), rules_of(ctx), ctx.clock()
    if slot.start <= now:
        return new_round(ctx, repo, cutover, reason="taken")

    def checker(busy: Sequence[Busy]) -> list[str]:
        return check_slot(slot, calendar=cal, rules=rules, numbers=cutover.numbers, busy=busy)

    try:
        booked = repo.book(cutover.id, slot, checker=checker, now=now)
    except SlotTakenError:
        log.info("scheduling.slot_taken", cutover=cutover.id)
        return new_round(ctx, repo, repo.get(cutover.id) or cutover, reason="taken")
    confirm(ctx, booked)
    return Outcome("booked", booked)


def require_link_secret(ctx: Context) -> None:
    """Fail closed before proposing: without a link secret no link can be signed."""
    if len(ctx.settings.scheduling.link_secret.get_secret_value()) < 32:
        raise ConfigError(
            "PARTNERDESK_LINK_SECRET is missing or too short; set it to propose cutover slots."
        )
