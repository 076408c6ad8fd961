"""Small real confirmation letters for the scenario tests, drawn with reportlab.

The corpus generator (tests.fixtures.generate) writes richer letters; these few are
enough to drive the whole path (download → parser subprocess → decision → note).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def confirmation_pdf(
    handed_over: Sequence[str], *, contact: str = "030 5550100", signed: bool = True
) -> bytes:
    """A one-page handover letter from the old partner, signed in ink when ``signed``."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _width, height = A4
    c.setFont("Helvetica-Bold", 12)
    c.drawString(60, height - 60, "Alt-Telefonie GmbH")
    c.setFont("Helvetica", 9)
    c.drawString(60, height - 74, f"Musterstraße 1, 10115 Berlin - Telefon {contact}")
    c.setFont("Helvetica", 11)
    y = height - 160
    lines = [
        "Bestätigung zur Rufnummernübergabe",
        "",
        "Sehr geehrte Damen und Herren,",
        "",
        "hiermit bestätigen wir, dass folgende Rufnummern unseres Kunden",
        "Beispiel AG an die Neu-Partner GmbH übergeben werden:",
        "",
        *[f"- {n}" for n in handed_over],
        "",
        "Mit freundlichen Grüßen",
    ]
    for line in lines:
        c.drawString(60, y, line)
        y -= 16
    y -= 30
    if signed:
        c.setLineWidth(1.3)
        path = c.beginPath()
        path.moveTo(70, y + 6)
        path.curveTo(90, y + 30, 105, y - 8, 125, y + 18)
        path.curveTo(140, y + 34, 150, y - 4, 175, y + 12)
        path.curveTo(190, y + 22, 200, y + 2, 215, y + 8)
        c.drawPath(path, stroke=1, fill=0)
    c.setLineWidth(0.5)
    c.line(60, y - 6, 240, y - 6)
    c.setFont("Helvetica", 10)
    c.drawString(60, y - 20, "Erika Muster, Geschäftsführerin")
    c.drawString(60, y - 34, "Alt-Telefonie GmbH")
    c.showPage()
    c.save()
    return buf.getvalue()
