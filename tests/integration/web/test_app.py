"""The webhook endpoint and health checks, with a scripted router behind them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from huey import MemoryHuey

from handlers.ports import Event
from handlers.router import Router
from integration.runtime import Runtime
from integration.store import Store
from integration.web.app import WEBHOOK_PATH, create_app
from tests.integration.conftest import drain, make_settings, signed_headers
from tests.integration.fakes import FakeHelpdesk

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TS = "2026-11-22T09:59:50Z"


class App:
    def __init__(
        self,
        store: Store,
        tmp_path: Path,
        *,
        secret: str | None = None,
        **sections: dict[str, Any],
    ) -> None:
        zendesk = {} if secret is None else {"webhook_secret": secret}
        limits = {"max_webhook_body_bytes": 2048, **sections.pop("limits", {})}
        self.settings = make_settings(tmp_path, limits=limits, zendesk=zendesk, **sections)
        self.handled: list[Event] = []
        router = Router()

        @router.register("trigger", "ticket.created", "ticket.comment_added")
        def handler(event: Event, ctx: Any) -> None:
            self.handled.append(event)

        self.store = store
        self.huey = MemoryHuey("pd-app-test")
        self.runtime = Runtime(
            settings=self.settings,
            store=store,
            helpdesk_factory=FakeHelpdesk,
            clock=lambda: NOW,
            read_document=lambda data, name: pytest.fail("no documents"),
            router=router,
        )
        self.client = TestClient(create_app(self.settings, huey=self.huey, runtime=self.runtime))

    def post(
        self,
        body: bytes,
        *,
        headers: dict[str, str] | None = None,
        invocation: str | None = "inv-1",
    ) -> Any:
        return self.client.post(
            WEBHOOK_PATH,
            content=body,
            headers=headers or signed_headers(body, when=TS, invocation=invocation),
        )


@pytest.fixture
def app(store: Store, tmp_path: Path) -> Iterator[App]:
    a = App(store, tmp_path)
    yield a
    a.client.close()


BODY = b'{"ticket_id": "42"}'


class TestAccepted:
    def test_stored_enqueued_202_then_processed(self, app: App) -> None:
        r = app.post(BODY)
        assert r.status_code == 202 and r.json()["status"] == "queued"
        (rec,) = app.store.list_deliveries()
        assert (rec.id, rec.state, rec.ticket_id, rec.event_kind) == (
            r.json()["delivery_id"],
            "queued",
            42,
            "trigger",
        )
        assert rec.invocation_id == "inv-1"
        assert app.handled == []  # acknowledged before any work
        assert drain(app.huey) == 1
        assert [e.ticket_id for e in app.handled] == [42]
        assert app.store.list_deliveries()[0].state == "done"

    def test_duplicate_invocation_is_not_processed_again(self, app: App) -> None:
        assert app.post(BODY).status_code == 202
        r = app.post(BODY)
        assert r.status_code == 200 and r.json()["status"] == "duplicate"
        assert drain(app.huey) == 1 and len(app.handled) == 1
        assert len(app.store.list_deliveries()) == 1

    def test_replay_under_a_new_invocation_id_is_not_run(self, app: App) -> None:
        """Issue 12, finding 9: a signed delivery replayed with a new invocation id within
        the window was queued again; the signed content now identifies it."""
        assert app.post(BODY, invocation="inv-1").status_code == 202
        r = app.post(BODY, invocation="inv-attacker-2")
        assert r.status_code == 200 and r.json()["status"] == "duplicate"
        assert drain(app.huey) == 1 and len(app.handled) == 1
        assert len(app.store.list_deliveries()) == 1
        # another body (or another signed timestamp) is a new delivery
        other = b'{"ticket_id": "43"}'
        assert app.post(other, invocation="inv-3").status_code == 202

    def test_envelope_id_deduplicates_without_invocation_header(self, app: App) -> None:
        body = json.dumps(
            {
                "type": "zen:event-type:ticket.created",
                "id": "ev-1",
                "subject": "zen:ticket:7",
                "detail": {},
                "event": {},
            }
        ).encode()
        assert app.post(body, invocation=None).status_code == 202
        assert app.post(body, invocation=None).json()["status"] == "duplicate"

    def test_unknown_event_type_is_stored_as_ignored(self, app: App) -> None:
        body = json.dumps(
            {
                "type": "zen:event-type:ticket.priority_changed",
                "subject": "zen:ticket:7",
                "detail": {},
                "event": {},
            }
        ).encode()
        r = app.post(body)
        assert r.status_code == 202 and r.json()["status"] == "ignored"
        (rec,) = app.store.list_deliveries()
        assert rec.state == "ignored" and rec.event_kind == "ticket.priority_changed"
        assert drain(app.huey) == 0

    def test_internal_event_kind_from_outside_is_ignored(self, app: App) -> None:
        """A webhook cannot fake a follow-up such as relocation.approved."""
        app.runtime.router.processes[0].router.register("relocation.approved")(
            lambda e, c: app.handled.append(e)
        )
        r = app.post(b'{"ticket_id": 5, "event": "relocation.approved"}')
        assert r.status_code == 202 and r.json()["status"] == "ignored"
        assert drain(app.huey) == 0 and app.handled == []


class TestRefused:
    def test_wrong_signature_401_and_nothing_stored(self, app: App) -> None:
        headers = signed_headers(BODY, when=TS, secret="wrong", invocation="x")
        assert app.post(BODY, headers=headers).status_code == 401
        assert app.store.list_deliveries() == []

    def test_missing_signature_401(self, app: App) -> None:
        assert app.post(BODY, headers={"content-type": "application/json"}).status_code == 401

    def test_stale_signature_401(self, app: App) -> None:
        headers = signed_headers(BODY, when="2026-11-22T09:50:00Z", invocation="x")
        assert app.post(BODY, headers=headers).status_code == 401

    def test_no_secret_configured_fails_closed(self, store: Store, tmp_path: Path) -> None:
        a = App(store, tmp_path, secret="")
        assert a.post(BODY).status_code == 401

    def test_malformed_body_400(self, app: App) -> None:
        assert app.post(b'{"ticket": 1}').status_code == 400
        assert app.post(b"nope").status_code == 400
        assert app.store.list_deliveries() == []

    def test_oversize_declared_413(self, app: App) -> None:
        body = json.dumps({"ticket_id": 1, "pad": "x" * 3000}).encode()
        assert app.post(body).status_code == 413

    def test_oversize_streamed_without_content_length_413(self, app: App) -> None:
        body = json.dumps({"ticket_id": 1, "pad": "x" * 3000}).encode()
        headers = signed_headers(body, when=TS, invocation="big")

        def chunks() -> Iterator[bytes]:
            for i in range(0, len(body), 500):
                yield body[i : i + 500]

        r = app.client.post(WEBHOOK_PATH, content=chunks(), headers=headers)
        assert r.status_code == 413

    def test_body_never_logged(self, app: App, capsys: pytest.CaptureFixture[str]) -> None:
        body = b'{"ticket_id": "42", "secret_note": "030 98765432 Erika"}'
        app.post(body, headers=signed_headers(body, when=TS, secret="wrong", invocation="z"))
        app.post(b'{"x": "030 98765432 Erika"}')
        out = capsys.readouterr()
        assert "98765432" not in out.out + out.err and "Erika" not in out.out + out.err


class TestHealth:
    def test_healthz(self, app: App) -> None:
        assert app.client.get("/healthz").json() == {"status": "ok"}

    def test_readyz_checks_database_and_queue(self, app: App) -> None:
        r = app.client.get("/readyz")
        assert r.status_code == 200 and r.json()["database"] == "ok" and r.json()["queue"] == "ok"

    def test_readyz_503_when_database_unreachable(self, tmp_path: Path) -> None:
        from integration.store.engine import make_engine

        dead = Store(
            make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none"), blob_root=tmp_path
        )
        a = App(dead, tmp_path)
        r = a.client.get("/readyz")
        assert r.status_code == 503 and r.json()["database"] != "ok" and r.json()["queue"] == "ok"


def test_other_areas_routes_are_mounted(app: App) -> None:
    """The partner slot pages and the sidebar app backend answer from the same app."""
    assert app.client.get("/slots-assets/slots.css").status_code == 200
    assert app.client.get("/slots/not-a-token").status_code != 404
    assert app.client.get("/app/tickets/1").status_code in (401, 403, 503)  # refused, not missing
