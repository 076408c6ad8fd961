"""Reading pages without a text layer: render with pypdfium2, read with RapidOCR.

RapidOCR's PyPI wheel ships its ONNX models, so nothing is downloaded at run time;
the engine is created once per process, lazily, because loading the models takes
about a second and the text-only path must not pay for it. OCR boxes are converted to
PDF points so that OCR words and text-layer words share one coordinate space.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from parsers.layout import PageLayout, Word, aligned_tables, build_rows
from parsers.model import Source
from parsers.signature import ScanImage

__all__ = ["OcrPage", "engine", "ocr_page", "words_from_boxes"]

_ENGINE: Any = None


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
                "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        for name in ("RapidOCR", "rapidocr"):
            # "text detection result is empty" on a blank page is not worth a warning
            logging.getLogger(name).setLevel(logging.ERROR)
    return _ENGINE


def words_from_boxes(
    boxes: Any, texts: Any, *, scale: float, min_score: float = 0.0, scores: Any = None
) -> list[Word]:
    """Split each OCR text box into words with boxes in PDF points.

    RapidOCR reports one box per text line; word boxes are apportioned by character
    position, which is close enough to draw a frame and to tell zones apart.
    """
    words: list[Word] = []
    if boxes is None or texts is None:
        return words
    for i, (quad, text) in enumerate(zip(boxes, texts, strict=False)):
        if scores is not None and float(scores[i]) < min_score:
            continue
        xs = [float(p[0]) / scale for p in quad]
        ys = [float(p[1]) / scale for p in quad]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        line = str(text)
        if not line.strip():
            continue
        per_char = (x1 - x0) / max(len(line), 1)
        pos = 0
        for token in line.split(" "):
            if token:
                words.append(
                    Word(
                        token,
                        x0 + pos * per_char,
                        top,
                        x0 + (pos + len(token)) * per_char,
                        bottom,
                        size=max((bottom - top) * 0.8, 1.0),
                    )
                )
            pos += len(token) + 1
    return words


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
    words = words_from_boxes(
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
        rows=build_rows(words) if words else [],
        char_count=sum(len(w.text) for w in words),
    )
    aligned_tables(layout)
    return OcrPage(layout=layout, scan=ScanImage(pixels=pixels, scale=scale))
