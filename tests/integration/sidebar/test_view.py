"""The sidebar's JSON view, built from stored values."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.relocation.decision import decide
from integration.sidebar.view import DYNAMIC_KEYS, OverrideEntry, build_view, case_state
from parsers.model import DocumentError, FoundNumber, NumberRange, ParsedDocument, Role, Source

A = NumberRange.single("+49301111111")
B = NumberRange.single("+49302222222")
BLOCK = NumberRange("+493033333300", "+493033333399")
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def doc(*numbers: tuple[NumberRange, Role], error: DocumentError | None = None) -> ParsedDocument:
    return ParsedDocument(
        file="x.pdf",
        pages=2,
        numbers=tuple(
            FoundNumber(
                r,
                role,
                page=1 + i % 2,
                source=Source.OCR if i else Source.TEXT,
                text="",
                bbox=(1, 2, 3, 4),
            )
            for i, (r, role) in enumerate(numbers)
        ),
        error=error,
        sha256="f" * 64,
        page_sizes=((595.0, 842.0), (595.0, 842.0)),
        ocr_pages=(2,),
    )


def url(sha: str, page: int) -> str:
    return f"/p/{sha[:4]}/{page}"


def view(requested: list[NumberRange], documents: list[ParsedDocument], **kw: object) -> dict:  # type: ignore[type-arg]
    decision = kw.pop("decision", decide(requested, documents))
    return build_view(
        ticket_id=1,
        stored_state=str(kw.pop("state", "partial")),
        updated_at=NOW,
        requested=requested,
        invalid=list(kw.pop("invalid", [])),  # type: ignore[call-overload]
        decision=decision,  # type: ignore[arg-type]
        documents=documents,
        overrides=list(kw.pop("overrides", [])),  # type: ignore[call-overload]
        scheduling=None,
        page_url=url,
    )


def test_rows_follow_the_decision_and_block_labels() -> None:
    """A block is one row labelled in German block notation; reasons come from decide."""
    letter = doc((BLOCK, Role.TRANSFER), (A, Role.EXCLUDED))
    out = view([BLOCK, A, B], [letter])
    rows = {r["first"]: r for r in out["requested"]}
    assert out["process"] == "relocation"
    assert rows[BLOCK.first]["decision"] == "approved"
    assert rows[BLOCK.first]["label"].endswith("-00 bis -99")
    assert rows[BLOCK.first]["count"] == 100
    assert (rows[A.first]["reason"], rows[A.first]["named"]) == ("excluded", False)
    assert (rows[B.first]["reason"], rows[B.first]["named"]) == ("not_named", False)


def test_pages_hold_their_own_numbers_with_urls() -> None:
    """Each page lists only the numbers found on it, and knows whether it was OCR'd."""
    letter = doc((A, Role.TRANSFER), (B, Role.CONTACT))
    pages = view([A], [letter])["documents"][0]["page_images"]
    assert [p["url"] for p in pages] == ["/p/ffff/1", "/p/ffff/2"]
    assert [[n["first"] for n in p["numbers"]] for p in pages] == [[A.first], [B.first]]
    assert [p["ocr"] for p in pages] == [False, True]
    assert pages[1]["numbers"][0]["source"] == "ocr"


def test_unreadable_document_has_no_pages() -> None:
    """A failed document shows its error code, no images."""
    failed = ParsedDocument.failed("y.pdf", DocumentError("encrypted", "x"), sha256="e" * 64)
    out = view([A], [failed])
    assert out["documents"][0]["error"]["code"] == "encrypted"
    assert out["documents"][0]["page_images"] == []
    assert "document_error" in out["review_reasons"]


def test_without_decision_rows_are_pending_and_invalid_tokens_listed() -> None:
    out = view([A], [], decision=None, state="open", invalid=["0800 abc"])
    assert [(r["label"], r["decision"]) for r in out["requested"]] == [
        ("030 1111111", "pending"),
        ("0800 abc", "rejected"),
    ]
    assert out["case"] == {
        "state": "open",
        "outcome": None,
        "needs_review": False,
        "updated_at": NOW.isoformat(),
    }


def test_latest_override_is_shown_on_its_row() -> None:
    older = OverrideEntry(A, "approve", "erst", 1, True, NOW)
    newer = OverrideEntry(A, "reject", "dann", 2, False, NOW.replace(hour=10))
    out = view([A], [doc((A, Role.TRANSFER))], overrides=[newer, older])
    assert out["requested"][0]["override"]["reason"] == "dann"
    assert [o["reason"] for o in out["overrides"]] == ["erst", "dann"]


def test_case_state() -> None:
    decision = decide([A], [doc((A, Role.TRANSFER))])
    assert case_state("failed", decision) == "error"
    assert case_state("approved", decision) in ("decided", "review")
    assert case_state("open", None) == "open"


def test_dynamic_vocabularies_cover_what_the_view_emits() -> None:
    """Every state/decision/reason the view can produce has a translation prefix entry."""
    letter = doc((A, Role.UNCLEAR), (B, Role.CONTACT))
    out = view([A, B, BLOCK], [letter])
    assert out["case"]["state"] in DYNAMIC_KEYS["state."]
    for row in out["requested"]:
        assert row["decision"] in DYNAMIC_KEYS["decision."]
        assert row["reason"] is None or row["reason"] in DYNAMIC_KEYS["reason."]
    assert set(out["review_reasons"]) <= set(DYNAMIC_KEYS["review."])


def test_numbers_are_shown_as_the_letter_writes_them_with_the_canonical_form() -> None:
    """One notation: the letter's own text first, the canonical label beside it."""
    letter = ParsedDocument(
        file="x.pdf",
        pages=1,
        numbers=(
            FoundNumber(
                BLOCK,
                Role.TRANSFER,
                page=1,
                source=Source.TEXT,
                text="030 3333 3300  bis 030 3333 3399",
            ),
            FoundNumber(B, Role.TRANSFER, page=1, source=Source.TEXT, text="(030) 2222 222"),
        ),
        sha256="f" * 64,
        page_sizes=((595.0, 842.0),),
    )
    out = view([BLOCK, A], [letter])
    rows = {r["first"]: r for r in out["requested"]}
    assert rows[BLOCK.first]["written"] == "030 3333 3300 bis 030 3333 3399"
    assert rows[BLOCK.first]["label"] != rows[BLOCK.first]["written"]
    # a number the letter does not name is shown in the canonical form only
    assert rows[A.first]["written"] == rows[A.first]["label"]
    assert out["unrequested"][0]["written"] == "(030) 2222 222"
    boxes = out["documents"][0]["page_images"][0]["numbers"]
    assert [n["written"] for n in boxes] == ["030 3333 3300 bis 030 3333 3399", "(030) 2222 222"]
