from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from config.errors import SlotTakenError
from handlers.scheduling.slots import Busy, BusyIndex, Slot, number_conflicts
from integration.store.engine import make_engine
from integration.store.migrate import upgrade
from integration.store.scheduling import SchedulingRepo
from parsers.model import NumberRange

NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)
SLOT = Slot(datetime(2026, 11, 24, 8, tzinfo=UTC), datetime(2026, 11, 24, 9, tzinfo=UTC))
PG_URL = os.environ.get("PARTNERDESK_TEST_DATABASE_URL", "")


def _sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


def _postgres() -> Iterator[Engine]:
    if not PG_URL:
        pytest.skip("PARTNERDESK_TEST_DATABASE_URL is not set")
    schema = f"sched_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def repo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SchedulingRepo]:
    gen = _sqlite(tmp_path_factory) if request.param == "sqlite" else _postgres()
    engine = next(gen)
    yield SchedulingRepo(engine)
    next(gen, None)


def _checker(slot: Slot, numbers: Sequence[NumberRange], capacity: int, *, pause: float = 0.0):  # type: ignore[no-untyped-def]
    def check(busy: Sequence[Busy]) -> list[str]:
        time.sleep(pause)  # widen the race window: without the lock both would pass
        problems = []
        if BusyIndex(busy).peak(slot.start, slot.end) >= capacity:
            problems.append("capacity")
        if number_conflicts(numbers, busy):
            problems.append("number_conflict")
        return problems

    return check


def _case(repo: SchedulingRepo, ticket: int, number: str) -> int:
    record, created = repo.create(
        ticket_b=ticket, partner_a="acme", numbers=[NumberRange.single(number)], now=NOW
    )
    assert created
    return record.id


class TestRepo:
    def test_create_is_idempotent(self, repo: SchedulingRepo) -> None:
        first = _case(repo, 100, "+493011111111")
        again, created = repo.create(ticket_b=100, partner_a="acme", numbers=[], now=NOW)
        assert not created and again.id == first

    def test_rounds_hold_and_release(self, repo: SchedulingRepo) -> None:
        case = _case(repo, 101, "+493011111112")
        rnd, slots = repo.propose_round(
            case,
            proposer=lambda busy, earlier: [SLOT],
            hold_until=NOW + timedelta(hours=72),
            now=NOW,
        )
        assert (rnd, slots) == (1, [SLOT])
        holds = [b for b in repo.busy(NOW) if b.kind == "hold"]
        assert [(b.start, b.case_id) for b in holds] == [(SLOT.start, case)]
        seen: list[Sequence[Slot]] = []

        def spy(busy: Sequence[Busy], earlier: Sequence[Slot]) -> list[Slot]:
            seen.append(earlier)
            return []

        repo.propose_round(
            case,
            proposer=spy,
            hold_until=NOW + timedelta(hours=72),
            now=NOW,
        )
        assert seen == [[SLOT]]  # earlier rounds are handed to the proposer for exclusion
        assert not [b for b in repo.busy(NOW) if b.kind == "hold"]  # round 1 released

    def test_expired_holds_released(self, repo: SchedulingRepo) -> None:
        case = _case(repo, 102, "+493011111113")
        repo.propose_round(
            case, proposer=lambda b, e: [SLOT], hold_until=NOW + timedelta(hours=1), now=NOW
        )
        assert repo.release_expired(NOW) == 0
        assert repo.release_expired(NOW + timedelta(hours=1)) == 1
        assert repo.proposals(case, 1)[0].state == "released"

    def test_book_and_reschedule_raise_sequence(self, repo: SchedulingRepo) -> None:
        case = _case(repo, 103, "+493011111114")
        ok = _checker(SLOT, [], 5)
        first = repo.book(case, SLOT, checker=ok, now=NOW)
        assert (first.state, first.start, first.sequence) == ("booked", SLOT.start, 0)
        later = Slot(SLOT.start + timedelta(days=1), SLOT.end + timedelta(days=1))
        assert repo.book(case, later, checker=ok, now=NOW).sequence == 1
        assert repo.set_state(case, "cancelled", now=NOW).sequence == 2
        assert repo.booked(after=NOW) == []

    def test_notice_claimed_once(self, repo: SchedulingRepo) -> None:
        case = _case(repo, 104, "+493011111115")
        assert repo.claim_notice(case, kind="reminder", day="2026-11-23")
        assert not repo.claim_notice(case, kind="reminder", day="2026-11-23")
        assert repo.claim_notice(case, kind="dayof", day="2026-11-24")

    def test_open_case_locks_its_numbers(self, repo: SchedulingRepo) -> None:
        _case(repo, 105, "+493011111116")
        assert number_conflicts([NumberRange.single("+493011111116")], repo.busy(NOW))


class TestRace:
    def test_last_capacity_has_exactly_one_winner(self, repo: SchedulingRepo) -> None:
        """Two cases book the same slot with capacity 1 at the same moment: one wins."""
        cases = [_case(repo, 200 + i, f"+49301222222{i}") for i in range(2)]
        barrier = threading.Barrier(2)
        results: dict[int, str] = {}

        def attempt(case: int) -> None:
            barrier.wait()
            try:
                repo.book(case, SLOT, checker=_checker(SLOT, [], 1, pause=0.3), now=NOW)
                results[case] = "won"
            except SlotTakenError as exc:
                results[case] = f"lost:{exc.args[1]}"

        threads = [threading.Thread(target=attempt, args=(c,)) for c in cases]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(results.values()) == ["lost:['capacity']", "won"]
        assert len(repo.booked(after=NOW)) == 1

    def test_holds_race_for_last_capacity(self, repo: SchedulingRepo) -> None:
        """Two cases hold proposals at once; the proposer sees the other's hold under the lock."""
        cases = [_case(repo, 400 + i, f"+49301444444{i}") for i in range(2)]
        barrier = threading.Barrier(2)
        held: dict[int, list[Slot]] = {}

        def proposer(busy: Sequence[Busy], earlier: Sequence[Slot]) -> list[Slot]:
            time.sleep(0.3)
            return [] if BusyIndex(busy).peak(SLOT.start, SLOT.end) >= 1 else [SLOT]

        def attempt(case: int) -> None:
            barrier.wait()
            held[case] = repo.propose_round(
                case, proposer=proposer, hold_until=NOW + timedelta(hours=72), now=NOW
            )[1]

        threads = [threading.Thread(target=attempt, args=(c,)) for c in cases]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(len(v) for v in held.values()) == [0, 1]

    def test_two_overlapping_requests_give_one_proposal_and_one_conflict(
        self, repo: SchedulingRepo
    ) -> None:
        """Issue 10, finding 7: created 26 ms apart, both cutovers went to an agent.

        Opening a cutover claims its numbers and holds its slots in one transaction, so
        the second request (a member of the first one's block) is a clear conflict.
        """
        block = NumberRange("+493015550000", "+493015550099")
        member = NumberRange.single("+493015550042")
        barrier = threading.Barrier(2)
        opened: dict[int, object] = {}

        def proposer(busy: Sequence[Busy], earlier: Sequence[Slot]) -> list[Slot]:
            time.sleep(0.3)  # widen the race window
            return [SLOT]

        def attempt(ticket: int, numbers: list[NumberRange]) -> None:
            barrier.wait()
            opened[ticket] = repo.open(
                ticket_b=ticket,
                partner_a="acme",
                numbers=numbers,
                proposer=proposer,
                hold_until=NOW + timedelta(hours=72),
                now=NOW,
            )

        threads = [
            threading.Thread(target=attempt, args=(601, [block])),
            threading.Thread(target=attempt, args=(602, [member])),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        results = sorted(opened.values(), key=lambda o: o.cutover.state)  # type: ignore[attr-defined]
        conflict, proposing = results
        assert conflict.cutover.state == "conflict" and conflict.slots == ()  # type: ignore[attr-defined]
        assert proposing.cutover.state == "proposing" and proposing.slots == (SLOT,)  # type: ignore[attr-defined]
        assert conflict.conflicts == (proposing.cutover.ticket_b,)  # type: ignore[attr-defined]
        # the conflicting cutover claims nothing: only the first one's numbers are busy
        assert {b.case_id for b in repo.busy(NOW)} == {proposing.cutover.id}  # type: ignore[attr-defined]

    def test_open_is_idempotent(self, repo: SchedulingRepo) -> None:
        def proposer(busy: Sequence[Busy], earlier: Sequence[Slot]) -> list[Slot]:
            return [SLOT]

        args = {
            "ticket_b": 700,
            "partner_a": "acme",
            "numbers": [NumberRange.single("+493017770000")],
            "proposer": proposer,
            "hold_until": NOW + timedelta(hours=72),
            "now": NOW,
        }
        first = repo.open(**args)  # type: ignore[arg-type]
        again = repo.open(**args)  # type: ignore[arg-type]
        assert first.created and not again.created and again.cutover.id == first.cutover.id
        assert len(repo.proposals(first.cutover.id, 1)) == 1

    def test_a_conflict_stays_a_conflict_when_proposed_again(self, repo: SchedulingRepo) -> None:
        """Re-proposing a conflicting cutover never lets it claim numbers, not even briefly."""
        first = _case(repo, 801, "+493018880000")
        opened = repo.open(
            ticket_b=802,
            partner_a="acme",
            numbers=[NumberRange.single("+493018880000")],
            proposer=lambda busy, earlier: [SLOT],
            hold_until=NOW + timedelta(hours=72),
            now=NOW,
        )
        assert opened.cutover.state == "conflict"
        round_, slots = repo.propose_round(
            opened.cutover.id,
            proposer=lambda busy, earlier: [],
            hold_until=NOW + timedelta(hours=72),
            now=NOW,
        )
        again = repo.get(opened.cutover.id)
        assert slots == [] and again is not None and again.state == "conflict" and round_ == 0
        assert {b.case_id for b in repo.busy(NOW)} == {first}
