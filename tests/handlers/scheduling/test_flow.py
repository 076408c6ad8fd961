from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from config.errors import TransientHelpdeskError
from handlers.ports import Event, TicketUpdate
from handlers.scheduling.records import CutoverRecord
from handlers.scheduling.router import router
from tests.handlers.scheduling.fakes import (
    CUTOVER_FIELD,
    LINK_FIELD,
    SOURCE_FIELD,
    CaseStub,
    approved,
    make_context,
)

B = 1001
BLOCK = ("+493012345600", "+493012345619")


_COMMENT_IDS = itertools.count(1)


def _reply(ticket: int | None, body: str, *, staff: bool = False) -> Event:
    return Event(
        kind="ticket.comment_added",
        ticket_id=ticket or 0,
        comment_id=next(_COMMENT_IDS),
        comment_body=body,
        comment_public=True,
        author_is_staff=staff,
    )


@pytest.fixture
def world(tmp_path: Path):  # type: ignore[no-untyped-def]
    ctx, helpdesk, store, clock = make_context(tmp_path)
    helpdesk.add(B, {SOURCE_FIELD: "alpha"})
    store.cases[B] = CaseStub(approved(BLOCK))
    return ctx, helpdesk, store, clock


def _start(world: Any) -> CutoverRecord:
    ctx, _helpdesk, store, _ = world
    router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
    cutover: CutoverRecord | None = store.scheduling.by_ticket(B)
    assert cutover is not None
    return cutover


class TestProposals:
    def test_both_partners_get_numbered_slots_and_own_links(self, world) -> None:  # type: ignore[no-untyped-def]
        """B is answered on its ticket; A gets a new ticket that says nothing about B."""
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        (new,) = helpdesk.created
        assert new.requester_email == "noc@alpha.example" and new.public
        a_text = new.comment
        assert "030 12345600 bis -19" in a_text or "030 123456-00 bis -19" in a_text
        assert "1. " in a_text and "3. " in a_text and "/slots/" in a_text
        assert str(B) not in a_text and "Alpha" not in new.subject
        assert str(B) not in new.subject and new.external_id == f"partnerdesk-cutover-{cutover.id}"
        (b_update,) = helpdesk.for_ticket(B)
        assert b_update.public and "/slots/" in b_update.comment
        assert b_update.custom_fields == {LINK_FIELD: cutover.ticket_a}
        link_a = a_text.split("/slots/")[1].split()[0]
        link_b = b_update.comment.split("/slots/")[1].split()[0]
        assert link_a != link_b
        holds = [b for b in store.scheduling.busy(ctx.clock()) if b.kind == "hold"]
        assert len(holds) == 3

    def test_repeated_approval_sends_nothing_new(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, _, _ = world
        _start(world)
        count = len(helpdesk.updates)
        router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        assert len(helpdesk.updates) == count and len(helpdesk.created) == 1

    def test_unknown_partner_goes_to_agent(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        helpdesk.add(B, {SOURCE_FIELD: "omega"})
        router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        assert helpdesk.created == []
        (note,) = helpdesk.for_ticket(B)
        assert not note.public and ctx.settings.scheduling.tag_handover in note.add_tags
        assert "omega" in (note.comment or "")
        assert store.scheduling.by_ticket(B).state == "handover"

    def test_review_decision_does_not_schedule(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        store.cases[B] = CaseStub({**approved(BLOCK), "needs_review": True})
        router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        assert helpdesk.updates == [] and store.scheduling.by_ticket(B) is None


class TestAnswers:
    def test_common_slot_is_booked(self, world) -> None:  # type: ignore[no-untyped-def]
        """A says 1 or 3, B says 3: slot 3 is booked, both get .ics, field and tag."""
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        a = cutover.ticket_a
        helpdesk.updates.clear()
        router.dispatch(_reply(a, "Vorschlag 1 oder 3"), ctx)
        assert helpdesk.updates == []  # waiting for B
        router.dispatch(_reply(B, "Termin 3 passt\n\nMit freundlichen Grüßen\nB"), ctx)
        booked = store.scheduling.get(cutover.id)
        third = store.scheduling.proposals(cutover.id, 1)[2]
        assert booked.state == "booked" and booked.start == third.start
        for ticket in (a, B):
            confirm = helpdesk.for_ticket(ticket)[0]
            assert confirm.public and ctx.settings.scheduling.tag_scheduled in confirm.add_tags
            assert CUTOVER_FIELD in confirm.custom_fields
            cal = Calendar.from_ical(confirm.uploads[0].content)
            assert cal.events[0].start == third.start
        runbook = helpdesk.for_ticket(B)[1]
        assert not runbook.public and "Quell-Account" in runbook.comment
        assert "Routing" in runbook.comment
        # other cases now see the booking, and the holds are gone
        kinds = sorted(b.kind for b in store.scheduling.busy(ctx.clock()))
        assert kinds == ["booking"]

    def test_a_refused_slot_is_never_booked(self, world) -> None:  # type: ignore[no-untyped-def]
        """Issue 10's case: A "2 oder 3", B "3 bitte, 2 geht nicht" -> slot 3, never 2."""
        ctx, _helpdesk, store, _ = world
        cutover = _start(world)
        router.dispatch(_reply(cutover.ticket_a, "Termin 2 oder 3 passt uns."), ctx)
        router.dispatch(_reply(B, "Vorschlag 3 bitte, 2 geht bei uns nicht."), ctx)
        booked = store.scheduling.get(cutover.id)
        assert booked.state == "booked"
        assert booked.start == store.scheduling.proposals(cutover.id, 1)[2].start

    def test_a_later_refusal_withdraws_an_acceptance(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, _helpdesk, store, _ = world
        cutover = _start(world)
        router.dispatch(_reply(B, "Termin 2 passt"), ctx)
        router.dispatch(_reply(B, "Korrektur: Termin 2 geht doch nicht."), ctx)
        router.dispatch(_reply(cutover.ticket_a, "Termin 2 passt"), ctx)
        # B's latest answer refused 2 and A accepted only 2: no slot is left, new round
        again = store.scheduling.get(cutover.id)
        assert again.state == "proposing" and again.round == 2

    def test_a_partial_refusal_waits_for_the_rest(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, _helpdesk, store, _ = world
        cutover = _start(world)
        router.dispatch(_reply(B, "Termin 1 geht nicht"), ctx)
        router.dispatch(_reply(cutover.ticket_a, "1 oder 3"), ctx)
        assert store.scheduling.get(cutover.id).state == "proposing"
        router.dispatch(_reply(B, "Termin 1 geht nicht, 3 passt"), ctx)
        booked = store.scheduling.get(cutover.id)
        assert booked.state == "booked"
        assert booked.start == store.scheduling.proposals(cutover.id, 1)[2].start

    def test_a_question_goes_to_an_agent_and_records_nothing(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        helpdesk.updates.clear()
        router.dispatch(_reply(B, "Wie lange dauert der Umzug?"), ctx)
        (note,) = helpdesk.for_ticket(B)
        assert not note.public and "Frage" in note.comment
        assert store.scheduling.responses(cutover.id, 1) == {}

    def test_trigger_body_reads_the_newest_partner_comment(self, world) -> None:  # type: ignore[no-untyped-def]
        """A trigger carries only the ticket id: the partner's newest public comment is read, once."""
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        a = cutover.ticket_a
        requester_a = helpdesk.get_ticket(a).requester_id
        helpdesk.comment(a, "Termin 2 passt", author_id=requester_a)
        helpdesk.comment(a, "interne Notiz: Termin 1", author_id=1, public=False)
        router.dispatch(Event(kind="ticket.comment_added", ticket_id=a), ctx)
        assert store.scheduling.responses(cutover.id, 1)["a"].choices == (2,)
        # B's original request is older than our proposal: it is no answer
        helpdesk.comment(B, "Bitte Umzug von 030 123456-00 bis -19, Termin egal", author_id=77)
        helpdesk.comment(B, "Vorschläge ...", author_id=1)  # our proposal, the newest
        router.dispatch(Event(kind="trigger", ticket_id=B), ctx)
        assert "b" not in store.scheduling.responses(cutover.id, 1)
        helpdesk.comment(B, "Termin 2 ist ok", author_id=77)
        router.dispatch(Event(kind="trigger", ticket_id=B), ctx)
        booked = store.scheduling.get(cutover.id)
        assert booked.state == "booked"
        count = len(helpdesk.updates)
        router.dispatch(Event(kind="ticket.comment_added", ticket_id=B), ctx)  # again: read once
        assert len(helpdesk.updates) == count

    def test_partner_a_ticket_matches_the_reply_trigger(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, _, _ = world
        _start(world)
        (new,) = helpdesk.created
        assert ctx.settings.scheduling.tag_partner_ticket in new.tags
        assert new.requester_email == "noc@alpha.example"

    def test_staff_and_private_comments_ignored(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, _, _ = world
        _start(world)
        helpdesk.updates.clear()
        router.dispatch(_reply(B, "Termin 1 passt", staff=True), ctx)
        assert helpdesk.updates == []

    def test_no_common_slot_starts_new_round_without_old_slots(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, _helpdesk, store, _ = world
        cutover = _start(world)
        first = store.scheduling.proposals(cutover.id, 1)
        router.dispatch(_reply(cutover.ticket_a, "1"), ctx)
        router.dispatch(_reply(B, "2"), ctx)
        again = store.scheduling.get(cutover.id)
        assert again.round == 2 and again.state == "proposing"
        second = store.scheduling.proposals(cutover.id, 2)
        assert len(second) == 3
        assert not {p.start for p in first} & {p.start for p in second}

    def test_refusals_until_max_rounds_hand_over(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        for _ in range(ctx.settings.scheduling.max_rounds):
            router.dispatch(_reply(B, "keiner passt"), ctx)
        final = store.scheduling.get(cutover.id)
        assert final.state == "handover" and final.round == ctx.settings.scheduling.max_rounds
        last = helpdesk.for_ticket(B)[-1]
        assert not last.public and ctx.settings.scheduling.tag_handover in last.add_tags
        assert not [b for b in store.scheduling.busy(ctx.clock()) if b.kind == "hold"]

    def test_unclear_reply_notes_agent(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        helpdesk.updates.clear()
        router.dispatch(_reply(cutover.ticket_a, "Wir melden uns nächste Woche."), ctx)
        (note,) = helpdesk.updates
        assert note.ticket_id == cutover.ticket_a and not note.public
        assert store.scheduling.get(cutover.id).state == "proposing"

    def test_cancel_after_booking_sends_ics_cancel(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        router.dispatch(_reply(cutover.ticket_a, "2"), ctx)
        router.dispatch(_reply(B, "2"), ctx)
        helpdesk.updates.clear()
        router.dispatch(_reply(B, "Wir müssen den Termin leider absagen."), ctx)
        final = store.scheduling.get(cutover.id)
        assert final.state == "cancelled" and final.sequence == 1
        for ticket in (B, cutover.ticket_a):
            (update,) = helpdesk.for_ticket(ticket)
            cal = Calendar.from_ical(update.uploads[0].content)
            assert str(cal["METHOD"]) == "CANCEL" and cal.events[0].sequence == 1
            assert str(cal.events[0]["ORGANIZER"]) == "mailto:support@carrier.example"
            assert "mailto:noc@alpha.example" in str(cal.events[0]["ATTENDEE"])
        assert store.scheduling.busy(ctx.clock()) == []


def _agent_date(ctx, helpdesk, ticket: int, value: str) -> None:  # type: ignore[no-untyped-def]
    helpdesk.set_field(ticket, CUTOVER_FIELD, value)
    router.dispatch(
        Event(kind="ticket.custom_field_changed", ticket_id=ticket, field_id=CUTOVER_FIELD), ctx
    )


class TestManualDate:
    def test_a_holiday_is_refused_with_a_clear_note(self, world) -> None:  # type: ignore[no-untyped-def]
        """Issue 10: "25.12.2026 10:00" was booked and confirmed; now nothing is booked or sent."""
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        helpdesk.updates.clear()
        _agent_date(ctx, helpdesk, B, "25.12.2026 10:00")
        assert store.scheduling.get(cutover.id).state == "proposing"
        (note,) = helpdesk.updates
        assert not note.public and "NICHT übernommen" in note.comment
        assert "Feiertag" in note.comment
        # a holiday cannot be forced
        _agent_date(ctx, helpdesk, B, "25.12.2026 10:00 force: Kunde besteht darauf")
        assert store.scheduling.get(cutover.id).state == "proposing"

    def test_a_number_in_another_cutover_is_never_booked(self, world) -> None:  # type: ignore[no-untyped-def]
        """A member of the first case's block, in a second case: refused, even with force."""
        ctx, helpdesk, store, _ = world
        _start(world)
        other = 1002
        helpdesk.add(other, {SOURCE_FIELD: "alpha"})
        store.cases[other] = CaseStub(approved(("+493012345605", "+493012345605")))
        router.dispatch(Event(kind="relocation.approved", ticket_id=other), ctx)
        second = store.scheduling.by_ticket(other)
        helpdesk.updates.clear()
        _agent_date(ctx, helpdesk, other, "26.11.2026 14:00 force: dringend")
        assert store.scheduling.get(second.id).state != "booked"
        (note,) = helpdesk.updates
        assert "anderen offenen Umzug" in note.comment and "NICHT" in note.comment

    def test_service_hours_only_with_force_and_reason(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        helpdesk.updates.clear()
        _agent_date(ctx, helpdesk, B, "2026-11-26 19:00")
        assert store.scheduling.get(cutover.id).state == "proposing"
        assert "force: <Begründung>" in helpdesk.updates[0].comment
        _agent_date(ctx, helpdesk, B, "2026-11-26 19:00 force")
        assert store.scheduling.get(cutover.id).state == "proposing"
        assert "ohne Begründung" in helpdesk.updates[1].comment
        _agent_date(ctx, helpdesk, B, "2026-11-26 19:00 force: Kunde nur abends erreichbar")
        booked = store.scheduling.get(cutover.id)
        assert booked.state == "booked"
        note = next(u for u in helpdesk.updates[2:] if u.ticket_id == B and not u.public)
        assert "Kunde nur abends erreichbar" in note.comment
        assert "außerhalb der Servicezeiten" in note.comment

    def test_a_valid_date_is_booked_and_confirmed(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        helpdesk.updates.clear()
        _agent_date(ctx, helpdesk, B, "2026-11-26 14:00")
        assert store.scheduling.get(cutover.id).state == "booked"
        assert "passt zu Servicezeiten" in helpdesk.updates[0].comment
        assert any(u.public and u.uploads for u in helpdesk.updates)
        # our own field write coming back is no new date
        count = len(helpdesk.updates)
        router.dispatch(
            Event(kind="ticket.custom_field_changed", ticket_id=B, field_id=CUTOVER_FIELD), ctx
        )
        assert len(helpdesk.updates) == count

    def test_unparsable_value(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        helpdesk.set_field(B, CUTOVER_FIELD, "nächste Woche")
        helpdesk.updates.clear()
        router.dispatch(Event(kind="trigger", ticket_id=B), ctx)
        (note,) = helpdesk.updates
        assert "kein Datum" in note.comment
        assert store.scheduling.get(cutover.id).state == "proposing"


class TestRetries:
    def test_failed_write_is_finished_on_retry_without_duplicates(self, world) -> None:  # type: ignore[no-untyped-def]
        """Zendesk fails on B's proposal; the retried approval sends it once, A's ticket stays one."""
        ctx, helpdesk, store, _ = world
        real_update = helpdesk.update_ticket
        failures = [TransientHelpdeskError("503")]

        def flaky(update: TicketUpdate) -> None:
            if update.ticket_id == B and failures:
                raise failures.pop()
            real_update(update)

        helpdesk.update_ticket = flaky
        with pytest.raises(TransientHelpdeskError):
            router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        assert len(helpdesk.created) == 1
        assert len(helpdesk.for_ticket(B)) == 1
        assert store.scheduling.by_ticket(B).round == 1

    def test_confirmation_resent_once_after_failure(self, world) -> None:  # type: ignore[no-untyped-def]
        ctx, helpdesk, store, _ = world
        cutover = _start(world)
        router.dispatch(_reply(cutover.ticket_a, "1"), ctx)
        real_update = helpdesk.update_ticket
        failures = [TransientHelpdeskError("503")]

        def flaky(update: TicketUpdate) -> None:
            if update.ticket_id == cutover.ticket_a and failures:
                raise failures.pop()
            real_update(update)

        helpdesk.update_ticket = flaky
        with pytest.raises(TransientHelpdeskError):
            router.dispatch(_reply(B, "1"), ctx)
        assert store.scheduling.get(cutover.id).state == "booked"
        helpdesk.updates.clear()
        router.dispatch(_reply(B, "1"), ctx)  # the delivery's retry
        router.dispatch(_reply(B, "1"), ctx)
        sent = [(u.ticket_id, u.public) for u in helpdesk.updates]
        assert sent == [(cutover.ticket_a, True), (B, False)]  # A's confirmation, then the runbook


class TestDuration:
    def test_a_block_of_ten_thousand_numbers_gets_slots(self, tmp_path: Path) -> None:
        """Issue 10: a minute per number kept blocks over ~510 numbers from ever fitting."""
        ctx, helpdesk, store, _ = make_context(tmp_path)
        helpdesk.add(B, {SOURCE_FIELD: "alpha"})
        store.cases[B] = CaseStub(approved(("+493012340000", "+493012349999")))
        router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        cutover = store.scheduling.by_ticket(B)
        assert cutover.state == "proposing"
        (slot, *_rest) = store.scheduling.proposals(cutover.id, 1)
        assert (slot.end - slot.start).total_seconds() == 60 * 60  # one operation: 60 min

    def test_no_slot_names_the_real_reason(self, tmp_path: Path) -> None:
        """A duration longer than any service window is named as such, not as capacity."""
        ctx, helpdesk, store, _ = make_context(tmp_path, duration_tiers=[[1, 600]])
        helpdesk.add(B, {SOURCE_FIELD: "alpha"})
        store.cases[B] = CaseStub(approved(BLOCK))
        router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
        assert store.scheduling.by_ticket(B).state == "handover"
        (note,) = helpdesk.for_ticket(B)
        assert not note.public
        assert "länger als das längste Servicezeitfenster" in note.comment
        assert "600 > 540" in note.comment
        assert "Kapazität" not in note.comment
