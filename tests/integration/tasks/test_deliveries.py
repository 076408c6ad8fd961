from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from huey import Huey

from config.errors import AttachmentError, PermanentHelpdeskError, TransientHelpdeskError
from handlers.ports import Event, TicketUpdate
from handlers.router import Router
from integration.queue import Queue
from integration.runtime import Runtime
from integration.store import Store
from integration.tasks.deliveries import (
    backoff_seconds,
    process_delivery,
    reclaim_expired,
    sweep,
)
from integration.web.payload import event_to_dict
from tests.integration.conftest import drain, make_settings
from tests.integration.fakes import FakeHelpdesk

START = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Harness:
    """A queue with a test router whose behaviour each test scripts."""

    def __init__(self, store: Store, huey: Huey, tmp_path: Path) -> None:
        self.clock = Clock()
        self.helpdesk = FakeHelpdesk()
        self.calls: list[Event] = []
        self.errors: list[Exception] = []
        self.follow_up: Event | None = None
        router = Router()

        @router.register("trigger", "followed")
        def handler(event: Event, ctx: Any) -> None:
            self.calls.append(event)
            if self.during is not None:
                self.during()
            if self.errors:
                raise self.errors.pop(0)
            if event.kind == "trigger":
                ctx.helpdesk.update_ticket(TicketUpdate(ticket_id=event.ticket_id, comment="note"))
                if self.follow_up:
                    ctx.emit(self.follow_up)

        settings = make_settings(
            tmp_path,
            queue={"max_attempts": 3, "backoff_base_seconds": 10, "heartbeat_seconds": 0.05},
        )
        self.during: Any = None  # called inside the handler (e.g. to watch the lease)
        self.runtime = Runtime(
            settings=settings,
            store=store,
            helpdesk_factory=lambda: self.helpdesk,
            clock=self.clock,
            read_document=lambda data, name: pytest.fail("no documents here"),
            router=router,
        )
        self.queue = Queue(huey, self.runtime)
        self.huey = huey

    def store_delivery(self, invocation: str = "inv-1", kind: str = "trigger") -> int:
        did, _ = self.runtime.store.record_delivery(
            invocation_id=invocation,
            webhook_id="wh",
            event_kind=kind,
            ticket_id=42,
            body={},
            event=event_to_dict(Event(kind=kind, ticket_id=42)),
            state="received",
            now=self.clock(),
        )
        return did

    def state(self, did: int) -> str:
        rec = self.runtime.store.get_delivery(did)
        assert rec is not None
        return rec.state


@pytest.fixture
def h(store: Store, huey: Huey, tmp_path: Path) -> Harness:
    return Harness(store, huey, tmp_path)


class TestBackoff:
    def test_doubles_then_caps(self) -> None:
        got = [backoff_seconds(a, base=10, cap=60, retry_after=None) for a in (1, 2, 3, 4, 5)]
        assert got == [10, 20, 40, 60, 60]

    def test_retry_after_wins(self) -> None:
        assert backoff_seconds(1, base=10, cap=60, retry_after=120) == 120


class TestProcessDelivery:
    def test_runs_once_then_skips(self, h: Harness) -> None:
        did = h.store_delivery()
        assert process_delivery(h.queue, did).state == "done"
        assert process_delivery(h.queue, did).state == "skipped"
        assert h.state(did) == "done" and len(h.helpdesk.updates) == 1
        assert h.calls[0].delivery_id == str(did)

    def test_second_delivery_of_a_busy_ticket_waits(self, h: Harness) -> None:
        first = h.store_delivery("a")
        second = h.store_delivery("b")
        assert h.runtime.store.claim_delivery(first, now=h.clock(), lease_seconds=600)
        out = process_delivery(h.queue, second)
        assert out.state == "busy" and h.calls == [] and h.state(second) == "received"
        (retry,) = h.huey.pending()
        assert retry.args == (second,) and retry.eta is not None

    def test_enqueued_task_runs_on_the_queue(self, h: Harness) -> None:
        did = h.store_delivery()
        h.queue.enqueue_delivery(did)
        assert drain(h.huey) == 1
        assert h.state(did) == "done"

    def test_rate_limit_reschedules_after_retry_after(self, h: Harness) -> None:
        did = h.store_delivery()
        h.errors.append(TransientHelpdeskError("429", retry_after=37))
        out = process_delivery(h.queue, did)
        rec = h.runtime.store.get_delivery(did)
        assert out.state == "queued" and out.delay == 37
        assert rec is not None and rec.last_error == "rate_limited"
        assert rec.next_attempt_at == START + timedelta(seconds=37)
        (retry,) = h.huey.pending()  # huey holds it until its eta
        assert retry.eta is not None and retry.args == (did,) and h.helpdesk.updates == []
        # the scheduled retry succeeds
        assert process_delivery(h.queue, did).state == "done"
        assert len(h.helpdesk.updates) == 1

    def test_service_unavailable_backs_off(self, h: Harness) -> None:
        did = h.store_delivery()
        h.errors.append(TransientHelpdeskError("503"))
        out = process_delivery(h.queue, did)
        assert (out.state, out.error, out.delay) == ("queued", "zendesk_unavailable", 10)

    def test_transient_attachment_error_retries(self, h: Harness) -> None:
        did = h.store_delivery()
        h.errors.append(AttachmentError("timeout", "slow", transient=True))
        assert process_delivery(h.queue, did).error == "attachment_timeout"

    def test_exhausted_retries_fail_with_a_note(self, h: Harness) -> None:
        did = h.store_delivery()
        h.errors.extend(TransientHelpdeskError("503") for _ in range(3))
        outs = [process_delivery(h.queue, did).state for _ in range(3)]
        assert outs == ["queued", "queued", "failed"]
        rec = h.runtime.store.get_delivery(did)
        assert (
            rec is not None
            and rec.state == "failed"
            and rec.last_error == "exhausted:zendesk_unavailable"
        )
        (note,) = h.helpdesk.updates
        assert note.public is False and "exhausted:zendesk_unavailable" in (note.comment or "")
        assert "Bitte übernehmen Sie" in (note.comment or "")
        assert note.add_tags == ("partnerdesk_review",)

    def test_permanent_error_fails_at_once_with_one_note(self, h: Harness) -> None:
        did = h.store_delivery()
        h.errors.append(PermanentHelpdeskError("403"))
        assert process_delivery(h.queue, did).state == "failed"
        assert process_delivery(h.queue, did).state == "skipped"
        assert len(h.helpdesk.updates) == 1
        assert "PermanentHelpdeskError" in (h.helpdesk.updates[0].comment or "")
        assert "Ursache: 403" in (h.helpdesk.updates[0].comment or "")

    def test_foreign_exception_text_stays_out_of_the_note(self, h: Harness) -> None:
        did = h.store_delivery()
        h.errors.append(ValueError("030 12345678 leaked"))
        process_delivery(h.queue, did)
        assert "12345678" not in (h.helpdesk.updates[0].comment or "")
        assert "Ursache:" not in (h.helpdesk.updates[0].comment or "")

    def test_unexpected_exception_is_not_silent(self, h: Harness) -> None:
        did = h.store_delivery()
        h.errors.append(ZeroDivisionError())
        assert process_delivery(h.queue, did).error == "internal:ZeroDivisionError"
        assert h.state(did) == "failed" and len(h.helpdesk.updates) == 1

    def test_emitted_event_becomes_its_own_delivery(self, h: Harness) -> None:
        h.follow_up = Event(kind="followed", ticket_id=42)
        did = h.store_delivery()
        out = process_delivery(h.queue, did)
        assert len(out.emitted) == 1
        assert drain(h.huey) == 1
        assert [c.kind for c in h.calls] == ["trigger", "followed"]
        assert h.state(out.emitted[0]) == "done"


class TestSweeper:
    def test_lost_task_is_finished_by_the_sweeper(self, h: Harness) -> None:
        did = h.store_delivery()  # stored, but the enqueue never happened
        assert sweep(h.queue) == []
        h.clock.advance(h.runtime.settings.queue.sweep_grace_seconds + 1)
        assert sweep(h.queue) == [did]
        drain(h.huey)
        assert h.state(did) == "done" and len(h.helpdesk.updates) == 1

    def test_worker_killed_mid_task_is_taken_over_after_the_lease(self, h: Harness) -> None:
        """Issue 12, finding 4: a dead worker's delivery comes back within one lease."""
        did = h.store_delivery()
        lease = h.runtime.settings.queue.lease_seconds
        assert lease <= 60  # the default lease, so recovery takes at most a minute
        # a worker claimed it and died: state stays "processing", nobody renews the lease
        assert h.runtime.store.claim_delivery(did, now=h.clock(), lease_seconds=lease)
        h.clock.advance(lease - 1)
        assert reclaim_expired(h.queue) == [] and sweep(h.queue) == []
        h.clock.advance(2)
        assert reclaim_expired(h.queue) == [did]
        drain(h.huey)
        assert h.state(did) == "done" and len(h.helpdesk.updates) == 1
        h.clock.advance(3600)
        assert sweep(h.queue) == [] and reclaim_expired(h.queue) == []

    def test_the_heartbeat_renews_the_lease_while_the_handler_works(self, h: Harness) -> None:
        """A parse longer than the lease (finding 4) keeps its worker; nobody takes over."""
        did = h.store_delivery()
        lease = h.runtime.settings.queue.lease_seconds
        seen: list[list[int]] = []

        def slow_parse() -> None:
            for _ in range(3):
                h.clock.advance(lease * 0.9)  # time passes beyond the lease in total
                time.sleep(0.2)  # the heartbeat (every 50 ms) renews at the new time
                seen.append(reclaim_expired(h.queue))

        h.during = slow_parse
        assert process_delivery(h.queue, did).state == "done"
        assert seen == [[], [], []]
        assert h.state(did) == "done" and len(h.helpdesk.updates) == 1

    def test_a_renewed_lease_is_not_taken_over(self, h: Harness) -> None:
        did = h.store_delivery()
        store, lease = h.runtime.store, h.runtime.settings.queue.lease_seconds
        claimed = store.claim_delivery(did, now=h.clock(), lease_seconds=lease)
        assert claimed is not None
        for _ in range(5):  # a long parse: the heartbeat keeps renewing
            h.clock.advance(lease * 0.5)
            assert store.renew_lease(did, attempt=claimed.attempts, now=h.clock())
            assert reclaim_expired(h.queue) == []
        assert store.claim_delivery(did, now=h.clock(), lease_seconds=lease) is None

    def test_a_taken_over_worker_cannot_finish_its_successors_run(self, h: Harness) -> None:
        did = h.store_delivery()
        store, lease = h.runtime.store, h.runtime.settings.queue.lease_seconds
        first = store.claim_delivery(did, now=h.clock(), lease_seconds=lease)
        assert first is not None
        h.clock.advance(lease + 1)
        second = store.claim_delivery(did, now=h.clock(), lease_seconds=lease)
        assert second is not None and second.attempts == first.attempts + 1
        assert not store.renew_lease(did, attempt=first.attempts, now=h.clock())
        assert not store.finish_delivery(did, state="done", now=h.clock(), attempt=first.attempts)
        assert h.state(did) == "processing"

    def test_periodic_sweeper_is_registered(self, h: Harness) -> None:
        """Every minute (crontab in UTC) huey starts the sweeper."""
        due = h.huey.read_periodic(datetime(2026, 11, 22, 10, 7))
        assert "sweep_deliveries" in {t.name for t in due}
