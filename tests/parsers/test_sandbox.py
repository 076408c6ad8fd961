"""The sandbox: every hostile file ends with its own reason, within limits, child reaped."""

from __future__ import annotations

import ast
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest

from config.settings import Settings, load_settings
from parsers import sandbox
from parsers.document import read_document
from parsers.model import Role
from tests.parsers import hostile, pdfs

ROOT = Path(__file__).resolve().parents[2]


def limited(**limits: object) -> Settings:
    base: dict[str, object] = {"parse_timeout_seconds": 10, "parse_memory_mb": 512, "max_pages": 5}
    base.update(limits)
    return load_settings(env={}, overrides={"limits": base})


GOOD = pdfs.build(pdfs.Letter(body=["Folgende Rufnummer wird übergeben: 030 12345678"]))


class TestReadDocument:
    def test_good_letter_is_read_in_the_child(self) -> None:
        doc = read_document(GOOD, filename="good.pdf", settings=limited())
        assert doc.error is None
        assert doc.file == "good.pdf"
        assert len(doc.sha256) == 64
        assert [n.range.first for n in doc.numbers if n.role is Role.TRANSFER] == ["+493012345678"]
        assert doc.signature.present

    @pytest.mark.parametrize(
        ("data", "code"),
        [
            (b"hello, not a pdf", "not_pdf"),
            (pdfs.encrypted(), "encrypted"),
            (pdfs.zero_pages(), "no_pages"),
            (GOOD[: len(GOOD) // 2], "truncated"),
            (pdfs.damaged(), "damaged"),
            (pdfs.blank_pdf(7), "too_many_pages"),
        ],
        ids=["not_pdf", "encrypted", "no_pages", "truncated", "damaged", "too_many_pages"],
    )
    def test_hostile_file_gives_its_code(self, data: bytes, code: str) -> None:
        started = time.monotonic()
        doc = read_document(data, filename="x.pdf", settings=limited())
        assert doc.error is not None
        assert doc.error.code == code
        assert doc.error.message.endswith(".")
        assert doc.numbers == ()
        assert time.monotonic() - started < 10

    def test_owner_only_encryption_opens_normally(self) -> None:
        doc = read_document(pdfs.encrypted(user_password=""), filename="o.pdf", settings=limited())
        assert doc.error is None
        assert [n.range.first for n in doc.numbers] == ["+493012345678"]

    def test_too_large_is_refused_before_parsing(self) -> None:
        doc = read_document(
            GOOD, filename="big.pdf", settings=limited(max_file_bytes=len(GOOD) - 1)
        )
        assert doc.error is not None and doc.error.code == "too_large"

    def test_decompression_bomb_is_refused_before_parsing(self) -> None:
        bomb = hostile.content_bomb(1024)
        started = time.monotonic()
        doc = read_document(bomb, filename="bomb.pdf", settings=limited())
        assert doc.error is not None
        assert doc.error.code == "too_complex"
        assert time.monotonic() - started < 10

    def test_memory_limit_in_the_child(self) -> None:
        """With the content cap lifted, the same bomb meets RLIMIT_AS in the child."""
        bomb = hostile.content_bomb(1024)
        started = time.monotonic()
        doc = read_document(bomb, filename="bomb.pdf", settings=limited(max_content_bytes=1 << 40))
        assert doc.error is not None
        assert doc.error.code == "memory_limit"
        assert time.monotonic() - started < 20

    def test_time_limit_kills_the_child(self) -> None:
        started = time.monotonic()
        doc = read_document(
            GOOD, filename="slow.pdf", settings=limited(parse_timeout_seconds=0.001)
        )
        assert doc.error is not None and doc.error.code == "timeout"
        assert time.monotonic() - started < 6

    def test_children_are_reaped(self) -> None:
        for data in (GOOD, pdfs.zero_pages()):
            read_document(data, filename="x.pdf", settings=limited())
        read_document(GOOD, filename="x.pdf", settings=limited(parse_timeout_seconds=0.001))
        # every job's child was killed or ended, and the zygote reaped it (soon after
        # answering): what is left is at most the one spare, alive and waiting
        deadline = time.monotonic() + 5
        while len(_children(_zygote())) > 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        left = _children(_zygote())
        assert len(left) <= 1
        assert all(_state(pid) in "RS" for pid in left)

    def test_the_spare_serves_one_job_and_is_replaced(self) -> None:
        read_document(GOOD, filename="x.pdf", settings=limited())
        for _ in range(10):  # the spare takes a job once it has warmed up
            [spare] = _settled_children(_zygote())
            doc = read_document(GOOD, filename="x.pdf", settings=limited())
            assert doc.error is None
            after = _settled_children(_zygote())
            if spare not in after:
                break
        else:
            pytest.fail("no job was ever passed to the spare")
        assert len(after) == 1  # a new spare

    def test_a_killed_spare_is_replaced(self) -> None:
        read_document(GOOD, filename="x.pdf", settings=limited())
        [spare] = _settled_children(_zygote())
        os.kill(spare, signal.SIGKILL)
        doc = read_document(GOOD, filename="x.pdf", settings=limited())
        assert doc.error is None and doc.numbers
        assert spare not in _settled_children(_zygote())

    def test_a_dead_zygote_is_replaced(self) -> None:
        read_document(GOOD, filename="x.pdf", settings=limited())
        first = _zygote()
        os.kill(first, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while sandbox.zygote_pid() == first and time.monotonic() < deadline:
            time.sleep(0.05)
        doc = read_document(GOOD, filename="x.pdf", settings=limited())
        assert doc.error is None
        assert _zygote() != first

    def test_a_zygote_that_cannot_start_is_a_reason_not_an_exception(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        sandbox.shutdown()
        monkeypatch.setattr(sys, "executable", "/bin/false")
        try:
            doc = read_document(GOOD, filename="x.pdf", settings=limited())
        finally:
            monkeypatch.undo()
            sandbox.shutdown()
        assert doc.error is not None and doc.error.code == "damaged"
        assert "could not start" in doc.error.message
        assert read_document(GOOD, filename="x.pdf", settings=limited()).error is None


def test_a_child_ends_by_itself_when_nobody_kills_it() -> None:
    """The CPU-time backstop: a child whose zygote died still ends (SIGXCPU)."""
    script = "from parsers._zygote import _limit_cpu\n_limit_cpu(0.2)\nwhile True:\n    pass\n"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60, check=False)
    assert done.returncode == -signal.SIGXCPU
    assert time.monotonic() - started < 60


def test_the_cpu_limit_counts_from_the_time_already_used() -> None:
    """A spare's warm-up does not eat into its job's CPU allowance."""
    script = (
        "import resource, time\n"
        "from parsers._zygote import _limit_cpu\n"
        "end = time.process_time() + 1.2\n"
        "while time.process_time() < end:\n"
        "    pass\n"
        "_limit_cpu(0.2)\n"
        "print(resource.getrlimit(resource.RLIMIT_CPU)[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, timeout=60, check=True, capture_output=True
    )
    assert int(done.stdout) >= 3  # 1.2 s used + 0.2 s allowed, rounded up, plus one


def _zygote() -> int:
    pid = sandbox.zygote_pid()
    assert pid is not None
    return pid


def _children(pid: int) -> list[int]:
    """The live (or unreaped) children of ``pid``, from Linux's /proc."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def _state(pid: int) -> str:
    """A process's state letter from /proc (R running, S sleeping, Z zombie ...)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


def _settled_children(pid: int) -> list[int]:
    """The zygote's children once every job is reaped and the spare has warmed up
    (asleep, its CPU time standing still)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = _children(pid)
        if len(children) == 1 and all(
            _state(c) == "S" and _cpu_ticks(c) == _cpu_ticks(c, after=0.3) for c in children
        ):
            return children
        time.sleep(0.05)
    return _children(pid)


def _cpu_ticks(pid: int, *, after: float = 0.0) -> int:
    """User plus system CPU ticks of ``pid`` (after waiting ``after`` seconds); -1 if gone."""
    time.sleep(after)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1
    return int(fields[11]) + int(fields[12])


class TestSecrets:
    SECRETS: ClassVar[dict[str, str]] = {
        "PARTNERDESK_ZENDESK_TOKEN": "zendesk-token-value",
        "PARTNERDESK_WEBHOOK_SECRET": "w" * 40,
        "PARTNERDESK_APP_SECRET": "a" * 40,
        "PARTNERDESK_LINK_SECRET": "l" * 40,
        "ZENDESK_API_TOKEN": "t",
        "AWS_SECRET_ACCESS_KEY": "k",
        "PGPASSWORD": "p",
        "SOME_API_KEY": "k",
    }

    def test_environment_is_stripped(self) -> None:
        env = sandbox.child_environment({**self.SECRETS, "PATH": "/usr/bin", "LANG": "C"})
        assert not set(self.SECRETS) & set(env)
        assert env["PATH"] == "/usr/bin" and env["LANG"] == "C"
        assert not [n for n in env if re.search("TOKEN|SECRET|PASSWORD|KEY", n, re.I)]

    def test_the_running_child_has_no_secret(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name, value in self.SECRETS.items():
            monkeypatch.setenv(name, value)
        sandbox.shutdown()  # a fresh zygote, started with the secrets in our environment
        try:
            assert read_document(GOOD, filename="x.pdf", settings=limited()).error is None
            pid = _zygote()
            # every parsing child is a fork of the zygote and inherits this environment
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            names = {e.split(b"=", 1)[0].decode() for e in environ if e}
            values = b"\0".join(environ)
            assert "PATH" in names
            assert not set(self.SECRETS) & names
            assert not [v for v in self.SECRETS.values() if len(v) > 3 and v.encode() in values]
        finally:
            sandbox.shutdown()

    def test_settings_reach_the_child_without_secrets(self) -> None:
        env = {k: v for k, v in self.SECRETS.items() if k.startswith("PARTNERDESK_")}
        settings = load_settings(env=env)
        assert settings.zendesk.token.get_secret_value()  # the service has them
        clean = sandbox.redacted_settings(settings)
        assert clean.zendesk.token.get_secret_value() == ""
        assert clean.zendesk.webhook_secret.get_secret_value() == ""
        assert clean.app.shared_secret.get_secret_value() == ""
        assert clean.scheduling.link_secret.get_secret_value() == ""
        assert clean.limits == settings.limits and clean.ocr == settings.ocr

    def test_settings_are_redacted_once_per_settings_object(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        made: list[Settings] = []
        real = sandbox.redacted_settings
        monkeypatch.setattr(sandbox, "redacted_settings", lambda s: made.append(s) or real(s))
        env = {k: v for k, v in self.SECRETS.items() if k.startswith("PARTNERDESK_")}
        first, second = load_settings(env=env), load_settings(env=env)
        clean = sandbox._child_settings(first)
        assert sandbox._child_settings(first) is clean and made == [first]
        assert clean.zendesk.token.get_secret_value() == ""
        assert sandbox._child_settings(second) is not clean and made == [first, second]


# Internal modules of multiprocessing (everything but its documented public modules).
_PUBLIC_MP = {"connection", "managers", "pool", "shared_memory", "sharedctypes", "dummy"}
_PRIVATE_NAMES = re.compile(
    r"\b(popen_(fork|spawn|forkserver)\w*|_launch|set_spawning_popen|get_preparation_data|"
    r"set_forkserver_preload|forkserver|ForkServerProcess|resource_tracker)\b"
)


def test_no_private_multiprocessing_name_is_used() -> None:
    """The sandbox stands on public APIs only: no multiprocessing internals anywhere."""
    offenders: list[str] = []
    for package in ("parsers", "handlers", "integration", "config"):
        for path in (ROOT / package).rglob("*.py"):
            source = path.read_text()
            for node in ast.walk(ast.parse(source)):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [f"{node.module}.{a.name}" for a in node.names]
                for name in names:
                    parts = name.split(".")
                    private = len(parts) > 1 and parts[1] not in _PUBLIC_MP
                    if parts[0] == "multiprocessing" and private and parts[1][:1].islower():
                        offenders.append(f"{path.relative_to(ROOT)}: {name}")
            code = "\n".join(
                line for line in source.splitlines() if not line.lstrip().startswith("#")
            )
            if "multiprocessing" in code and _PRIVATE_NAMES.search(code):
                offenders.append(f"{path.relative_to(ROOT)}: {_PRIVATE_NAMES.search(code)}")
    assert offenders == []


def _zygote_script(warm_up_seconds: float, *, spare_dies: bool = False) -> str:
    """A zygote whose spare warms up for ``warm_up_seconds`` (and, with ``spare_dies``,
    is killed right after the job reaches it), and whose jobs echo their pid."""
    return (
        "import os, signal, sys, time, types, socket\n"
        "fake = types.ModuleType('parsers._preload')\n"
        f"fake.warm_up = lambda: time.sleep({warm_up_seconds})\n"
        "sys.modules['parsers._preload'] = fake\n"
        "from parsers import _zygote\n"
        "_zygote.TASKS['echo'] = lambda **kw: {'pid': os.getpid()}\n"
        "zygote, real = os.getpid(), socket.recv_fds\n"
        "def recv_fds(*args):\n"
        "    got = real(*args)\n"
        f"    if {spare_dies} and os.getpid() != zygote:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return got\n"
        "socket.recv_fds = recv_fds\n"
        "_zygote._Zygote(socket.socket(fileno=int(sys.argv[1]))).run()\n"
    )


def _echo_job(control: object) -> int:
    """Send one echo job to a zygote; the pid of the child that answered."""
    import json
    import pickle
    import socket

    from parsers._frames import FRAME_JSON, FRAME_REQUEST, read_frame, write_frame

    assert isinstance(control, socket.socket)
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with mine:
        socket.send_fds(control, [b'{"timeout": 20}'], [theirs.fileno()])
        theirs.close()
        write_frame(mine, FRAME_REQUEST, pickle.dumps(("echo", {"settings": limited()})))
        mine.settimeout(20)
        frame = read_frame(mine, max_bytes=1 << 20)
    assert frame is not None and frame[0] == FRAME_JSON
    return int(json.loads(frame[1])["pid"])


@pytest.mark.parametrize(
    ("warm_up_seconds", "spare_dies"),
    [(0.0, False), (30.0, False), (0.0, True)],
    ids=["ready", "warming", "dies_with_the_job"],
)
def test_a_job_goes_to_a_ready_spare_and_never_waits_for_a_warming_one(
    warm_up_seconds: float, spare_dies: bool
) -> None:
    """A ready spare serves the job; a warming one is ended and a fork serves it; a spare
    that dies before it took the job leaves it to a fresh fork (not to "damaged")."""
    import socket

    script = _zygote_script(warm_up_seconds, spare_dies=spare_dies)
    control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    zygote = subprocess.Popen(
        [sys.executable, "-c", script, str(theirs.fileno())],
        pass_fds=(theirs.fileno(),),
        cwd=ROOT,
    )
    theirs.close()
    try:
        first = _echo_job(control)  # the first spare is forked after the first job
        deadline = time.monotonic() + 30
        while _children(zygote.pid) in ([], [first]) and time.monotonic() < deadline:
            time.sleep(0.02)
        [spare] = _children(zygote.pid)
        time.sleep(0.3)  # long enough for the quick spare to report that it is ready
        started = time.monotonic()
        answered_by = _echo_job(control)
        assert time.monotonic() - started < 10
        if warm_up_seconds or spare_dies:
            assert answered_by != spare  # a fresh fork answered ...
            deadline = time.monotonic() + 5  # ... and the warming spare was ended
            while Path(f"/proc/{spare}").exists() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert not Path(f"/proc/{spare}").exists()
        else:
            assert answered_by == spare
    finally:
        control.close()  # EOF: the zygote ends its children and exits
        zygote.wait(10)
