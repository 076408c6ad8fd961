"""The Zendesk adapter: the ONLY module that imports zenpy. Implements ``handlers.ports.Helpdesk``.

Errors are translated at this border: 429/5xx/timeouts/connection errors become
``TransientHelpdeskError`` (with Retry-After when Zendesk sends one), everything else
``PermanentHelpdeskError``. zenpy's own 429 loop sleeps inside the worker; a response
hook raises first so the queue can reschedule the delivery instead (docs/facts.md, "zenpy").

Reads go through zenpy. Writes are plain requests on zenpy's authenticated session,
because they need what zenpy does not send: ``safe_update`` with ``updated_stamp`` and
the write's reference as audit ``metadata`` on updates, an ``Idempotency-Key`` header on
creates, the audit and ``external_id`` look-ups ``handlers.writes`` recovers with.
Downloads use a session of their own (no credentials stored, redirects checked here);
see :meth:`ZendeskHelpdesk.download_attachment`.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry
from zenpy import Zenpy
from zenpy.lib.exception import APIException, RatelimitBudgetExceeded, ZenpyException

from config.errors import (
    AttachmentError,
    ConfigError,
    PermanentHelpdeskError,
    TransientHelpdeskError,
    WriteConflictError,
)
from config.settings import Settings
from handlers.ports import AttachmentRef, CommentView, NewTicket, TicketUpdate, TicketView
from integration.logs import get_logger

__all__ = ["ZendeskHelpdesk", "parse_retry_after"]

log = get_logger(__name__)
_CHUNK = 64 * 1024
_TRANSIENT_STATUS = {408, 409, 429, 500, 502, 503, 504}
_MAX_REDIRECTS = 3
_AUDIT_PAGES = 20  # audits read (100 per page) when looking for a write's reference
REF_METADATA_KEY = "partnerdesk_ref"  # audit metadata.custom key carrying a write's reference

Resolver = Callable[[str], list[str]]


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to; empty when it does not resolve.

    A name that does not resolve cannot be fetched either (the HTTP client resolves it
    the same way and fails), so it is not refused here.
    """
    try:
        infos = socket.getaddrinfo(host, 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in infos})


def _host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    return any(host == entry or host.endswith("." + entry) for entry in allowed)


def _address_allowed(address: str, *, allow_loopback: bool) -> bool:
    """Only public addresses; loopback only when a test setting allows it."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def _read_capped(resp: requests.Response, *, max_bytes: int, deadline: float, name: str) -> bytes:
    """The body, refused past ``max_bytes`` or past the download's deadline.

    The client's timeout bounds each read only; a watchdog closes the response when
    the whole download's deadline passes, so a server trickling bytes cannot keep it.
    """
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        try:
            resp.raw.shutdown()  # urllib3 >= 2.3: wakes a read blocked in another thread
        except (AttributeError, RuntimeError, ValueError, OSError):
            resp.close()

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), expire)
    watchdog.daemon = True
    watchdog.start()
    buf = io.BytesIO()
    try:
        for chunk in resp.iter_content(_CHUNK):
            buf.write(chunk)
            if buf.tell() > max_bytes:
                raise AttachmentError("too_large", f"{name} is larger than allowed.")
    except AttachmentError:
        raise
    except Exception as exc:
        if expired.is_set():
            raise requests.Timeout("download deadline passed") from None
        if isinstance(exc, requests.RequestException):
            raise
        raise requests.ConnectionError(f"download broke off ({type(exc).__name__})") from None
    finally:
        watchdog.cancel()
    if expired.is_set():
        raise requests.Timeout("download deadline passed")
    return buf.getvalue()


class _RateLimited(requests.RequestException):
    """Raised by the session hook on 429 so zenpy never sleeps on it."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__("Zendesk answered 429")
        self.retry_after = retry_after


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    try:
        return max(0.0, Retry().parse_retry_after(value.strip()))  # urllib3 reads both forms
    except InvalidHeader:
        return None


def _raise_on_429(response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
    if response.status_code == 429:
        raise _RateLimited(parse_retry_after(response.headers.get("Retry-After")))


def _status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn zenpy/requests failures into the helpdesk error hierarchy."""
    try:
        yield
    except _RateLimited as exc:
        raise TransientHelpdeskError(
            f"Zendesk rate-limited {action}; retrying later.", retry_after=exc.retry_after
        ) from None
    except RatelimitBudgetExceeded:
        raise TransientHelpdeskError(f"Zendesk rate-limited {action}; retrying later.") from None
    except (requests.Timeout, requests.ConnectionError) as exc:
        raise TransientHelpdeskError(
            f"Zendesk did not answer {action} in time ({type(exc).__name__}); retrying later."
        ) from None
    except (APIException, requests.HTTPError) as exc:
        status = _status_of(exc)
        if status in _TRANSIENT_STATUS:
            response = getattr(exc, "response", None)
            retry = (
                parse_retry_after(response.headers.get("Retry-After"))
                if response is not None
                else None
            )
            raise TransientHelpdeskError(
                f"Zendesk answered {status} to {action}; retrying later.", retry_after=retry
            ) from None
        raise PermanentHelpdeskError(
            f"Zendesk refused {action} (HTTP {status}); check the ticket and the API user's rights."
        ) from None
    except ZenpyException as exc:
        raise PermanentHelpdeskError(f"zenpy failed on {action}: {type(exc).__name__}.") from None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


class ZendeskHelpdesk:
    """``Helpdesk`` on top of zenpy, with its own HTTP session for downloads."""

    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        resolver: Resolver = resolve_host,
        download_session: requests.Session | None = None,
    ) -> None:
        zd = settings.zendesk
        if not (zd.subdomain and zd.email and zd.token.get_secret_value()):
            raise ConfigError(
                "Zendesk is not configured; set PARTNERDESK_ZENDESK_SUBDOMAIN, "
                "PARTNERDESK_ZENDESK_EMAIL and PARTNERDESK_ZENDESK_TOKEN."
            )
        self._settings = settings
        self._api_host = f"{zd.subdomain}.zendesk.com".lower()
        self._api = f"https://{self._api_host}/api/v2"
        self._auth = (f"{zd.email}/token", zd.token.get_secret_value())
        self._timeout = zd.timeout_seconds
        self._download_hosts = (self._api_host, *(h.lower().strip(".") for h in zd.download_hosts))
        self._resolve = resolver
        # Downloads use a session of their own: no stored credentials, no redirects
        # followed by the client (each hop is checked here).
        self._downloads = download_session or requests.Session()
        # A plain session: zenpy's default adapter would retry 5xx itself, while the
        # queue owns retries (with backoff and a visible attempt count).
        self._session = session or requests.Session()
        self._session.hooks["response"].append(_raise_on_429)
        self._zenpy = Zenpy(
            subdomain=zd.subdomain,
            email=zd.email,
            token=zd.token.get_secret_value(),
            disable_cache=True,
            ratelimit_budget=zd.ratelimit_budget,
            timeout=zd.timeout_seconds,
            session=self._session,
        )

    # -- reading ----------------------------------------------------------------------

    def get_ticket(self, ticket_id: int) -> TicketView:
        with _translated(f"reading ticket {ticket_id}"):
            t = self._zenpy.tickets(id=ticket_id)
            fields = {
                int(f["id"]): f.get("value")
                for f in (_as_dict(cf) for cf in (t.custom_fields or []))
                if f.get("id") is not None
            }
            return TicketView(
                id=int(t.id),
                subject=t.subject or "",
                description=t.description or "",
                status=t.status or "",
                tags=tuple(t.tags or ()),
                form_id=_int_or_none(getattr(t, "ticket_form_id", None)),
                custom_fields=fields,
                requester_id=_int_or_none(t.requester_id),
                organization_id=_int_or_none(t.organization_id),
                external_id=t.external_id,
            )

    def list_comments(self, ticket_id: int) -> list[CommentView]:
        with _translated(f"listing comments of ticket {ticket_id}"):
            out: list[CommentView] = []
            for c in self._zenpy.tickets.comments(ticket=ticket_id):
                attachments = tuple(
                    AttachmentRef(
                        id=int(a.id),
                        file_name=a.file_name or "",
                        content_type=a.content_type or "",
                        content_url=a.content_url or "",
                        size=int(a.size or 0),
                        comment_id=int(c.id),
                        public=bool(c.public),
                    )
                    for a in (c.attachments or ())
                )
                out.append(
                    CommentView(
                        id=int(c.id),
                        body=c.body or "",
                        public=bool(c.public),
                        author_id=_int_or_none(c.author_id),
                        created_at=_when(
                            getattr(c, "_created_at", None) or getattr(c, "created_at", None)
                        ),
                        attachments=attachments,
                    )
                )
            return out

    def download_attachment(self, attachment: AttachmentRef, *, max_bytes: int) -> bytes:
        """Fetch the file from Zendesk only, within one deadline and a streamed byte cap.

        Zendesk's way for secure downloads: the content URL is requested with the API
        credentials and without following redirects; the ``Location`` it answers (a
        short-lived storage URL) is fetched without credentials. Every URL, the first
        and each redirect target, must be https on an allowed host whose addresses are
        public; credentials go only to the configured subdomain.
        """
        if attachment.size and attachment.size > max_bytes:
            raise AttachmentError("too_large", f"{attachment.file_name} is larger than allowed.")
        name = attachment.file_name
        deadline = time.monotonic() + self._settings.limits.download_timeout_seconds
        url = attachment.content_url
        try:
            for _hop in range(_MAX_REDIRECTS + 1):
                host = self._checked_host(url, name)
                auth = self._auth if host == self._api_host else None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise requests.Timeout("download deadline passed")
                with self._downloads.get(
                    url, stream=True, allow_redirects=False, auth=auth, timeout=remaining
                ) as resp:
                    # The name was checked before; the address actually connected to is
                    # checked too (a name that resolves differently the second time).
                    self._check_peer(resp, name)
                    if resp.is_redirect:
                        location = resp.headers.get("Location", "")
                        url = urljoin(url, location)
                        continue
                    if resp.status_code in _TRANSIENT_STATUS:
                        raise AttachmentError(
                            "unavailable",
                            f"Downloading {name} answered HTTP {resp.status_code}.",
                            transient=True,
                        )
                    resp.raise_for_status()
                    data = _read_capped(resp, max_bytes=max_bytes, deadline=deadline, name=name)
                    break
            else:
                raise AttachmentError("download_failed", f"Downloading {name}: too many redirects.")
        except requests.HTTPError as exc:
            raise AttachmentError(
                "download_failed", f"Downloading {name} failed with HTTP {_status_of(exc)}."
            ) from None
        except (requests.Timeout, requests.ConnectionError):
            raise AttachmentError(
                "timeout", f"Downloading {name} timed out.", transient=True
            ) from None
        if not data.lstrip()[:5] == b"%PDF-":
            raise AttachmentError("not_pdf", f"{name} is not a PDF file.")
        return data

    def _check_peer(self, resp: requests.Response, name: str) -> None:
        sock = getattr(getattr(resp.raw, "connection", None), "sock", None)
        if sock is None:
            return  # no socket to ask (e.g. a test double); the name check stands
        try:
            peer = str(sock.getpeername()[0])
        except (OSError, IndexError, TypeError):
            return
        allow = self._settings.limits.download_allow_loopback
        if not _address_allowed(peer, allow_loopback=allow):
            log.warning("download_refused", reason="internal_peer")
            raise AttachmentError(
                "forbidden_host", f"{name} points to an internal address; not downloaded."
            )

    def _checked_host(self, url: str, name: str) -> str:
        """The URL's host when it may be fetched; else a permanent ``forbidden_host``."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        limits = self._settings.limits
        allowed_scheme = parts.scheme == "https" or (
            parts.scheme == "http" and limits.download_allow_loopback
        )
        if not host or not allowed_scheme or not _host_allowed(host, self._download_hosts):
            log.warning("download_refused", reason="host_not_allowed", host=host)
            raise AttachmentError(
                "forbidden_host", f"{name} is not stored at Zendesk; it was not downloaded."
            )
        for address in self._resolve(host):
            if not _address_allowed(address, allow_loopback=limits.download_allow_loopback):
                log.warning("download_refused", reason="internal_address", host=host)
                raise AttachmentError(
                    "forbidden_host", f"{name} points to an internal address; not downloaded."
                )
        return host

    # -- writing ----------------------------------------------------------------------

    def _upload_tokens(self, update_uploads: tuple[Any, ...]) -> list[str]:
        tokens: list[str] = []
        for up in update_uploads:
            with _translated(f"uploading {up.file_name}"):
                result = self._zenpy.attachments.upload(
                    io.BytesIO(up.content), target_name=up.file_name, content_type=up.content_type
                )
                tokens.append(result.token)
        return tokens

    def _call(
        self,
        method: str,
        path: str,
        *,
        action: str,
        params: dict[str, Any] | None = None,
        json_body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """One authenticated API call on zenpy's session; errors translated."""
        if path.startswith("https://") and not path.startswith(self._api + "/"):
            raise PermanentHelpdeskError(f"Zendesk pointed {action} outside its API.")
        url = path if path.startswith("https://") else f"{self._api}{path}"
        with _translated(action):
            resp = self._session.request(
                method,
                url,
                params=params,
                json=json_body,
                headers=headers,
                timeout=self._timeout,
                allow_redirects=False,
            )
            if resp.status_code == 409:
                raise WriteConflictError(f"Zendesk reported a conflict on {action}; retrying.")
            resp.raise_for_status()
            result: dict[str, Any] = resp.json() if resp.content else {}
            return result

    def _updated_stamp(self, ticket_id: int) -> str | None:
        data = self._call("GET", f"/tickets/{ticket_id}.json", action=f"reading ticket {ticket_id}")
        stamp = (data.get("ticket") or {}).get("updated_at")
        return str(stamp) if stamp else None

    def update_ticket(self, update: TicketUpdate) -> None:
        """Send the whole update as ONE ``PUT /tickets/{id}`` (uploads go first).

        Sent with ``safe_update`` and the ticket's current ``updated_stamp`` (a change in
        between answers 409, raised as ``WriteConflictError``), and with the write's
        reference as audit metadata (the audit shows it under ``metadata.custom``).
        """
        if update.is_empty() and not update.uploads:
            return
        tokens = self._upload_tokens(update.uploads)
        fields: dict[str, Any] = {}
        if update.comment:
            comment: dict[str, Any] = {"body": update.comment, "public": update.public}
            if tokens:
                comment["uploads"] = tokens
            fields["comment"] = comment
        if update.add_tags:
            # additional_tags/remove_tags edit the tag list; assigning `tags` would replace it
            fields["additional_tags"] = list(update.add_tags)
        if update.remove_tags:
            fields["remove_tags"] = list(update.remove_tags)
        if update.custom_fields:
            fields["custom_fields"] = [
                {"id": k, "value": v} for k, v in sorted(update.custom_fields.items())
            ]
        if update.status:
            fields["status"] = update.status
        body = dict(fields)
        if update.reference:
            body["metadata"] = {REF_METADATA_KEY: update.reference}
        stamp = self._updated_stamp(update.ticket_id)
        if stamp:
            body["safe_update"] = True
            body["updated_stamp"] = stamp
        self._call(
            "PUT",
            f"/tickets/{update.ticket_id}.json",
            action=f"updating ticket {update.ticket_id}",
            json_body={"ticket": body},
        )
        log.info("ticket_updated", ticket_id=update.ticket_id, fields=sorted(fields))

    def create_ticket(self, ticket: NewTicket) -> int:
        """``POST /tickets``; the external id is also sent as ``Idempotency-Key``."""
        tokens = self._upload_tokens(ticket.uploads)
        comment: dict[str, Any] = {"body": ticket.comment, "public": ticket.public}
        if tokens:
            comment["uploads"] = tokens
        requester: dict[str, Any] = {"email": ticket.requester_email}
        if ticket.requester_name:
            requester["name"] = ticket.requester_name
        body: dict[str, Any] = {
            "subject": ticket.subject,
            "comment": comment,
            "requester": requester,
            "tags": list(ticket.tags),
            "custom_fields": [
                {"id": k, "value": v} for k, v in sorted(ticket.custom_fields.items())
            ],
        }
        headers: dict[str, str] = {}
        if ticket.external_id:
            body["external_id"] = ticket.external_id
            headers["Idempotency-Key"] = ticket.external_id
        data = self._call(
            "POST",
            "/tickets.json",
            action="creating a ticket",
            json_body={"ticket": body},
            headers=headers,
        )
        return int(data["ticket"]["id"])

    def find_ticket_by_external_id(self, external_id: str) -> int | None:
        data = self._call(
            "GET",
            "/tickets.json",
            action="looking up a ticket by external id",
            params={"external_id": external_id},
        )
        ids = sorted(int(t["id"]) for t in data.get("tickets") or () if t.get("id") is not None)
        return ids[0] if ids else None

    def write_landed(self, ticket_id: int, reference: str) -> bool:
        """Whether an audit of the ticket carries ``reference`` (metadata or comment)."""
        url: str | None = f"/tickets/{ticket_id}/audits.json"
        params: dict[str, Any] | None = {"page[size]": 100}
        for _page in range(_AUDIT_PAGES):
            if url is None:
                break
            data = self._call(
                "GET", url, action=f"reading the audits of ticket {ticket_id}", params=params
            )
            for audit in data.get("audits") or ():
                custom = ((audit.get("metadata") or {}).get("custom")) or {}
                if custom.get(REF_METADATA_KEY) == reference:
                    return True
                for event in audit.get("events") or ():
                    if event.get("type") == "Comment" and reference in (event.get("body") or ""):
                        return True
            has_more = (data.get("meta") or {}).get("has_more")
            url = (data.get("links") or {}).get("next") if has_more else data.get("next_page")
            params = None
        return False


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if hasattr(value, "to_dict"):
        result: dict[str, Any] = value.to_dict()
        return result
    return {"id": getattr(value, "id", None), "value": getattr(value, "value", None)}
