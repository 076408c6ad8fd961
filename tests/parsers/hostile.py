"""Hostile PDFs, built in memory in well under a second each, small on disk.

- ``content_bomb``: one page whose content stream inflates to ``mb`` MiB. The deflate
  data is one compressed block repeated (each block ends with a full flush, so it does
  not refer back), with a correct Adler-32, so any inflater accepts it whole.
- ``many_pages``: ``n`` distinct page objects under one page tree root whose ``/Count``
  says ``count`` (``n`` by default; a lying smaller count tests the lazy walk).
- ``big_image``: a page drawing one image; ``dict_size`` is what the image dictionary
  says, ``encoded_size`` what the JPEG or JBIG2 data inside says.
- ``many_operators``: a page of ``n`` path operators, small when decoded.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Measured",
    "big_image",
    "content_bomb",
    "font_bomb",
    "many_operators",
    "many_pages",
    "measure",
    "object_stream_bomb",
    "pdf",
]

_MIB = 1024 * 1024


def pdf(objects: list[bytes]) -> bytes:
    """A PDF with ``objects`` numbered from 1 (1 must be the catalog), xref and trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(attrs: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (attrs, len(data)) + data + b"\nendstream"


def _repeated_deflate(chunk: bytes, times: int) -> bytes:
    """zlib data that inflates to ``chunk * times``, about ``len(chunk) / 1000 * times``."""
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    end = z.flush(zlib.Z_FINISH)
    adler = 1
    for _ in range(times):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + block * times + end + struct.pack(">I", adler)


def _one_page(page_extra: bytes, content: bytes, more: tuple[bytes, ...] = ()) -> bytes:
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            + page_extra
            + b" >>",
            content,
            *more,
        ]
    )


def content_bomb(mb: int = 330) -> bytes:
    """One page whose content stream inflates to ``mb`` MiB of path operators."""
    line = b"0 0 m 1 1 l S\n"
    chunk = line * (_MIB // len(line))
    data = _repeated_deflate(chunk, mb * _MIB // len(chunk))
    return _one_page(b"", _stream(b"/Filter /FlateDecode", data))


def font_bomb(mb: int = 330) -> bytes:
    """A page whose font's ToUnicode map inflates to ``mb`` MiB."""
    line = b"<0041> <0041>\n"
    chunk = line * (_MIB // len(line))
    cmap = _stream(b"/Filter /FlateDecode", _repeated_deflate(chunk, mb * _MIB // len(chunk)))
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>"
    return _one_page(
        b"/Resources << /Font << /F1 5 0 R >> >>",
        _stream(b"", b"BT /F1 12 Tf 72 720 Td (A) Tj ET"),
        (font, cmap),
    )


def object_stream_bomb(mb: int = 330) -> bytes:
    """A file with a cross-reference stream and an object stream inflating to ``mb`` MiB."""
    pad = b" " * _MIB
    head = b"6 0 "
    body = head + b"<< /Padding true >>" + b" " * (_MIB - len(head) - 19)
    # the first MiB holds the object, then padding: one deflate stream, one checksum
    block_first = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = block_first.compress(body) + block_first.flush(zlib.Z_FULL_FLUSH)
    rest = zlib.compressobj(9, zlib.DEFLATED, -15)
    padding = rest.compress(pad) + rest.flush(zlib.Z_FULL_FLUSH)
    end = rest.flush(zlib.Z_FINISH)
    adler = zlib.adler32(body)
    for _ in range(mb - 1):
        adler = zlib.adler32(pad, adler)
    deflated = b"\x78\xda" + first + padding * (mb - 1) + end + struct.pack(">I", adler)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"", b"0 0 m 1 1 l S"),
        _stream(b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(head), deflated),
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref_at = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, off, 0) for off in offsets]
    rows.append(struct.pack(">BIH", 2, 5, 0))  # object 6 sits in object stream 5
    rows.append(struct.pack(">BIH", 1, xref_at, 0))  # the cross-reference stream itself
    table = b"".join(rows)
    out += (
        b"7 0 obj\n"
        + _stream(b"/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R", table)
        + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return bytes(out)


def many_operators(n: int) -> bytes:
    """One page with ``n`` operators (``n`` bytes ×2 decoded), Flate-compressed."""
    data = zlib.compress(b"n\n" * n, 9)
    return _one_page(b"", _stream(b"/Filter /FlateDecode", data))


def many_pages(n: int = 160_000, *, count: int | None = None) -> bytes:
    """``n`` tiny distinct pages under one root whose ``/Count`` is ``count`` (or ``n``)."""
    first = 3
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (n if count is None else count),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    objects.extend([page] * n)
    return pdf(objects)


def _jbig2(width: int, height: int) -> bytes:
    """An embedded JBIG2 stream: a page information segment and an end-of-page segment."""
    info = struct.pack(">IIIIBH", width, height, 0, 0, 0, 0)
    page_info = struct.pack(">IBBBI", 0, 48, 0, 1, len(info)) + info
    end_of_page = struct.pack(">IBBBI", 1, 49, 0, 1, 0)
    return page_info + end_of_page


def _jpeg(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header then claims ``width`` × ``height``."""
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buf, format="JPEG")
    data = bytearray(buf.getvalue())
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def big_image(
    dict_size: tuple[int, int],
    *,
    kind: str = "flate",
    encoded_size: tuple[int, int] | None = None,
) -> bytes:
    """A page drawing one gray image (``kind``: flate, jbig2 or jpeg) and no text."""
    width, height = dict_size
    if kind == "jbig2":
        data, filt = _jbig2(*(encoded_size or dict_size)), b"/JBIG2Decode"
        bits = 1
    elif kind == "jpeg":
        data, filt = _jpeg(*(encoded_size or dict_size)), b"/DCTDecode"
        bits = 8
    else:
        row = b"\x80" * width
        rows = max(1, min(height, _MIB // max(width, 1)))
        data = _repeated_deflate(row * rows, max(1, height // rows))
        filt, bits = b"/FlateDecode", 8
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent %d /Filter %s" % (width, height, bits, filt),
        data,
    )
    content = _stream(b"", b"q 500 0 0 700 50 70 cm /Im1 Do Q")
    return _one_page(b"/Resources << /XObject << /Im1 5 0 R >> >>", content, (image,))


@dataclass(frozen=True)
class Measured:
    code: str | None  # the DocumentError code, None when the file was read
    seconds: float  # read_document_inprocess alone
    peak_mb: float  # the process's peak resident memory, imports included
    baseline_mb: float  # its resident memory before the read (the reader imported)


_MEASURE = """
import json, sys, time
from config.settings import load_settings
from parsers.document import read_document_inprocess

def hwm_kb():  # peak resident set of this process image (ru_maxrss survives exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

settings = load_settings(env={}, overrides=json.loads(sys.argv[1]))
data = sys.stdin.buffer.read()
base = hwm_kb()
started = time.perf_counter()
doc = read_document_inprocess(data, filename="h.pdf", settings=settings)
seconds = time.perf_counter() - started
print(json.dumps({"code": doc.error.code if doc.error else None, "seconds": seconds,
                  "peak_kb": hwm_kb(), "base_kb": base}))
"""


def measure(data: bytes, *, overrides: dict[str, object] | None = None) -> Measured:
    """Read ``data`` in-process in a fresh interpreter: its time and peak memory."""
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, json.dumps(overrides or {})],
        input=data,
        capture_output=True,
        cwd=root,
        timeout=300,
        check=True,
    )
    out = json.loads(done.stdout.decode().strip().splitlines()[-1])
    return Measured(out["code"], out["seconds"], out["peak_kb"] / 1024, out["base_kb"] / 1024)
