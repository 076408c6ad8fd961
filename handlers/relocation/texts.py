"""What a relocation verdict writes: note, reply, tags, status field, fingerprint (pure).

The German wording lives in ``handlers/messages/templates/relocation_note.de.j2`` and
``relocation_reply.de.j2``; this module only chooses what goes in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from config.settings import RelocationSettings
from handlers.messages import render
from handlers.messages.filters import national
from handlers.ports import TicketUpdate
from handlers.relocation.decision import Decision, RejectReason
from parsers.model import NumberRange, ParsedDocument

__all__ = [
    "NOTE_KIND",
    "REPLY_KIND",
    "SeenDocument",
    "build_note",
    "build_reply",
    "fingerprint",
    "letter_notation",
    "note_update",
    "reference",
    "reply_update",
    "status_value",
    "tag_changes",
]

NOTE_KIND = "relocation_note"
REPLY_KIND = "relocation_reply"


@dataclass(frozen=True)
class SeenDocument:
    """An attachment of the case: read (``parsed``) or skipped as no PDF."""

    attachment_id: int
    file_name: str
    sha256: str | None
    parsed: ParsedDocument | None  # None: skipped, not a PDF

    @property
    def skipped(self) -> bool:
        return self.parsed is None


def fingerprint(decision: Decision, documents: Sequence[SeenDocument]) -> str:
    """A short stable digest of the verdict and the documents it rests on.

    Skipped attachments (no PDF, e.g. an .ics another process posted) do not count: they
    change nothing about the verdict and must not trigger a new note.
    """
    payload = {
        "decision": decision.as_dict(),
        "documents": sorted(
            (
                d.attachment_id,
                d.sha256 or "",
                d.parsed.error.code if d.parsed and d.parsed.error else "",
            )
            for d in documents
            if not d.skipped
        ),
    }
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:20]


def reference(kind: str, fp: str) -> str:
    """The marker written at the end of a comment; a retry looks for it on the ticket."""
    return f"partnerdesk-ref: {kind}-{fp}"


def letter_notation(documents: Sequence[SeenDocument]) -> dict[NumberRange, str]:
    """How the letters write each number or block they name (the first mention wins)."""
    out: dict[NumberRange, str] = {}
    for d in documents:
        if d.parsed is None or d.parsed.error is not None:
            continue
        for found in d.parsed.numbers:
            text = " ".join(found.text.split())
            if text and found.range not in out:
                out[found.range] = text
    return out


def _shown(written: dict[NumberRange, str]) -> Callable[[object], str]:
    """One notation in notes and replies (as in the sidebar): the letter's own text, the
    canonical form beside it in brackets when the two differ."""

    def shown(value: object) -> str:
        if not isinstance(value, NumberRange):
            return str(value)
        canonical = national(value)
        text = written.get(value)
        return f"{text} ({canonical})" if text and text != canonical else canonical

    return shown


def _unmoved_requested(decision: Decision) -> list[tuple[str, object]]:
    """(reason, range or raw token) of every requested item that will not move."""
    items: list[tuple[str, object]] = []
    for rej in decision.rejected:
        if rej.reason is RejectReason.INVALID or rej.range is None:
            items.append((RejectReason.INVALID.value, rej.text))
        else:
            items.append((rej.reason.value, rej.range))
    return items


def build_note(decision: Decision, documents: Sequence[SeenDocument], *, ref: str) -> str:
    """The internal note for agents (German)."""
    return render(
        "relocation_note",
        outcome=decision.outcome,
        needs_review=decision.needs_review,
        approved=list(decision.approved),
        approved_count=decision.approved_count,
        rejected=decision.rejected,
        unrequested=list(decision.unrequested),
        review_reasons=list(decision.review_reasons),
        overrides=list(decision.overrides),
        documents=[d for d in documents if not d.skipped],
        skipped=[d.file_name for d in documents if d.skipped],
        reference=ref,
        shown=_shown(letter_notation(documents)),
    )


def build_reply(
    decision: Decision, *, ref: str, documents: Sequence[SeenDocument] = ()
) -> str | None:
    """The public reply to the requesting partner, or None when there is nothing to say.

    It names only numbers the partner asked for and why they do not move; nothing else
    of the letter (no other numbers, no names) appears. Cases under review get no
    reply: the agent decides first.
    """
    unmoved = _unmoved_requested(decision)
    if decision.needs_review or not unmoved:
        return None
    return render(
        "relocation_reply",
        unmoved=unmoved,
        some_approved=bool(decision.approved),
        reference=ref,
        shown=_shown(letter_notation(documents)),
    )


def _outcome_tag(decision: Decision, settings: RelocationSettings) -> str:
    return {
        "approved": settings.tag_approved,
        "partial": settings.tag_partial,
        "rejected": settings.tag_rejected,
    }[decision.outcome]


def tag_changes(
    decision: Decision, settings: RelocationSettings, *, present: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(tags to add, stale tags of an earlier verdict to remove)."""
    wanted = {_outcome_tag(decision, settings)}
    if decision.needs_review:
        wanted.add(settings.tag_review)
    ours = {settings.tag_approved, settings.tag_partial, settings.tag_rejected, settings.tag_review}
    stale = (ours - wanted) & set(present)
    return tuple(sorted(wanted)), tuple(sorted(stale))


def status_value(decision: Decision, settings: RelocationSettings) -> str:
    """The status drop-down's option: review while an agent must look, else the outcome.

    A drop-down option is a tag in Zendesk, and setting the drop-down removes the other
    options' tags; the options therefore have tags of their own (``status_*``), never the
    outcome tags, so the field and the outcome tags set in the same update cannot fight.
    """
    if decision.needs_review:
        return settings.status_review
    return {
        "approved": settings.status_approved,
        "partial": settings.status_partial,
        "rejected": settings.status_rejected,
    }[decision.outcome]


def note_update(
    ticket_id: int,
    decision: Decision,
    documents: Sequence[SeenDocument],
    settings: RelocationSettings,
    *,
    present_tags: Sequence[str],
    ref: str,
) -> TicketUpdate:
    """The one update that carries the verdict: note, tags and status field together."""
    add, remove = tag_changes(decision, settings, present=present_tags)
    fields = (
        {settings.status_field_id: status_value(decision, settings)}
        if settings.status_field_id
        else {}
    )
    return TicketUpdate(
        ticket_id=ticket_id,
        comment=build_note(decision, documents, ref=ref),
        public=False,
        add_tags=add,
        remove_tags=remove,
        custom_fields=fields,
    )


def reply_update(
    ticket_id: int, decision: Decision, *, ref: str, documents: Sequence[SeenDocument] = ()
) -> TicketUpdate | None:
    """The second, public update (only the reply), or None."""
    body = build_reply(decision, ref=ref, documents=documents)
    if body is None:
        return None
    return TicketUpdate(ticket_id=ticket_id, comment=body, public=True)
