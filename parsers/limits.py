"""Refuse hostile PDFs before they are interpreted or rendered.

Every check here reads object dictionaries and at most a capped amount of decoded data,
so a hostile file ends in milliseconds with its own reason instead of running into the
sandbox's time or memory limit:

- the page count is taken from the page tree root's ``/Count`` and the tree is walked
  lazily, never past ``limits.max_pages`` (``too_many_pages``);
- the content streams of a page (and of the forms, tiling patterns, annotation
  appearances and Type 3 glyphs it draws) are inflated with a cap on their decoded size
  (``limits.max_content_bytes``) and their operators are counted with a cap
  (``limits.max_page_operators``) before pdfminer interprets them (``too_complex``);
- the streams pdfminer decodes on its own, object streams and each font's ToUnicode map
  and embedded program, are inflated with the same cap first (``too_complex``);
- every image a page draws (XObject or inline) is measured from its dictionary
  (``/Width``, ``/Height``, colour components and bits) and, for JPEG, JPEG 2000 and JBIG2,
  from the dimensions inside the encoded data, which a renderer trusts as well; more than
  ``limits.max_image_pixels`` pixels or ``limits.max_image_bytes`` decoded bytes is
  ``image_too_large``, as is a page whose bitmap at the OCR resolution would be.

Flate is the only filter inflated here with a cap (zlib's ``max_length``); streams with
other filters are decoded by pdfminer and then measured, and stay bounded by the
sandbox's limits.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from collections.abc import Iterator
from itertools import islice
from typing import Any

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.pdfpage import PDFPage
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.page import Page
from pdfplumber.pdf import PDF

from config.errors import DocumentReadError
from config.settings import LimitSettings

__all__ = [
    "CappedPDF",
    "check_object_streams",
    "check_page",
    "check_page_count",
    "check_render",
    "declared_page_count",
    "decoded_size",
    "jbig2_dimensions",
    "limited_pages",
]

# Operators are the bare keywords of a content stream: letters plus ' " and *.
_OPERATOR = re.compile(rb"(?<![\w/#.\-+])[A-Za-z'\"][A-Za-z*'\"0-9]{0,2}(?![\w#.])")
_INLINE_IMAGE = re.compile(rb"(?<![\w/])BI\b(.{0,1024}?)\bID\b", re.S)
_INLINE_KEY = re.compile(rb"/(W|Width|H|Height)\s+(\d+)")
_MAX_FORM_DEPTH = 8
_CAPPED_FILTERS = {"FlateDecode", "Fl", "ASCII85Decode", "A85", "ASCIIHexDecode", "AHx"}
_MAX_XOBJECTS = 10_000  # per page, forms included
_COMPONENTS = {"DeviceGray": 1, "G": 1, "DeviceRGB": 3, "RGB": 3, "DeviceCMYK": 4, "CMYK": 4}
# JBIG2 segment types whose data starts with a region's width and height, and the
# page information segment (which gives the page bitmap's size).
_JBIG2_REGIONS = {6, 7, 22, 23, 36, 38, 39, 40, 42, 43}
_JBIG2_PAGE_INFO = 48


def _too_complex(detail: str) -> DocumentReadError:
    return DocumentReadError("too_complex", detail)


def _too_large(detail: str) -> DocumentReadError:
    return DocumentReadError("image_too_large", detail)


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        return value.name if isinstance(value.name, str) else value.name.decode("latin-1")
    return str(value) if value else ""


def _int(value: Any) -> int:
    value = resolve1(value)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def declared_page_count(pdf: PDF) -> int | None:
    """The ``/Count`` of the page tree root, or None when it is missing or not a number."""
    root = resolve1(pdf.doc.catalog.get("Pages"))
    if not isinstance(root, dict):
        return None
    count = resolve1(root.get("Count"))
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def check_page_count(data: bytes, *, max_pages: int) -> None:
    """Raise ``too_many_pages`` from pdfium's page count, before pdfminer reads anything.

    pdfium reads the cross-reference table and the page tree root's ``/Count`` in C (a
    160,000-page file: 0.15 s, no memory to speak of), where pdfminer would first parse
    every cross-reference entry in Python. A file pdfium cannot open is left to the
    reader, which reports what is wrong with it.
    """
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return
    try:
        count = len(doc)
    finally:
        doc.close()
    if count > max_pages:
        raise DocumentReadError("too_many_pages", f"{count} pages, limit {max_pages}")


class CappedPDF(PDF):
    """pdfplumber's ``PDF`` whose page list walks the page tree no further than the cap.

    ``PDF.pages`` walks the whole tree (and ``PDF.close`` asks for it again); here the
    root's ``/Count`` is checked first and the walk stops one page past ``max_pages``
    either way. ``check_count`` raises ``too_many_pages`` when the cap was reached.
    """

    def __init__(self, data: bytes, *, max_pages: int) -> None:
        self.max_pages = max_pages
        self.page_count_over: str | None = None
        self._capped: list[Page] | None = None
        super().__init__(io.BytesIO(data))

    @property
    def pages(self) -> list[Page]:
        if self._capped is None:
            self._capped = []
            declared = declared_page_count(self)
            if declared is not None and declared > self.max_pages:
                self.page_count_over = f"{declared} pages, limit {self.max_pages}"
                return self._capped
            doctop: float = 0
            walk = islice(PDFPage.create_pages(self.doc), self.max_pages + 1)
            for index, page_obj in enumerate(walk):
                if index == self.max_pages:
                    self.page_count_over = f"more than {self.max_pages} pages"
                    break
                page = Page(self, page_obj, page_number=index + 1, initial_doctop=doctop)
                self._capped.append(page)
                doctop += page.height
        return self._capped

    def check_count(self) -> None:
        """Raise ``too_many_pages`` when the walk (done now if not yet) reached the cap."""
        _ = self.pages
        if self.page_count_over is not None:
            raise DocumentReadError("too_many_pages", self.page_count_over)


def limited_pages(pdf: CappedPDF) -> list[Page]:
    """The pages of ``pdf``; raises ``too_many_pages`` past its cap."""
    pages = pdf.pages
    pdf.check_count()
    return pages


def _raw(stream: PDFStream) -> bytes:
    data = stream.rawdata if stream.rawdata is not None else stream.data
    if data is None:
        return b""
    if stream.decipher and stream.rawdata is not None and stream.objid is not None:
        data = stream.decipher(stream.objid, stream.genno or 0, data, stream.attrs)
    return data


def decoded_size(stream: PDFStream, *, cap: int) -> tuple[int, bytes]:
    """The decoded size of ``stream`` (``cap + 1`` means "more than cap") and its data.

    A chain of ASCII85/ASCIIHex (which only shrink) ending in Flate is decoded here, Flate
    with zlib's ``max_length``; any other filter (LZW, RunLength) is decoded by pdfminer and
    then measured. The data is returned only up to the cap.
    """
    size, data, _ = _decode_capped(stream, cap)
    return size, data


def _decode_capped(stream: PDFStream, cap: int) -> tuple[int, bytes, bool]:
    """``decoded_size`` plus whether the data is whole and exactly what pdfminer's own
    decoding would give (then pdfminer need not decode the stream again)."""
    if stream.rawdata is None and stream.data is not None:  # decoded already
        return len(stream.data), stream.data[: cap + 1], False
    filters = stream.get_filters()
    names = [_name(f) for f, _ in filters]
    # Flate may only come last: a filter after a capped inflate would measure a part
    if not set(names) <= _CAPPED_FILTERS or {"FlateDecode", "Fl"} & set(names[:-1]):
        data = stream.get_data()
        return len(data), data[: cap + 1], False
    data = _raw(stream)
    exact = stream.rawdata is not None and (not stream.decipher or stream.objid is not None)
    for name, params in zip(names, (p for _, p in filters), strict=True):
        if isinstance(params, dict) and "Predictor" in params:
            exact = False  # pdfminer applies predictors; this measure does not
        if name in ("ASCII85Decode", "A85"):
            data = ascii85decode(data)
        elif name in ("ASCIIHexDecode", "AHx"):
            data = asciihexdecode(data)
        else:
            inflater = zlib.decompressobj()
            try:
                data = inflater.decompress(data, cap + 1)
            except zlib.error:
                data = b""  # pdfminer's own fallback stops at the same damage
            exact = exact and inflater.eof  # a cut or damaged stream: pdfminer's recovery
    return len(data), data[: cap + 1], exact and len(data) <= cap


def _count_operators(data: bytes, cap: int) -> int:
    """Operators in ``data``, counting no further than ``cap + 1``."""
    return sum(1 for _ in islice(_OPERATOR.finditer(data), cap + 1))


def jbig2_dimensions(data: bytes, *, max_segments: int = 64) -> Iterator[tuple[int, int]]:
    """Width and height of the page information and region segments of a JBIG2 stream.

    Reads the segment headers of an embedded (header-less) JBIG2 stream, as the JBIG2
    standard (ITU-T T.88, 7.2 and 7.4) lays them out; stops at the first segment whose
    length is unknown or runs past the data.
    """
    pos = 0
    for _ in range(max_segments):
        if pos + 6 > len(data):
            return
        number = struct.unpack_from(">I", data, pos)[0]
        flags = data[pos + 4]
        kind = flags & 0x3F
        pos += 5
        referred = data[pos] >> 5
        if referred == 7:
            if pos + 4 > len(data):
                return
            referred = struct.unpack_from(">I", data, pos)[0] & 0x1FFFFFFF
            pos += 4 + (referred + 8) // 8
        else:
            pos += 1
        ref_size = 1 if number <= 256 else 2 if number <= 65536 else 4
        pos += referred * ref_size + (4 if flags & 0x40 else 1)
        if pos + 4 > len(data):
            return
        length = struct.unpack_from(">I", data, pos)[0]
        pos += 4
        if (kind == _JBIG2_PAGE_INFO or kind in _JBIG2_REGIONS) and pos + 8 <= len(data):
            yield struct.unpack_from(">II", data, pos)
        if length == 0xFFFFFFFF or pos + length > len(data):
            return
        pos += length


def _encoded_dimensions(stream: PDFStream, filters: list[str]) -> Iterator[tuple[int, int]]:
    """Dimensions stated inside the encoded image data (JPEG, JPEG 2000, JBIG2)."""
    last = filters[-1] if filters else ""
    if last in ("DCTDecode", "DCT", "JPXDecode"):
        from PIL import Image

        raw = _raw(stream) if len(filters) == 1 else b""
        if raw:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    with Image.open(io.BytesIO(raw)) as image:  # reads the header only
                        yield image.size
                except Image.DecompressionBombError:
                    yield (1 << 20, 1 << 20)  # Pillow's own cap: far beyond ours
                except (OSError, ValueError, SyntaxError):
                    return
    elif last == "JBIG2Decode" and len(filters) == 1:
        yield from jbig2_dimensions(_raw(stream))


def _check_image(attrs: dict[str, Any], stream: PDFStream | None, limits: LimitSettings) -> None:
    width = _int(attrs.get("Width", attrs.get("W")))
    height = _int(attrs.get("Height", attrs.get("H")))
    sizes = [(width, height)]
    if stream is not None:
        filters = [_name(f) for f, _ in stream.get_filters()]
        sizes.extend(_encoded_dimensions(stream, filters))
        mask = attrs.get("SMask")
        if isinstance(resolve1(mask), PDFStream):
            smask = resolve1(mask)
            sizes.append((_int(smask.attrs.get("Width")), _int(smask.attrs.get("Height"))))
    bits = _int(attrs.get("BitsPerComponent", attrs.get("BPC"))) or 8
    space = resolve1(attrs.get("ColorSpace", attrs.get("CS")))
    components = _COMPONENTS.get(_name(space), 4) if not isinstance(space, list) else 4
    if attrs.get("ImageMask", attrs.get("IM")) is True:
        components, bits = 1, 1
    for w, h in sizes:
        pixels = w * h
        if pixels > limits.max_image_pixels:
            raise _too_large(f"{w}×{h} pixels, limit {limits.max_image_pixels}")
        decoded = pixels * components * bits // 8
        if decoded > limits.max_image_bytes:
            raise _too_large(f"{decoded} bytes decoded, limit {limits.max_image_bytes}")


def _content_streams(page: PDFPage) -> list[PDFStream]:
    return [s for s in (resolve1(c) for c in page.contents) if isinstance(s, PDFStream)]


def check_page(
    page: PDFPage, *, limits: LimitSettings, fonts_checked: set[int] | None = None
) -> None:
    """Raise ``too_complex`` or ``image_too_large`` for a page that must not be read.

    ``fonts_checked`` carries the fonts already measured on earlier pages of the same
    document (pdfminer decodes each font's streams once per document).
    """
    budget_bytes = limits.max_content_bytes
    budget_ops = limits.max_page_operators
    fonts_seen = fonts_checked if fonts_checked is not None else set()

    def content(stream: PDFStream, what: str) -> None:
        nonlocal budget_bytes, budget_ops
        size, data, exact = _decode_capped(stream, budget_bytes)
        if size > budget_bytes:
            raise _too_complex(f"{what}: more than {limits.max_content_bytes} bytes decoded")
        budget_bytes -= size
        ops = _count_operators(data, budget_ops)
        if ops > budget_ops:
            raise _too_complex(f"{what}: more than {limits.max_page_operators} operators")
        budget_ops -= ops
        if exact and what == "content stream":
            # pdfminer interprets the page's content next: it keeps these bytes instead
            # of decoding the stream a second time, as its own decoding would
            stream.data, stream.rawdata = data, None
        for match in _INLINE_IMAGE.finditer(data):
            keys = {k.decode(): int(v) for k, v in _INLINE_KEY.findall(match.group(1))}
            inline = {"Width": keys.get("W", keys.get("Width", 0))}
            inline["Height"] = keys.get("H", keys.get("Height", 0))
            _check_image(inline, None, limits)

    for stream in _content_streams(page):
        content(stream, "content stream")
    seen: set[int] = set()
    # (a stream drawn like a form, or None for the page itself; its resources; depth)
    pending: list[tuple[PDFStream | None, Any, int]] = [(None, page.resources, 0)]
    # annotation appearances are drawn by renderers like forms
    for annot in _list(getattr(page, "annots", None))[:_MAX_XOBJECTS]:
        annot = resolve1(annot)
        appearance = resolve1(annot.get("AP")) if isinstance(annot, dict) else None
        if not isinstance(appearance, dict):
            continue
        for state in (resolve1(v) for v in appearance.values()):
            for form in (
                resolve1(f) for f in (state.values() if isinstance(state, dict) else [state])
            ):
                if isinstance(form, PDFStream):
                    pending.append((form, None, 1))

    def visit(ref: Any) -> PDFStream | None:
        key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        if key in seen:
            return None
        seen.add(key)
        if len(seen) > _MAX_XOBJECTS:
            raise _too_complex(f"more than {_MAX_XOBJECTS} images, forms and patterns")
        stream = resolve1(ref)
        return stream if isinstance(stream, PDFStream) else None

    while pending:
        form, resources, depth = pending.pop()
        if form is not None:
            if depth > _MAX_FORM_DEPTH:
                raise _too_complex(f"forms nested deeper than {_MAX_FORM_DEPTH}")
            content(form, "form")
            resources = form.attrs.get("Resources")
        resources = resolve1(resources)
        if not isinstance(resources, dict):
            continue
        fonts = resolve1(resources.get("Font"))
        for ref in fonts.values() if isinstance(fonts, dict) else ():
            key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
            if key not in fonts_seen:
                fonts_seen.add(key)
                for glyph in _check_font(resolve1(ref), limits):
                    if visit(glyph) is not None:  # Type 3 glyphs are content streams
                        pending.append((resolve1(glyph), None, depth + 1))
        for kind in ("XObject", "Pattern"):
            entries = resolve1(resources.get(kind))
            if not isinstance(entries, dict):
                continue
            for ref in entries.values():
                drawn = visit(ref)
                if drawn is None:
                    continue
                subtype = _name(drawn.attrs.get("Subtype"))
                if kind == "Pattern" or subtype == "Form":
                    pending.append((drawn, None, depth + 1))  # tiling patterns draw too
                elif subtype == "Image":
                    _check_image(drawn.attrs, drawn, limits)


def _check_font(font: Any, limits: LimitSettings) -> list[Any]:
    """Measure a font's ToUnicode map and embedded program; its Type 3 glyph streams.

    pdfminer decodes and parses these itself (a ToUnicode map in Python), so each is
    inflated with the same cap as a page's content first.
    """
    if not isinstance(font, dict):
        return []
    parts = [font, *(resolve1(d) for d in _list(font.get("DescendantFonts")))]
    streams: list[Any] = []
    for part in (p for p in parts if isinstance(p, dict)):
        streams.append(part.get("ToUnicode"))
        descriptor = resolve1(part.get("FontDescriptor"))
        if isinstance(descriptor, dict):
            streams.extend(descriptor.get(k) for k in ("FontFile", "FontFile2", "FontFile3"))
    cap = limits.max_content_bytes
    for stream in (resolve1(s) for s in streams):
        if isinstance(stream, PDFStream) and decoded_size(stream, cap=cap)[0] > cap:
            raise _too_complex(f"a font stream decodes to more than {cap} bytes")
    procs = resolve1(font.get("CharProcs"))
    return list(procs.values()) if isinstance(procs, dict) else []


def check_object_streams(pdf: PDF, *, limits: LimitSettings) -> None:
    """Raise ``too_complex`` when an object stream inflates past the content cap.

    Objects inside compressed object streams are decoded by pdfminer the first time one
    of them is needed; each stream the cross-reference streams point into is measured
    with a capped inflate first.
    """
    from pdfminer.pdfdocument import PDFXRefStream
    from pdfminer.pdfexceptions import PDFException

    holders: set[int] = set()
    for xref in pdf.doc.xrefs:
        if not isinstance(xref, PDFXRefStream):
            continue
        for objid in islice(xref.get_objids(), 1_000_000):
            try:
                holder = xref.get_pos(objid)[0]
            except (KeyError, ValueError, TypeError):
                continue
            if holder is not None:
                holders.add(holder)
    cap = limits.max_content_bytes
    for holder in holders:
        try:
            stream = pdf.doc.getobj(holder)
        except (PDFException, KeyError, ValueError, TypeError):
            continue  # what pdfminer cannot find here it will not decode later either
        if isinstance(stream, PDFStream) and decoded_size(stream, cap=cap)[0] > cap:
            raise _too_complex(f"an object stream decodes to more than {cap} bytes")


def _list(value: Any) -> list[Any]:
    value = resolve1(value)
    return value if isinstance(value, list) else []


def check_render(width_pt: float, height_pt: float, *, scale: float, limits: LimitSettings) -> None:
    """Raise ``image_too_large`` when a page's bitmap at ``scale`` would exceed the cap."""
    pixels = int(width_pt * scale) * int(height_pt * scale)
    if pixels > limits.max_image_pixels:
        raise _too_large(f"page bitmap of {pixels} pixels, limit {limits.max_image_pixels}")
