"""Benchmark: a big HAR file through triage (load_triage: detect, parse, diagnose every entry) and parse_har alone.

    .venv/bin/python tests/bench/bench_har.py [--entries 200000]

Writes a HAR of small entries (about 64 MB for 200,000) to a temp file, then in a fresh child process per step
measures wall time and peak memory (max RSS minus the process's RSS before the step).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def write_har(path: str, entries: int) -> int:
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": [\n')
        for i in range(entries):
            status = 429 if i % 50 == 0 else 200
            entry = {
                "startedDateTime": "2024-05-14T09:30:00.000Z", "time": 12.5,
                "request": {"method": "POST", "url": f"https://api.example.com/orders/{i}",
                            "headers": [{"name": "Content-Type", "value": "application/json"}],
                            "postData": {"text": '{"sku":"A-1"}'}},
                "response": {"status": status, "headers": [{"name": "Retry-After", "value": "30"}],
                             "content": {"size": 11, "text": '{"ok":true}'}},
                "timings": {"wait": 11}}
            f.write(("," if i else "") + json.dumps(entry, separators=(",", ":")) + "\n")
        f.write("]}}\n")
    return os.path.getsize(path)


def _rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _step(step: str, path: str, out: mp.Queue) -> None:
    from app.core.catalog import load_default_catalog
    from app.core.formats.errors import FormatError
    from app.core.formats.har import parse_har
    from app.core.triage import load_triage

    catalog = load_default_catalog()
    data = Path(path).read_bytes()
    before = _rss_kib()
    t0 = time.perf_counter()
    try:
        if step == "parse_har":
            result = f"{len(parse_har(data).entries):,} entries"
        else:
            result = f"{len(load_triage(data, 'big.har', catalog, time.time()).rows):,} rows"
    except FormatError as exc:
        result = f"refused: {exc}"
    out.put((time.perf_counter() - t0, (_rss_kib() - before) / 1024, result))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=200_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.har")
        size = write_har(path, args.entries)
        print(f"HAR: {args.entries:,} entries, {size / 1e6:.1f} MB")
        for step in ("parse_har", "load_triage"):
            ctx = mp.get_context("spawn")  # a fresh interpreter per step: peak memory is the step's own
            q = ctx.Queue()
            p = ctx.Process(target=_step, args=(step, path, q))
            p.start()
            secs, mib, result = q.get()
            p.join()
            print(f"{step:12s} {secs:7.2f} s  +{mib:,.0f} MiB peak  {result}")


if __name__ == "__main__":
    main()
