"""The event router: registration, composition, dispatch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from config.settings import Settings
from handlers.ports import Event, TicketUpdate, TicketView
from handlers.router import (
    Process,
    ProcessRouter,
    Router,
    TicketMarker,
    failed_process,
    ticket_matches,
)


class TestRouter:
    def test_dispatch_calls_registered_handlers_in_order(self) -> None:
        r = Router()
        seen: list[str] = []

        @r.register("ticket.created", "trigger")
        def first(event: Event, ctx: Any) -> None:
            seen.append(f"first:{event.kind}:{ctx}")

        @r.register("ticket.created")
        def second(event: Event, ctx: Any) -> None:
            seen.append("second")

        assert r.dispatch(Event(kind="ticket.created", ticket_id=1), "ctx") == 2
        assert seen == ["first:ticket.created:ctx", "second"]
        assert r.dispatch(Event(kind="unknown", ticket_id=1), None) == 0

    def test_composition_keeps_every_router(self) -> None:
        a, b = Router(), Router()
        a.register("x")(lambda e, c: None)
        b.register("x", "y")(lambda e, c: None)
        both = Router(a, b)
        assert len(both.handlers_for("x")) == 2
        assert both.kinds() == {"x", "y"}


class _CountingHelpdesk:
    """Tickets by id; counts every fetch."""

    def __init__(self, *tickets: TicketView) -> None:
        self.tickets = {t.id: t for t in tickets}
        self.fetches = 0
        self.updates: list[TicketUpdate] = []

    def get_ticket(self, ticket_id: int) -> TicketView:
        self.fetches += 1
        return self.tickets[ticket_id]

    def update_ticket(self, update: TicketUpdate) -> None:
        self.updates.append(update)


@dataclass
class _Ctx:
    helpdesk: Any
    settings: Settings = field(default_factory=Settings)


def _ticket(
    ticket_id: int, *, tags: tuple[str, ...] = (), form_id: int | None = None
) -> TicketView:
    return TicketView(
        id=ticket_id, subject="s", description="d", status="open", tags=tags, form_id=form_id
    )


def _process(name: str, tag: str, seen: list[str], *kinds: str) -> Process:
    router = Router()

    @router.register(*kinds)
    def handler(event: Event, ctx: Any) -> None:
        ctx.helpdesk.get_ticket(event.ticket_id)  # each handler reads the ticket again
        seen.append(name)

    return Process(
        name=name,
        router=router,
        marker=lambda s: TicketMarker(tag=tag),
        review_tag=lambda s: f"{name}_review",
    )


class TestTicketMatches:
    def test_tags_match_in_any_case(self) -> None:
        """One rule for every process: 'Umzugsauftrag' and 'umzugsauftrag' are the same tag."""
        ticket = _ticket(1, tags=("Umzugsauftrag",))
        assert ticket_matches(ticket, TicketMarker(tag="umzugsauftrag"))
        assert not ticket_matches(ticket, TicketMarker(tag="produktwechsel"))

    def test_form_or_field_value(self) -> None:
        """A form id or a marker field's value (trimmed, any case) marks the ticket too."""
        assert ticket_matches(_ticket(1, form_id=7), TicketMarker(form_id=7))
        by_field = TicketView(
            id=2, subject="", description="", status="new", custom_fields={9: " Produktwechsel "}
        )
        assert ticket_matches(by_field, TicketMarker(field_id=9, field_value="produktwechsel"))
        assert not ticket_matches(by_field, TicketMarker(field_id=9, field_value=""))


class TestProcessRouter:
    def test_ticket_fetched_once_and_only_its_process_runs(self) -> None:
        """A ticket event reaches only the processes whose marker the ticket carries."""
        seen: list[str] = []
        helpdesk = _CountingHelpdesk(_ticket(1, tags=("umzug",)))
        router = ProcessRouter(
            _process("relocation", "umzug", seen, "trigger"),
            _process("product_change", "pw", seen, "trigger"),
        )
        ctx = _Ctx(helpdesk)
        assert router.dispatch(Event(kind="trigger", ticket_id=1), ctx) == 1
        assert seen == ["relocation"]
        assert helpdesk.fetches == 1
        assert ctx.helpdesk is helpdesk  # the per-event cache does not outlive the event

    def test_each_event_reads_the_ticket_afresh(self) -> None:
        """The cache lives for one event: a second event sees the ticket as it is then."""
        seen: list[str] = []
        helpdesk = _CountingHelpdesk(_ticket(1, tags=("umzug",)))
        router = ProcessRouter(_process("relocation", "umzug", seen, "trigger"))
        ctx = _Ctx(helpdesk)
        router.dispatch(Event(kind="trigger", ticket_id=1), ctx)
        helpdesk.tickets[1] = _ticket(1, tags=("other",))
        assert router.dispatch(Event(kind="trigger", ticket_id=1), ctx) == 0
        assert helpdesk.fetches == 2

    def test_a_write_forgets_the_cached_ticket(self) -> None:
        """After a handler writes, the next read goes to the helpdesk again."""
        router_ = Router()
        reads: list[tuple[str, ...]] = []

        @router_.register("trigger")
        def write_then_read(event: Event, ctx: Any) -> None:
            ctx.helpdesk.update_ticket(TicketUpdate(ticket_id=1, add_tags=("x",)))
            reads.append(ctx.helpdesk.get_ticket(1).tags)

        helpdesk = _CountingHelpdesk(_ticket(1, tags=("umzug",)))
        process = Process(
            name="p", router=router_, marker=lambda s: TicketMarker(tag="umzug"), review_tag=str
        )
        ProcessRouter(process).dispatch(Event(kind="trigger", ticket_id=1), _Ctx(helpdesk))
        assert helpdesk.fetches == 2 and len(helpdesk.updates) == 1

    def test_follow_up_events_need_no_ticket(self) -> None:
        """An internal event ("relocation.approved") goes to its listeners without a fetch."""
        seen: list[str] = []
        helpdesk = _CountingHelpdesk()
        router_ = Router()
        router_.register("relocation.approved")(lambda e, c: seen.append("scheduling"))
        router = ProcessRouter(Process(name="scheduling", router=router_, review_tag=str))
        assert router.dispatch(Event(kind="relocation.approved", ticket_id=5), _Ctx(helpdesk)) == 1
        assert seen == ["scheduling"] and helpdesk.fetches == 0

    def test_a_failure_names_its_process(self) -> None:
        """The exception of a failing handler carries the process name for the failure note."""
        router_ = Router()

        @router_.register("manual")
        def boom(event: Event, ctx: Any) -> None:
            raise RuntimeError("x")

        router = ProcessRouter(Process(name="product_change", router=router_, review_tag=str))
        with pytest.raises(RuntimeError) as err:
            router.dispatch(Event(kind="manual", ticket_id=1), _Ctx(_CountingHelpdesk()))
        assert failed_process(err.value) == "product_change"
        assert failed_process(RuntimeError()) is None

    def test_names_are_unique(self) -> None:
        """Two processes with one name would share cases in the store: refused."""
        p = Process(name="x", router=Router(), review_tag=str)
        with pytest.raises(ValueError, match="unique"):
            ProcessRouter(p, p)

    def test_composition_root_declares_every_process(self) -> None:
        """The shipped processes, each with its own review tag."""
        from integration.runtime import compose_processes

        router = compose_processes()
        names = [p.name for p in router.processes]
        assert names == ["relocation", "scheduling", "product_change"]
        tags = {p.name: p.review_tag(Settings()) for p in router.processes}
        assert len(set(tags.values())) == 3
        assert router.matching(_ticket(1, tags=("Produktwechsel",)), Settings())[0].name == (
            "product_change"
        )
