"""Benchmark: `request-inspector diagnose` vs `curl` on the same practice-server URL (whole processes, same run).

    .venv/bin/python tests/bench/bench_diagnose.py [--runs 10]

Prints the median wall time of each, and of the in-process send+diagnose (no interpreter start-up).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.core.catalog import load_default_catalog  # noqa: E402
from app.core.diagnosis import diagnose  # noqa: E402
from app.core.models import HttpRequest  # noqa: E402
from app.demo.server import DemoServerThread  # noqa: E402
from app.net.transport import Transport  # noqa: E402


def timed(cmd: list[str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        out.append(time.perf_counter() - t0)
    return out


def in_process(url: str, runs: int) -> list[float]:
    catalog = load_default_catalog()

    async def go() -> list[float]:
        transport = Transport()
        times = []
        try:
            for _ in range(runs):
                t0 = time.perf_counter()
                ex = await transport.send(HttpRequest("GET", url))
                diagnose(ex, catalog, time.time())
                times.append(time.perf_counter() - t0)
        finally:
            await transport.aclose()
        return times

    return asyncio.run(go())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    server = DemoServerThread(rate_limit=10_000)
    base = server.start()
    url = f"{base}/status/415"
    try:
        exe = Path(sys.executable).with_name("request-inspector")
        ri = timed([str(exe), "diagnose", url], args.runs)
        ri_json = timed([str(exe), "diagnose", "--json", url], args.runs)
        rows = [("request-inspector diagnose", ri), ("request-inspector diagnose --json", ri_json)]
        if shutil.which("curl"):
            rows.append(("curl -s", timed(["curl", "-s", url], args.runs)))
        warm = in_process(url, args.runs + 1)[1:]  # first send pays client creation
        rows.append(("in-process send + diagnose (warm client)", warm))
        print(f"URL {url}, {args.runs} runs each, median / min / max in ms")
        for name, values in rows:
            print(f"  {name:<42} {statistics.median(values) * 1000:8.1f} {min(values) * 1000:8.1f} {max(values) * 1000:8.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
