"""Benchmark: a 100 MB HAR opened in the window, and a HAR of many small entries through parse_har and triage.

    .venv/bin/python tests/bench/bench_har.py [--runs 3] [--mb 100] [--entries 200000]

1. "100 MB HAR listed": a browser-like HAR of about --mb MB (API JSON, HTML, scripts, base64 images, some 429 and
   404 answers: about 1,900 entries for 100 MB) is opened in the main window (offscreen, fresh process per run,
   through ``workspace.importing.open_capture`` as File → Open does). Seconds from the open to the list filled and the
   first entry shown (HarView.loaded; goal < 2 s), and the longest gap of a 10 ms QTimer meanwhile (goal < 50 ms):
   median of --runs. The window part runs in tests/bench/bench_gui_gaps.py's child.
2. A HAR of --entries small entries (about 75 MB for 200,000; 0 skips it): in a fresh child process per step, wall
   time and peak memory (max RSS minus the process's RSS before the step) of parse_har and of load_triage (detect,
   parse, diagnose every entry). No goal: these print how far the reader is from the worst shape of file.
"""

from __future__ import annotations

import argparse
import base64
import json
import multiprocessing as mp
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from children import compile_app  # noqa: E402
from table import Figure, report  # noqa: E402


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


def write_browser_har(path: str, mb: float) -> int:
    """A HAR shaped like a browser's export of a few minutes on a web shop, about ``mb`` MB; returns the entry count."""
    rnd = random.Random(1)
    api = json.dumps({"items": [{"id": i, "name": f"item {i}", "price": 12.5} for i in range(40)]})
    html = ("<!doctype html><html><body>" + "<div class='row'><p>Some page text here</p></div>\n" * 600
            + "</body></html>")
    script = "function add(a, b) { return a + b }\n" * 5500
    image = base64.b64encode(rnd.randbytes(60_000)).decode()
    kinds = [("GET", "/api/orders", 200, "application/json", api, None),
             ("GET", "/index.html", 200, "text/html", html, None),
             ("GET", "/static/app.js", 200, "application/javascript", script, None),
             ("GET", "/img/photo.png", 200, "image/png", image, "base64"),
             ("POST", "/api/orders", 429, "application/json", '{"error": "too many requests"}', None),
             ("GET", "/api/user/7", 404, "application/json", '{"message": "Not Found"}', None)]
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": [\n')
        while f.tell() < mb * 1_000_000:
            method, p, status, ctype, text, encoding = kinds[n % len(kinds)]
            content = {"size": len(text), "mimeType": ctype, "text": text}
            if encoding:
                content["encoding"] = encoding
            entry = {
                "startedDateTime": "2024-05-14T09:30:00.000Z", "time": 12.5,
                "request": {"method": method, "url": f"https://shop.example.com{p}?n={n}", "httpVersion": "HTTP/1.1",
                            "headers": [{"name": "Accept", "value": "*/*"},
                                        {"name": "User-Agent", "value": "Mozilla/5.0"}],
                            "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0},
                "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                             "headers": [{"name": "Content-Type", "value": ctype},
                                         {"name": "Content-Length", "value": str(len(text))}],
                             "cookies": [], "content": content, "redirectURL": "", "headersSize": -1,
                             "bodySize": len(text)},
                "cache": {}, "timings": {"send": 0.1, "wait": 11, "receive": 1.4}}
            f.write(("," if n else "") + json.dumps(entry) + "\n")
            n += 1
        f.write("]}}\n")
    return n


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


def window_listing(path: str, runs: int) -> list[dict]:
    from bench_gui_gaps import window_child

    compile_app()
    results = []
    for i in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-har-") as home:
            r = window_child(["har", "--har", path], home)
        if not r["ok"]:
            raise SystemExit(f"the window could not open the HAR: {r['summary']}")
        results.append(r)
        print(f"window run {i + 1}: listed {r['rows']:,} entries in {r['seconds']:.2f} s, "
              f"worst gap {r['worst_ms']:.0f} ms, median gap {r['median_ms']:.1f} ms", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="window runs for the 100 MB HAR (0 skips them)")
    ap.add_argument("--mb", type=float, default=100, help="size of the browser-like HAR opened in the window")
    ap.add_argument("--entries", type=int, default=200_000, help="small entries for parse_har/load_triage (0 skips)")
    args = ap.parse_args(argv)
    rows: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.runs > 0:
            path = os.path.join(tmp, "browser.har")
            count = write_browser_har(path, args.mb)
            size = os.path.getsize(path) / 1e6
            print(f"browser-like HAR: {count:,} entries, {size:.1f} MB", flush=True)
            results = window_listing(path, args.runs)
            secs = [r["seconds"] for r in results]
            gaps = [r["worst_ms"] for r in results]
            note = f"median of {args.runs} fresh windows; {count:,} entries"
            rows.append(Figure(f"{size:.0f} MB HAR listed ({count:,} entries)", statistics.median(secs), "s",
                               max_value=2, note=note + "; runs " + ", ".join(f"{x:.2f}" for x in secs) + " s"))
            rows.append(Figure(f"GUI loop gap while a {size:.0f} MB HAR is listed", statistics.median(gaps), "ms",
                               max_value=50, note=note + "; each run's worst " + ", ".join(f"{x:.0f}" for x in gaps)))
        if args.entries > 0:
            path = os.path.join(tmp, "big.har")
            size = write_har(path, args.entries)
            print(f"HAR of small entries: {args.entries:,} entries, {size / 1e6:.1f} MB", flush=True)
            for step in ("parse_har", "load_triage"):
                ctx = mp.get_context("spawn")  # a fresh interpreter per step: peak memory is the step's own
                q = ctx.Queue()
                p = ctx.Process(target=_step, args=(step, path, q))
                p.start()
                secs, mib, result = q.get()
                p.join()
                print(f"{step:12s} {secs:7.2f} s  +{mib:,.0f} MiB peak  {result}", flush=True)
                label = f"{step} of a {size / 1e6:.0f} MB HAR, {args.entries:,} small entries"
                rows.append(Figure(label, secs, "s", note=result))
                rows.append(Figure(f"memory of {label}", mib, "MB", note="max RSS growth during the step"))
    report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
