"""Score the reader and the decision on letters with known truth.

The metric is the development letters' own scorer's: a letter's
found transfers are the members of every number the reader gives the role
``transfer``; recall and precision compare them with the truth's ``transfer``; the
decision is right when the approved members equal the truth's ``approve``; the
signature is right when ``signature.present`` equals ``signed``. A false approval is
an approved number the truth does not hand over.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.settings import Settings, load_settings
from handlers.relocation.decision import decide
from parsers.document import read_document
from parsers.model import NumberRange

__all__ = ["Result", "Tally", "expand", "score_letters"]


def expand(ranges: Iterable[tuple[str, str]]) -> set[str]:
    out: set[str] = set()
    for first, last in ranges:
        a, b = int(first.lstrip("+")), int(last.lstrip("+"))
        if b < a or b - a > 100000:
            raise ValueError("implausible range")
        out.update(f"+{n}" for n in range(a, b + 1))
    return out


@dataclass
class Result:
    name: str
    truth: dict[str, Any]
    seconds: float
    pages: int
    error: str | None = None
    tp: int = 0
    fp: int = 0
    fn: int = 0
    decision_ok: bool = False
    signature_ok: bool = False
    false_approvals: list[str] = field(default_factory=list)  # kinds: excluded/contact/other
    problems: list[str] = field(default_factory=list)

    @property
    def scanned(self) -> bool:
        return bool(self.truth.get("scanned"))


@dataclass
class Tally:
    docs: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    decisions: int = 0
    signatures: int = 0
    false_approvals: int = 0
    errors: int = 0
    seconds: float = 0.0
    pages: int = 0

    def add(self, r: Result) -> None:
        self.docs += 1
        self.tp, self.fp, self.fn = self.tp + r.tp, self.fp + r.fp, self.fn + r.fn
        self.decisions += r.decision_ok
        self.signatures += r.signature_ok
        self.false_approvals += len(r.false_approvals)
        self.errors += r.error is not None
        self.seconds += r.seconds
        self.pages += r.pages

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def per_page(self) -> float:
        return self.seconds / self.pages if self.pages else 0.0


def _score(name: str, pdf: Path, truth: dict[str, Any], settings: Settings) -> Result:
    data = pdf.read_bytes()
    t0 = time.monotonic()
    doc = read_document(data, filename=pdf.name, settings=settings)
    requested = [NumberRange(n, n) for n in truth["requested"]]
    decision = decide(requested, [doc])
    dt = time.monotonic() - t0
    r = Result(name, truth, dt, max(1, doc.pages or int(truth.get("pages", 1))))
    want = set(truth["transfer"])
    if doc.error is not None:
        r.error = doc.error.code
        r.fn = len(want)
        r.problems.append(f"error {doc.error.code}")
        return r
    got = expand((n.range.first, n.range.last) for n in doc.numbers if n.role.value == "transfer")
    approved = expand((a.first, a.last) for a in decision.approved)
    r.tp, r.fp, r.fn = len(got & want), len(got - want), len(want - got)
    r.decision_ok = approved == set(truth["approve"])
    r.signature_ok = doc.signature.present == bool(truth["signed"])
    for n in sorted(approved - want):
        r.false_approvals.append(
            "excluded"
            if n in truth["excluded"]
            else "contact"
            if n in truth["contact"]
            else "other"
        )
    if r.fp:
        kinds = {
            "excluded"
            if n in truth["excluded"]
            else "contact"
            if n in truth["contact"]
            else "other"
            for n in got - want
        }
        r.problems.append(f"false transfer x{r.fp} ({', '.join(sorted(kinds))})")
    if r.fn:
        r.problems.append(f"missed {r.fn}/{len(want)}")
    if not r.decision_ok:
        r.problems.append(f"decision approved {len(approved)} want {len(truth['approve'])}")
    if not r.signature_ok:
        r.problems.append(f"signature {doc.signature.present} want {truth['signed']}")
    if r.false_approvals:
        r.problems.append(
            f"FALSE APPROVAL x{len(r.false_approvals)} ({', '.join(sorted(set(r.false_approvals)))})"
        )
    return r


def score_letters(
    folder: Path,
    truth: dict[str, dict[str, Any]],
    *,
    workers: int = 2,
    progress: Callable[[str], None] | None = None,
    label: str = "",
) -> list[Result]:
    """Read every ``folder/NAME.pdf`` of ``truth`` and score it (``workers`` in parallel;
    each read runs in the reader's own sandboxed child process)."""
    settings = load_settings(env={})
    names = sorted(truth)
    done = 0
    results: list[Result] = []

    def job(name: str) -> Result:
        try:
            return _score(name, folder / f"{name}.pdf", truth[name], settings)
        except Exception as exc:  # a crash of the reader is a result, not the end of the run
            r = Result(
                name, truth[name], 0.0, 1, error=type(exc).__name__, fn=len(truth[name]["transfer"])
            )
            r.problems.append(f"crash {type(exc).__name__}")
            return r

    with ThreadPoolExecutor(max(1, workers)) as pool:
        for r in pool.map(job, names):
            results.append(r)
            done += 1
            if progress and (done % 10 == 0 or done == len(names)):
                progress(f"{label}scored {done}/{len(names)}")
    return results


def load_truth(folder: Path) -> dict[str, dict[str, Any]]:
    return dict(json.loads((folder / "truth.json").read_text(encoding="utf-8")))
