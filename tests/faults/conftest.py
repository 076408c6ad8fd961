"""Fault-injection fixtures: the stand-in, and the service on SQLite + huey-SQLite or on
PostgreSQL + Redis (both in CI: set PARTNERDESK_TEST_DATABASE_URL and
PARTNERDESK_TEST_REDIS_URL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from huey import Huey
from sqlalchemy import text

from config.settings import Settings
from integration.queue import Queue
from integration.runtime import Runtime
from integration.store import make_engine
from tests.faults.harness import (
    PDF,
    REQUESTED,
    TICKET,
    build,
    build_huey,
    fault_settings,
)
from tests.faults.standin import StandIn

PG_URL = os.environ.get("PARTNERDESK_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("PARTNERDESK_TEST_REDIS_URL", "")


@dataclass
class Service:
    standin: StandIn
    settings: Settings
    runtime: Runtime
    huey: Huey
    queue: Queue
    queue_name: str
    database_url: str

    def drain(self, limit: int = 50) -> int:
        """Run queued tasks in this process (an in-process worker)."""
        ran = 0
        while ran < limit:
            task = self.huey.dequeue()
            if task is None:
                return ran
            self.huey.execute(task)
            ran += 1
        raise AssertionError("the queue did not drain")


@pytest.fixture
def standin() -> Iterator[StandIn]:
    s = StandIn().start()
    s.add_ticket(TICKET, REQUESTED, ["umzugsauftrag"])
    s.attach(TICKET, 8001, "Freigabe.pdf", PDF)
    yield s
    s.stop()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=[pytest.mark.postgres, pytest.mark.redis]),
    ]
)
def service(request: pytest.FixtureRequest, tmp_path: Path, standin: StandIn) -> Iterator[Service]:
    database_url = redis_url = ""
    schema = ""
    if request.param == "postgres":
        if not (PG_URL and REDIS_URL):
            pytest.skip("PARTNERDESK_TEST_DATABASE_URL / PARTNERDESK_TEST_REDIS_URL not set")
        schema = f"faults_{uuid.uuid4().hex[:10]}"
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        sep = "&" if "?" in PG_URL else "?"
        database_url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
        redis_url = REDIS_URL
    settings = fault_settings(tmp_path, database_url=database_url, redis_url=redis_url)
    runtime = build(settings, standin.base)
    name = f"pd-faults-{uuid.uuid4().hex[:10]}"
    huey = build_huey(settings, name)
    queue = Queue(huey, runtime)
    yield Service(standin, settings, runtime, huey, queue, name, database_url)
    huey.flush()
    runtime.store.engine.dispose()
    if schema:
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
