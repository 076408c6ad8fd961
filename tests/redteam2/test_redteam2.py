"""Second red-team letters (tests/redteam2/letters, made by make_letters.py with Typst):
the safety property.

The letters are written independently of the project's generator, its development
letters and the first red team (Typst, its own text layer; six are scanned). For each
letter partner B requests the handed-over numbers plus the kept-back, unclear and one
contact number (and, where the letter prints one, a reference number that looks like a
phone number). Asserted: nothing outside the truth's ``transfer`` is ever approved or
marked transfer. Recall is printed, not asserted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings, load_settings
from handlers.relocation.decision import decide
from parsers.document import read_document_inprocess
from parsers.numbers import parse_requested

LETTERS = Path(__file__).parent / "letters"
TRUTH: dict[str, dict[str, Any]] = json.loads((LETTERS / "truth.json").read_text("utf-8"))


def _expand(ranges: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for r in ranges:
        a, b = int(r["first"].lstrip("+")), int(r["last"].lstrip("+"))
        assert a <= b <= a + 100_000, r
        out.update(f"+{n}" for n in range(a, b + 1))
    return out


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={}, overrides={"limits": {"parse_timeout_seconds": 120.0}})


def _read(name: str, settings: Settings) -> tuple[set[str], set[str]]:
    truth = TRUTH[name]
    data = (LETTERS / f"{name}.pdf").read_bytes()
    doc = read_document_inprocess(data, filename=f"{name}.pdf", settings=settings)
    assert doc.error is None, doc.error
    requested = parse_requested("\n".join(truth["requested"]), region=settings.general.region)
    assert not requested.invalid
    decision = decide(requested.ranges, [doc], invalid=requested.invalid).as_dict()
    numbers: list[dict[str, Any]] = doc.as_dict()["numbers"]  # type: ignore[assignment]
    marked = _expand([n for n in numbers if n["role"] == "transfer"])
    return marked, _expand(decision["approved"])


def _check(name: str, settings: Settings) -> None:
    truth = TRUTH[name]
    marked, approved = _read(name, settings)
    transfer = set(truth["transfer"])
    kept = set(truth["excluded"]) | set(truth["contact"]) | set(truth["unclear"])
    assert not approved & kept, f"{name}: approved a kept-back/contact/unclear number"
    assert approved <= transfer, f"{name}: approved {sorted(approved - transfer)}"
    assert not marked & kept, f"{name}: marked transfer {sorted(marked & kept)}"
    assert approved <= set(truth["requested"])
    found = len(marked & transfer)
    print(f"{name}: recall {found}/{len(transfer)}")


# Letters on which the reader still approves or marks transfer a number outside
# ``transfer`` (see tests/redteam2/README.md, "False approvals"). They stay in truth.json
# for the scorer; the safety test covers the others, and a letter leaves this set when
# the reader is fixed.
FALSE_APPROVALS: frozenset[str] = frozenset()

TEXT = [n for n, t in TRUTH.items() if not t["scanned"] and n not in FALSE_APPROVALS]
SCANS = [n for n, t in TRUTH.items() if t["scanned"] and n not in FALSE_APPROVALS]


def test_truth_is_consistent() -> None:
    import phonenumbers

    for name, t in TRUTH.items():
        assert (LETTERS / f"{name}.pdf").is_file()
        roles = [set(t[k]) for k in ("transfer", "excluded", "contact", "unclear")]
        assert sum(map(len, roles)) == len(set().union(*roles)), name
        assert set(t["approve"]) == set(t["requested"]) & set(t["transfer"]), name
        for n in set().union(*roles, t["requested"]):
            assert phonenumbers.is_valid_number(phonenumbers.parse(n)), (name, n)
        assert set(t["requested"]) - set(t["transfer"]), f"{name}: requests nothing to refuse"
    assert set(TRUTH) >= FALSE_APPROVALS


@pytest.mark.parametrize("name", TEXT)
def test_text_letter_never_approves_a_kept_back_number(name: str, settings: Settings) -> None:
    _check(name, settings)


@pytest.mark.ocr
@pytest.mark.parametrize("name", SCANS)
def test_scanned_letter_never_approves_a_kept_back_number(name: str, settings: Settings) -> None:
    _check(name, settings)
