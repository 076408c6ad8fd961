from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from config.errors import TransientHelpdeskError
from handlers.ports import Event, TicketUpdate
from handlers.scheduling.links import LinkClaims, make_token
from handlers.scheduling.router import router as scheduling_router
from integration.runtime import build_runtime
from integration.store import Store
from integration.store.scheduling import SchedulingRepo
from integration.tasks.scheduling import run_periodic
from integration.web.slots import router as slots_router
from tests.handlers.scheduling.fakes import SECRET, SOURCE_FIELD, CaseStub, approved, make_context

B = 2001


@pytest.fixture
def env(tmp_path: Path) -> Iterator[tuple[TestClient, object, object, object, SchedulingRepo]]:
    ctx, helpdesk, store, clock = make_context(tmp_path)
    helpdesk.add(B, {SOURCE_FIELD: "alpha"})
    store.cases[B] = CaseStub(approved(("+493012345600", "+493012345601")))
    scheduling_router.dispatch(Event(kind="relocation.approved", ticket_id=B), ctx)
    real_store = Store(store.scheduling.engine, blob_root=tmp_path / "blobs")
    runtime = build_runtime(
        ctx.settings,
        store=real_store,
        helpdesk_factory=lambda: helpdesk,
        clock=clock,
        read_document=ctx.read_document,
        router=scheduling_router,
    )
    app = FastAPI()
    app.state.runtime = runtime
    app.include_router(slots_router)
    with TestClient(app) as client:
        yield client, ctx, helpdesk, clock, store.scheduling


def _links(helpdesk) -> dict[str, str]:  # type: ignore[no-untyped-def]
    a_text = helpdesk.created[0].comment
    b_text = next(u.comment for u in helpdesk.updates if u.ticket_id == B and u.public)
    find = re.compile(r"http://[^/\s]+(/slots/\S+)")
    links = {side: find.search(text) for side, text in (("a", a_text), ("b", b_text))}
    return {side: match.group(1) for side, match in links.items() if match}


class TestSlotPage:
    def test_get_shows_slots_and_changes_nothing(self, env) -> None:  # type: ignore[no-untyped-def]
        client, _ctx, helpdesk, _clock, repo = env
        links = _links(helpdesk)
        before = len(helpdesk.updates)
        for _ in range(3):  # a mail scanner opening the link repeatedly
            page = client.get(links["a"])
            assert page.status_code == 200
            assert 'name="choice" value="3"' in page.text and "<script" not in page.text
            assert page.headers["referrer-policy"] == "no-referrer"
        cutover = repo.by_ticket(B)
        assert repo.responses(cutover.id, cutover.round) == {}
        assert len(helpdesk.updates) == before

    def test_post_both_sides_books(self, env) -> None:  # type: ignore[no-untyped-def]
        client, _ctx, helpdesk, _clock, repo = env
        links = _links(helpdesk)
        first = client.post(links["a"], data={"action": "accept", "choice": ["1", "2"]})
        assert first.status_code == 200 and "gespeichert" in first.text
        second = client.post(links["b"], data={"action": "accept", "choice": ["2"]})
        assert second.status_code == 200 and "gebucht" in second.text
        cutover = repo.by_ticket(B)
        assert cutover.state == "booked"
        assert cutover.start == repo.proposals(cutover.id, 1)[1].start

    def test_accept_without_choice_is_refused(self, env) -> None:  # type: ignore[no-untyped-def]
        client, _ctx, helpdesk, _clock, _repo = env
        page = client.post(_links(helpdesk)["a"], data={"action": "accept"})
        assert page.status_code == 400 and "mindestens einen Termin" in page.text

    def test_tampered_link_refused(self, env) -> None:  # type: ignore[no-untyped-def]
        client, _ctx, helpdesk, _clock, repo = env
        link = _links(helpdesk)["a"]
        tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
        for response in (client.get(tampered), client.post(tampered, data={"action": "cancel"})):
            assert response.status_code == 403 and "ungültig" in response.text
        assert repo.by_ticket(B).state == "proposing"

    def test_foreign_link_refused(self, env) -> None:  # type: ignore[no-untyped-def]
        """A correctly signed link for a case that is not there (another installation's id)."""
        client, _ctx, _helpdesk, clock, _repo = env
        token = make_token(LinkClaims(999, "a", 1), secret=SECRET, now=clock(), ttl_hours=1)
        assert client.get(f"/slots/{token}").status_code == 403
        forged = make_token(LinkClaims(1, "a", 1), secret="y" * 40, now=clock(), ttl_hours=1)
        assert client.post(f"/slots/{forged}", data={"action": "cancel"}).status_code == 403

    def test_expired_link_gone(self, env) -> None:  # type: ignore[no-untyped-def]
        client, ctx, helpdesk, clock, repo = env
        link = _links(helpdesk)["b"]
        clock.advance(hours=ctx.settings.scheduling.link_ttl_hours + 1)
        response = client.post(link, data={"action": "cancel"})
        assert response.status_code == 410 and "abgelaufen" in response.text
        assert repo.by_ticket(B).state == "proposing"

    def test_old_round_link_superseded(self, env) -> None:  # type: ignore[no-untyped-def]
        client, _ctx, helpdesk, _clock, repo = env
        links = _links(helpdesk)
        assert client.post(links["a"], data={"action": "refuse"}).status_code == 200
        assert repo.by_ticket(B).round == 2
        old = client.get(links["b"])
        assert old.status_code == 410 and "neuere" in old.text

    def test_cancel_by_link_needs_a_confirmation(self, env) -> None:  # type: ignore[no-untyped-def]
        client, _ctx, helpdesk, clock, repo = env
        link = _links(helpdesk)["b"]
        page = client.post(link, data={"action": "cancel"})
        assert page.status_code == 200 and "wirklich absagen" in page.text
        assert repo.by_ticket(B).state == "proposing"  # nothing changed yet
        page = client.post(link, data={"action": "cancel_confirmed"})
        assert "abgesagt" in page.text
        assert repo.by_ticket(B).state == "cancelled"
        clock.advance(minutes=1)
        assert client.get(link).status_code == 410

    def test_old_links_stay_powerless_in_every_state(self, env) -> None:  # type: ignore[no-untyped-def]
        """Issue 12, finding 7: round-1 links after a booking in round 2 change nothing."""
        client, _ctx, helpdesk, _clock, repo = env
        old = _links(helpdesk)
        client.post(old["b"], data={"action": "refuse"})
        cutover = repo.by_ticket(B)
        assert cutover.round == 2
        new_a = re.search(r"(/slots/\S+)", helpdesk.for_ticket(cutover.ticket_a)[-1].comment)
        new_b = re.search(
            r"(/slots/\S+)", [u for u in helpdesk.for_ticket(B) if u.public][-1].comment
        )
        assert new_a and new_b
        client.post(new_a.group(1), data={"action": "accept", "choice": ["1"]})
        client.post(new_b.group(1), data={"action": "accept", "choice": ["1"]})
        assert repo.by_ticket(B).state == "booked"
        for link in old.values():
            page = client.get(link)
            assert page.status_code == 410 and "neuere" in page.text
            for action in ("cancel", "cancel_confirmed", "accept"):
                response = client.post(link, data={"action": action, "choice": ["2"]})
                assert response.status_code == 410
        assert repo.by_ticket(B).state == "booked"
        # the booked round's link shows the booking and cancels only after confirming
        page = client.get(new_b.group(1))
        assert "ist gebucht" in page.text
        assert "wirklich" in client.post(new_b.group(1), data={"action": "cancel"}).text
        assert repo.by_ticket(B).state == "booked"
        client.post(new_b.group(1), data={"action": "cancel_confirmed"})
        assert repo.by_ticket(B).state == "cancelled"

    def test_non_ascii_digits_are_no_choice(self, env) -> None:  # type: ignore[no-untyped-def]
        client, _ctx, helpdesk, _clock, _repo = env
        page = client.post(
            _links(helpdesk)["a"], data={"action": "accept", "choice": ["0301234567²"]}
        )
        assert page.status_code == 400

    def test_stylesheet(self, env) -> None:  # type: ignore[no-untyped-def]
        client = env[0]
        assert client.get("/slots-assets/slots.css").headers["content-type"].startswith("text/css")

    def test_zendesk_down_answer_kept_and_sent_later(self, env) -> None:  # type: ignore[no-untyped-def]
        """Zendesk refuses the confirmation: the page says it follows; the periodic task sends it once."""
        client, _ctx, helpdesk, _clock, repo = env
        links = _links(helpdesk)
        cutover = repo.by_ticket(B)
        real_update = helpdesk.update_ticket
        failures = [TransientHelpdeskError("503")]

        def flaky(update: TicketUpdate) -> None:
            if update.ticket_id == cutover.ticket_a and failures:
                raise failures.pop()
            real_update(update)

        helpdesk.update_ticket = flaky
        client.post(links["a"], data={"action": "accept", "choice": ["1"]})
        page = client.post(links["b"], data={"action": "accept", "choice": ["1"]})
        assert page.status_code == 200 and "in Kürze" in page.text
        assert repo.get(cutover.id).state == "booked"
        confirmations = [
            u for u in helpdesk.updates if u.ticket_id == cutover.ticket_a and u.uploads
        ]
        assert confirmations == []
        runtime = client.app.state.runtime
        run_periodic(runtime)
        run_periodic(runtime)
        confirmations = [
            u for u in helpdesk.updates if u.ticket_id == cutover.ticket_a and u.uploads
        ]
        assert len(confirmations) == 1
        assert len([u for u in helpdesk.updates if u.ticket_id == B and u.uploads]) == 1
