"""Page images for the sidebar, rendered with pypdfium2 inside the parsing sandbox.

``render_page_png`` runs in a sandbox child (``parsers.sandbox.render_sandboxed``) under
the reader's limits: the page is checked like the reader checks it (page count, content
size and operators, image sizes) before pdfium renders it, and the bitmap is capped at
``max_side`` pixels on its longest side.
"""

from __future__ import annotations

import io
from typing import Any

import pypdfium2 as pdfium

from config.errors import DocumentReadError
from config.settings import Settings
from parsers.limits import (
    CappedPDF,
    check_object_streams,
    check_page,
    check_page_count,
    check_render,
    limited_pages,
)
from parsers.precheck import error

__all__ = ["render_page_png"]


def render_page_png(
    data: bytes, *, page: int, dpi: float, max_side: int, settings: Settings
) -> bytes | dict[str, Any]:
    """The PNG of ``page`` (1-based), or ``{"error": ...}`` when it must not be rendered."""
    try:
        check_page_count(data, max_pages=settings.limits.max_pages)
        pdf = CappedPDF(data, max_pages=settings.limits.max_pages)
        with pdf:
            check_object_streams(pdf, limits=settings.limits)
            pages = limited_pages(pdf)
            if not 1 <= page <= len(pages):
                raise DocumentReadError("no_pages", "no such page")
            check_page(pages[page - 1].page_obj, limits=settings.limits)
        doc = pdfium.PdfDocument(data)
        try:
            width, height = doc.get_page_size(page - 1)
            scale = dpi / 72.0
            longest = max(width, height) * scale
            if longest > max_side:
                scale *= max_side / longest
            check_render(width, height, scale=scale, limits=settings.limits)
            pdf_page = doc[page - 1]
            try:
                bitmap = pdf_page.render(scale=scale)
                try:
                    image = bitmap.to_pil().convert("RGB")
                finally:
                    bitmap.close()
            finally:
                pdf_page.close()
        finally:
            doc.close()
    except DocumentReadError as exc:
        return {"error": error(exc.code, exc.message).as_dict()}
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
