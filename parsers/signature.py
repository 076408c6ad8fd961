"""Does the letter look signed, and by whom (as printed)?

Ink is looked for where people sign: between the closing formula ("Mit freundlichen
Grüßen") and the printed name, or just above a signature line / an "Unterschrift"
label, on the lower part of the page. Vector strokes or a placed image there count on
text pages (images in the letterhead are logos and never count); on scans, dark
non-text pixels in that region count. This proves presence, not authority.
Embedded digital signatures are reported by pyHanko.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parsers.findings import find_closing
from parsers.layout import FOOTER_FRACTION, HEADER_FRACTION, PageLayout
from parsers.model import BBox, DigitalSignature, SignatureFinding
from parsers.roles import fold

__all__ = ["ScanImage", "digital_signatures", "find_signature", "signatory_from_rows"]

# matched on folded text (OCR drops umlauts: "Geschaftsfuhrer")
_ROLE_FOLDED = re.compile(
    r"\b(geschaftsfuhrer(?:in)?|geschaftsfuhrung|prokurist(?:in)?|vorstand(?:svorsitzende[rn]?)?|"
    r"vorstandin|inhaber(?:in)?|gesellschafter(?:in)?|direktor(?:in)?|leiter(?:in)?\s+\w+|"
    r"\w+leiter(?:in)?|ceo|cfo|cto|managing\s+director|bevollmächtigte[rn]?|"
    r"sachbearbeiter(?:in)?|kaufm\w*\.?\s+leitung|niederlassungsleiter(?:in)?|"
    r"rechtsanwalt(?:in)?|notar(?:in)?|steuerberater(?:in)?)\b",
    re.IGNORECASE,
)


def _role_in(text: str) -> re.Match[str] | None:
    """A signatory role (Geschäftsführerin, Prokurist ...) in the text, umlaut-tolerant."""
    return _ROLE_FOLDED.search(fold(text))


_PROXY = re.compile(r"^\s*(i\.\s?V\.|i\.\s?A\.|ppa\.|pp\.)\s*", re.IGNORECASE)
_NAME_TOKEN = re.compile(
    r"^(?:Dr\.|Prof\.|Dipl\.-\w+\.?|von|van|de|zu|[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)$"
)
_COMPANY = re.compile(
    r"\b(gmbh|ag|kg|ug|mbh|ohg|e\.\s?k\.|gbr|se|telecom|telekom|kommunikation)\b", re.IGNORECASE
)
_GLUED_TITLE = re.compile(r"\b(Dr|Prof)\.(?=[A-ZÄÖÜ])")  # OCR: "Dr.Uwe Schulte"
_SIGN_LABEL = re.compile(r"unterschrift|_{5,}|\(?ort,?\s+datum\)?|stempel", re.IGNORECASE)
_HOW_FAR_BELOW_CLOSING = 110.0  # points: room people leave for a signature
_ABOVE_LINE = 70.0  # points above a signature line that ink may occupy
_BOX_DEPTH = 70.0  # points below a label heading a signature box
_INK_MIN_HEIGHT = 12.0  # points: printed letters are smaller, handwriting rarely is
_INK_MIN_WIDTH = 30.0


@dataclass(frozen=True)
class ScanImage:
    """A rendered page: 8-bit grey pixels (rows × columns) and pixels per PDF point."""

    pixels: Any  # numpy.ndarray, kept as Any so this module imports without numpy
    scale: float


def _name_like(text: str) -> bool:
    tokens = text.replace(",", " ").split()
    if not 2 <= len(tokens) <= 5 or _COMPANY.search(text):
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens) and sum(t[0].isupper() for t in tokens) >= 2


def signatory_from_rows(rows: Sequence[str]) -> tuple[str | None, str | None]:
    """The printed signatory name and role from the rows under the signature."""
    name: str | None = None
    role: str | None = None
    for raw in rows[:4]:
        text = _GLUED_TITLE.sub(r"\1. ", raw.replace(" | ", "  ")).strip()
        if not text or (_SIGN_LABEL.search(text) and not _role_in(text)):
            continue
        proxy = _PROXY.match(text)
        if proxy:
            role = role or proxy.group(1).replace(" ", "")
            text = text[proxy.end() :].strip()
        head, _, tail = text.partition(",")
        if name is None and _name_like(head.strip()):
            name = head.strip()
            tail_role = _role_in(tail)
            if tail_role and role in (None, "i.V.", "i.A.", "ppa.", "pp."):
                role = tail.strip() if role is None else f"{role} {tail.strip()}"
            continue
        found = _role_in(text)
        if found and (role is None or _PROXY.match(role + " ")):
            # "Name, Rolle" whose name did not parse: keep only the part with the role
            part = next((p.strip() for p in text.split(",") if _role_in(p)), text.strip())
            role = part if role is None else f"{role} {part}"
        if name and role and not _PROXY.fullmatch(role + " "):
            break
    return name, role


def _is_printed_text(text: str) -> bool:
    """A confidently read word of print, not OCR's guess at a scribble ("w~~", "Mw")."""
    letters = [ch for ch in text.lower() if ch.isalpha()]
    return (
        len(letters) >= 4
        and len(letters) >= 0.6 * len(text.replace(" ", ""))
        and len(set(letters)) >= 3
        and any(ch in "aeiouäöüy" for ch in letters)
    )


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _name_row_after(page: PageLayout, r0: int, limit: float) -> int | None:
    """The first row from ``r0`` (within ``limit`` points) that is a printed name or role."""
    for r in range(r0, len(page.rows)):
        if page.row_top(r) - page.row_top(r0) > limit:
            return None
        text = page.row_text(r)
        if _name_like(_PROXY.sub("", text).partition(",")[0].strip()) or _role_in(text):
            return r
    return None


def _row_after(page: PageLayout, y: float) -> int:
    return next((r for r in range(len(page.rows)) if page.row_top(r) > y - 2), len(page.rows))


def _regions(page: PageLayout, closing_bottom: float | None) -> list[tuple[BBox, int | None]]:
    """Where a signature may be, most likely first, each with the row where the printed
    name block starts (or None).

    1. between the closing formula and the printed name;
    2. above a short signature line, or above/below an "Unterschrift"/"Stempel" label
       (a label under the line, or heading a signature box);
    3. above a printed name that is followed by a role or a "(Unterschrift ...)" label,
       for letters and forms without a closing formula.
    """
    out: list[tuple[BBox, int | None]] = []
    w = page.width
    footer = page.height * FOOTER_FRACTION
    top_limit = page.height * HEADER_FRACTION
    if closing_bottom is not None:
        name_row = _name_row_after(page, _row_after(page, closing_bottom + 12), 95)
        bottom = closing_bottom + _HOW_FAR_BELOW_CLOSING
        if name_row is not None:
            bottom = min(bottom, page.row_top(name_row) + 4)
        out.append(((0.0, closing_bottom + 1, w, bottom), name_row))
    # signature lines: short rules in the body (table borders and footer rules span
    # most of the page)
    for rule in sorted(page.rules, key=lambda b: -b[1]):
        if top_limit < rule[1] < footer and rule[2] - rule[0] < 0.6 * w:
            name_row = _name_row_after(page, _row_after(page, rule[3]), 40)
            box = (max(rule[0] - 20, 0.0), rule[1] - _ABOVE_LINE, min(rule[2] + 20, w), rule[1] + 2)
            out.append((box, name_row))
    for r in range(len(page.rows)):
        top, bottom = page.row_top(r), page.row_bottom(r)
        if not top_limit < top < footer or not _SIGN_LABEL.search(page.row_text(r)):
            continue
        name_row = _name_row_after(page, r, 40)
        if name_row is None:  # "(Unterschrift ...)" printed under the name block
            first = next(q for q in range(max(r - 3, 0), r + 1) if page.row_top(q) > top - 45)
            name_row = _name_row_after(page, first, 45)
            name_row = name_row if name_row is not None and name_row < r else None
        out.append(((0.0, top - _ABOVE_LINE, w, top + 1), name_row))
        below = _name_row_after(page, r + 1, _BOX_DEPTH) if r + 1 < len(page.rows) else None
        out.append(
            ((0.0, bottom, w, bottom + _BOX_DEPTH), below if below is not None else name_row)
        )
    if closing_bottom is None:
        for r in range(len(page.rows)):
            top = page.row_top(r)
            if not page.height * 0.3 < top < footer:
                continue
            row = page.row_text(r)
            text = _PROXY.sub("", row).partition(",")[0].strip()
            nxt = page.row_text(r + 1) if r + 1 < len(page.rows) else ""
            # a name signed on behalf ("i. A. Sabine Kurz") is a signature block too
            if _name_like(text) and (
                _role_in(row) or _role_in(nxt) or _SIGN_LABEL.search(nxt) or _PROXY.match(row)
            ):
                out.append(((0.0, top - _ABOVE_LINE, w, top + 1), r))
    return out


def _scan_has_ink(scan: ScanImage, region: BBox, *, text_boxes: Sequence[BBox] = ()) -> bool:
    """Handwriting in the region of a scanned page.

    Words OCR read as print (the company name under the closing, say) are blanked
    first, then drawn rules in both directions (a signature line, the sides of a
    signature box). What is left counts as ink only in connected strokes of a
    handwritten size: at least ``_INK_MIN_HEIGHT`` points tall or ``_INK_MIN_WIDTH``
    wide, away from the page edges (scanner-lid shadows), and together covering a real
    number of ~3-point tiles. Dust, JPEG specks, a typed "gez." and an empty box are
    not ink.
    """
    import cv2
    import numpy as np

    px = scan.pixels
    s = scan.scale
    margin = 3 * s  # stay clear of the text rows that bound the region
    edge = 0.03 * min(px.shape)  # shadows and cut edges along the page border
    y0 = max(int((region[1] + margin) * s), int(edge), 0)
    y1 = min(int((region[3] - margin) * s), px.shape[0] - int(edge))
    x0 = max(int(region[0] * s), int(edge), 0)
    x1 = min(int(region[2] * s), px.shape[1] - int(edge))
    if y1 - y0 < 8 or x1 - x0 < 8:
        return False
    dark = (np.asarray(px[y0:y1, x0:x1]) < 110).astype(np.uint8)
    pad = 2 * s
    for box in text_boxes:
        bx0 = max(int((box[0]) * s - pad) - x0, 0)
        bx1 = min(int((box[2]) * s + pad) - x0, dark.shape[1])
        by0 = max(int((box[1]) * s - pad) - y0, 0)
        by1 = min(int((box[3]) * s + pad) - y0, dark.shape[0])
        if bx1 > bx0 and by1 > by0:
            dark[by0:by1, bx0:bx1] = 0
    # rules: long straight runs, widened by a pixel or two (blur, tilt residue)
    grow = np.ones((5, 5), np.uint8)
    for kernel in (
        np.ones((1, max(int(15 * s), 8)), np.uint8),
        np.ones((max(int(12 * s), 8), 1), np.uint8),
    ):
        rules = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
        dark[cv2.dilate(rules, grow) > 0] = 0
    n, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    if n <= 1:
        return False
    tall = stats[:, cv2.CC_STAT_HEIGHT] >= _INK_MIN_HEIGHT * s
    # a long flat stroke counts when it is a thin line, not a word of merged letters
    fill = stats[:, cv2.CC_STAT_AREA] / np.maximum(
        stats[:, cv2.CC_STAT_WIDTH] * stats[:, cv2.CC_STAT_HEIGHT], 1
    )
    wide = (stats[:, cv2.CC_STAT_WIDTH] >= _INK_MIN_WIDTH * s) & (fill < 0.15)
    big = (tall | wide) & (stats[:, cv2.CC_STAT_AREA] >= 4 * s * s)
    big[0] = False
    if not big.any():
        return False
    strokes = big[labels]
    tile = max(int(3 * s), 4)  # ~3 points
    h = (strokes.shape[0] // tile) * tile
    w = (strokes.shape[1] // tile) * tile
    if h == 0 or w == 0:
        return False
    share = strokes[:h, :w].reshape(h // tile, tile, w // tile, tile).mean(axis=(1, 3))
    return int((share > 0.08).sum()) >= 12


def _signatory_below(
    page: PageLayout, region: BBox, name_row: int | None
) -> tuple[str | None, str | None]:
    start = name_row if name_row is not None else _row_after(page, region[3])
    if start >= len(page.rows):
        return None, None
    below = [
        r
        for r in range(start, len(page.rows))
        if page.row_top(r) < page.height * FOOTER_FRACTION
        and page.row_top(r) - page.row_top(start) < 60
    ]
    return signatory_from_rows([page.row_text(r) for r in below])


def _printed_boxes(page: PageLayout) -> list[BBox]:
    """Boxes of the words OCR read as print (blanked before looking for ink on a scan).

    A word far taller than the page's text is OCR's reading of a scribble ("Negeleee"
    over a 40-point signature), not print.
    """
    words = [w for row in page.rows for seg in row for w in seg.words]
    if not words:
        return []
    typical = statistics.median(w.bottom - w.top for w in words)
    return [w.bbox for w in words if _is_printed_text(w.text) and w.bottom - w.top <= 1.6 * typical]


def _ink_in(
    page: PageLayout, region: BBox, scan: ScanImage | None, printed: Sequence[BBox]
) -> str | None:
    """ "ink", "image" or None: what marks the region carries."""
    header_limit = page.height * HEADER_FRACTION
    if any(_intersects(s, region) and s[1] > header_limit for s in page.strokes):
        return "ink"
    if any(
        _intersects(i, region)
        and i[1] > header_limit
        # a full-page image is the scan itself, not a signature
        and (i[2] - i[0]) * (i[3] - i[1]) < 0.5 * page.width * page.height
        for i in page.images
    ):
        return "image"
    if scan is not None and _scan_has_ink(scan, region, text_boxes=printed):
        return "ink"
    return None


def find_signature(
    pages: Sequence[PageLayout],
    *,
    scans: Mapping[int, ScanImage] | None = None,
    digital: Sequence[DigitalSignature] = (),
) -> SignatureFinding:
    """Presence and kind of a signature, plus the printed signatory when there is one."""
    scans = scans or {}
    closing = find_closing(pages)
    candidates: list[tuple[PageLayout, float | None]] = []
    if closing is not None:
        candidates.append((next(p for p in pages if p.number == closing[0]), closing[1]))
    candidates += [(p, None) for p in reversed(pages) if closing is None or p.number != closing[0]]
    kind = "none"
    page_no: int | None = None
    box: BBox | None = None
    name: str | None = None
    role: str | None = None
    for page, closing_bottom in candidates:
        printed = _printed_boxes(page) if page.number in scans else []
        for region, name_row in _regions(page, closing_bottom):
            if name is None and role is None:
                name, role = _signatory_below(page, region, name_row)
            found = _ink_in(page, region, scans.get(page.number), printed)
            if found is None:
                continue
            kind, page_no, box = found, page.number, region
            if name_row is not None:  # the name printed under this very signature
                name, role = _signatory_below(page, region, name_row)
            break
        if kind != "none":
            break
    intact = tuple(d for d in digital if d.intact)
    if kind == "none" and intact:
        kind = "digital"
    return SignatureFinding(
        present=kind != "none",
        kind=kind,
        signatory=name,
        role=role,
        page=page_no,
        bbox=box,
        digital=tuple(digital),
    )


def _load_roots(paths: Sequence[Path]) -> list[Any]:
    from asn1crypto import pem, x509  # type: ignore[import-untyped]

    roots = []
    for path in paths:
        data = Path(path).read_bytes()
        if pem.detect(data):
            for _, _, der in pem.unarmor(data, multiple=True):
                roots.append(x509.Certificate.load(der))
        else:
            roots.append(x509.Certificate.load(data))
    return roots


def digital_signatures(
    data: bytes, *, trust_roots: Sequence[Path] = ()
) -> tuple[DigitalSignature, ...]:
    """Embedded signatures, checked for integrity and, with trust roots, for trust."""
    if b"/ByteRange" not in data:
        return ()  # no signature dictionary: skip importing pyHanko (~0.3 s)
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    # pyHanko logs every untrusted chain as a WARNING with a traceback naming the signer;
    # the outcome is reported in DigitalSignature.summary instead.
    logging.getLogger("pyhanko").setLevel(logging.ERROR)
    roots = _load_roots(trust_roots) if trust_roots else []
    out: list[DigitalSignature] = []
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = list(reader.embedded_signatures)
    except Exception:  # a damaged signature dictionary is "no readable signature"
        return ()
    for sig in sigs:
        signer: str | None = None
        try:
            cert = sig.signer_cert
            signer = str(cert.subject.human_friendly) if cert is not None else None
        except Exception:
            signer = None
        try:
            # Always an explicit context: without one pyHanko falls back to the OS trust
            # store (deprecated) and may try to fetch revocation data.
            context = ValidationContext(trust_roots=roots, allow_fetching=False)
            status = validate_pdf_signature(sig, signer_validation_context=context)
            intact = bool(getattr(status, "intact", False))
            valid = bool(getattr(status, "valid", False)) if roots else None
            trusted = bool(getattr(status, "trusted", False)) if roots else None
            summary = str(status.summary())
        except Exception as exc:  # pyHanko raises many kinds for broken signatures
            intact, valid, trusted = False, (False if roots else None), (False if roots else None)
            summary = f"validation failed: {type(exc).__name__}"
        out.append(
            DigitalSignature(
                field=str(sig.field_name),
                signer=signer,
                intact=intact,
                valid=valid,
                trusted=trusted,
                summary=summary,
            )
        )
    return tuple(out)
