"""The Zendesk adapter: the ONLY module that imports zenpy. Implements ``handlers.ports.Helpdesk``.

Errors are translated at this border: 429/5xx/timeouts/connection errors become
``TransientHelpdeskError`` (with Retry-After when Zendesk sends one), everything else
``PermanentHelpdeskError``. zenpy's own 429 loop sleeps inside the worker; a response
hook raises first so the queue can reschedule the delivery instead (REFERENCE.md, zenpy).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from zenpy import Zenpy
from zenpy.lib.api_objects import Comment, Ticket, User
from zenpy.lib.exception import APIException, RatelimitBudgetExceeded, ZenpyException

from config.errors import (
    AttachmentError,
    ConfigError,
    PermanentHelpdeskError,
    TransientHelpdeskError,
)
from config.settings import Settings
from handlers.ports import AttachmentRef, CommentView, NewTicket, TicketUpdate, TicketView
from integration.logs import get_logger

__all__ = ["ZendeskHelpdesk", "parse_retry_after"]

log = get_logger(__name__)
_CHUNK = 64 * 1024
_TRANSIENT_STATUS = {408, 409, 429, 500, 502, 503, 504}


class _RateLimited(requests.RequestException):
    """Raised by the session hook on 429 so zenpy never sleeps on it."""

    def __init__(self, retry_after: float | None) -> None:
        super().__init__("Zendesk answered 429")
        self.retry_after = retry_after


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


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

    def __init__(self, settings: Settings, *, session: requests.Session | None = None) -> None:
        zd = settings.zendesk
        if not (zd.subdomain and zd.email and zd.token.get_secret_value()):
            raise ConfigError(
                "Zendesk is not configured; set PARTNERDESK_ZENDESK_SUBDOMAIN, "
                "PARTNERDESK_ZENDESK_EMAIL and PARTNERDESK_ZENDESK_TOKEN."
            )
        self._settings = settings
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
        """Fetch the file with a timeout and a streamed size cap; it must be a PDF."""
        if attachment.size and attachment.size > max_bytes:
            raise AttachmentError("too_large", f"{attachment.file_name} is larger than allowed.")
        timeout = self._settings.limits.download_timeout_seconds
        try:
            # content_url redirects to a signed storage URL; the API credentials are not
            # needed (and not sent) there, so the download uses a fresh request.
            with requests.get(attachment.content_url, stream=True, timeout=timeout) as resp:
                if resp.status_code in _TRANSIENT_STATUS:
                    raise AttachmentError(
                        "unavailable",
                        f"Downloading {attachment.file_name} answered HTTP {resp.status_code}.",
                        transient=True,
                    )
                resp.raise_for_status()
                buf = io.BytesIO()
                for chunk in resp.iter_content(_CHUNK):
                    buf.write(chunk)
                    if buf.tell() > max_bytes:
                        raise AttachmentError(
                            "too_large", f"{attachment.file_name} is larger than allowed."
                        )
        except requests.HTTPError as exc:
            raise AttachmentError(
                "download_failed",
                f"Downloading {attachment.file_name} failed with HTTP {_status_of(exc)}.",
            ) from None
        except (requests.Timeout, requests.ConnectionError):
            raise AttachmentError(
                "timeout", f"Downloading {attachment.file_name} timed out.", transient=True
            ) from None
        data = buf.getvalue()
        if not data.lstrip()[:5] == b"%PDF-":
            raise AttachmentError("not_pdf", f"{attachment.file_name} is not a PDF file.")
        return data

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

    def update_ticket(self, update: TicketUpdate) -> None:
        """Send the whole update as ONE ``PUT /tickets/{id}`` (uploads go first)."""
        if update.is_empty() and not update.uploads:
            return
        tokens = self._upload_tokens(update.uploads)
        fields: dict[str, Any] = {}
        if update.comment:
            comment_args: dict[str, Any] = {"body": update.comment, "public": update.public}
            if tokens:
                comment_args["uploads"] = tokens
            fields["comment"] = Comment(**comment_args)
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
        with _translated(f"updating ticket {update.ticket_id}"):
            self._zenpy.tickets.update(Ticket(id=update.ticket_id, **fields))
        log.info("ticket_updated", ticket_id=update.ticket_id, fields=sorted(fields))

    def create_ticket(self, ticket: NewTicket) -> int:
        tokens = self._upload_tokens(ticket.uploads)
        comment_args: dict[str, Any] = {"body": ticket.comment, "public": ticket.public}
        if tokens:
            comment_args["uploads"] = tokens
        new = Ticket(
            subject=ticket.subject,
            comment=Comment(**comment_args),
            requester=User(email=ticket.requester_email, name=ticket.requester_name or None),
            tags=list(ticket.tags),
            custom_fields=[{"id": k, "value": v} for k, v in sorted(ticket.custom_fields.items())],
            external_id=ticket.external_id,
        )
        with _translated("creating a ticket"):
            audit = self._zenpy.tickets.create(new)
            return int(audit.ticket.id)


def _as_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if hasattr(value, "to_dict"):
        result: dict[str, Any] = value.to_dict()
        return result
    return {"id": getattr(value, "id", None), "value": getattr(value, "value", None)}
