"""The FastAPI app: signed Zendesk webhooks in, health checks, other routers.

``POST /webhooks/zendesk`` answers within milliseconds: cap the body, verify the
signature, decode, store the delivery durably, enqueue its id, 202. The body is never
logged. A delivery whose event kind no process router handles is stored as
``ignored`` and acknowledged with 202 (Zendesk must not retry it, and the row shows an
operator what arrived). A repeated invocation id is acknowledged with 200
``duplicate`` and not processed again.

Other modules reach the shared dependencies through ``request.app.state``:
``settings``, ``store``, ``runtime``, ``queue``, ``helpdesk_factory``, ``clock``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager, asynccontextmanager, nullcontext
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from huey import Huey
from starlette.concurrency import run_in_threadpool

from config.errors import PayloadError, SignatureError
from config.settings import Settings
from handlers.context import DocumentReader
from handlers.ports import Clock, Helpdesk
from integration.logs import get_logger
from integration.queue import Queue, build_huey
from integration.runtime import Runtime, build_runtime
from integration.store import Store
from integration.web.limits import RequestLimits
from integration.web.payload import WebhookDelivery, event_to_dict, parse_body
from integration.web.signature import configured_secrets, verify_signature

__all__ = ["WEBHOOK_PATH", "create_app"]

log = get_logger(__name__)

WEBHOOK_PATH = "/webhooks/zendesk"


class _TooLarge(Exception):
    pass


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, refusing more than ``limit`` bytes whatever Content-Length claims."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise _TooLarge
        except ValueError:
            raise PayloadError("The Content-Length header is not a number.") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _invocation_id(request: Request, delivery: WebhookDelivery, timestamp: str, body: bytes) -> str:
    header = request.headers.get("x-zendesk-webhook-invocation-id")
    if header:
        return header[:200]
    if delivery.envelope_id:
        return f"event:{delivery.envelope_id}"[:200]
    # Without an id, the signed timestamp + body identify a redelivery of the same request.
    return "sha256:" + hashlib.sha256(timestamp.encode() + body).hexdigest()


def _from_zendesk(kind: str) -> bool:
    """Kinds a webhook may carry; internal follow-ups (``relocation.approved``) and
    ``manual`` runs are never accepted from outside."""
    return kind == "trigger" or kind.startswith("ticket.")


def create_app(
    settings: Settings,
    *,
    helpdesk_factory: Callable[[], Helpdesk] | None = None,
    clock: Clock | None = None,
    huey: Huey | None = None,
    store: Store | None = None,
    read_document: DocumentReader | None = None,
    runtime: Runtime | None = None,
    on_startup: Callable[[], None] | None = None,
    on_shutdown: Callable[[], None] | None = None,
) -> FastAPI:
    """Build the app; everything not given gets its production default."""
    runtime = runtime or build_runtime(
        settings,
        store=store,
        helpdesk_factory=helpdesk_factory,
        clock=clock,
        read_document=read_document,
    )
    queue = Queue(huey or build_huey(settings), runtime)
    limit = settings.limits.max_webhook_body_bytes
    zd = settings.zendesk

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if on_startup:
            on_startup()
        yield
        if on_shutdown:
            on_shutdown()

    app = FastAPI(title="partnerdesk", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.settings = settings
    app.state.runtime = runtime
    app.state.store = runtime.store
    app.state.queue = queue
    app.state.helpdesk_factory = runtime.helpdesk_factory
    app.state.clock = runtime.clock

    # SQLite has one writer at a time and its busy handler sleeps in growing steps; taking
    # turns in-process keeps the acknowledgement at about a millisecond under concurrency.
    serial: AbstractContextManager[Any] = (
        threading.Lock() if runtime.store.engine.dialect.name == "sqlite" else nullcontext()
    )

    def accept(
        delivery: WebhookDelivery, invocation_id: str, webhook_id: str, content: str
    ) -> JSONResponse:
        known = _from_zendesk(delivery.kind) and delivery.kind in runtime.router.kinds()
        # partnerdesk's own comments and updates never start a run (defence in depth
        # behind the triggers' "Current user is not" condition)
        known = known and not (zd.api_user_id and delivery.event.author_id == zd.api_user_id)
        with serial:
            # Stored as "queued" at once: if the enqueue below is lost, the sweeper finds it.
            delivery_id, created = runtime.store.record_delivery(
                # the same signed request under a new invocation id (a replay within the
                # signature window) is a duplicate too, never run again
                content_sha256=content,
                invocation_id=invocation_id,
                webhook_id=webhook_id,
                event_kind=delivery.kind,
                ticket_id=delivery.ticket_id,
                body=delivery.body,
                event=event_to_dict(delivery.event),
                state="queued" if known else "ignored",
                now=runtime.clock(),
            )
            if created and known:
                try:
                    queue.enqueue_delivery(delivery_id)
                except Exception as exc:  # stored durably: the sweeper enqueues it later
                    log.error("enqueue_failed", delivery_id=delivery_id, error=type(exc).__name__)
        if not created:
            log.info("webhook_duplicate", delivery_id=delivery_id)
            return JSONResponse(
                {"status": "duplicate", "delivery_id": delivery_id}, status_code=200
            )
        if not known:
            log.info("webhook_ignored", delivery_id=delivery_id, kind=delivery.kind[:100])
            return JSONResponse({"status": "ignored", "delivery_id": delivery_id}, status_code=202)
        log.info("webhook_accepted", delivery_id=delivery_id, ticket_id=delivery.ticket_id)
        return JSONResponse({"status": "queued", "delivery_id": delivery_id}, status_code=202)

    @app.post(WEBHOOK_PATH)
    async def zendesk_webhook(request: Request) -> JSONResponse:
        try:
            body = await _read_capped(request, limit)
        except _TooLarge:
            log.warning("webhook_too_large", limit=limit)
            return JSONResponse({"error": "body too large"}, status_code=413)
        except PayloadError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        timestamp = request.headers.get("x-zendesk-webhook-signature-timestamp")
        try:
            verify_signature(
                body,
                signature=request.headers.get("x-zendesk-webhook-signature"),
                timestamp=timestamp,
                secret=configured_secrets(zd),
                now=runtime.clock(),
                max_age_seconds=zd.max_signature_age_seconds,
            )
        except SignatureError as exc:
            log.warning("webhook_signature_refused", reason=str(exc), size=len(body))
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        try:
            delivery = parse_body(body, max_depth=settings.limits.max_json_depth)
        except PayloadError as exc:
            log.warning("webhook_malformed", reason=str(exc), size=len(body))
            return JSONResponse({"error": str(exc)}, status_code=400)
        invocation_id = _invocation_id(request, delivery, timestamp or "", body)
        webhook_id = (request.headers.get("x-zendesk-webhook-id") or "")[:200]
        # the signature names the webhook (its secret), the timestamp and the body
        signed = request.headers.get("x-zendesk-webhook-signature") or ""
        content = hashlib.sha256(f"{signed}\n{timestamp or ''}\n".encode() + body).hexdigest()
        return await run_in_threadpool(accept, delivery, invocation_id, webhook_id, content)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        checks: dict[str, Any] = {}
        ok = True
        try:
            runtime.store.ping()
            checks["database"] = "ok"
        except Exception as exc:
            ok = False
            checks["database"] = type(exc).__name__
        try:
            checks["queue_pending"] = queue.ping()
            checks["queue"] = "ok"
        except Exception as exc:
            ok = False
            checks["queue"] = type(exc).__name__
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503
        )

    # Caps, body deadline, JSON depth and the app token, before any route reads a byte.
    app.add_middleware(
        RequestLimits,
        settings=settings,
        caps={
            WEBHOOK_PATH: limit,
            "/app/": settings.limits.max_app_body_bytes,
            "/slots/": settings.limits.max_app_body_bytes,
        },
        clock=runtime.clock,
    )

    @app.exception_handler(ValueError)
    @app.exception_handler(UnicodeError)
    @app.exception_handler(RecursionError)
    async def bad_input(request: Request, exc: Exception) -> JSONResponse:
        # Input a route did not anticipate (e.g. a digit Python reads but int() refuses)
        # is the client's error: 400, and the log names the type only, never the value.
        log.warning("bad_input", path=request.url.path[:100], error=type(exc).__name__)
        return JSONResponse({"error": "The request could not be read."}, status_code=400)

    # Other areas' routes: partner slot pages and the sidebar app's backend.
    from integration.web import app_api, slots

    app.include_router(slots.router)
    app.include_router(app_api.router)
    from integration import metrics  # GET /metrics; times document reads

    metrics.install(app, runtime)
    return app
