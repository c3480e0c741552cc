"""Benchmark: load time, memory and match time of a 10 MB OpenAPI document with thousands of operations.

    .venv/bin/python tests/bench/bench_openapi.py [--mb 10] [--yaml]

The document is generated (GitHub's vendored description, its paths copied under distinct prefixes until the JSON
is --mb MB), so the figures do not depend on a download. Prints: size, operations, parse+index time, peak traced
memory and RSS growth, the median time to match one request and to explain one exchange. No goal is stated: the
table shows the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from app.core.models import HttpRequest, HttpResponse  # noqa: E402
from app.core.openapi.catalog import OpenApiCatalog  # noqa: E402
from table import Figure, report  # noqa: E402


def big_document(mb: float) -> dict:
    doc = json.loads(gzip.decompress((ROOT / "tests/data/openapi/github.json.gz").read_bytes()))
    paths = dict(doc["paths"])
    size, copy = len(json.dumps(doc)), 0
    while size < mb * 1_000_000:
        copy += 1
        for template, item in list(paths.items()):
            doc["paths"][f"/copy{copy}{template}"] = item
        size = len(json.dumps(doc))
    return doc


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--yaml", action="store_true", help="serialise as YAML instead of JSON (much slower to parse)")
    args = parser.parse_args(argv)
    doc = big_document(args.mb)
    if args.yaml:
        import yaml

        data, name = yaml.dump(doc, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)).encode(), "big.yaml"
    else:
        data, name = json.dumps(doc).encode(), "big.json"
    del doc
    rss_before = rss_mib()
    start = time.perf_counter()
    catalog = OpenApiCatalog.from_bytes(data, name)
    load = time.perf_counter() - start
    rss_after = rss_mib()
    tracemalloc.start()
    OpenApiCatalog.from_bytes(data, name)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    ops = catalog.operations
    urls = [(op.method, "https://api.github.com" + op.template.replace("{", "x").replace("}", "")) for op in ops]
    times = []
    for method, url in urls:
        t = time.perf_counter()
        catalog.match(method, url)
        times.append(time.perf_counter() - t)
    req = HttpRequest("GET", "https://api.github.com/copy1/repos/o/r/issues/1")
    resp = HttpResponse(404, "Not Found", headers=(("Content-Type", "application/json"),),
                        body=b'{"message": "Not Found", "documentation_url": "x"}')
    explain = []
    for _ in range(50):
        t = time.perf_counter()
        catalog.explain(req, resp)
        explain.append(time.perf_counter() - t)
    print(f"document: {name}, {len(data) / 1e6:.1f} MB, {len(ops)} operations, {len(catalog.skipped)} skipped")
    print(f"load (parse + read operations + index): {load:.2f} s")
    print(f"memory: peak traced {peak:.0f} MiB during load; max RSS grew {rss_after - rss_before:.0f} MiB")
    print(f"match one request: median {statistics.median(times) * 1e6:.0f} µs, max {max(times) * 1e3:.2f} ms")
    print(f"explain one exchange (match + status + schema check): median {statistics.median(explain) * 1e3:.2f} ms, "
          f"first {explain[0] * 1e3:.1f} ms")
    label = f"{len(data) / 1e6:.0f} MB OpenAPI document ({len(ops):,} operations)"
    print()
    report([Figure(f"{label}: load", load, "s", note="parse + read operations + index"),
            Figure(f"{label}: peak memory while loading", peak, "MB", note="tracemalloc, second load"),
            Figure(f"{label}: match one request", statistics.median(times) * 1e6, "µs",
                   note=f"median of {len(times):,}; max {max(times) * 1e3:.2f} ms"),
            Figure(f"{label}: explain one exchange", statistics.median(explain) * 1e6, "µs",
                   note="median of 50: match + status + schema check")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
