"""Benchmark: comparing two ~20 MB JSON response bodies (app.core.compare), time and peak memory.

    .venv/bin/python tests/bench/bench_compare.py [--mb 20] [--changes 1000]

Builds an array of order objects of about --mb MB, changes --changes of them in the copy, and compares the two
exchanges the way the CLI and the window do (redaction of both sides included). Peak memory is tracemalloc's
(Python allocations) and the process's max RSS. No goal is stated: the table shows the figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from app.core.catalog import load_default_catalog  # noqa: E402
from app.core.compare import compare  # noqa: E402
from app.core.diagnosis import diagnose  # noqa: E402
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing  # noqa: E402
from table import Figure, report  # noqa: E402


def bodies(mb: float, changes: int) -> tuple[bytes, bytes]:
    item = {"id": 0, "item": "coffee", "quantity": 2, "tags": ["hot", "large"], "customer": {"name": "Ada", "x": 1.5}}
    size = len(json.dumps(item)) + 2
    n = int(mb * 1024 * 1024 / size)
    old = [dict(item, id=i) for i in range(n)]
    new = [dict(o) for o in old]
    step = max(1, n // max(1, changes))
    for i in range(0, n, step)[:changes]:
        new[i] = dict(new[i], quantity=3)
    return json.dumps(old).encode(), json.dumps(new).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--changes", type=int, default=1000)
    args = parser.parse_args(argv)
    a, b = bodies(args.mb, args.changes)
    catalog = load_default_catalog()
    json_type = (("Content-Type", "application/json"),)

    def diag(body: bytes):
        ex = Exchange(HttpRequest("GET", "http://h/orders"), HttpResponse(200, "OK", headers=json_type, body=body),
                      Timing(total=0.5))
        return diagnose(ex, catalog, 0.0)

    da, db = diag(a), diag(b)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = compare(da, db, now=0.0)
    seconds = time.perf_counter() - started  # timed without tracemalloc (it slows allocation-heavy code ~5x)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    compare(da, db, now=0.0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"bodies: {len(a) / 2**20:.1f} MB and {len(b) / 2**20:.1f} MB; {result.body.total_changes} JSON changes")
    print(f"compare: {seconds:.2f} s; peak Python allocations {peak / 2**20:.0f} MB (second run, tracemalloc); "
          f"max RSS {rss / 1024:.0f} MB (before: {rss_before / 1024:.0f} MB)")
    print(f"summary: {result.summary}")
    label = f"compare two {args.mb:g} MB JSON bodies"
    note = f"{result.body.total_changes} JSON changes"
    print()
    report([Figure(label, seconds, "s", note=note),
            Figure(f"{label}: peak Python allocations", peak / 2**20, "MB", note="tracemalloc, second run"),
            Figure(f"{label}: max RSS", rss / 1024, "MB", note=f"whole process; {rss_before / 1024:.0f} MB before")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
