"""Benchmark: 1 GB received through the app's own transport vs a plain httpx script keeping the body, and peak RSS.

    .venv/bin/python tests/bench/bench_receive.py [--runs 3] [--mb 1000]

A tiny loopback server (its own process, one thread per connection) answers ``GET /N`` with N bytes and a
Content-Length, sent from one 1 MiB buffer, so the server is never what limits the speed. Each run starts a fresh
client process:

- ours: ``app.net.transport.Transport(temp_dir).send(GET)`` with the default SendOptions, exactly what the window
  and the CLI use: the body is kept in memory up to 4 MiB, then the whole of it goes to a temp file (``body_path``);
- baseline: the plainest httpx script that keeps the body: ``with httpx.stream("GET", url) as r`` writing each piece
  of ``r.iter_bytes()`` to a file.

Both are timed inside the child from before the client is built until the body is complete and its file closed
(interpreter start and imports are not part of "receiving"); the child also reports its peak RSS (VmHWM). The runs
alternate ours/baseline so both see the same machine load; the figures are medians. Bodies are deleted after each run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from children import compile_app, user_env  # noqa: E402
from table import Figure, report  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

SERVER = r"""
import socket, sys, threading
BUF = memoryview(bytes(range(256)) * 4096)  # 1 MiB

def serve(conn):
    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            got = conn.recv(65536)
            if not got:
                return
            head += got
        path = head.split(b" ", 2)[1].decode()
        n = int(path.strip("/").split("?")[0] or 0)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % n)
        left = n
        try:
            while left > 0:
                piece = BUF if left >= len(BUF) else BUF[:left]
                conn.sendall(piece)
                left -= len(piece)
        except OSError:
            pass

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen(16)
print(sock.getsockname()[1], flush=True)
while True:
    c, _ = sock.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
"""

OURS = r"""
import asyncio, json, os, sys, time
url, n, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
from app.core.models import HttpRequest
from app.net.transport import Transport

async def main():
    t0 = time.perf_counter()
    transport = Transport(temp_dir=tmp)
    try:
        ex = await transport.send(HttpRequest("GET", url))
    finally:
        await transport.aclose()
    seconds = time.perf_counter() - t0
    r = ex.response
    ok = (ex.error is None and r is not None and r.decoded_bytes == n and r.body_path is not None
          and os.path.getsize(r.body_path) == n)
    if r is not None and r.body_path:
        os.unlink(r.body_path)
    return seconds, ok, (ex.error.message if ex.error else "")

seconds, ok, error = asyncio.run(main())
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "ok": ok, "error": error, "hwm_kib": hwm}))
"""

BASELINE = r"""
import json, os, sys, time
url, n, tmp = sys.argv[1], int(sys.argv[2]), sys.argv[3]
import httpx

t0 = time.perf_counter()
path = os.path.join(tmp, "body.bin")
with httpx.stream("GET", url) as r, open(path, "wb") as f:
    for piece in r.iter_bytes():
        f.write(piece)
seconds = time.perf_counter() - t0
ok = os.path.getsize(path) == n
os.unlink(path)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"seconds": seconds, "ok": ok, "error": "", "hwm_kib": hwm}))
"""


def child(code: str, url: str, n: int, tmp: str) -> dict:
    env = user_env()
    out = subprocess.run([sys.executable, "-c", code, url, str(n), tmp], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=600)
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        raise SystemExit(f"a receiving run failed:\n{out.stderr[-2000:]}")
    result = json.loads(lines[-1])
    if not result["ok"]:
        raise SystemExit(f"a receiving run did not get the whole body: {result}")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mb", type=int, default=1000, help="body size in MB (10^6 bytes); 1000 = 1 GB")
    args = ap.parse_args(argv)
    n = args.mb * 1_000_000
    compile_app()
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{server.stdout.readline().strip()}/{n}"
        runs: dict[str, list[dict]] = {"ours": [], "baseline": []}
        with tempfile.TemporaryDirectory(prefix="bench-receive-") as tmp:
            for i in range(args.runs):  # alternate, so both see the same machine load
                order = ("ours", "baseline") if i % 2 == 0 else ("baseline", "ours")
                for kind in order:
                    runs[kind].append(child(OURS if kind == "ours" else BASELINE, url, n, tmp))
    finally:
        server.kill()
        server.wait()
    for kind, results in runs.items():
        secs = ", ".join(f"{r['seconds']:.2f}" for r in results)
        rss = ", ".join(f"{r['hwm_kib'] / 1024:.0f}" for r in results)
        print(f"{kind:8s} seconds: {secs}   peak RSS MB: {rss}")
    ours_s = statistics.median(r["seconds"] for r in runs["ours"])
    base_s = statistics.median(r["seconds"] for r in runs["baseline"])
    ours_rss = statistics.median(r["hwm_kib"] for r in runs["ours"]) / 1024
    base_rss = statistics.median(r["hwm_kib"] for r in runs["baseline"]) / 1024
    size = f"{args.mb / 1000:g} GB" if args.mb >= 1000 else f"{args.mb} MB"
    spread = max(r["seconds"] for r in runs["ours"]) - min(r["seconds"] for r in runs["ours"])
    report([
        Figure(f"{size} received", ours_s, "s", base_s, "plain httpx script keeping the body", max_ratio=1.0,
               note=f"median of {args.runs}, fresh process each, interleaved; ours spread {spread:.2f} s"),
        Figure(f"peak RSS while receiving {size}", ours_rss, "MB", base_rss, "plain httpx script", max_value=200,
               note="VmHWM of the whole client process"),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
