"""Zendesk webhook signatures: pure, fail closed, with an injected clock (after gidgethub).

Zendesk signs ``timestamp + raw body`` with HMAC-SHA256 keyed by the signing secret and
sends the base64 digest in ``x-zendesk-webhook-signature`` and the ISO-8601 timestamp in
``x-zendesk-webhook-signature-timestamp``. Zendesk itself sets no replay window, so a
delivery older than ``max_age_seconds`` is refused here.
https://developer.zendesk.com/documentation/webhooks/verifying/
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from datetime import UTC, datetime

from config.errors import SignatureError
from config.settings import ZendeskSettings

__all__ = ["configured_secrets", "parse_timestamp", "sign", "verify_signature"]

# A little tolerance for clocks that run ahead of ours.
FUTURE_SKEW_SECONDS = 60


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature Zendesk sends for ``body`` at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def configured_secrets(zendesk: ZendeskSettings) -> list[str]:
    """Every signing secret accepted: ``webhook_secret`` and the comma-separated
    ``webhook_secrets`` (each Zendesk webhook has a signing secret of its own)."""
    values = [zendesk.webhook_secret.get_secret_value()]
    values += zendesk.webhook_secrets.get_secret_value().split(",")
    out: list[str] = []
    for value in (v.strip() for v in values):
        if value and value not in out:
            out.append(value)
    return out


def parse_timestamp(value: str) -> datetime:
    """An ISO-8601 timestamp as an aware UTC datetime; SignatureError when it is none."""
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SignatureError(
            "The webhook timestamp is not ISO-8601; the delivery was refused."
        ) from None
    if when.tzinfo is None:
        raise SignatureError("The webhook timestamp has no time zone; the delivery was refused.")
    return when.astimezone(UTC)


def verify_signature(
    body: bytes,
    *,
    signature: str | None,
    timestamp: str | None,
    secret: str | Sequence[str],
    now: datetime,
    max_age_seconds: float,
) -> None:
    """Raise SignatureError unless ``signature`` is Zendesk's for ``body`` and fresh.

    ``secret`` may be several secrets (one per webhook); any one of them must match.
    """
    secrets = [secret] if isinstance(secret, str) else list(secret)
    secrets = [s for s in secrets if s]
    if not secrets:
        raise SignatureError(
            "No webhook secret is configured; set PARTNERDESK_WEBHOOK_SECRET to accept deliveries."
        )
    if not signature or not timestamp:
        raise SignatureError("The delivery carries no signature or timestamp; it was refused.")
    given = signature.strip().encode("ascii", "replace")
    matched = False
    for candidate in secrets:  # every candidate is compared: no early exit by secret
        expected = sign(candidate, timestamp, body).encode("ascii")
        matched = hmac.compare_digest(expected, given) or matched
    if not matched:
        raise SignatureError("The webhook signature does not match; check the signing secret.")
    age = (now - parse_timestamp(timestamp)).total_seconds()
    if age > max_age_seconds:
        raise SignatureError(
            "The webhook timestamp is too old; the delivery was refused as a replay."
        )
    if age < -FUTURE_SKEW_SECONDS:
        raise SignatureError("The webhook timestamp lies in the future; check the server clock.")
