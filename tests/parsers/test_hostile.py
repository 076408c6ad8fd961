"""Hostile input ends fast: refused from dictionaries and capped decoding, not by the limits.

The time and peak-memory bounds are the issue's, measured in a fresh interpreter per file
(``hostile.measure``); the peak includes the imported reader (about 90 MB).
"""

from __future__ import annotations

import struct
import time

import pytest
from pdfminer.pdftypes import PDFStream

from config.errors import DocumentReadError
from config.settings import Settings, load_settings
from parsers.document import read_document, read_document_inprocess
from parsers.limits import decoded_size, jbig2_dimensions
from parsers.sandbox import render_sandboxed
from tests.parsers import hostile, pdfs

MB = 300  # peak resident memory allowed for any hostile file


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(env={})


@pytest.mark.parametrize(
    ("build", "code", "seconds"),
    [
        (lambda: hostile.content_bomb(330), "too_complex", 10),
        (lambda: hostile.many_pages(160_000), "too_many_pages", 5),
        (lambda: hostile.big_image((20_000, 20_000)), "image_too_large", 5),
        (lambda: hostile.big_image((30_000, 30_000), kind="jbig2"), "image_too_large", 5),
    ],
    ids=["content_330mb", "pages_160000", "image_20000", "jbig2_30000"],
)
def test_issue_cases_end_fast_and_small(build: object, code: str, seconds: float) -> None:
    data = build()  # type: ignore[operator]
    assert len(data) < 20 * 1024 * 1024  # small on disk, as such files arrive
    measured = hostile.measure(data)
    assert measured.code == code
    assert measured.seconds < seconds
    assert measured.peak_mb < MB


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (hostile.big_image((100, 100), kind="jbig2", encoded_size=(30_000, 30_000)), "image_too_large"),
        (hostile.big_image((100, 100), kind="jpeg", encoded_size=(30_000, 30_000)), "image_too_large"),
        (hostile.big_image((12_000, 5_000), kind="jpeg"), "image_too_large"),
        (hostile.many_operators(400_000), "too_complex"),
        (hostile.many_pages(2_000, count=1), "too_many_pages"),
        (hostile.font_bomb(330), "too_complex"),
        (hostile.object_stream_bomb(330), "too_complex"),
    ],
    ids=[
        "jbig2_lying_dict", "jpeg_lying_dict", "jpeg_dict", "operators", "lying_count",
        "tounicode_330mb", "object_stream_330mb",
    ],
)  # fmt: skip
def test_refused_before_interpreting(data: bytes, code: str, settings: Settings) -> None:
    started = time.monotonic()
    doc = read_document_inprocess(data, filename="h.pdf", settings=settings)
    assert doc.error is not None and doc.error.code == code
    assert doc.error.message.endswith(".")
    assert time.monotonic() - started < 5


def test_inline_image_and_page_bitmap_are_measured(settings: Settings) -> None:
    inline = b"q 100 0 0 100 0 0 cm BI /W 30000 /H 30000 /CS /G /BPC 8 ID \x00\x00 EI Q"
    data = hostile.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(inline), inline),
        ]
    )
    doc = read_document_inprocess(data, filename="i.pdf", settings=settings)
    assert doc.error is not None and doc.error.code == "image_too_large"
    # a small image on a page of 14400 pt square: its bitmap for OCR would be 3.6 Gpx
    huge_page = hostile.big_image((50, 50)).replace(b"[0 0 595 842]", b"[0 0 14400 14400]")
    doc = read_document_inprocess(huge_page, filename="p.pdf", settings=settings)
    assert doc.error is not None and doc.error.code == "image_too_large"
    assert "page bitmap" in doc.error.message


def _hidden_image(where: str) -> bytes:
    """A huge JBIG2 image drawn only from an annotation's appearance or a tiling pattern."""
    image = hostile._stream(
        b"/Type /XObject /Subtype /Image /Width 30000 /Height 30000 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 1 /Filter /JBIG2Decode",
        hostile._jbig2(30_000, 30_000),
    )
    draws = b"q 100 0 0 100 0 0 cm /Im1 Do Q"
    res = b"/Resources << /XObject << /Im1 5 0 R >> >>"
    if where == "annotation":
        page = b"/Annots [6 0 R]"
        content = b""
        extra = [
            b"<< /Type /Annot /Subtype /Stamp /Rect [0 0 100 100] /AP << /N 7 0 R >> >>",
            hostile._stream(b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] " + res, draws),
        ]
    else:
        page = b"/Resources << /Pattern << /P1 6 0 R >> >>"
        content = b"/Pattern cs /P1 scn 0 0 595 842 re f"
        extra = [
            hostile._stream(
                b"/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 "
                b"/BBox [0 0 100 100] /XStep 100 /YStep 100 " + res,
                draws,
            )
        ]
    return hostile.pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            + page
            + b" >>",
            hostile._stream(b"", content),
            image,
            *extra,
        ]
    )


@pytest.mark.parametrize("where", ["annotation", "pattern"])
def test_images_drawn_from_annotations_and_patterns_are_measured(
    where: str, settings: Settings
) -> None:
    doc = read_document_inprocess(_hidden_image(where), filename="a.pdf", settings=settings)
    assert doc.error is not None and doc.error.code == "image_too_large"


def test_small_object_streams_and_fonts_pass(settings: Settings) -> None:
    for data in (hostile.object_stream_bomb(2), hostile.font_bomb(2)):
        assert read_document_inprocess(data, filename="s.pdf", settings=settings).error is None


def test_limits_are_settings() -> None:
    """Raising a cap lets the same file through to the next guard."""
    data = hostile.many_operators(5_000)
    assert (
        read_document_inprocess(data, filename="o.pdf", settings=load_settings(env={})).error
        is None
    )
    strict = load_settings(env={}, overrides={"limits": {"max_page_operators": 1_000}})
    doc = read_document_inprocess(data, filename="o.pdf", settings=strict)
    assert doc.error is not None and doc.error.code == "too_complex"
    small = hostile.big_image((3000, 3000))
    tight = load_settings(env={}, overrides={"limits": {"max_image_pixels": 1_000_000}})
    doc = read_document_inprocess(small, filename="s.pdf", settings=tight)
    assert doc.error is not None and doc.error.code == "image_too_large"


def test_normal_letters_pass_the_checks(settings: Settings) -> None:
    letter = pdfs.build(pdfs.Letter(body=["Folgende Rufnummer wird übergeben: 030 12345678"]))
    assert read_document_inprocess(letter, filename="l.pdf", settings=settings).error is None
    scan = pdfs.scanned(letter, dpi=100)
    offline = load_settings(env={}, overrides={"ocr": {"enabled": False}})
    assert read_document_inprocess(scan, filename="s.pdf", settings=offline).error is None


def test_the_sandbox_reports_the_same_codes(settings: Settings) -> None:
    started = time.monotonic()
    for data, code in (
        (hostile.content_bomb(330), "too_complex"),
        (hostile.many_pages(160_000), "too_many_pages"),
        (hostile.big_image((30_000, 30_000), kind="jbig2"), "image_too_large"),
    ):
        doc = read_document(data, filename="h.pdf", settings=settings)
        assert doc.error is not None and doc.error.code == code
    assert time.monotonic() - started < 15


def test_sidebar_render_refuses_hostile_pages(settings: Settings) -> None:
    with pytest.raises(DocumentReadError) as caught:
        render_sandboxed(
            hostile.big_image((20_000, 20_000)), page=1, dpi=110, max_side=4000, settings=settings
        )
    assert caught.value.code == "image_too_large"
    with pytest.raises(DocumentReadError) as caught:
        render_sandboxed(
            hostile.content_bomb(330), page=1, dpi=110, max_side=4000, settings=settings
        )
    assert caught.value.code == "too_complex"
    slow = load_settings(env={}, overrides={"limits": {"parse_timeout_seconds": 0.001}})
    letter = pdfs.build(pdfs.Letter(body=["Folgende Rufnummer wird übergeben: 030 12345678"]))
    with pytest.raises(DocumentReadError) as caught:
        render_sandboxed(letter, page=1, dpi=110, max_side=4000, settings=slow)
    assert caught.value.code == "timeout"


class TestPieces:
    def test_jbig2_segments(self) -> None:
        data = hostile._jbig2(1234, 5678)
        assert list(jbig2_dimensions(data)) == [(1234, 5678)]
        # a generic region segment (type 38) with a 4-byte page association
        region = struct.pack(">IIII", 70, 80, 0, 0) + b"\x00"
        segment = struct.pack(">IBB", 2, 38 | 0x40, 0) + struct.pack(">II", 1, len(region))
        assert list(jbig2_dimensions(data + segment + region)) == [(1234, 5678), (70, 80)]
        assert list(jbig2_dimensions(b"\x00\x01")) == []

    def test_decoded_size_stops_at_the_cap(self) -> None:
        from pdfminer.pdftypes import PDFStream
        from pdfminer.psparser import LIT

        data = hostile._repeated_deflate(b"x" * 1024 * 1024, 64)
        stream = PDFStream({"Filter": LIT("FlateDecode")}, data)
        size, head = decoded_size(stream, cap=1000)
        assert size == 1001 and len(head) == 1001
        size, _ = decoded_size(stream, cap=1 << 30)
        assert size == 64 * 1024 * 1024

    def test_ascii85_before_flate_is_capped_too(self) -> None:
        import base64

        from pdfminer.pdftypes import PDFStream
        from pdfminer.psparser import LIT

        data = hostile._repeated_deflate(b"x" * 1024 * 1024, 64)
        armoured = base64.a85encode(data, adobe=True)[2:]  # PDF drops the leading <~
        stream = PDFStream({"Filter": [LIT("ASCII85Decode"), LIT("FlateDecode")]}, armoured)
        size, head = decoded_size(stream, cap=1000)
        assert size == 1001 and head == b"x" * 1001
        hexed = PDFStream({"Filter": LIT("ASCIIHexDecode")}, b"414243>")
        assert decoded_size(hexed, cap=10) == (3, b"ABC")


class TestDecodedOnce:
    """A page's content stream measured whole is handed to pdfminer, never decoded twice."""

    @staticmethod
    def _stream(data: bytes, *filters: str, **params: object) -> PDFStream:
        import base64
        import zlib

        from pdfminer.psparser import LIT

        raw = zlib.compress(data)
        if "ASCII85Decode" in filters:
            raw = base64.a85encode(raw, adobe=True)[2:]
        attrs: dict[str, object] = {"Filter": [LIT(f) for f in filters]}
        if params:
            attrs["DecodeParms"] = [None] * (len(filters) - 1) + [params]
        return PDFStream(attrs, raw)

    def test_a_whole_stream_is_what_pdfminer_decodes(self) -> None:
        from parsers.limits import _decode_capped

        content = b"BT /F1 11 Tf 72 720 Td (Rufnummer 030 12345678) Tj ET\n" * 50
        for filters in (("FlateDecode",), ("ASCII85Decode", "FlateDecode")):
            stream = self._stream(content, *filters)
            size, data, exact = _decode_capped(stream, 1 << 20)
            assert exact and size == len(content) and data == content
            assert self._stream(content, *filters).get_data() == data

    def test_a_part_or_a_predictor_is_left_to_pdfminer(self) -> None:
        from parsers.limits import _decode_capped

        content = b"0 0 m 10 10 l S\n" * 100
        assert not _decode_capped(self._stream(content, "FlateDecode"), 100)[2]
        stream = self._stream(content, "FlateDecode", Predictor=12, Columns=4)
        assert not _decode_capped(stream, 1 << 20)[2]

    def test_a_stream_decoded_already_is_measured_as_it_is(self) -> None:
        content = b"0 0 m 10 10 l S\n" * 100
        stream = self._stream(content, "FlateDecode")
        stream.get_data()  # pdfminer drew it on an earlier page
        assert decoded_size(stream, cap=1 << 20) == (len(content), content)

    def test_check_page_hands_the_content_to_pdfminer(self, settings: Settings) -> None:
        from parsers.limits import CappedPDF, check_page

        letter = pdfs.build(pdfs.Letter(body=["Folgende Rufnummer wird übergeben: 030 12345678"]))
        with CappedPDF(letter, max_pages=5) as pdf:
            page = pdf.pages[0]
            check_page(page.page_obj, limits=settings.limits)
            streams = [s for s in page.page_obj.contents if s is not None]
            decoded = [s.resolve() if hasattr(s, "resolve") else s for s in streams]
            assert all(s.rawdata is None and s.data for s in decoded)
            assert "030 12345678" in page.extract_text()
