"""Value objects the document reader returns: numbers, roles, signatures, documents.

Everything here is immutable and free of I/O, so the decision, the ticket texts and
the CLI can be tested with hand-built values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "BBox",
    "DigitalSignature",
    "DocumentError",
    "FoundNumber",
    "NumberRange",
    "ParsedDocument",
    "Role",
    "SignatureFinding",
    "Source",
]

# (x0, top, x1, bottom) in PDF points, origin at the top-left of the page, as pdfplumber
# reports word positions. OCR positions are converted to the same space.
BBox = tuple[float, float, float, float]


class Role(StrEnum):
    """What a letter says about a number it names."""

    TRANSFER = "transfer"  # handed over to the new partner
    EXCLUDED = "excluded"  # named, but explicitly kept back
    CONTACT = "contact"  # the writer's own phone/fax/hotline, letterhead, footer, contact person
    UNCLEAR = "unclear"  # named, but the letter does not make clear it is handed over


class Source(StrEnum):
    """Where the characters of a number came from."""

    TEXT = "text"
    OCR = "ocr"


@dataclass(frozen=True, order=True)
class NumberRange:
    """One phone number or a contiguous block of numbers, as E.164 strings.

    A single number has ``first == last``. A block keeps its bounds only, never its
    members: ``+493012345600``..``+493012345699`` is 100 numbers. Both bounds have the
    same number of digits (a block is a range of fixed-width extensions).
    """

    first: str
    last: str

    def __post_init__(self) -> None:
        for value in (self.first, self.last):
            if not (value.startswith("+") and value[1:].isdigit()):
                raise ValueError("a number range bound must be E.164 (+ and digits)")
        if len(self.first) != len(self.last):
            raise ValueError("both bounds of a number block must have the same length")
        if int(self.first[1:]) > int(self.last[1:]):
            raise ValueError("a number block must not end before it starts")

    @classmethod
    def single(cls, e164: str) -> NumberRange:
        """A range holding one number."""
        return cls(e164, e164)

    @classmethod
    def from_ints(cls, lo: int, hi: int, width: int) -> NumberRange:
        """Build a range from integer bounds with ``width`` digits after the ``+``."""
        return cls(f"+{lo:0{width}d}", f"+{hi:0{width}d}")

    @property
    def width(self) -> int:
        """Digits after the ``+``."""
        return len(self.first) - 1

    @property
    def lo(self) -> int:
        return int(self.first[1:])

    @property
    def hi(self) -> int:
        return int(self.last[1:])

    @property
    def count(self) -> int:
        """How many numbers the range holds."""
        return self.hi - self.lo + 1

    @property
    def is_single(self) -> bool:
        return self.first == self.last

    def overlaps(self, other: NumberRange) -> bool:
        """Whether the two ranges share at least one number."""
        return self.width == other.width and self.lo <= other.hi and other.lo <= self.hi

    def contains(self, other: NumberRange) -> bool:
        """Whether every number of ``other`` lies in this range."""
        return self.width == other.width and self.lo <= other.lo and other.hi <= self.hi

    def intersection(self, other: NumberRange) -> NumberRange | None:
        """The numbers both ranges hold, or None."""
        if not self.overlaps(other):
            return None
        return NumberRange.from_ints(max(self.lo, other.lo), min(self.hi, other.hi), self.width)

    def minus(self, other: NumberRange) -> list[NumberRange]:
        """The parts of this range that ``other`` does not hold (0, 1 or 2 ranges)."""
        if not self.overlaps(other):
            return [self]
        parts: list[NumberRange] = []
        if self.lo < other.lo:
            parts.append(NumberRange.from_ints(self.lo, other.lo - 1, self.width))
        if other.hi < self.hi:
            parts.append(NumberRange.from_ints(other.hi + 1, self.hi, self.width))
        return parts

    def as_dict(self) -> dict[str, object]:
        return {"first": self.first, "last": self.last, "count": self.count}

    def __str__(self) -> str:
        return self.first if self.is_single else f"{self.first}..{self.last}"


@dataclass(frozen=True)
class FoundNumber:
    """A number (or block) a document names, with what the document says about it."""

    range: NumberRange
    role: Role
    page: int  # 1-based
    source: Source
    text: str  # the characters as they stand in the document
    bbox: BBox | None = None
    why: str = ""  # short machine reason for the role, e.g. "keyword:ausgenommen", "zone:footer"

    def as_dict(self) -> dict[str, object]:
        return {
            **self.range.as_dict(),
            "role": self.role.value,
            "page": self.page,
            "source": self.source.value,
            "text": self.text,
            "bbox": list(self.bbox) if self.bbox else None,
            "why": self.why,
        }


@dataclass(frozen=True)
class DigitalSignature:
    """An embedded PDF signature as pyHanko reports it."""

    field: str
    signer: str | None
    intact: bool  # the signed bytes are unchanged
    valid: bool | None  # chain validated against configured trust roots; None = no roots
    trusted: bool | None
    summary: str

    def as_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "signer": self.signer,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class SignatureFinding:
    """Whether the letter looks signed, and by whom (as printed)."""

    present: bool
    kind: str  # "ink" (vector strokes), "image", "digital" or "none"
    signatory: str | None = None
    role: str | None = None
    page: int | None = None
    bbox: BBox | None = None
    digital: tuple[DigitalSignature, ...] = ()

    @classmethod
    def none(cls) -> SignatureFinding:
        return cls(present=False, kind="none")

    def as_dict(self) -> dict[str, object]:
        return {
            "present": self.present,
            "kind": self.kind,
            "signatory": self.signatory,
            "role": self.role,
            "page": self.page,
            "bbox": list(self.bbox) if self.bbox else None,
            "digital": [d.as_dict() for d in self.digital],
        }


@dataclass(frozen=True)
class DocumentError:
    """Why a document could not be read, for people and for machines."""

    code: str  # not_pdf, encrypted, truncated, too_large, too_many_pages, no_pages, timeout, memory, unreadable
    message: str  # one German-free English sentence for logs/CLI; ticket texts map the code

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class ParsedDocument:
    """Everything the reader learned from one document."""

    file: str
    pages: int
    ocr_pages: tuple[int, ...] = ()
    error: DocumentError | None = None
    numbers: tuple[FoundNumber, ...] = ()
    signature: SignatureFinding = field(default_factory=SignatureFinding.none)
    # the letter speaks of "all numbers of the customer" without naming them
    blanket_clause: bool = False
    sha256: str = ""
    page_sizes: tuple[tuple[float, float], ...] = ()  # (width, height) in points per page

    @classmethod
    def failed(cls, file: str, error: DocumentError, *, sha256: str = "") -> ParsedDocument:
        return cls(file=file, pages=0, error=error, sha256=sha256)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "pages": self.pages,
            "ocr_pages": list(self.ocr_pages),
            "error": self.error.as_dict() if self.error else None,
            "numbers": [n.as_dict() for n in self.numbers],
            "signature": self.signature.as_dict(),
            "blanket_clause": self.blanket_clause,
            "sha256": self.sha256,
            "page_sizes": [list(s) for s in self.page_sizes],
        }
