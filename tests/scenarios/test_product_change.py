"""Scenario: a Produktwechsel ticket through signed webhooks, the queue and zenpy against `responses`.

The real app (create_app), the real store (SQLite + migrations), the real Zendesk adapter;
only Zendesk's HTTP API is faked. The queue runs tasks inline (huey immediate mode).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import responses
from fastapi.testclient import TestClient
from huey import MemoryHuey

from config.settings import Settings, load_settings
from integration.store import Store, make_engine, upgrade
from integration.web.app import WEBHOOK_PATH, create_app

SECRET = "scenario-secret"
TICKET_URL = "https://acme.zendesk.com/api/v2/tickets/10.json"
NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
# field ids as an operator would configure them
FIELDS = {
    "status": 101,
    "open_order": 102,
    "open_cart": 103,
    "start": 104,
    "term": 105,
    "group": 107,
    "target": 108,
    "move": 109,
    "admin": 110,
}


def ticket_json(
    *, open_cart: bool = False, tags: tuple[str, ...] = ("produktwechsel",)
) -> dict[str, Any]:
    values = {
        FIELDS["status"]: "aktiv",
        FIELDS["open_order"]: False,
        FIELDS["open_cart"]: open_cart,
        FIELDS["start"]: "2025-03-31",
        FIELDS["term"]: "24",
        FIELDS["group"]: "sdsl",
        FIELDS["target"]: "vdsl",
        FIELDS["move"]: None,
        FIELDS["admin"]: "ja",
    }
    return {
        "ticket": {
            "id": 10,
            "subject": "Produktwechsel SDSL auf VDSL",
            "description": "Bitte Produktwechsel prüfen.",
            "status": "open",
            "tags": list(tags),
            "ticket_form_id": 4400,
            "custom_fields": [{"id": k, "value": v} for k, v in values.items()],
            "requester_id": 5,
            "organization_id": None,
            "external_id": None,
        }
    }


def make_settings(data_dir: Path) -> Settings:
    return load_settings(
        env={},
        overrides={
            "general": {"data_dir": str(data_dir)},
            "zendesk": {
                "subdomain": "acme",
                "email": "bot@example.com",
                "token": "tok",
                "webhook_secret": SECRET,
            },
            "product_change": {
                "tag": "produktwechsel",
                "status_field_id": FIELDS["status"],
                "open_order_field_id": FIELDS["open_order"],
                "open_cart_field_id": FIELDS["open_cart"],
                "contract_start_field_id": FIELDS["start"],
                "term_months_field_id": FIELDS["term"],
                "current_group_field_id": FIELDS["group"],
                "target_group_field_id": FIELDS["target"],
                "leased_line_move_field_id": FIELDS["move"],
                "customer_admin_field_id": FIELDS["admin"],
            },
        },
    )


@dataclass
class Scenario:
    client: TestClient
    store: Store
    api: responses.RequestsMock

    def post(self, body: dict[str, Any]) -> int:
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
                "x-zendesk-webhook-id": "01PW",
            },
        )
        return response.status_code

    def puts(self) -> list[dict[str, Any]]:
        return [
            json.loads(call.request.body or b"{}")["ticket"]
            for call in self.api.calls
            if call.request.method == "PUT"
        ]


@pytest.fixture
def scenario(tmp_path: Path) -> Iterator[Scenario]:
    settings = make_settings(tmp_path)
    store = Store(make_engine(f"sqlite:///{tmp_path / 'pd.db'}"), blob_root=tmp_path / "documents")
    upgrade(store.engine)
    huey = MemoryHuey(f"pw-{uuid.uuid4().hex[:8]}", immediate=True)
    app = create_app(settings, clock=lambda: NOW, huey=huey, store=store)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as api:
        api.add(responses.GET, TICKET_URL, json=ticket_json())
        api.add(
            responses.PUT,
            TICKET_URL,
            json={"ticket": ticket_json()["ticket"], "audit": {"id": 1, "events": []}},
        )
        with TestClient(app) as client:
            yield Scenario(client, store, api)
    store.engine.dispose()


def custom_field_changed(field_id: int) -> dict[str, Any]:
    return {
        "type": "zen:event-type:ticket.custom_field_changed",
        "id": uuid.uuid4().hex,
        "time": "2026-01-10T09:00:00Z",
        "account_id": 1,
        "subject": "zen:ticket:10",
        "zendesk_event_version": "2022-11-06",
        "detail": {"id": "10"},
        "event": {"custom_field": {"id": str(field_id)}},
    }


def test_product_change_through_signed_webhooks(scenario: Scenario) -> None:
    """Created → note with approval + fee; repeat → nothing; cart opened → blocked, tags swapped."""
    assert scenario.post({"ticket_id": "10", "event": "ticket.created"}) == 202
    (first,) = scenario.puts()
    assert first["additional_tags"] == ["partnerdesk_pw_approval"]
    assert first["comment"]["public"] is False
    note = first["comment"]["body"]
    assert "nur mit Anfrage zur Freigabe" in note
    assert "Produktwechselpauschale laut Preisliste" in note
    assert "[x] 7. Konditionen für das Zielprodukt" in note

    # The update we caused comes back as ticket.updated: same state, nothing written.
    assert scenario.post({"ticket_id": "10", "event": "ticket.updated"}) == 202
    assert len(scenario.puts()) == 1

    # An agent ticks "open cart": the field event re-evaluates and swaps the tags.
    scenario.api.replace(
        responses.GET,
        TICKET_URL,
        json=ticket_json(open_cart=True, tags=("produktwechsel", "partnerdesk_pw_approval")),
    )
    assert scenario.post(custom_field_changed(FIELDS["open_cart"])) == 202
    second = scenario.puts()[-1]
    assert second["additional_tags"] == ["partnerdesk_pw_blocked"]
    assert second["remove_tags"] == ["partnerdesk_pw_approval"]
    assert "nicht abgeschlossener Warenkorb" in second["comment"]["body"]

    case = scenario.store.get_case(10, "product_change")
    assert case is not None and case.state == "blocked"
    states = {d.state for d in scenario.store.list_deliveries(ticket_id=10)}
    assert states == {"done"}


def test_unrelated_field_change_is_not_fetched(scenario: Scenario) -> None:
    """A field the verdict does not read triggers no Zendesk write."""
    assert scenario.post(custom_field_changed(999)) == 202
    assert scenario.puts() == []


def test_bad_signature_writes_nothing(scenario: Scenario) -> None:
    """A forged delivery is refused before anything reaches Zendesk."""
    response = scenario.client.post(
        WEBHOOK_PATH,
        content=b'{"ticket_id": "10"}',
        headers={
            "x-zendesk-webhook-signature": "AAAA",
            "x-zendesk-webhook-signature-timestamp": NOW.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
    )
    assert response.status_code == 401
    assert scenario.puts() == []
