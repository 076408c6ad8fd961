"""Benchmark: the document reader on text letters and on scans.

Prints the median milliseconds per text page (in-process pipeline), per scanned page
(OCR included), the sandboxed ``read_document`` per file, the sandbox's own cost per
document (the sandboxed read minus the in-process read of the same file, median), and
the ratio of a full ``read_document`` to a bare ``pdfplumber`` ``extract_text()`` of the
same file, all measured in this run on the same files.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path

import pdfplumber

from config.settings import Settings, load_settings
from integration.logs import configure_logging
from parsers.document import read_document, read_document_inprocess
from tests.parsers.pdfs import Letter, build, scanned

SCAN_PAGES = 2  # OCR costs seconds per page: a couple is enough for a median


def _text_letters() -> list[tuple[str, bytes]]:
    """The generated corpus's text letters, or a few hand-built ones without it."""
    try:
        from tests.fixtures.generate import build_corpus
    except ImportError:
        build_corpus = None  # type: ignore[assignment]
    if build_corpus is not None:
        with tempfile.TemporaryDirectory() as tmp:
            manifest = build_corpus(Path(tmp), scans=False, hostile=False)
            return [
                (e["file"], (Path(tmp) / e["file"]).read_bytes())
                for e in manifest["letters"]
                if e["kind"] == "text"
            ]
    try:  # the generator's building blocks, when the generator itself is not there yet
        import tests.fixtures.letters.roles  # noqa: F401 - registers the letters
        from tests.fixtures.letters.context import Ctx
        from tests.fixtures.letters.handover import LETTERS
        from tests.fixtures.letters.layout import render_letter

        return [(f"{n}.pdf", render_letter(make(Ctx(7, n))).data) for n, make in LETTERS.items()]
    except (ImportError, AttributeError, TypeError):
        pass
    body = [
        "Sehr geehrte Damen und Herren,",
        "hiermit bestätigen wir, dass folgende Rufnummern übergeben werden:",
        *[f"- 030 {1234560 + i}" for i in range(8)],
        "Ausgenommen ist die Rufnummer 030 7654321.",
    ]
    return [(f"letter{i}.pdf", build(Letter(body=body[: 3 + i]))) for i in range(8)]


def _ms(fn: object, *args: object, **kwargs: object) -> float:
    started = time.perf_counter()
    fn(*args, **kwargs)  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def _extract_text(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()


def run() -> list[str]:
    configure_logging(level="WARNING")  # one info line per document would drown the figures
    settings: Settings = load_settings(env={})
    letters = _text_letters()
    lines = [f"text letters: {len(letters)}"]
    per_page: list[float] = []
    ratios: list[float] = []
    sandboxed: list[float] = []
    bare: list[float] = []
    overhead: list[float] = []
    read_document(letters[0][1], filename="warm.pdf", settings=settings)  # start the zygote
    for name, data in letters:
        doc = read_document_inprocess(data, filename=name, settings=settings)
        pages = max(doc.pages, 1)
        inprocess = _ms(read_document_inprocess, data, filename=name, settings=settings)
        per_page.append(inprocess / pages)
        full = _ms(read_document, data, filename=name, settings=settings)
        plain = _ms(_extract_text, data)
        sandboxed.append(full)
        bare.append(plain)
        ratios.append(full / plain)
        overhead.append(full - inprocess)
    lines.append(
        f"text page, in-process pipeline: median {statistics.median(per_page):.1f} ms/page"
    )
    lines.append(
        f"read_document (sandboxed) per file: median {statistics.median(sandboxed):.1f} ms"
    )
    lines.append(
        "sandbox cost per document (sandboxed minus in-process read): "
        f"median {statistics.median(overhead):.1f} ms"
    )
    lines.append(f"bare pdfplumber extract_text per file: median {statistics.median(bare):.1f} ms")
    lines.append(
        f"ratio read_document / extract_text: median {statistics.median(ratios):.2f}x "
        f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x)"
    )
    scan = scanned(
        build(Letter(body=["Folgende Rufnummern werden übergeben:", "- 030 12345678"])),
        dpi=200,
    )
    read_document_inprocess(scan, filename="warm.pdf", settings=settings)  # load the OCR models
    scan_ms = [
        _ms(read_document_inprocess, scan, filename="scan.pdf", settings=settings)
        for _ in range(SCAN_PAGES)
    ]
    lines.append(
        f"scanned page (OCR at {settings.ocr.dpi} dpi): median {statistics.median(scan_ms):.0f} ms/page "
        f"over {SCAN_PAGES} pages"
    )
    lines.extend(_hostile_lines())
    return lines


def _hostile_lines() -> list[str]:
    """Each hostile file read in a fresh interpreter: its code, seconds and peak memory."""
    from tests.parsers import hostile

    cases = [
        ("content stream inflating to 330 MiB", hostile.content_bomb(330)),
        ("160,000 pages", hostile.many_pages(160_000)),
        ("160,000 pages, root /Count says 1", hostile.many_pages(160_000, count=1)),
        ("20000x20000 image", hostile.big_image((20_000, 20_000))),
        ("30000x30000 JBIG2 image", hostile.big_image((30_000, 30_000), kind="jbig2")),
        (
            "JPEG claiming 30000x30000 inside",
            hostile.big_image((100, 100), kind="jpeg", encoded_size=(30_000, 30_000)),
        ),
    ]
    lines = []
    for label, data in cases:
        m = hostile.measure(data)
        lines.append(
            f"hostile, {label} ({len(data) // 1024} KiB): {m.code} in {m.seconds:.2f} s, "
            f"peak {m.peak_mb:.0f} MB (reader imported: {m.baseline_mb:.0f} MB)"
        )
    return lines
