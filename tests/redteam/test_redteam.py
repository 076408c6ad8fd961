"""Red-team letters (tests/redteam/letters, made by make_letters.py): the safety property.

The letters are written independently of the project's generator and of the
development corpus (HTML/CSS printed by headless Chromium, a few scanned). For
each letter partner B requests the handed-over numbers plus the kept-back,
unclear and one contact number (and, where the letter prints one, a reference
number that looks like a phone number). Asserted: nothing outside the truth's
``transfer`` is ever approved or marked transfer. Recall is printed, not asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import Settings, load_settings
from tests.redteam.safety import check_letter, check_truth, load_truth, split

LETTERS = Path(__file__).parent / "letters"
TRUTH = load_truth(LETTERS)

# Letters on which the reader approved a number outside ``transfer`` when this set was
# written (open findings of issue 9, see tests/redteam/README.md). They stay in the set and in
# truth.json for the scorer; the safety test covers the others until the reader is fixed,
# then a letter moves out of this set.
FALSE_APPROVALS: frozenset[str] = frozenset()

TEXT, SCANS = split(TRUTH, FALSE_APPROVALS)


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={}, overrides={"limits": {"parse_timeout_seconds": 60.0}})


def test_truth_is_consistent() -> None:
    check_truth(LETTERS, TRUTH, FALSE_APPROVALS)


@pytest.mark.parametrize("name", TEXT)
def test_text_letter_never_approves_a_kept_back_number(name: str, settings: Settings) -> None:
    check_letter(LETTERS, TRUTH, name, settings)


@pytest.mark.ocr
@pytest.mark.parametrize("name", SCANS)
def test_scanned_letter_never_approves_a_kept_back_number(name: str, settings: Settings) -> None:
    check_letter(LETTERS, TRUTH, name, settings)
