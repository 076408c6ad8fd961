"""Letters from the committed corpus generator (tests.fixtures.generate) through the webhook.

Each signed text letter's handed-over numbers are requested together with one number the
letter never names: the handed-over ones must be approved, the extra one rejected as
"not named", and the public reply must name only that extra number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from parsers.model import NumberRange
from tests.scenarios.conftest import TICKET, Service

EXTRA = NumberRange.single("+493088776655")  # never printed on a generated letter


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    generate = pytest.importorskip("tests.fixtures.generate")
    out = tmp_path_factory.mktemp("corpus")
    manifest = generate.build_corpus(out, seed=7, scans=False, hostile=False)
    chosen = [
        letter
        for letter in manifest["letters"]
        if letter["kind"] == "text"
        and letter["expect"]["error"] is None
        and letter["expect"]["signature"]["present"]
        and not letter["expect"]["blanket_clause"]
        and any(n["role"] == "transfer" for n in letter["expect"]["numbers"])
    ]
    assert len(chosen) >= 3, "the corpus needs three signed text letters that hand numbers over"
    return out, chosen[:3]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_generated_letter_approves_exactly_what_it_hands_over(
    corpus: tuple[Path, list[dict[str, Any]]], service: Service, index: int
) -> None:
    out, letters = corpus
    letter = letters[index]
    transfers = [
        NumberRange(n["first"], n["last"])
        for n in letter["expect"]["numbers"]
        if n["role"] == "transfer"
    ]
    requested = [*transfers, EXTRA]
    service.ticket["ticket"]["description"] = "\n".join(
        r.first if r.is_single else f"{r.first} bis {r.last}" for r in requested
    )
    service.attach(1, Path(letter["file"]).name, (out / letter["file"]).read_bytes())
    service.post({"ticket_id": TICKET}, invocation="gen-1")
    service.run_queue()
    case = service.store.get_case(TICKET, "relocation")
    assert case is not None and case.decision is not None
    approved = [NumberRange(a["first"], a["last"]) for a in case.decision["approved"]]
    assert sum(r.count for r in approved) == sum(r.count for r in transfers), letter["file"]
    assert all(any(t.contains(a) for t in transfers) for a in approved), letter["file"]
    rejected = [(r["first"], r["reason"]) for r in case.decision["rejected"]]
    assert rejected == [(EXTRA.first, "not_named")], letter["file"]
    if not case.decision["needs_review"]:
        reply = service.sent[-1]["comment"]
        assert reply["public"] and "030 88776655" in reply["body"]
        for t in transfers:
            assert t.first[-6:] not in reply["body"], letter["file"]
