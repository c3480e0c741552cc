"""Benchmark: the raw HTTP reader on hostile pastes (many headers, many interim responses, long folded headers).

    .venv/bin/python tests/bench/bench_raw_http.py [--timeout 20]

Each case runs in a child process with a deadline, so a quadratic reader shows as "> 20 s" instead of hanging;
prints seconds per case and what the reader answered (parsed, or the sentence it refused with). The table has one
row, the slowest case: a case that reached the deadline shows the deadline and misses the goal (finishing under it;
the linear reader takes well under a second).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from table import Figure, report  # noqa: E402


def many_headers(n: int) -> bytes:
    return b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(n)) + b"\r\nbody"


def many_interim(n: int) -> bytes:
    return b"HTTP/1.1 100 Continue\r\n\r\n" * n + b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


def long_fold(n: int) -> bytes:
    return b"HTTP/1.1 200 OK\r\nX-Folded: a\r\n" + b" b\r\n" * n + b"\r\n"


def request_then_many_headers(n: int) -> bytes:
    return (b"POST /orders HTTP/1.1\r\nHost: api.example.com\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(n))
            + b"Content-Length: 2\r\n\r\n{}\r\n" + many_headers(n))


CASES = {
    "9,000 headers": (many_headers, 9_000),
    "40,000 headers": (many_headers, 40_000),
    "200,000 headers": (many_headers, 200_000),
    "50,000 interim 100 Continue": (many_interim, 50_000),
    "9,000 folded header lines": (long_fold, 9_000),
    "100,000 folded header lines": (long_fold, 100_000),
    "request + response, 9,000 headers each": (request_then_many_headers, 9_000),
    "request + response, 40,000 headers each": (request_then_many_headers, 40_000),
}


def _run(name: str, out: mp.Queue) -> None:
    from app.core.formats.errors import FormatError
    from app.core.formats.raw_http import parse_raw

    make, n = CASES[name]
    data = make(n)
    t0 = time.perf_counter()
    try:
        parse_raw(data)
        answer = "parsed"
    except FormatError as exc:
        answer = f"refused: {exc}"
    out.put((time.perf_counter() - t0, len(data), answer))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=20.0)
    args = ap.parse_args(argv)
    rows = []
    for name in CASES:
        q: mp.Queue = mp.Queue()
        p = mp.Process(target=_run, args=(name, q))
        p.start()
        p.join(args.timeout)
        if p.is_alive():
            p.kill()
            p.join()
            print(f"{name:42s} > {args.timeout:.0f} s (stopped)")
            rows.append(Figure(name, args.timeout, "s", note="stopped at the deadline"))
            continue
        secs, size, answer = q.get()
        print(f"{name:42s} {secs:8.3f} s  ({size / 1e6:.1f} MB)  {answer[:90]}")
        rows.append(Figure(name, secs, "s", note=f"{size / 1e6:.1f} MB; {answer[:60]}"))
    slowest = max(rows, key=lambda f: f.ours)
    print()
    report([Figure(f"raw HTTP reader, slowest of {len(rows)} hostile pastes", slowest.ours, "s",
                   max_value=args.timeout, note=f"{slowest.figure}: {slowest.note}")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
