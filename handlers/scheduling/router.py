"""Events of the scheduling process: approval, partner replies, agent dates."""

from __future__ import annotations

import structlog

from config.errors import ConfigError
from handlers.context import Context
from handlers.messages import render
from handlers.ports import Event, TicketUpdate
from handlers.relocation.decision import decision_from_dict
from handlers.router import Process, Router
from handlers.scheduling.answer import respond
from handlers.scheduling.booking import set_manual_date
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.common import field_value, once, write_ticket
from handlers.scheduling.proposal import new_round, start
from handlers.scheduling.records import CutoverRepo
from handlers.scheduling.replies import parse_reply

__all__ = ["ANSWER_EVENT", "process", "repo_for", "router"]

# a partner's answer on the link page, as an event: data = {cutover, side, round, kind, choices}
ANSWER_EVENT = "scheduling.link_answer"

router = Router()
log = structlog.get_logger(__name__)


def repo_for(ctx: Context) -> CutoverRepo:
    """The scheduling repository the runtime put on the context."""
    if ctx.cutovers is None:
        raise ConfigError("The scheduling store is not configured for this context.")
    return ctx.cutovers


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
    outcome = start(ctx, repo_for(ctx), ticket_b=event.ticket_id, numbers=decision.approved)
    log.info("scheduling.started", ticket=event.ticket_id, outcome=outcome.code)


def _partner_comment(event: Event, ctx: Context) -> tuple[int | None, str] | None:
    """(comment id, body) of the partner's reply this event is about, or None.

    An event subscription names the comment (and may carry its body). A trigger body
    carries only the ticket id: then the newest public comment is read through the
    helpdesk API, when the ticket's requester (the partner) wrote it.
    """
    if event.comment_body is not None:
        return event.comment_id, event.comment_body
    comments = ctx.helpdesk.list_comments(event.ticket_id)
    if event.comment_id is not None:
        for comment in comments:
            if comment.id == event.comment_id:
                return (comment.id, comment.body) if comment.public else None
        return None
    requester = ctx.helpdesk.get_ticket(event.ticket_id).requester_id
    if requester is None:
        log.info("scheduling.reply_without_requester", ticket=event.ticket_id)
        return None
    public = [c for c in comments if c.public]
    if not public:
        return None
    newest = max(public, key=lambda c: (c.created_at is not None, c.created_at, c.id))
    if newest.author_id != requester:
        # our proposal (or an agent's reply) is the newest: the partner has not answered it;
        # an older partner comment (e.g. the original request) is no answer to it
        return None
    return newest.id, newest.body


def _handover_note(ctx: Context, ticket_id: int, reason: str) -> None:
    """An internal note + the handover tag: an agent reads the partner's reply."""
    write_ticket(
        ctx,
        TicketUpdate(
            ticket_id=ticket_id,
            comment=render("scheduling_handover", reason="unclear_reply", detail=reason),
            public=False,
            add_tags=(ctx.settings.scheduling.tag_handover,),
        ),
        kind="scheduling_reply_handover",
        fingerprint=f"{ticket_id}-{reason}-{ctx.clock().isoformat()}",
    )


@router.register("ticket.comment_added", "trigger")
def on_comment(event: Event, ctx: Context) -> None:
    """A partner's public reply on either ticket: accept, refuse, cancel or ask an agent."""
    if event.comment_public is False or event.author_is_staff:
        return  # our own messages and agents' notes are not answers
    repo = repo_for(ctx)
    cutover = repo.by_ticket(event.ticket_id)
    if cutover is None or cutover.state in ("cancelled", "done"):
        return
    side = cutover.side_of(event.ticket_id)
    if side is None:
        return
    found = _partner_comment(event, ctx)
    if found is None or not found[1].strip():
        return
    comment_id, body = found
    cal = calendar_from_settings(ctx.settings.scheduling)
    proposals = repo.proposals(cutover.id, cutover.round)

    def read() -> None:
        result = parse_reply(
            body, slots=[cal.local(p.start).replace(tzinfo=None) for p in proposals]
        )
        log.info(
            "scheduling.reply",
            cutover=cutover.id,
            side=side,
            kind=result.kind.value,
            reason=result.reason,
        )
        if result.needs_agent:
            if cutover.state == "proposing":
                _handover_note(ctx, event.ticket_id, _REASONS.get(result.reason, result.reason))
            # after booking, free text ("Danke!") needs nobody's action
            return
        respond(
            ctx,
            repo,
            cutover,
            side=side,
            kind=result.kind.value,
            choices=result.accepted,
            refused=result.refused,
            via="reply",
        )

    if comment_id is None:
        read()
        return
    # each reply is read once, however many deliveries or triggers announce it
    once(
        ctx,
        ticket_id=event.ticket_id,
        kind="scheduling_reply",
        fingerprint=str(comment_id),
        run=read,
    )


@router.register(ANSWER_EVENT)
def on_link_answer(event: Event, ctx: Context) -> None:
    """A partner answered on its link page (the page checked the signed link)."""
    data = event.data
    repo = repo_for(ctx)
    cutover = repo.get(int(data["cutover"]))
    if cutover is None or cutover.side_of(event.ticket_id) != data["side"]:
        return
    if int(data["round"]) != cutover.round:
        log.info("scheduling.link_superseded", cutover=cutover.id)
        return  # only the current round's link acts
    outcome = respond(
        ctx,
        repo,
        cutover,
        side=str(data["side"]),
        kind=str(data["kind"]),
        choices=tuple(int(c) for c in data.get("choices", ())),
        via="link",
    )
    log.info("scheduling.link_answer", cutover=cutover.id, outcome=outcome.code)


# why a reply went to an agent, in the agents' words (internal note)
_REASONS = {
    "empty": "keine eigene Antwort erkennbar",
    "no_answer": "keine Antwort auf die Vorschläge erkennbar",
    "no_slot_named": "Zustimmung oder Ablehnung ohne erkennbaren Termin",
    "question": "der Partner stellt eine Frage",
    "question_about_cancelling": "der Partner fragt nach einer Absage",
    "cancel_and_accept": "Absage und Terminwahl zugleich",
    "accepted_and_refused": "derselbe Termin wird angenommen und abgelehnt",
    "accept_and_reschedule": "Terminwahl und Wunsch nach anderen Terminen zugleich",
    "date_not_offered": "ein genanntes Datum ist keiner der Vorschläge",
    "ambiguous_date": "ein genanntes Datum passt zu mehreren Vorschlägen",
    "slot_without_answer": "ein Termin wird genannt, aber ohne Zu- oder Absage",
    "answer_without_slot": "Zu- und Absage ohne eindeutige Zuordnung zu den Terminen",
    "number_not_understood": "eine Zahl ist weder Terminnummer noch Anzahl",
    "slot_not_offered": "eine genannte Terminnummer wurde nicht vorgeschlagen",
    "auto_reply": "automatische Antwort (z. B. Abwesenheitsnotiz), keine Antwort auf die Vorschläge",
    "conditional": "Zusage nur unter einer Bedingung oder unter Vorbehalt",
    "reservation": "Zusage mit einem Einwand ohne Terminbezug",
    "contrast_without_turn": "widersprüchliche Zusagen (z. B. Techniker und Kunde nennen verschiedene Termine)",
    "numbers_changed": "der Partner möchte die Rufnummern des Umzugs ändern",
    "symbol_not_understood": "ein Zeichen oder Emoji ist nicht eindeutig",
    "both_of_more": "„beide“ bei mehr als zwei Vorschlägen",
}


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
    if cutover.start is not None and str(value).strip() == field_value(cal, cutover.start):
        return  # our own write of the field, coming back as an event
    set_manual_date(ctx, repo, cutover, str(value))


@router.register("scheduling.propose")
def on_propose(event: Event, ctx: Context) -> None:
    """An agent asked for new slot proposals in the sidebar app: the first or a new round."""
    repo = repo_for(ctx)
    cutover = repo.by_ticket(event.ticket_id)
    if cutover is None:
        on_approved(Event(kind="relocation.approved", ticket_id=event.ticket_id), ctx)
        return
    if cutover.state not in ("proposing", "handover", "conflict"):
        log.info("scheduling.propose_refused", cutover=cutover.id, state=cutover.state)
        return
    outcome = new_round(ctx, repo, cutover, reason="")
    log.info("scheduling.reproposed", cutover=cutover.id, outcome=outcome.code)


# Scheduling's tickets (B's and the one opened for A) are known from its own records, so
# it has no ticket marker and filters events itself.
process = Process(
    name="scheduling",
    router=router,
    review_tag=lambda s: s.scheduling.tag_handover,
)
