"""Reading pages without a text layer: render with pypdfium2, read with RapidOCR.

RapidOCR's PyPI wheel ships its ONNX models, so nothing is downloaded at run time;
the engine is created once per process, lazily, because loading the models takes
about a second and the text-only path must not pay for it. OCR boxes are converted to
PDF points so that OCR words and text-layer words share one coordinate space.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any

from parsers.layout import PageLayout, Word, rows_from_segments
from parsers.model import Source
from parsers.signature import ScanImage
from parsers.tables import aligned_tables

__all__ = ["OcrPage", "engine", "ocr_page", "segments_from_boxes", "words_from_boxes"]

_ENGINE: Any = None
_MARKER_GLUED = re.compile(r"^(\s*\d{1,2}[.)])(?=[0(+])")
_GLUED = re.compile(r"(?<=[a-zäöüß])(?=[0(+]\d)|(?<=\d)(?=bis\b)|(?<=\bbis)(?=[-–\d])")


@dataclass(frozen=True)
class OcrPage:
    """The layout read from a page image plus the image (for the signature check)."""

    layout: PageLayout
    scan: ScanImage


def engine() -> Any:
    """The process's RapidOCR engine (created on first use)."""
    global _ENGINE
    if _ENGINE is None:
        # One thread per engine: the machine runs several parsing children at once and
        # onnxruntime's default of one thread per core oversubscribes it.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from rapidocr import RapidOCR

        for name in ("RapidOCR", "rapidocr"):
            logging.getLogger(name).setLevel(logging.WARNING)
        _ENGINE = RapidOCR(
            params={
                "Global.log_level": "warning",
                "Global.use_cls": False,  # pages are upright; the angle classifier costs time
                # RapidOCR scales a page down to this longest side (A4 at 300 dpi: ~170 dpi);
                # 2800 read a little better in tests but took twice as long.
                "Global.max_side_len": 2000,
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        for name in ("RapidOCR", "rapidocr"):
            # "text detection result is empty" on a blank page is not worth a warning
            logging.getLogger(name).setLevel(logging.ERROR)
    return _ENGINE


def _lerp(a: tuple[float, float], b: tuple[float, float], t: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def segments_from_boxes(
    boxes: Any, texts: Any, *, scale: float, min_score: float = 0.0, scores: Any = None
) -> list[list[Word]]:
    """Each OCR text box as a list of words with boxes in PDF points.

    RapidOCR reports one quadrilateral per text line; a word's box is cut out of it by
    character position along the line's own top and bottom edges, so words of a
    slightly tilted scan keep their true height instead of the whole line's envelope.
    """
    out: list[list[Word]] = []
    if boxes is None or texts is None:
        return out
    for i, (quad, text) in enumerate(zip(boxes, texts, strict=False)):
        if scores is not None and float(scores[i]) < min_score:
            continue
        # OCR swallows the space after a list number ("1.0049 761 ..."): put it back
        # so the marker is not read as part of the number.
        line = _MARKER_GLUED.sub(r"\1 ", str(text), count=1)
        # ... and around words glued to digits ("Rufnummernblock0941", "-0bis -9")
        line = _GLUED.sub(" ", line)
        if not line.strip():
            continue
        tl, tr, br, bl = ((float(p[0]) / scale, float(p[1]) / scale) for p in quad)
        n = max(len(line), 1)
        words: list[Word] = []
        pos = 0
        for token in line.split(" "):
            if token:
                f0, f1 = pos / n, (pos + len(token)) / n
                pts = [_lerp(tl, tr, f0), _lerp(tl, tr, f1), _lerp(bl, br, f0), _lerp(bl, br, f1)]
                xs = [p[0] for p in pts]
                ys = [p[1] for p in pts]
                height = ((bl[0] - tl[0]) ** 2 + (bl[1] - tl[1]) ** 2) ** 0.5
                words.append(
                    Word(token, min(xs), min(ys), max(xs), max(ys), size=max(height * 0.8, 1.0))
                )
            pos += len(token) + 1
        if words:
            out.append(words)
    return out


def words_from_boxes(
    boxes: Any, texts: Any, *, scale: float, min_score: float = 0.0, scores: Any = None
) -> list[Word]:
    """All words of all OCR boxes, in PDF points (see ``segments_from_boxes``)."""
    segments = segments_from_boxes(boxes, texts, scale=scale, min_score=min_score, scores=scores)
    return [w for seg in segments for w in seg]


def ocr_page(pdf: Any, index: int, *, dpi: int) -> OcrPage:
    """OCR page ``index`` (0-based) of an open ``pypdfium2.PdfDocument``."""
    import numpy as np

    page = pdf[index]
    try:
        width, height = (float(v) for v in page.get_size())
        scale = dpi / 72.0
        bitmap = page.render(scale=scale, grayscale=True)
        try:
            image = bitmap.to_pil().convert("L")
        finally:
            bitmap.close()
    finally:
        page.close()
    pixels = np.asarray(image)
    result = engine()(np.stack([pixels] * 3, axis=-1))
    segments = segments_from_boxes(
        getattr(result, "boxes", None),
        getattr(result, "txts", None),
        scale=scale,
        scores=getattr(result, "scores", None),
        min_score=0.5,
    )
    layout = PageLayout(
        number=index + 1,
        width=width,
        height=height,
        source=Source.OCR,
        rows=rows_from_segments(segments),
        char_count=sum(len(w.text) for seg in segments for w in seg),
    )
    aligned_tables(layout)
    return OcrPage(layout=layout, scan=ScanImage(pixels=pixels, scale=scale))
