"""The base of the feature repositories that share the Store's database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Repo"]


class Repo:
    """Sessions on the database behind an ``integration.store.Store`` (or a bare engine)."""

    def __init__(self, store: Any) -> None:
        self.engine = store.engine if hasattr(store, "engine") else store
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """One transaction: committed on success, rolled back on error."""
        with self._sessions.begin() as session:
            yield session
