"""The relocation handler against a fake helpdesk and a real (SQLite) store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from config.errors import AttachmentError, TransientHelpdeskError
from config.settings import Settings
from handlers.context import Context
from handlers.ports import AttachmentRef, CommentView, Event, TicketView
from handlers.relocation.service import handle, is_relocation, requested_text
from integration.store import Store
from integration.store.engine import make_engine
from integration.store.migrate import upgrade
from parsers.model import FoundNumber, NumberRange, ParsedDocument, Role, SignatureFinding, Source
from tests.integration.conftest import make_settings
from tests.integration.fakes import FakeHelpdesk

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
A = "+49301234567"
B = "+49307654321"
C = "+49309999999"  # handed over in the letter, never requested


def letter(*numbers: tuple[str, Role], signed: bool = True) -> ParsedDocument:
    return ParsedDocument(
        file="Freigabe.pdf",
        pages=1,
        numbers=tuple(
            FoundNumber(NumberRange.single(n), role, 1, Source.TEXT, n) for n, role in numbers
        ),
        signature=SignatureFinding(
            present=True, kind="ink", signatory="Erika Muster", role="Geschäftsführerin"
        )
        if signed
        else SignatureFinding.none(),
    )


class World:
    def __init__(
        self, tmp_path: Path, *, limits: dict[str, Any] | None = None, **relocation: Any
    ) -> None:
        self.settings: Settings = make_settings(
            tmp_path, relocation=relocation, limits=limits or {}
        )
        self.store = Store(
            make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}"), blob_root=tmp_path / "docs"
        )
        upgrade(self.store.engine)
        self.helpdesk = FakeHelpdesk()
        self.letters: dict[bytes, ParsedDocument] = {}
        self.reads: list[str] = []
        self.emitted: list[Event] = []
        self.helpdesk.tickets[1] = TicketView(
            id=1,
            subject="Umzugsauftrag",
            description="Bitte umziehen: 030 1234567, 030 7654321",
            status="new",
            tags=("umzugsauftrag", "partnerdesk_rejected"),
        )

    def read(self, data: bytes, name: str) -> ParsedDocument:
        self.reads.append(name)
        return self.letters[data]

    def attach(
        self,
        att_id: int,
        name: str,
        parsed: ParsedDocument | None,
        *,
        content_type: str = "application/pdf",
    ) -> None:
        url = f"https://acme.zendesk.com/attachments/token/{att_id}/"
        if parsed is not None:
            data = b"%PDF-1.7 letter " + str(att_id).encode()
            self.letters[data] = parsed
            self.helpdesk.files[url] = data
        comments = self.helpdesk.comments.setdefault(1, [])
        ref = AttachmentRef(att_id, name, content_type, url, 100, 500 + att_id)
        comments.append(
            CommentView(id=500 + att_id, body="Anbei", public=True, author_id=9, attachments=(ref,))
        )

    def ctx(self) -> Context:
        return Context(
            settings=self.settings,
            helpdesk=self.helpdesk,
            store=self.store,
            clock=lambda: NOW,
            read_document=self.read,
            emit=self.emitted.append,
        )

    def run(self, kind: str = "trigger") -> Any:
        return handle(Event(kind=kind, ticket_id=1), self.ctx())


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = World(tmp_path)
    yield w
    w.store.engine.dispose()


class TestRecognition:
    def test_by_form_tag_or_field(self, tmp_path: Path) -> None:
        s = make_settings(tmp_path, relocation={"form_id": 12, "tag": "", "field_id": 7}).relocation
        base = TicketView(id=1, subject="", description="", status="new")
        assert not is_relocation(base, s)
        assert is_relocation(
            TicketView(id=1, subject="", description="", status="new", form_id=12), s
        )
        assert is_relocation(
            TicketView(
                id=1, subject="", description="", status="new", custom_fields={7: "Umzugsauftrag"}
            ),
            s,
        )
        assert not is_relocation(
            TicketView(id=1, subject="", description="", status="new", tags=("umzugsauftrag",)), s
        )

    def test_requested_numbers_field_wins_over_description(self, tmp_path: Path) -> None:
        s = make_settings(tmp_path, relocation={"requested_numbers_field_id": 9}).relocation
        t = TicketView(
            id=1, subject="", description="desc", status="new", custom_fields={9: "030 1"}
        )
        assert requested_text(t, s) == "030 1"
        assert (
            requested_text(
                TicketView(
                    id=1, subject="", description="desc", status="new", custom_fields={9: " "}
                ),
                s,
            )
            == "desc"
        )

    def test_other_ticket_is_ignored(self, world: World) -> None:
        world.helpdesk.tickets[1] = TicketView(
            id=1, subject="Frage", description="030 1234567", status="new"
        )
        assert world.run() is None
        assert world.helpdesk.updates == [] and world.store.get_case(1, "relocation") is None


class TestVerdict:
    def test_partial_writes_note_then_reply(self, world: World) -> None:
        world.attach(
            1,
            "Freigabe.pdf",
            letter((A, Role.TRANSFER), (C, Role.TRANSFER), ("+49301111111", Role.CONTACT)),
        )
        result = world.run()
        note, reply = world.helpdesk.updates
        assert result.decision.outcome == "partial" and not result.decision.needs_review
        assert note.public is False
        assert note.add_tags == ("partnerdesk_partial",) and note.remove_tags == (
            "partnerdesk_rejected",
        )
        text = note.comment or ""
        assert "Teilweise freigegeben" in text and "030 1234567" in text
        assert "030 7654321: in der Bestätigung nicht genannt" in text
        assert "030 9999999" in text  # unrequested, listed for agents
        assert "Erika Muster" in text and text.rstrip().endswith(
            f"partnerdesk-ref: relocation_note-{result.fingerprint}"
        )
        body = reply.comment or ""
        assert reply.public is True and "030 7654321" in body and "nicht genannt" in body
        # the reply says nothing about other numbers or people in the letter
        for secret in ("030 1234567", "030 9999999", "030 1111111", "Erika", "Muster"):
            assert secret not in body
        assert world.emitted == [Event(kind="relocation.approved", ticket_id=1)]
        case = world.store.get_case(1, "relocation")
        assert (
            case is not None and case.state == "partial" and case.fingerprint == result.fingerprint
        )

    def test_pdf_bytes_are_kept_content_addressed(self, world: World) -> None:
        world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER)))
        world.run()
        (doc,) = world.store.documents(world.store.get_case(1, "relocation").id)  # type: ignore[union-attr]
        assert doc.sha256 and world.store.read_pdf(doc.sha256).startswith(b"%PDF-")

    def test_same_outcome_again_writes_nothing(self, world: World) -> None:
        world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), (B, Role.TRANSFER)))
        first = world.run()
        assert (
            first.decision.outcome == "approved" and len(world.helpdesk.updates) == 1
        )  # no reply needed
        second = world.run("ticket.comment_added")
        assert (
            second.updates == ()
            and len(world.helpdesk.updates) == 1
            and world.reads == ["Freigabe.pdf"]
        )
        assert len(world.emitted) == 1

    def test_new_pdf_re_evaluates_and_writes_a_new_note(self, world: World) -> None:
        world.attach(1, "erste.pdf", letter((A, Role.TRANSFER)))
        world.run()
        world.attach(2, "zweite.pdf", letter((B, Role.TRANSFER)))
        result = world.run("ticket.comment_added")
        assert result.decision.outcome == "approved"
        notes = [u for u in world.helpdesk.updates if not u.public]
        assert len(notes) == 2 and notes[1].add_tags == ("partnerdesk_approved",)
        assert world.reads == ["erste.pdf", "zweite.pdf"]  # the first is not read again

    def test_unsigned_letter_goes_to_review_without_reply(self, world: World) -> None:
        world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), signed=False))
        result = world.run()
        (note,) = world.helpdesk.updates
        assert result.decision.needs_review and "partnerdesk_review" in note.add_tags
        assert "Keine Unterschrift erkannt." in (note.comment or "")
        assert world.emitted == []

    def test_status_field_written_in_the_same_update(self, tmp_path: Path) -> None:
        w = World(tmp_path, status_field_id=360001)
        w.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), (B, Role.EXCLUDED)))
        w.run()
        note = w.helpdesk.updates[0]
        assert note.custom_fields == {360001: "partnerdesk_status_partial"}
        assert "ausdrücklich von der Übergabe ausgenommen" in (w.helpdesk.updates[1].comment or "")

    def test_public_reply_can_be_switched_off(self, tmp_path: Path) -> None:
        w = World(tmp_path, public_reply=False)
        w.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER)))
        w.run()
        assert [u.public for u in w.helpdesk.updates] == [False]


class TestAttachments:
    def test_non_pdf_is_listed_as_skipped(self, world: World) -> None:
        world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), (B, Role.TRANSFER)))
        world.attach(2, "foto.jpg", None, content_type="image/jpeg")
        result = world.run()
        assert "Übersprungen (kein PDF): foto.jpg" in (world.helpdesk.updates[0].comment or "")
        assert result.decision.outcome == "approved" and not result.decision.needs_review
        assert world.helpdesk.downloads == [1]

    def test_download_404_is_named_and_sends_to_review(self, world: World) -> None:
        world.attach(1, "weg.pdf", None)  # no file behind the URL: 404
        result = world.run()
        note = world.helpdesk.updates[0].comment or ""
        assert result.decision.needs_review and "document_error" in result.decision.review_reasons
        assert "weg.pdf: nicht lesbar (Download fehlgeschlagen)" in note

    def test_download_timeout_raises_for_a_retry(self, world: World) -> None:
        world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER)))
        world.helpdesk.fail_download.append(AttachmentError("timeout", "slow", transient=True))
        with pytest.raises(AttachmentError):
            world.run()
        assert world.store.seen_attachment_ids(1) == set()  # read again next time
        world.run()
        assert world.reads == ["Freigabe.pdf"] and len(world.helpdesk.updates) == 2


class TestPerTicketCaps:
    """Issue 12, finding 4: per ticket a cap on attachments and on total parse time."""

    def test_attachments_over_the_cap_are_left_and_the_case_goes_to_review(
        self, tmp_path: Path
    ) -> None:
        w = World(tmp_path, limits={"max_attachments_per_ticket": 1})
        try:
            w.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), (B, Role.TRANSFER)))
            w.attach(2, "Nachtrag.pdf", letter((A, Role.TRANSFER)))
            first = w.run()
            assert w.reads == ["Freigabe.pdf"]
            assert first.decision.needs_review
            assert "attachment_limit" in first.decision.review_reasons
            assert "Obergrenze je Ticket" in (w.helpdesk.updates[0].comment or "")
            assert w.emitted == []  # never approved while a letter is unread
            second = w.run()  # a later run reads what was left
            assert w.reads == ["Freigabe.pdf", "Nachtrag.pdf"]
            assert not second.decision.needs_review
        finally:
            w.store.engine.dispose()

    def test_parse_budget_stops_reading(self, tmp_path: Path) -> None:
        w = World(tmp_path, limits={"ticket_parse_budget_seconds": 0.05})
        try:
            w.attach(1, "langsam.pdf", letter((A, Role.TRANSFER), (B, Role.TRANSFER)))
            w.attach(2, "auch.pdf", letter((A, Role.TRANSFER)))
            slow = w.read

            def read(data: bytes, name: str) -> ParsedDocument:
                time.sleep(0.1)
                return slow(data, name)

            w.read = read  # type: ignore[method-assign]
            result = w.run()
            assert w.reads == ["langsam.pdf"]
            assert "attachment_limit" in result.decision.review_reasons
        finally:
            w.store.engine.dispose()


class TestExactlyOnce:
    def test_failed_write_is_retried_with_the_same_reference(self, world: World) -> None:
        world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), (B, Role.TRANSFER)))
        world.helpdesk.fail_update.append(TransientHelpdeskError("503"))
        with pytest.raises(TransientHelpdeskError):
            world.run()
        world.run()
        assert len(world.helpdesk.updates) == 1

    def test_write_that_reached_zendesk_before_a_crash_is_not_repeated(self, world: World) -> None:
        world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), (B, Role.TRANSFER)))

        def crash(_update: object) -> None:
            raise KeyboardInterrupt  # the worker dies after Zendesk stored the note

        world.helpdesk.on_update = crash
        with pytest.raises(KeyboardInterrupt):
            world.run()
        world.helpdesk.on_update = None
        result = world.run()
        assert len(world.helpdesk.updates) == 1 and result.updates == ()
        (write,) = world.store.writes(1)
        assert write.state == "sent"
        assert world.emitted == [Event(kind="relocation.approved", ticket_id=1)]

    def test_own_note_echo_is_ignored_without_api_calls(self, world: World) -> None:
        event = Event(
            kind="ticket.comment_added",
            ticket_id=1,
            comment_body="… partnerdesk-ref: relocation_note-abc",
        )
        world.helpdesk.tickets.clear()  # any read would raise KeyError
        assert handle(event, world.ctx()) is None


def test_another_process_posting_an_ics_writes_no_new_note(world: World) -> None:
    """The scheduler's .ics upload comes back as comment_added: no new verdict, no note."""
    world.attach(1, "Freigabe.pdf", letter((A, Role.TRANSFER), (B, Role.TRANSFER)))
    world.run()
    world.attach(2, "termin.ics", None, content_type="text/calendar")
    assert world.run("ticket.comment_added").updates == ()
    assert len(world.helpdesk.updates) == 1
