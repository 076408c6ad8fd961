"""Operations: /metrics after a scenario, and a failed delivery listed and re-driven by the CLI."""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from huey import MemoryHuey
from prometheus_client.parser import text_string_to_metric_families

from config.errors import UsageError
from integration.commands import deliveries
from tests.integration.conftest import PG_URL, _pg_store, _sqlite_store, make_settings
from tests.scenarios import conftest
from tests.scenarios.conftest import API, TICKET, Service
from tests.scenarios.letters import confirmation_pdf

CREATED = {"ticket_id": str(TICKET), "event": "ticket.created"}
REF = "partnerdesk-ref: relocation_note-"


def make_service(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    backend: str = "sqlite",
    **sections: dict[str, Any],
) -> Iterator[Service]:
    def patched(path: Path, **kw: dict[str, Any]) -> Any:
        return make_settings(path, **sections, **kw)

    monkeypatch.setattr(conftest, "make_settings", patched)
    if backend == "postgres" and not PG_URL:
        pytest.skip("PARTNERDESK_TEST_DATABASE_URL is not set")
    stores = _pg_store(tmp_path) if backend == "postgres" else _sqlite_store(tmp_path)
    s = Service(tmp_path, next(stores), MemoryHuey(f"pd-ops-{uuid.uuid4().hex[:8]}"))
    s.comments["comments"][0]["attachments"] = []
    try:
        yield s
    finally:
        s.close()
        next(stores, None)


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Service]:
    yield from make_service(tmp_path, monkeypatch, request.param)


@pytest.fixture(params=BACKENDS)
def fragile(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Service]:
    """One attempt only: a Zendesk outage fails the delivery for good."""
    yield from make_service(tmp_path, monkeypatch, request.param, queue={"max_attempts": 1})


def scrape(service: Service) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = service.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    out = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def test_metrics_show_the_scenario_s_deliveries_and_outcome(service: Service) -> None:
    before = scrape(service)
    assert before[("partnerdesk_queue_depth", ())] == 0
    service.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567", "030 9999999"]))
    assert service.post(CREATED, invocation="inv-1").status_code == 202
    waiting = scrape(service)
    kind = (("kind", "ticket.created"), ("process", "relocation"))
    assert waiting[("partnerdesk_deliveries_received_total", kind)] == 1
    assert waiting[("partnerdesk_queue_depth", ())] == 1
    service.run_queue()
    after = scrape(service)
    assert after[("partnerdesk_deliveries_done_total", kind)] == 1
    assert after[("partnerdesk_deliveries_failed_total", kind)] == 0
    assert after[("partnerdesk_queue_depth", ())] == 0
    case = service.store.get_case(TICKET, "relocation")
    assert case is not None
    assert after[("partnerdesk_cases", (("process", "relocation"), ("state", case.state)))] == 1
    decision = case.decision or {}
    tags = {
        "approved": "partnerdesk_approved",
        "partial": "partnerdesk_partial",
        "rejected": "partnerdesk_rejected",
    }
    assert after[("partnerdesk_outcome_tags", (("tag", tags[decision["outcome"]]),))] == 1
    review = after[("partnerdesk_outcome_tags", (("tag", "partnerdesk_review"),))]
    assert review == (1 if decision.get("needs_review") else 0)
    # the letter was read once, by the timed reader
    parses = sum(v for (n, _), v in after.items() if n == "partnerdesk_parse_seconds_count")
    assert parses == 1


def _args(**kw: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"action": "list", "id": None, "failed": False, **kw})


def test_failed_delivery_is_listed_and_redriven_with_exactly_one_write(
    fragile: Service, capsys: pytest.CaptureFixture[str]
) -> None:
    fragile.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567"]))
    # the verdict's write meets a Zendesk outage; the ticket's audits show it did not land
    fragile.update_errors.append((503, {}))
    fragile.api.add(
        responses.GET,
        f"{API}/tickets/{TICKET}/audits.json",
        json={"audits": [], "meta": {"has_more": False}, "links": {"next": None}},
    )
    fragile.post(CREATED, invocation="inv-1")
    fragile.run_queue()
    assert not any(REF in (b.get("comment") or {}).get("body", "") for b in fragile.sent)
    (failed,) = [d for d in fragile.store.list_deliveries() if d.state == "failed"]
    metrics = scrape(fragile)
    failed_key = (("kind", "ticket.created"), ("process", "relocation"))
    assert metrics[("partnerdesk_deliveries_failed_total", failed_key)] == 1

    runtime = fragile.runtime
    code = deliveries.run(_args(failed=True), fragile.settings, runtime=runtime)
    listed = capsys.readouterr().out
    assert code == 1
    assert f"{failed.id:>8}  failed" in listed and "zendesk_unavailable" in listed

    queue = fragile.client.app.state.queue  # type: ignore[attr-defined]
    retry = _args(action="retry", id=failed.id)
    assert deliveries.run(retry, fragile.settings, runtime=runtime, queue=queue) == 0
    assert f"delivery {failed.id}: failed -> done" in capsys.readouterr().out
    fragile.run_queue()  # follow-ups the retry emitted
    verdicts = [n for n in fragile.notes() if REF in n["comment"]["body"]]
    assert len(verdicts) == 1  # exactly one resulting write of the verdict
    writes = len(fragile.sent)
    # a second retry of the same delivery is refused; nothing is written again
    with pytest.raises(UsageError, match="done"):
        deliveries.run(retry, fragile.settings, runtime=runtime, queue=queue)
    assert len(fragile.sent) == writes
    assert deliveries.run(_args(), fragile.settings, runtime=runtime) == 0
    assert "no stuck or failed deliveries" in capsys.readouterr().out


def test_retry_of_an_unknown_delivery_is_a_usage_error(service: Service) -> None:
    with pytest.raises(UsageError, match="no delivery 999"):
        deliveries.run(_args(action="retry", id=999), service.settings, runtime=service.runtime)
