"""What every step of the cutover conversation shares: outcomes, rules, writes, handover.

The conversation runs one way, one module per step: ``proposal`` (open the cutover,
hold and send slots) -> ``answer`` (record a partner's answer, decide) -> ``booking``
(fix the date, also an agent's; cancel) -> ``notices`` (confirmation, cancellation,
reminders). Every ticket write goes through :func:`write_ticket`, i.e. through
``handlers.writes``: written once per fingerprint, recovered from Zendesk's audits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog

from config.errors import ConfigError
from handlers.context import Context
from handlers.messages import render
from handlers.ports import TicketUpdate
from handlers.scheduling.calendar import ServiceCalendar, calendar_from_settings
from handlers.scheduling.records import CutoverRecord, CutoverRepo
from handlers.scheduling.slots import SlotRules
from handlers.writes import write_update

__all__ = [
    "Outcome",
    "calendar_of",
    "field_value",
    "handover",
    "once",
    "require_link_secret",
    "rules_of",
    "write_ticket",
]

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What an answer led to: waiting, booked, new_round, handover, cancelled, closed."""

    code: str
    cutover: CutoverRecord | None = None


def calendar_of(ctx: Context) -> ServiceCalendar:
    return calendar_from_settings(ctx.settings.scheduling)


def rules_of(ctx: Context) -> SlotRules:
    return SlotRules.from_settings(ctx.settings.scheduling)


def write_ticket(ctx: Context, update: TicketUpdate, *, kind: str, fingerprint: str) -> None:
    """Every scheduling ticket update goes through here: written once per fingerprint."""
    write_update(ctx, update, kind=kind, fingerprint=fingerprint)


def once(
    ctx: Context, *, ticket_id: int, kind: str, fingerprint: str, run: Callable[[], None]
) -> None:
    """Run ``run`` once per fingerprint (e.g. read one partner reply once).

    The mark is set after ``run`` returned: a run that failed half-way is repeated,
    which the steps it takes allow (an answer replaces the side's earlier one).
    """
    record, _created = ctx.store.begin_write(
        ticket_id=ticket_id,
        kind=kind,
        fingerprint=fingerprint,
        reference=f"{kind}-{fingerprint}",
        now=ctx.clock(),
    )
    if record.state == "sent":
        return
    run()
    ctx.store.mark_write_sent(record.id, now=ctx.clock())


def field_value(cal: ServiceCalendar, start: datetime) -> str:
    return cal.local(start).strftime("%Y-%m-%d %H:%M")


def handover(
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
    target = ticket_id or cutover.ticket_b
    write_ticket(
        ctx,
        TicketUpdate(
            ticket_id=target,
            comment=render("scheduling_handover", reason=reason, detail=detail),
            public=False,
            add_tags=(s.tag_handover,),
        ),
        kind="scheduling_handover",
        fingerprint=f"{cutover.id}-r{cutover.round}-s{cutover.sequence}-{reason}-{detail}",
    )
    log.info("scheduling.handover", cutover=cutover.id, reason=reason)
    return Outcome("handover", record)


def require_link_secret(ctx: Context) -> None:
    """Fail closed before proposing: without a link secret no link can be signed."""
    if len(ctx.settings.scheduling.link_secret.get_secret_value()) < 32:
        raise ConfigError(
            "PARTNERDESK_LINK_SECRET is missing or too short; set it to propose cutover slots."
        )
