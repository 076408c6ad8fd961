"""The session every repository of the Store shares (one engine, one sessionmaker)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

__all__ = ["SessionOwner"]


class SessionOwner:
    """Gives a repository mix-in :meth:`session`; the Store sets ``_sessions``."""

    _sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back on error."""
        with self._sessions.begin() as session:
            yield session
