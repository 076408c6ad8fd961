"""Database engines: SQLite (WAL) under the data directory by default, PostgreSQL by URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

from config.settings import Settings

__all__ = ["engine_for_settings", "make_engine"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web process write deliveries while the worker reads; busy_timeout
    # waits for a writer instead of failing; SQLite leaves foreign keys off unless asked.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str, *, connect_args: dict[str, Any] | None = None) -> Engine:
    """An engine for ``url`` with the settings partnerdesk relies on."""
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 5, **(connect_args or {})},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args or {})


def engine_for_settings(settings: Settings) -> Engine:
    """The engine named by ``general.database_url``, else SQLite in ``general.data_dir``."""
    return make_engine(settings.general.effective_database_url())
