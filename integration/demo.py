"""``make demo``: the main job on the embedded default, start to finish, in one terminal.

1. ``partnerdesk check`` on the bundled example letters with the demo request.
2. The same case through the real service: a signed webhook into the FastAPI app,
   stored in SQLite, queued in the SQLite-backed huey queue, read, decided and written
   back — to a local stand-in for Zendesk that prints every ticket write instead of
   sending it. The cutover proposals to both partners follow from the approval.
3. One product-change verdict with its checklist.

Everything lives under ``.partnerdesk/demo`` and is recreated on every run.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
import warnings
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from config.settings import Settings, load_settings
from handlers.ports import (
    AttachmentRef,
    CommentView,
    NewTicket,
    TicketUpdate,
    TicketView,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = ROOT / ".partnerdesk" / "demo"
TICKET = 4711
SOURCE_FIELD = 360_002
STATUS_FIELD = 360_001
CUTOVER_FIELD = 360_003
DEMO_SECRET = "demo-webhook-secret"  # noqa: S105 - demo only; the real one comes from the environment


def _title(text: str) -> None:
    print(f"\n{'=' * 78}\n{text}\n{'=' * 78}", flush=True)


def _box(label: str, body: str) -> None:
    print(f"\n--- {label} ---")
    print(textwrap.indent(body.rstrip(), "  "))


@dataclass
class LocalZendesk:
    """A stand-in for Zendesk on this machine: serves one ticket, prints every write."""

    tickets: dict[int, TicketView]
    comments: dict[int, list[CommentView]]
    files: dict[str, bytes]
    next_id: int = 4800
    writes: list[TicketUpdate] = field(default_factory=list)
    external_ids: dict[int, str | None] = field(default_factory=dict)

    def get_ticket(self, ticket_id: int) -> TicketView:
        return self.tickets[ticket_id]

    def list_comments(self, ticket_id: int) -> list[CommentView]:
        return list(self.comments.get(ticket_id, []))

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes:
        return self.files[attachment.content_url][:max_bytes]

    def update_ticket(self, update: TicketUpdate) -> None:
        self.writes.append(update)
        kind = "public reply" if update.public else "internal note"
        extras = []
        if update.add_tags:
            extras.append(f"tags +{', +'.join(update.add_tags)}")
        if update.remove_tags:
            extras.append(f"tags -{', -'.join(update.remove_tags)}")
        if update.custom_fields:
            extras.append(f"fields {update.custom_fields}")
        for up in update.uploads:
            extras.append(f"attachment {up.file_name}")
        head = f"ticket #{update.ticket_id}: {kind}" + (f" ({'; '.join(extras)})" if extras else "")
        _box(head, update.comment or "(no comment)")
        self.comments.setdefault(update.ticket_id, []).append(
            CommentView(
                id=90_000 + len(self.writes),
                body=update.comment or "",
                public=update.public,
                author_id=1,
            )
        )

    def create_ticket(self, ticket: NewTicket) -> int:
        self.next_id += 1
        self.tickets[self.next_id] = TicketView(
            id=self.next_id,
            subject=ticket.subject,
            description=ticket.comment,
            status="open",
            tags=ticket.tags,
        )
        self.external_ids[self.next_id] = ticket.external_id
        _box(
            f"new ticket #{self.next_id} for {ticket.requester_email}: {ticket.subject}",
            ticket.comment,
        )
        return self.next_id

    def find_ticket_by_external_id(self, external_id: str) -> int | None:
        found = [i for i, ext in self.external_ids.items() if ext == external_id]
        return min(found) if found else None

    def write_landed(self, ticket_id: int, reference: str) -> bool:
        return any(w.ticket_id == ticket_id and w.reference == reference for w in self.writes)


def _settings() -> Settings:
    return load_settings(
        env={},
        overrides={
            "general": {"data_dir": str(DATA), "log_format": "console", "log_level": "WARNING"},
            "zendesk": {"subdomain": "demo", "webhook_secret": DEMO_SECRET},
            "relocation": {
                "source_partner_field_id": SOURCE_FIELD,
                "status_field_id": STATUS_FIELD,
            },
            "scheduling": {
                "link_secret": "demo-link-secret-only-for-make-demo-0123456789",
                "cutover_field_id": CUTOVER_FIELD,
            },
            "partners": [
                {
                    "id": "alpha-tel",
                    "name": "Alpha Tel GmbH",
                    "contact_email": "noc@alpha-tel.example",
                    "contact_name": "Dr. Katrin Albers",
                },
                {
                    "id": "beta-net",
                    "name": "Beta Net AG",
                    "contact_email": "orders@beta-net.example",
                },
            ],
        },
    )


def _check_examples() -> None:
    from integration.cli import main as cli

    _title("1. partnerdesk check — the example letters and the demo request")
    letters = sorted(str(p.relative_to(ROOT)) for p in EXAMPLES.glob("*.pdf"))
    request = f"@{(EXAMPLES / 'request.txt').relative_to(ROOT)}"
    print(f"$ partnerdesk check {' '.join(letters)} --requested {request}\n", flush=True)
    os.environ["PARTNERDESK_GENERAL__LOG_LEVEL"] = "WARNING"  # the demo shows results, not logs
    code = cli(["--log-format", "console", "check", *letters, "--requested", request])
    print(f"(exit code {code}: 0 = all approved, 1 = something rejected or to review)")


def _pipeline(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from integration.store.migrate import upgrade
    from integration.web.app import create_app
    from integration.web.signature import sign

    _title("2. The service — signed webhook → SQLite inbox → SQLite queue → ticket")
    letter = EXAMPLES / "bestaetigung_signiert.pdf"
    url = "https://demo.zendesk.example/attachments/letter.pdf"
    attachment = AttachmentRef(
        id=1,
        file_name=letter.name,
        content_type="application/pdf",
        content_url=url,
        size=letter.stat().st_size,
        comment_id=1,
    )
    request_text = (EXAMPLES / "request.txt").read_text(encoding="utf-8")
    zendesk = LocalZendesk(
        tickets={
            TICKET: TicketView(
                id=TICKET,
                subject="Umzugsauftrag Rufnummern",
                status="new",
                description=f"Bitte folgende Rufnummern umziehen:\n{request_text}",
                tags=("umzugsauftrag",),
                custom_fields={SOURCE_FIELD: "alpha-tel"},
                requester_id=77,
            )
        },
        comments={
            TICKET: [
                CommentView(
                    id=1,
                    body="Bestätigung anbei.",
                    public=True,
                    author_id=77,
                    attachments=(attachment,),
                )
            ]
        },
        files={url: letter.read_bytes()},
    )
    app = create_app(settings, helpdesk_factory=lambda: zendesk)
    upgrade(app.state.store.engine)  # what `partnerdesk serve` does at start
    huey = app.state.queue.huey
    body = json.dumps({"ticket_id": str(TICKET), "event": "ticket.created"}).encode()
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = {
        "content-type": "application/json",
        "x-zendesk-webhook-id": "demo",
        "x-zendesk-webhook-invocation-id": "demo-1",
        "x-zendesk-webhook-signature-timestamp": when,
        "x-zendesk-webhook-signature": sign(DEMO_SECRET, when, body),
    }
    with TestClient(app) as client:
        resp = client.post("/webhooks/zendesk", content=body, headers=headers)
        print(f"POST /webhooks/zendesk (signed) → {resp.status_code} {resp.json()}")
        again = client.post("/webhooks/zendesk", content=body, headers=headers)
        print(f"the same delivery again      → {again.status_code} {again.json()}")
        forged = client.post(
            "/webhooks/zendesk",
            content=body,
            headers={**headers, "x-zendesk-webhook-signature": "AAAA"},
        )
        print(f"a forged signature           → {forged.status_code}")
        print("worker: processing the queue …", flush=True)
        ran = 0
        while (task := huey.dequeue()) is not None and ran < 20:
            huey.execute(task)
            ran += 1
    print(f"\n{len(zendesk.writes)} ticket write(s); state in {DATA.relative_to(ROOT)}/")


def _product_change(settings: Settings) -> None:
    from handlers.product_change import build_checklist, evaluate, facts_from_values, render_note

    _title("3. Produktwechsel — a contract inside its minimum term")
    values = {
        "status": "active",
        "customer_admin": True,
        "open_order": False,
        "open_cart": False,
        "contract_start": "2025-03-31",
        "term_months": 24,
        "current_group": "SDSL",
        "target_group": "VDSL",
    }
    print("facts: " + ", ".join(f"{k}={v}" for k, v in values.items()))
    verdict = evaluate(
        facts_from_values(values), today=date.today(), settings=settings.product_change
    )
    _box(f"verdict: {verdict.outcome}", render_note(verdict, build_checklist(verdict)))


def main() -> int:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    if not (EXAMPLES / "request.txt").exists():
        print("partnerdesk: examples/ is missing; run `make fixtures` to regenerate it.")
        return 2
    shutil.rmtree(DATA, ignore_errors=True)
    DATA.mkdir(parents=True)
    settings = _settings()
    _check_examples()
    _pipeline(settings)
    _product_change(settings)
    print("\nDone. `make test` runs every check; README.md explains the Zendesk set-up.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
