"""The JSON the sidebar app renders: one case, its decision, documents, overrides, scheduling.

Pure: stored values in, a JSON-able dict out. The vocabularies below are the values the
app's JavaScript turns into translation keys; ``integration.sidebar.package`` checks that
both translation files cover every one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.messages.filters import national
from handlers.relocation.decision import REVIEW_REASONS, Decision, RejectReason
from parsers.model import NumberRange, ParsedDocument, Role

__all__ = [
    "CASE_STATES",
    "DECISIONS",
    "DOCUMENT_ERRORS",
    "DYNAMIC_KEYS",
    "OUTCOMES",
    "OverrideEntry",
    "build_view",
    "case_state",
]

CASE_STATES = ("open", "decided", "review", "error")
DECISIONS = ("approved", "rejected", "unrequested", "pending")
OUTCOMES = ("approved", "partial", "rejected", "none")
DOCUMENT_ERRORS = (
    "not_pdf",
    "encrypted",
    "truncated",
    "too_large",
    "too_many_pages",
    "no_pages",
    "timeout",
    "memory_limit",
    "damaged",
    "too_complex",
    "image_too_large",
)
SIGNATURE_KINDS = ("ink", "image", "digital")
# codes of refused or failed requests (integration.web.app_api, integration.sidebar.service)
ERROR_CODES = (
    "auth",
    "foreign_ticket",
    "not_configured",
    "no_case",
    "action_failed",
    "needs_force",
    "not_applicable",
    "no_reason",
    "bad_action",
    "bad_number",
    "nothing_approved",
    "needs_review",
    "cutover_closed",
    "no_cutover_field",
    "bad_time",
)
CUTOVER_STATES = ("proposing", "booked", "handover", "cancelled", "done")  # handlers.scheduling

# Translation-key prefixes the app builds at run time -> every value that can follow them.
DYNAMIC_KEYS: dict[str, tuple[str, ...]] = {
    "state.": CASE_STATES,
    "outcome.": OUTCOMES,
    "decision.": DECISIONS,
    "review.": REVIEW_REASONS,
    "reason.": tuple(r.value for r in RejectReason),
    "role.": tuple(r.value for r in Role),
    "signature.kind_": SIGNATURE_KINDS,
    "document.error_": DOCUMENT_ERRORS,
    "override.title_": ("approve", "reject"),
    "process.": ("relocation",),
    "scheduling.partner_": ("source", "target"),
    "scheduling.state_": CUTOVER_STATES,
    "error.": ERROR_CODES,
}

PageUrl = Callable[[str, int], str]  # (sha256, page) -> a signed link to the PNG


@dataclass(frozen=True)
class OverrideEntry:
    """An agent's override as the store keeps it."""

    range: NumberRange
    action: str
    reason: str
    agent_id: int | None
    force: bool
    created_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.range.as_dict(),
            "label": national(self.range),
            "action": self.action,
            "reason": self.reason,
            "agent_id": self.agent_id,
            "force": self.force,
            "created_at": self.created_at.isoformat(),
        }


def case_state(stored_state: str, decision: Decision | None) -> str:
    """The app's four states from whatever the store calls the case's state."""
    lowered = stored_state.lower()
    if "fail" in lowered or "error" in lowered:
        return "error"
    if decision is None:
        return "open"
    return "review" if decision.needs_review else "decided"


def _named(rng: NumberRange, documents: Sequence[ParsedDocument]) -> bool:
    """Whether a letter hands the range over or names it unclearly (approvable without force).

    A hint for the form only; ``decide`` is the authority when the override is saved.
    """
    mentions = [n for d in documents if d.error is None for n in d.numbers]
    if any(n.role is Role.EXCLUDED and n.range.overlaps(rng) for n in mentions):
        return False
    return any(n.role in (Role.TRANSFER, Role.UNCLEAR) and n.range.contains(rng) for n in mentions)


def written(rng: NumberRange, documents: Sequence[ParsedDocument]) -> str | None:
    """How a letter writes exactly this number or block (the first mention), or None.

    The sidebar shows this beside the canonical form, so an agent compares like with like;
    a mention of a larger block is not this range's notation and is not used.
    """
    for doc in documents:
        if doc.error is not None:
            continue
        for found in doc.numbers:
            if found.range == rng and found.text.strip():
                return " ".join(found.text.split())
    return None


def _latest_override(rng: NumberRange, overrides: Sequence[OverrideEntry]) -> OverrideEntry | None:
    hits = [o for o in overrides if o.range.overlaps(rng)]
    return max(hits, key=lambda o: o.created_at) if hits else None


def _row(
    rng: NumberRange,
    decision: str,
    reason: str | None,
    documents: Sequence[ParsedDocument],
    overrides: Sequence[OverrideEntry],
) -> dict[str, Any]:
    latest = _latest_override(rng, overrides)
    return {
        **rng.as_dict(),
        "label": national(rng),
        "written": written(rng, documents) or national(rng),
        "decision": decision,
        "reason": reason,
        "named": _named(rng, documents),
        "override": latest.as_dict() if latest else None,
    }


def _requested_rows(
    requested: Sequence[NumberRange],
    invalid: Sequence[str],
    decision: Decision | None,
    documents: Sequence[ParsedDocument],
    overrides: Sequence[OverrideEntry],
) -> list[dict[str, Any]]:
    if decision is None:
        rows = [_row(r, "pending", None, documents, overrides) for r in sorted(requested)]
        rows += [_invalid_row(tok) for tok in invalid]
        return rows
    rows = [_row(r, "approved", None, documents, overrides) for r in decision.approved]
    for rej in decision.rejected:
        if rej.range is not None:
            rows.append(_row(rej.range, "rejected", rej.reason.value, documents, overrides))
    rows.sort(key=lambda r: (len(r["first"]), r["first"]))
    rows += [_invalid_row(rej.text) for rej in decision.rejected if rej.range is None]
    return rows


def _invalid_row(token: str) -> dict[str, Any]:
    return {
        "first": None,
        "last": None,
        "count": 0,
        "label": token,
        "written": token,
        "decision": "rejected",
        "reason": RejectReason.INVALID.value,
        "named": False,
        "override": None,
    }


def _document(doc: ParsedDocument, page_url: PageUrl) -> dict[str, Any]:
    pages: list[dict[str, Any]] = []
    if doc.error is None and doc.sha256:
        for index, (width, height) in enumerate(doc.page_sizes, start=1):
            pages.append(
                {
                    "page": index,
                    "url": page_url(doc.sha256, index),
                    "width": width,
                    "height": height,
                    "ocr": index in doc.ocr_pages,
                    "numbers": [
                        {
                            **n.range.as_dict(),
                            "label": national(n.range),
                            "written": " ".join(n.text.split()) or national(n.range),
                            "role": n.role.value,
                            "source": n.source.value,
                            "bbox": list(n.bbox) if n.bbox else None,
                        }
                        for n in doc.numbers
                        if n.page == index
                    ],
                }
            )
    sig = doc.signature
    return {
        "file": doc.file,
        "sha256": doc.sha256,
        "pages": doc.pages,
        "error": doc.error.as_dict() if doc.error else None,
        "signature": {
            "present": sig.present,
            "kind": sig.kind,
            "signatory": sig.signatory,
            "role": sig.role,
            "digital": [d.as_dict() for d in sig.digital],
        },
        "blanket_clause": doc.blanket_clause,
        "page_images": pages,
    }


def build_view(
    *,
    process: str = "relocation",
    ticket_id: int,
    stored_state: str,
    updated_at: datetime | None,
    requested: Sequence[NumberRange],
    invalid: Sequence[str],
    decision: Decision | None,
    documents: Sequence[ParsedDocument],
    overrides: Sequence[OverrideEntry],
    scheduling: Mapping[str, Any] | None,
    page_url: PageUrl,
) -> dict[str, Any]:
    """Everything the sidebar shows for one ticket."""
    return {
        "process": process,
        "ticket_id": ticket_id,
        "case": {
            "state": case_state(stored_state, decision),
            "outcome": decision.outcome if decision else None,
            "needs_review": bool(decision and decision.needs_review),
            "updated_at": updated_at.isoformat() if updated_at else None,
        },
        "requested": _requested_rows(requested, invalid, decision, documents, overrides),
        "unrequested": [
            {**r.as_dict(), "label": national(r), "written": written(r, documents) or national(r)}
            for r in (decision.unrequested if decision else ())
        ],
        "review_reasons": list(decision.review_reasons) if decision else [],
        "documents": [_document(d, page_url) for d in documents],
        "overrides": [o.as_dict() for o in sorted(overrides, key=lambda o: o.created_at)],
        "scheduling": dict(scheduling) if scheduling else None,
    }
