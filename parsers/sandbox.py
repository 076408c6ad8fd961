"""Parse each document in a child process with a wall-clock and an address-space limit.

Hostile PDFs are real (a 960 KB file inflating to 330 MB ran pdfplumber past 120 s and
1.7 GB), so parsing never runs in the service process. A *zygote* process
(``python -m parsers._zygote``, see there for the protocol) imports the reader once and
forks one child per job, so a document costs a fork (milliseconds), not a fresh
interpreter. The child applies ``RLIMIT_AS`` to itself, parses, and sends
``ParsedDocument.as_dict()`` back as JSON; the zygote kills it at the time limit and
always reaps it. Sidebar page images are rendered the same way (``render_sandboxed``).

The zygote starts with an environment stripped of secrets (``child_environment``) and
the settings the child receives have their secrets reset to the defaults
(``redacted_settings``): a parser exploited by a hostile file finds no credential.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import pickle
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog
from pydantic import BaseModel

from config.errors import DocumentReadError
from config.settings import Settings
from parsers._frames import (
    FRAME_BYTES,
    FRAME_EXIT,
    FRAME_JSON,
    FRAME_READY,
    FRAME_REQUEST,
    read_frame,
    write_frame,
)
from parsers.model import DocumentError, ParsedDocument
from parsers.precheck import error, precheck
from parsers.serialize import parsed_document_from_dict

__all__ = ["child_environment", "redacted_settings", "render_sandboxed", "run_sandboxed"]

log = structlog.get_logger(__name__)

# Signals a child dies of when an allocation fails under RLIMIT_AS inside C/C++ code
# (abort on std::bad_alloc, a NULL dereference after a failed malloc).
_ALLOCATION_DEATHS = {-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, -signal.SIGKILL}
_CPU_LIMIT_DEATHS = {-signal.SIGXCPU}  # the child's CPU-time backstop
# The service waits this much longer than the limit for the zygote's own report.
_GRACE_SECONDS = 5.0
_START_SECONDS = 120.0  # importing the reader in the zygote (cold disk, busy machine)
_MAX_ANSWER_BYTES = 128 * 1024 * 1024  # a page PNG of 4000 px is far smaller

# The zygote's environment: only what Python and the native libraries need ...
_ENV_KEEP = re.compile(
    r"^(PATH|HOME|USER|LOGNAME|LANG|LANGUAGE|LC_\w+|TZ|TMPDIR|TEMP|TMP|VIRTUAL_ENV|"
    r"PYTHON\w*|LD_LIBRARY_PATH|OMP_\w+|OPENBLAS_\w+|MKL_\w+|SYSTEMROOT)$"
)
# ... and never a name that looks like a credential, even among those.
_ENV_SECRET = re.compile(r"TOKEN|SECRET|PASSW|KEY|CREDENTIAL|AUTH|COOKIE|SESSION", re.I)
# Settings fields reset to their defaults before the settings reach a child.
_FIELD_SECRET = re.compile(r"secret|token|passw|key|credential|email|_url$", re.I)


def child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment the zygote (and so every parsing child) runs with."""
    env = {
        name: value
        for name, value in environ.items()
        if _ENV_KEEP.match(name) and not _ENV_SECRET.search(name)
    }
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    env["OMP_NUM_THREADS"] = env.get("OMP_NUM_THREADS", "1")
    return env


def redacted_settings(settings: Settings) -> Settings:
    """``settings`` with every secret-looking field of every section reset to its default."""
    updates: dict[str, Any] = {}
    for name in type(settings).model_fields:
        section = getattr(settings, name)
        if not isinstance(section, BaseModel):
            continue
        fields = type(section).model_fields
        reset = {
            field: info.get_default(call_default_factory=True)
            for field, info in fields.items()
            if _FIELD_SECRET.search(field)
        }
        if reset:
            updates[name] = section.model_copy(update=reset)
    return settings.model_copy(update=updates)


_REDACTED: tuple[Settings, Settings] | None = None  # the last settings and their redaction


def _child_settings(settings: Settings) -> Settings:
    """``redacted_settings(settings)``, made once per settings object (they are frozen)."""
    global _REDACTED
    cached = _REDACTED
    if cached is None or cached[0] is not settings:
        cached = (settings, redacted_settings(settings))
        _REDACTED = cached
    return cached[1]


@dataclass
class _Server:
    proc: subprocess.Popen[bytes]
    control: socket.socket
    owner: int  # the pid that started it: a forked service process starts its own

    def alive(self) -> bool:
        return self.owner == os.getpid() and self.proc.poll() is None

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.control.close()  # EOF on the control channel: the zygote exits
        if self.owner == os.getpid():
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


_LOCK = threading.Lock()
_SERVER: _Server | None = None


def _start() -> _Server:
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "parsers._zygote", str(theirs.fileno())],
            pass_fds=(theirs.fileno(),),
            env=child_environment(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
    finally:
        theirs.close()
    mine.settimeout(_START_SECONDS)
    try:
        ready = mine.recv(64)
    except OSError:
        ready = b""
    if ready != FRAME_READY:
        mine.close()
        proc.kill()
        proc.wait(5)
        raise OSError("the parsing zygote did not start")
    mine.settimeout(None)
    return _Server(proc, mine, os.getpid())


def _server() -> _Server:
    global _SERVER
    with _LOCK:
        if _SERVER is None or not _SERVER.alive():
            if _SERVER is not None:
                if _SERVER.owner == os.getpid():
                    _SERVER.stop()
                else:  # a forked copy of the service: drop the inherited channel only
                    _SERVER.control.close()
            _SERVER = _start()
        return _SERVER


def _restart(dead: _Server) -> None:
    global _SERVER
    with _LOCK:
        if _SERVER is dead:
            dead.stop()
            _SERVER = None


def shutdown() -> None:
    """Stop the zygote (it also stops by itself when this process exits)."""
    global _SERVER
    with _LOCK:
        if _SERVER is not None:
            _SERVER.stop()
            _SERVER = None


atexit.register(shutdown)


def zygote_pid() -> int | None:
    """The running zygote's pid, if any (for tests and diagnostics)."""
    server = _SERVER
    return server.proc.pid if server is not None and server.alive() else None


def _run(
    task: str, kwargs: dict[str, Any], *, timeout: float
) -> tuple[bytes, bytes] | DocumentError:
    """Run ``task`` in a fresh child; its answer frame, or the reason there is none."""
    header = json.dumps({"timeout": timeout}).encode()
    for attempt in (1, 2):  # a zygote that died since the last job is replaced once
        try:
            server = _server()
        except OSError as exc:
            log.error("sandbox_start_failed", error=type(exc).__name__)
            return error("damaged", "parser process could not start")
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with contextlib.closing(theirs):
                socket.send_fds(server.control, [header], [theirs.fileno()])
            break
        except OSError as exc:
            mine.close()
            _restart(server)
            if attempt == 2:
                log.error("sandbox_send_failed", error=type(exc).__name__)
                return error("damaged", "parser process could not start")
    deadline = time.monotonic() + timeout + _GRACE_SECONDS
    answer: tuple[bytes, bytes] | None = None
    exit_info: dict[str, Any] = {}
    with mine:
        try:
            mine.settimeout(timeout + _GRACE_SECONDS)
            write_frame(mine, FRAME_REQUEST, pickle.dumps((task, kwargs)))
        except OSError:
            pass  # the child died before reading everything: its exit frame says why
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                mine.settimeout(remaining)
                frame = read_frame(mine, max_bytes=_MAX_ANSWER_BYTES)
            except (OSError, ValueError):
                break
            if frame is None:
                break
            kind, payload = frame
            if kind == FRAME_EXIT:
                with contextlib.suppress(ValueError):
                    exit_info = json.loads(payload)
                break
            if kind in (FRAME_JSON, FRAME_BYTES):
                # the answer is all we need: the zygote reaps the child without us
                answer = (kind, payload)
                break
    if answer is not None:
        return answer
    if exit_info.get("timed_out") or (not exit_info and time.monotonic() >= deadline):
        return error("timeout", f"limit {timeout:g} s")
    status = exit_info.get("status")
    if status in _CPU_LIMIT_DEATHS:
        return error("timeout", f"limit {timeout:g} s")
    if status in _ALLOCATION_DEATHS:
        return error("memory_limit")
    return error("damaged", f"parser exited with {status}")


def _error_of(message: Any) -> DocumentError | None:
    """The DocumentError of an ``{"error": {...}}`` answer, None for anything else."""
    if isinstance(message, dict) and set(message) == {"error"}:
        err = message["error"]
        return DocumentError(str(err["code"]), str(err["message"]))
    return None


def run_sandboxed(data: bytes, *, filename: str, settings: Settings) -> ParsedDocument:
    """Parse ``data`` in a limited child process; every failure becomes a DocumentError."""
    sha = hashlib.sha256(data).hexdigest()
    problem = precheck(data, settings=settings)
    if problem is not None:
        log.info("document_refused", code=problem.code, size=len(data))
        return ParsedDocument.failed(filename, problem, sha256=sha)
    timeout = settings.limits.parse_timeout_seconds
    started = time.monotonic()
    outcome = _run(
        "read",
        {"data": data, "filename": filename, "settings": _child_settings(settings)},
        timeout=timeout,
    )
    elapsed = round(time.monotonic() - started, 3)
    if isinstance(outcome, DocumentError):
        log.warning("document_failed", code=outcome.code, seconds=elapsed)
        return ParsedDocument.failed(filename, outcome, sha256=sha)
    try:
        message = json.loads(outcome[1]) if outcome[0] == FRAME_JSON else None
        err = _error_of(message)
        if err is not None:
            return ParsedDocument.failed(filename, err, sha256=sha)
        if not isinstance(message, dict):
            raise TypeError("not a document")
        parsed = parsed_document_from_dict(message)
    except (KeyError, TypeError, ValueError) as exc:
        return ParsedDocument.failed(filename, error("damaged", type(exc).__name__), sha256=sha)
    log.info(
        "document_read",
        pages=parsed.pages,
        ocr_pages=len(parsed.ocr_pages),
        numbers=len(parsed.numbers),
        error=parsed.error.code if parsed.error else None,
        seconds=elapsed,
    )
    return parsed


def render_sandboxed(
    data: bytes, *, page: int, dpi: float, max_side: int, settings: Settings
) -> bytes:
    """PNG of ``page`` (1-based), rendered in a limited child with the reader's limits.

    Raises ``DocumentReadError`` with the reader's error code when the page cannot be
    rendered (hostile or damaged file, no such page, time or memory limit).
    """
    problem = precheck(data, settings=settings)
    if problem is None:
        outcome = _run(
            "render",
            {
                "data": data,
                "page": page,
                "dpi": dpi,
                "max_side": max_side,
                "settings": _child_settings(settings),
            },
            timeout=settings.limits.parse_timeout_seconds,
        )
        if isinstance(outcome, DocumentError):
            problem = outcome
        elif outcome[0] == FRAME_BYTES:
            return outcome[1]
        else:
            try:
                problem = _error_of(json.loads(outcome[1])) or error("damaged", "no image")
            except (KeyError, TypeError, ValueError):
                problem = error("damaged", "no image")
    log.info("page_not_rendered", code=problem.code)
    raise DocumentReadError(problem.code, problem.message)
