from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from config.settings import RelocationSettings
from handlers.relocation.decision import Decision, Rejected, RejectReason
from handlers.relocation.texts import (
    SeenDocument,
    build_reply,
    fingerprint,
    status_value,
    tag_changes,
)
from parsers.model import NumberRange, ParsedDocument

S = RelocationSettings()
OURS = [S.tag_approved, S.tag_partial, S.tag_rejected, S.tag_review]
A = NumberRange.single("+49301234567")
B = NumberRange.single("+49307654321")


def decision(
    *,
    approved: tuple[NumberRange, ...] = (),
    rejected: tuple[Rejected, ...] = (),
    review: bool = False,
) -> Decision:
    return Decision(
        approved=approved,
        rejected=rejected,
        unrequested=(),
        needs_review=review,
        review_reasons=("no_signature",) if review else (),
    )


decisions = st.builds(
    decision,
    approved=st.sampled_from([(), (A,)]),
    rejected=st.sampled_from([(), (Rejected(B, RejectReason.NOT_NAMED),)]),
    review=st.booleans(),
)


class TestTagChanges:
    @given(
        d=decisions, present=st.lists(st.sampled_from([*OURS, "umzugsauftrag", "vip"]), unique=True)
    )
    def test_adds_exactly_the_verdict_and_removes_only_stale_own_tags(
        self, d: Decision, present: list[str]
    ) -> None:
        add, remove = tag_changes(d, S, present=present)
        assert not set(add) & set(remove)
        assert set(remove) <= set(present) & set(OURS)
        assert (S.tag_review in add) == d.needs_review
        assert len(set(add) - {S.tag_review}) == 1
        after = (set(present) - set(remove)) | set(add)
        assert len(after & {S.tag_approved, S.tag_partial, S.tag_rejected}) == 1
        assert (S.tag_review in after) == d.needs_review

    def test_status_value_is_review_while_an_agent_must_look(self) -> None:
        assert status_value(decision(approved=(A,), review=True), S) == S.status_review
        assert status_value(decision(approved=(A,)), S) == S.status_approved

    def test_status_options_never_equal_outcome_tags(self) -> None:
        # Zendesk removes the other options' tags when a drop-down is set: the option tags
        # must not be the outcome tags added in the same update
        options = {S.status_approved, S.status_partial, S.status_rejected, S.status_review}
        tags = {S.tag_approved, S.tag_partial, S.tag_rejected, S.tag_review}
        assert len(options) == 4
        assert not options & tags


class TestReply:
    def test_none_when_everything_moves_or_under_review(self) -> None:
        assert build_reply(decision(approved=(A,)), ref="r") is None
        assert (
            build_reply(
                decision(rejected=(Rejected(B, RejectReason.EXCLUDED),), review=True), ref="r"
            )
            is None
        )

    def test_invalid_token_is_quoted_back(self) -> None:
        text = build_reply(
            decision(rejected=(Rejected(None, RejectReason.INVALID, "030 12x"),)), ref="r"
        )
        assert text is not None and "„030 12x“: keine gültige Rufnummer" in text


class TestFingerprint:
    def test_stable_and_sensitive_to_documents_and_verdict(self) -> None:
        d = decision(approved=(A,))
        docs = [SeenDocument(1, "a.pdf", "ab" * 32, ParsedDocument(file="a.pdf", pages=1))]
        assert fingerprint(d, docs) == fingerprint(d, list(docs))
        read = SeenDocument(2, "b.pdf", "cd" * 32, ParsedDocument(file="b.pdf", pages=1))
        assert fingerprint(d, docs) != fingerprint(d, [*docs, read])
        # a skipped attachment (no PDF) does not make a new outcome
        assert fingerprint(d, docs) == fingerprint(d, [*docs, SeenDocument(3, "t.ics", None, None)])
        assert fingerprint(d, docs) != fingerprint(decision(approved=(A, B)), docs)


class TestOneNotation:
    """Notes and replies show a number as the letter writes it, the canonical form beside it."""

    BLOCK = NumberRange("+4994139136100", "+4994139136199")

    def _letter(self) -> SeenDocument:
        from parsers.model import FoundNumber, Role, Source

        parsed = ParsedDocument(
            file="x.pdf",
            pages=1,
            numbers=(
                FoundNumber(self.BLOCK, Role.TRANSFER, 1, Source.TEXT, "0941 39136-100 bis -199"),
                FoundNumber(B, Role.EXCLUDED, 1, Source.TEXT, "030 / 765 43 21"),
            ),
            sha256="a" * 64,
        )
        return SeenDocument(attachment_id=1, file_name="x.pdf", sha256="a" * 64, parsed=parsed)

    def test_note_lines_carry_both_forms(self) -> None:
        from handlers.relocation.texts import build_note

        d = Decision(
            approved=(self.BLOCK, A),
            rejected=(Rejected(B, RejectReason.EXCLUDED),),
            unrequested=(),
            needs_review=False,
            review_reasons=(),
        )
        lines = build_note(d, [self._letter()], ref="r").splitlines()
        assert "- 0941 39136-100 bis -199 (0941 391361-00 bis -99)" in lines
        assert "- 030 1234567" in lines  # not in the letter: the canonical form only
        assert any(line.startswith("- 030 / 765 43 21 (030 7654321): ") for line in lines)

    def test_reply_uses_the_same_notation(self) -> None:
        d = decision(approved=(A,), rejected=(Rejected(B, RejectReason.EXCLUDED),))
        body = build_reply(d, ref="r", documents=[self._letter()])
        assert body is not None and "- 030 / 765 43 21 (030 7654321): " in body
        plain = build_reply(d, ref="r")
        assert plain is not None and "- 030 7654321: " in plain
