"""Frames on a sandbox job's socket: ``kind (1 byte) + length (8 bytes) + payload``.

Shared by the service side (``parsers.sandbox``) and the zygote (``parsers._zygote``).
"""

from __future__ import annotations

import socket
import struct

__all__ = [
    "FRAME_BYTES",
    "FRAME_EXIT",
    "FRAME_JSON",
    "FRAME_READY",
    "FRAME_REQUEST",
    "HEADER",
    "read_frame",
    "write_frame",
]

HEADER = struct.Struct(">cQ")
FRAME_JSON = b"J"  # child -> service: a JSON document
FRAME_BYTES = b"B"  # child -> service: raw bytes (a PNG)
FRAME_EXIT = b"X"  # zygote -> service: {"status": exit code or -signal, "timed_out": bool}
FRAME_REQUEST = b"Q"  # service -> child: pickle of (task, kwargs)
FRAME_READY = b"ready"  # zygote -> service on the control channel, once pre-imported


def write_frame(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(HEADER.pack(kind, len(payload)))
    sock.sendall(payload)


def _read_exact(sock: socket.socket, n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(min(n - len(buf), 1 << 20))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def read_frame(sock: socket.socket, *, max_bytes: int) -> tuple[bytes, bytes] | None:
    """The next frame, or None at EOF; ValueError when it announces more than max_bytes."""
    head = _read_exact(sock, HEADER.size)
    if head is None:
        return None
    kind, length = HEADER.unpack(head)
    if length > max_bytes:
        raise ValueError(f"frame of {length} bytes exceeds {max_bytes}")
    payload = _read_exact(sock, length)
    if payload is None:
        return None
    return kind, payload
