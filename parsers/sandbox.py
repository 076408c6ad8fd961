"""Parse each document in a child process with a wall-clock and an address-space limit.

Hostile PDFs are real (a 960 KB file inflating to 330 MB ran pdfplumber past 120 s and
1.7 GB, see REFERENCE.md), so parsing never runs in the service process. Children are
forked from a multiprocessing *forkserver* that has already imported the reader, so a
document costs a fork (milliseconds), not a fresh interpreter. The child applies
``RLIMIT_AS`` to itself, parses, and sends ``ParsedDocument.as_dict()`` back over a pipe;
the parent waits at most the time limit, kills the child if needed and always reaps it.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import multiprocessing.context
import os
import resource
import signal
import threading
import time
from multiprocessing import context, forkserver, popen_forkserver, reduction, spawn, util
from multiprocessing.connection import Connection
from typing import Any

import structlog

from config.settings import Settings
from parsers.document import error, precheck, read_document_inprocess
from parsers.model import DocumentError, ParsedDocument
from parsers.serialize import parsed_document_from_dict

__all__ = ["run_sandboxed"]

log = structlog.get_logger(__name__)

_CTX_LOCK = threading.Lock()
_CTX: Any = None
# Signals a child dies of when an allocation fails under RLIMIT_AS inside C/C++ code
# (abort on std::bad_alloc, a NULL dereference after a failed malloc).
_ALLOCATION_DEATHS = {-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGBUS, -signal.SIGKILL}


class _Popen(popen_forkserver.Popen):
    """The stdlib forkserver launch, minus re-running the caller's main module.

    multiprocessing makes every child import ``__main__`` again (for ``partnerdesk
    serve`` that is the whole CLI) although the child only runs ``_child``, which the
    server has pre-imported. This is ``popen_forkserver.Popen._launch`` (CPython
    3.11–3.13) with the two main-module keys dropped from the preparation data.
    """

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        parent_w = os.dup(w)
        self.finalizer = util.Finalize(
            self,
            util.close_fds,  # type: ignore[attr-defined]
            (parent_w, self.sentinel),
        )
        with os.fdopen(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(multiprocessing.context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # multiprocessing's name
        return _Popen(process_obj)


def _context() -> Any:
    """The forkserver context, with the reader pre-imported in the server."""
    global _CTX
    with _CTX_LOCK:
        if _CTX is None:
            ctx = multiprocessing.get_context("forkserver")
            # The server imports the reader (and warms its lazy tables) once; every
            # child is a fork of it (see _Popen for why the main module is skipped).
            ctx.set_forkserver_preload(["parsers._preload"])
            _CTX = ctx
        return _CTX


def _child(conn: Connection, data: bytes, filename: str, settings: Settings) -> None:
    """Child entry: limit memory, parse, send the result as a dict."""
    limit = settings.limits.parse_memory_mb * 1024 * 1024
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        result: dict[str, Any] = read_document_inprocess(
            data, filename=filename, settings=settings
        ).as_dict()
    except MemoryError:
        result = {"error": error("memory_limit").as_dict()}
    except BaseException as exc:  # never a traceback: the parent reports a reason
        result = {"error": error("damaged", type(exc).__name__).as_dict()}
    try:
        conn.send(result)
    except MemoryError:
        conn.send({"error": error("memory_limit").as_dict()})
    finally:
        conn.close()


def _failed(filename: str, err: DocumentError, sha: str) -> ParsedDocument:
    return ParsedDocument.failed(filename, err, sha256=sha)


def run_sandboxed(data: bytes, *, filename: str, settings: Settings) -> ParsedDocument:
    """Parse ``data`` in a limited child process; every failure becomes a DocumentError."""
    sha = hashlib.sha256(data).hexdigest()
    problem = precheck(data, settings=settings)
    if problem is not None:
        log.info("document_refused", code=problem.code, size=len(data))
        return _failed(filename, problem, sha)
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = _Process(target=_child, args=(sender, data, filename, settings), daemon=True)
    started = time.monotonic()
    timeout = settings.limits.parse_timeout_seconds
    try:
        proc.start()
    except OSError as exc:
        sender.close()
        receiver.close()
        log.error("sandbox_start_failed", error=type(exc).__name__)
        return _failed(filename, error("damaged", "parser process could not start"), sha)
    try:
        sender.close()  # the child holds the only write end now: EOF means it died
        ready = receiver.poll(timeout)
        message: dict[str, Any] | None = None
        if ready:
            try:
                message = receiver.recv()
            except (EOFError, OSError):
                message = None  # the child died without an answer
        elapsed = time.monotonic() - started
        if message is None:
            if not ready:
                err = error("timeout", f"limit {timeout:g} s")
            else:
                proc.join(5)
                code = proc.exitcode
                err = (
                    error("memory_limit")
                    if code in _ALLOCATION_DEATHS
                    else error("damaged", f"parser exited with {code}")
                )
            log.warning("document_failed", code=err.code, seconds=round(elapsed, 3))
            return _failed(filename, err, sha)
        try:
            if set(message) == {"error"}:
                err_dict = message["error"]
                return _failed(filename, DocumentError(err_dict["code"], err_dict["message"]), sha)
            parsed = parsed_document_from_dict(message)
        except (KeyError, TypeError, ValueError) as exc:
            return _failed(filename, error("damaged", type(exc).__name__), sha)
        log.info(
            "document_read",
            pages=parsed.pages,
            ocr_pages=len(parsed.ocr_pages),
            numbers=len(parsed.numbers),
            error=parsed.error.code if parsed.error else None,
            seconds=round(elapsed, 3),
        )
        return parsed
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        receiver.close()
        if proc.exitcode is not None:
            proc.close()
