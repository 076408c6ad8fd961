"""Who may call the sidebar backend: the HS256 JWT that Zendesk's proxy signs for the app.

The app asks Zendesk to sign a token with the secure setting ``shared_secret`` (the same
value as ``PARTNERDESK_APP_SECRET``). The claims are written by JavaScript in the agent's
browser, so the signature proves only that the request came through the installed app;
each request is therefore authorised per ticket: the ticket in the URL must be the one in
the signed claims. See docs/facts.md, "Zendesk apps (sidebar)".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from config.errors import AppAuthError

__all__ = [
    "MAX_TOKEN_LIFETIME_SECONDS",
    "AgentClaims",
    "authorize_ticket",
    "page_signature",
    "verify_app_token",
    "verify_page_signature",
]


MAX_TOKEN_LIFETIME_SECONDS = 3600  # exp - iat of an app token; settings may lower it
PAGE_AUDIENCE = "partnerdesk-app-page"


@dataclass(frozen=True)
class AgentClaims:
    """What a verified token says: the ticket the app is open on and the agent using it."""

    ticket_id: int
    agent_id: int | None
    expires_at: datetime


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def verify_app_token(
    authorization: str | None,
    *,
    secret: str,
    leeway_seconds: int,
    now: datetime,
    max_lifetime_seconds: int = MAX_TOKEN_LIFETIME_SECONDS,
) -> AgentClaims:
    """Check the ``Authorization: Bearer <jwt>`` header; raise AppAuthError when it fails.

    Fails closed: no secret configured, no header, a token without ``iat`` or ``exp``, a
    lifetime ``exp - iat`` above ``max_lifetime_seconds`` (at most one hour: the app's
    JavaScript chooses the claims, so the server bounds them), a token issued in the
    future or expired beyond the leeway, a wrong signature or algorithm all raise.
    """
    if not secret:
        raise AppAuthError(
            "The sidebar app's shared secret is not configured; set PARTNERDESK_APP_SECRET on the server."
        )
    if not authorization or not authorization.startswith("Bearer "):
        raise AppAuthError("The request carries no app token; open the app from a Zendesk ticket.")
    token = authorization[len("Bearer ") :].strip()
    try:
        # Times are checked below against the injected clock, not PyJWT's own.
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["exp", "iat"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.MissingRequiredClaimError as exc:
        what = "expiry" if exc.claim == "exp" else "issue time"
        raise AppAuthError(f"The app token has no {what}; it is refused.") from None
    except jwt.InvalidTokenError:
        raise AppAuthError("The app token is not valid; reload the app in Zendesk.") from None
    exp, iat = claims.get("exp"), claims.get("iat")
    for value in (exp, iat):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise AppAuthError("The app token's times are not times; it is refused.")
    assert isinstance(exp, int | float) and isinstance(iat, int | float)
    lifetime = min(max_lifetime_seconds, MAX_TOKEN_LIFETIME_SECONDS)
    if exp - iat > lifetime or exp < iat:
        raise AppAuthError("The app token lives too long; it is refused.")
    if iat > now.timestamp() + leeway_seconds:
        raise AppAuthError("The app token is issued in the future; check the clocks.")
    expires_at = datetime.fromtimestamp(exp, tz=UTC)
    if now > expires_at + timedelta(seconds=leeway_seconds):
        raise AppAuthError("The app token has expired; reload the app in Zendesk.")
    ticket_id = _as_int(claims.get("ticket_id"))
    if ticket_id is None:
        raise AppAuthError("The app token names no ticket; reload the app in Zendesk.")
    return AgentClaims(
        ticket_id=ticket_id, agent_id=_as_int(claims.get("agent_id")), expires_at=expires_at
    )


def authorize_ticket(claims: AgentClaims, ticket_id: int) -> None:
    """Raise AppAuthError unless the token was issued for ``ticket_id``."""
    if claims.ticket_id != ticket_id:
        raise AppAuthError(
            "The app token belongs to another ticket; reload the app on this ticket."
        )


def _page_key(secret: str) -> bytes:
    # A key of its own, so a page link can never be replayed as anything else.
    return hashlib.sha256(b"partnerdesk-app-page\x00" + secret.encode()).digest()


def page_signature(*, secret: str, ticket_id: int, sha256: str, page: int, expires: int) -> str:
    """The signed token of a page-image link (images load without the app's JWT header).

    An HS256 JWT (PyJWT) under a key derived for page links only, naming the ticket,
    document and page, expiring at ``expires``.
    """
    claims = {"aud": PAGE_AUDIENCE, "tid": ticket_id, "doc": sha256, "page": page, "exp": expires}
    return jwt.encode(claims, _page_key(secret), algorithm="HS256")


def verify_page_signature(
    *,
    secret: str,
    ticket_id: int,
    sha256: str,
    page: int,
    expires: int,
    signature: str,
    now: datetime,
) -> None:
    """Raise AppAuthError unless the page link is genuine, for this page, and not expired."""
    if not secret:
        raise AppAuthError(
            "The sidebar app's shared secret is not configured; set PARTNERDESK_APP_SECRET on the server."
        )
    try:
        claims = jwt.decode(
            signature,
            _page_key(secret),
            algorithms=["HS256"],
            audience=PAGE_AUDIENCE,
            options={"require": ["exp"], "verify_exp": False},
        )
    except jwt.InvalidTokenError:
        raise AppAuthError("The page link is not valid; reload the app in Zendesk.") from None
    named = (claims.get("tid"), claims.get("doc"), claims.get("page"), claims.get("exp"))
    if named != (ticket_id, sha256, page, expires):
        raise AppAuthError("The page link is not valid; reload the app in Zendesk.")
    if now.timestamp() > expires:
        raise AppAuthError("The page link has expired; reload the app in Zendesk.")
