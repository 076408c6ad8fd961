"""The ``Store``: one typed façade over the integration tables and the PDF blobs.

It is composed of one repository per concept, each in its own module:
``deliveries`` (webhook deliveries, leases), ``cases`` (cases, documents, overrides),
``writes`` (ticket-write records) and ``blobs`` (the PDFs). Handlers receive a Store
through ``Context.store`` and see only frozen records, never ORM objects, so nothing
lazy-loads outside a session. Other processes add their own tables in their own modules
and use :meth:`Store.session` for them.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from config.settings import Settings
from integration.store.blobs import BlobStore
from integration.store.cases import CaseStore
from integration.store.deliveries import DeliveryStore
from integration.store.engine import engine_for_settings
from integration.store.records import (
    ACTIVE_STATES,
    CaseRecord,
    DeliveryRecord,
    DocumentRecord,
    WriteRecord,
)
from integration.store.writes import WriteStore

__all__ = [
    "ACTIVE_STATES",
    "CaseRecord",
    "DeliveryRecord",
    "DocumentRecord",
    "Store",
    "WriteRecord",
]


class Store(DeliveryStore, CaseStore, WriteStore):
    """Deliveries, cases, documents, ticket writes and PDF blobs of one installation."""

    def __init__(self, engine: Engine, *, blob_root: Path) -> None:
        self.engine = engine
        self.blobs = BlobStore(blob_root)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls(engine_for_settings(settings), blob_root=settings.general.data_dir / "documents")

    def ping(self) -> None:
        """Raise when the database cannot be reached."""
        with self.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def put_pdf(self, data: bytes) -> str:
        """Keep the document's bytes; returns their SHA-256."""
        return self.blobs.put(data)

    def read_pdf(self, sha256: str) -> bytes:
        return self.blobs.get(sha256)
