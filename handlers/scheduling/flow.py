"""The cutover conversation's entry points, in the order a slot's path takes them.

``proposal`` -> ``answer`` -> ``booking`` -> ``notices``; this module only names them
for callers (router, queue task, CLI) and adds :func:`resume`, the periodic catch-up.
"""

from __future__ import annotations

from handlers.context import Context
from handlers.scheduling.answer import book_common, bookable, respond
from handlers.scheduling.booking import cancel, parse_field_date, set_manual_date, split_force
from handlers.scheduling.common import (
    Outcome,
    field_value,
    handover,
    once,
    require_link_secret,
    write_ticket,
)
from handlers.scheduling.notices import confirm
from handlers.scheduling.proposal import link_for, new_round, send_round, start
from handlers.scheduling.records import CutoverRecord, CutoverRepo

__all__ = [
    "Outcome",
    "book_common",
    "bookable",
    "cancel",
    "confirm",
    "field_value",
    "handover",
    "link_for",
    "new_round",
    "once",
    "parse_field_date",
    "require_link_secret",
    "respond",
    "resume",
    "send_round",
    "set_manual_date",
    "split_force",
    "start",
    "write_ticket",
]


def resume(ctx: Context, repo: CutoverRepo, cutover: CutoverRecord) -> None:
    """Send whatever an interrupted run left unsent (each write is recorded, so never twice)."""
    if cutover.state == "proposing" and cutover.round > 0:
        send_round(ctx, repo, cutover, reason="")
    elif cutover.state == "booked" and cutover.start is not None:
        confirm(ctx, cutover)
