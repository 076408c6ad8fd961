"""The service as production runs it, pointed at the stand-in: real ZendeskHelpdesk, real
store and queue, the relocation process; only the PDF reader is replaced (the documents
are fixtures, their parse result is known)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey

from config.settings import Settings, load_settings
from handlers.ports import Event
from handlers.relocation import router as relocation
from handlers.router import ProcessRouter
from integration.queue import Queue
from integration.runtime import Runtime, build_runtime
from integration.store import Store, make_engine
from integration.store.migrate import upgrade
from integration.tasks.deliveries import record_event
from integration.zendesk import ZendeskHelpdesk
from parsers.model import (
    FoundNumber,
    NumberRange,
    ParsedDocument,
    Role,
    SignatureFinding,
    Source,
)
from tests.faults.standin import EMAIL, TOKEN, loopback_session

TICKET = 4711
A = "+49301234567"  # requested and handed over by the letter
B = "+49307654321"  # requested, not named: rejected (the public reply says so)
REQUESTED = "Bitte umziehen: 030 1234567, 030 7654321"
PDF = b"%PDF-1.7\n% a handover letter\n%%EOF\n"
NOTE_REF = "partnerdesk-ref: relocation_note-"
REPLY_REF = "partnerdesk-ref: relocation_reply-"

LETTER = ParsedDocument(
    file="Freigabe.pdf",
    pages=1,
    numbers=(FoundNumber(NumberRange.single(A), Role.TRANSFER, 1, Source.TEXT, A),),
    signature=SignatureFinding(
        present=True, kind="ink", signatory="Erika Muster", role="Geschäftsführerin"
    ),
)


def read_letter(data: bytes, _name: str) -> ParsedDocument:
    assert data == PDF, "only the stand-in's letter is read"
    return LETTER


def fault_settings(data_dir: Path, *, database_url: str = "", redis_url: str = "") -> Settings:
    """Small leases and timeouts, so every scenario runs in seconds."""
    return load_settings(
        env={},
        overrides={
            "general": {
                "data_dir": str(data_dir),
                "database_url": database_url,
                "redis_url": redis_url,
            },
            "zendesk": {
                "subdomain": "acme",
                "email": EMAIL,
                "token": TOKEN,
                "webhook_secret": "w" * 40,
                "timeout_seconds": 0.5,
            },
            "limits": {"download_allow_loopback": True, "download_timeout_seconds": 2.0},
            "queue": {
                "lease_seconds": 1,
                "heartbeat_seconds": 0.2,
                "backoff_base_seconds": 0.1,
                "backoff_max_seconds": 0.2,
            },
        },
    )


def helpdesk_factory(settings: Settings, base: str) -> Any:
    def factory() -> ZendeskHelpdesk:
        return ZendeskHelpdesk(
            settings,
            session=loopback_session(base),
            download_session=loopback_session(base),
            resolver=lambda _host: ["127.0.0.1"],
        )

    return factory


def build(settings: Settings, base: str, *, store: Store | None = None) -> Runtime:
    store = store or Store(
        make_engine(settings.general.effective_database_url()),
        blob_root=settings.general.data_dir / "documents",
    )
    upgrade(store.engine)
    return build_runtime(
        settings,
        store=store,
        helpdesk_factory=helpdesk_factory(settings, base),
        read_document=read_letter,
        router=ProcessRouter(relocation.process),
    )


def build_huey(settings: Settings, name: str) -> Huey:
    if settings.general.redis_url:
        return RedisHuey(name, url=settings.general.redis_url, blocking=False)
    return SqliteHuey(name, filename=str(settings.general.data_dir / "queue.db"))


def store_delivery(runtime: Runtime, invocation: str = "inv-1") -> int:
    delivery_id, _created = record_event(
        runtime, Event(kind="trigger", ticket_id=TICKET), invocation_id=invocation
    )
    return delivery_id


def worker_main() -> None:
    """A worker process: runs one delivery, as ``partnerdesk worker`` would (env-configured)."""
    from integration.tasks.deliveries import process_delivery

    settings = fault_settings(
        Path(os.environ["FAULT_DATA_DIR"]),
        database_url=os.environ.get("FAULT_DATABASE_URL", ""),
        redis_url=os.environ.get("FAULT_REDIS_URL", ""),
    )
    runtime = build(settings, os.environ["FAULT_BASE"])
    queue = Queue(build_huey(settings, os.environ["FAULT_QUEUE"]), runtime)
    process_delivery(queue, int(os.environ["FAULT_DELIVERY"]))


if __name__ == "__main__":
    worker_main()
