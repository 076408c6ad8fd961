from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
    WriteConflictError,
)
from config.settings import Settings
from handlers.ports import AttachmentRef, NewTicket, TicketUpdate, Upload
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


PUBLIC = {
    "acme.zendesk.com": ["93.184.216.34"],  # any public address
    "p1.zdusercontent.com": ["93.184.216.35"],
    "evil.example": ["93.184.216.36"],
    "rebind.zdusercontent.com": ["10.0.0.7"],
    "meta.zdusercontent.com": ["169.254.169.254"],
    "local.zdusercontent.com": ["127.0.0.1"],
}


def fake_resolver(host: str) -> list[str]:
    return PUBLIC.get(host, [])


def public_resolver(host: str) -> list[str]:
    return ["8.8.8.8"]  # any host "resolves" to a global address


@pytest.fixture
def zd(settings: Settings) -> ZendeskHelpdesk:
    return ZendeskHelpdesk(settings, resolver=fake_resolver)


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
    def test_one_safe_put_with_comment_tag_edits_fields_status_and_reference(
        self, zd: ZendeskHelpdesk
    ) -> None:
        responses.get(f"{API}/tickets/4711.json", json=fixture("ticket.json"))
        responses.put(f"{API}/tickets/4711.json", json=fixture("update_response.json"))
        zd.update_ticket(
            TicketUpdate(
                ticket_id=4711,
                comment="Notiz",
                add_tags=("partnerdesk_partial",),
                remove_tags=("partnerdesk_rejected",),
                custom_fields={360001: "partnerdesk_partial"},
                status="open",
                reference="partnerdesk-ref: relocation_note-abc",
            )
        )
        read, call = responses.calls
        assert read.request.method == "GET" and call.request.method == "PUT"
        assert sent_ticket(call) == {
            "comment": {"body": "Notiz", "public": False},
            "additional_tags": ["partnerdesk_partial"],
            "remove_tags": ["partnerdesk_rejected"],
            "custom_fields": [{"id": 360001, "value": "partnerdesk_partial"}],
            "status": "open",
            "metadata": {"partnerdesk_ref": "partnerdesk-ref: relocation_note-abc"},
            "safe_update": True,
            "updated_stamp": "2026-11-20T09:12:44Z",
        }

    @responses.activate
    def test_conflict_is_a_write_conflict(self, zd: ZendeskHelpdesk) -> None:
        responses.get(f"{API}/tickets/4711.json", json=fixture("ticket.json"))
        responses.put(f"{API}/tickets/4711.json", json={"error": "UpdateConflict"}, status=409)
        with pytest.raises(WriteConflictError):
            zd.update_ticket(TicketUpdate(ticket_id=4711, comment="x"))

    @responses.activate
    def test_upload_first_then_comment_carries_token(self, zd: ZendeskHelpdesk) -> None:
        responses.post(f"{API}/uploads.json", json=fixture("upload_response.json"), status=201)
        responses.get(f"{API}/tickets/4711.json", json=fixture("ticket.json"))
        responses.put(f"{API}/tickets/4711.json", json=fixture("update_response.json"))
        zd.update_ticket(
            TicketUpdate(
                ticket_id=4711,
                comment="Termin",
                public=True,
                uploads=(Upload("termin.ics", b"BEGIN:VCALENDAR", "text/calendar"),),
            )
        )
        upload, _read, put = responses.calls
        assert "filename=termin.ics" in upload.request.url
        assert upload.request.headers["Content-Type"] == "text/calendar"
        assert sent_ticket(put)["comment"] == {
            "body": "Termin",
            "public": True,
            "uploads": ["6bk3gql82em5nmf"],
        }

    @responses.activate
    def test_update_422_is_permanent(self, zd: ZendeskHelpdesk) -> None:
        responses.get(f"{API}/tickets/4711.json", json=fixture("ticket.json"))
        responses.put(f"{API}/tickets/4711.json", json={"error": "RecordInvalid"}, status=422)
        with pytest.raises(PermanentHelpdeskError):
            zd.update_ticket(TicketUpdate(ticket_id=4711, comment="x"))

    def test_empty_update_sends_nothing(self, zd: ZendeskHelpdesk) -> None:
        with responses.RequestsMock() as rsps:
            zd.update_ticket(TicketUpdate(ticket_id=4711))
            assert len(rsps.calls) == 0


class TestDownloadTrust:
    """Issue 12 findings 1, 2 and 9 (download timeout): only Zendesk, the Zendesk way."""

    @responses.activate
    def test_foreign_host_is_refused_without_a_request(self, zd: ZendeskHelpdesk) -> None:
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att("https://evil.example/x.pdf"), max_bytes=1000)
        assert info.value.code == "forbidden_host" and not info.value.transient
        assert len(responses.calls) == 0

    @responses.activate
    def test_redirect_to_foreign_host_is_refused(self, zd: ZendeskHelpdesk) -> None:
        responses.get(
            att().content_url, status=302, headers={"Location": "https://evil.example/x.pdf"}
        )
        responses.get("https://evil.example/x.pdf", body=PDF)
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att(), max_bytes=1000)
        assert info.value.code == "forbidden_host"
        assert [c.request.url for c in responses.calls] == [att().content_url]

    @pytest.mark.parametrize(
        "host", ["rebind.zdusercontent.com", "meta.zdusercontent.com", "local.zdusercontent.com"]
    )
    @responses.activate
    def test_allowed_name_with_internal_address_is_refused(
        self, zd: ZendeskHelpdesk, host: str
    ) -> None:
        responses.get(att().content_url, status=302, headers={"Location": f"https://{host}/f"})
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att(), max_bytes=1000)
        assert info.value.code == "forbidden_host"
        assert len(responses.calls) == 1

    @pytest.mark.parametrize(("peer", "refused"), [("10.0.0.7", True), ("93.184.216.34", False)])
    def test_the_connected_address_is_checked_too(
        self, zd: ZendeskHelpdesk, peer: str, refused: bool
    ) -> None:
        """A name that resolved to a public address but connected to an internal one."""

        class Sock:
            def getpeername(self) -> tuple[str, int]:
                return (peer, 443)

        class Raw:
            connection = type("Conn", (), {"sock": Sock()})()

        resp = requests.Response()
        resp.raw = Raw()
        if refused:
            with pytest.raises(AttachmentError) as info:
                zd._check_peer(resp, "f.pdf")
            assert info.value.code == "forbidden_host"
        else:
            zd._check_peer(resp, "f.pdf")

    @responses.activate
    def test_plain_http_is_refused(self, zd: ZendeskHelpdesk) -> None:
        with pytest.raises(AttachmentError) as info:
            zd.download_attachment(att("http://acme.zendesk.com/a.pdf"), max_bytes=1000)
        assert info.value.code == "forbidden_host"

    @responses.activate
    def test_secure_download_credentials_only_to_the_subdomain(self, zd: ZendeskHelpdesk) -> None:
        storage = "https://p1.zdusercontent.com/attachment/1/Freigabe.pdf?token=t"
        responses.get(att().content_url, status=302, headers={"Location": storage})
        responses.get(storage, body=PDF)
        assert zd.download_attachment(att(), max_bytes=1000) == PDF
        first, second = responses.calls
        assert first.request.headers["Authorization"].startswith("Basic ")
        assert "Authorization" not in second.request.headers
        assert second.request.url == storage

    @responses.activate
    def test_sign_in_page_without_credentials_would_not_be_a_pdf(self, zd: ZendeskHelpdesk) -> None:
        # secure downloads on: without credentials Zendesk answers its sign-in page
        def answer(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
            if "Authorization" not in request.headers:
                return 200, {}, b"<html>Sign in</html>"
            return 302, {"Location": "https://p1.zdusercontent.com/f.pdf"}, b""

        responses.add_callback(responses.GET, att().content_url, callback=answer)
        responses.get("https://p1.zdusercontent.com/f.pdf", body=PDF)
        assert zd.download_attachment(att(), max_bytes=1000) == PDF

    def test_one_deadline_for_the_whole_download(self, settings: Settings) -> None:
        # a real server trickling one byte every 50 ms: each read is quick, the whole is slow
        stop = threading.Event()

        class Trickle(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"%PDF-")
                for _ in range(200):
                    if stop.is_set():
                        return
                    try:
                        self.wfile.write(b"x")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.05)

            def log_message(self, *_args: Any) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Trickle)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            local = make_settings(
                settings.general.data_dir,
                limits={"download_timeout_seconds": 0.5, "download_allow_loopback": True},
                zendesk={"download_hosts": ["127.0.0.1"]},
            )
            zd = ZendeskHelpdesk(local, resolver=lambda _host: ["127.0.0.1"])
            url = f"http://127.0.0.1:{server.server_port}/f.pdf"
            started = time.monotonic()
            with pytest.raises(AttachmentError) as info:
                zd.download_attachment(att(url), max_bytes=10_000)
            assert info.value.code == "timeout" and info.value.transient
            assert time.monotonic() - started < 2.0
        finally:
            stop.set()
            server.shutdown()
            server.server_close()


class TestWriteRecovery:
    @responses.activate
    def test_create_sends_idempotency_key_and_external_id(self, zd: ZendeskHelpdesk) -> None:
        responses.post(f"{API}/tickets.json", json={"ticket": {"id": 99}, "audit": {}})
        new = NewTicket("Betreff", "Text", "a@example.com", external_id="partnerdesk-cutover-7")
        assert zd.create_ticket(new) == 99
        (call,) = responses.calls
        assert call.request.headers["Idempotency-Key"] == "partnerdesk-cutover-7"
        assert sent_ticket(call)["external_id"] == "partnerdesk-cutover-7"

    @responses.activate
    def test_find_by_external_id(self, zd: ZendeskHelpdesk) -> None:
        responses.get(
            f"{API}/tickets.json",
            json={"tickets": [{"id": 12}, {"id": 11}]},
            match=[responses.matchers.query_param_matcher({"external_id": "k"})],
        )
        assert zd.find_ticket_by_external_id("k") == 11

    @responses.activate
    def test_write_landed_reads_audit_custom_metadata_across_pages(
        self, zd: ZendeskHelpdesk
    ) -> None:
        page2 = f"{API}/tickets/4711/audits.json?cursor=x"
        query = responses.matchers.query_param_matcher
        responses.get(
            f"{API}/tickets/4711/audits.json",
            match=[query({"page[size]": "100"})],
            json={
                "audits": [{"id": 1, "metadata": {"custom": {}, "system": {}}, "events": []}],
                "meta": {"has_more": True},
                "links": {"next": page2},
            },
        )
        responses.get(
            f"{API}/tickets/4711/audits.json",
            match=[query({"cursor": "x"})],
            json={
                "audits": [
                    {
                        "id": 2,
                        "metadata": {"custom": {"partnerdesk_ref": "partnerdesk-ref: n-1"}},
                        "events": [],
                    }
                ],
                "meta": {"has_more": False},
            },
        )
        assert zd.write_landed(4711, "partnerdesk-ref: n-1")
        assert not zd.write_landed(4711, "partnerdesk-ref: n-2")


class TestRetryAfter:
    def test_seconds_and_http_date(self) -> None:
        """Delta seconds, or an HTTP date counted from now; nonsense gives None."""
        assert parse_retry_after("12") == 12
        soon = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)
        assert 80 <= (parse_retry_after(soon) or 0) <= 90
        past = format_datetime(datetime.now(UTC) - timedelta(hours=1), usegmt=True)
        assert parse_retry_after(past) == 0
        assert parse_retry_after("soon") is None and parse_retry_after(None) is None
