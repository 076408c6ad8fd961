"""Page images for the sidebar: PDF pages rendered with pypdfium2 and cached on disk.

Only documents the sandboxed reader opened without error are rendered (the caller checks
that), and the pixel size is capped, so a page cannot make the web process allocate
without bound. Cache: ``<data_dir>/cache/pages/<sha256>/<dpi>/<page>.png``, written to a
temporary file and renamed, so a reader never sees half an image.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import threading
from pathlib import Path

import pypdfium2 as pdfium

from config.errors import DocumentReadError

__all__ = ["MAX_SIDE_PX", "PageRenderer"]

# Longest side of a rendered page; A4 at 110 dpi is 1286 px, at 300 dpi 3508 px.
MAX_SIDE_PX = 4000
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# pdfium is not thread-safe: one render at a time per process.
_PDFIUM_LOCK = threading.Lock()


class PageRenderer:
    """Renders and caches PNG page images of stored documents."""

    def __init__(self, *, documents_dir: Path, cache_dir: Path, dpi: int) -> None:
        self.documents_dir = documents_dir
        self.cache_dir = cache_dir
        self.dpi = dpi

    def cache_path(self, sha256: str, page: int) -> Path:
        if not _SHA256.match(sha256) or page < 1:
            raise ValueError("not a stored document page")
        return self.cache_dir / sha256 / str(self.dpi) / f"{page}.png"

    def png(self, sha256: str, page: int) -> bytes:
        """The PNG of ``page`` (1-based), from the cache or rendered now."""
        target = self.cache_path(sha256, page)
        if target.exists():
            return target.read_bytes()
        source = self.documents_dir / f"{sha256}.pdf"
        if not source.exists():
            raise DocumentReadError("missing", "The document's bytes are not stored any more.")
        data = self._render(source, page)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".png")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return data

    def _render(self, source: Path, page_no: int) -> bytes:
        with _PDFIUM_LOCK:
            pdf = pdfium.PdfDocument(source)
            try:
                if page_no > len(pdf):
                    raise DocumentReadError("no_pages", "The document has no such page.")
                page = pdf[page_no - 1]
                try:
                    width, height = page.get_size()
                    scale = self.dpi / 72.0
                    longest = max(width, height) * scale
                    if longest > MAX_SIDE_PX:
                        scale *= MAX_SIDE_PX / longest
                    image = page.render(scale=scale).to_pil()
                finally:
                    page.close()
            finally:
                pdf.close()
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=True)
        return out.getvalue()
