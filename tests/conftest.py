"""Suite-wide fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import structlog


@pytest.fixture(autouse=True)
def _reset_structlog() -> Iterator[None]:
    """CLI tests configure structlog on pytest's captured stderr, which closes after the
    test; reset so the next test does not log into a closed stream."""
    yield
    structlog.reset_defaults()
    structlog.contextvars.clear_contextvars()
