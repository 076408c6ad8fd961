"""Benchmark: ``find_numbers`` per line of letter text, in microseconds.

"cold" clears the plausibility cache before every call (a letter's numbers are new to
the process); "warm" repeats the same lines (a cache hit for every number).
"""

from __future__ import annotations

import statistics
import time

from parsers._plausible import plausible_nsn
from parsers.numbers import find_numbers, parse_requested

REPEATS = 300

LINES = [
    "Sehr geehrte Damen und Herren, hiermit bestätigen wir die Übergabe",
    "der Rufnummern 030 1234567 und 030 1234568 an die Muster GmbH.",
    "Rufnummernblock: 0221 4711-10 bis 0221 4711-15 (Zentrale)",
    "Stammnummer 030 123456, Durchwahlen 00 bis 99, ausgenommen -42",
    "Tel. +49 (0) 30 / 123 456-0 · Fax +49 30 123456-99 · www.example.de",
    "IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX · HRB 12345 B",
    "Kundennummer 004711234, Vertragsnummer V-2024-000123, 22.11.2026",
    "Musterstraße 12, 10115 Berlin, USt-IdNr. DE123456789",
    "Ansprechpartnerin: Frau Albers, mobil 0171 1234567",
    "1. 030 12345678 / 79",
]


def _per_line_us(cold: bool) -> list[float]:
    times: list[float] = []
    for line in LINES:
        samples = []
        for _ in range(REPEATS):
            if cold:
                plausible_nsn.cache_clear()
            t0 = time.perf_counter_ns()
            find_numbers(line)
            samples.append((time.perf_counter_ns() - t0) / 1000)
        times.append(statistics.median(samples))
    return times


def run() -> list[str]:
    lines = []
    found = sum(len(find_numbers(line)) for line in LINES)
    avg_len = statistics.mean(len(line) for line in LINES)
    for label, cold in (("cold", True), ("warm", False)):
        per_line = _per_line_us(cold)
        lines.append(
            f"find_numbers {label}: median {statistics.median(per_line):.1f} µs/line, "
            f"slowest line {max(per_line):.1f} µs ({len(LINES)} lines, "
            f"avg {avg_len:.0f} chars, {found} numbers/blocks found)"
        )
    request = "\n".join(
        f"{i}. 030 {1234500 + i}, 0221 4711-{i:02d} bis -{i + 1:02d}" for i in range(50)
    )
    plausible_nsn.cache_clear()
    t0 = time.perf_counter()
    result = parse_requested(request)
    lines.append(
        f"parse_requested: {len(result.ranges)} items from 50 lines in "
        f"{(time.perf_counter() - t0) * 1000:.2f} ms (cold cache)"
    )
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
