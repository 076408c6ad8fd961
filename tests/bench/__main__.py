"""Run benchmark areas and print their lines: ``python -m tests.bench [AREA...]``.

Figures are measured on this machine in this run; ratios compare two things measured
side by side in the same run, so they survive a slower or busier machine better than
absolute times.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
import time

AREAS = ("numbers", "parsing", "webhook", "slots", "product_change")


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv) or set(argv) - set(AREAS):
        print(f"usage: python -m tests.bench [AREA...]   areas: {' '.join(AREAS)} (default: all)")
        return 0 if {"-h", "--help"} & set(argv) else 2
    wanted = argv or list(AREAS)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"partnerdesk bench — Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {load}, {time.strftime('%Y-%m-%d %H:%M:%S')}"
    )
    failed = 0
    for area in wanted:
        print(f"\n== {area}")
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"tests.bench.{area}")
            for line in module.run():
                print(f"  {line}", flush=True)
        except Exception as exc:  # a broken area must not hide the others' figures
            failed += 1
            print(f"  FAILED: {type(exc).__name__}: {exc}")
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  ({time.perf_counter() - started:.1f} s; load average after: {load})")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
