"""Imported once by the parsing zygote (``parsers._zygote``): load the reader, warm it up.

Every document child is a fork of the zygote, so imports, lazily imported libraries
(pyHanko for digital signatures) and lazily built tables (phonenumbers region metadata,
pdfminer's font metrics and encodings, compiled patterns) are paid once here, by
reading a small built-in letter, instead of once per document. RapidOCR is not loaded:
its engine starts threads, which do not survive a fork; a child loads it on first use.

``warm_up`` is also what the zygote's spare child runs before it waits for a job: the
same read touches (and so copies, after the fork) the memory pages a real letter's
read touches, so a document handed to the spare does not pay those page copies.
"""

from __future__ import annotations

import json
import pickle

import numpy
import pdfplumber
import pypdfium2
from PIL import Image, PngImagePlugin

import parsers.document
import parsers.limits
import parsers.ocr
import parsers.render
from config.settings import load_settings

__all__ = ["warm_up", "warm_up_letter"]

_ = (numpy, pdfplumber, pypdfium2, Image, PngImagePlugin, parsers.limits, parsers.ocr)

# (font, size, x, y, text) in points from the bottom left; F1 Helvetica, F2 bold.
_LINES: tuple[tuple[str, float, float, float, str], ...] = (
    ("F2", 13, 330, 800, "Beispiel Telekom GmbH"),
    ("F1", 8, 330, 788, "Hauptstraße 1 · 10115 Berlin · Tel. 030 4500-0 · Fax 030 4500-199"),
    ("F1", 7, 72, 745, "Beispiel Telekom GmbH · Hauptstraße 1 · 10115 Berlin"),
    ("F1", 10, 72, 730, "Musterfon AG"),
    ("F1", 10, 72, 718, "z. Hd. Frau Erika Muster"),
    ("F1", 10, 72, 706, "Ringstraße 5, 80331 München"),
    ("F1", 8, 72, 670, "Ihr Zeichen      Unser Zeichen      Datum"),
    ("F1", 10, 72, 658, "RN/42      Ticket #4711      02.12.2026"),
    ("F2", 11, 72, 630, "Freigabe Rufnummern – Umzug"),
    ("F1", 10, 72, 605, "Sehr geehrte Damen und Herren,"),
    ("F1", 10, 72, 585, "hiermit übergeben wir die Rufnummern 0941 5205615 und 0941/79136046"),
    (
        "F1",
        10,
        72,
        573,
        "unseres Kunden an die Musterfon AG. Folgende Rufnummern werden übergeben:",
    ),
    ("F1", 10, 84, 558, "- 030 12345678"),
    ("F1", 10, 84, 546, "- 0221 4711-10 bis -15"),
    ("F1", 10, 84, 534, "1. 089 68025-0 … -49"),
    ("F2", 10, 76, 505, "Vorwahl"),
    ("F2", 10, 176, 505, "Rufnummer"),
    ("F2", 10, 296, 505, "Übergabe"),
    ("F1", 10, 76, 489, "040"),
    ("F1", 10, 176, 489, "7654321"),
    ("F1", 10, 296, 489, "nein, verbleibt¹"),
    ("F1", 10, 76, 473, "069"),
    ("F1", 10, 176, 473, "2468100"),
    ("F1", 10, 296, 473, "ja"),
    (
        "F1",
        10,
        72,
        445,
        "Von dem Block ausgenommen ist die -150. Die Rufnummer 0711 9876543 verbleibt.",
    ),
    ("F1", 10, 72, 433, "Für Rückfragen erreichen Sie Herrn Brink (0251 3344556) werktags."),
    ("F1", 10, 72, 405, "Mit freundlichen Grüßen"),
    ("F1", 10, 72, 345, "Erika Beispiel, Leiterin Kundenservice"),
    ("F1", 7, 72, 80, "¹ Die Rufnummer ist bereits gekündigt."),
    ("F1", 7, 72, 60, "Geschäftsführer: Max Muster · Amtsgericht Berlin HRB 12345 · Seite 1"),
)
# a ruled table around the Vorwahl/Rufnummer/Übergabe rows, a rule, a drawn signature
_DRAWING = (
    b"0.5 w 72 466 300 52 re S 72 500 m 372 500 l S 72 483 m 372 483 l S "
    b"170 466 m 170 518 l S 290 466 m 290 518 l S 72 340 m 260 340 l S "
    b"1 w 80 360 m 95 390 110 350 125 375 c 140 395 150 355 165 372 c "
    b"180 388 195 352 210 370 c S"
)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def warm_up_letter() -> bytes:
    """A one-page letter with the parts a real one has: letterhead, reference row,
    a list, a ruled table, a footnote, a signature and a footer."""
    text = b" ".join(
        b"BT /%s %g Tf %g %g Td %s Tj ET" % (f.encode(), size, x, y, _pdf_string(s))
        for f, size, x, y, s in _LINES
    )
    content = text + b" " + _DRAWING
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        font % b"Helvetica",
        font % b"Helvetica-Bold",
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


def warm_up() -> None:
    """Read the built-in letter as a job would: the request's settings, the reader, the
    answer's JSON."""
    # the settings arrive pickled by the service
    settings = pickle.loads(pickle.dumps(load_settings(env={})))  # noqa: S301 - our own bytes
    document = parsers.document.read_document_inprocess(
        warm_up_letter(), filename="warm.pdf", settings=settings
    )
    json.dumps(document.as_dict())


warm_up()
parsers.render.render_page_png(
    warm_up_letter(), page=1, dpi=36, max_side=400, settings=load_settings(env={})
)
