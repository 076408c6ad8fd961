"""Persistence of partnerdesk: SQLAlchemy models, Alembic migrations and the ``Store`` façade."""

from __future__ import annotations

from integration.store.base import Base
from integration.store.engine import engine_for_settings, make_engine
from integration.store.migrate import upgrade
from integration.store.store import (
    ACTIVE_STATES,
    CaseRecord,
    DeliveryRecord,
    DocumentRecord,
    Store,
    WriteRecord,
)

__all__ = [
    "ACTIVE_STATES",
    "Base",
    "CaseRecord",
    "DeliveryRecord",
    "DocumentRecord",
    "Store",
    "WriteRecord",
    "engine_for_settings",
    "make_engine",
    "upgrade",
]
