"""Request guards (issue 12, findings 5, 8 and 9): caps before reading, deadlines, 4xx only."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest

from config.errors import PayloadError
from config.settings import Settings
from integration.store import Store
from integration.web.limits import RequestLimits
from integration.web.payload import json_too_deep, parse_body
from tests.integration.conftest import make_settings, signed_headers
from tests.integration.web.test_app import NOW, TS, App

DEEP = b'{"ticket_id": "1", "x": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"


@pytest.fixture
def app(store: Store, tmp_path: Path) -> Iterator[App]:
    a = App(store, tmp_path)
    yield a
    a.client.close()


class TestWebhookInput:
    def test_nested_30000_deep_is_400_not_500(self, store: Store, tmp_path: Path) -> None:
        a = App(store, tmp_path, limits={"max_webhook_body_bytes": 200_000})
        try:
            assert a.post(DEEP).status_code == 400
        finally:
            a.client.close()
        assert json_too_deep(DEEP, 32) and not json_too_deep(b'{"a": "[[[[[[[["}', 2)
        with pytest.raises(PayloadError, match="nested too deeply"):
            parse_body(DEEP)

    @pytest.mark.parametrize("ticket_id", ["²", "１２", "1" * 40, "٣"])
    def test_odd_ticket_ids_are_400(self, app: App, ticket_id: str) -> None:
        r = app.post(json.dumps({"ticket_id": ticket_id}).encode())
        assert r.status_code == 400

    def test_odd_author_id_is_ignored_not_500(self, app: App) -> None:
        body = json.dumps({"ticket_id": "42", "current_user_id": "²"}).encode()
        assert app.post(body).status_code == 202

    def test_declared_length_over_the_cap_is_refused_unread(self, app: App) -> None:
        pulled: list[int] = []

        def body() -> Iterator[bytes]:
            for i in range(1000):
                pulled.append(i)
                yield b"x" * 65536

        headers = signed_headers(b"", when=TS, invocation="big")
        headers["content-length"] = str(1000 * 65536)
        r = app.client.post("/webhooks/zendesk", content=body(), headers=headers)
        assert r.status_code == 413
        assert len(pulled) <= 1


class TestAppTokenFirst:
    def test_unauthenticated_large_post_is_refused_before_reading(self, app: App) -> None:
        """Finding 5: a 300 MiB POST without a token was read in full; now 401 at once."""
        pulled: list[int] = []

        def body() -> Iterator[bytes]:
            for i in range(300 * 16):  # 300 MiB in 64 KiB chunks
                pulled.append(i)
                yield b"x" * 65536

        r = app.client.post(
            "/app/tickets/1/overrides",
            content=body(),
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 401
        assert len(pulled) <= 1

    def test_authenticated_body_over_the_app_cap_is_413(self, store: Store, tmp_path: Path) -> None:
        secret = "s" * 40
        a = App(store, tmp_path, app={"shared_secret": secret})
        iat = int(NOW.timestamp())
        token = jwt.encode({"ticket_id": 1, "iat": iat, "exp": iat + 600}, secret, "HS256")
        try:
            r = a.client.post(
                "/app/tickets/1/overrides",
                content=b"{" + b" " * (a.settings.limits.max_app_body_bytes + 10) + b"}",
                headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
            )
        finally:
            a.client.close()
        assert r.status_code == 413


class TestSlotInput:
    def test_superscript_choice_is_4xx(self, app: App) -> None:
        """Finding 8: choice=0301234567² gave 500 and a traceback with the digits."""
        r = app.client.post(
            "/slots/not-a-token",
            data={"choice": "0301234567²"},
        )
        assert 400 <= r.status_code < 500


class TestBodyDeadline:
    def test_a_trickled_body_gets_408(self, tmp_path: Path) -> None:
        """Finding 9: a body at 1 byte/s held the connection; the deadline ends it."""
        settings: Settings = make_settings(tmp_path, limits={"body_read_timeout_seconds": 0.3})
        reached: list[bool] = []

        async def inner(scope: Any, receive: Any, send: Any) -> None:
            reached.append(True)

        guard = RequestLimits(inner, settings=settings, caps={}, clock=lambda: NOW)
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            await asyncio.sleep(0.1)  # one byte every 100 ms, forever
            return {"type": "http.request", "body": b"x", "more_body": True}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": "/webhooks/zendesk", "headers": []}

        async def run() -> float:
            loop = asyncio.get_running_loop()
            started = loop.time()
            await guard(scope, receive, send)
            return loop.time() - started

        took = asyncio.run(run())
        assert sent[0]["status"] == 408 and not reached
        assert took < 1.0
