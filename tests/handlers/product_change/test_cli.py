"""Tests for ``partnerdesk product-change`` (integration.commands.product_change)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import structlog

from integration.cli import main

BASE = [
    "product-change",
    "--status",
    "active",
    "--start",
    "2025-03-31",
    "--term",
    "24",
    "--group",
    "SDSL",
    "--target",
    "VDSL",
    "--customer-admin",
    "yes",
]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("PARTNERDESK_CONFIG", raising=False)
    yield
    # main() points structlog at the captured stderr, which pytest closes afterwards.
    structlog.reset_defaults()


def run(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main([*BASE, *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


class TestProductChangeCommand:
    """Text and JSON output, exit codes 0/1/2."""

    def test_within_term_text(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Within the term: exit 0, approval_required, the German note with the fee."""
        code, out, _ = run(capsys, "--today", "2026-01-10")
        assert code == 0
        assert out.startswith("outcome: approval_required")
        assert "Produktwechselpauschale laut Preisliste" in out  # no amount is invented
        assert "99" not in out.split("Gründe:")[1].split("Checkliste")[0]
        assert "[x] 6. Zielproduktgruppe auswählen" in out

    def test_after_term_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints the verdict and checklist; the day after the term it is possible."""
        code, out, _ = run(capsys, "--today", "2027-03-31", "--json")
        data = json.loads(out)
        assert code == 0
        assert data["verdict"]["outcome"] == "possible"
        assert data["verdict"]["term_end"] == "2027-03-30"
        assert data["verdict"]["fee"] is None
        assert len(data["checklist"]) == 15

    @pytest.mark.parametrize(
        ("extra", "outcome"),
        [
            (["--open-cart"], "blocked"),
            (["--open-order"], "blocked"),
            (["--term-end", "2027-03-31"], "needs_info"),
            (["--target", "FTTB"], "needs_info"),
        ],
    )
    def test_exit_1_when_not_orderable(
        self, capsys: pytest.CaptureFixture[str], extra: list[str], outcome: str
    ) -> None:
        """Blocked and needs_info exit 1."""
        code, out, _ = run(capsys, "--today", "2026-01-10", "--json", *extra)
        assert code == 1
        assert json.loads(out)["verdict"]["outcome"] == outcome

    def test_leased_line_move(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A leased-line move before 12 months is blocked with the earliest date."""
        code = main(
            [
                "product-change",
                "--status",
                "active",
                "--start",
                "2025-03-31",
                "--term",
                "24",
                "--group",
                "Standleitung",
                "--target",
                "Leased Line",
                "--leased-line-move",
                "--today",
                "2026-03-30",
                "--json",
            ]
        )
        data = json.loads(capsys.readouterr().out)
        assert code == 1
        assert data["verdict"]["earliest_leased_line_move"] == "2026-03-31"

    def test_power_of_attorney(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--power-of-attorney marks the offer step as not needed."""
        code, out, _ = run(capsys, "--today", "2026-01-10", "--json", "--power-of-attorney")
        steps = {s["number"]: s["state"] for s in json.loads(out)["checklist"]}
        assert code == 0 and steps[10] == "not_needed"

    def test_missing_status_needs_info(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --status the verdict names the missing status."""
        code = main(
            [
                "product-change",
                "--start",
                "2025-03-31",
                "--term",
                "24",
                "--group",
                "SDSL",
                "--target",
                "VDSL",
                "--today",
                "2026-01-10",
            ]
        )
        out = capsys.readouterr().out
        assert code == 1
        assert "Es fehlt: Vertragsstatus" in out

    @pytest.mark.parametrize(
        "extra",
        [
            ["--start", "2025-02-30"],
            ["--term", "zwei"],
            ["--status", "paused"],
            ["--today", "tomorrow"],
        ],
    )
    def test_usage_errors_exit_2(
        self, capsys: pytest.CaptureFixture[str], extra: list[str]
    ) -> None:
        """Malformed dates, numbers and unknown statuses are usage errors (one sentence, exit 2)."""
        code, out, err = run(capsys, *extra)
        assert code == 2
        assert out == ""
        assert err.startswith("partnerdesk: ") and err.count("\n") == 1
