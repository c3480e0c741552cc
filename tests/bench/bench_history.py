"""Benchmark: filtering a history of 100,000 stored exchanges, and how fast exchanges are stored.

    .venv/bin/python tests/bench/bench_history.py [--entries 100000] [--runs 7]

Builds a history file in a temp folder through ``History.add`` (the app's own path: redaction, sealing, one
transaction per exchange) with varied URLs, methods, statuses, documented statuses and API messages, and times
that store rate. Then times each filter the history panel offers, as the panel asks for it (``History.search``:
the newest 500 rows and how many match), median of ``--runs`` runs after one warm-up, plus the count of the
whole history alone.

Baseline "without the index": the same filters through the query the history used before its search index (a
LIKE over six columns of every row, kept verbatim below), on a copy of the same rows with only the indexes of
schema 3, interleaved run by run with ours (both answers are checked equal). The machine is shared: wall times
include waiting for a CPU, so the CPU time of ours is printed under the table too.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from table import Figure, report  # noqa: E402

from app.core.catalog import load_default_catalog  # noqa: E402
from app.core.clock import ManualClock  # noqa: E402
from app.core.models import Exchange, Finding, HttpRequest, HttpResponse, Timing, TransportError  # noqa: E402

HOSTS = ("https://api.shop.example", "http://127.0.0.1:8000", "https://auth.example.com", "http://localhost:5000",
         "https://billing.internal:8443", "https://staging-api.shop.example")
WORDS = ("red", "shoes", "laptop", "coffee", "garden", "winter", "sale", "kids", "books", "phone", "desk", "lamp")
METHODS = ("GET",) * 12 + ("POST",) * 4 + ("PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
STATUSES = ((200,) * 30 + (201,) * 5 + (204,) * 3 + (301, 302, 304) + (400,) * 3 + (401,) * 3 + (403,) * 2
            + (404,) * 5 + (409, 422, 422, 429, 429) + (500,) * 2 + (502, 503, 504) + (None,) * 2)
REASONS = {200: "OK", 201: "Created", 204: "No Content", 301: "Moved Permanently", 302: "Found", 304: "Not Modified",
           400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict",
           422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
           503: "Service Unavailable", 504: "Gateway Timeout"}
MESSAGES = {400: "Validation failed: field '{w}' is required", 401: "The access token expired at 10:{n:02d}",
            403: "User {n} may not change order {m}", 404: "Order {m} was not found",
            409: "Order {m} was already paid", 422: "Quantity must be between 1 and {n}",
            429: "Rate limit exceeded; retry in {n} s", 500: "Unexpected error (trace {m:x})",
            503: "Maintenance until 0{n}:00 UTC"}
FINDING = Finding("cache-control-missing", "warning", "response", "Cache-Control", "No Cache-Control header.")


def _url(rng: random.Random, i: int) -> str:
    host = rng.choice(HOSTS)
    kind = rng.randrange(8)
    n = rng.randrange(1, 50_000)
    if kind == 0:
        return f"{host}/users/{n}"
    if kind == 1:
        return f"{host}/orders/{n}/items?page={rng.randrange(1, 20)}"
    if kind == 2:
        return f"{host}/products?q={rng.choice(WORDS)}+{rng.choice(WORDS)}&page={rng.randrange(1, 9)}"
    if kind == 3:
        return f"{host}/v2/invoices/{rng.getrandbits(64):016x}"
    if kind == 4:
        return f"{host}/auth/token?client_id=app-{n % 40}&access_token=tok-{rng.getrandbits(40):x}"
    if kind == 5:
        return f"{host}/search?q={rng.choice(WORDS)}&sort=price&limit=50"
    if kind == 6:
        return f"{host}/carts/{n}/checkout"
    return f"{host}/health"


def make_exchange(rng: random.Random, i: int, catalog) -> tuple[Exchange, Any, list[Finding], str | None]:
    method = rng.choice(METHODS)
    status = rng.choice(STATUSES)
    url = _url(rng, i)
    req_body = b'{"sku": "A-%d", "qty": %d}' % (i, rng.randrange(1, 9)) if method in ("POST", "PUT", "PATCH") else None
    request = HttpRequest(method, url, (("Accept", "application/json"), ("Authorization", f"Bearer tok-{i:x}")),
                          req_body)
    timing = Timing(connect=0.002, request_sent=0.0003, first_byte=rng.random() / 10, download=0.001,
                    total=rng.random() / 5)
    if status is None:
        error = TransportError(rng.choice(("connect", "timeout", "tls")), "The server did not answer in time.", "")
        return Exchange(request=request, response=None, timing=timing, error=error, started_at=float(i)), None, [], None
    body = b'{"id": %d, "name": "%s", "items": [1, 2, 3]}' % (i, rng.choice(WORDS).encode())
    response = HttpResponse(status=status, reason=REASONS[status], http_version="HTTP/1.1",
                            headers=(("Content-Type", "application/json"), ("Content-Length", str(len(body)))),
                            body=body, wire_bytes=len(body) + 80, framing="content-length")
    template = MESSAGES.get(status)
    message = template.format(w=rng.choice(WORDS), n=rng.randrange(1, 60), m=rng.randrange(1, 1 << 20)) \
        if template else None
    findings = [FINDING] if rng.random() < 0.3 else []
    exchange = Exchange(request=request, response=response, timing=timing, started_at=float(i))
    return exchange, catalog.lookup(status), findings, message


def build(path: Path, entries: int, seed: int = 1) -> tuple[float, float]:
    """Store ``entries`` exchanges through ``History.add``; return the store rate in exchanges per second, by the
    clock and by this process's CPU time (what it would be on an idle machine: storing waits on no disk flush)."""
    from app.store.history import History
    from app.store.secrets import MemorySecrets
    from app.store.vault import Vault

    rng = random.Random(seed)
    catalog = load_default_catalog()
    made = [make_exchange(rng, i, catalog) for i in range(entries)]
    clock = ManualClock(1_700_000_000.0)
    with History(path, clock=clock, vault=Vault(MemorySecrets())) as h:
        t0, c0 = time.perf_counter(), time.process_time()
        for exchange, documented, findings, message in made:
            h.add(exchange, documented=documented, findings=findings, message=message)
            clock.advance(0.5)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return entries / elapsed, entries / cpu


# --- the query the history used before its search index (baseline) --------------------------------------------


def old_search(conn: sqlite3.Connection, f, limit: int = 500) -> tuple[list[Any], int]:
    from app.store.history_search import plain_where  # the query before the index (the store's own fallback)

    clauses, params = plain_where(f)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    # NOT INDEXED: the indexes v4 added did not exist (only created_at and status had one).
    rows = conn.execute(
        "SELECT id, created_at, method, url, status, reason, documented_status, finding_count, error_kind, duration, "
        f"message, note_count FROM entries e {where} ORDER BY created_at DESC, id DESC LIMIT ?", [*params, limit]
    ).fetchall()
    total = conn.execute(f"SELECT COUNT(*) FROM entries e {where}", params).fetchone()[0]
    return rows, total


def v3_copy(path: Path, target: Path) -> None:
    """``path`` as the version before the index had it: the same rows, only the indexes of v3."""
    src = sqlite3.connect(path)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    have = {name for (name,) in dst.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    for name in have - {"entries_created"}:
        dst.execute(f"DROP INDEX {name}")
    dst.execute("CREATE INDEX entries_status ON entries(status)")  # as version 3 had it
    for name in ("entries_search", "entries_text", "history_state"):
        dst.execute(f"DROP TABLE IF EXISTS {name}")
    dst.commit()
    dst.execute("VACUUM")
    dst.close()


def _median_ms(fn, runs: int) -> tuple[float, float]:
    """Median milliseconds of ``fn()`` over ``runs`` runs after a warm-up: (wall clock, this process's CPU)."""
    fn()  # warm-up: the page cache, sqlite's statement cache
    wall, cpu = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-baseline", action="store_true", help="skip the query without the index")
    args = parser.parse_args()

    from app.store.history import History, HistoryFilter
    from app.store.secrets import MemorySecrets
    from app.store.vault import Vault

    filters = [
        ("text 'orders'", HistoryFilter(text="orders")),
        ("text 'was not found'", HistoryFilter(text="was not found")),
        ("text 'api' (very common)", HistoryFilter(text="api")),
        ("text 'shop.example' (host of half)", HistoryFilter(text="shop.example")),
        ("text 'pa' (2 characters)", HistoryFilter(text="pa")),
        ("text 'e' (1 character)", HistoryFilter(text="e")),
        ("method DELETE", HistoryFilter(method="DELETE")),
        ("status class 4xx", HistoryFilter(status_class=4)),
        ("status class 2xx", HistoryFilter(status_class=2)),
        ("no response", HistoryFilter(status_class=0)),
        ("documented 'Too Many Requests'", HistoryFilter(documented_status="Too Many Requests")),
        ("text 'checkout' + 5xx", HistoryFilter(text="checkout", status_class=5)),
        ("method GET + 5xx", HistoryFilter(method="GET", status_class=5)),
        ("text 'users' + POST + 4xx + 'Not Found'",
         HistoryFilter(text="users", method="POST", status_class=4, documented_status="Not Found")),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-history-") as tmp:
        path = Path(tmp) / "history.sqlite3"
        t0 = time.perf_counter()
        rate, cpu_rate = build(path, args.entries)
        print(f"built {args.entries:,} exchanges in {time.perf_counter() - t0:.1f} s "
              f"({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        rows: list[Figure] = [Figure(f"store rate ({args.entries:,} adds, one transaction each)", rate,
                                     "exchanges/s", min_value=2000),
                              Figure("store rate by this process's CPU time (the machine is shared)", cpu_rate,
                                     "exchanges/s", min_value=2000)]
        cpu_notes = []
        old = None
        if not args.no_baseline:
            v3 = Path(tmp) / "v3.sqlite3"
            v3_copy(path, v3)
            old = sqlite3.connect(v3)
        with History(path, vault=Vault(MemorySecrets())) as h:
            for name, f in [*filters, ("count of all alone", None)]:
                if f is None:
                    ask, ask_old = h.count, lambda: old.execute("SELECT COUNT(*) FROM entries").fetchone()
                else:
                    ask, ask_old = (lambda: h.search(f)), (lambda: old_search(old, f))
                ours, ours_cpu = 0.0, 0.0
                base = None
                walls, cpus, bases = [], [], []
                for _ in range(args.runs):  # ours and the baseline interleaved: both see the same machine load
                    w, c = _median_ms(ask, 1)
                    walls.append(w)
                    cpus.append(c)
                    if old is not None:
                        bases.append(_median_ms(ask_old, 1)[0])
                ours, ours_cpu = statistics.median(walls), statistics.median(cpus)
                base = statistics.median(bases) if bases else None
                label = name
                if f is not None:
                    found = h.search(f)
                    if old is not None:
                        before = old_search(old, f)
                        assert [r.id for r in found.rows] == [r[0] for r in before[0]] and found.total == before[1], \
                            name
                    label = f"{name}: newest 500 + count ({found.total:,} match)"
                rows.append(Figure(label, ours, "ms", baseline=base, max_value=20, note=f"CPU {ours_cpu:.1f} ms",
                                   baseline_name="without the index" if base is not None else ""))
                cpu_notes.append(f"  {name}: {ours_cpu:.1f} ms")
        if old is not None:
            old.close()
    report(rows)
    print("CPU time of this process for ours (median; wall time above includes waiting for a shared CPU):")
    print("\n".join(cpu_notes))


if __name__ == "__main__":
    main()
