"""Logging never carries unmasked numbers, names or document text."""

from __future__ import annotations

import json

import pytest
import structlog

from integration.logs import configure_logging, get_logger, mask_numbers


class TestMaskNumbers:
    @pytest.mark.parametrize(
        "raw",
        [
            "030 12345678",
            "+49 30 1234567-0",
            "0049 (30) 123 456 78",
            "+4917612345678",
            "030/1234-00",
        ],
    )
    def test_phone_numbers_keep_only_two_digits(self, raw: str) -> None:
        masked = mask_numbers(f"number {raw} moved")
        digits = [c for c in masked if c.isdigit()]
        assert len(digits) == 2
        assert masked.endswith(" moved")

    def test_short_numbers_stay(self) -> None:
        assert mask_numbers("ticket 4711, page 2") == "ticket 4711, page 2"


class TestConfiguredLogger:
    def test_json_lines_are_masked_and_redacted(self, capsys: pytest.CaptureFixture[str]) -> None:
        configure_logging(fmt="json", level="INFO")
        log = get_logger("t")
        log.info("parsed", ticket_id=42, number="+493012345678", text="Sehr geehrte Damen", count=3)
        line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
        assert line["ticket_id"] == 42 and line["count"] == 3
        assert "12345" not in line["number"]
        assert line["text"] == "[redacted]"
        assert line["level"] == "info" and "timestamp" in line
        structlog.reset_defaults()

    def test_exception_messages_are_masked(self, capsys: pytest.CaptureFixture[str]) -> None:
        configure_logging(fmt="json", level="INFO")
        try:
            raise ValueError("bad number 030 12345678")
        except ValueError:
            get_logger("t").exception("failed")
        err = capsys.readouterr().err
        assert "12345678" not in err
        assert "failed" in err
        structlog.reset_defaults()


class TestLibraryLogs:
    """Issue 12, finding 8: uvicorn's traceback logged the digits unmasked."""

    @pytest.mark.parametrize("name", ["uvicorn.error", "uvicorn.access", "huey", "sqlalchemy"])
    def test_stdlib_records_are_masked(self, capsys: pytest.CaptureFixture[str], name: str) -> None:
        import logging

        logging.getLogger("uvicorn.error").addHandler(logging.StreamHandler())  # as uvicorn does
        configure_logging(fmt="json", level="INFO")
        logger = logging.getLogger(name)
        try:
            int("0301234567²")
        except ValueError:
            logger.exception("Exception in ASGI application: choice=%s", "0301234567²")
        err = capsys.readouterr().err
        line = json.loads(err.strip().splitlines()[-1])
        text = json.dumps(line, ensure_ascii=False)
        assert "0301234567" not in text and "•67" in line["event"]
        assert "•67" in line["exception"][0]["exc_value"]
        assert line["logger"] == name and line["level"] == "error"

    def test_console_format_masks_too(self, capsys: pytest.CaptureFixture[str]) -> None:
        import logging

        configure_logging(fmt="console", level="INFO")
        logging.getLogger("uvicorn.error").warning("number %s", "+49 30 12345678")
        err = capsys.readouterr().err
        assert "12345678" not in err and "78" in err
