"""``partnerdesk check``: the table, the JSON schema of issue 2, and the exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from integration.cli import main
from tests.parsers.pdfs import encrypted

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
LETTER = str(EXAMPLES / "bestaetigung_signiert.pdf")
MANIFEST = json.loads((EXAMPLES / "manifest.json").read_text())


def _truth(role: str) -> list[dict[str, str]]:
    letter = next(e for e in MANIFEST["letters"] if e["file"] == "bestaetigung_signiert.pdf")
    return [n for n in letter["expect"]["numbers"] if n["role"] == role]


def _as_request(numbers: list[dict[str, str]]) -> str:
    return ",".join(
        n["first"] if n["first"] == n["last"] else f"{n['first']} bis {n['last']}" for n in numbers
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--log-format", "json", "check", "--quiet", *args])
    out, err = capsys.readouterr()
    return code, out, err


class TestCheck:
    def test_json_schema_and_partial_decision(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The demo request: exit 1, approved/rejected/unrequested per the schema."""
        code, out, _ = run(capsys, LETTER, "--requested", f"@{EXAMPLES / 'request.txt'}", "--json")
        assert code == 1
        data = json.loads(out)
        (doc,) = data["documents"]
        assert (
            doc["file"] == LETTER
            and doc["pages"] == 1
            and doc["ocr_pages"] == []
            and doc["error"] is None
        )
        for n in doc["numbers"]:
            assert {"first", "last", "count", "role", "page", "source", "text"} <= set(n)
            assert n["source"] == "text"
        assert doc["signature"]["present"] is True and doc["signature"]["signatory"]
        assert {"present", "kind", "signatory", "role", "digital"} <= set(doc["signature"])
        decision = data["decision"]
        approved = {(a["first"], a["last"]) for a in decision["approved"]}
        assert approved == {(n["first"], n["last"]) for n in _truth("transfer")}
        reasons = sorted(r["reason"] for r in decision["rejected"])
        assert reasons == ["excluded", "not_named"]
        assert decision["needs_review"] is False and decision["review_reasons"] == []
        assert decision["unrequested"] == []

    def test_all_approved_exits_zero(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, LETTER, "--requested", _as_request(_truth("transfer")))
        assert code == 0
        assert "decision: APPROVED" in out

    def test_table_output_names_roles_and_reasons(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, LETTER, "--requested", "030 98765432")
        assert code == 1
        assert "signature: ink" in out and "transfer" in out and "contact" in out
        assert "rejected     030 98765432" in out and "not_named" in out
        assert "not requested" in out  # handed over, but nobody asked

    def test_invalid_requested_item_is_rejected(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = run(capsys, LETTER, "--requested", "030 123", "--json")
        assert code == 1
        (rej,) = json.loads(out)["decision"]["rejected"]
        assert rej["reason"] == "invalid" and rej["text"] == "030 123"

    def test_missing_file_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        code, out, err = run(capsys, str(tmp_path / "nope.pdf"))
        assert code == 2 and out == ""
        assert "does not exist" in err and len(err.strip().splitlines()) == 1

    def test_missing_request_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        code, _, err = run(capsys, LETTER, "--requested", f"@{tmp_path / 'none.txt'}")
        assert code == 2 and "cannot read the request file" in err

    def test_unreadable_pdf_exits_two_with_one_sentence(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        bad = tmp_path / "locked.pdf"
        bad.write_bytes(encrypted())
        code, out, err = run(capsys, str(bad), "--json")
        assert code == 2
        assert json.loads(out)["documents"][0]["error"]["code"] == "encrypted"
        assert err.strip().splitlines()[-1].startswith("partnerdesk: cannot read")
        assert "Traceback" not in err

    def test_no_file_argument_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["check"]) == 2
        assert "required" in capsys.readouterr().err
