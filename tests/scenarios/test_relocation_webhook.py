"""Signed webhooks through the real app to the ticket update Zendesk receives."""

from __future__ import annotations

from datetime import timedelta

import requests

from tests.scenarios.conftest import STATUS_FIELD, TICKET, Service
from tests.scenarios.letters import confirmation_pdf

TRIGGER = {"ticket_id": str(TICKET), "event": "ticket.created"}

EXPECTED_REPLY = """Guten Tag,

vielen Dank für Ihren Umzugsauftrag. Wir haben die eingereichte Bestätigung geprüft. Die folgenden der von Ihnen beantragten Rufnummern können wir nicht umziehen:

- 030 7654321: in der Bestätigung nicht genannt

Umgezogen werden nur Rufnummern, die in einer vom abgebenden Partner zeichnungsberechtigt unterschriebenen Bestätigung ausdrücklich genannt sind. Bitte laden Sie hier eine korrigierte Bestätigung hoch, die diese Rufnummern nennt.

Die übrigen beantragten Rufnummern sind freigegeben; den Umzugstermin stimmen wir gesondert mit Ihnen ab.

Mit freundlichen Grüßen
Ihr Support-Team
"""


def _deliveries(service: Service) -> list[str]:
    return [d.state for d in service.store.list_deliveries()]


class TestHappyPath:
    def test_partial_note_tags_field_then_reply(self, service: Service) -> None:
        service.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567", "030 9999999"]))
        r = service.post(TRIGGER, invocation="inv-1")
        assert r.status_code == 202
        assert service.sent == []  # acknowledged before the work
        service.run_queue()
        note, reply = service.sent
        # one safe update (the ticket in the URL) whose audit carries the write's reference
        assert set(note) == {
            "comment",
            "additional_tags",
            "remove_tags",
            "custom_fields",
            "metadata",
            "safe_update",
            "updated_stamp",
        }
        assert note["comment"]["public"] is False and note["safe_update"] is True
        assert note["metadata"]["partnerdesk_ref"].startswith("partnerdesk-ref: relocation_note-")
        assert note["additional_tags"] == ["partnerdesk_partial"]
        assert note["remove_tags"] == ["partnerdesk_rejected"]
        assert note["custom_fields"] == [
            {"id": STATUS_FIELD, "value": "partnerdesk_status_partial"}
        ]
        lines = note["comment"]["body"].splitlines()
        assert lines[0] == "partnerdesk – Prüfung des Umzugsauftrags: Teilweise freigegeben"
        assert (
            "- 030 1234567" in lines and "- 030 7654321: in der Bestätigung nicht genannt" in lines
        )
        assert "- 030 9999999" in lines  # handed over, not requested
        assert (
            "- Freigabe.pdf: 1 Seite; Unterschrift: handschriftlich, Erika Muster (Geschäftsführerin)"
            in lines
        )
        assert lines[-1].startswith("partnerdesk-ref: relocation_note-")
        assert set(reply) == {"comment", "metadata", "safe_update", "updated_stamp"}
        assert reply["comment"]["public"] is True
        body = reply["comment"]["body"]
        assert body.startswith(EXPECTED_REPLY) and "partnerdesk-ref: relocation_reply-" in body
        assert "030 5550100" not in body and "Muster" not in body and "030 9999999" not in body
        assert _deliveries(service) == ["done", "done"]  # the trigger and relocation.approved
        case = service.store.get_case(TICKET, "relocation")
        assert case is not None and case.state == "partial"

    def test_duplicate_invocation_and_echo_write_nothing_more(self, service: Service) -> None:
        service.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567", "030 7654321"]))
        assert service.post(TRIGGER, invocation="inv-1").status_code == 202
        assert service.post(TRIGGER, invocation="inv-1").json()["status"] == "duplicate"
        service.run_queue()
        assert len(service.sent) == 1 and service.sent[0]["additional_tags"] == [
            "partnerdesk_approved"
        ]
        # a later delivery with the same facts (e.g. the note's own comment_added) writes nothing
        assert (
            service.post(
                {"ticket_id": TICKET, "event": "ticket.comment_added"}, invocation="inv-2"
            ).status_code
            == 202
        )
        service.run_queue()
        assert len(service.sent) == 1

    def test_new_pdf_writes_a_new_note(self, service: Service) -> None:
        service.attach(1, "erste.pdf", confirmation_pdf(["030 1234567"]))
        service.post(TRIGGER, invocation="inv-1")
        service.run_queue()
        service.attach(2, "korrigiert.pdf", confirmation_pdf(["030 7654321"]))
        service.post({"ticket_id": TICKET, "event": "ticket.comment_added"}, invocation="inv-2")
        service.run_queue()
        notes = service.notes()
        assert len(notes) == 2 and notes[1]["additional_tags"] == ["partnerdesk_approved"]
        assert "korrigiert.pdf" in notes[1]["comment"]["body"]


class TestAttachments:
    def test_non_pdf_skipped_and_404_named_for_review(self, service: Service) -> None:
        service.attach(1, "foto.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
        service.attach(2, "Freigabe.pdf", None, status=404)
        service.post(TRIGGER, invocation="inv-1")
        service.run_queue()
        (note,) = service.sent
        body = note["comment"]["body"]
        assert "Übersprungen (kein PDF): foto.jpg" in body
        assert "Freigabe.pdf: nicht lesbar (Download fehlgeschlagen)" in body
        assert sorted(note["additional_tags"]) == ["partnerdesk_rejected", "partnerdesk_review"]
        assert note["custom_fields"] == [{"id": STATUS_FIELD, "value": "partnerdesk_status_review"}]

    def test_download_timeout_retries_later(self, service: Service) -> None:
        service.attach(1, "Freigabe.pdf", None, exc=requests.ReadTimeout())
        service.post(TRIGGER, invocation="inv-1")
        service.run_queue()  # runs once; the retry waits for its eta
        (rec,) = service.store.list_deliveries()
        assert (
            rec.state == "queued" and rec.last_error == "attachment_timeout" and service.sent == []
        )
        assert service.run_scheduled() == 1  # still timing out: backs off again
        (rec,) = service.store.list_deliveries()
        assert rec.attempts == 2 and rec.state == "queued"


class TestZendeskTrouble:
    def test_429_retry_after_defers_then_one_note(self, service: Service) -> None:
        service.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567", "030 7654321"]))
        service.update_errors.append((429, {"Retry-After": "45"}))
        service.post(TRIGGER, invocation="inv-1")
        service.run_queue()
        (rec,) = service.store.list_deliveries()
        assert rec.state == "queued" and rec.last_error == "rate_limited"
        assert rec.next_attempt_at == service.clock() + timedelta(seconds=45)
        service.clock.advance(46)
        assert service.run_scheduled() == 1
        service.run_queue()
        assert len(service.sent) == 1
        assert [d.state for d in service.store.list_deliveries()] == ["done", "done"]

    def test_503_on_update_backs_off(self, service: Service) -> None:
        service.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567"]))
        service.update_errors.append((503, {}))
        service.post(TRIGGER, invocation="inv-1")
        service.run_queue()
        (rec,) = service.store.list_deliveries()
        assert (
            rec.state == "queued" and rec.last_error == "zendesk_unavailable" and service.sent == []
        )

    def test_worker_killed_after_store_sweeper_finishes_with_one_note(
        self, service: Service
    ) -> None:
        service.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567", "030 7654321"]))
        service.post(TRIGGER, invocation="inv-1")
        service.huey.flush()  # the worker died: huey lost the task
        from integration.tasks.deliveries import sweep

        queue = service.client.app.state.queue  # type: ignore[attr-defined]
        assert sweep(queue) == []  # within the grace period
        service.clock.advance(service.settings.queue.sweep_grace_seconds + 5)
        assert len(sweep(queue)) == 1
        service.run_queue()
        service.clock.advance(3600)
        sweep(queue)
        service.run_queue()
        assert len(service.notes()) == 1


class TestNotOurs:
    def test_ticket_that_is_no_umzugsauftrag_is_left_alone(self, service: Service) -> None:
        service.ticket["ticket"]["tags"] = ["frage"]
        service.ticket["ticket"]["ticket_form_id"] = None
        service.attach(1, "Freigabe.pdf", confirmation_pdf(["030 1234567"]))
        service.post(TRIGGER, invocation="inv-1")
        service.run_queue()
        assert service.sent == [] and _deliveries(service) == ["done"]
        assert service.store.get_case(TICKET, "relocation") is None
