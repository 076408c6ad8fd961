"""What the sidebar backend does: build a ticket's view and run agents' actions.

Every action becomes an ordinary event stored as a delivery and run through the same
routers and handlers as a Zendesk webhook (``integration.tasks.deliveries``), right away,
so the agent sees the result in the response and the ticket gets the usual single write.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from config.errors import AppActionError, SchedulingError
from handlers.ports import Event, TicketUpdate
from handlers.relocation.decision import Decision, Override, decide, decision_from_dict
from integration.logs import get_logger
from integration.queue import Queue
from integration.sidebar.view import build_view
from integration.store.models import Case
from integration.store.overrides import OverrideRepo
from integration.tasks.deliveries import process_delivery, record_event
from parsers.model import NumberRange, ParsedDocument
from parsers.serialize import number_range_from_dict as range_from_dict
from parsers.serialize import parsed_document_from_dict

__all__ = ["ActionResult", "SidebarService"]

log = get_logger(__name__)

# The processes whose cases the sidebar can show when the router names none (a bare test
# router); the view names the process its case belongs to (the app titles itself from it).
VIEWABLE_PROCESSES = ("relocation",)
PROCESS = VIEWABLE_PROCESSES[0]
PageUrl = Callable[[str, int], str]


def _no_case(ticket_id: int) -> AppActionError:
    # the app shows its own translation of "error.<code>"; the message is for logs and API users
    return AppActionError("no_case", f"Ticket {ticket_id} has no relocation case; nothing to show.")


@dataclass(frozen=True)
class ActionResult:
    """How the handler run for an action ended: done, queued (retrying) or failed."""

    state: str
    error: str | None = None


class SidebarService:
    """Reads a ticket's case for the app and turns agents' actions into handler runs."""

    def __init__(self, queue: Queue) -> None:
        self.queue = queue
        self.runtime = queue.runtime
        self.overrides = OverrideRepo(self.runtime.store)

    # -- reading ------------------------------------------------------------------------

    def viewable_processes(self) -> tuple[str, ...]:
        """The processes whose cases the sidebar shows (``Process.sidebar``), in order."""
        processes = getattr(self.runtime.router, "processes", ())
        names = tuple(p.name for p in processes if getattr(p, "sidebar", False))
        return names or VIEWABLE_PROCESSES

    def _case(self, ticket_id: int) -> Any:
        for process in self.viewable_processes():
            case = self.runtime.store.get_case(ticket_id, process)
            if case is not None:
                return case
        raise _no_case(ticket_id)

    def documents(self, case_id: int) -> list[ParsedDocument]:
        # The row's digest names the stored bytes, whatever the JSON says.
        return [
            replace(parsed_document_from_dict(d.parsed), sha256=d.sha256 or "")
            for d in self.runtime.store.documents(case_id)
            if d.parsed is not None
        ]

    def _scheduling(self, ticket_id: int) -> dict[str, Any] | None:
        repo = self.runtime.cutovers
        cutover = repo.by_ticket(ticket_id)
        if cutover is None:
            return None
        side_name = {"a": "source", "b": "target"}
        responses = repo.responses(cutover.id, cutover.round)
        slots = [
            {
                "index": p.index,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "state": p.state,
                "accepted_by": [
                    side_name[side]
                    for side, r in sorted(responses.items())
                    if r.kind == "accept" and p.index in r.choices
                ],
            }
            for p in repo.proposals(cutover.id, cutover.round)
        ]
        own = cutover.side_of(ticket_id)
        return {
            "state": cutover.state,
            "round": cutover.round,
            "slots": slots,
            "refused_by": [
                side_name[s] for s, r in sorted(responses.items()) if r.kind == "refuse"
            ],
            "booked": (
                {"start": cutover.start.isoformat(), "end": cutover.end.isoformat()}
                if cutover.state == "booked" and cutover.start and cutover.end
                else None
            ),
            "linked_ticket_id": cutover.ticket_a if own == "b" else cutover.ticket_b,
        }

    def view(self, ticket_id: int, *, page_url: PageUrl) -> dict[str, Any]:
        """The JSON the app renders for ``ticket_id``; AppActionError ``no_case`` when there is none."""
        case = self._case(ticket_id)
        decision = decision_from_dict(case.decision) if case.decision else None
        # CaseRecord carries no timestamp; the app shows when the case last changed.
        with self.runtime.store.session() as s:
            row = s.get(Case, case.id)
            updated_at = row.updated_at if row else None
        return build_view(
            process=case.process,
            ticket_id=ticket_id,
            stored_state=case.state,
            updated_at=updated_at,
            requested=[range_from_dict(r) for r in case.requested],
            invalid=list(case.invalid),
            decision=decision,
            documents=self.documents(case.id),
            overrides=self.overrides.entries(ticket_id),
            scheduling=self._scheduling(ticket_id),
            page_url=page_url,
        )

    def page_allowed(self, ticket_id: int, sha256: str, page: int) -> bool:
        """Whether ``page`` of the document ``sha256`` belongs to the ticket and was readable."""
        case = self._case(ticket_id)
        return any(
            d.sha256 == sha256 and d.error is None and 1 <= page <= d.pages
            for d in self.documents(case.id)
        )

    # -- actions ------------------------------------------------------------------------

    def _run(self, event: Event, *, action: str) -> ActionResult:
        invocation = f"app:{action}:{event.ticket_id}:{uuid.uuid4().hex}"
        delivery_id, _created = record_event(self.runtime, event, invocation_id=invocation)
        outcome = process_delivery(self.queue, delivery_id)
        return ActionResult(state=outcome.state, error=outcome.error)

    def _log(
        self, ticket_id: int, agent_id: int | None, action: str, outcome: str, **detail: Any
    ) -> None:
        self.overrides.log(
            ticket_id,
            agent_id=agent_id,
            action=action,
            outcome=outcome,
            detail=detail,
            now=self.runtime.clock(),
        )

    def check_override(self, ticket_id: int, override: Override) -> Decision:
        """The decision with ``override`` applied; AppActionError when ``decide`` would ignore it."""
        case = self._case(ticket_id)
        requested = [range_from_dict(r) for r in case.requested]
        documents = self.documents(case.id)
        earlier = self.overrides.overrides(ticket_id)
        decision = decide(
            requested, documents, invalid=case.invalid, overrides=[*earlier, override]
        )
        if override in decision.overrides:
            return decision
        if override.action == "approve" and not override.force:
            forced = Override(override.range, "approve", override.reason, override.agent_id, True)
            retry = decide(requested, documents, invalid=case.invalid, overrides=[*earlier, forced])
            if forced in retry.overrides:
                raise AppActionError(
                    "needs_force",
                    "No document hands this number over; approve it only as an explicit override with a reason.",
                )
        raise AppActionError(
            "not_applicable",
            "This number is not requested or already has that decision; nothing to change.",
        )

    def override(
        self,
        ticket_id: int,
        *,
        first: str,
        last: str,
        action: str,
        reason: str,
        force: bool,
        agent_id: int | None,
    ) -> ActionResult:
        """Record an agent's approve/reject of one number or block and re-evaluate the case."""
        if not reason.strip():
            self._log(ticket_id, agent_id, "override", "refused", code="no_reason")
            raise AppActionError(
                "no_reason", "An override needs a reason; write why in one sentence."
            )
        if action not in ("approve", "reject"):
            raise AppActionError("bad_action", "An override either approves or rejects a number.")
        try:
            rng = NumberRange(first, last)
        except ValueError:
            raise AppActionError(
                "bad_number", "The number is not in E.164 form; reload the app."
            ) from None
        item = Override(rng, action, reason.strip(), agent_id, force)
        try:
            self.check_override(ticket_id, item)
        except AppActionError as exc:
            self._log(
                ticket_id,
                agent_id,
                "override",
                "refused",
                kind=action,
                force=force,
                code=exc.code,
            )
            raise
        self.overrides.add(ticket_id, item, now=self.runtime.clock())
        result = self._run(
            Event(kind="manual", ticket_id=ticket_id, author_id=agent_id, author_is_staff=True),
            action="override",
        )
        self._log(
            ticket_id,
            agent_id,
            "override",
            result.state,
            kind=action,
            force=force,
            count=rng.count,
        )
        return result

    def reevaluate(self, ticket_id: int, *, agent_id: int | None) -> ActionResult:
        """Run the relocation handler again, as a ``manual`` event."""
        self._case(ticket_id)
        result = self._run(
            Event(kind="manual", ticket_id=ticket_id, author_id=agent_id, author_is_staff=True),
            action="reevaluate",
        )
        self._log(ticket_id, agent_id, "reevaluate", result.state)
        return result

    def propose(self, ticket_id: int, *, agent_id: int | None) -> ActionResult:
        """Start a new round of slot proposals through the scheduling handler."""
        case = self._case(ticket_id)
        decision = decision_from_dict(case.decision) if case.decision else None
        if decision is None or not decision.approved:
            raise AppActionError(
                "nothing_approved",
                "Nothing is approved on this ticket yet; there is nothing to schedule.",
            )
        if decision.needs_review:
            raise AppActionError(
                "needs_review",
                "The case still needs review; re-run the evaluation or decide the numbers first.",
            )
        current = self._scheduling(ticket_id)
        if current is not None and current["state"] not in ("proposing", "handover"):
            raise AppActionError(
                "cutover_closed",
                "The cutover is already booked or closed; set a new date by hand instead.",
            )
        result = self._run(
            Event(
                kind=PROPOSE_EVENT, ticket_id=ticket_id, author_id=agent_id, author_is_staff=True
            ),
            action="propose",
        )
        self._log(ticket_id, agent_id, "propose", result.state)
        return result

    def set_cutover(
        self, ticket_id: int, *, local_start: str, agent_id: int | None
    ) -> ActionResult:
        """Write the cutover field as an agent would, then run the same field-change handler."""
        self._case(ticket_id)
        settings = self.runtime.settings.scheduling
        if settings.cutover_field_id is None:
            raise AppActionError(
                "no_cutover_field", "No cutover field is configured (scheduling.cutover_field_id)."
            )
        try:
            when = datetime.fromisoformat(local_start)
        except ValueError:
            raise AppActionError(
                "bad_time", "The cutover time is not a date and time; pick one again."
            ) from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=ZoneInfo(settings.timezone))
        value = when.astimezone(ZoneInfo(settings.timezone)).strftime(CUTOVER_FIELD_FORMAT)
        helpdesk = self.runtime.helpdesk_factory()
        helpdesk.update_ticket(
            TicketUpdate(ticket_id=ticket_id, custom_fields={settings.cutover_field_id: value})
        )
        result = self._run(
            Event(
                kind="ticket.custom_field_changed",
                ticket_id=ticket_id,
                author_id=agent_id,
                author_is_staff=True,
                field_id=settings.cutover_field_id,
            ),
            action="cutover",
        )
        self._log(ticket_id, agent_id, "cutover", result.state)
        if result.state == "failed":
            raise SchedulingError("The cutover could not be set; the ticket has a note why.")
        return result


# The scheduling handler's event for "propose again" and the text form of the cutover field
# (see handlers/scheduling); kept here in one place so they are easy to align.
PROPOSE_EVENT = "scheduling.propose"
CUTOVER_FIELD_FORMAT = "%Y-%m-%d %H:%M"
