"""The partner's slot page (contract 7): GET shows, only POST changes anything.

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
from handlers.context import Context
from handlers.messages.filters import FILTERS
from handlers.scheduling import flow
from handlers.scheduling.calendar import calendar_from_settings
from handlers.scheduling.links import LinkClaims, verify_token
from handlers.scheduling.records import CutoverRecord
from integration.logs import get_logger
from integration.runtime import Runtime
from integration.store.scheduling import SchedulingRepo

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
ACTIONS = ("accept", "refuse", "cancel")


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
    cutover = SchedulingRepo(runtime.store).get(claims.case_id)
    if cutover is None:
        return _page("slots_refused.html", 403, reason="invalid")
    if cutover.state == "cancelled":
        return _page("slots_refused.html", 410, reason="cancelled")
    if claims.round != cutover.round and cutover.state == "proposing":
        return _page("slots_refused.html", 410, reason="superseded")
    return _Checked(claims, cutover)


def _view(runtime: Runtime, checked: _Checked, *, message: str = "") -> dict[str, Any]:
    cal = calendar_from_settings(runtime.settings.scheduling)
    repo = SchedulingRepo(runtime.store)
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
        if isinstance(raw, str) and raw.isdigit():
            choices.append(int(raw))
    return await run_in_threadpool(_answer, runtime, token, action, choices)


def _answer(runtime: Runtime, token: str, action: str, choices: list[int]) -> HTMLResponse:
    checked = _check(runtime, token)
    if isinstance(checked, HTMLResponse):
        return checked
    if action not in ACTIONS or (action == "accept" and not choices):
        view = _view(runtime, checked, message="choose")
        return _page("slots_page.html", 400, **view)
    ctx = Context(
        settings=runtime.settings,
        helpdesk=runtime.helpdesk_factory(),
        store=runtime.store,
        clock=runtime.clock,
        read_document=runtime.read_document,
        emit=lambda _event: None,  # the slot flow emits no follow-up events
    )
    repo = SchedulingRepo(runtime.store)
    try:
        code = flow.respond(
            ctx,
            repo,
            checked.cutover,
            side=checked.claims.side,
            kind=action,
            choices=choices,
            via="link",
        ).code
    except HelpdeskError as exc:
        # the answer is stored; the periodic task sends what Zendesk did not take now
        log.warning("slots_answer_unsent", cutover=checked.cutover.id, error=type(exc).__name__)
        code = "saved"
    log.info("slots_answer", cutover=checked.cutover.id, action=action, outcome=code)
    cutover = repo.get(checked.cutover.id) or checked.cutover
    cal = calendar_from_settings(runtime.settings.scheduling)
    booked = (
        (cal.local(cutover.start), cal.local(cutover.end))
        if cutover.state == "booked" and cutover.start and cutover.end
        else None
    )
    return _page("slots_done.html", outcome=code, booked=booked, numbers=cutover.numbers)
