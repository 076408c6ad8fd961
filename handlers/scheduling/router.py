"""Events of the scheduling process (contract 6): approval, partner replies, agent dates."""

from __future__ import annotations

import structlog

from handlers.context import Context
from handlers.messages import render
from handlers.ports import Event, TicketUpdate
from handlers.relocation.decision import decision_from_dict
from handlers.router import Router
from handlers.scheduling import flow
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.records import CutoverRepo
from handlers.scheduling.replies import ReplyKind, parse_reply

__all__ = ["repo_for", "router"]

router = Router()
log = structlog.get_logger(__name__)


def repo_for(ctx: Context) -> CutoverRepo:
    """The scheduling repository behind ``ctx.store`` (tests may put one on the store)."""
    repo = getattr(ctx.store, "scheduling", None)
    if repo is not None:
        return repo  # type: ignore[no-any-return]
    from integration.store.scheduling import SchedulingRepo

    return SchedulingRepo(ctx.store)


@router.register("relocation.approved")
def on_approved(event: Event, ctx: Context) -> None:
    """Open the cutover of an approved (fully or partly) relocation and propose slots."""
    case = ctx.store.get_case(event.ticket_id, "relocation")
    if case is None or not case.decision:
        log.info("scheduling.no_case", ticket=event.ticket_id)
        return
    decision = decision_from_dict(case.decision)
    if decision.needs_review or not decision.approved:
        return  # an agent decides first; a later approval event starts the scheduling
    outcome = flow.start(ctx, repo_for(ctx), ticket_b=event.ticket_id, numbers=decision.approved)
    log.info("scheduling.started", ticket=event.ticket_id, outcome=outcome.code)


def _comment_body(event: Event, ctx: Context) -> str | None:
    if event.comment_body is not None:
        return event.comment_body
    for comment in ctx.helpdesk.list_comments(event.ticket_id):
        if comment.id == event.comment_id:
            return comment.body if comment.public else None
    return None


@router.register("ticket.comment_added")
def on_comment(event: Event, ctx: Context) -> None:
    """A partner's public reply on either ticket: accept, refuse, cancel or ask an agent."""
    if event.comment_public is False or event.author_is_staff:
        return  # our own messages and agents' notes are not answers
    repo = repo_for(ctx)
    cutover = repo.by_ticket(event.ticket_id)
    if cutover is None or cutover.state in ("cancelled", "done"):
        return
    side = cutover.side_of(event.ticket_id)
    body = _comment_body(event, ctx)
    if side is None or not body:
        return
    cal = calendar_from_settings(ctx.settings.scheduling)
    proposals = repo.proposals(cutover.id, cutover.round)
    result = parse_reply(body, slots=[cal.local(p.start).replace(tzinfo=None) for p in proposals])
    log.info("scheduling.reply", cutover=cutover.id, side=side, kind=result.kind.value)
    if result.kind is ReplyKind.UNCLEAR:
        if cutover.state != "proposing":
            return  # after booking, free text ("Danke!") needs nobody's action
        ctx.helpdesk.update_ticket(
            TicketUpdate(
                ticket_id=event.ticket_id,
                comment=render(
                    "scheduling_handover",
                    reason="unclear_reply",
                    detail="bitte die letzte Antwort lesen",
                ),
                public=False,
                add_tags=(ctx.settings.scheduling.tag_handover,),
            )
        )
        return
    flow.respond(
        ctx, repo, cutover, side=side, kind=result.kind.value, choices=result.choices, via="reply"
    )


@router.register("ticket.custom_field_changed", "ticket.updated", "trigger")
def on_field(event: Event, ctx: Context) -> None:
    """An agent typed a date into the cutover field: validate, book, note conflicts."""
    field = ctx.settings.scheduling.cutover_field_id
    if field is None:
        return
    if event.kind == "ticket.custom_field_changed" and event.field_id != field:
        return
    repo = repo_for(ctx)
    cutover = repo.by_ticket(event.ticket_id)
    if cutover is None or cutover.state in ("cancelled", "done"):
        return
    value = ctx.helpdesk.get_ticket(event.ticket_id).custom_fields.get(field)
    if value in (None, ""):
        return
    cal = calendar_from_settings(ctx.settings.scheduling)
    if cutover.start is not None and str(value).strip() == flow.field_value(cal, cutover.start):
        return  # our own write of the field, coming back as an event
    flow.set_manual_date(ctx, repo, cutover, str(value))


@router.register("scheduling.propose")
def on_propose(event: Event, ctx: Context) -> None:
    """An agent asked for new slot proposals in the sidebar app: the first or a new round."""
    repo = repo_for(ctx)
    cutover = repo.by_ticket(event.ticket_id)
    if cutover is None:
        on_approved(Event(kind="relocation.approved", ticket_id=event.ticket_id), ctx)
        return
    if cutover.state not in ("proposing", "handover"):
        log.info("scheduling.propose_refused", cutover=cutover.id, state=cutover.state)
        return
    outcome = flow.new_round(ctx, repo, cutover, reason="")
    log.info("scheduling.reproposed", cutover=cutover.id, outcome=outcome.code)
