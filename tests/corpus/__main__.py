"""``python -m tests.corpus`` (``make corpus-score``): how well the reader does on the
generated family corpus and on the development letters.

Generates the corpus for ``--seed`` into ``.partnerdesk/corpus-score/``, reads every
letter with the real reader (``parsers.document.read_document``, default settings,
sandboxed as in the service), decides partner B's request with
``handlers.relocation.decision.decide`` and prints a table family × producer (recall,
precision, decisions right, signature right, seconds per page, false approvals), the
letters that went wrong, and one summary line. With ``--gate`` it exits 1 when a text
family falls below 1.000 recall or precision or any false approval appears anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from integration.logs import configure_logging
from tests.corpus.score import Result, Tally, load_truth, score_letters
from tests.fixtures.families import FAMILIES
from tests.fixtures.families.build import build

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "letters-dev"


def _say(msg: str) -> None:
    print(f"[corpus-score] {msg}", file=sys.stderr, flush=True)


def _kind(r: Result) -> str:
    return "scan" if r.scanned else "text"


def _line(t: Tally) -> str:
    return (
        f"recall {t.recall:.3f} precision {t.precision:.3f} decisions {t.decisions}/{t.docs} "
        f"signature {t.signatures}/{t.docs} false approvals {t.false_approvals} errors {t.errors} "
        f"{t.per_page:.2f}s/page"
    )


def table(results: list[Result]) -> str:
    """Families down, producers across; each cell: recall precision decisions signatures
    seconds-per-page, and "!" when something was approved that the truth keeps back."""
    cells: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for r in results:
        cells[(r.truth["family"], r.truth["producer"])].add(r)
    order = ["reportlab", "fpdf2", "libreoffice", "scan"]
    producers = [p for p in order if any(k[1] == p for k in cells)]
    producers += sorted({k[1] for k in cells} - set(producers))
    width = 30
    head = f"{'family':<22}" + "".join(f" {p:<{width}}" for p in producers)
    sub = f"{'':<22}" + "".join(f" {'recall prec. dec sig  s/p':<{width}}" for _ in producers)
    rows = [head, sub]
    for fam in sorted({k[0] for k in cells}):
        line = f"{fam:<22}"
        for p in producers:
            t = cells.get((fam, p))
            if t is None:
                line += f" {'-':<{width}}"
                continue
            flag = "!" if t.false_approvals else " "
            cell = (
                f"{t.recall:.3f} {t.precision:.3f} {t.decisions}/{t.docs} {t.signatures}/{t.docs} "
                f"{t.per_page:4.1f}{flag}"
            )
            line += f" {cell:<{width}}"
        rows.append(line.rstrip())
    return "\n".join(rows)


def summary(label: str, results: list[Result]) -> str:
    by_kind: dict[str, Tally] = defaultdict(Tally)
    for r in results:
        by_kind[_kind(r)].add(r)
    return f"{label} " + " | ".join(f"{k}: {_line(t)}" for k, t in sorted(by_kind.items()))


def gate_failures(
    generated: list[Result], dev: list[Result], *, safety_only: bool = False
) -> list[str]:
    """Why the gate fails: imperfect text families (unless ``safety_only``), false approvals."""
    out = []
    fams: dict[str, Tally] = defaultdict(Tally)
    for r in generated:
        if not r.scanned:
            fams[r.truth["family"]].add(r)
    for fam, t in sorted(fams.items()):
        if not safety_only and (t.recall < 1.0 or t.precision < 1.0):
            out.append(f"text family {fam}: recall {t.recall:.3f} precision {t.precision:.3f}")
    for r in [*generated, *dev]:
        if r.false_approvals:
            out.append(f"{r.name}: {len(r.false_approvals)} false approval(s)")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.corpus", description=__doc__)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--families", default="", help="comma-separated families (default: all)")
    p.add_argument(
        "--producers",
        default="",
        help="comma-separated producers (default: reportlab,fpdf2,libreoffice)",
    )
    p.add_argument(
        "--no-scans", action="store_true", help="text letters only (development letters too)"
    )
    p.add_argument(
        "--all-scans",
        action="store_true",
        help="a scan per family and producer (default: one per family)",
    )
    p.add_argument("--workers", type=int, default=2, help="letters read in parallel (default 2)")
    p.add_argument("--out", type=Path, default=Path(".partnerdesk/corpus-score"))
    p.add_argument(
        "--dev", type=Path, default=DEV, help="the development letters (truth.json + PDFs)"
    )
    p.add_argument("--no-dev", action="store_true", help="skip the development letters")
    p.add_argument(
        "--fresh-libreoffice",
        action="store_true",
        help="convert with soffice instead of the committed files",
    )
    p.add_argument(
        "--gate",
        action="store_true",
        help="exit 1 on a text family below 1.000 or any false approval",
    )
    p.add_argument(
        "--safety-gate",
        action="store_true",
        help="exit 1 on any false approval (a number approved that the truth does not hand over)",
    )
    a = p.parse_args(argv)
    configure_logging(level="WARNING")  # the table is the output; the reader's info logs are noise
    families = [f for f in a.families.split(",") if f] or sorted(FAMILIES)
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        p.error(f"unknown families: {', '.join(unknown)}")
    started = time.monotonic()
    _say(f"generating {len(families)} families (seed {a.seed}) into {a.out}")
    truth = build(
        a.out,
        seed=a.seed,
        families=families,
        producers=[x for x in a.producers.split(",") if x] or None,
        scans="none" if a.no_scans else "all" if a.all_scans else "one",
        fresh_libreoffice=a.fresh_libreoffice,
        progress=_say,
    )
    _say(f"reading {len(truth)} generated letters with {a.workers} worker(s)")
    generated = score_letters(a.out, truth, workers=a.workers, progress=_say, label="generated: ")
    dev: list[Result] = []
    if not a.no_dev and (a.dev / "truth.json").is_file():
        dev_truth = load_truth(a.dev)
        if a.no_scans:
            dev_truth = {k: t for k, t in dev_truth.items() if not t.get("scanned")}
        _say(f"reading {len(dev_truth)} development letters from {a.dev}")
        dev = score_letters(
            a.dev, dev_truth, workers=a.workers, progress=_say, label="letters-dev: "
        )
    print(table(generated))
    print()
    wrong = [r for r in [*generated, *dev] if r.problems]
    if wrong:
        print("letters that went wrong:")
        for r in wrong:
            print(f"  {r.name}: {'; '.join(r.problems)}")
        print()
    report = {
        "seed": a.seed,
        "seconds": round(time.monotonic() - started, 1),
        "results": [
            {
                "name": r.name,
                "family": r.truth.get("family"),
                "producer": r.truth.get("producer"),
                "scanned": r.scanned,
                "tp": r.tp,
                "fp": r.fp,
                "fn": r.fn,
                "decision_ok": r.decision_ok,
                "signature_ok": r.signature_ok,
                "false_approvals": r.false_approvals,
                "seconds": round(r.seconds, 2),
                "pages": r.pages,
                "problems": r.problems,
            }
            for r in [*generated, *dev]
        ],
    }
    (a.out / "results.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(summary("generated", generated))
    if dev:
        print(summary("letters-dev", dev))
    _say(f"done in {time.monotonic() - started:.0f}s; details in {a.out / 'results.json'}")
    if a.gate or a.safety_gate:
        failures = gate_failures(generated, dev, safety_only=not a.gate)
        if failures:
            print("gate: FAILED", *failures[:40], sep="\n  ")
            return 1
        print("gate: passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
