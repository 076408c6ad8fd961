"""Small PDFs built with reportlab for the reader's unit tests.

Each builder writes the letter exactly as a test needs it, so a test states its
ground truth next to the text it prints. The generated corpus (tests/fixtures) covers
realistic variety; these cover one behaviour each.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = A4
FONT = "Helvetica"


@dataclass
class Letter:
    """A one- or more-page business letter; body items are lines (lists start with '- ')."""

    head: Sequence[str] = ("Alpha Telecom GmbH", "Tel. 030 2223334", "Fax 030 2223335")
    reference: str = "Kundennummer: 4711-0815   Datum: 03.11.2026"
    body: Sequence[str] = ()
    closing: str | None = "Mit freundlichen Grüßen"
    signed: str | None = "curve"  # "curve", "image", "line-only" or None
    signatory: Sequence[str] = ("Dr. Katrin Albers", "Geschäftsführerin")
    footer: Sequence[str] = (
        "Alpha Telecom GmbH · Hotline 0800 3334445 · HRB 12345 B · IBAN DE02120300000000202051",
    )
    pages_body: Sequence[Sequence[str]] = field(default_factory=list)  # extra pages
    table: Sequence[Sequence[str]] | None = None  # ruled table after the body


def _signature_curve(c: canvas.Canvas, x: float, y: float) -> None:
    path = c.beginPath()
    path.moveTo(x, y)
    path.curveTo(x + 20, y + 30, x + 40, y - 20, x + 60, y + 10)
    path.curveTo(x + 80, y + 35, x + 100, y - 10, x + 130, y + 5)
    c.setLineWidth(1.2)
    c.drawPath(path, stroke=1, fill=0)


def _signature_image(c: canvas.Canvas, x: float, y: float) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (300, 80), "white")
    draw = ImageDraw.Draw(img)
    draw.line(
        [(10, 60), (60, 10), (110, 70), (170, 15), (230, 55), (290, 20)], fill="black", width=4
    )
    c.drawImage(ImageReader(img), x, y, width=140, height=38)


def _table(c: canvas.Canvas, rows: Sequence[Sequence[str]], x: float, y: float) -> float:
    col_w = 110.0
    row_h = 18.0
    cols = max(len(r) for r in rows)
    c.setLineWidth(0.6)
    for r, row in enumerate(rows):
        top = y - r * row_h
        for col in range(cols):
            c.rect(x + col * col_w, top - row_h, col_w, row_h, stroke=1, fill=0)
            if col < len(row):
                c.drawString(x + col * col_w + 4, top - row_h + 5, row[col])
    return y - len(rows) * row_h


def build(letter: Letter) -> bytes:
    """The letter as PDF bytes."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    all_pages = [list(letter.body), *[list(p) for p in letter.pages_body]]
    for index, body in enumerate(all_pages):
        last = index == len(all_pages) - 1
        c.setFont(FONT, 9)
        for i, text in enumerate(letter.head):
            c.drawString(380, PAGE_H - 40 - i * 11, text)
        if index == 0:
            c.setFont(FONT, 10)
            c.drawString(70, PAGE_H - 150, "Beta Net GmbH, Musterweg 5, 10115 Berlin")
            c.drawString(70, PAGE_H - 250, letter.reference)
        y = PAGE_H - 290 if index == 0 else PAGE_H - 150
        c.setFont(FONT, 10)
        for text in body:
            if text.startswith("- "):
                c.drawString(90, y, "•")
                c.drawString(100, y, text[2:])
            else:
                c.drawString(70, y, text)
            y -= 14 if text else 10
        if last and letter.table:
            y = _table(c, letter.table, 70, y - 6) - 14
        if last and letter.closing:
            y -= 10
            c.drawString(70, y, letter.closing)
            sig_y = y - 40
            if letter.signed == "curve":
                _signature_curve(c, 75, sig_y)
            elif letter.signed == "image":
                _signature_image(c, 72, sig_y - 8)
            c.setLineWidth(0.5)
            c.line(70, y - 50, 250, y - 50)
            y -= 64
            for text in letter.signatory:
                c.drawString(70, y, text)
                y -= 13
        c.setFont(FONT, 7)
        for i, text in enumerate(letter.footer):
            c.drawString(70, 40 - i * 9, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def blank_pdf(pages: int = 1) -> bytes:
    """Pages with nothing on them (no text layer at all)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        c.showPage()
    c.save()
    return buf.getvalue()


def scanned(
    pdf: bytes, *, dpi: int = 200, tilt: float = 0.0, noise: float = 0.0, seed: int = 1
) -> bytes:
    """The PDF rendered to images and wrapped as an image-only PDF (a 'scan').

    ``tilt`` rotates each page by that many degrees, ``noise`` flips that share of
    pixels to black or white (dust, fax grain).
    """
    import random

    import pypdfium2
    from reportlab.lib.utils import ImageReader

    src = pypdfium2.PdfDocument(pdf)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    try:
        for i in range(len(src)):
            page = src[i]
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            page.close()
            if tilt:
                image = image.rotate(tilt, expand=False, fillcolor=255)
            if noise:
                rng = random.Random(seed + i)
                px = image.load()
                w, h = image.size
                for _ in range(int(w * h * noise)):
                    px[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 255))
            c.drawImage(ImageReader(image), 0, 0, width=PAGE_W, height=PAGE_H)
            c.showPage()
    finally:
        src.close()
    c.save()
    return buf.getvalue()


# --- hostile files -------------------------------------------------------------------


def _raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A minimal PDF with a correct xref table around the given object bodies."""
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def zero_pages() -> bytes:
    return _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def bomb(mb: int = 1024) -> bytes:
    """One page whose content stream inflates to ``mb`` MiB (a few MB on disk)."""
    import zlib

    z = zlib.compressobj(9)
    chunk = b"0 0 m 1 1 l S\n" * (1024 * 1024 // 14)
    data = b"".join(z.compress(chunk) for _ in range(mb)) + z.flush()
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        ]
    )


def encrypted(*, user_password: str = "secret") -> bytes:  # noqa: S107 - test file
    """A letter encrypted with a user password (or owner-only when it is empty)."""
    from reportlab.lib import pdfencrypt

    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner", canPrint=1)
    c = canvas.Canvas(buf, pagesize=A4, encrypt=enc)
    c.drawString(70, 600, "Folgende Rufnummer wird übergeben: 030 12345678")
    c.showPage()
    c.save()
    return buf.getvalue()


def damaged() -> bytes:
    """A page whose MediaBox holds a string and a name instead of numbers."""
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 (a) /b] >>",
        ]
    )
