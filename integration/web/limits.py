"""Request guards in front of every route: body caps, a body deadline, JSON depth, app token.

One ASGI middleware, so no route can forget them:

* **Body cap per route** (longest matching path prefix): a declared ``Content-Length``
  over the cap is answered 413 before anything is read; a body that grows past it while
  streaming is answered 413 too.
* **Body deadline**: a body not received within ``limits.body_read_timeout_seconds``
  (e.g. one byte a second) is answered 408 and the connection closed.
* **JSON depth**: a JSON body nested deeper than ``limits.max_json_depth`` is answered
  400 before any parser recurses into it.
* **Token first**: on the sidebar API (``/app/``) a write's ``Authorization`` token is
  verified before a single body byte is read (401 otherwise).

The body is read once here and handed on unchanged, so routes read it as usual.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from config.errors import AppAuthError
from config.settings import Settings
from integration.logs import get_logger
from integration.web.payload import json_too_deep

__all__ = ["RequestLimits", "json_too_deep"]

log = get_logger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class RequestLimits:
    """The ASGI middleware; ``caps`` maps path prefixes to byte caps, ``default`` the rest."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        caps: dict[str, int],
        clock: Callable[[], Any],
    ) -> None:
        self.app = app
        self.settings = settings
        self.caps = sorted(caps.items(), key=lambda item: -len(item[0]))
        self.default = settings.limits.max_app_body_bytes
        self.clock = clock

    def cap_for(self, path: str) -> int:
        for prefix, cap in self.caps:
            if path.startswith(prefix):
                return cap
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            if path.startswith("/app/"):
                self._check_app_token(headers.get("authorization"))
            cap = self.cap_for(path)
            declared = headers.get("content-length")
            if declared is not None:
                if not declared.strip().isascii() or not declared.strip().isdigit():
                    raise _Refused(400, "The Content-Length header is not a number.")
                if int(declared) > cap:
                    raise _Refused(413, "The request body is too large.")
            body = await self._read_body(receive, cap)
            if "json" in headers.get("content-type", "") and json_too_deep(
                body, self.settings.limits.max_json_depth
            ):
                raise _Refused(400, "The JSON body is nested too deeply.")
        except _Refused as refused:
            log.warning("request_refused", path=path[:100], status=refused.status)
            await _answer(send, refused.status, refused.message)
            return

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # http.disconnect once the client goes

        await self.app(scope, replay, send)

    def _check_app_token(self, authorization: str | None) -> None:
        from integration.sidebar.auth import verify_app_token

        app = self.settings.app
        try:
            verify_app_token(
                authorization,
                secret=app.shared_secret.get_secret_value(),
                leeway_seconds=app.token_leeway_seconds,
                now=self.clock(),
                max_lifetime_seconds=app.token_max_lifetime_seconds,
            )
        except AppAuthError as exc:
            raise _Refused(401, str(exc)) from None

    async def _read_body(self, receive: Receive, cap: int) -> bytes:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.limits.body_read_timeout_seconds
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise _Refused(408, "The request body did not arrive in time.")
            try:
                message = await asyncio.wait_for(receive(), timeout=remaining)
            except TimeoutError:
                raise _Refused(408, "The request body did not arrive in time.") from None
            if message["type"] == "http.disconnect":
                raise _Refused(400, "The client went away.")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                raise _Refused(413, "The request body is too large.")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
