"""The German texts of a product-change verdict: the internal note and single reasons.

The demo and the CLI call :func:`render_note` directly; the router writes its result.
"""

from __future__ import annotations

from handlers.messages import render
from handlers.product_change.checklist import Checklist, build_checklist
from handlers.product_change.rules import Reason, Verdict

__all__ = ["reason_text", "render_note"]


def render_note(verdict: Verdict, checklist: Checklist | None = None) -> str:
    """The internal note: verdict, reasons, fee line, prerequisites, effects, 15-step checklist."""
    return render(
        "product_change_note",
        verdict=verdict,
        checklist=checklist if checklist is not None else build_checklist(verdict),
    )


def reason_text(reason: Reason) -> str:
    """One reason as a German sentence."""
    return render("product_change_reason", reason=reason).strip()
