"""More than one signing secret: each Zendesk webhook signs with its own."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from huey import MemoryHuey

from config.errors import SignatureError
from config.settings import load_settings
from handlers.ports import Event
from handlers.router import Router
from integration.runtime import Runtime
from integration.store import Store
from integration.web.app import WEBHOOK_PATH, create_app
from integration.web.signature import configured_secrets, sign, verify_signature
from tests.integration.conftest import make_settings, signed_headers
from tests.integration.fakes import FakeHelpdesk

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TS = "2026-11-22T09:59:50Z"
BODY = b'{"ticket_id": "42"}'
TRIGGER = "trigger-webhook-secret-0123456789abcdef"
EVENTS = "event-webhook-secret-0123456789abcdef"


def test_configured_secrets_reads_both_settings_in_order_without_blanks() -> None:
    s = load_settings(
        env={
            "PARTNERDESK_WEBHOOK_SECRET": TRIGGER,
            "PARTNERDESK_WEBHOOK_SECRETS": f" {EVENTS} ,, {TRIGGER}",
        }
    )
    assert configured_secrets(s.zendesk) == [TRIGGER, EVENTS]
    assert configured_secrets(load_settings(env={}).zendesk) == []


def test_any_listed_secret_verifies_and_others_do_not() -> None:
    for secret in (TRIGGER, EVENTS):
        verify_signature(
            BODY,
            signature=sign(secret, TS, BODY),
            timestamp=TS,
            secret=[TRIGGER, EVENTS],
            now=NOW,
            max_age_seconds=300,
        )
    with pytest.raises(SignatureError):
        verify_signature(
            BODY,
            signature=sign("another-secret", TS, BODY),
            timestamp=TS,
            secret=[TRIGGER, EVENTS],
            now=NOW,
            max_age_seconds=300,
        )
    with pytest.raises(SignatureError, match="No webhook secret"):
        verify_signature(
            BODY, signature="x", timestamp=TS, secret=["", ""], now=NOW, max_age_seconds=300
        )


def test_webhook_endpoint_accepts_each_configured_webhook(store: Store, tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, zendesk={"webhook_secret": TRIGGER, "webhook_secrets": EVENTS}
    )
    router = Router()
    seen: list[Event] = []

    @router.register("trigger")
    def handler(event: Event, ctx: Any) -> None:
        seen.append(event)

    runtime = Runtime(
        settings=settings,
        store=store,
        helpdesk_factory=FakeHelpdesk,
        clock=lambda: NOW,
        read_document=lambda data, name: pytest.fail("no documents"),
        router=router,  # type: ignore[arg-type]  # Runtime wraps a bare Router
    )
    with TestClient(create_app(settings, huey=MemoryHuey("pd-secrets"), runtime=runtime)) as c:
        for n, secret in enumerate((TRIGGER, EVENTS)):
            headers = signed_headers(BODY, when=TS, secret=secret, invocation=f"inv-{n}")
            assert c.post(WEBHOOK_PATH, content=BODY, headers=headers).status_code == 202
        bad = signed_headers(BODY, when=TS, secret="not-configured", invocation="inv-x")
        assert c.post(WEBHOOK_PATH, content=BODY, headers=bad).status_code == 401
