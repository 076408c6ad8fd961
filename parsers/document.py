"""Read one PDF document into a ``ParsedDocument``: the reader's public entry point.

``read_document`` parses in a child process with time and memory limits (see
``parsers.sandbox``) and never raises for a bad document: every failure becomes
``ParsedDocument.failed`` with a ``DocumentError`` code. ``read_document_inprocess``
runs the same pipeline in the calling process, for tests and benchmarks.
"""

from __future__ import annotations

import hashlib
import re

from config.errors import DocumentReadError
from config.settings import Settings
from parsers.findings import find_numbers_on_pages
from parsers.layout import PageLayout
from parsers.limits import (
    CappedPDF,
    check_object_streams,
    check_page,
    check_page_count,
    check_render,
    limited_pages,
)
from parsers.model import DocumentError, ParsedDocument
from parsers.precheck import MESSAGES, error, precheck
from parsers.sandbox import run_sandboxed
from parsers.signature import ScanImage, digital_signatures, find_signature
from parsers.textlayer import layout_from_pdfplumber

__all__ = [
    "MESSAGES",
    "error",
    "precheck",
    "read_document",
    "read_document_inprocess",
    "read_pages",
]

_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![s\w])")

_ALLOC_FAILURE = re.compile(r"bad_alloc|failed to allocate|out of memory|cannot allocate", re.I)


def _classify(exc: BaseException, data: bytes) -> DocumentError:
    """Map whatever pdfminer/pdfplumber raised to an error code."""
    if isinstance(exc, MemoryError):
        return error("memory_limit")
    if isinstance(exc, DocumentReadError):
        return error(exc.code, exc.message) if exc.code in MESSAGES else error("damaged")
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 8:
        chain.append(cur)
        chain.extend(a for a in getattr(cur, "args", ()) if isinstance(a, BaseException))
        cur = cur.__cause__ or cur.__context__
    names = {type(e).__name__ for e in chain}
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}:
        return error("encrypted")
    if any(isinstance(e, MemoryError) for e in chain) or any(
        _ALLOC_FAILURE.search(str(e)) for e in chain
    ):
        # C++ libraries (onnxruntime) report a failed allocation under RLIMIT_AS as
        # their own exception carrying std::bad_alloc.
        return error("memory_limit")
    if b"%%EOF" not in data[-2048:]:
        return error("truncated")
    return error("damaged", type(exc).__name__)


def _may_hold_text(layout: PageLayout) -> bool:
    """Whether OCR could find anything: a scanned image, or text drawn as outlines."""
    return bool(layout.images) or len(layout.strokes) >= 20


def read_pages(data: bytes, *, settings: Settings) -> tuple[list[PageLayout], dict[int, ScanImage]]:
    """Lay out every page; pages without a usable text layer go through OCR."""
    pages: list[PageLayout] = []
    scans: dict[int, ScanImage] = {}
    # pdfium's page count first (fast, in C); then the page tree is walked lazily, so a
    # hostile page tree is never walked past the cap.
    check_page_count(data, max_pages=settings.limits.max_pages)
    pdf = CappedPDF(data, max_pages=settings.limits.max_pages)
    with pdf:
        check_object_streams(pdf, limits=settings.limits)
        plumber_pages = limited_pages(pdf)
        fonts_checked: set[int] = set()
        count = len(plumber_pages)
        if count == 0:
            # pdfminer falls back to an empty page list when the page tree is broken:
            # page objects in the file mean damage, not an empty document.
            if _PAGE_OBJECT.search(data):
                raise DocumentReadError("damaged", "page tree unreadable")
            raise DocumentReadError("no_pages", "zero pages")
        need_ocr: list[int] = []
        for index, page in enumerate(plumber_pages):
            try:
                # sizes, operators and images measured before pdfminer interprets them
                check_page(page.page_obj, limits=settings.limits, fonts_checked=fonts_checked)
                layout = layout_from_pdfplumber(page, number=index + 1)
            finally:
                page.close()  # 100 pages: 38 MB with, 353 MB without
            pages.append(layout)
            if layout.char_count < settings.ocr.min_text_chars and _may_hold_text(layout):
                need_ocr.append(index)
    if need_ocr and settings.ocr.enabled:
        import pypdfium2

        from parsers.ocr import ocr_page

        doc = pypdfium2.PdfDocument(data)
        try:
            for index in need_ocr:
                width, height = doc.get_page_size(index)
                check_render(width, height, scale=settings.ocr.dpi / 72, limits=settings.limits)
                read = ocr_page(doc, index, dpi=settings.ocr.dpi)
                kept = pages[index]
                # keep vector strokes/images of the original page for the signature check;
                # rules drawn in the image join the page's vector rules
                read.layout.strokes = kept.strokes
                read.layout.rules = [*kept.rules, *read.layout.rules]
                read.layout.images = kept.images
                pages[index] = read.layout
                scans[index + 1] = read.scan
        finally:
            doc.close()
    return pages, scans


def read_document_inprocess(data: bytes, *, filename: str, settings: Settings) -> ParsedDocument:
    """The whole reader in this process (no sandbox); never raises for a bad document."""
    sha = hashlib.sha256(data).hexdigest()
    problem = precheck(data, settings=settings)
    if problem is not None:
        return ParsedDocument.failed(filename, problem, sha256=sha)
    try:
        pages, scans = read_pages(data, settings=settings)
        found, blanket = find_numbers_on_pages(pages, region=settings.general.region)
        digital = digital_signatures(data, trust_roots=settings.signature.trust_roots)
        signature = find_signature(pages, scans=scans, digital=digital)
    except Exception as exc:  # every failure of a hostile file becomes a reason
        return ParsedDocument.failed(filename, _classify(exc, data), sha256=sha)
    return ParsedDocument(
        file=filename,
        pages=len(pages),
        ocr_pages=tuple(sorted(scans)),
        numbers=tuple(found),
        signature=signature,
        blanket_clause=blanket,
        sha256=sha,
        page_sizes=tuple((p.width, p.height) for p in pages),
    )


def read_document(data: bytes, *, filename: str, settings: Settings) -> ParsedDocument:
    """Read a document in a sandboxed child process; never raises for a bad document."""
    return run_sandboxed(data, filename=filename, settings=settings)
