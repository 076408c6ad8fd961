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

To keep a fork and its page copies off a document's path, the zygote keeps one *spare*
child ready: forked ahead, it runs ``parsers._preload.warm_up`` (a read of the built-in
letter, which copies the memory pages a read touches), reports ``R`` on its own
``SOCK_SEQPACKET`` channel and waits. A job that arrives while the spare is ready is
passed to it with ``SCM_RIGHTS``; otherwise the zygote kills the spare that is still
warming up (it would compete with the job for CPU) and forks a child for the job as
before. Either way one child serves one job and exits; the job's limits (wall clock,
``RLIMIT_AS``, CPU) start when the job does. The next spare is forked 0.2 s after the
last running job ended (none before the first job).

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
    still ends the child (CPU time never exceeds wall-clock time, so it fires no earlier).

    The limit counts from the CPU time already used (a spare's warm-up), so the job gets
    its whole allowance and no more."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    limit = math.ceil(usage.ru_utime + usage.ru_stime + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > limit:
        resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))


_CHILD_GC_THRESHOLDS = (50_000, 100, 100)


def _answer(task: str, kwargs: dict[str, Any]) -> tuple[bytes, bytes]:
    from parsers.precheck import error

    # The parser makes many short-lived objects and few reference cycles (about a
    # hundred objects a document): the cycle collector runs every 50,000 allocations
    # instead of every 700, which saves 5-8 % of a text page's CPU time and still
    # collects cycles long before RLIMIT_AS could notice them.
    gc.set_threshold(*_CHILD_GC_THRESHOLDS)
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


def _spare(channel: socket.socket) -> None:
    """Runs in a spare child: warm up, say so, then serve the one job passed to it."""
    try:
        from parsers._preload import warm_up

        warm_up()
        gc.collect()
        gc.freeze()  # what the warm-up left behind is never collected in the job
        channel.send(SPARE_READY)
        _, fds, _, _ = socket.recv_fds(channel, 64, 1)
        if len(fds) != 1:  # the zygote is gone (EOF) or sent something else
            os._exit(0)
        channel.send(SPARE_TOOK_JOB)
        channel.close()
    except BaseException:
        os._exit(6)
    _child(socket.socket(fileno=fds[0]))


# -- the zygote -----------------------------------------------------------------------


SPARE_READY = b"R"  # spare -> zygote: warmed up, waiting for a job
SPARE_TOOK_JOB = b"J"  # spare -> zygote: got the job, reads the request next
_MAX_SPARE_FAILURES = 3  # spares that die before they are ready: stop making them
# A spare is forked this long after the last job ended and only while no job runs, so
# documents read one right after the other do not pay for spares they never use.
_SPARE_DELAY_SECONDS = 0.2


@dataclass
class _Job:
    pid: int
    pidfd: int
    sock: socket.socket
    deadline: float
    timed_out: bool = False
    # for a job passed to the spare: its channel, to learn whether it took the job
    spare_channel: socket.socket | None = None


@dataclass
class _Spare:
    pid: int
    pidfd: int
    channel: socket.socket
    ready: bool = False


class _Zygote:
    def __init__(self, control: socket.socket) -> None:
        self.control = control
        self.selector = selectors.DefaultSelector()
        self.selector.register(control, selectors.EVENT_READ)
        self.jobs: dict[int, _Job] = {}  # by pidfd
        self.spare: _Spare | None = None
        # when to fork the next spare: after the first job (a command-line check reads
        # one document and would never use it)
        self.spare_due: float | None = None
        self.spare_failures = 0
        self.ending: dict[int, int] = {}  # killed spares, pid by pidfd, not yet reaped

    def run(self) -> None:
        while True:
            now = time.monotonic()
            due = [j.deadline for j in self.jobs.values()]
            if self.spare_due is not None and not self.jobs:
                due.append(self.spare_due)
            for key, _ in self.selector.select(max(min(due, default=now + 3600) - now, 0.0)):
                if key.fileobj is self.control:
                    if not self._accept():
                        self._shutdown()
                        return
                elif key.fd in self.jobs:
                    self._reap(self.jobs[key.fd])
                elif key.fd in self.ending:
                    self._reap_ended(key.fd)
                else:
                    self._spare_event()
            now = time.monotonic()
            for job in self.jobs.values():
                if not job.timed_out and now >= job.deadline:
                    job.timed_out = True
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(job.pid, signal.SIGKILL)
            if self.spare_due is not None and now >= self.spare_due and not self.jobs:
                self.spare_due = None
                self._fork_spare()

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
        started: tuple[int, int, socket.socket | None] | None = self._to_spare(sock)
        if started is None:
            # a spare still warming up would compete with this job for CPU: the next
            # one is forked once the jobs are done
            self._drop_spare()
            self.spare_due = None
            started = self._fork_job(sock)
        if started is None:
            sock.close()  # the service sees the job end without an answer: "damaged"
            return True
        pid, pidfd, channel = started
        self.jobs[pidfd] = _Job(pid, pidfd, sock, time.monotonic() + timeout, False, channel)
        return True

    def _to_spare(self, sock: socket.socket) -> tuple[int, int, socket.socket] | None:
        """Pass the job to the ready spare: its pid, pidfd and channel, or None."""
        spare = self.spare
        if spare is None or not spare.ready:
            return None
        self.spare = None
        self.selector.unregister(spare.channel)
        try:
            if not _alive(spare.pid):
                raise ProcessLookupError(spare.pid)
            socket.send_fds(spare.channel, [b"job"], [sock.fileno()])
        except OSError:
            spare.channel.close()
            self._end_spare(spare)
            return None
        return spare.pid, spare.pidfd, spare.channel  # the pidfd stays registered

    def _fork_job(self, sock: socket.socket) -> tuple[int, int, None] | None:
        try:
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:  # the child
            self._close_in_child()
            _child(sock)
        pidfd = os.pidfd_open(pid)
        self.selector.register(pidfd, selectors.EVENT_READ)
        return pid, pidfd, None

    def _fork_spare(self) -> None:
        if self.spare is not None or self.spare_failures >= _MAX_SPARE_FAILURES:
            return
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            pid = os.fork()
        except OSError:
            mine.close()
            theirs.close()
            return
        if pid == 0:  # the spare
            mine.close()
            self._close_in_child()
            _spare(theirs)
        theirs.close()
        pidfd = os.pidfd_open(pid)
        self.spare = _Spare(pid, pidfd, mine)
        self.selector.register(pidfd, selectors.EVENT_READ)
        self.selector.register(mine, selectors.EVENT_READ)

    def _spare_event(self) -> None:
        """The spare said it is ready, or it died before a job reached it."""
        spare = self.spare
        if spare is None:
            return
        try:
            said = spare.channel.recv(16, socket.MSG_DONTWAIT)
        except BlockingIOError:
            said = None  # its pidfd fired: it died, or is about to
        except OSError:
            said = b""
        if said == SPARE_READY and not spare.ready:
            spare.ready = True
            self.spare_failures = 0
            return
        if said is None and _alive(spare.pid):
            return
        self.spare_failures += 1
        self._drop_spare()
        self.spare_due = time.monotonic() + _SPARE_DELAY_SECONDS

    def _drop_spare(self) -> None:
        """End the spare, if any."""
        spare, self.spare = self.spare, None
        if spare is not None:
            self.selector.unregister(spare.channel)
            spare.channel.close()
            self._end_spare(spare)

    def _end_spare(self, spare: _Spare) -> None:
        """Kill a spare that will not get a job; it is reaped when its pidfd says so."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(spare.pid, signal.SIGKILL)
        self.ending[spare.pidfd] = spare.pid

    def _reap_ended(self, pidfd: int) -> None:
        os.waitpid(self.ending.pop(pidfd), 0)
        self.selector.unregister(pidfd)
        os.close(pidfd)

    def _close_in_child(self) -> None:
        """In a fresh child: drop every descriptor that belongs to the zygote."""
        self.selector.close()
        self.control.close()
        for job in self.jobs.values():
            os.close(job.pidfd)
            job.sock.close()
            if job.spare_channel is not None:
                job.spare_channel.close()
        if self.spare is not None:
            os.close(self.spare.pidfd)
            self.spare.channel.close()
        for pidfd in self.ending:
            os.close(pidfd)

    def _reap(self, job: _Job) -> None:
        _, status = os.waitpid(job.pid, 0)
        self.selector.unregister(job.pidfd)
        os.close(job.pidfd)
        del self.jobs[job.pidfd]
        if job.spare_channel is not None and not _took_job(job.spare_channel):
            # the spare died before it took the job (killed, out of memory): the
            # request is still unread, so a fresh child serves it
            started = self._fork_job(job.sock)
            if started is not None:
                self.jobs[started[1]] = _Job(started[0], started[1], job.sock, job.deadline)
                return
        body = json.dumps(
            {"status": os.waitstatus_to_exitcode(status), "timed_out": job.timed_out}
        ).encode()
        # MSG_DONTWAIT: a service that stopped reading must not block the zygote
        with contextlib.suppress(OSError):
            job.sock.send(HEADER.pack(FRAME_EXIT, len(body)) + body, socket.MSG_DONTWAIT)
        job.sock.close()
        if self.spare is None:  # forked a little later, when no job is running
            self.spare_due = time.monotonic() + _SPARE_DELAY_SECONDS

    def _shutdown(self) -> None:
        self._drop_spare()
        for pidfd in list(self.ending):
            self._reap_ended(pidfd)
        for job in list(self.jobs.values()):
            with contextlib.suppress(ProcessLookupError):
                os.kill(job.pid, signal.SIGKILL)
            os.waitpid(job.pid, 0)


def _took_job(channel: socket.socket) -> bool:
    """Whether a spare said it took its job (read from its channel, which is closed)."""
    try:
        said = b""
        with contextlib.suppress(BlockingIOError):
            said = channel.recv(16, socket.MSG_DONTWAIT)
        return said == SPARE_TOOK_JOB
    except OSError:
        return False
    finally:
        channel.close()


def _alive(pid: int) -> bool:
    """Whether the child ``pid`` is still running (it is not reaped here)."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is None
    except ChildProcessError:
        return False


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
