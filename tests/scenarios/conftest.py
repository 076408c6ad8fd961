"""The whole service on loopback-free terms: real app, real store, real parser, real zenpy;
only Zendesk's HTTP API is faked with ``responses``."""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import responses
from fastapi.testclient import TestClient
from huey import Huey, MemoryHuey, RedisHuey

from handlers.relocation.router import process as relocation_process
from handlers.router import ProcessRouter
from integration.runtime import build_runtime
from integration.store import Store
from integration.web.app import WEBHOOK_PATH, create_app
from tests.integration.conftest import (
    PG_URL,
    REDIS_URL,
    _pg_store,
    _sqlite_store,
    drain,
    make_settings,
    signed_headers,
)

API = "https://acme.zendesk.com/api/v2"
JSON_DIR = Path(__file__).parent / "zendesk"
START = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TICKET = 4711
STATUS_FIELD = 360001


def load(name: str) -> Any:
    return json.loads((JSON_DIR / name).read_text())


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Service:
    """The app plus a fake Zendesk; tests script the API and post signed webhooks."""

    def __init__(self, tmp_path: Path, store: Store, huey: Huey, **relocation: Any) -> None:
        self.clock = Clock()
        self.settings = make_settings(
            tmp_path, relocation={"status_field_id": STATUS_FIELD, **relocation}
        )
        # Only the relocation process: the scheduler's reaction to relocation.approved is
        # its own area's scenario.
        self.runtime = build_runtime(
            self.settings,
            store=store,
            clock=self.clock,
            router=ProcessRouter(relocation_process),
        )
        self.store = store
        self.huey = huey
        self.client = TestClient(create_app(self.settings, huey=huey, runtime=self.runtime))
        self.api = responses.RequestsMock(assert_all_requests_are_fired=False)
        self.api.start()
        self.ticket = load("ticket.json")
        self.comments = load("comments.json")
        self._attachment_shape = copy.deepcopy(self.comments["comments"][0]["attachments"][0])
        self.files: dict[str, bytes] = {}
        self.api.add_callback(responses.GET, f"{API}/tickets/{TICKET}.json", self._ticket)
        self.api.add_callback(
            responses.GET, f"{API}/tickets/{TICKET}/comments.json", self._comments
        )
        self.sent: list[dict[str, Any]] = []
        self.update_errors: list[tuple[int, dict[str, str]]] = []
        self.api.add_callback(responses.PUT, f"{API}/tickets/{TICKET}.json", self._update)
        self.api.add_callback(responses.GET, f"{API}/tickets/{TICKET}/audits.json", self._audits)

    def close(self) -> None:
        self.api.stop()
        self.api.reset()
        self.client.close()

    # -- the fake Zendesk ---------------------------------------------------------------

    def _ticket(self, _request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps(self.ticket)

    def _comments(self, _request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps(self.comments)

    def _audits(self, _request: Any) -> tuple[int, dict[str, str], str]:
        # every applied update leaves an audit whose custom metadata carries its reference
        audits = [
            {"id": i, "metadata": {"custom": body.get("metadata") or {}}, "events": []}
            for i, body in enumerate(self.sent, start=1)
        ]
        return 200, {}, json.dumps({"audits": audits, "meta": {"has_more": False}})

    def _update(self, request: Any) -> tuple[int, dict[str, str], str]:
        if self.update_errors:
            status, headers = self.update_errors.pop(0)
            return (
                status,
                headers,
                json.dumps(
                    {"error": "APIRateLimitExceeded"}
                    if status == 429
                    else {"error": "ServiceUnavailable"}
                ),
            )
        body = json.loads(request.body)["ticket"]
        self.sent.append(body)
        comment = body.get("comment")
        if comment:  # Zendesk appends the comment: later reads see it
            self.comments["comments"].append(
                {
                    "id": 90_000 + len(self.sent),
                    "type": "Comment",
                    "author_id": 1,
                    "body": comment["body"],
                    "public": comment["public"],
                    "attachments": [],
                    "created_at": "2026-11-22T10:00:00Z",
                }
            )
        return 200, {}, json.dumps(load("update_response.json"))

    def attach(
        self,
        att_id: int,
        name: str,
        data: bytes | None,
        *,
        content_type: str = "application/pdf",
        status: int = 200,
        exc: Exception | None = None,
    ) -> None:
        url = f"https://acme.zendesk.com/attachments/token/T{att_id}/?name={name}"
        entry = copy.deepcopy(self._attachment_shape)
        entry.update(
            {
                "id": att_id,
                "file_name": name,
                "content_url": url,
                "mapped_content_url": url,
                "content_type": content_type,
                "size": len(data or b""),
            }
        )
        self.comments["comments"].append(
            {
                "id": 7000 + att_id,
                "type": "Comment",
                "author_id": 9001,
                "body": "Anbei die Bestätigung.",
                "public": True,
                "attachments": [entry],
                "created_at": "2026-11-22T09:30:00Z",
            }
        )
        if exc is not None:
            self.api.add(responses.GET, url, body=exc)
        else:
            self.api.add(
                responses.GET, url, body=data or b"", status=status, content_type=content_type
            )

    # -- webhooks -----------------------------------------------------------------------

    def post(self, body: dict[str, Any], *, invocation: str) -> Any:
        raw = json.dumps(body).encode()
        when = (self.clock() - timedelta(seconds=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.client.post(
            WEBHOOK_PATH, content=raw, headers=signed_headers(raw, when=when, invocation=invocation)
        )

    def run_queue(self) -> int:
        return drain(self.huey)

    def run_scheduled(self) -> int:
        """Run the delayed retries now, as the consumer would once their eta passed."""
        later = datetime.now(UTC).replace(tzinfo=None) + timedelta(days=1)  # huey: naive UTC
        due = self.huey.read_schedule(later)
        for task in due:
            self.huey.execute(task, later)
        return len(due)

    def notes(self) -> list[dict[str, Any]]:
        return [b for b in self.sent if b.get("comment") and not b["comment"]["public"]]


@pytest.fixture(
    params=[
        "embedded",  # SQLite + huey's in-memory storage (the default product shape)
        pytest.param("scale-out", marks=[pytest.mark.postgres, pytest.mark.redis]),
    ]
)
def service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Service]:
    name = f"pd-scn-{uuid.uuid4().hex[:10]}"
    if request.param == "embedded":
        stores = _sqlite_store(tmp_path)
        huey: Huey = MemoryHuey(name)
    else:
        if not (PG_URL and REDIS_URL):
            pytest.skip("PARTNERDESK_TEST_DATABASE_URL / PARTNERDESK_TEST_REDIS_URL are not set")
        stores = _pg_store(tmp_path)
        huey = RedisHuey(name, url=REDIS_URL, blocking=False)
    store = next(stores)
    s = Service(tmp_path, store, huey)
    # the fixture's first comment carries sample attachments; scenarios add their own
    s.comments["comments"][0]["attachments"] = []
    try:
        yield s
    finally:
        s.close()
        huey.flush()
        next(stores, None)
