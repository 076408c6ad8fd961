"""Rebuild the reader's value objects from the dicts their ``as_dict`` methods produce.

Used for the child → parent hop of the parsing sandbox and by the store, which keeps
each document's ``ParsedDocument.as_dict()`` as JSON. Unknown keys are ignored so older
stored JSON keeps loading when fields are added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parsers.model import (
    BBox,
    DigitalSignature,
    DocumentError,
    FoundNumber,
    NumberRange,
    ParsedDocument,
    Role,
    SignatureFinding,
    Source,
)

__all__ = [
    "digital_signature_from_dict",
    "document_error_from_dict",
    "found_number_from_dict",
    "number_range_from_dict",
    "parsed_document_from_dict",
    "signature_from_dict",
]


def _bbox(value: Any) -> BBox | None:
    if value is None:
        return None
    if not isinstance(value, Sequence) or len(value) != 4:
        raise ValueError("a bbox must be four numbers")
    x0, top, x1, bottom = (float(v) for v in value)
    return (x0, top, x1, bottom)


def number_range_from_dict(data: Mapping[str, Any]) -> NumberRange:
    """A NumberRange from ``{"first", "last"}`` (``count`` is derived, not trusted)."""
    return NumberRange(str(data["first"]), str(data["last"]))


def found_number_from_dict(data: Mapping[str, Any]) -> FoundNumber:
    """A FoundNumber from ``FoundNumber.as_dict()``."""
    return FoundNumber(
        range=number_range_from_dict(data),
        role=Role(data["role"]),
        page=int(data["page"]),
        source=Source(data.get("source", Source.TEXT.value)),
        text=str(data.get("text", "")),
        bbox=_bbox(data.get("bbox")),
        why=str(data.get("why", "")),
    )


def digital_signature_from_dict(data: Mapping[str, Any]) -> DigitalSignature:
    """A DigitalSignature from ``DigitalSignature.as_dict()``."""

    def _opt_bool(key: str) -> bool | None:
        value = data.get(key)
        return None if value is None else bool(value)

    signer = data.get("signer")
    return DigitalSignature(
        field=str(data.get("field", "")),
        signer=None if signer is None else str(signer),
        intact=bool(data.get("intact", False)),
        valid=_opt_bool("valid"),
        trusted=_opt_bool("trusted"),
        summary=str(data.get("summary", "")),
    )


def signature_from_dict(data: Mapping[str, Any] | None) -> SignatureFinding:
    """A SignatureFinding from ``SignatureFinding.as_dict()`` (None → no signature)."""
    if not data:
        return SignatureFinding.none()
    page = data.get("page")
    signatory = data.get("signatory")
    role = data.get("role")
    return SignatureFinding(
        present=bool(data.get("present", False)),
        kind=str(data.get("kind", "none")),
        signatory=None if signatory is None else str(signatory),
        role=None if role is None else str(role),
        page=None if page is None else int(page),
        bbox=_bbox(data.get("bbox")),
        digital=tuple(digital_signature_from_dict(d) for d in data.get("digital", ())),
    )


def document_error_from_dict(data: Mapping[str, Any] | None) -> DocumentError | None:
    """A DocumentError from ``DocumentError.as_dict()``, or None."""
    if not data:
        return None
    return DocumentError(code=str(data["code"]), message=str(data.get("message", "")))


def parsed_document_from_dict(data: Mapping[str, Any]) -> ParsedDocument:
    """A ParsedDocument from ``ParsedDocument.as_dict()``."""
    sizes = tuple((float(w), float(h)) for w, h in data.get("page_sizes", ()))
    return ParsedDocument(
        file=str(data.get("file", "")),
        pages=int(data.get("pages", 0)),
        ocr_pages=tuple(int(p) for p in data.get("ocr_pages", ())),
        error=document_error_from_dict(data.get("error")),
        numbers=tuple(found_number_from_dict(n) for n in data.get("numbers", ())),
        signature=signature_from_dict(data.get("signature")),
        blanket_clause=bool(data.get("blanket_clause", False)),
        sha256=str(data.get("sha256", "")),
        page_sizes=sizes,
    )
