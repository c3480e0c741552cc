"""Benchmark: one send + diagnose inside a running process (no interpreter start-up), on the practice server.

    .venv/bin/python tests/bench/bench_diagnose.py [--runs 10]

The figure is the median time of ``Transport.send`` + ``diagnose`` of ``/status/415`` on loopback with a warm client
(what the window pays per request after the first), next to the same request with a warm plain ``httpx.AsyncClient``
without keep-alive (a fresh connection per request, as the app opens; the floor: no diagnosis, trace or body caps). Whole-process figures (`request-inspector diagnose` vs a plain
httpx script, `triage` vs a plain json script, curl) are in tests/bench/bench_cli.py.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402

from app.core.catalog import load_default_catalog  # noqa: E402
from app.core.diagnosis import diagnose  # noqa: E402
from app.core.models import HttpRequest  # noqa: E402
from app.demo.server import DemoServerThread  # noqa: E402
from app.net.transport import Transport  # noqa: E402
from table import Figure, report  # noqa: E402


async def measure(url: str, runs: int) -> tuple[list[float], list[float]]:
    """Interleaved: ours (send + diagnose) and a plain AsyncClient GET, each with its first, client-building send
    left out."""
    catalog = load_default_catalog()
    transport = Transport()
    plain = httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0))
    ours, base = [], []
    try:
        for n in range(runs + 1):
            t0 = time.perf_counter()
            ex = await transport.send(HttpRequest("GET", url))
            diagnose(ex, catalog, time.time())
            t1 = time.perf_counter()
            r = await plain.get(url)
            r.read()
            t2 = time.perf_counter()
            if n:
                ours.append((t1 - t0) * 1000)
                base.append((t2 - t1) * 1000)
    finally:
        await transport.aclose()
        await plain.aclose()
    return ours, base


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    server = DemoServerThread(rate_limit=1_000_000, rate_window=60.0)
    url = server.start() + "/status/415"
    try:
        ours, base = asyncio.run(measure(url, args.runs))
    finally:
        server.stop()
    report([Figure("send + diagnose in-process (warm client)", statistics.median(ours), "ms",
                   statistics.median(base), "plain httpx.AsyncClient GET, no keep-alive",
                   note=f"median of {args.runs} interleaved sends of {url}")])


if __name__ == "__main__":
    main()
