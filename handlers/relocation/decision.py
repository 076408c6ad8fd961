"""The relocation decision: which requested numbers may move, and why the others may not.

Pure: requested ranges and parsed documents in, a :class:`Decision` out. The rule that
guards everything: a requested number is approved only where a readable document hands
it over (role ``transfer``) and no document keeps it back. Everything else is rejected
with a reason; doubt (no signature, OCR digits, unreadable documents, a blanket clause)
sets ``needs_review`` so an agent looks before anything moves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from parsers.model import FoundNumber, NumberRange, ParsedDocument, Role, Source

__all__ = [
    "REVIEW_REASONS",
    "Decision",
    "Override",
    "RejectReason",
    "Rejected",
    "decide",
    "decision_from_dict",
    "merge_ranges",
]

REVIEW_REASONS = (
    "no_documents",
    "document_error",
    "no_signature",
    "nothing_named",
    "blanket_clause",
    "ocr_number",
    "conflicting_roles",
    "unclear_number",
    "nothing_requested",
    "digital_signature_invalid",
    "agent_override",
)


class RejectReason(StrEnum):
    """Why a requested number does not move."""

    NOT_NAMED = "not_named"
    EXCLUDED = "excluded"
    CONTACT = "contact_number"
    UNCLEAR = "unclear"
    INVALID = "invalid"
    AGENT = "agent"  # an agent rejected it by hand


# Which role of a non-transfer mention explains a rejection, strongest first.
_ROLE_REASON = (
    (Role.EXCLUDED, RejectReason.EXCLUDED),
    (Role.CONTACT, RejectReason.CONTACT),
    (Role.UNCLEAR, RejectReason.UNCLEAR),
)


@dataclass(frozen=True)
class Rejected:
    """A requested number (or part of a requested block) that will not move."""

    range: NumberRange | None  # None only for INVALID tokens
    reason: RejectReason
    text: str = ""  # the raw token for INVALID, the agent's reason for AGENT

    def as_dict(self) -> dict[str, Any]:
        base: dict[str, Any] = (
            self.range.as_dict() if self.range else {"first": None, "last": None, "count": 0}
        )
        return {**base, "reason": self.reason.value, "text": self.text}


@dataclass(frozen=True)
class Override:
    """An agent's decision on one number or block, recorded with a reason."""

    range: NumberRange
    action: str  # "approve" | "reject"
    reason: str
    agent_id: int | None = None
    force: bool = False  # required to approve a number no document hands over

    def __post_init__(self) -> None:
        if self.action not in ("approve", "reject"):
            raise ValueError("an override approves or rejects")
        if not self.reason.strip():
            raise ValueError("an override needs a reason")

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.range.as_dict(),
            "action": self.action,
            "reason": self.reason,
            "agent_id": self.agent_id,
            "force": self.force,
        }


@dataclass(frozen=True)
class Decision:
    """The verdict on one relocation request."""

    approved: tuple[NumberRange, ...]
    rejected: tuple[Rejected, ...]
    unrequested: tuple[NumberRange, ...]
    needs_review: bool
    review_reasons: tuple[str, ...]
    overrides: tuple[Override, ...] = field(default=())

    @property
    def outcome(self) -> str:
        """``approved`` (everything moves), ``partial`` or ``rejected`` (nothing moves)."""
        if self.approved and not self.rejected:
            return "approved"
        if self.approved:
            return "partial"
        return "rejected"

    @property
    def approved_count(self) -> int:
        return sum(r.count for r in self.approved)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "approved": [r.as_dict() for r in self.approved],
            "rejected": [r.as_dict() for r in self.rejected],
            "unrequested": [r.as_dict() for r in self.unrequested],
            "needs_review": self.needs_review,
            "review_reasons": list(self.review_reasons),
            "overrides": [o.as_dict() for o in self.overrides],
        }


def merge_ranges(ranges: Iterable[NumberRange]) -> list[NumberRange]:
    """Sort ranges and join the ones that overlap or touch (same width only)."""
    out: list[NumberRange] = []
    for r in sorted(ranges, key=lambda r: (r.width, r.lo, r.hi)):
        if out and out[-1].width == r.width and r.lo <= out[-1].hi + 1:
            last = out[-1]
            out[-1] = NumberRange.from_ints(last.lo, max(last.hi, r.hi), r.width)
        else:
            out.append(r)
    return out


def _subtract(ranges: Iterable[NumberRange], cuts: Iterable[NumberRange]) -> list[NumberRange]:
    parts = list(ranges)
    for cut in cuts:
        parts = [piece for part in parts for piece in part.minus(cut)]
    return parts


def _intersect(ranges: Iterable[NumberRange], others: Sequence[NumberRange]) -> list[NumberRange]:
    out = []
    for r in ranges:
        for o in others:
            both = r.intersection(o)
            if both is not None:
                out.append(both)
    return merge_ranges(out)


def _mentions(documents: Sequence[ParsedDocument]) -> list[tuple[ParsedDocument, FoundNumber]]:
    return [(doc, n) for doc in documents if doc.error is None for n in doc.numbers]


def _review_reasons(
    requested: Sequence[NumberRange],
    invalid: Sequence[str],
    documents: Sequence[ParsedDocument],
    transfers: Sequence[tuple[ParsedDocument, FoundNumber]],
    approved: Sequence[NumberRange],
    conflicts: bool,
) -> list[str]:
    reasons: list[str] = []
    readable = [d for d in documents if d.error is None]
    if not documents:
        reasons.append("no_documents")
    if any(d.error is not None for d in documents):
        reasons.append("document_error")
    if readable and not transfers:
        reasons.append("nothing_named")
    if any(d.blanket_clause for d in readable):
        reasons.append("blanket_clause")
    # A number counts as signed-for when at least one signed document hands it over.
    signed = merge_ranges(n.range for d, n in transfers if d.signature.present)
    if readable and (_subtract(approved, signed) or not any(d.signature.present for d in readable)):
        reasons.append("no_signature")
    # OCR digits can be wrong and still form a valid number: review what only OCR vouches for.
    from_text = merge_ranges(n.range for _d, n in transfers if n.source is Source.TEXT)
    if _subtract(approved, from_text):
        reasons.append("ocr_number")
    if conflicts:
        reasons.append("conflicting_roles")
    if not requested and not invalid:
        reasons.append("nothing_requested")
    if any(not s.intact or s.valid is False for d in readable for s in d.signature.digital):
        reasons.append("digital_signature_invalid")
    return reasons


def _apply_overrides(
    approved: list[NumberRange],
    rejected: list[Rejected],
    overrides: Sequence[Override],
    approvable: Sequence[NumberRange],
) -> tuple[list[NumberRange], list[Rejected], list[Override]]:
    applied: list[Override] = []
    for ov in overrides:
        if ov.action == "reject":
            hit = _intersect(approved, [ov.range])
            # an agent's "no" also settles a number the letter left unclear
            settled = [
                r
                for r in rejected
                if r.reason is RejectReason.UNCLEAR
                and r.range is not None
                and r.range.overlaps(ov.range)
            ]
            if not hit and not settled:
                continue
            approved = _subtract(approved, [ov.range])
            rejected += [Rejected(r, RejectReason.AGENT, ov.reason) for r in hit]
            for rej in settled:
                assert rej.range is not None
                rejected.remove(rej)
                rejected += [Rejected(p, rej.reason, rej.text) for p in rej.range.minus(ov.range)]
                both = rej.range.intersection(ov.range)
                if both is not None:
                    rejected.append(Rejected(both, RejectReason.AGENT, ov.reason))
            applied.append(ov)
            continue
        # approve: only numbers that were requested and rejected
        targets = [r for r in rejected if r.range is not None and r.range.overlaps(ov.range)]
        if not targets:
            continue
        named = _intersect([ov.range], approvable)
        if not ov.force and _subtract([ov.range], named):
            continue  # refused: approving beyond what the documents hand over needs force
        kept: list[Rejected] = []
        for rej in rejected:
            if rej.range is not None and rej.range.overlaps(ov.range):
                kept += [Rejected(p, rej.reason, rej.text) for p in rej.range.minus(ov.range)]
                both = rej.range.intersection(ov.range)
                if both is not None:
                    approved.append(both)
            else:
                kept.append(rej)
        rejected = kept
        applied.append(ov)
    return merge_ranges(approved), rejected, applied


def decide(
    requested: Sequence[NumberRange],
    documents: Sequence[ParsedDocument],
    *,
    invalid: Sequence[str] = (),
    overrides: Sequence[Override] = (),
) -> Decision:
    """Approve exactly the requested numbers some readable document hands over."""
    wanted = merge_ranges(requested)
    mentions = _mentions(documents)
    transfers = [(d, n) for d, n in mentions if n.role is Role.TRANSFER]
    transfer_ranges = merge_ranges(n.range for _d, n in transfers)
    by_role = {
        role: merge_ranges(n.range for _d, n in mentions if n.role is role)
        for role, _reason in _ROLE_REASON
    }
    # A number one document keeps back never moves, even if another hands it over.
    excluded = by_role[Role.EXCLUDED]
    conflicts = bool(_intersect(transfer_ranges, excluded))
    handed_over = _subtract(transfer_ranges, excluded)

    approved = _intersect(wanted, handed_over)
    rejected: list[Rejected] = []
    remaining = _subtract(wanted, handed_over)
    for role, reason in _ROLE_REASON:
        hit = _intersect(remaining, by_role[role])
        rejected += [Rejected(r, reason) for r in hit]
        remaining = _subtract(remaining, hit)
    rejected += [Rejected(r, RejectReason.NOT_NAMED) for r in merge_ranges(remaining)]
    rejected += [Rejected(None, RejectReason.INVALID, tok) for tok in invalid]

    # Without "force" an agent may approve what a letter names but leaves unclear; a number
    # it keeps back, the writer's own contact number or an unnamed one needs force.
    approvable = merge_ranges([*handed_over, *_subtract(by_role[Role.UNCLEAR], excluded)])
    approved, rejected, applied = _apply_overrides(approved, rejected, overrides, approvable)
    rejected.sort(key=lambda r: (r.range is None, r.range.lo if r.range else 0, r.text))
    unrequested = _subtract(handed_over, wanted)

    # What an agent approved rests on the agent's word, not on the letter's signature or on
    # OCR digits: those two checks look only at what the letter alone approves.
    by_agent = merge_ranges(o.range for o in applied if o.action == "approve")
    by_letter = _subtract(approved, by_agent)
    reasons = _review_reasons(wanted, invalid, documents, transfers, by_letter, conflicts)
    if any(r.reason is RejectReason.UNCLEAR for r in rejected):
        # named, but the letter does not say whether it moves: an agent decides
        reasons.append("unclear_number")
    if any(o.action == "approve" and o.force for o in applied):
        reasons.append("agent_override")
    return Decision(
        approved=tuple(approved),
        rejected=tuple(rejected),
        unrequested=tuple(merge_ranges(unrequested)),
        needs_review=bool(reasons),
        review_reasons=tuple(reasons),
        overrides=tuple(applied),
    )


def _range(data: Mapping[str, Any]) -> NumberRange:
    return NumberRange(str(data["first"]), str(data["last"]))


def decision_from_dict(data: Mapping[str, Any]) -> Decision:
    """Rebuild a :class:`Decision` from :meth:`Decision.as_dict` output."""
    return Decision(
        approved=tuple(_range(r) for r in data.get("approved", ())),
        rejected=tuple(
            Rejected(
                _range(r) if r.get("first") else None,
                RejectReason(r["reason"]),
                str(r.get("text", "")),
            )
            for r in data.get("rejected", ())
        ),
        unrequested=tuple(_range(r) for r in data.get("unrequested", ())),
        needs_review=bool(data.get("needs_review", False)),
        review_reasons=tuple(data.get("review_reasons", ())),
        overrides=tuple(
            Override(
                _range(o),
                str(o["action"]),
                str(o["reason"]),
                o.get("agent_id"),
                bool(o.get("force", False)),
            )
            for o in data.get("overrides", ())
        ),
    )
