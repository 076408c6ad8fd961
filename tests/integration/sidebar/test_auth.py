"""Verifying the app's JWT and the signed page links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.errors import AppAuthError
from integration.sidebar.auth import (
    authorize_ticket,
    page_signature,
    verify_app_token,
    verify_page_signature,
)

SECRET = "a-shared-secret-of-at-least-32-bytes!"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def bearer(claims: dict[str, object], secret: str = SECRET, algorithm: str = "HS256") -> str:
    """A token as Zendesk signs it; ``iat`` one minute ago unless given (None: left out)."""
    claims = {"iat": exp(-60), **claims}
    if claims["iat"] is None:
        del claims["iat"]
    return "Bearer " + jwt.encode(claims, secret, algorithm=algorithm)


def verify(header: str | None, *, secret: str = SECRET) -> object:
    return verify_app_token(header, secret=secret, leeway_seconds=30, now=NOW)


def exp(delta: float) -> int:
    return int((NOW + timedelta(seconds=delta)).timestamp())


class TestVerifyAppToken:
    def test_claims_are_returned(self) -> None:
        """ticket and agent ids come back as ints, also when sent as strings."""
        claims = verify(bearer({"ticket_id": "17", "agent_id": 5, "exp": exp(60)}))
        assert (claims.ticket_id, claims.agent_id) == (17, 5)  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        "header",
        [None, "", "Basic abc", "Bearer ", "Bearer not.a.jwt"],
    )
    def test_malformed_headers_are_refused(self, header: str | None) -> None:
        """Anything but a Bearer JWT raises."""
        with pytest.raises(AppAuthError):
            verify(header)

    def test_no_secret_fails_closed(self) -> None:
        """Without a configured secret even a well-formed token is refused."""
        with pytest.raises(AppAuthError, match="PARTNERDESK_APP_SECRET"):
            verify(bearer({"ticket_id": 1, "exp": exp(60)}), secret="")

    def test_leeway(self) -> None:
        """Expired 20 s ago passes with 30 s leeway; 40 s ago does not."""
        verify(bearer({"ticket_id": 1, "exp": exp(-20)}))
        with pytest.raises(AppAuthError, match="expired"):
            verify(bearer({"ticket_id": 1, "exp": exp(-40)}))

    def test_exp_is_required(self) -> None:
        with pytest.raises(AppAuthError, match="expiry"):
            verify(bearer({"ticket_id": 1}))

    def test_iat_is_required(self) -> None:
        """Issue 12, finding 6: without an issue time the lifetime is unknown."""
        with pytest.raises(AppAuthError, match="issue time"):
            verify(bearer({"ticket_id": 1, "exp": exp(60), "iat": None}))

    def test_far_future_expiry_is_refused(self) -> None:
        """Issue 12, finding 6: exp = 10**10 was accepted; the lifetime is at most 1 h."""
        with pytest.raises(AppAuthError, match="too long"):
            verify(bearer({"ticket_id": 1, "exp": 10**10}))
        with pytest.raises(AppAuthError, match="too long"):
            verify(bearer({"ticket_id": 1, "iat": exp(0), "exp": exp(3601)}))
        verify(bearer({"ticket_id": 1, "iat": exp(0), "exp": exp(3600)}))

    def test_lifetime_can_be_lowered_not_raised(self) -> None:
        token = bearer({"ticket_id": 1, "iat": exp(0), "exp": exp(900)})
        with pytest.raises(AppAuthError, match="too long"):
            verify_app_token(
                token, secret=SECRET, leeway_seconds=30, now=NOW, max_lifetime_seconds=600
            )
        with pytest.raises(AppAuthError, match="too long"):
            verify_app_token(
                bearer({"ticket_id": 1, "iat": exp(0), "exp": exp(7200)}),
                secret=SECRET,
                leeway_seconds=30,
                now=NOW,
                max_lifetime_seconds=86400,
            )

    def test_the_setting_cannot_raise_the_lifetime(self, tmp_path: Path) -> None:
        from config.errors import ConfigError
        from tests.integration.conftest import make_settings

        assert make_settings(tmp_path, app={"token_max_lifetime_seconds": 600})
        with pytest.raises(ConfigError):
            make_settings(tmp_path, app={"token_max_lifetime_seconds": 7200})

    def test_issued_in_the_future_is_refused(self) -> None:
        with pytest.raises(AppAuthError, match="future"):
            verify(bearer({"ticket_id": 1, "iat": exp(120), "exp": exp(600)}))

    def test_ticket_claim_is_required(self) -> None:
        with pytest.raises(AppAuthError, match="no ticket"):
            verify(bearer({"ticket": 1, "exp": exp(60)}))

    def test_other_algorithms_are_refused(self) -> None:
        """HS512 with the right secret is still not what the app sends."""
        with pytest.raises(AppAuthError):
            verify(bearer({"ticket_id": 1, "exp": exp(60)}, algorithm="HS512"))

    @given(st.integers(min_value=0, max_value=200), st.integers(min_value=1, max_value=255))
    def test_any_flipped_byte_is_refused(self, position: int, flip: int) -> None:
        """Changing any character of the token makes it invalid (or leaves it unchanged)."""
        token = jwt.encode(
            {"ticket_id": 1, "exp": exp(60), "iat": exp(-60)}, SECRET, algorithm="HS256"
        )
        i = position % len(token)
        changed = token[:i] + chr((ord(token[i]) + flip) % 128 or 65) + token[i + 1 :]
        if changed == token:
            return
        try:
            claims = verify("Bearer " + changed)
        except AppAuthError:
            return
        # base64url has padding bits: a change there can decode to the same bytes
        assert jwt.decode(changed, SECRET, algorithms=["HS256"]) == jwt.decode(
            token, SECRET, algorithms=["HS256"]
        )
        assert claims.ticket_id == 1  # type: ignore[attr-defined]


def test_authorize_ticket() -> None:
    """The ticket in the URL must be the token's."""
    claims = verify_app_token(
        bearer({"ticket_id": 7, "exp": exp(60)}), secret=SECRET, leeway_seconds=0, now=NOW
    )
    assert claims.ticket_id == 7
    authorize_ticket(claims, 7)
    with pytest.raises(AppAuthError, match="another ticket"):
        authorize_ticket(claims, 8)


class TestPageLinks:
    def test_round_trip(self) -> None:
        sig = page_signature(secret=SECRET, ticket_id=1, sha256="a" * 64, page=2, expires=exp(60))
        verify_page_signature(
            secret=SECRET,
            ticket_id=1,
            sha256="a" * 64,
            page=2,
            expires=exp(60),
            signature=sig,
            now=NOW,
        )

    @pytest.mark.parametrize(
        ("ticket", "page", "secret"), [(2, 2, SECRET), (1, 3, SECRET), (1, 2, SECRET + "x")]
    )
    def test_other_ticket_page_or_secret_is_refused(
        self, ticket: int, page: int, secret: str
    ) -> None:
        sig = page_signature(secret=SECRET, ticket_id=1, sha256="a" * 64, page=2, expires=exp(60))
        with pytest.raises(AppAuthError):
            verify_page_signature(
                secret=secret,
                ticket_id=ticket,
                sha256="a" * 64,
                page=page,
                expires=exp(60),
                signature=sig,
                now=NOW,
            )

    def test_expired_link_is_refused(self) -> None:
        sig = page_signature(secret=SECRET, ticket_id=1, sha256="a" * 64, page=1, expires=exp(-1))
        with pytest.raises(AppAuthError, match="expired"):
            verify_page_signature(
                secret=SECRET,
                ticket_id=1,
                sha256="a" * 64,
                page=1,
                expires=exp(-1),
                signature=sig,
                now=NOW,
            )

    def test_page_key_differs_from_the_jwt_key(self) -> None:
        """A page link is a PyJWT token under a derived key: the raw secret cannot read it,
        and an app token cannot serve as a page link (no cross-use)."""
        sig = page_signature(secret=SECRET, ticket_id=1, sha256="a" * 64, page=1, expires=5)
        with pytest.raises(jwt.InvalidTokenError):
            jwt.decode(sig, SECRET, algorithms=["HS256"], audience="partnerdesk-app-page")
        app_token = bearer({"ticket_id": 1, "exp": exp(60)})[len("Bearer ") :]
        with pytest.raises(AppAuthError):
            verify_page_signature(
                secret=SECRET,
                ticket_id=1,
                sha256="a" * 64,
                page=1,
                expires=exp(60),
                signature=app_token,
                now=NOW,
            )
