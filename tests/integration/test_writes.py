"""handlers.writes: every ticket write exactly once, whatever Zendesk answers (issue 12, 3)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from config.errors import TransientHelpdeskError, WriteConflictError
from config.settings import Settings
from handlers.context import Context
from handlers.ports import NewTicket, TicketUpdate
from handlers.writes import create_ticket_once, record_written, reference, write_update
from integration.store import Store
from tests.integration.fakes import FakeHelpdesk

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
TIMEOUT = TransientHelpdeskError("Zendesk did not answer in time")


def ctx_for(settings: Settings, store: Store, helpdesk: FakeHelpdesk) -> Context:
    return Context(
        settings=settings,
        helpdesk=helpdesk,
        store=store,
        clock=lambda: NOW,
        read_document=lambda _data, _name: None,  # type: ignore[arg-type,return-value]
        emit=lambda _event: None,
    )


def note(ticket_id: int = 7) -> TicketUpdate:
    return TicketUpdate(ticket_id=ticket_id, comment="Notiz", public=True)


class TestUpdate:
    def test_fresh_write_is_one_call_with_the_reference(
        self, settings: Settings, store: Store
    ) -> None:
        hd = FakeHelpdesk()
        ctx = ctx_for(settings, store, hd)
        assert write_update(ctx, note(), kind="proposal", fingerprint="c1-r1") == "sent"
        assert hd.references == [reference("proposal", "c1-r1")]
        assert hd.landed_checks == 0
        assert write_update(ctx, note(), kind="proposal", fingerprint="c1-r1") == "already"
        assert len(hd.updates) == 1

    def test_applied_but_timed_out_is_not_written_again(
        self, settings: Settings, store: Store
    ) -> None:
        hd = FakeHelpdesk(fail_after_write=[TIMEOUT])
        ctx = ctx_for(settings, store, hd)
        assert write_update(ctx, note(), kind="proposal", fingerprint="c1-r1") == "found"
        assert write_update(ctx, note(), kind="proposal", fingerprint="c1-r1") == "already"
        assert len(hd.updates) == 1

    def test_not_applied_timeout_raises_and_the_retry_writes_once(
        self, settings: Settings, store: Store
    ) -> None:
        hd = FakeHelpdesk(fail_update=[TIMEOUT])
        ctx = ctx_for(settings, store, hd)
        with pytest.raises(TransientHelpdeskError):
            write_update(ctx, note(), kind="proposal", fingerprint="c1-r1")
        assert hd.updates == []
        assert write_update(ctx, note(), kind="proposal", fingerprint="c1-r1") == "sent"
        assert len(hd.updates) == 1 and hd.landed_checks == 2

    def test_crash_after_landing_is_found_by_the_retry(
        self, settings: Settings, store: Store
    ) -> None:
        hd = FakeHelpdesk()
        ctx = ctx_for(settings, store, hd)
        # the earlier attempt recorded pending, wrote, and died before recording "sent"
        store.begin_write(
            ticket_id=7,
            kind="proposal",
            fingerprint="c1-r1",
            reference=reference("proposal", "c1-r1"),
            now=NOW,
        )
        hd.update_ticket(TicketUpdate(7, comment="x", reference=reference("proposal", "c1-r1")))
        assert write_update(ctx, note(), kind="proposal", fingerprint="c1-r1") == "found"
        assert len(hd.updates) == 1

    def test_conflict_is_retried_at_once_when_not_landed(
        self, settings: Settings, store: Store
    ) -> None:
        hd = FakeHelpdesk(fail_update=[WriteConflictError("409")])
        ctx = ctx_for(settings, store, hd)
        assert write_update(ctx, note(), kind="proposal", fingerprint="c1-r1") == "sent"
        assert len(hd.updates) == 1

    def test_long_fingerprints_fit(self, settings: Settings, store: Store) -> None:
        hd = FakeHelpdesk()
        ctx = ctx_for(settings, store, hd)
        assert write_update(ctx, note(), kind="k", fingerprint="x" * 200) == "sent"
        assert write_update(ctx, note(), kind="k", fingerprint="x" * 200) == "already"


class TestCreate:
    def new(self) -> NewTicket:
        return NewTicket("Betreff", "Vorschlag", "a@example.com", external_id="pd-cutover-3")

    def test_applied_but_timed_out_is_found_by_external_id(
        self, settings: Settings, store: Store
    ) -> None:
        hd = FakeHelpdesk(fail_after_write=[TIMEOUT])
        ctx = ctx_for(settings, store, hd)
        ticket_id, state = create_ticket_once(ctx, self.new(), kind="ticket_a")
        assert state == "found" and len(hd.created) == 1
        again, state = create_ticket_once(ctx, self.new(), kind="ticket_a")
        assert (again, state) == (ticket_id, "already") and len(hd.created) == 1

    def test_retry_after_crash_looks_up_before_creating(
        self, settings: Settings, store: Store
    ) -> None:
        hd = FakeHelpdesk(fail_update=[TIMEOUT])
        ctx = ctx_for(settings, store, hd)
        with pytest.raises(TransientHelpdeskError):
            create_ticket_once(ctx, self.new(), kind="ticket_a")
        ticket_id, state = create_ticket_once(ctx, self.new(), kind="ticket_a")
        assert state == "sent" and list(hd.created) == [ticket_id]

    def test_needs_an_external_id(self, settings: Settings, store: Store) -> None:
        ctx = ctx_for(settings, store, FakeHelpdesk())
        with pytest.raises(ValueError):
            create_ticket_once(ctx, NewTicket("s", "c", "a@example.com"), kind="ticket_a")


def test_record_written_marks_a_carried_write(settings: Settings, store: Store) -> None:
    hd = FakeHelpdesk()
    ctx = ctx_for(settings, store, hd)
    record_written(ctx, ticket_id=9, kind="proposal", fingerprint="c1-r1")
    assert write_update(ctx, note(9), kind="proposal", fingerprint="c1-r1") == "already"
    assert hd.updates == []
