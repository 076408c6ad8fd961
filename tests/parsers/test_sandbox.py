"""The sandbox: every hostile file ends with its own reason, within limits, child reaped."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from config.settings import Settings, load_settings
from parsers.document import read_document
from parsers.model import Role
from tests.parsers import pdfs


def limited(**limits: object) -> Settings:
    base: dict[str, object] = {"parse_timeout_seconds": 10, "parse_memory_mb": 512, "max_pages": 5}
    base.update(limits)
    return load_settings(env={}, overrides={"limits": base})


GOOD = pdfs.build(pdfs.Letter(body=["Folgende Rufnummer wird übergeben: 030 12345678"]))


class TestReadDocument:
    def test_good_letter_is_read_in_the_child(self) -> None:
        doc = read_document(GOOD, filename="good.pdf", settings=limited())
        assert doc.error is None
        assert doc.file == "good.pdf"
        assert len(doc.sha256) == 64
        assert [n.range.first for n in doc.numbers if n.role is Role.TRANSFER] == ["+493012345678"]
        assert doc.signature.present

    @pytest.mark.parametrize(
        ("data", "code"),
        [
            (b"hello, not a pdf", "not_pdf"),
            (pdfs.encrypted(), "encrypted"),
            (pdfs.zero_pages(), "no_pages"),
            (GOOD[: len(GOOD) // 2], "truncated"),
            (pdfs.damaged(), "damaged"),
            (pdfs.blank_pdf(7), "too_many_pages"),
        ],
        ids=["not_pdf", "encrypted", "no_pages", "truncated", "damaged", "too_many_pages"],
    )
    def test_hostile_file_gives_its_code(self, data: bytes, code: str) -> None:
        started = time.monotonic()
        doc = read_document(data, filename="x.pdf", settings=limited())
        assert doc.error is not None
        assert doc.error.code == code
        assert doc.error.message.endswith(".")
        assert doc.numbers == ()
        assert time.monotonic() - started < 10

    def test_owner_only_encryption_opens_normally(self) -> None:
        doc = read_document(pdfs.encrypted(user_password=""), filename="o.pdf", settings=limited())
        assert doc.error is None
        assert [n.range.first for n in doc.numbers] == ["+493012345678"]

    def test_too_large_is_refused_before_parsing(self) -> None:
        doc = read_document(
            GOOD, filename="big.pdf", settings=limited(max_file_bytes=len(GOOD) - 1)
        )
        assert doc.error is not None and doc.error.code == "too_large"

    def test_decompression_bomb_hits_the_memory_limit(self) -> None:
        started = time.monotonic()
        doc = read_document(pdfs.bomb(1024), filename="bomb.pdf", settings=limited())
        assert doc.error is not None
        assert doc.error.code == "memory_limit"
        assert time.monotonic() - started < 10

    def test_time_limit_kills_the_child(self) -> None:
        started = time.monotonic()
        doc = read_document(
            GOOD, filename="slow.pdf", settings=limited(parse_timeout_seconds=0.001)
        )
        assert doc.error is not None and doc.error.code == "timeout"
        assert time.monotonic() - started < 6

    def test_children_are_reaped(self) -> None:
        for data in (GOOD, pdfs.zero_pages()):
            read_document(data, filename="x.pdf", settings=limited())
        read_document(GOOD, filename="x.pdf", settings=limited(parse_timeout_seconds=0.001))
        assert multiprocessing.active_children() == []
