"""Signed personal links: one per case, partner side ("a" or "b") and proposal round.

HS256 JWTs (PyJWT) signed with ``PARTNERDESK_LINK_SECRET``. Without a secret nothing is
signed or accepted (fail closed). A token only opens the page of its own case and side,
and expires after ``link_ttl_hours``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from config.errors import ConfigError, LinkError, LinkExpiredError

__all__ = ["AUDIENCE", "LinkClaims", "make_token", "verify_token"]

AUDIENCE = "partnerdesk:slots"
MIN_SECRET_BYTES = 32  # RFC 7518 §3.2: an HS256 key must be at least as long as the hash


@dataclass(frozen=True)
class LinkClaims:
    case_id: int
    side: str  # "a" (source partner) or "b" (target partner)
    round: int


def _key(secret: str) -> bytes:
    key = secret.encode()
    if len(key) < MIN_SECRET_BYTES:
        raise ConfigError(
            f"PARTNERDESK_LINK_SECRET is missing or shorter than {MIN_SECRET_BYTES} bytes; set a long random secret."
        )
    return key


def make_token(claims: LinkClaims, *, secret: str, now: datetime, ttl_hours: int) -> str:
    """A signed token for ``claims`` that expires ``ttl_hours`` after ``now``."""
    if claims.side not in ("a", "b"):
        raise ValueError("side must be 'a' or 'b'")
    payload = {
        "aud": AUDIENCE,
        "sub": f"{claims.case_id}:{claims.side}",
        "case": claims.case_id,
        "side": claims.side,
        "round": claims.round,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=ttl_hours)).timestamp()),
    }
    return jwt.encode(payload, _key(secret), algorithm="HS256")


def verify_token(
    token: str,
    *,
    secret: str,
    now: datetime,
    case_id: int | None = None,
    side: str | None = None,
) -> LinkClaims:
    """The token's claims; raises LinkExpiredError or LinkError for anything not genuine."""
    try:
        key = _key(secret)
    except ConfigError:
        raise LinkError("Links cannot be checked because no link secret is configured.") from None
    try:
        # PyJWT reads the clock itself; verify exp by hand so the injected clock decides.
        payload = jwt.decode(
            token,
            key,
            algorithms=["HS256"],
            audience=AUDIENCE,
            options={"verify_exp": False, "require": ["exp", "aud", "case", "side", "round"]},
        )
    except jwt.PyJWTError:
        raise LinkError("This link is not valid; use the link from the latest e-mail.") from None
    try:
        claims = LinkClaims(int(payload["case"]), str(payload["side"]), int(payload["round"]))
        expires = int(payload["exp"])
    except (TypeError, ValueError):
        raise LinkError("This link is not valid; use the link from the latest e-mail.") from None
    if claims.side not in ("a", "b"):
        raise LinkError("This link is not valid; use the link from the latest e-mail.")
    if (case_id is not None and claims.case_id != case_id) or (
        side is not None and claims.side != side
    ):
        raise LinkError("This link belongs to another case or partner.")
    if now.timestamp() >= expires:
        raise LinkExpiredError("This link has expired; ask support for new proposals.")
    return claims
