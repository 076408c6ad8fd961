"""read_document_inprocess: pre-checks, error mapping, OCR only where it can help."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from config.errors import DocumentReadError
from config.settings import Settings, load_settings
from parsers.document import MESSAGES, _classify, precheck, read_document_inprocess
from tests.parsers import pdfs


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={})


class TestPrecheck:
    def test_header_may_follow_junk_within_1024_bytes(self, settings: Settings) -> None:
        assert precheck(b"\x00" * 500 + b"%PDF-1.7\n", settings=settings) is None

    def test_no_header_is_not_pdf(self, settings: Settings) -> None:
        err = precheck(b"<html>%PDF-</html>".rjust(2000, b" "), settings=settings)
        assert err is not None and err.code == "not_pdf"

    def test_size_cap(self) -> None:
        small = load_settings(env={}, overrides={"limits": {"max_file_bytes": 10}})
        err = precheck(b"%PDF-1.4" + b"x" * 10, settings=small)
        assert err is not None and err.code == "too_large"


class TestClassify:
    def test_bad_alloc_from_a_cpp_library_is_memory(self) -> None:
        exc = RuntimeError(
            "[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Status Message: std::bad_alloc"
        )
        assert _classify(exc, b"%PDF-1.4 ... %%EOF").code == "memory_limit"

    def test_password_error_inside_a_wrapper_is_encrypted(self) -> None:
        class PDFPasswordIncorrect(Exception):
            pass

        class PdfminerException(Exception):
            pass

        assert _classify(PdfminerException(PDFPasswordIncorrect()), b"%%EOF").code == "encrypted"

    def test_cut_off_file_is_truncated_else_damaged(self) -> None:
        assert _classify(ValueError("x"), b"%PDF-1.4 no end").code == "truncated"
        assert _classify(ValueError("x"), b"%PDF-1.4 ...\n%%EOF\n").code == "damaged"

    def test_reader_errors_keep_their_code(self) -> None:
        assert _classify(DocumentReadError("no_pages", "zero"), b"").code == "no_pages"

    def test_every_code_has_one_sentence(self) -> None:
        assert set(MESSAGES) == {
            "not_pdf", "encrypted", "truncated", "too_large", "too_many_pages",
            "no_pages", "timeout", "memory_limit", "damaged", "too_complex", "image_too_large",
        }  # fmt: skip
        assert all(m.endswith(".") and m[0].isupper() for m in MESSAGES.values())


class TestInProcess:
    def test_blank_pages_skip_ocr(self, settings: Settings) -> None:
        """A page with neither text nor images cannot hold text: no OCR run."""
        started = time.monotonic()
        doc = read_document_inprocess(pdfs.blank_pdf(2), filename="b.pdf", settings=settings)
        assert doc.error is None
        assert doc.pages == 2 and doc.ocr_pages == () and doc.numbers == ()
        assert time.monotonic() - started < 2

    def test_sha256_and_file_are_kept_on_failure(self, settings: Settings) -> None:
        doc = read_document_inprocess(b"nope", filename="x.txt", settings=settings)
        assert doc.error is not None and doc.error.code == "not_pdf"
        assert doc.file == "x.txt" and len(doc.sha256) == 64

    @hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.binary(max_size=400), st.integers(0, 1800))
    def test_never_raises_on_mangled_pdfs(self, noise: bytes, cut: int) -> None:
        """Property: whatever the bytes, the reader returns a document, never raises."""
        good = pdfs.build(pdfs.Letter(body=["Folgende Rufnummer wird übergeben: 030 12345678"]))
        data = good[:cut] + noise + good[cut + len(noise) :]
        doc = read_document_inprocess(data, filename="m.pdf", settings=load_settings(env={}))
        assert doc.error is None or doc.error.code in MESSAGES
