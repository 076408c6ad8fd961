"""The sidebar app's backend under ``/app/...`` (``router``).

Every ``/app/tickets/{id}`` route verifies the HS256 JWT Zendesk's proxy signed with the
app's secure setting (``PARTNERDESK_APP_SECRET`` here; refused when unset), requires the
ticket in the URL to be the one in the signed claims (403 otherwise) and the case to
exist (404). Page images load through ``<img>`` tags, which cannot send the JWT, so the
view hands out short-lived HMAC-signed links to them instead.
The app's static files and translations are served too, for local development and tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from config.errors import AppActionError, AppAuthError, DocumentReadError, PartnerdeskError
from config.settings import Settings
from integration.logs import get_logger
from integration.sidebar.auth import (
    AgentClaims,
    authorize_ticket,
    page_signature,
    verify_app_token,
    verify_page_signature,
)
from integration.sidebar.package import APP_DIR
from integration.sidebar.pages import PageRenderer
from integration.sidebar.service import ActionResult, SidebarService

__all__ = ["router"]

log = get_logger(__name__)
router = APIRouter(prefix="/app", tags=["sidebar app"])

PAGE_LINK_SECONDS = 3600
_ASSET = re.compile(r"^[a-z0-9_-]+\.(html|js|css|png|svg)$")
_MEDIA = {
    "html": "text/html",
    "js": "text/javascript",
    "css": "text/css",
    "png": "image/png",
    "svg": "image/svg+xml",
}


class OverrideBody(BaseModel):
    first: str = Field(max_length=20)
    last: str = Field(max_length=20)
    action: str = Field(max_length=10)
    reason: str = Field(default="", max_length=2000)
    force: bool = False


class CutoverBody(BaseModel):
    local_start: str = Field(max_length=40)  # "2026-12-03T10:00", local time of the service


# Error codes the app translates ("error.<code>"); ``detail`` is the English sentence for logs
# and API users.
AUTH_CODES = ("auth", "foreign_ticket", "not_configured", "no_case", "action_failed")


def _error(status: int, message: str, code: str = "") -> JSONResponse:
    return JSONResponse({"detail": message, "code": code}, status_code=status)


def _refused(exc: AppActionError) -> JSONResponse:
    """404 when the ticket has no case, 422 for every other refused action."""
    return _error(404 if exc.code == "no_case" else 422, str(exc), exc.code)


def _deps(request: Request) -> tuple[Settings, SidebarService]:
    state = request.app.state
    service = getattr(state, "sidebar", None)
    if service is None:
        service = SidebarService(state.queue)
        state.sidebar = service
    return service.runtime.settings, service


def _now(service: SidebarService) -> datetime:
    return service.runtime.clock()


def _authenticate(
    request: Request, ticket_id: int, authorization: str | None
) -> tuple[AgentClaims, SidebarService] | JSONResponse:
    settings, service = _deps(request)
    secret = settings.app.shared_secret.get_secret_value()
    if not secret:
        return _error(
            503,
            "The sidebar app is not configured on the server; set PARTNERDESK_APP_SECRET.",
            "not_configured",
        )
    try:
        claims = verify_app_token(
            authorization,
            secret=secret,
            leeway_seconds=settings.app.token_leeway_seconds,
            now=_now(service),
            max_lifetime_seconds=settings.app.token_max_lifetime_seconds,
        )
    except AppAuthError as exc:
        log.warning("app_token_refused", ticket_id=ticket_id, reason=type(exc).__name__)
        return _error(401, str(exc), "auth")
    try:
        authorize_ticket(claims, ticket_id)
    except AppAuthError as exc:
        log.warning("app_token_foreign_ticket", ticket_id=ticket_id)
        return _error(403, str(exc), "foreign_ticket")
    return claims, service


def _page_url(service: SidebarService, ticket_id: int) -> Any:
    secret = service.runtime.settings.app.shared_secret.get_secret_value()
    expires = int((_now(service) + timedelta(seconds=PAGE_LINK_SECONDS)).timestamp())

    def url(sha256: str, page: int) -> str:
        sig = page_signature(
            secret=secret, ticket_id=ticket_id, sha256=sha256, page=page, expires=expires
        )
        return f"/app/tickets/{ticket_id}/pages/{sha256}/{page}.png?exp={expires}&sig={sig}"

    return url


def _view_response(
    service: SidebarService, ticket_id: int, result: ActionResult | None = None
) -> JSONResponse:
    view = service.view(ticket_id, page_url=_page_url(service, ticket_id))
    if result is not None:
        view["action"] = {"state": result.state, "error": result.error}
        if result.state == "failed":
            return JSONResponse(
                {
                    "detail": "The action failed; the ticket has an internal note why.",
                    "code": "action_failed",
                    **view,
                },
                status_code=502,
            )
        if result.state == "queued":
            return JSONResponse(view, status_code=202)
    return JSONResponse(view)


def _guarded(service: SidebarService, ticket_id: int, action: Any) -> JSONResponse:
    try:
        result = action()
    except AppActionError as exc:
        return _refused(exc)
    except PartnerdeskError as exc:
        log.error("app_action_failed", ticket_id=ticket_id, error=type(exc).__name__)
        return _error(502, str(exc), "action_failed")
    return _view_response(service, ticket_id, result)


def _act(
    request: Request,
    ticket_id: int,
    authorization: str | None,
    action: Callable[[AgentClaims, SidebarService], Any],
) -> Response:
    """Authenticate for ``ticket_id``, run ``action(claims, service)``, answer with the view."""
    auth = _authenticate(request, ticket_id, authorization)
    if isinstance(auth, JSONResponse):
        return auth
    claims, service = auth
    return _guarded(service, ticket_id, lambda: action(claims, service))


# -- read -----------------------------------------------------------------------------


@router.get("/tickets/{ticket_id}")
def get_view(
    ticket_id: int, request: Request, authorization: Annotated[str | None, Header()] = None
) -> Response:
    auth = _authenticate(request, ticket_id, authorization)
    if isinstance(auth, JSONResponse):
        return auth
    _claims, service = auth
    try:
        return _view_response(service, ticket_id)
    except AppActionError as exc:
        return _refused(exc)


@router.get("/tickets/{ticket_id}/pages/{sha256}/{page}.png")
def get_page(
    ticket_id: int, sha256: str, page: int, request: Request, exp: int = 0, sig: str = ""
) -> Response:
    settings, service = _deps(request)
    try:
        verify_page_signature(
            secret=settings.app.shared_secret.get_secret_value(),
            ticket_id=ticket_id,
            sha256=sha256,
            page=page,
            expires=exp,
            signature=sig,
            now=_now(service),
        )
    except AppAuthError as exc:
        return _error(403, str(exc))
    try:
        if not service.page_allowed(ticket_id, sha256, page):
            return _error(404, "This page does not belong to the ticket's documents.")
        renderer = PageRenderer(
            documents_dir=settings.general.data_dir / "documents",
            cache_dir=settings.general.data_dir / "cache" / "pages",
            dpi=settings.app.render_dpi,
            settings=settings,  # the reader's limits apply to rendering too
        )
        data = renderer.png(sha256, page)
    except AppActionError as exc:
        return _refused(exc)
    except DocumentReadError as exc:
        return _error(404, exc.message)
    return Response(
        data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
    )


# -- actions --------------------------------------------------------------------------


@router.post("/tickets/{ticket_id}/overrides")
def post_override(
    ticket_id: int,
    body: OverrideBody,
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    return _act(
        request,
        ticket_id,
        authorization,
        lambda claims, service: service.override(
            ticket_id,
            first=body.first,
            last=body.last,
            action=body.action,
            reason=body.reason,
            force=body.force,
            agent_id=claims.agent_id,
        ),
    )


@router.post("/tickets/{ticket_id}/reevaluate")
def post_reevaluate(
    ticket_id: int, request: Request, authorization: Annotated[str | None, Header()] = None
) -> Response:
    return _act(
        request,
        ticket_id,
        authorization,
        lambda claims, service: service.reevaluate(ticket_id, agent_id=claims.agent_id),
    )


@router.post("/tickets/{ticket_id}/slots/propose")
def post_propose(
    ticket_id: int, request: Request, authorization: Annotated[str | None, Header()] = None
) -> Response:
    return _act(
        request,
        ticket_id,
        authorization,
        lambda claims, service: service.propose(ticket_id, agent_id=claims.agent_id),
    )


@router.post("/tickets/{ticket_id}/cutover")
def post_cutover(
    ticket_id: int,
    body: CutoverBody,
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    return _act(
        request,
        ticket_id,
        authorization,
        lambda claims, service: service.set_cutover(
            ticket_id, local_start=body.local_start, agent_id=claims.agent_id
        ),
    )


# -- the app's own files (local development, tests) -------------------------------------


@lru_cache(maxsize=4)
def _strings(lang: str) -> dict[str, str]:
    data = json.loads((APP_DIR / "translations" / f"{lang}.json").read_text(encoding="utf-8"))
    return dict(data.get("ui", {}))


@router.get("/i18n/{lang}")
def get_strings(lang: str) -> Response:
    if lang not in ("de", "en"):
        lang = "en"
    return JSONResponse(_strings(lang), headers={"Cache-Control": "public, max-age=300"})


@router.get("/static/{name}")
def get_asset(name: str) -> Response:
    match = _ASSET.match(name)
    path: Path = APP_DIR / "assets" / name
    if match is None or not path.is_file():
        return _error(404, "No such file in the app.")
    return FileResponse(path, media_type=_MEDIA[match.group(1)])
