from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from integration.store import Store
from integration.store.engine import make_engine
from integration.store.migrate import current_revision, head_revision, upgrade

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def _delivery(store: Store, invocation: str = "inv-1", **kw: object) -> tuple[int, bool]:
    args: dict[str, object] = {
        "invocation_id": invocation,
        "webhook_id": "wh",
        "event_kind": "trigger",
        "ticket_id": 42,
        "body": {"ticket_id": "42"},
        "event": {"kind": "trigger", "ticket_id": 42},
        "state": "received",
        "now": NOW,
    }
    args.update(kw)
    return store.record_delivery(**args)  # type: ignore[arg-type]


class TestMigrations:
    def test_sqlite_upgrade_reaches_head_and_is_repeatable(self, tmp_path: Path) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        assert current_revision(engine) is None
        upgrade(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        engine.dispose()


class TestDeliveries:
    def test_invocation_id_is_stored_once(self, store: Store) -> None:
        first = _delivery(store)
        again = _delivery(store, ticket_id=99)
        assert first[1] is True and again == (first[0], False)
        rec = store.get_delivery(first[0])
        assert rec is not None and rec.ticket_id == 42 and rec.state == "received"
        assert rec.created_at == NOW and rec.created_at.tzinfo is not None

    def test_claim_is_exclusive_until_the_lease_expires(self, store: Store) -> None:
        did, _ = _delivery(store)
        first = store.claim_delivery(did, now=NOW, lease_seconds=60)
        assert first is not None and first.state == "processing" and first.attempts == 1
        assert store.claim_delivery(did, now=NOW + timedelta(seconds=30), lease_seconds=60) is None
        taken = store.claim_delivery(did, now=NOW + timedelta(seconds=61), lease_seconds=60)
        assert taken is not None and taken.attempts == 2

    def test_one_delivery_per_ticket_at_a_time(self, store: Store) -> None:
        first, _ = _delivery(store, "a")
        second, _ = _delivery(store, "b")
        other_ticket, _ = _delivery(store, "c", ticket_id=7)
        assert store.claim_delivery(first, now=NOW, lease_seconds=60) is not None
        assert store.claim_delivery(second, now=NOW, lease_seconds=60) is None
        assert store.ticket_busy(second, now=NOW, lease_seconds=60)
        assert store.claim_delivery(other_ticket, now=NOW, lease_seconds=60) is not None
        store.finish_delivery(first, state="done", now=NOW)
        assert not store.ticket_busy(second, now=NOW, lease_seconds=60)
        assert store.claim_delivery(second, now=NOW, lease_seconds=60) is not None

    def test_concurrent_claims_of_one_ticket_let_exactly_one_through(self, store: Store) -> None:
        ids = [_delivery(store, f"inv-{i}")[0] for i in range(6)]
        barrier = threading.Barrier(len(ids))
        won: list[int] = []

        def claim(did: int) -> None:
            barrier.wait()
            if store.claim_delivery(did, now=NOW, lease_seconds=60) is not None:
                won.append(did)

        threads = [threading.Thread(target=claim, args=(d,)) for d in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(won) == 1

    def test_finished_delivery_cannot_be_claimed(self, store: Store) -> None:
        did, _ = _delivery(store)
        store.finish_delivery(did, state="done", now=NOW)
        assert store.claim_delivery(did, now=NOW + timedelta(days=1), lease_seconds=1) is None

    def test_stale_deliveries_respect_grace_due_time_and_state(self, store: Store) -> None:
        received, _ = _delivery(store, "a")
        deferred, _ = _delivery(store, "b")
        store.defer_delivery(deferred, until=NOW + timedelta(minutes=10), error="x", now=NOW)
        done, _ = _delivery(store, "c")
        store.finish_delivery(done, state="done", now=NOW)
        ignored, _ = _delivery(store, "d", state="ignored")
        kw = {"grace_seconds": 120, "lease_seconds": 600}
        assert store.stale_deliveries(now=NOW + timedelta(seconds=60), **kw) == []
        assert store.stale_deliveries(now=NOW + timedelta(minutes=5), **kw) == [received]
        assert store.stale_deliveries(now=NOW + timedelta(minutes=11), **kw) == [received, deferred]
        store.touch_delivery(received, now=NOW + timedelta(minutes=11))
        assert store.stale_deliveries(now=NOW + timedelta(minutes=12), **kw) == [deferred]
        assert ignored not in store.stale_deliveries(now=NOW + timedelta(days=1), **kw)


class TestCasesDocumentsWrites:
    def test_case_is_unique_per_ticket_and_process(self, store: Store) -> None:
        a = store.upsert_case(
            1, "relocation", requested=[{"first": "+4930", "last": "+4930"}], invalid=[], now=NOW
        )
        b = store.upsert_case(1, "relocation", requested=[], invalid=["x"], now=NOW)
        c = store.upsert_case(1, "product_change", requested=[], invalid=[], now=NOW)
        assert a.id == b.id != c.id and b.invalid == ["x"] and b.requested == []
        store.save_decision(
            a.id, decision={"outcome": "approved"}, fingerprint="f1", state="approved", now=NOW
        )
        got = store.get_case(1, "relocation")
        assert (
            got is not None and got.decision == {"outcome": "approved"} and got.fingerprint == "f1"
        )

    def test_document_recorded_once_per_attachment(self, store: Store) -> None:
        case = store.upsert_case(5, "relocation", requested=[], invalid=[], now=NOW)
        kw = {
            "case_id": case.id,
            "ticket_id": 5,
            "file_name": "a.pdf",
            "sha256": None,
            "parsed": None,
            "error_code": "skipped",
            "now": NOW,
        }
        assert store.add_document(attachment_id=1, **kw) is True  # type: ignore[arg-type]
        assert store.add_document(attachment_id=1, **kw) is False  # type: ignore[arg-type]
        assert store.add_document(attachment_id=2, **kw) is True  # type: ignore[arg-type]
        assert store.seen_attachment_ids(5) == {1, 2}
        assert [d.attachment_id for d in store.documents(case.id)] == [1, 2]

    def test_write_goes_pending_then_sent(self, store: Store) -> None:
        rec, created = store.begin_write(
            ticket_id=3, kind="note", fingerprint="fp", reference="ref", now=NOW
        )
        assert created and rec.state == "pending"
        again, created2 = store.begin_write(
            ticket_id=3, kind="note", fingerprint="fp", reference="ref", now=NOW
        )
        assert not created2 and again.id == rec.id
        store.mark_write_sent(rec.id, now=NOW)
        got = store.get_write(3, "note", "fp")
        assert got is not None and got.state == "sent"

    def test_pdf_bytes_are_content_addressed(self, store: Store) -> None:
        data = b"%PDF-1.4 test"
        sha = store.put_pdf(data)
        assert sha == hashlib.sha256(data).hexdigest()
        assert store.put_pdf(data) == sha
        assert store.blobs.path(sha).name == f"{sha}.pdf"
        assert store.read_pdf(sha) == data
        with pytest.raises(ValueError):
            store.blobs.path("../etc/passwd")
