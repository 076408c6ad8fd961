from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.errors import SignatureError
from integration.web.signature import parse_timestamp, sign, verify_signature

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
TS = "2026-11-22T09:59:30Z"
BODY = b'{"ticket_id": "42"}'


def _verify(body: bytes = BODY, **kw: object) -> None:
    args: dict[str, object] = {
        "signature": sign("k", TS, body),
        "timestamp": TS,
        "secret": "k",
        "now": NOW,
        "max_age_seconds": 300,
    }
    args.update(kw)
    verify_signature(body, **args)  # type: ignore[arg-type]


class TestSign:
    def test_matches_zendesk_recipe(self) -> None:
        """base64(HMAC-SHA256(secret, timestamp + body)), computed independently."""
        expected = base64.b64encode(
            hmac.new(
                b"dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==",
                (TS + '{"a":1}').encode(),
                hashlib.sha256,
            ).digest()
        ).decode()
        assert sign("dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==", TS, b'{"a":1}') == expected


class TestVerify:
    def test_accepts_fresh_correct_signature(self) -> None:
        _verify()

    def test_fails_closed_without_secret(self) -> None:
        with pytest.raises(SignatureError, match="No webhook secret"):
            _verify(secret="")

    @pytest.mark.parametrize("missing", ["signature", "timestamp"])
    def test_refuses_missing_header(self, missing: str) -> None:
        with pytest.raises(SignatureError):
            _verify(**{missing: None})

    def test_refuses_other_secret(self) -> None:
        with pytest.raises(SignatureError, match="does not match"):
            _verify(signature=sign("other", TS, BODY))

    def test_refuses_tampered_body(self) -> None:
        with pytest.raises(SignatureError):
            _verify(body=b'{"ticket_id": "43"}', signature=sign("k", TS, BODY))

    def test_refuses_body_then_timestamp_order(self) -> None:
        """The old docs' order (body + timestamp) is not accepted."""
        mac = hmac.new(b"k", BODY + TS.encode(), hashlib.sha256).digest()
        with pytest.raises(SignatureError):
            _verify(signature=base64.b64encode(mac).decode())

    def test_refuses_stale_timestamp(self) -> None:
        with pytest.raises(SignatureError, match="too old"):
            _verify(now=NOW + timedelta(seconds=331))

    def test_accepts_at_max_age(self) -> None:
        _verify(now=parse_timestamp(TS) + timedelta(seconds=300))

    def test_refuses_future_timestamp(self) -> None:
        with pytest.raises(SignatureError, match="future"):
            _verify(now=NOW - timedelta(minutes=10))

    def test_refuses_non_iso_timestamp(self) -> None:
        with pytest.raises(SignatureError):
            _verify(timestamp="1700000000", signature=sign("k", "1700000000", BODY))

    @given(body=st.binary(max_size=200), flip=st.integers(min_value=0, max_value=199))
    def test_any_changed_byte_is_refused(self, body: bytes, flip: int) -> None:
        signature = sign("k", TS, body)
        if not body:
            return
        i = flip % len(body)
        changed = body[:i] + bytes([body[i] ^ 1]) + body[i + 1 :]
        with pytest.raises(SignatureError):
            _verify(body=changed, signature=signature)
