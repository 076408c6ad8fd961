"""Imported once by the parsing zygote (``parsers._zygote``): load the reader, warm it up.

Every document child is a fork of the zygote, so imports, lazily imported libraries
(pyHanko for digital signatures) and lazily built tables (phonenumbers region metadata,
pdfminer's font metrics and encodings) are paid once here, by reading a small built-in
letter, instead of once per document. RapidOCR is not loaded: its engine starts
threads, which do not survive a fork; a child loads it on first use.
"""

from __future__ import annotations

import numpy
import pdfplumber
import pypdfium2
from PIL import Image, PngImagePlugin

import parsers.document
import parsers.limits
import parsers.ocr
import parsers.render
from config.settings import load_settings

__all__: list[str] = []

_ = (numpy, pdfplumber, pypdfium2, Image, PngImagePlugin, parsers.limits, parsers.ocr)


def _letter() -> bytes:
    """A one-page PDF with a line of Helvetica text: exercises the whole text path."""
    text = b"Folgende Rufnummern werden uebergeben: 030 12345678, 0221 4711-10 bis -15"
    content = b"BT /F1 11 Tf 72 720 Td (" + text + b") Tj ET 72 600 m 200 600 l S"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_WARM = parsers.document.read_document_inprocess(
    _letter(), filename="warm.pdf", settings=load_settings(env={})
)
parsers.render.render_page_png(
    _letter(), page=1, dpi=36, max_side=400, settings=load_settings(env={})
)
