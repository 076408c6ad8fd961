"""The safety property on a folder of red-team letters with their ``truth.json``, shared
by ``tests/redteam`` and ``tests/redteam2``: nothing outside a letter's ``transfer`` is
ever approved or marked transfer. Recall is printed, not asserted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import phonenumbers

from config.settings import Settings
from handlers.relocation.decision import decide
from parsers.document import read_document_inprocess
from parsers.numbers import parse_requested

Truth = dict[str, dict[str, Any]]


def load_truth(letters: Path) -> Truth:
    truth: Truth = json.loads((letters / "truth.json").read_text("utf-8"))
    return truth


def split(truth: Truth, false_approvals: frozenset[str]) -> tuple[list[str], list[str]]:
    """The text letters and the scans the safety test covers."""
    kept = [n for n in truth if n not in false_approvals]
    return [n for n in kept if not truth[n]["scanned"]], [n for n in kept if truth[n]["scanned"]]


def _expand(ranges: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for r in ranges:
        a, b = int(r["first"].lstrip("+")), int(r["last"].lstrip("+"))
        assert a <= b <= a + 100_000, r
        out.update(f"+{n}" for n in range(a, b + 1))
    return out


def _read(letters: Path, truth: Truth, name: str, settings: Settings) -> tuple[set[str], set[str]]:
    data = (letters / f"{name}.pdf").read_bytes()
    doc = read_document_inprocess(data, filename=f"{name}.pdf", settings=settings)
    assert doc.error is None, doc.error
    requested = parse_requested("\n".join(truth[name]["requested"]), region=settings.general.region)
    assert not requested.invalid
    decision = decide(requested.ranges, [doc], invalid=requested.invalid).as_dict()
    numbers: list[dict[str, Any]] = doc.as_dict()["numbers"]  # type: ignore[assignment]
    marked = _expand([n for n in numbers if n["role"] == "transfer"])
    return marked, _expand(decision["approved"])


def check_letter(letters: Path, truth: Truth, name: str, settings: Settings) -> None:
    """Read one letter, decide partner B's request, assert the safety property."""
    t = truth[name]
    marked, approved = _read(letters, truth, name, settings)
    transfer = set(t["transfer"])
    kept = set(t["excluded"]) | set(t["contact"]) | set(t["unclear"])
    assert not approved & kept, f"{name}: approved a kept-back/contact/unclear number"
    assert approved <= transfer, f"{name}: approved {sorted(approved - transfer)}"
    assert not marked & kept, f"{name}: marked transfer {sorted(marked & kept)}"
    assert approved <= set(t["requested"])
    print(f"{name}: recall {len(marked & transfer)}/{len(transfer)}")


def check_truth(letters: Path, truth: Truth, false_approvals: frozenset[str]) -> None:
    """Every letter exists, roles never overlap, numbers are valid, and each request
    holds something to refuse (so a false approval would show)."""
    for name, t in truth.items():
        assert (letters / f"{name}.pdf").is_file()
        roles = [set(t[k]) for k in ("transfer", "excluded", "contact", "unclear")]
        assert sum(map(len, roles)) == len(set().union(*roles)), name
        assert set(t["approve"]) == set(t["requested"]) & set(t["transfer"]), name
        for n in set().union(*roles, t["requested"]):
            assert phonenumbers.is_valid_number(phonenumbers.parse(n)), (name, n)
        assert set(t["requested"]) - set(t["transfer"]), f"{name}: requests nothing to refuse"
    assert set(truth) >= false_approvals
