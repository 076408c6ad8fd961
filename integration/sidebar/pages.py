"""Page images for the sidebar: PDF pages rendered in the parsing sandbox, cached on disk.

Pages are rendered by ``parsers.sandbox.render_sandboxed``: in a forked child with the
reader's time and memory limits, after the same checks the reader makes (page count,
content size and operators, image sizes), with the longest side capped at
``MAX_SIDE_PX``. The web process itself never opens the PDF. Cache:
``<data_dir>/cache/pages/<sha256>/<dpi>/<page>.png``, written to a temporary file and
renamed, so a reader never sees half an image.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from config.errors import DocumentReadError
from config.settings import Settings, load_settings
from parsers.sandbox import render_sandboxed

__all__ = ["MAX_SIDE_PX", "PageRenderer"]

# Longest side of a rendered page; A4 at 110 dpi is 1286 px, at 300 dpi 3508 px.
MAX_SIDE_PX = 4000
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class PageRenderer:
    """Renders and caches PNG page images of stored documents."""

    def __init__(
        self,
        *,
        documents_dir: Path,
        cache_dir: Path,
        dpi: int,
        settings: Settings | None = None,
    ) -> None:
        self.documents_dir = documents_dir
        self.cache_dir = cache_dir
        self.dpi = dpi
        # the reader's limits apply to rendering too (defaults when none are given)
        self.settings = settings if settings is not None else load_settings(env={})

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
        return render_sandboxed(
            source.read_bytes(),
            page=page_no,
            dpi=self.dpi,
            max_side=MAX_SIDE_PX,
            settings=self.settings,
        )
