"""The parsing zygote: a process that has imported the reader and forks one child per job.

Started by ``parsers.sandbox`` as ``python -m parsers._zygote FD`` with an environment
stripped of secrets. ``FD`` is one end of a ``SOCK_SEQPACKET`` socket pair (the control
channel). Every job arrives there as one message: a small JSON header (the wall-clock
limit) plus, via ``SCM_RIGHTS`` (``socket.recv_fds``), one end of a fresh stream socket
pair that belongs to that job alone.

For each job the zygote forks. The child reads the request (a pickle written by the
trusted service process) from the job socket, applies ``RLIMIT_AS`` to itself, runs the
task and writes the answer back: JSON for a document, raw bytes for a page image, never a
pickle, because the child handles hostile input and the service must not unpickle what
it sends. The zygote watches every child through a pidfd, kills it with ``SIGKILL`` at
its deadline, reaps it, and writes a last frame with the exit status and whether the
deadline killed it. When the service closes the control channel the zygote kills its
children and exits.

Frames on the job socket are ``kind (1 byte) + length (8 bytes, big-endian) + payload``.
Only public APIs are used: ``os.fork``, ``os.pidfd_open``, ``socket.send_fds`` /
``recv_fds``, ``selectors``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import math
import os
import pickle
import resource
import selectors
import signal
import socket
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parsers._frames import (
    FRAME_BYTES,
    FRAME_EXIT,
    FRAME_JSON,
    FRAME_READY,
    FRAME_REQUEST,
    HEADER,
    read_frame,
    write_frame,
)

__all__ = ["TASKS", "main"]

# -- the child ------------------------------------------------------------------------


def _task_read(*, data: bytes, filename: str, settings: Any) -> dict[str, Any]:
    from parsers.document import read_document_inprocess

    return read_document_inprocess(data, filename=filename, settings=settings).as_dict()


def _task_render(
    *, data: bytes, page: int, dpi: float, max_side: int, settings: Any
) -> dict[str, Any] | bytes:
    from parsers.render import render_page_png

    return render_page_png(data, page=page, dpi=dpi, max_side=max_side, settings=settings)


TASKS: dict[str, Callable[..., dict[str, Any] | bytes]] = {
    "read": _task_read,
    "render": _task_render,
}


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _limit_cpu(seconds: float) -> None:
    """A backstop to the zygote's wall-clock kill: if the zygote is gone, the CPU limit
    still ends the child (CPU time never exceeds wall-clock time, so it fires no earlier)."""
    limit = math.ceil(seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))


def _answer(task: str, kwargs: dict[str, Any]) -> tuple[bytes, bytes]:
    from parsers.precheck import error

    try:
        _limit_cpu(kwargs["settings"].limits.parse_timeout_seconds)
        _limit_memory(kwargs["settings"].limits.parse_memory_mb)
        result = TASKS[task](**kwargs)
        if isinstance(result, bytes):
            return FRAME_BYTES, result
        return FRAME_JSON, json.dumps(result).encode()
    except MemoryError:
        return FRAME_JSON, json.dumps({"error": error("memory_limit").as_dict()}).encode()
    except BaseException as exc:  # never a traceback: the service reports a reason
        err = error("damaged", type(exc).__name__).as_dict()
        return FRAME_JSON, json.dumps({"error": err}).encode()


def _child(job: socket.socket) -> None:
    """Runs in the forked child: read the request, answer it, exit without cleanup."""
    status = 0
    try:
        frame = read_frame(job, max_bytes=1 << 31)
        if frame is None or frame[0] != FRAME_REQUEST:
            os._exit(3)
        task, kwargs = pickle.loads(frame[1])  # noqa: S301 - written by the service itself
        del frame
        kind, payload = _answer(task, kwargs)
        try:
            write_frame(job, kind, payload)
        except MemoryError:
            status = 4
    except BaseException:
        status = 5
    finally:
        with contextlib.suppress(OSError):
            job.close()
    os._exit(status)  # skip atexit handlers and finalizers inherited from the zygote


# -- the zygote -----------------------------------------------------------------------


@dataclass
class _Job:
    pid: int
    pidfd: int
    sock: socket.socket
    deadline: float
    timed_out: bool = False


class _Zygote:
    def __init__(self, control: socket.socket) -> None:
        self.control = control
        self.selector = selectors.DefaultSelector()
        self.selector.register(control, selectors.EVENT_READ)
        self.jobs: dict[int, _Job] = {}  # by pidfd

    def run(self) -> None:
        while True:
            now = time.monotonic()
            wait = min((j.deadline for j in self.jobs.values()), default=now + 3600) - now
            for key, _ in self.selector.select(max(wait, 0.0)):
                if key.fileobj is self.control:
                    if not self._accept():
                        self._shutdown()
                        return
                else:
                    self._reap(self.jobs[int(key.fd)])
            now = time.monotonic()
            for job in self.jobs.values():
                if not job.timed_out and now >= job.deadline:
                    job.timed_out = True
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(job.pid, signal.SIGKILL)

    def _accept(self) -> bool:
        try:
            message, fds, _, _ = socket.recv_fds(self.control, 4096, 1)
        except OSError:
            return False
        if not message:
            return False  # the service closed the channel
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            return True
        sock = socket.socket(fileno=fds[0])
        try:
            timeout = float(json.loads(message)["timeout"])
        except (ValueError, KeyError, TypeError):
            sock.close()
            return True
        try:
            pid = os.fork()
        except OSError:
            sock.close()  # the service sees the job end without an answer: "damaged"
            return True
        if pid == 0:  # the child
            self.selector.close()
            self.control.close()
            for job in self.jobs.values():
                os.close(job.pidfd)
                job.sock.close()
            _child(sock)
        pidfd = os.pidfd_open(pid)
        self.jobs[pidfd] = _Job(pid, pidfd, sock, time.monotonic() + timeout)
        self.selector.register(pidfd, selectors.EVENT_READ)
        return True

    def _reap(self, job: _Job) -> None:
        _, status = os.waitpid(job.pid, 0)
        self.selector.unregister(job.pidfd)
        os.close(job.pidfd)
        del self.jobs[job.pidfd]
        body = json.dumps(
            {"status": os.waitstatus_to_exitcode(status), "timed_out": job.timed_out}
        ).encode()
        # MSG_DONTWAIT: a service that stopped reading must not block the zygote
        with contextlib.suppress(OSError):
            job.sock.send(HEADER.pack(FRAME_EXIT, len(body)) + body, socket.MSG_DONTWAIT)
        job.sock.close()

    def _shutdown(self) -> None:
        for job in list(self.jobs.values()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(job.pid, signal.SIGKILL)
            os.waitpid(job.pid, 0)


def main(argv: list[str]) -> int:
    control = socket.socket(fileno=int(argv[1]))
    # Nothing the reader logs may reach a terminal or log file from here (document text).
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger().setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the service's terminal
    import parsers._preload  # noqa: F401 - the reader, imported once for every child

    # Everything imported so far lives as long as the zygote: keep the collector from
    # touching it in the children, where every touched page would be copied.
    gc.collect()
    gc.freeze()
    control.send(FRAME_READY)
    _Zygote(control).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
