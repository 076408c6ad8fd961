"""Fault injection: whatever Zendesk or the worker does, each write happens exactly once
and no delivery is lost (issue 12, findings 1-4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handlers.ports import NewTicket
from handlers.writes import create_ticket_once
from integration.tasks.deliveries import process_delivery, reclaim_expired
from tests.faults.conftest import Service
from tests.faults.harness import NOTE_REF, REPLY_REF, TICKET, store_delivery

ROOT = Path(__file__).resolve().parents[2]


def assert_exactly_once(service: Service, delivery_id: int) -> None:
    """One verdict note, one public reply, and the delivery done."""
    assert len(service.standin.comments_with(NOTE_REF)) == 1
    assert len(service.standin.comments_with(REPLY_REF)) == 1
    record = service.runtime.store.get_delivery(delivery_id)
    assert record is not None and record.state == "done"


def run(service: Service, delivery_id: int) -> str:
    return process_delivery(service.queue, delivery_id).state


class TestZendeskAnswers:
    def test_plain_run_reads_the_secure_download_the_zendesk_way(self, service: Service) -> None:
        did = store_delivery(service.runtime)
        assert run(service, did) == "done"
        assert_exactly_once(service, did)
        seen = [(route, auth) for _m, route, auth in service.standin.requests]
        # finding 2: credentials to the content URL, none to the storage host
        assert ("FILE", True) in seen and ("STORAGE", False) in seen
        assert ("STORAGE", True) not in seen

    @pytest.mark.parametrize(
        "fault",
        [("status", 429, {"Retry-After": "1"}), ("status", 503, {})],
        ids=["429-retry-after", "503"],
    )
    def test_refused_write_is_retried_and_written_once(
        self, service: Service, fault: tuple[object, ...]
    ) -> None:
        service.standin.fault("PUT", fault)
        did = store_delivery(service.runtime)
        outcome = process_delivery(service.queue, did)
        assert outcome.state == "queued"
        if fault[1] == 429:
            assert outcome.delay == 1.0  # Retry-After honoured, not slept on
        assert run(service, did) == "done"
        assert_exactly_once(service, did)

    @pytest.mark.parametrize("which", ["note", "reply"])
    def test_write_applied_but_answered_past_the_timeout(
        self, service: Service, which: str
    ) -> None:
        """Finding 3: Zendesk applied the write and answered after the client gave up."""
        faults: list[tuple[object, ...]] = [("hang_after_apply", 1.0)]
        if which == "reply":
            faults.insert(0, ("none",))
        service.standin.fault("PUT", *faults)
        did = store_delivery(service.runtime)
        assert run(service, did) == "done"  # the audit shows the write landed
        assert_exactly_once(service, did)

    def test_conflicting_change_is_retried_not_lost(self, service: Service) -> None:
        service.standin.fault("PUT", ("status", 409, {}))
        did = store_delivery(service.runtime)
        assert run(service, did) == "done"
        assert_exactly_once(service, did)

    def test_new_ticket_created_but_answered_late_is_not_created_again(
        self, service: Service
    ) -> None:
        """Finding 3: partner A got two tickets with the same external_id."""
        service.standin.fault("POST", ("hang_after_apply", 1.0))
        ctx = service.runtime.context()
        new = NewTicket("Rufnummernumzug", "Vorschlag", "a@example.com", external_id="pd-cut-1")
        first, state = create_ticket_once(ctx, new, kind="scheduling_ticket_a")
        assert state == "found"
        again, state = create_ticket_once(ctx, new, kind="scheduling_ticket_a")
        assert (again, state) == (first, "already")
        assert [t.id for t in service.standin.created()] == [first]

    def test_create_retry_after_lost_answer_sends_the_idempotency_key(
        self, service: Service
    ) -> None:
        service.standin.fault("POST", ("status", 503, {}))
        ctx = service.runtime.context()
        new = NewTicket("Rufnummernumzug", "Vorschlag", "a@example.com", external_id="pd-cut-2")
        with pytest.raises(Exception, match="503"):
            create_ticket_once(ctx, new, kind="scheduling_ticket_a")
        ticket_id, state = create_ticket_once(ctx, new, kind="scheduling_ticket_a")
        assert state == "sent" and [t.id for t in service.standin.created()] == [ticket_id]


class TestDownloads:
    def test_redirect_to_another_host_is_not_followed(self, service: Service) -> None:
        """Finding 1: a redirect to another host was fetched, parsed and approved."""
        service.standin.fault("FILE", ("redirect", "https://evil.example/x.pdf"))
        did = store_delivery(service.runtime)
        assert run(service, did) == "done"
        (note,) = service.standin.comments_with(NOTE_REF)
        assert "nicht bei Zendesk gespeichert" in note["body"]
        assert "Freigegeben" not in note["body"].splitlines()[0]
        routes = [route for _m, route, _a in service.standin.requests]
        assert routes.count("FILE") == 1 and "STORAGE" not in routes

    def test_storage_outage_is_retried(self, service: Service) -> None:
        service.standin.fault("STORAGE", ("status", 503, {}))
        did = store_delivery(service.runtime)
        assert run(service, did) == "queued"
        assert run(service, did) == "done"
        assert_exactly_once(service, did)


STEPS = {
    "reading the ticket": ("GET_TICKET", [("block_before",)]),
    "downloading": ("FILE", [("block_before",)]),
    "after the note landed": ("PUT", [("block_after_apply",)]),
    "after the reply landed": ("PUT", [("none",), ("block_after_apply",)]),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_worker_killed_at_each_step(service: Service, step: str) -> None:
    """kill -9 of a worker process at each step: the delivery is taken over within one
    lease and every write still happens exactly once (finding 4)."""
    route, faults = STEPS[step]
    service.standin.fault(route, *faults)
    did = store_delivery(service.runtime)
    env = {
        **os.environ,
        "FAULT_DATA_DIR": str(service.settings.general.data_dir),
        "FAULT_DATABASE_URL": service.database_url,
        "FAULT_REDIS_URL": service.settings.general.redis_url,
        "FAULT_BASE": service.standin.base,
        "FAULT_QUEUE": service.queue_name,
        "FAULT_DELIVERY": str(did),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.harness"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert service.standin.blocked.wait(30), "the worker never reached the step"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
        service.standin.release.set()
    record = service.runtime.store.get_delivery(did)
    assert record is not None and record.state == "processing"  # the dead worker's claim
    lease = service.settings.queue.lease_seconds
    assert reclaim_expired(service.queue) == []  # a live-looking lease is left alone
    time.sleep(lease + 0.3)
    assert reclaim_expired(service.queue) == [did]  # picked up within one lease
    service.drain()
    assert_exactly_once(service, did)
    assert len(service.standin.comments_with(NOTE_REF)) == 1
    assert [t for t in service.standin.tickets if t != TICKET] == []
