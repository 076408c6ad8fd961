from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.errors import ConfigError, LinkError, LinkExpiredError
from handlers.scheduling.links import LinkClaims, make_token, verify_token

SECRET = "s" * 40
NOW = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _token(**kw: object) -> str:
    claims = kw.pop("claims", LinkClaims(7, "a", 1))
    return make_token(claims, secret=SECRET, now=NOW, ttl_hours=168)  # type: ignore[arg-type]


class TestLinks:
    def test_round_trip(self) -> None:
        assert verify_token(_token(), secret=SECRET, now=NOW, case_id=7, side="a") == LinkClaims(
            7, "a", 1
        )

    def test_expired(self) -> None:
        """One second past the TTL the link is expired (LinkExpiredError, a LinkError)."""
        later = NOW + timedelta(hours=168, seconds=1)
        with pytest.raises(LinkExpiredError):
            verify_token(_token(), secret=SECRET, now=later)

    def test_foreign_case_or_side(self) -> None:
        with pytest.raises(LinkError):
            verify_token(_token(), secret=SECRET, now=NOW, case_id=8)
        with pytest.raises(LinkError):
            verify_token(_token(), secret=SECRET, now=NOW, side="b")

    def test_other_secret(self) -> None:
        with pytest.raises(LinkError):
            verify_token(_token(), secret="t" * 40, now=NOW)

    def test_alg_none_refused(self) -> None:
        forged = jwt.encode(
            {"aud": "partnerdesk:slots", "case": 7, "side": "a", "round": 1, "exp": 2**40},
            key="",
            algorithm="none",
        )
        with pytest.raises(LinkError):
            verify_token(forged, secret=SECRET, now=NOW)

    def test_fail_closed_without_secret(self) -> None:
        with pytest.raises(ConfigError):
            make_token(LinkClaims(1, "a", 1), secret="", now=NOW, ttl_hours=1)
        with pytest.raises(LinkError):
            verify_token(_token(), secret="", now=NOW)

    @given(st.integers(0, 200), st.sampled_from("0123456789abcdefghijklmnopqrstuvwxyz_-"))
    def test_tampering_refused(self, pos: int, char: str) -> None:
        """Changing any one character of the token breaks it."""
        token = _token()
        pos %= len(token)
        if token[pos] == char:
            return
        tampered = token[:pos] + char + token[pos + 1 :]
        try:
            claims = verify_token(tampered, secret=SECRET, now=NOW)
        except LinkError:
            return
        # base64url's last character may carry unused bits: the payload must be unchanged
        assert claims == LinkClaims(7, "a", 1)
