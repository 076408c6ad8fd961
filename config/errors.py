"""The one exception hierarchy of partnerdesk.

    PartnerdeskError
    ├── ConfigError              settings file or environment is wrong
    ├── UsageError               a command was called wrongly (CLI exit 2)
    ├── DocumentReadError        a document could not be read (carries a code)
    ├── WebhookError
    │   ├── SignatureError       missing/bad/stale webhook signature (HTTP 401)
    │   └── PayloadError         body is not a delivery we understand (HTTP 400)
    ├── HelpdeskError
    │   ├── TransientHelpdeskError   429/5xx/timeout: try again later
    │   └── PermanentHelpdeskError   4xx and other answers that retrying will not fix
    ├── AttachmentError          an attachment could not be fetched or is no PDF
    ├── SchedulingError
    │   ├── SlotTakenError       the slot was booked by someone else meanwhile
    │   └── LinkError            a partner link is forged, expired or foreign
    │       └── LinkExpiredError a genuine partner link that has expired (HTTP 410)
    ├── AppAuthError             the sidebar app's token is missing, expired or foreign
    └── AppActionError           an agent's action in the sidebar app was refused (carries a code)

Every message is one sentence that says what happened and what to do.
"""

from __future__ import annotations

__all__ = [
    "AppActionError",
    "AppAuthError",
    "AttachmentError",
    "ConfigError",
    "DocumentReadError",
    "HelpdeskError",
    "LinkError",
    "LinkExpiredError",
    "PartnerdeskError",
    "PayloadError",
    "PermanentHelpdeskError",
    "SchedulingError",
    "SignatureError",
    "SlotTakenError",
    "TransientHelpdeskError",
    "UsageError",
    "WebhookError",
    "WriteConflictError",
]


class PartnerdeskError(Exception):
    """Base of every error partnerdesk raises on purpose."""


class ConfigError(PartnerdeskError):
    """The settings file or environment is wrong."""


class UsageError(PartnerdeskError):
    """A command was called wrongly."""


class DocumentReadError(PartnerdeskError):
    """A document could not be read; ``code`` says why in one word."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class WebhookError(PartnerdeskError):
    """A webhook delivery was refused."""


class SignatureError(WebhookError):
    """The webhook signature is missing, wrong or too old."""


class PayloadError(WebhookError):
    """The webhook body is not a delivery partnerdesk understands."""


class HelpdeskError(PartnerdeskError):
    """Zendesk did not do what was asked."""


class TransientHelpdeskError(HelpdeskError):
    """Zendesk is rate-limiting, unavailable or slow; retry later."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WriteConflictError(TransientHelpdeskError):
    """Zendesk refused a ``safe_update`` because the ticket changed since it was read (409)."""


class PermanentHelpdeskError(HelpdeskError):
    """Zendesk refused the request in a way retrying will not fix."""


class AttachmentError(PartnerdeskError):
    """An attachment could not be downloaded or is not a PDF."""

    def __init__(self, code: str, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.transient = transient


class SchedulingError(PartnerdeskError):
    """A cutover slot could not be proposed, accepted or booked."""


class SlotTakenError(SchedulingError):
    """The slot was taken by another booking meanwhile."""


class LinkError(SchedulingError):
    """A partner link is forged, expired or belongs to another case or partner."""


class LinkExpiredError(LinkError):
    """A genuine partner link whose time is up."""


class AppAuthError(PartnerdeskError):
    """The sidebar app's token is missing, expired, forged or for another ticket."""


class AppActionError(PartnerdeskError):
    """An agent's action in the sidebar app was refused; ``code`` names why for the app."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
