"""Scenario: an approved relocation to a booked cutover, through the real app and zenpy.

The relocation handler's follow-up event ``relocation.approved`` is recorded and queued
exactly as its ``ctx.emit`` does; partner A answers by e-mail (a signed
``ticket.comment_added`` event subscription), partner B on its link page. Zendesk's
HTTP API is faked with ``responses``; the queue runs inline (huey immediate mode).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import responses
from fastapi import FastAPI
from fastapi.testclient import TestClient
from huey import MemoryHuey
from icalendar import Calendar

from config.settings import Settings, load_settings
from handlers.ports import Event
from integration.store import Store, make_engine, upgrade
from integration.store.scheduling import SchedulingRepo
from integration.tasks.deliveries import record_event
from integration.web.app import WEBHOOK_PATH, create_app

SECRET = "scenario-secret"
LINK_SECRET = "link-secret-" + "z" * 30
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # Friday 10:00 Berlin
API = "https://acme.zendesk.com/api/v2"
B, A = 10, 77
SOURCE_FIELD, CUTOVER_FIELD = 501, 502


def make_settings(data_dir: Path) -> Settings:
    return load_settings(
        env={"PARTNERDESK_LINK_SECRET": LINK_SECRET},
        overrides={
            "general": {"data_dir": str(data_dir), "public_url": "https://desk.example"},
            "zendesk": {
                "subdomain": "acme",
                "email": "bot@example.com",
                "token": "tok",
                "webhook_secret": SECRET,
            },
            "relocation": {"source_partner_field_id": SOURCE_FIELD},
            "scheduling": {
                "cutover_field_id": CUTOVER_FIELD,
                "organizer_email": "umzug@carrier.example",
            },
            "partners": [
                {
                    "id": "alpha",
                    "name": "Alpha Tel GmbH",
                    "contact_email": "noc@alpha.example",
                    "contact_name": "NOC Alpha",
                }
            ],
        },
    )


def ticket_json(ticket_id: int, fields: dict[int, Any]) -> dict[str, Any]:
    return {
        "ticket": {
            "id": ticket_id,
            "subject": "Umzugsauftrag Beta Kommunikation",
            "description": "Bitte 030 12345600 bis -09 übernehmen.",
            "status": "open",
            "tags": ["umzugsauftrag"],
            "custom_fields": [{"id": k, "value": v} for k, v in fields.items()],
            "requester_id": 5,
        }
    }


@dataclass
class Scenario:
    client: TestClient
    app: FastAPI
    store: Store
    api: responses.RequestsMock

    def post_event(self, body: dict[str, Any]) -> int:
        raw = json.dumps(body).encode()
        timestamp = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
        signature = base64.b64encode(
            hmac.new(SECRET.encode(), timestamp.encode() + raw, hashlib.sha256).digest()
        ).decode()
        response = self.client.post(
            WEBHOOK_PATH,
            content=raw,
            headers={
                "content-type": "application/json",
                "x-zendesk-webhook-signature": signature,
                "x-zendesk-webhook-signature-timestamp": timestamp,
                "x-zendesk-webhook-invocation-id": uuid.uuid4().hex,
            },
        )
        return int(response.status_code)

    def bodies(self, method: str, url_part: str) -> list[dict[str, Any]]:
        return [
            json.loads(call.request.body or b"{}")
            for call in self.api.calls
            if call.request.method == method
            and url_part in str(call.request.url)
            and "uploads" not in str(call.request.url)
        ]


@pytest.fixture
def scenario(tmp_path: Path) -> Iterator[Scenario]:
    settings = make_settings(tmp_path)
    store = Store(make_engine(f"sqlite:///{tmp_path / 'pd.db'}"), blob_root=tmp_path / "documents")
    upgrade(store.engine)
    huey = MemoryHuey(f"sched-{uuid.uuid4().hex[:8]}", immediate=True)
    app = create_app(settings, clock=lambda: NOW, huey=huey, store=store)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        api.add(
            responses.GET, f"{API}/tickets/{B}.json", json=ticket_json(B, {SOURCE_FIELD: "alpha"})
        )
        a_ticket = ticket_json(A, {})
        a_ticket["ticket"]["tags"] = []  # partner A's ticket is no Umzugsauftrag itself
        api.add(responses.GET, f"{API}/tickets/{A}.json", json=a_ticket)
        for ticket_id in (A, B):
            api.add(
                responses.GET,
                re.compile(rf"{API}/tickets/{ticket_id}/comments\.json.*"),
                json={"comments": [], "next_page": None},
            )
        api.add(
            responses.POST,
            f"{API}/tickets.json",
            json={"ticket": ticket_json(A, {})["ticket"], "audit": {"id": 2, "events": []}},
        )
        for ticket_id in (A, B):
            api.add(
                responses.PUT,
                f"{API}/tickets/{ticket_id}.json",
                json={
                    "ticket": ticket_json(ticket_id, {})["ticket"],
                    "audit": {"id": 1, "events": []},
                },
            )
        api.add(
            responses.POST,
            re.compile(rf"{API}/uploads\.json.*"),
            json={"upload": {"token": "ics-token", "attachments": [], "attachment": None}},
            status=201,
        )
        with TestClient(app) as client:
            yield Scenario(client, app, store, api)
    store.engine.dispose()


def comment_added(ticket_id: int, body: str) -> dict[str, Any]:
    return {
        "type": "zen:event-type:ticket.comment_added",
        "id": uuid.uuid4().hex,
        "time": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "account_id": 1,
        "subject": f"zen:ticket:{ticket_id}",
        "zendesk_event_version": "2022-11-06",
        "detail": {"id": str(ticket_id)},
        "event": {
            "comment": {
                "id": "9001",
                "body": body,
                "is_public": True,
                "author": {"id": "4242", "is_staff": False, "name": "NOC Alpha"},
            }
        },
    }


def _approve(scenario: Scenario) -> None:
    """What the relocation handler leaves behind: a decided case and a queued follow-up."""
    store = scenario.store
    case = store.upsert_case(B, "relocation", requested=[], invalid=[], now=NOW)
    decision = {
        "approved": [{"first": "+493012345600", "last": "+493012345609", "count": 10}],
        "rejected": [],
        "unrequested": [],
        "needs_review": False,
        "review_reasons": [],
        "overrides": [],
    }
    store.save_decision(case.id, decision=decision, fingerprint="f", state="approved", now=NOW)
    runtime = scenario.app.state.runtime
    delivery_id, _ = record_event(
        runtime, Event(kind="relocation.approved", ticket_id=B), invocation_id="emit:test"
    )
    scenario.app.state.queue.enqueue_delivery(delivery_id)


def test_approval_to_booked_cutover(scenario: Scenario) -> None:
    _approve(scenario)

    # Partner A: a new ticket naming only the numbers and the slots, with A's own link.
    (created,) = scenario.bodies("POST", "/tickets.json")
    new = created["ticket"]
    assert new["requester"]["email"] == "noc@alpha.example"
    assert new["external_id"].startswith("partnerdesk-cutover-")
    a_text = new["comment"]["body"]
    assert new["comment"]["public"] is True
    assert "Beta" not in a_text and f"#{B}" not in a_text and "Beta" not in new["subject"]
    assert "1. Montag, 23.11.2026, 08:00 Uhr" in a_text  # Friday + 48 h -> Monday
    # Partner B: a public reply on its own ticket with its own link.
    (b_reply,) = scenario.bodies("PUT", f"/tickets/{B}.json")
    b_text = b_reply["ticket"]["comment"]["body"]
    link_re = re.compile(r"https://desk\.example(/slots/\S+)")
    found_a, found_b = link_re.search(a_text), link_re.search(b_text)
    assert found_a and found_b
    link_a, link_b = found_a.group(1), found_b.group(1)
    assert link_a != link_b

    # A answers by e-mail, quoting our proposal under its signature.
    quoted = "\n".join("> " + line for line in a_text.splitlines())
    body = f"Hallo,\n\nTermin 2 passt uns.\n\nViele Grüße\nNOC Alpha\n\nAm 20.11.2026 schrieb Support:\n{quoted}"
    assert scenario.post_event(comment_added(A, body)) == 202
    repo = SchedulingRepo(scenario.store)
    cutover = repo.by_ticket(B)
    assert cutover is not None and cutover.ticket_a == A
    assert repo.responses(cutover.id, 1)["a"].choices == (2,)

    # B opens its link (GET changes nothing), then confirms slots 2 and 3 with a POST.
    assert scenario.client.get(link_b).status_code == 200
    assert repo.get(cutover.id) == cutover
    page = scenario.client.post(link_b, data={"action": "accept", "choice": ["2", "3"]})
    assert page.status_code == 200 and "gebucht" in page.text

    booked = repo.get(cutover.id)
    assert booked is not None
    second = repo.proposals(cutover.id, 1)[1]
    assert booked.state == "booked" and booked.start == second.start
    # a confirmation with the .ics on both tickets, the date in the field, the tag
    for ticket_id in (A, B):
        confirmation = [
            b["ticket"]
            for b in scenario.bodies("PUT", f"/tickets/{ticket_id}.json")
            if "partnerdesk_scheduled" in b["ticket"].get("additional_tags", [])
        ]
        (c,) = confirmation
        assert c["comment"]["public"] is True and c["comment"]["uploads"] == ["ics-token"]
        assert c["custom_fields"] == [{"id": CUTOVER_FIELD, "value": "2026-11-24 08:00"}]
    uploads = [call for call in scenario.api.calls if "uploads.json" in str(call.request.url)]
    assert len(uploads) == 2
    ics = Calendar.from_ical(uploads[0].request.body or b"")
    assert ics.events[0].start == second.start and str(ics["METHOD"]) == "REQUEST"
    runbook = scenario.bodies("PUT", f"/tickets/{B}.json")[-1]["ticket"]["comment"]
    assert runbook["public"] is False and "Quell-Account" in runbook["body"]

    # Our own public confirmation comes back as a staff comment: the scheduler stays quiet
    # (the relocation process may look at the ticket; it is not this test's subject).
    def public_writes() -> int:
        return sum(
            1
            for body in scenario.bodies("PUT", "/tickets/") + scenario.bodies("POST", "/tickets")
            if body["ticket"].get("comment", {}).get("public")
        )

    before = public_writes()
    staff = comment_added(B, "Der Umzugstermin steht fest")
    staff["event"]["comment"]["author"]["is_staff"] = True
    assert scenario.post_event(staff) == 202
    assert public_writes() == before
    assert repo.get(cutover.id) == booked


# -- issue 10: replies announced by a trigger body (ticket id only), agent dates ------------

PARTNER_USER = 5  # the requester of both tickets in these fakes: the partner's user


def _trigger(ticket_id: int, event: str | None = "ticket.comment_added") -> dict[str, Any]:
    """The body the documented trigger sends: the ticket id (and the event name), nothing else."""
    body: dict[str, Any] = {"ticket_id": str(ticket_id)}
    if event:
        body["event"] = event
    return body


def _partner_writes(scenario: Scenario, ticket_id: int, body: str, comment_id: int) -> None:
    """The partner's e-mail became a public comment; the API lists it (newest last)."""
    comments = [
        {
            "id": comment_id - 1,
            "body": "Vorschläge ...",
            "public": True,
            "author_id": 900,  # our API user's proposal
            "created_at": "2026-11-20T09:00:00Z",
            "attachments": [],
        },
        {
            "id": comment_id,
            "body": body,
            "public": True,
            "author_id": PARTNER_USER,
            "created_at": "2026-11-20T09:05:00Z",
            "attachments": [],
        },
    ]
    scenario.api.replace(
        responses.GET,
        re.compile(rf"{API}/tickets/{ticket_id}/comments\.json.*"),
        json={"comments": comments, "next_page": None, "count": len(comments)},
    )


def test_trigger_replies_book_the_slot_both_accept_and_none_refused(scenario: Scenario) -> None:
    """A: "2 oder 3", B: "3 bitte, 2 geht nicht" -> slot 3 (issue 10 booked slot 2)."""
    _approve(scenario)
    repo = SchedulingRepo(scenario.store)
    cutover = repo.by_ticket(B)
    assert cutover is not None and cutover.ticket_a == A
    _partner_writes(scenario, A, "Termin 2 oder 3 passt uns.", 9101)
    assert scenario.post_event(_trigger(A)) == 202
    assert repo.responses(cutover.id, 1)["a"].choices == (2, 3)
    _partner_writes(scenario, B, "Vorschlag 3 bitte, 2 geht bei uns nicht.", 9201)
    assert scenario.post_event(_trigger(B)) == 202
    booked = repo.get(cutover.id)
    assert booked is not None and booked.state == "booked"
    assert booked.start == repo.proposals(cutover.id, 1)[2].start
    # the same trigger again reads nothing twice (the webhook may already drop the replay)
    assert scenario.post_event(_trigger(B)) in (200, 202)
    assert repo.get(cutover.id) == booked


def test_trigger_reply_refusing_all_starts_a_new_round(scenario: Scenario) -> None:
    _approve(scenario)
    repo = SchedulingRepo(scenario.store)
    cutover = repo.by_ticket(B)
    assert cutover is not None
    _partner_writes(scenario, B, "Leider passt keiner der Termine.", 9301)
    assert scenario.post_event(_trigger(B)) == 202
    again = repo.get(cutover.id)
    assert again is not None and again.state == "proposing" and again.round == 2
    first = {p.start for p in repo.proposals(cutover.id, 1)}
    assert len(repo.proposals(cutover.id, 2)) == 3
    assert not first & {p.start for p in repo.proposals(cutover.id, 2)}


def _agent_types(scenario: Scenario, ticket_id: int, value: str) -> None:
    ticket = ticket_json(ticket_id, {SOURCE_FIELD: "alpha", CUTOVER_FIELD: value})
    scenario.api.replace(responses.GET, f"{API}/tickets/{ticket_id}.json", json=ticket)


def _internal_notes(scenario: Scenario, ticket_id: int) -> list[str]:
    return [
        b["ticket"]["comment"]["body"]
        for b in scenario.bodies("PUT", f"/tickets/{ticket_id}.json")
        if b["ticket"].get("comment", {}).get("public") is False
    ]


def test_agent_date_on_a_holiday_is_refused(scenario: Scenario) -> None:
    _approve(scenario)
    repo = SchedulingRepo(scenario.store)
    cutover = repo.by_ticket(B)
    assert cutover is not None
    _agent_types(scenario, B, "25.12.2026 10:00")
    assert scenario.post_event(_trigger(B, event=None)) == 202
    assert repo.get(cutover.id) == cutover  # nothing booked, nobody told
    note = _internal_notes(scenario, B)[-1]
    assert "NICHT übernommen" in note and "Feiertag" in note
    uploads = [call for call in scenario.api.calls if "uploads.json" in str(call.request.url)]
    assert uploads == []


def test_agent_date_on_a_number_in_another_cutover_is_refused(scenario: Scenario) -> None:
    """A second case holds a member of B's block: its agent date is never booked."""
    _approve(scenario)
    repo = SchedulingRepo(scenario.store)
    other = 11
    scenario.api.add(
        responses.GET,
        re.compile(rf"{API}/tickets/{other}/comments\.json.*"),
        json={"comments": [], "next_page": None},
    )
    scenario.api.add(
        responses.PUT,
        f"{API}/tickets/{other}.json",
        json={"ticket": ticket_json(other, {})["ticket"], "audit": {"id": 3, "events": []}},
    )
    scenario.api.add(
        responses.GET,
        f"{API}/tickets/{other}.json",
        json=ticket_json(other, {SOURCE_FIELD: "alpha"}),
    )
    store = scenario.store
    case = store.upsert_case(other, "relocation", requested=[], invalid=[], now=NOW)
    decision = {
        "approved": [{"first": "+493012345605", "last": "+493012345605", "count": 1}],
        "rejected": [],
        "unrequested": [],
        "needs_review": False,
        "review_reasons": [],
        "overrides": [],
    }
    store.save_decision(case.id, decision=decision, fingerprint="g", state="approved", now=NOW)
    runtime = scenario.app.state.runtime
    delivery_id, _ = record_event(
        runtime, Event(kind="relocation.approved", ticket_id=other), invocation_id="emit:other"
    )
    scenario.app.state.queue.enqueue_delivery(delivery_id)
    second = repo.by_ticket(other)
    assert second is not None and second.state == "conflict"
    assert f"#{B}" in _internal_notes(scenario, other)[-1]
    _agent_types(scenario, other, "2026-11-26 14:00 force: dringend")
    assert scenario.post_event(_trigger(other, event=None)) == 202
    assert repo.get(second.id) == second
    note = _internal_notes(scenario, other)[-1]
    assert "NICHT übernommen" in note and "anderen offenen Umzug" in note
