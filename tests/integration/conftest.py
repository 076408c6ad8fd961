"""Store and queue backends for the integration tests: SQLite always, PostgreSQL and Redis
when ``PARTNERDESK_TEST_DATABASE_URL`` / ``PARTNERDESK_TEST_REDIS_URL`` are set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from huey import Huey, MemoryHuey, RedisHuey
from sqlalchemy import text

from config.settings import Settings, load_settings
from integration.store import Store
from integration.store.engine import make_engine
from integration.store.migrate import upgrade

PG_URL = os.environ.get("PARTNERDESK_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("PARTNERDESK_TEST_REDIS_URL", "")
SECRET = "s3cret-for-tests"


def make_settings(data_dir: Path, **sections: dict[str, Any]) -> Settings:
    overrides: dict[str, Any] = {
        "general": {"data_dir": str(data_dir)},
        "zendesk": {
            "subdomain": "acme",
            "email": "bot@example.com",
            "token": "tok",
            "webhook_secret": SECRET,
        },
    }
    for name, values in sections.items():
        overrides[name] = {**overrides.get(name, {}), **values}
    return load_settings(env={}, overrides=overrides)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


def _sqlite_store(root: Path) -> Iterator[Store]:
    store = Store(make_engine(f"sqlite:///{root / 'pd.db'}"), blob_root=root / "documents")
    upgrade(store.engine)
    yield store
    store.engine.dispose()


def _pg_store(root: Path) -> Iterator[Store]:
    if not PG_URL:
        pytest.skip("PARTNERDESK_TEST_DATABASE_URL is not set")
    schema = f"integ_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = Store(
        make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"}),
        blob_root=root / "documents",
    )
    try:
        upgrade(store.engine)
        yield store
    finally:
        store.engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    maker = _sqlite_store if request.param == "sqlite" else _pg_store
    yield from maker(tmp_path)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def huey(request: pytest.FixtureRequest) -> Iterator[Huey]:
    """A non-immediate huey; tests run tasks by draining it with ``drain``."""
    name = f"pd-test-{uuid.uuid4().hex[:10]}"
    if request.param == "memory":
        instance: Huey = MemoryHuey(name)
    else:
        if not REDIS_URL:
            pytest.skip("PARTNERDESK_TEST_REDIS_URL is not set")
        instance = RedisHuey(name, url=REDIS_URL, blocking=False)  # drain must not wait
    yield instance
    instance.flush()


def drain(huey: Huey, *, limit: int = 50) -> int:
    """Run queued tasks (not scheduled ones) in this thread until the queue is empty."""
    ran = 0
    while ran < limit:
        task = huey.dequeue()
        if task is None:
            return ran
        huey.execute(task)
        ran += 1
    raise AssertionError("the queue did not drain")


def signed_headers(
    body: bytes, *, when: str, secret: str = SECRET, invocation: str | None = None
) -> dict[str, str]:
    """The headers Zendesk sends with a signed delivery."""
    from integration.web.signature import sign

    headers = {
        "content-type": "application/json",
        "x-zendesk-webhook-id": "01HWEBHOOK",
        "x-zendesk-webhook-signature-timestamp": when,
        "x-zendesk-webhook-signature": sign(secret, when, body),
        "x-zendesk-account-id": "123",
    }
    if invocation:
        headers["x-zendesk-webhook-invocation-id"] = invocation
    return headers
