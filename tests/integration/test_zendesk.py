from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
import responses

from config.errors import (
    AttachmentError,
    ConfigError,
    PermanentHelpdeskError,
    TransientHelpdeskError,
)
from config.settings import Settings
from handlers.ports import AttachmentRef, TicketUpdate, Upload
from integration.zendesk import ZendeskHelpdesk, parse_retry_after
from tests.integration.conftest import make_settings

HERE = Path(__file__).parent / "zendesk_json"
API = "https://acme.zendesk.com/api/v2"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def fixture(name: str) -> Any:
    return json.loads((HERE / name).read_text())


def att(
    url: str = "https://acme.zendesk.com/attachments/token/AbC123/?name=Freigabe.pdf",
    size: int = 10,
) -> AttachmentRef:
    return AttachmentRef(
        id=8001,
        file_name="Freigabe.pdf",
        content_type="application/pdf",
        content_url=url,
        size=size,
        comment_id=7001,
    )


@pytest.fixture
def zd(settings: Settings) -> ZendeskHelpdesk:
    return ZendeskHelpdesk(settings)


def sent_ticket(call: Any) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(call.request.body)["ticket"]
    return body


class TestConstruction:
    def test_refuses_without_credentials(self, tmp_path: Path) -> None:
        s = make_settings(tmp_path, zendesk={"token": ""})
        with pytest.raises(ConfigError, match="PARTNERDESK_ZENDESK_TOKEN"):
            ZendeskHelpdesk(s)


class TestRead:
    @responses.activate
    def test_ticket_view_from_documented_shape(self, zd: ZendeskHelpdesk) -> None:
        responses.get(f"{API}/tickets/4711.json", json=fixture("ticket.json"))
        t = zd.get_ticket(4711)
        assert (t.id, t.form_id, t.requester_id, t.organization_id) == (4711, 12, 9001, 501)
        assert t.tags == ("umzugsauftrag", "partnerdesk_rejected")
        assert t.custom_fields == {360001: None, 360002: "umzugsauftrag"}
        assert t.description.startswith("Bitte folgende")
        assert responses.calls[0].request.headers["Authorization"].startswith("Basic ")

    @responses.activate
    def test_comments_with_attachments(self, zd: ZendeskHelpdesk) -> None:
        responses.get(f"{API}/tickets/4711/comments.json", json=fixture("comments.json"))
        (c,) = zd.list_comments(4711)
        assert c.id == 7001 and c.public and c.author_id == 9001
        assert [(a.id, a.file_name, a.content_type, a.comment_id) for a in c.attachments] == [
            (8001, "Freigabe.pdf", "application/pdf", 7001),
            (8002, "foto.jpg", "image/jpeg", 7001),
        ]

    @responses.activate
    def test_not_found_is_permanent(self, zd: ZendeskHelpdesk) -> None:
        responses.get(f"{API}/tickets/1.json", json=fixture("not_found.json"), status=404)
        with pytest.raises(PermanentHelpdeskError, match="404"):
            zd.get_ticket(1)

    @responses.activate
    def test_429_is_transient_with_retry_after_and_no_sleep(self, zd: ZendeskHelpdesk) -> None:
        responses.get(
            f"{API}/tickets/1.json",
            json=fixture("rate_limited.json"),
            status=429,
            headers={"Retry-After": "93"},
        )
        with pytest.raises(TransientHelpdeskError) as info:
            zd.get_ticket(1)
        assert info.value.retry_after == 93
        assert len(responses.calls) == 1  # zenpy did not loop on it

    @responses.activate
    def test_503_is_transient(self, zd: ZendeskHelpdesk) -> None:
        responses.get(f"{API}/tickets/1.json", body="<html>down</html>", status=503)
        with pytest.raises(TransientHelpdeskError):
            zd.get_ticket(1)

    @responses.activate
    def test_timeout_is_transient(self, zd: ZendeskHelpdesk) -> None:
        responses.get(f"{API}/tickets/1.json", body=requests.ReadTimeout())
        with pytest.raises(TransientHelpdeskError, match="in time"):
            zd.get_ticket(1)


class TestDownload:
    @responses.activate
    def test_returns_pdf_bytes(self, zd: ZendeskHelpdesk) -> None:
        responses.get(att().content_url, body=PDF)
        assert zd.download_attachment(att(), max_bytes=1000) == PDF

    @responses.activate
    def test_404_is_permanent(self, zd: ZendeskHelpdesk) -> None:
        responses.get(att().content_url, status=404)
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att(), max_bytes=1000)
        assert info.value.code == "download_failed" and not info.value.transient

    @responses.activate
    def test_timeout_is_transient(self, zd: ZendeskHelpdesk) -> None:
        responses.get(att().content_url, body=requests.ConnectTimeout())
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att(), max_bytes=1000)
        assert info.value.transient and info.value.code == "timeout"

    @responses.activate
    def test_error_page_is_not_a_pdf(self, zd: ZendeskHelpdesk) -> None:
        responses.get(att().content_url, body=b"<html>login</html>")
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att(), max_bytes=1000)
        assert info.value.code == "not_pdf"

    @responses.activate
    def test_streamed_size_cap_despite_small_declared_size(self, zd: ZendeskHelpdesk) -> None:
        responses.get(att().content_url, body=PDF + b"x" * 200_000)
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att(size=10), max_bytes=100_000)
        assert info.value.code == "too_large"

    def test_declared_size_over_cap_is_refused_without_download(self, zd: ZendeskHelpdesk) -> None:
        with pytest.raises(AttachmentError):
            zd.download_attachment(att(size=10**9), max_bytes=1000)


class TestUpdate:
    @responses.activate
    def test_one_put_with_comment_tag_edits_fields_and_status(self, zd: ZendeskHelpdesk) -> None:
        responses.put(f"{API}/tickets/4711.json", json=fixture("update_response.json"))
        zd.update_ticket(
            TicketUpdate(
                ticket_id=4711,
                comment="Notiz",
                add_tags=("partnerdesk_partial",),
                remove_tags=("partnerdesk_rejected",),
                custom_fields={360001: "partnerdesk_partial"},
                status="open",
            )
        )
        (call,) = responses.calls
        assert call.request.method == "PUT"
        assert sent_ticket(call) == {
            "id": 4711,
            "comment": {"body": "Notiz", "public": False},
            "additional_tags": ["partnerdesk_partial"],
            "remove_tags": ["partnerdesk_rejected"],
            "custom_fields": [{"id": 360001, "value": "partnerdesk_partial"}],
            "status": "open",
        }

    @responses.activate
    def test_upload_first_then_comment_carries_token(self, zd: ZendeskHelpdesk) -> None:
        responses.post(f"{API}/uploads.json", json=fixture("upload_response.json"), status=201)
        responses.put(f"{API}/tickets/4711.json", json=fixture("update_response.json"))
        zd.update_ticket(
            TicketUpdate(
                ticket_id=4711,
                comment="Termin",
                public=True,
                uploads=(Upload("termin.ics", b"BEGIN:VCALENDAR", "text/calendar"),),
            )
        )
        upload, put = responses.calls
        assert "filename=termin.ics" in upload.request.url
        assert upload.request.headers["Content-Type"] == "text/calendar"
        assert sent_ticket(put)["comment"] == {
            "body": "Termin",
            "public": True,
            "uploads": ["6bk3gql82em5nmf"],
        }

    @responses.activate
    def test_update_422_is_permanent(self, zd: ZendeskHelpdesk) -> None:
        responses.put(f"{API}/tickets/4711.json", json={"error": "RecordInvalid"}, status=422)
        with pytest.raises(PermanentHelpdeskError):
            zd.update_ticket(TicketUpdate(ticket_id=4711, comment="x"))

    def test_empty_update_sends_nothing(self, zd: ZendeskHelpdesk) -> None:
        with responses.RequestsMock() as rsps:
            zd.update_ticket(TicketUpdate(ticket_id=4711))
            assert len(rsps.calls) == 0


class TestRetryAfter:
    def test_seconds_and_http_date(self) -> None:
        now = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
        assert parse_retry_after("12") == 12
        assert parse_retry_after("Sun, 22 Nov 2026 10:01:00 GMT", now=now) == 60
        assert parse_retry_after("soon") is None and parse_retry_after(None) is None
