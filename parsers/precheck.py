"""The reader's error sentences and the checks made before a PDF is opened at all.

Every failure of the reader is a ``DocumentError`` whose code is a key of ``MESSAGES``
and whose message is that sentence (plus an optional detail). Kept apart from
``parsers.document`` so the sandbox (which reports timeouts and memory deaths itself)
does not import the reader.
"""

from __future__ import annotations

from config.settings import Settings
from parsers.model import DocumentError

__all__ = ["MESSAGES", "error", "precheck"]

MESSAGES = {
    "not_pdf": "The file is not a PDF document.",
    "encrypted": "The PDF is protected by a password and cannot be read.",
    "truncated": "The PDF file is incomplete (cut off before its end).",
    "too_large": "The file is larger than the configured size limit.",
    "too_many_pages": "The PDF has more pages than the configured limit.",
    "no_pages": "The PDF has no pages.",
    "timeout": "Reading the PDF took longer than the configured time limit.",
    "memory_limit": "Reading the PDF needed more memory than the configured limit.",
    "damaged": "The PDF is damaged and could not be read.",
    "too_complex": "The PDF's page content is larger or more complex than the configured limit.",
    "image_too_large": "The PDF contains an image larger than the configured limit.",
}


def error(code: str, detail: str = "") -> DocumentError:
    """A DocumentError with the standard sentence for ``code`` (plus an optional detail)."""
    message = MESSAGES[code]
    return DocumentError(code, f"{message[:-1]} ({detail})." if detail else message)


def precheck(data: bytes, *, settings: Settings) -> DocumentError | None:
    """The cheap checks done before any parsing: size cap and the ``%PDF-`` header."""
    if len(data) > settings.limits.max_file_bytes:
        return error("too_large", f"{len(data)} bytes, limit {settings.limits.max_file_bytes}")
    # The PDF spec lets the header sit within the first 1024 bytes (Acrobat's rule).
    if b"%PDF-" not in data[:1024]:
        return error("not_pdf")
    return None
