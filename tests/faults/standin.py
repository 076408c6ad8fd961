"""A small Zendesk stand-in on loopback that can misbehave on purpose.

It serves the parts of the Ticketing API partnerdesk uses (ticket, comments, update,
create with ``Idempotency-Key``, look-up by ``external_id``, audits with custom
metadata) and secure attachment downloads (the content URL answers a sign-in page
without credentials, a 302 to the storage host with them). Faults are queued per route
and consumed one per request:

* ``("status", 429, {"Retry-After": "7"})`` / ``("status", 503, {})``: answer that;
* ``("hang_after_apply", seconds)``: apply the write, then answer only after
  ``seconds`` (past the client's timeout);
* ``("redirect", url)``: answer 302 to ``url`` (e.g. another host);
* ``("block_after_apply",)``: apply the write, then block until released (the test
  kills the worker meanwhile);
* ``("block_before",)``: block before doing anything.

``https://acme.zendesk.com`` and ``https://p1.zdusercontent.com`` are routed here by
:class:`LoopbackAdapter`, so the production URLs and host checks stay in force.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import HTTPAdapter

API_HOST = "acme.zendesk.com"
STORAGE_HOST = "p1.zdusercontent.com"
EMAIL, TOKEN = "bot@example.com", "tok"


@dataclass
class Ticket:
    id: int
    subject: str
    description: str
    tags: list[str]
    external_id: str | None = None
    requester_email: str = ""
    updated: int = 0
    comments: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)


class StandIn:
    """The fake Zendesk: tickets, files, the fault queue and every write it applied."""

    def __init__(self) -> None:
        self.tickets: dict[int, Ticket] = {}
        self.files: dict[str, bytes] = {}  # token -> PDF bytes
        self.faults: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.idempotency: dict[str, int] = {}
        self.requests: list[tuple[str, str, bool]] = []  # (method, path, authenticated)
        self.lock = threading.RLock()
        self.release = threading.Event()
        self.blocked = threading.Event()
        self.next_id = 900
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- set-up --------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> StandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def add_ticket(self, ticket_id: int, description: str, tags: list[str]) -> Ticket:
        t = Ticket(ticket_id, "Umzugsauftrag", description, tags)
        self.tickets[ticket_id] = t
        return t

    def attach(self, ticket_id: int, att_id: int, name: str, data: bytes) -> None:
        token = f"T{att_id}"
        self.files[token] = data
        url = f"https://{API_HOST}/attachments/token/{token}/?name={name}"
        self.tickets[ticket_id].comments.append(
            {
                "id": 5000 + att_id,
                "body": "Anbei die Freigabe",
                "public": True,
                "author_id": 9,
                "attachments": [
                    {
                        "id": att_id,
                        "file_name": name,
                        "content_url": url,
                        "content_type": "application/pdf",
                        "size": len(data),
                    }
                ],
            }
        )

    def fault(self, route: str, *faults: tuple[Any, ...]) -> None:
        """Queue faults for a route: GET_TICKET, COMMENTS, PUT, POST, FILE, STORAGE, AUDITS."""
        self.faults[route].extend(faults)

    # -- what happened -------------------------------------------------------------

    def comments_with(self, text: str) -> list[dict[str, Any]]:
        return [c for t in self.tickets.values() for c in t.comments if text in c["body"]]

    def created(self) -> list[Ticket]:
        return [t for t in self.tickets.values() if t.external_id]

    # -- the HTTP side -------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                return None

            def _authenticated(self) -> bool:
                header = self.headers.get("Authorization", "")
                wanted = base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
                return header == f"Basic {wanted}"

            def _send(
                self, status: int, body: Any = None, headers: dict[str, str] | None = None
            ) -> None:
                raw = (
                    body
                    if isinstance(body, bytes)
                    else json.dumps(body if body is not None else {}).encode()
                )
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if not isinstance(body, bytes):
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (a timeout)
                    self.wfile.write(raw)

            def _route(self) -> tuple[str, list[str], dict[str, list[str]]]:
                parts = urlsplit(self.path)
                host = (self.headers.get("X-Original-Host") or API_HOST).split(":")[0]
                segments = [p for p in parts.path.split("/") if p]
                query = parse_qs(parts.query)
                if host == STORAGE_HOST:
                    return "STORAGE", segments, query
                if segments[:2] == ["attachments", "token"]:
                    return "FILE", segments, query
                if segments[-1:] == ["audits.json"]:
                    return "AUDITS", segments, query
                if segments[-1:] == ["comments.json"]:
                    return "COMMENTS", segments, query
                if segments == ["api", "v2", "tickets.json"]:
                    return ("POST" if self.command == "POST" else "SEARCH"), segments, query
                if self.command == "PUT":
                    return "PUT", segments, query
                return "GET_TICKET", segments, query

            def _fault(self, route: str) -> tuple[Any, ...] | None:
                with standin.lock:
                    queue = standin.faults.get(route)
                    return queue.pop(0) if queue else None

            def _body(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length) if length else b"{}"
                parsed: dict[str, Any] = json.loads(data or b"{}")
                return parsed

            def _handle(self) -> None:
                route, segments, query = self._route()
                body = self._body() if self.command in ("PUT", "POST") else {}
                standin.requests.append((self.command, route, self._authenticated()))
                fault = self._fault(route)
                kind = fault[0] if fault else None
                if kind == "status":
                    self._send(fault[1], {"error": "fault"}, fault[2])  # type: ignore[index]
                    return
                if kind == "redirect":
                    self._send(302, b"", {"Location": fault[1]})  # type: ignore[index]
                    return
                if kind == "block_before":
                    standin.blocked.set()
                    standin.release.wait(30)
                    return
                answer = self._apply(route, segments, query, body)
                if kind == "hang_after_apply":
                    time.sleep(fault[1])  # type: ignore[index]
                if kind == "block_after_apply":
                    standin.blocked.set()
                    standin.release.wait(30)
                    return
                self._send(*answer)

            def _apply(
                self,
                route: str,
                segments: list[str],
                query: dict[str, list[str]],
                body: dict[str, Any],
            ) -> tuple[int, Any, dict[str, str]]:
                if route == "FILE":
                    if not self._authenticated():  # secure downloads: the sign-in page
                        return 200, b"<html>Bitte anmelden</html>", {}
                    token = segments[2]
                    return 302, b"", {"Location": f"https://{STORAGE_HOST}/files/{token}"}
                if route == "STORAGE":
                    if self._authenticated():  # credentials must never reach storage
                        return 400, {"error": "credentials sent to storage"}, {}
                    data = standin.files.get(segments[-1])
                    return (200, data, {}) if data else (404, {"error": "no file"}, {})
                with standin.lock:
                    if not self._authenticated():
                        return 401, {"error": "Couldn't authenticate you"}, {}
                    if route == "POST":
                        return self._create(body)
                    if route == "SEARCH":
                        ext = (query.get("external_id") or [""])[0]
                        found = [
                            {"id": t.id} for t in standin.tickets.values() if t.external_id == ext
                        ]
                        return 200, {"tickets": found, "count": len(found)}, {}
                    ticket = standin.tickets.get(int(segments[3].split(".")[0]))
                    if ticket is None:
                        return 404, {"error": "RecordNotFound"}, {}
                    if route == "GET_TICKET":
                        return 200, {"ticket": self._ticket_json(ticket)}, {}
                    if route == "COMMENTS":
                        return 200, {"comments": ticket.comments, "next_page": None}, {}
                    if route == "AUDITS":
                        return 200, {"audits": ticket.audits, "meta": {"has_more": False}}, {}
                    return self._update(ticket, body["ticket"])

            def _ticket_json(self, t: Ticket) -> dict[str, Any]:
                return {
                    "id": t.id,
                    "subject": t.subject,
                    "description": t.description,
                    "status": "open",
                    "tags": t.tags,
                    "custom_fields": [],
                    "external_id": t.external_id,
                    "updated_at": f"2026-11-20T09:{t.updated // 60:02d}:{t.updated % 60:02d}Z",
                }

            def _update(self, t: Ticket, data: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
                stamp = self._ticket_json(t)["updated_at"]
                if data.get("safe_update") and data.get("updated_stamp") != stamp:
                    return 409, {"error": "UpdateConflict"}, {}
                t.updated += 1
                comment = data.get("comment")
                if comment:
                    t.comments.append(
                        {
                            "id": 7000 + len(t.comments),
                            "body": comment["body"],
                            "public": comment.get("public", True),
                            "author_id": 1,
                            "attachments": [],
                        }
                    )
                t.tags = [x for x in t.tags if x not in data.get("remove_tags", [])]
                t.tags += [x for x in data.get("additional_tags", []) if x not in t.tags]
                t.audits.append(
                    {
                        "id": 100 + len(t.audits),
                        "metadata": {"custom": data.get("metadata") or {}, "system": {}},
                        "events": [{"type": "Comment", "body": comment["body"]}] if comment else [],
                    }
                )
                return 200, {"ticket": self._ticket_json(t), "audit": t.audits[-1]}, {}

            def _create(self, body: dict[str, Any]) -> tuple[int, Any, dict[str, str]]:
                key = self.headers.get("Idempotency-Key")
                if key and key in standin.idempotency:
                    existing = standin.tickets[standin.idempotency[key]]
                    return (
                        201,
                        {"ticket": self._ticket_json(existing)},
                        {"x-idempotency-lookup": "hit"},
                    )
                data = body["ticket"]
                standin.next_id += 1
                t = Ticket(
                    standin.next_id,
                    data.get("subject", ""),
                    data["comment"]["body"],
                    list(data.get("tags", [])),
                    external_id=data.get("external_id"),
                    requester_email=data.get("requester", {}).get("email", ""),
                )
                t.comments.append(
                    {"id": 1, "body": data["comment"]["body"], "public": True, "author_id": 1}
                )
                standin.tickets[t.id] = t
                if key:
                    standin.idempotency[key] = t.id
                return 201, {"ticket": self._ticket_json(t)}, {}

            def do_GET(self) -> None:
                self._handle()

            def do_PUT(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

        return Handler


class LoopbackAdapter(HTTPAdapter):
    """Sends https://acme.zendesk.com and the storage host to the stand-in (plain HTTP)."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        parts = urlsplit(request.url or "")
        routed = request.copy()
        routed.headers["X-Original-Host"] = parts.netloc
        routed.url = self.base + parts.path + (f"?{parts.query}" if parts.query else "")
        response = super().send(routed, **kwargs)
        response.request = request  # callers (zenpy) see the URL they asked for
        response.url = request.url or ""
        return response


def loopback_session(base: str) -> requests.Session:
    session = requests.Session()
    adapter = LoopbackAdapter(base)
    session.mount("https://", adapter)
    return session
