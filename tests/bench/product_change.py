"""Benchmark: product-change verdicts and notes for random contract facts."""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from datetime import date, timedelta
from typing import TypeVar

from config.settings import ProductChangeSettings
from handlers.product_change.checklist import build_checklist
from handlers.product_change.facts import ContractFacts, ContractStatus, ProductGroup
from handlers.product_change.note import render_note
from handlers.product_change.rules import evaluate

CASES = 2_000
T = TypeVar("T")


def _random_facts(rng: random.Random) -> ContractFacts:
    def maybe(value: T) -> T | None:
        return None if rng.random() < 0.05 else value

    start = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 1500))
    groups = list(ProductGroup)
    return ContractFacts(
        status=maybe(rng.choice([ContractStatus.ACTIVE] * 8 + list(ContractStatus))),
        open_order=maybe(rng.random() < 0.1),
        open_cart=maybe(rng.random() < 0.1),
        contract_start=maybe(start),
        term_months=maybe(rng.choice([12, 24, 36])),
        current_group=rng.choice(groups),
        target_group=rng.choice(groups),
        leased_line_move=rng.random() < 0.3,
    )


def run() -> list[str]:
    rng = random.Random(5)
    settings = ProductChangeSettings()
    today = date(2026, 1, 10)
    cases = [_random_facts(rng) for _ in range(CASES)]
    t0 = time.perf_counter()
    verdicts = [evaluate(f, today=today, settings=settings) for f in cases]
    evaluate_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    checklists = [build_checklist(v) for v in verdicts]
    checklist_s = time.perf_counter() - t0
    render_times = []
    for v, c in zip(verdicts, checklists, strict=True):
        t1 = time.perf_counter()
        render_note(v, c)
        render_times.append(time.perf_counter() - t1)
    outcomes = Counter(v.outcome.value for v in verdicts)
    return [
        f"{CASES} random contracts: evaluate {evaluate_s / CASES * 1e6:.1f} µs each, "
        f"checklist {checklist_s / CASES * 1e6:.1f} µs each",
        f"render_note: median {statistics.median(render_times) * 1e3:.2f} ms, "
        f"max {max(render_times) * 1e3:.2f} ms",
        "outcomes: " + ", ".join(f"{k} {n}" for k, n in sorted(outcomes.items())),
    ]
