"""Every reason the reply reader gives an agent has a German text in the handover note."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.scheduling.router import _REASONS
from tests.handlers.scheduling.test_replies_corpus import FILES, load_cases, score


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_reason_in_the_reply_corpus_has_a_german_text(path: Path) -> None:
    reasons = {s.result.reason for s in map(score, load_cases(path)) if s.result.reason}
    missing = sorted(reasons - set(_REASONS))
    assert not missing, f"reasons without a German note text in router._REASONS: {missing}"
