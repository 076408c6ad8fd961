"""The relocation decision: only what a document hands over moves."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.relocation.decision import (
    Decision,
    Override,
    RejectReason,
    decide,
    decision_from_dict,
    merge_ranges,
)
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

R = NumberRange
SIGNED = SignatureFinding(present=True, kind="ink", signatory="Dr. Katrin Albers")


def one(e164: str) -> NumberRange:
    return NumberRange.single(e164)


def found(
    rng: NumberRange, role: Role = Role.TRANSFER, *, source: Source = Source.TEXT
) -> FoundNumber:
    return FoundNumber(range=rng, role=role, page=1, source=source, text=str(rng))


def doc(
    *numbers: FoundNumber, signature: SignatureFinding = SIGNED, **kw: object
) -> ParsedDocument:
    return ParsedDocument(file="letter.pdf", pages=1, numbers=numbers, signature=signature, **kw)  # type: ignore[arg-type]


BLOCK = R("+493012345600", "+493012345699")


class TestDecide:
    def test_approves_exactly_the_named_numbers(self) -> None:
        """A requested number the letter hands over is approved, nothing to review."""
        d = decide([one("+493012345678")], [doc(found(one("+493012345678")))])
        assert d.approved == (one("+493012345678"),)
        assert d.rejected == ()
        assert d.outcome == "approved"
        assert not d.needs_review

    def test_rejects_a_number_the_letter_does_not_name(self) -> None:
        """A requested number not in the letter is rejected as not_named."""
        d = decide([one("+493012345678"), one("+493087654321")], [doc(found(one("+493012345678")))])
        assert d.approved == (one("+493012345678"),)
        assert [(r.range, r.reason) for r in d.rejected] == [
            (one("+493087654321"), RejectReason.NOT_NAMED)
        ]
        assert d.outcome == "partial"

    @pytest.mark.parametrize(
        ("role", "reason"),
        [
            (Role.EXCLUDED, RejectReason.EXCLUDED),
            (Role.CONTACT, RejectReason.CONTACT),
            (Role.UNCLEAR, RejectReason.UNCLEAR),
        ],
    )
    def test_rejection_reason_follows_the_role(self, role: Role, reason: RejectReason) -> None:
        """A number the letter names in another role is rejected with that role's reason."""
        d = decide([one("+493012345678")], [doc(found(one("+493012345678"), role))])
        assert d.approved == ()
        assert d.rejected[0].reason is reason
        assert d.outcome == "rejected"

    def test_excluded_beats_transfer_across_documents(self) -> None:
        """When one letter keeps a number back, it never moves, and an agent must look."""
        n = one("+493012345678")
        d = decide([n], [doc(found(n)), doc(found(n, Role.EXCLUDED))])
        assert d.approved == ()
        assert d.rejected[0].reason is RejectReason.EXCLUDED
        assert "conflicting_roles" in d.review_reasons

    def test_requested_block_is_approved_only_where_covered(self) -> None:
        """A requested block is split: the covered part moves, the rest is rejected."""
        letter = doc(found(R("+493012345600", "+493012345649")))
        d = decide([BLOCK], [letter])
        assert d.approved == (R("+493012345600", "+493012345649"),)
        assert [(r.range, r.reason) for r in d.rejected] == [
            (R("+493012345650", "+493012345699"), RejectReason.NOT_NAMED)
        ]

    def test_single_inside_a_named_block_is_approved(self) -> None:
        """A requested number inside a handed-over block is approved."""
        d = decide([one("+493012345642")], [doc(found(BLOCK))])
        assert d.approved == (one("+493012345642"),)

    def test_excluded_hole_inside_a_block(self) -> None:
        """A block handed over with one number kept back approves around the hole."""
        letter = doc(found(BLOCK), found(one("+493012345610"), Role.EXCLUDED))
        d = decide([BLOCK], [letter])
        assert d.approved == (
            R("+493012345600", "+493012345609"),
            R("+493012345611", "+493012345699"),
        )
        assert d.rejected[0].range == one("+493012345610")
        assert d.rejected[0].reason is RejectReason.EXCLUDED

    def test_numbers_of_other_length_never_match(self) -> None:
        """A base number is not the same as its extension (different digit count)."""
        d = decide([one("+49301234567")], [doc(found(one("+493012345670")))])
        assert d.approved == ()
        assert d.rejected[0].reason is RejectReason.NOT_NAMED

    def test_unrequested_lists_handed_over_numbers_nobody_asked_for(self) -> None:
        d = decide([one("+493012345600")], [doc(found(BLOCK))])
        assert d.unrequested == (R("+493012345601", "+493012345699"),)

    def test_invalid_requested_tokens_are_rejected(self) -> None:
        d = decide([], [doc(found(BLOCK))], invalid=["030 123"])
        assert d.rejected[0].reason is RejectReason.INVALID
        assert d.rejected[0].text == "030 123"
        assert d.rejected[0].range is None


class TestReview:
    def test_unsigned_letter_needs_review(self) -> None:
        d = decide([BLOCK], [doc(found(BLOCK), signature=SignatureFinding.none())])
        assert d.approved == (BLOCK,)
        assert "no_signature" in d.review_reasons and d.needs_review

    def test_signed_document_covers_number_from_unsigned_one(self) -> None:
        n = one("+493012345678")
        d = decide([n], [doc(found(n)), doc(found(n), signature=SignatureFinding.none())])
        assert "no_signature" not in d.review_reasons

    def test_ocr_number_needs_review(self) -> None:
        n = one("+493012345678")
        d = decide([n], [doc(found(n, source=Source.OCR))])
        assert d.approved == (n,)
        assert d.review_reasons == ("ocr_number",)

    def test_ocr_number_confirmed_by_a_text_layer_needs_no_review(self) -> None:
        n = one("+493012345678")
        d = decide([n], [doc(found(n, source=Source.OCR)), doc(found(n))])
        assert "ocr_number" not in d.review_reasons

    def test_unreadable_document_needs_review(self) -> None:
        bad = ParsedDocument.failed("x.pdf", DocumentError("encrypted", "Password protected."))
        d = decide([one("+493012345678")], [bad])
        assert d.approved == ()
        assert "document_error" in d.review_reasons

    def test_no_documents(self) -> None:
        assert decide([one("+493012345678")], []).review_reasons == ("no_documents",)

    def test_letter_naming_nothing(self) -> None:
        d = decide([one("+493012345678")], [doc(blanket_clause=True)])
        assert {"nothing_named", "blanket_clause"} <= set(d.review_reasons)
        assert d.approved == ()

    def test_broken_digital_signature(self) -> None:
        sig = SignatureFinding(
            present=True,
            kind="digital",
            digital=(
                DigitalSignature(
                    "Sig1", "CN=x", intact=False, valid=None, trusted=None, summary="modified"
                ),
            ),
        )
        n = one("+493012345678")
        d = decide([n], [doc(found(n), signature=sig)])
        assert "digital_signature_invalid" in d.review_reasons

    def test_requested_unclear_number_needs_review(self) -> None:
        """A number the letter names without saying whether it moves is rejected as
        unclear and the case goes to an agent."""
        n, m = one("+493012345678"), one("+493012345679")
        d = decide([n, m], [doc(found(n), found(m, Role.UNCLEAR))])
        assert d.approved == (n,)
        assert [r.reason for r in d.rejected] == [RejectReason.UNCLEAR]
        assert "unclear_number" in d.review_reasons

    def test_unclear_number_nobody_asked_for_needs_no_review(self) -> None:
        n, m = one("+493012345678"), one("+493012345679")
        d = decide([n], [doc(found(n), found(m, Role.UNCLEAR))])
        assert "unclear_number" not in d.review_reasons


class TestOverrides:
    def test_agent_approves_unclear_number_with_reason(self) -> None:
        n = one("+493012345678")
        ov = Override(n, "approve", "Telefonisch mit Partner A geklärt", agent_id=7)
        d = decide([n], [doc(found(n, Role.UNCLEAR))], overrides=[ov])
        assert d.approved == (n,)
        assert d.overrides == (ov,)
        assert "agent_override" not in d.review_reasons
        assert "unclear_number" not in d.review_reasons

    @pytest.mark.parametrize("role", [Role.EXCLUDED, Role.CONTACT])
    def test_kept_back_or_contact_number_needs_force(self, role: Role) -> None:
        n = one("+493012345678")
        letter = doc(found(n, role))
        assert decide([n], [letter], overrides=[Override(n, "approve", "geklärt")]).approved == ()
        d = decide([n], [letter], overrides=[Override(n, "approve", "geklärt", 7, force=True)])
        assert d.approved == (n,)
        assert "agent_override" in d.review_reasons

    def test_approving_an_unnamed_number_without_force_is_ignored(self) -> None:
        n = one("+493087654321")
        d = decide([n], [doc(found(BLOCK))], overrides=[Override(n, "approve", "bitte")])
        assert d.approved == () and d.overrides == ()

    def test_agent_rejects_an_approved_number(self) -> None:
        d = decide(
            [BLOCK],
            [doc(found(BLOCK))],
            overrides=[Override(one("+493012345601"), "reject", "Kunde behält")],
        )
        assert one("+493012345601") not in d.approved
        assert d.rejected[0].reason is RejectReason.AGENT and d.rejected[0].text == "Kunde behält"
        assert d.outcome == "partial"

    def test_agent_approved_number_is_not_blamed_on_signature_or_ocr(self) -> None:
        """Approving an unclear number settles the case: no 'no_signature', no 'ocr_number'."""
        n, m = one("+493012345678"), one("+493012345679")
        ov = Override(m, "approve", "Telefonisch mit Partner A geklärt", agent_id=7)
        d = decide([n, m], [doc(found(n), found(m, Role.UNCLEAR))], overrides=[ov])
        assert d.approved == (R("+493012345678", "+493012345679"),)
        assert not d.needs_review, d.review_reasons

    def test_letter_numbers_still_need_their_signature(self) -> None:
        """An agent's approval of one number does not excuse the unsigned rest."""
        n, m = one("+493012345678"), one("+493012345679")
        unsigned = SignatureFinding(present=False, kind="none")
        ov = Override(m, "approve", "geklärt", agent_id=7)
        letter = doc(found(n), found(m, Role.UNCLEAR), signature=unsigned)
        assert "no_signature" in decide([n, m], [letter], overrides=[ov]).review_reasons

    def test_agent_rejects_an_unclear_number(self) -> None:
        """An agent's "no" on a number the letter left unclear settles it: no review."""
        n, m = one("+493012345678"), one("+493012345679")
        ov = Override(m, "reject", "Bleibt beim Kunden", agent_id=7)
        d = decide([n, m], [doc(found(n), found(m, Role.UNCLEAR))], overrides=[ov])
        assert d.approved == (n,)
        assert [(r.range, r.reason, r.text) for r in d.rejected] == [
            (m, RejectReason.AGENT, "Bleibt beim Kunden")
        ]
        assert d.overrides == (ov,) and not d.needs_review

    def test_override_needs_a_reason(self) -> None:
        with pytest.raises(ValueError, match="reason"):
            Override(BLOCK, "approve", "  ")


ranges = st.builds(
    lambda lo, n: NumberRange.from_ints(4930000000 + lo, 4930000000 + lo + n, 10),
    st.integers(0, 500),
    st.integers(0, 60),
)


class TestProperties:
    @given(st.lists(ranges, max_size=5), st.lists(ranges, max_size=5), st.lists(ranges, max_size=3))
    def test_never_approves_beyond_transfer_minus_excluded(
        self, requested: list[NumberRange], transfer: list[NumberRange], excluded: list[NumberRange]
    ) -> None:
        """Safety: every approved number is requested, handed over and not kept back."""
        letter = doc(*(found(r) for r in transfer), *(found(r, Role.EXCLUDED) for r in excluded))
        d = decide(requested, [letter])
        for a in d.approved:
            for x in range(a.lo, a.hi + 1):
                assert any(t.lo <= x <= t.hi for t in transfer)
                assert any(q.lo <= x <= q.hi for q in requested)
                assert not any(e.lo <= x <= e.hi for e in excluded)

    @given(st.lists(ranges, max_size=5), st.lists(ranges, max_size=5))
    def test_every_requested_number_is_decided_once(
        self, requested: list[NumberRange], transfer: list[NumberRange]
    ) -> None:
        d = decide(requested, [doc(*(found(r) for r in transfer))])
        total = sum(r.count for r in merge_ranges(requested))
        decided = d.approved_count + sum(r.range.count for r in d.rejected if r.range)
        assert decided == total

    @given(st.lists(ranges, max_size=5), st.lists(ranges, max_size=5))
    def test_round_trips_through_dict(
        self, requested: list[NumberRange], transfer: list[NumberRange]
    ) -> None:
        d = decide(requested, [doc(*(found(r) for r in transfer))])
        again: Decision = decision_from_dict(d.as_dict())
        assert again == d
