"""Tests for handlers.product_change.router with an in-memory helpdesk and a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.settings import ProductChangeSettings, Settings
from handlers.context import Context
from handlers.ports import AttachmentRef, CommentView, Event, NewTicket, TicketUpdate, TicketView
from handlers.product_change.facts import ContractFacts, MissingFacts
from handlers.product_change.router import EVENT_KINDS, build_router, is_product_change, router
from handlers.router import Router
from integration.store import Base, Store, make_engine
from parsers.model import ParsedDocument

PC = ProductChangeSettings(
    form_id=4400,
    status_field_id=1,
    customer_admin_field_id=10,
    open_order_field_id=2,
    open_cart_field_id=3,
    contract_start_field_id=4,
    term_months_field_id=5,
    current_group_field_id=7,
    target_group_field_id=8,
    leased_line_move_field_id=9,
)
FIELDS = {
    1: "aktiv",
    2: False,
    3: False,
    4: "2025-03-31",
    5: 24,
    7: "sdsl",
    8: "vdsl",
    9: False,
    10: "ja",
}


@dataclass
class FakeHelpdesk:
    """Tickets in a dict; updates applied to tags and recorded."""

    tickets: dict[int, TicketView] = field(default_factory=dict)
    updates: list[TicketUpdate] = field(default_factory=list)
    fetches: int = 0

    def get_ticket(self, ticket_id: int) -> TicketView:
        self.fetches += 1
        return self.tickets[ticket_id]

    def list_comments(self, ticket_id: int) -> list[CommentView]:
        return []

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes:
        raise AssertionError("product change reads no attachments")

    def update_ticket(self, update: TicketUpdate) -> None:
        self.updates.append(update)
        t = self.tickets[update.ticket_id]
        tags = [x for x in t.tags if x not in update.remove_tags]
        tags += [x for x in update.add_tags if x not in tags]
        self.tickets[update.ticket_id] = replace(t, tags=tuple(tags))

    def create_ticket(self, ticket: NewTicket) -> int:
        raise AssertionError("product change opens no tickets")

    def find_ticket_by_external_id(self, external_id: str) -> int | None:
        return None

    def write_landed(self, ticket_id: int, reference: str) -> bool:
        return any(u.ticket_id == ticket_id and u.reference == reference for u in self.updates)


@dataclass
class World:
    helpdesk: FakeHelpdesk
    store: Store
    now: list[datetime]
    ctx: Context

    def set_fields(self, ticket_id: int, **changes: object) -> None:
        t = self.helpdesk.tickets[ticket_id]
        self.helpdesk.tickets[ticket_id] = replace(
            t, custom_fields={**t.custom_fields, **{int(k[1:]): v for k, v in changes.items()}}
        )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    engine = make_engine(f"sqlite:///{tmp_path / 'pd.db'}")
    Base.metadata.create_all(engine)
    store = Store(engine, blob_root=tmp_path / "documents")
    helpdesk = FakeHelpdesk()
    now = [datetime(2026, 1, 10, 9, 0, tzinfo=UTC)]
    helpdesk.tickets[10] = TicketView(
        id=10,
        subject="Produktwechsel",
        description="",
        status="open",
        form_id=4400,
        custom_fields=dict(FIELDS),
    )

    def no_documents(data: bytes, name: str) -> ParsedDocument:
        raise AssertionError("product change reads no documents")

    ctx = Context(
        settings=Settings(product_change=PC),
        helpdesk=helpdesk,
        store=store,
        clock=lambda: now[0],
        read_document=no_documents,
        emit=lambda event: None,
    )
    yield World(helpdesk, store, now, ctx)
    engine.dispose()


def dispatch(world: World, kind: str = "ticket.updated", ticket_id: int = 10, **kw: int) -> int:
    return router.dispatch(Event(kind=kind, ticket_id=ticket_id, **kw), world.ctx)


class TestIsProductChange:
    """A ticket is recognised by form, tag or marker field."""

    def base(self, **kw: object) -> TicketView:
        return replace(TicketView(id=1, subject="", description="", status="new"), **kw)

    def test_form_tag_field(self) -> None:
        """Each of the three markers is enough; none means no."""
        settings = ProductChangeSettings(form_id=5, field_id=77)
        assert is_product_change(self.base(form_id=5), settings)
        assert is_product_change(self.base(tags=("Produktwechsel",)), settings)
        assert is_product_change(self.base(custom_fields={77: "produktwechsel"}), settings)
        assert not is_product_change(
            self.base(form_id=6, tags=("umzugsauftrag",), custom_fields={77: "x"}), settings
        )


class TestRouter:
    """The router writes one note and the tags, and nothing when the state repeats."""

    def test_registers_all_kinds(self) -> None:
        """All five event kinds are routed, and the router composes."""
        assert router.kinds() == set(EVENT_KINDS)
        assert Router(router).kinds() == set(EVENT_KINDS)

    def test_first_evaluation_writes_note_and_tag(self, world: World) -> None:
        """One internal note plus the approval tag, in one update; the case keeps the verdict."""
        assert dispatch(world, "ticket.created") == 1
        (update,) = world.helpdesk.updates
        assert update.public is False
        assert update.add_tags == ("partnerdesk_pw_approval",)
        assert update.comment and "Produktwechselpauschale laut Preisliste" in update.comment
        case = world.store.get_case(10, "product_change")
        assert case is not None and case.state == "approval_required"
        assert case.decision is not None and case.decision["outcome"] == "approval_required"

    def test_same_state_twice_writes_nothing(self, world: World) -> None:
        """A repeated event, the next day or our own update, writes nothing new."""
        dispatch(world)
        world.now[0] = datetime(2026, 1, 11, 9, 0, tzinfo=UTC)
        dispatch(world, "trigger")
        dispatch(world, "ticket.updated")
        assert len(world.helpdesk.updates) == 1

    def test_field_change_re_evaluates_and_swaps_tags(self, world: World) -> None:
        """Opening a cart blocks; closing it again restores the approval verdict and tag."""
        dispatch(world)
        world.set_fields(10, f3=True)
        dispatch(world, "ticket.custom_field_changed", field_id=3)
        world.set_fields(10, f3=False)
        dispatch(world, "ticket.custom_field_changed", field_id=3)
        tags = [(u.add_tags, u.remove_tags) for u in world.helpdesk.updates]
        assert tags == [
            (("partnerdesk_pw_approval",), ()),
            (("partnerdesk_pw_blocked",), ("partnerdesk_pw_approval",)),
            (("partnerdesk_pw_approval",), ("partnerdesk_pw_blocked",)),
        ]
        assert world.helpdesk.tickets[10].tags == ("partnerdesk_pw_approval",)

    def test_unrelated_field_change_skips_fetch(self, world: World) -> None:
        """A change of a field the verdict does not read is ignored without a fetch."""
        dispatch(world, "ticket.custom_field_changed", field_id=12345)
        assert world.helpdesk.fetches == 0 and world.helpdesk.updates == []

    def test_term_passing_changes_verdict(self, world: World) -> None:
        """When the minimum term has passed (Berlin time), the next event writes "possible"."""
        dispatch(world)
        world.now[0] = datetime(2027, 3, 30, 22, 30, tzinfo=UTC)  # 31.03.2027 00:30 in Berlin
        dispatch(world, "trigger")
        assert world.helpdesk.updates[-1].add_tags == ("partnerdesk_pw_possible",)
        assert "Produktwechselpauschale:" not in (world.helpdesk.updates[-1].comment or "")

    def test_other_tickets_ignored(self, world: World) -> None:
        """A ticket that is no Produktwechsel is left alone."""
        world.helpdesk.tickets[11] = TicketView(
            id=11, subject="Umzug", description="", status="new", tags=("umzugsauftrag",)
        )
        dispatch(world, ticket_id=11)
        assert world.helpdesk.updates == []
        assert world.store.get_case(11, "product_change") is None

    def test_closed_ticket_left_alone(self, world: World) -> None:
        """A closed ticket cannot be updated in Zendesk, so it is not evaluated."""
        world.helpdesk.tickets[10] = replace(world.helpdesk.tickets[10], status="closed")
        dispatch(world)
        assert world.helpdesk.updates == []

    def test_needs_info_names_the_gap(self, world: World) -> None:
        """An empty start field gives the info tag and names the contract start."""
        world.set_fields(10, f4=None)
        dispatch(world, "manual")
        (update,) = world.helpdesk.updates
        assert update.add_tags == ("partnerdesk_pw_info",)
        assert "Es fehlt: Vertragsbeginn" in (update.comment or "")

    def test_failed_write_is_retried(self, world: World) -> None:
        """If the ticket update fails, no fingerprint is kept and the next event writes."""

        def broken(update: TicketUpdate) -> None:
            raise RuntimeError("zendesk down")

        original = world.helpdesk.update_ticket
        world.helpdesk.update_ticket = broken  # type: ignore[method-assign]
        with pytest.raises(RuntimeError):
            dispatch(world)
        world.helpdesk.update_ticket = original  # type: ignore[method-assign]
        dispatch(world)
        assert len(world.helpdesk.updates) == 1

    def test_custom_source(self, world: World) -> None:
        """build_router takes another ContractSource, e.g. a contract-system API."""

        class ApiSource:
            def get_facts(self, ticket: TicketView) -> ContractFacts | MissingFacts:
                return MissingFacts(())

        custom = build_router(source_factory=lambda settings: ApiSource())
        custom.dispatch(
            Event(kind="ticket.custom_field_changed", ticket_id=10, field_id=12345), world.ctx
        )
        (update,) = world.helpdesk.updates
        assert update.add_tags == ("partnerdesk_pw_info",)
