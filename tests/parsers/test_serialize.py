"""ParsedDocument and friends survive the trip through their dicts (and JSON)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from parsers.model import (
    DigitalSignature,
    DocumentError,
    FoundNumber,
    NumberRange,
    ParsedDocument,
    Role,
    SignatureFinding,
    Source,
)
from parsers.serialize import parsed_document_from_dict

boxes = st.none() | st.tuples(*[st.floats(0, 1000, allow_nan=False)] * 4)


@st.composite
def ranges(draw: st.DrawFn) -> NumberRange:
    width = draw(st.integers(8, 14))
    lo = draw(st.integers(10 ** (width - 1), 10**width - 2))
    hi = draw(st.integers(lo, min(lo + 9999, 10**width - 1)))
    return NumberRange.from_ints(lo, hi, width)


found = st.builds(
    FoundNumber,
    range=ranges(),
    role=st.sampled_from(list(Role)),
    page=st.integers(1, 30),
    source=st.sampled_from(list(Source)),
    text=st.text(max_size=30),
    bbox=boxes,
    why=st.text(max_size=20),
)
digital = st.builds(
    DigitalSignature,
    field=st.text(max_size=10),
    signer=st.none() | st.text(max_size=20),
    intact=st.booleans(),
    valid=st.none() | st.booleans(),
    trusted=st.none() | st.booleans(),
    summary=st.text(max_size=20),
)
signatures = st.builds(
    SignatureFinding,
    present=st.booleans(),
    kind=st.sampled_from(["ink", "image", "digital", "none"]),
    signatory=st.none() | st.text(max_size=20),
    role=st.none() | st.text(max_size=20),
    page=st.none() | st.integers(1, 30),
    bbox=boxes,
    digital=st.lists(digital, max_size=2).map(tuple),
)
documents = st.builds(
    ParsedDocument,
    file=st.text(max_size=20),
    pages=st.integers(0, 30),
    ocr_pages=st.lists(st.integers(1, 30), max_size=3).map(tuple),
    error=st.none()
    | st.builds(
        DocumentError, code=st.sampled_from(["timeout", "damaged"]), message=st.text(max_size=20)
    ),
    numbers=st.lists(found, max_size=5).map(tuple),
    signature=signatures,
    blanket_clause=st.booleans(),
    sha256=st.text(alphabet="0123456789abcdef", max_size=64),
    page_sizes=st.lists(st.tuples(st.floats(1, 2000), st.floats(1, 2000)), max_size=3).map(tuple),
)


@given(documents)
def test_round_trip_through_json(doc: ParsedDocument) -> None:
    """from_dict(json(as_dict(doc))) == doc for every document."""
    assert parsed_document_from_dict(json.loads(json.dumps(doc.as_dict()))) == doc


def test_missing_optional_keys_get_defaults() -> None:
    doc = parsed_document_from_dict({"file": "a.pdf", "pages": 1})
    assert doc == ParsedDocument(file="a.pdf", pages=1)
