"""Webhook acknowledgements per second and p50/p99 latency on loopback.

Two servers run side by side in this run, each under a real uvicorn in its own
process: ``partnerdesk serve``'s app (signature check, delivery stored durably in SQLite
WAL, id enqueued on the SQLite huey queue, then 202; the in-process worker is off so
only the acknowledgement path is measured) and a bare FastAPI endpoint that answers 202
without doing anything. The same client drives both with a fixed concurrency and a
bounded number of requests; the ratio is what the durable path costs.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

REQUESTS = 1500
CONCURRENCY = 8
WARMUP = 100
SECRET = "bench-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(kind: str, port: int, data_dir: str) -> None:
    import uvicorn
    from fastapi import FastAPI

    from integration.logs import configure_logging

    configure_logging(fmt="json", level="WARNING")  # per-request info lines would dominate
    from fastapi.responses import JSONResponse

    if kind == "bare":
        app = FastAPI()

        @app.post("/webhooks/zendesk")
        async def bare() -> JSONResponse:
            return JSONResponse({"status": "queued"}, status_code=202)

        target: object = app
    else:
        from config.settings import load_settings
        from integration.commands.serve import build_service

        settings = load_settings(
            env={"PARTNERDESK_DATA_DIR": data_dir, "PARTNERDESK_WEBHOOK_SECRET": SECRET}
        )
        target = build_service(settings, worker=False)
    uvicorn.run(target, host="127.0.0.1", port=port, log_level="error", access_log=False)  # type: ignore[arg-type]


def _start(kind: str, data_dir: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.bench.webhook",
            "--serve",
            kind,
            "--port",
            str(port),
            "--data-dir",
            data_dir,
        ],
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code in (200, 404):
                return proc, port
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the {kind} server did not start")


_SEQUENCE = itertools.count()


def _signed(i: int) -> tuple[bytes, dict[str, str]]:
    from integration.web.signature import sign

    # a fresh ticket per request: the same signed body twice would be a replay (duplicate)
    body = json.dumps({"ticket_id": str(100_000 + next(_SEQUENCE))}).encode()
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return body, {
        "content-type": "application/json",
        "x-zendesk-webhook-signature-timestamp": when,
        "x-zendesk-webhook-signature": sign(SECRET, when, body),
        "x-zendesk-webhook-invocation-id": f"bench-{os.getpid()}-{time.time_ns()}-{i}",
    }


def _load(port: int, n: int, concurrency: int) -> tuple[float, list[float]]:
    """``concurrency`` threads, each on one keep-alive connection (http.client is far
    lighter than an async client, so the client steals less CPU from the server)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(n))
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                body, headers = _signed(i)
                t0 = time.perf_counter()
                conn.request("POST", "/webhooks/zendesk", body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                elapsed = time.perf_counter() - t0
                if resp.status != 202:
                    errors.append(f"HTTP {resp.status}")
                    return
                with lock:
                    latencies.append(elapsed)
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"unexpected answers: {errors[:3]}")
    return time.perf_counter() - started, latencies


def _measure(kind: str, data_dir: str) -> tuple[float, float, float, int]:
    proc, port = _start(kind, data_dir)
    try:
        _load(port, WARMUP, CONCURRENCY)
        elapsed, lat = _load(port, REQUESTS, CONCURRENCY)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    lat.sort()
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
    return len(lat) / elapsed, p50, p99, len(lat)


def _stored(data_dir: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{Path(data_dir) / 'partnerdesk.db'}")
    with engine.connect() as conn:
        count = int(conn.execute(text("SELECT count(*) FROM deliveries")).scalar_one())
    engine.dispose()
    return count


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="pd-bench-") as data_dir:
        bare = _measure("bare", data_dir)
        hook = _measure("webhook", data_dir)
        stored = _stored(data_dir)
    expected = REQUESTS + WARMUP
    return [
        f"loopback, uvicorn 1 process each, {CONCURRENCY} concurrent clients, {REQUESTS} requests after {WARMUP} warm-up",
        f"bare FastAPI 202:        {bare[0]:7.0f} req/s  p50 {bare[1]:6.2f} ms  p99 {bare[2]:6.2f} ms",
        f"signed webhook, stored:  {hook[0]:7.0f} req/s  p50 {hook[1]:6.2f} ms  p99 {hook[2]:6.2f} ms",
        f"webhook/bare throughput ratio: {hook[0] / bare[0]:.2f}; p99 {'under' if hook[2] < 50 else 'OVER'} the 50 ms aim",
        f"deliveries stored durably: {stored} of {expected}",
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=["bare", "webhook"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    if args.serve:
        _serve(args.serve, args.port, args.data_dir)
    else:
        for line in run():
            print(line)
