"""Prometheus metrics: ``GET /metrics`` in the format prometheus-client writes.

Delivery and case figures are read from the database at scrape time, so they hold for
every process that shares it (``serve`` and any separate ``partnerdesk worker``) and
survive restarts. Parse times are measured where documents are read: the process that
serves ``/metrics`` reports its own in-process workers' parses.

Names (all prefixed ``partnerdesk_``):

- ``deliveries_received_total{process,kind}``, ``deliveries_done_total{process,kind}``,
  ``deliveries_failed_total{process,kind}``, ``deliveries_retried_total{process,kind}``
  (extra attempts); ``process`` names the processes listening to the event kind
  (``+``-joined when several do, ``none`` for a kind no process handles);
- ``queue_depth`` deliveries waiting or running, ``queue_oldest_age_seconds`` the age of
  the oldest of them, ``deliveries_stuck`` those the sweeper would re-enqueue;
- ``cases{process,state}`` and ``outcome_tags{tag}`` (relocation cases carrying each
  outcome tag, the review tag included);
- ``parse_seconds{ocr}`` histogram of reading one document, ``ocr="yes"`` when any page
  was OCRed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select

from integration.store.models import Case, Delivery

if TYPE_CHECKING:
    from fastapi import FastAPI

    from integration.runtime import Runtime

__all__ = ["ACTIVE_STATES", "Metrics", "install"]

ACTIVE_STATES = ("received", "queued", "processing")
PARSE_BUCKETS = (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)


class _StoreCollector:
    """Figures read from the database on every scrape."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def describe(self) -> list[Metric]:
        return []  # collected lazily: the registry must not query the database at start

    def collect(self) -> Iterator[Metric]:
        runtime = self._runtime
        settings = runtime.settings
        now = runtime.clock()
        received = CounterMetricFamily(
            "partnerdesk_deliveries_received", "Deliveries stored", labels=["process", "kind"]
        )
        done = CounterMetricFamily(
            "partnerdesk_deliveries_done", "Deliveries processed", labels=["process", "kind"]
        )
        failed = CounterMetricFamily(
            "partnerdesk_deliveries_failed",
            "Deliveries that failed for good",
            labels=["process", "kind"],
        )
        retried = CounterMetricFamily(
            "partnerdesk_deliveries_retried",
            "Extra attempts after the first",
            labels=["process", "kind"],
        )
        with runtime.store.session() as s:
            rows = s.execute(
                select(
                    Delivery.event_kind,
                    Delivery.state,
                    func.count(),
                    func.coalesce(func.sum(Delivery.attempts), 0),
                ).group_by(Delivery.event_kind, Delivery.state)
            ).all()
            extra = dict(
                s.execute(
                    select(Delivery.event_kind, func.sum(Delivery.attempts - 1))
                    .where(Delivery.attempts > 1)
                    .group_by(Delivery.event_kind)
                ).all()
            )
            active = s.execute(
                select(func.count(), func.min(Delivery.created_at)).where(
                    Delivery.state.in_(ACTIVE_STATES)
                )
            ).one()
            q = settings.queue
            quiet = now - timedelta(seconds=q.sweep_grace_seconds)
            stale_claim = now - timedelta(seconds=q.lease_seconds)
            stuck = s.scalar(
                select(func.count()).where(
                    ((Delivery.state.in_(("received", "queued"))) & (Delivery.updated_at < quiet))
                    | ((Delivery.state == "processing") & (Delivery.claimed_at < stale_claim))
                )
            )
            cases = s.execute(
                select(Case.process, Case.state, func.count()).group_by(Case.process, Case.state)
            ).all()
            decisions = s.scalars(
                select(Case.decision).where(
                    Case.process == "relocation", Case.decision.is_not(None)
                )
            ).all()
        by_kind: dict[str, Counter[str]] = {}
        for kind, state, count, _attempts in rows:
            by_kind.setdefault(kind, Counter())[state] += count
        for kind, states in sorted(by_kind.items()):
            labels = [self._process_of(kind), kind]
            received.add_metric(labels, sum(states.values()))
            done.add_metric(labels, states["done"])
            failed.add_metric(labels, states["failed"])
            retried.add_metric(labels, int(extra.get(kind) or 0))
        yield from (received, done, failed, retried)
        depth, oldest = active
        yield GaugeMetricFamily(
            "partnerdesk_queue_depth", "Deliveries waiting or running", value=depth
        )
        age = (now - oldest).total_seconds() if isinstance(oldest, datetime) else 0.0
        yield GaugeMetricFamily(
            "partnerdesk_queue_oldest_age_seconds",
            "Age of the oldest delivery waiting or running",
            value=max(0.0, age),
        )
        yield GaugeMetricFamily(
            "partnerdesk_deliveries_stuck",
            "Deliveries the sweeper would re-enqueue (untouched or past their lease)",
            value=stuck or 0,
        )
        case_metric = GaugeMetricFamily(
            "partnerdesk_cases", "Cases by process and state", labels=["process", "state"]
        )
        for process, state, count in sorted(cases):
            case_metric.add_metric([process, state], count)
        yield case_metric
        yield self._outcome_tags(decisions)

    def _process_of(self, kind: str) -> str:
        """The processes whose routers handle ``kind``, as one label value."""
        processes = getattr(self._runtime.router, "processes", ())
        names = [p.name for p in processes if p.router.handlers_for(kind)]
        return "+".join(names) or "none"

    def _outcome_tags(self, decisions: Sequence[Any]) -> Metric:
        rel = self._runtime.settings.relocation
        tag_of = {
            "approved": rel.tag_approved,
            "partial": rel.tag_partial,
            "rejected": rel.tag_rejected,
        }
        counts: Counter[str] = Counter(dict.fromkeys((*tag_of.values(), rel.tag_review), 0))
        for decision in decisions:
            if not isinstance(decision, dict):
                continue
            tag = tag_of.get(str(decision.get("outcome")))
            if tag:
                counts[tag] += 1
            if decision.get("needs_review"):
                counts[rel.tag_review] += 1
        metric = GaugeMetricFamily(
            "partnerdesk_outcome_tags", "Relocation cases carrying each outcome tag", labels=["tag"]
        )
        for tag, count in sorted(counts.items()):
            metric.add_metric([tag], count)
        return metric


class Metrics:
    """One registry per app (tests build many apps in one process)."""

    def __init__(self, runtime: Runtime) -> None:
        self.registry = CollectorRegistry()
        self.registry.register(_StoreCollector(runtime))
        self.parse_seconds = Histogram(
            "partnerdesk_parse_seconds",
            "Seconds to read one document (ocr=yes when a page was OCRed)",
            labelnames=["ocr"],
            buckets=PARSE_BUCKETS,
            registry=self.registry,
        )

    def timed_reader(self, read: Callable[..., Any]) -> Callable[..., Any]:
        """``read`` (a DocumentReader), observing each call's duration."""

        def reader(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            parsed = read(*args, **kwargs)
            ocr = "yes" if getattr(parsed, "ocr_pages", ()) else "no"
            self.parse_seconds.labels(ocr=ocr).observe(time.perf_counter() - started)
            return parsed

        return reader

    def render(self) -> bytes:
        return generate_latest(self.registry)


def install(app: FastAPI, runtime: Runtime) -> Metrics:
    """Add ``GET /metrics`` to ``app`` and time ``runtime``'s document reads."""
    from fastapi import Response

    metrics = Metrics(runtime)
    runtime.read_document = metrics.timed_reader(runtime.read_document)
    app.state.metrics = metrics

    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return metrics
