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

from pathlib import Path

import pytest

from config.settings import Settings, load_settings
from tests.redteam.safety import check_letter, check_truth, load_truth, split

LETTERS = Path(__file__).parent / "letters"
TRUTH = load_truth(LETTERS)

# Letters on which the reader still approves or marks transfer a number outside
# ``transfer`` (see tests/redteam2/README.md, "False approvals"). They stay in truth.json
# for the scorer; the safety test covers the others, and a letter leaves this set when
# the reader is fixed.
FALSE_APPROVALS: frozenset[str] = frozenset()

TEXT, SCANS = split(TRUTH, FALSE_APPROVALS)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={}, overrides={"limits": {"parse_timeout_seconds": 120.0}})


def test_truth_is_consistent() -> None:
    check_truth(LETTERS, TRUTH, FALSE_APPROVALS)


@pytest.mark.parametrize("name", TEXT)
def test_text_letter_never_approves_a_kept_back_number(name: str, settings: Settings) -> None:
    check_letter(LETTERS, TRUTH, name, settings)


@pytest.mark.ocr
@pytest.mark.parametrize("name", SCANS)
def test_scanned_letter_never_approves_a_kept_back_number(name: str, settings: Settings) -> None:
    check_letter(LETTERS, TRUTH, name, settings)
