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
from datetime import UTC, datetime

from config.errors import SignatureError

__all__ = ["parse_timestamp", "sign", "verify_signature"]

# A little tolerance for clocks that run ahead of ours.
FUTURE_SKEW_SECONDS = 60


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature Zendesk sends for ``body`` at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("utf-8") + body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


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
    secret: str,
    now: datetime,
    max_age_seconds: float,
) -> None:
    """Raise SignatureError unless ``signature`` is Zendesk's for ``body`` and fresh."""
    if not secret:
        raise SignatureError(
            "No webhook secret is configured; set PARTNERDESK_WEBHOOK_SECRET to accept deliveries."
        )
    if not signature or not timestamp:
        raise SignatureError("The delivery carries no signature or timestamp; it was refused.")
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(
        expected.encode("ascii"), signature.strip().encode("ascii", "replace")
    ):
        raise SignatureError("The webhook signature does not match; check the signing secret.")
    age = (now - parse_timestamp(timestamp)).total_seconds()
    if age > max_age_seconds:
        raise SignatureError(
            "The webhook timestamp is too old; the delivery was refused as a replay."
        )
    if age < -FUTURE_SKEW_SECONDS:
        raise SignatureError("The webhook timestamp lies in the future; check the server clock.")
