"""Step 2 of the cutover conversation: a partner's answer, and what it decides.

An answer replaces the side's earlier answer in the round (a later refusal withdraws an
acceptance). A slot is booked only when every partner accepted it and none refused it,
in the latest answer of each; when no slot of the round can be any more, a new round
is proposed.
"""

from __future__ import annotations

from collections.abc import Sequence

import structlog

from config.errors import SchedulingError
from handlers.context import Context
from handlers.scheduling.booking import book_slot, cancel
from handlers.scheduling.common import Outcome, handover
from handlers.scheduling.notices import confirm
from handlers.scheduling.proposal import new_round
from handlers.scheduling.records import CutoverRecord, CutoverRepo, ProposalRecord, ResponseRecord

__all__ = ["book_common", "bookable", "respond"]

log = structlog.get_logger(__name__)


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
            return handover(
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
    outcome = book_slot(ctx, repo, cutover, proposals[index].slot)
    if outcome.code == "taken":
        return new_round(ctx, repo, outcome.cutover or cutover, reason="taken")
    return outcome
