"""The partner's slot page: GET shows, only POST changes anything.

Mail scanners and link previews open every link in an e-mail, so a GET must never
accept a slot. The token in the URL is the partner's signed personal link
(``handlers.scheduling.links``); pages are German, server-rendered, without JavaScript,
and sent with ``Referrer-Policy: no-referrer`` so the token does not leak to other sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from config.errors import HelpdeskError, LinkError, LinkExpiredError
from handlers.messages.filters import FILTERS
from handlers.ports import Event
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.links import LinkClaims, verify_token
from handlers.scheduling.records import CutoverRecord
from handlers.scheduling.router import ANSWER_EVENT
from integration.logs import get_logger
from integration.runtime import Runtime

__all__ = ["router"]

router = APIRouter()
log = get_logger(__name__)

TEMPLATES = Path(__file__).with_name("templates")
CSS = Path(__file__).with_name("static") / "slots.css"
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'",
}


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True
    )
    env.filters.update(FILTERS)
    return env


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _env().get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=HEADERS)


@dataclass(frozen=True)
class _Checked:
    claims: LinkClaims
    cutover: CutoverRecord


def _check(runtime: Runtime, token: str) -> _Checked | HTMLResponse:
    """The link's claims and cutover, or the German refusal page (403 forged, 410 expired/old)."""
    secret = runtime.settings.scheduling.link_secret.get_secret_value()
    try:
        claims = verify_token(token, secret=secret, now=runtime.clock())
    except LinkExpiredError:
        return _page("slots_refused.html", 410, reason="expired")
    except LinkError:
        log.info("slots_link_refused")
        return _page("slots_refused.html", 403, reason="invalid")
    cutover = runtime.cutovers.get(claims.case_id)
    if cutover is None:
        return _page("slots_refused.html", 403, reason="invalid")
    if claims.round != cutover.round:
        # only the current round's link acts: an earlier one is superseded in every state
        return _page("slots_refused.html", 410, reason="superseded")
    if cutover.state == "cancelled":
        return _page("slots_refused.html", 410, reason="cancelled")
    return _Checked(claims, cutover)


def _view(runtime: Runtime, checked: _Checked, *, message: str = "") -> dict[str, Any]:
    cal = calendar_from_settings(runtime.settings.scheduling)
    repo = runtime.cutovers
    cutover = checked.cutover
    proposals = repo.proposals(cutover.id, cutover.round)
    answer = repo.responses(cutover.id, cutover.round).get(checked.claims.side)
    return {
        "cutover": cutover,
        "numbers": cutover.numbers,
        "slots": [(p.index, cal.local(p.start), cal.local(p.end)) for p in proposals],
        "chosen": set(answer.choices) if answer else set(),
        "answered": answer is not None,
        "booked": (cal.local(cutover.start), cal.local(cutover.end))
        if cutover.state == "booked" and cutover.start and cutover.end
        else None,
        "message": message,
    }


@router.get("/slots-assets/slots.css", include_in_schema=False)
def stylesheet() -> Response:
    return Response(
        CSS.read_text(), media_type="text/css", headers={"Cache-Control": "max-age=3600"}
    )


@router.get("/slots/{token}", response_class=HTMLResponse)
def show(token: str, request: Request) -> HTMLResponse:
    """Show the proposals; never records anything."""
    runtime: Runtime = request.app.state.runtime
    checked = _check(runtime, token)
    if isinstance(checked, HTMLResponse):
        return checked
    return _page("slots_page.html", **_view(runtime, checked))


@router.post("/slots/{token}", response_class=HTMLResponse)
async def answer(token: str, request: Request) -> HTMLResponse:
    """Record the partner's choice (accept with slots, refuse all, cancel)."""
    runtime: Runtime = request.app.state.runtime
    form = await request.form()
    action = str(form.get("action", ""))
    choices: list[int] = []
    for raw in form.getlist("choice"):
        # slot numbers are one or two ASCII digits; anything else is no choice
        if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 2:
            choices.append(int(raw))
    return await run_in_threadpool(_answer, runtime, token, action, choices)


# the page's actions -> the answer kinds of the scheduling flow
_KINDS = {"accept": "accept", "refuse": "none_fit", "cancel_confirmed": "cancel"}


def _outcome(before: CutoverRecord, after: CutoverRecord) -> str:
    """What the answer led to, read from the cutover's state (the page's message)."""
    if after.state in ("booked", "cancelled", "handover"):
        return after.state
    if after.round != before.round:
        return "new_round"
    return "waiting"


def _answer(runtime: Runtime, token: str, action: str, choices: list[int]) -> HTMLResponse:
    checked = _check(runtime, token)
    if isinstance(checked, HTMLResponse):
        return checked
    cutover = checked.cutover
    if action == "cancel":
        # cancelling takes the customer's numbers off the plan: ask once more, change nothing
        return _page("slots_confirm_cancel.html", **_view(runtime, checked))
    if action not in _KINDS or (action == "accept" and not choices):
        return _page("slots_page.html", 400, **_view(runtime, checked, message="choose"))
    if cutover.state == "booked" and action != "cancel_confirmed":
        return _page("slots_page.html", 400, **_view(runtime, checked))
    # the answer travels through the same router as an e-mail reply
    event = Event(
        kind=ANSWER_EVENT,
        ticket_id=cutover.ticket_of(checked.claims.side) or cutover.ticket_b,
        data={
            "cutover": cutover.id,
            "side": checked.claims.side,
            "round": checked.claims.round,
            "kind": _KINDS[action],
            "choices": tuple(choices),
        },
    )
    try:
        runtime.router.dispatch(event, runtime.context())
        after = runtime.cutovers.get(cutover.id) or cutover
        code = _outcome(cutover, after)
    except HelpdeskError as exc:
        # the answer is stored; the periodic task sends what Zendesk did not take now
        log.warning("slots_answer_unsent", cutover=cutover.id, error=type(exc).__name__)
        after = runtime.cutovers.get(cutover.id) or cutover
        code = "saved"
    log.info("slots_answer", cutover=cutover.id, action=action, outcome=code)
    cal = calendar_from_settings(runtime.settings.scheduling)
    booked = (
        (cal.local(after.start), cal.local(after.end))
        if after.state == "booked" and after.start and after.end
        else None
    )
    return _page("slots_done.html", outcome=code, booked=booked, numbers=after.numbers)
