"""Content-addressed PDF storage: ``<data_dir>/documents/<sha256>.pdf``."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

__all__ = ["BlobStore"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    """Keeps each document's bytes once, named by their SHA-256."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        """Where the bytes with this digest live (whether or not they exist)."""
        if not _SHA256.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / f"{sha256}.pdf"

    def put(self, data: bytes) -> str:
        """Store ``data`` (idempotent) and return its SHA-256 hex digest."""
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if target.exists():
            return digest
        self.root.mkdir(parents=True, exist_ok=True)
        # write-then-rename: a reader never sees half a file, even with two writers
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        """The stored bytes; FileNotFoundError when they were never stored."""
        return self.path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).exists()
