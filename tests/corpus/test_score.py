"""The corpus scorer: its metric, its gate and one letter through the real reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.corpus.__main__ import gate_failures, summary, table
from tests.corpus.score import Result, Tally, expand, score_letters
from tests.fixtures.families.build import PRODUCERS, make_doc
from tests.fixtures.families.model import truth_of


def _truth(
    family: str = "table_ruled", producer: str = "reportlab", scanned: bool = False
) -> dict[str, Any]:
    return {
        "family": family,
        "producer": producer,
        "scanned": scanned,
        "transfer": ["+49301234567"],
        "excluded": ["+49307654321"],
        "contact": [],
        "approve": ["+49301234567"],
        "signed": True,
    }


def test_expand_counts_block_members_and_refuses_nonsense() -> None:
    assert expand([("+4930123400", "+4930123409")]) == {f"+493012340{i}" for i in range(10)}
    with pytest.raises(ValueError):
        expand([("+4930123409", "+4930123400")])


def test_tally_recall_precision_and_empty_cases() -> None:
    t = Tally()
    assert (t.recall, t.precision) == (1.0, 1.0)
    t.add(Result("a", _truth(), 1.0, 2, tp=3, fp=1, fn=1, decision_ok=True, signature_ok=False))
    assert (t.recall, t.precision, t.decisions, t.signatures, t.per_page) == (0.75, 0.75, 1, 0, 0.5)


def test_gate_fails_on_an_imperfect_text_family_or_any_false_approval() -> None:
    perfect = Result("a", _truth(), 1.0, 1, tp=1, decision_ok=True, signature_ok=True)
    assert gate_failures([perfect], []) == []
    missed = Result("b", _truth("kopfnummer"), 1.0, 1, fn=1)
    assert gate_failures([perfect, missed], []) == [
        "text family kopfnummer: recall 0.000 precision 1.000"
    ]
    scan_miss = Result("c", _truth("kopfnummer", "scan", scanned=True), 1.0, 1, fn=1)
    assert gate_failures([perfect, scan_miss], []) == []  # scans are not held to 1.000
    moved = Result("d", _truth(scanned=True), 1.0, 1, tp=1, false_approvals=["excluded"])
    assert gate_failures([perfect], [moved]) == ["d: 1 false approval(s)"]


def test_safety_gate_fails_only_on_false_approvals() -> None:
    """The safety gate lets a missed number pass and stops every false approval."""
    missed = Result("b", _truth("kopfnummer"), 1.0, 1, fn=1)
    moved = Result("d", _truth(), 1.0, 1, tp=1, false_approvals=["contact"])
    assert gate_failures([missed], [], safety_only=True) == []
    assert gate_failures([missed, moved], [], safety_only=True) == ["d: 1 false approval(s)"]


def test_table_has_a_row_per_family_and_a_column_per_producer() -> None:
    rows = [
        Result(
            "a",
            _truth("table_ruled", "reportlab"),
            1.0,
            1,
            tp=1,
            decision_ok=True,
            signature_ok=True,
        ),
        Result("b", _truth("table_ruled", "fpdf2"), 1.0, 1, tp=1, false_approvals=["excluded"]),
        Result("c", _truth("sig_gez", "reportlab"), 1.0, 1, fn=1),
    ]
    out = table(rows).splitlines()
    assert out[0].split()[:3] == ["family", "reportlab", "fpdf2"]
    assert out[2].startswith("sig_gez") and out[3].startswith("table_ruled")
    assert out[3].rstrip().endswith("!")  # the false approval is flagged
    assert "text: recall 0.667" in summary("generated", rows)


def test_a_generated_letter_through_the_real_reader(tmp_path: Path) -> None:
    doc = make_doc("sentence_gekuendigt", 11)
    rendered = PRODUCERS["reportlab"](doc)
    (tmp_path / "letter.pdf").write_bytes(rendered.data)
    truth = truth_of(doc, producer="reportlab", pages=rendered.pages, scanned=False, signed=True)
    [result] = score_letters(tmp_path, {"letter": truth}, workers=1)
    assert result.error is None
    assert result.tp + result.fn == len(truth["transfer"])
    assert result.seconds > 0 and result.pages == rendered.pages
