"""A seeded relocation case and a real app for the sidebar tests (API and browser).

The letter is a real PDF drawn with reportlab; the numbers' boxes are taken from
pdfplumber's word positions in that PDF (the reader's coordinate space), so a box that
lands beside its number in the rendered page is a real misalignment, not a test artefact.
The parsed document is built by hand to keep these tests independent of the reader.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
import pdfplumber
from fastapi import FastAPI
from huey import MemoryHuey
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from config.settings import Settings, load_settings
from handlers.ports import AttachmentRef, CommentView, Event, NewTicket, TicketView
from handlers.relocation.decision import decide
from integration.store import Store, upgrade
from integration.tasks.deliveries import process_delivery, record_event
from integration.web.app import create_app
from parsers.model import (
    FoundNumber,
    NumberRange,
    ParsedDocument,
    Role,
    SignatureFinding,
    Source,
)
from parsers.serialize import parsed_document_from_dict
from tests.integration.fakes import FakeHelpdesk

SECRET = "sidebar-test-secret-4f1c2a9b-7d3e5f60a1b2"
TICKET = 4711
AGENT = 90210
ATTACHMENT = 501

# (text as printed, E.164, role) — one line each, so each box is one word run
LINES: tuple[tuple[str, str, Role], ...] = (
    ("Tel. 030 2223334", "+49302223334", Role.CONTACT),
    ("030 1234567", "+49301234567", Role.TRANSFER),
    ("030 1234568", "+49301234568", Role.TRANSFER),
    ("Ausgenommen ist die Rufnummer 030 1234569.", "+49301234569", Role.EXCLUDED),
    ("Der Kunde nutzt ausserdem 030 7654321.", "+49307654321", Role.UNCLEAR),
)
REQUESTED = "030 1234567, 030 1234569, 030 9999999, 030 7654321"
REQUESTED_RANGES = tuple(
    NumberRange.single(n) for n in ("+49301234567", "+49301234569", "+49309999999", "+49307654321")
)


def letter_pdf() -> bytes:
    """A one-page letter with the LINES at fixed places."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    _width, height = A4
    c.setFont("Helvetica-Bold", 14)
    c.drawString(60, height - 60, "Alpha Telecom GmbH")
    c.setFont("Helvetica", 10)
    c.drawString(60, height - 76, LINES[0][0])
    c.setFont("Helvetica", 11)
    c.drawString(60, height - 200, "Bestaetigung der Rufnummernuebergabe")
    c.drawString(60, height - 230, "Hiermit uebergeben wir die folgenden Rufnummern:")
    y = height - 255
    for text, _e164, _role in LINES[1:3]:
        c.drawString(80, y, text)
        y -= 18
    c.drawString(60, y - 12, LINES[3][0])
    c.drawString(60, y - 30, LINES[4][0])
    c.drawString(60, y - 80, "Mit freundlichen Gruessen")
    c.setLineWidth(1.2)
    c.bezier(60, y - 120, 90, y - 90, 120, y - 140, 180, y - 110)
    c.drawString(60, y - 140, "Dr. Katrin Albers, Geschaeftsfuehrerin")
    c.showPage()
    c.save()
    return buf.getvalue()


def number_boxes(pdf: bytes) -> dict[str, tuple[float, float, float, float]]:
    """E.164 -> (x0, top, x1, bottom) of its digits on page 1, found by pdfplumber."""
    out: dict[str, tuple[float, float, float, float]] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        for _text, e164, _role in LINES:
            national = "030 " + e164[5:]
            hits = page.search(national, regex=False)
            assert hits, f"{national} not found in the letter"
            h = hits[0]
            out[e164] = (h["x0"], h["top"], h["x1"], h["bottom"])
        page.close()
    return out


def parsed_letter(pdf: bytes, sha256: str) -> ParsedDocument:
    boxes = number_boxes(pdf)
    numbers = tuple(
        FoundNumber(
            range=NumberRange.single(e164),
            role=role,
            page=1,
            source=Source.TEXT,
            text="030 " + e164[5:],  # the number's own characters, as the reader keeps them
            bbox=boxes[e164],
            why="test",
        )
        for _text, e164, role in LINES
    )
    return ParsedDocument(
        file="bestaetigung.pdf",
        pages=1,
        numbers=numbers,
        signature=SignatureFinding(
            present=True,
            kind="ink",
            signatory="Dr. Katrin Albers",
            role="Geschäftsführerin",
            page=1,
        ),
        sha256=sha256,
        page_sizes=(A4,),
    )


@dataclass
class AppHelpdesk(FakeHelpdesk):
    """The shared fake, plus new tickets (the scheduler opens one for the source partner)."""

    created: list[NewTicket] = field(default_factory=list)

    def create_ticket(self, ticket: NewTicket) -> int:
        self.created.append(ticket)
        ticket_id = 9000 + len(self.created)
        self.tickets[ticket_id] = TicketView(
            id=ticket_id, subject=ticket.subject, description=ticket.comment, status="new"
        )
        self.comments[ticket_id] = [
            CommentView(id=ticket_id * 10, body=ticket.comment, public=ticket.public, author_id=1)
        ]
        return ticket_id


@dataclass
class AppCase:
    """The app, its fake Zendesk and store, and the seeded case."""

    app: FastAPI
    settings: Settings
    store: Store
    helpdesk: AppHelpdesk
    pdf: bytes
    sha256: str
    document: ParsedDocument
    now: list[datetime] = field(default_factory=lambda: [datetime.now(UTC)])

    def token(
        self, *, ticket_id: int = TICKET, exp_in: float = 3600, secret: str = SECRET, **extra: Any
    ) -> str:
        expires = int(self.now[0].timestamp() + exp_in)
        claims = {
            "ticket_id": ticket_id,
            "agent_id": AGENT,
            "exp": expires,
            "iat": expires - int(min(3600, max(60, exp_in + 60))),  # lifetime at most 1 h
        }
        claims.update(extra)
        return jwt.encode(claims, secret, algorithm="HS256")

    def auth(self, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**kwargs)}"}


def build(
    tmp_path: Path,
    *,
    secret: str = SECRET,
    extra: dict[str, Any] | None = None,
    ticket_fields: dict[int, Any] | None = None,
) -> AppCase:
    """A real app on SQLite in ``tmp_path`` with one decided relocation case on TICKET."""
    settings = _settings(tmp_path, secret, extra)
    store = Store.from_settings(settings)
    upgrade(store.engine)
    now = [datetime.now(UTC)]
    helpdesk = AppHelpdesk()
    helpdesk.tickets[TICKET] = TicketView(
        id=TICKET,
        subject="Umzugsauftrag",
        description=REQUESTED,
        status="open",
        tags=("umzugsauftrag",),
        custom_fields=dict(ticket_fields or {}),
    )
    helpdesk.comments[TICKET] = [
        CommentView(
            id=1,
            body="Anbei die Bestätigung.",
            public=True,
            author_id=7,
            attachments=(
                AttachmentRef(
                    ATTACHMENT, "bestaetigung.pdf", "application/pdf", "https://x.invalid/a", 1, 1
                ),
            ),
        )
    ]
    pdf = letter_pdf()
    sha = store.put_pdf(pdf)
    document = parsed_letter(pdf, sha)
    case = store.upsert_case(
        TICKET,
        "relocation",
        requested=[r.as_dict() for r in REQUESTED_RANGES],
        invalid=[],
        now=now[0],
    )
    store.add_document(
        case_id=case.id,
        ticket_id=TICKET,
        attachment_id=ATTACHMENT,
        file_name=document.file,
        sha256=sha,
        parsed=document.as_dict(),
        error_code=None,
        now=now[0],
    )
    decision = decide(REQUESTED_RANGES, [document])
    store.save_decision(
        case.id, decision=decision.as_dict(), fingerprint="seed", state=decision.outcome, now=now[0]
    )

    def read_document(_data: bytes, _name: str) -> ParsedDocument:
        raise AssertionError("the seeded case has no unread attachment")

    app = _app(settings, store, helpdesk, read_document, now)
    return AppCase(app, settings, store, helpdesk, pdf, sha, document, now)


def _settings(tmp_path: Path, secret: str, extra: dict[str, Any] | None) -> Settings:
    overrides: dict[str, Any] = {
        "general": {"data_dir": str(tmp_path)},
        "app": {"shared_secret": secret},
    }
    for key, value in (extra or {}).items():
        if isinstance(value, dict):
            overrides.setdefault(key, {}).update(value)
        else:
            overrides[key] = value
    return load_settings(env={}, overrides=overrides)


def _app(
    settings: Settings,
    store: Store,
    helpdesk: AppHelpdesk,
    read_document: Callable[[bytes, str], ParsedDocument],
    now: list[datetime],
) -> FastAPI:
    return create_app(
        settings,
        helpdesk_factory=lambda: helpdesk,
        clock=lambda: now[0],
        # follow-up events stay queued: these tests look at one handler run at a time
        huey=MemoryHuey(f"sidebar-{time.monotonic_ns()}", immediate=False),
        store=store,
        read_document=read_document,
    )


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def build_demo(tmp_path: Path) -> AppCase:
    """The demo case read by the real reader and decided by the real handler.

    Uses the committed example letter and request (examples/) when they exist, else this
    module's letter; either way nothing is seeded by hand but the ticket itself.
    """
    settings = _settings(tmp_path, SECRET, None)
    store = Store.from_settings(settings)
    upgrade(store.engine)
    example = EXAMPLES / "bestaetigung_signiert.pdf"
    if example.exists() and (EXAMPLES / "request.txt").exists():
        pdf = example.read_bytes()
        requested = (EXAMPLES / "request.txt").read_text(encoding="utf-8")
        name = example.name
    else:
        pdf, requested, name = letter_pdf(), REQUESTED, "bestaetigung.pdf"
    helpdesk = AppHelpdesk()
    helpdesk.tickets[TICKET] = TicketView(
        id=TICKET,
        subject="Umzugsauftrag",
        description=requested,
        status="open",
        tags=("umzugsauftrag",),
    )
    url = "https://example.zendesk.invalid/attachments/1"
    helpdesk.files[url] = pdf
    helpdesk.comments[TICKET] = [
        CommentView(
            id=1,
            body="Anbei die Bestätigung.",
            public=True,
            author_id=7,
            attachments=(AttachmentRef(ATTACHMENT, name, "application/pdf", url, len(pdf), 1),),
        )
    ]
    from parsers.document import read_document

    def reader(data: bytes, file_name: str) -> ParsedDocument:
        return read_document(data, filename=file_name, settings=settings)

    now = [datetime.now(UTC)]
    app = _app(settings, store, helpdesk, reader, now)
    # the same path a webhook takes: a stored delivery run through the routers
    delivery_id, _ = record_event(
        app.state.runtime, Event(kind="manual", ticket_id=TICKET), invocation_id="demo"
    )
    outcome = process_delivery(app.state.queue, delivery_id)
    assert outcome.state == "done", outcome
    case = store.get_case(TICKET, "relocation")
    assert case is not None
    [row] = store.documents(case.id)
    document = parsed_document_from_dict(row.parsed or {})
    return AppCase(app, settings, store, helpdesk, pdf, row.sha256 or "", document, now)
