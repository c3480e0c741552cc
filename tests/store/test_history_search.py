"""app/store/history_search.py through History on real sqlite files: the indexed search selects exactly what the
plain query (and a plain Python filter over the stored rows) selects, for every filter and mix of filters."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.store.history_search as search
from app.core.clock import ManualClock
from app.core.models import DocumentedStatus, Exchange, HttpRequest, HttpResponse, Timing, TransportError
from app.store.history import _MIGRATIONS, History, HistoryFilter

# --- a plain Python filter: what the history always meant ------------------------------------------------------


def _ascii_lower(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def expected(rows: list[dict], f: HistoryFilter, limit: int = 500) -> tuple[list[int], int]:
    """(the newest ``limit`` ids, how many) of the stored ``rows`` that ``f`` selects."""
    needle = _ascii_lower(f.text.strip())
    kept = []
    for r in rows:
        fields = [r["url"], r["method"], None if r["status"] is None else str(r["status"]), r["reason"],
                  r["documented_status"], r["message"]]
        if needle and not any(v is not None and needle in _ascii_lower(v) for v in fields):
            continue
        if f.method and r["method"] != f.method.strip().upper():
            continue
        if f.status_class == 0 and r["has_response"]:
            continue
        low = (f.status_class or 0) * 100
        if f.status_class and not (r["status"] is not None and low <= r["status"] <= low + 99):
            continue
        if f.documented_status and (r["documented_status"] is None or _ascii_lower(r["documented_status"])
                                    != _ascii_lower(f.documented_status.strip())):
            continue
        kept.append(r)
    kept.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
    return [r["id"] for r in kept[:limit]], len(kept)


def stored(h: History) -> list[dict]:
    cur = h._conn.execute("SELECT id, created_at, url, method, status, reason, documented_status, message, "
                          "has_response FROM entries")
    return [dict(zip([d[0] for d in cur.description], row)) for row in cur.fetchall()]


def plain(h: History, f: HistoryFilter, limit: int = 500) -> tuple[list[int], int]:
    """The query the history used before its index, on the same file."""
    clauses, params = search.plain_where(f)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    ids = [r[0] for r in h._conn.execute(f"SELECT e.id FROM entries e {where} ORDER BY e.created_at DESC, e.id DESC "
                                         "LIMIT ?", [*params, limit])]
    return ids, h._conn.execute(f"SELECT count(*) FROM entries e {where}", params).fetchone()[0]


def found(h: History, f: HistoryFilter, limit: int = 500, *, fts: bool = True) -> tuple[list[int], int]:
    keep, h._fts = h._fts, h._fts and fts  # fts=False: as asked in a sqlite without FTS5
    try:
        result = h.search(f, limit)
    finally:
        h._fts = keep
    assert h.count(f) == result.total
    return [r.id for r in result.rows], result.total


def exchange(method="GET", url="http://127.0.0.1/users/1", status: int | None = 200, reason="OK") -> Exchange:
    response = None if status is None else HttpResponse(status=status, reason=reason, http_version="HTTP/1.1",
                                                        headers=(), body=b"", wire_bytes=0, framing="content-length")
    error = TransportError("connect", "refused", "") if status is None else None
    return Exchange(request=HttpRequest(method, url, (), None), response=response, timing=Timing(total=0.01),
                    error=error, started_at=1.0)


def doc(status: str) -> DocumentedStatus:
    return DocumentedStatus(404, status, "", "", "api-docs")


@pytest.fixture
def small_batch(monkeypatch):
    monkeypatch.setattr(search, "BATCH", 3)  # entries reach the full-text index every 3 adds: both halves are asked


@pytest.fixture
def history(tmp_path: Path, small_batch):
    h = History(tmp_path / "history.sqlite3", clock=ManualClock())
    yield h
    h.close()


def check_all_ways(h: History, f: HistoryFilter, limit: int = 500) -> None:
    want = expected(stored(h), f, limit)
    assert plain(h, f, limit) == want, f
    assert found(h, f, limit) == want, f
    assert found(h, f, limit, fts=False) == want, f


# --- the property ------------------------------------------------------------------------------------------------

PIECES = ["users", "Users", "ORDERS", "order", "é", "É", "ß", "K", "İ", "%", "_", "\\", '"', "'", "*", "AND", "OR",
          "NOT", "NEAR(", ")", "^", ":", "-", " ", "42", "404", "5", "api", "Api", "x", "tok"]
piece_text = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
methods = st.sampled_from(["GET", "get", "POST", "PoSt", "DELETE", 'M"X', "ÉTÉ"])
statuses = st.one_of(st.none(), st.sampled_from([200, 201, 301, 404, 418, 429, 500, 503, 99, 600, 1000]))
documented = st.one_of(st.none(),
                       st.sampled_from(["Not Found", "not found", "NOT FOUND", "Über", "über", "Too Many"]))
entry = st.tuples(methods, piece_text, statuses, st.one_of(st.none(), piece_text), documented,
                  st.one_of(st.none(), piece_text), st.booleans())


@st.composite
def filters(draw, values: list[str]) -> HistoryFilter:
    text = draw(st.one_of(st.just(""), piece_text, st.sampled_from(values or [""]).flatmap(
        lambda v: st.integers(0, len(v)).flatmap(lambda i: st.integers(i, len(v)).map(lambda j: v[i:j])))))
    return HistoryFilter(
        text=draw(st.sampled_from(["", " "])) + text,
        method=draw(st.one_of(st.none(), methods, st.just("get"))),
        status_class=draw(st.one_of(st.none(), st.sampled_from([0, 1, 2, 3, 4, 5, 6, 10]))),
        documented_status=draw(st.one_of(st.none(), documented, st.just(" not FOUND "))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry, max_size=14), data=st.data())
def test_indexed_search_selects_what_a_plain_filter_selects(entries, data, small_batch) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        clock = ManualClock(1000.0)
        with History(Path(tmp) / "history.sqlite3", clock=clock) as h:
            for method, path, status, reason, documented_status, message, back in entries:
                url = f"http://127.0.0.1:8000/{path}"
                h.add(exchange(method, url, status, reason or ""), findings=[], message=message,
                      documented=doc(documented_status) if documented_status and status else None)
                clock.advance(-3 if back else 1)  # now and then the clock goes back: newest first is by time
            rows = stored(h)
            values = [v for r in rows for v in (r["url"], r["message"], r["reason"]) if v]
            for _ in range(4):
                f = data.draw(filters(values))
                check_all_ways(h, f, limit=data.draw(st.sampled_from([500, 2])))


# --- examples -----------------------------------------------------------------------------------------------------


def fill(h: History, n: int = 10) -> None:
    for i in range(n):
        h.add(exchange("POST" if i % 3 == 0 else "GET", f"http://127.0.0.1/orders/{i}?q=100%25_done&x=\"a\"",
                       404 if i % 2 else 200, "Not Found" if i % 2 else "OK"),
              documented=doc("Not Found") if i % 2 else None, findings=[], message=f"Order {i} (NEAR) AND *")


@pytest.mark.parametrize("text", ["%", "_", '"', '""', "*", "AND", "and *", "NEAR(", "(near)", "'", "\\", "o", "or",
                                  "ORDER 1", "x=\"a", "%25_", ":", "-", "^", "é"])
def test_special_characters_and_short_texts_are_literal(history: History, text: str) -> None:
    fill(history)
    check_all_ways(history, HistoryFilter(text=text))
    check_all_ways(history, HistoryFilter(text=text, status_class=4, method="GET"))


def test_filters_that_the_tags_cannot_say_take_the_plain_query(history: History) -> None:
    fill(history)
    for f in (HistoryFilter(text="a\x1fb"), HistoryFilter(text="\x01GET"), HistoryFilter(method="G\x02T"),
              HistoryFilter(documented_status="  "), HistoryFilter(status_class=-1)):
        check_all_ways(history, f)
    # sqlite's LIKE stops reading a pattern at a NUL character ("%\x00%" is "%"): kept as it was
    f = HistoryFilter(text="\x00")
    assert found(history, f) == found(history, f, fts=False) == plain(history, f) == (list(range(10, 0, -1)), 10)


def fts_is_whole(h: History) -> None:
    """FTS5's own checks of both indexes, once the entries waiting for the next batch are in (as that batch would
    put them): the trigram index holds exactly what entries_text holds."""
    upto = h._conn.execute("SELECT indexed_upto FROM history_state").fetchone()[0]
    search._index(h._conn, "WHERE t.id > ?", (upto,))
    h._conn.execute(f"UPDATE history_state SET indexed_upto = "
                    f"(SELECT ifnull(max(id), {upto}) FROM {search.TEXT_TABLE})")
    h._conn.execute(f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    h._conn.execute(f"INSERT INTO {search.GRAMS_TABLE}({search.GRAMS_TABLE}) VALUES ('integrity-check')")


def test_the_index_follows_deletes_and_clear(history: History) -> None:
    fill(history, 10)  # 9 indexed (batches of 3), 1 waiting above them
    upto = history._conn.execute("SELECT indexed_upto FROM history_state").fetchone()[0]
    assert upto == 9
    assert history.delete(4) and history.delete(10)  # one indexed, one waiting
    fts_is_whole(history)
    assert found(history, HistoryFilter(text="orders/3?"))[1] == 0  # entry 4's URL
    assert found(history, HistoryFilter(text="orders/9?"))[1] == 0
    assert found(history, HistoryFilter(text="orders/8?"))[1] == 1
    check_all_ways(history, HistoryFilter(text="orders"))
    assert history.clear() == 8
    fts_is_whole(history)
    assert found(history, HistoryFilter(text="orders")) == ([], 0)
    assert history._conn.execute("SELECT count(*) FROM entries_text").fetchone()[0] == 0
    fill(history, 4)
    check_all_ways(history, HistoryFilter(text="orders"))
    fts_is_whole(history)


def test_a_file_written_before_the_index_gets_it_on_open(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    raw = sqlite3.connect(path, isolation_level=None)
    for step in _MIGRATIONS[:3]:  # the schema of version 3, as the previous release left it
        step(raw)
    raw.execute("PRAGMA user_version = 3")
    for i, (method, status, message) in enumerate([("GET", 200, None), ("POST", 404, "Order 7 was not found"),
                                                   ("DELETE", None, None), ("GET", 503, "Maintenance")]):
        raw.execute("INSERT INTO entries (created_at, method, url, req_headers, has_response, status, message, "
                    "documented_status, at_rest) VALUES (?, ?, ?, '[]', ?, ?, ?, ?, 1)",
                    (1000.0 + i, method, f"http://127.0.0.1/items/{i}", int(status is not None), status, message,
                     "Not Found" if status == 404 else None))
    raw.close()
    with History(path) as h:
        assert h._conn.execute("PRAGMA user_version").fetchone()[0] == 4
        assert h._conn.execute("SELECT search_fresh, indexed_upto FROM history_state").fetchone() == (1, 4)
        fts_is_whole(h)
        assert found(h, HistoryFilter(text="was not")) == ([2], 1)
        assert found(h, HistoryFilter(text="items", status_class=5)) == ([4], 1)
        assert found(h, HistoryFilter(documented_status="not found")) == ([2], 1)
        for f in (HistoryFilter(text="ITEMS"), HistoryFilter(status_class=0), HistoryFilter(method="get")):
            check_all_ways(h, f)


def test_a_sqlite_without_fts5_keeps_working_and_the_next_one_rebuilds_the_index(tmp_path: Path, monkeypatch,
                                                                                  small_batch) -> None:
    path = tmp_path / "history.sqlite3"
    with History(path) as h:
        fill(h, 4)
    monkeypatch.setattr(search, "fts_available", lambda conn: False)
    with History(path) as h:  # as opened by a Python whose sqlite lacks FTS5
        assert h._fts is False
        assert h._conn.execute("SELECT search_fresh FROM history_state").fetchone()[0] == 0
        h.add(exchange(url="http://127.0.0.1/written-without-fts"), documented=None, findings=[], message=None)
        assert found(h, HistoryFilter(text="without-fts"))[1] == 1
        check_all_ways(h, HistoryFilter(text="orders", method="POST"))
    monkeypatch.undo()
    monkeypatch.setattr(search, "BATCH", 3)
    with History(path) as h:  # FTS5 again: the index missed a write, so it is built again
        assert h._conn.execute("SELECT search_fresh, indexed_upto FROM history_state").fetchone() == (1, 5)
        fts_is_whole(h)
        assert found(h, HistoryFilter(text="without-fts"))[1] == 1


def test_newest_first_follows_the_clock_when_it_went_back(history: History) -> None:
    clock = history._clock
    fill(history, 4)
    assert history._conn.execute("SELECT in_time_order FROM history_state").fetchone()[0] == 1
    clock.advance(-100)
    history.add(exchange(url="http://127.0.0.1/orders/late"), documented=None, findings=[], message=None)
    assert history._conn.execute("SELECT in_time_order FROM history_state").fetchone()[0] == 0
    ids, total = found(history, HistoryFilter(text="orders"))
    assert total == 5 and ids[-1] == 5  # stored last, made earliest: listed last
    check_all_ways(history, HistoryFilter(text="orders"), limit=2)
    history.clear()
    assert history._conn.execute("SELECT in_time_order FROM history_state").fetchone()[0] == 1


def test_many_matches_are_counted_and_the_newest_listed(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search, "FEW", 5)  # past FEW: count, then read the newest off the index
    monkeypatch.setattr(search, "WALK", 5)  # without FTS5: walk the entries newest first
    monkeypatch.setattr(search, "BATCH", 4)
    with History(tmp_path / "h.sqlite3", clock=ManualClock()) as h:
        fill(h, 30)
        for f in (HistoryFilter(text="orders"), HistoryFilter(text="orders", status_class=4),
                  HistoryFilter(text="or", method="GET"), HistoryFilter(method="GET"), HistoryFilter(status_class=2)):
            check_all_ways(h, f, limit=7)
            check_all_ways(h, f, limit=500)
        h._clock.advance(-10)
        h.add(exchange(url="http://127.0.0.1/orders/back"), documented=None, findings=[], message=None)
        check_all_ways(h, HistoryFilter(text="orders"), limit=7)


def test_a_salvaged_file_is_searched_like_any_other(tmp_path: Path) -> None:
    import random

    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        for i in range(200):
            h.add(exchange(url=f"http://127.0.0.1:8000/users/{i}", status=404 if i % 2 else 200),
                  documented=doc("Not Found") if i % 2 else None, findings=[], message=f"m{i}")
        h._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = sqlite3.connect(db)
    pages = [n for (n,) in raw.execute("SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf'")]
    size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(db.read_bytes())
    at = (sorted(pages)[len(pages) // 2] - 1) * size
    data[at:at + size] = random.Random(3).randbytes(size)
    db.write_bytes(bytes(data))
    h, note = History.open_or_recover(db)
    try:
        assert note is not None and h.count() < 200
        fts_is_whole(h)
        for f in (HistoryFilter(text="users/1"), HistoryFilter(status_class=4), HistoryFilter(text="m1", method="GET")):
            check_all_ways(h, f)
    finally:
        h.close()


def test_one_and_two_characters_are_words_of_the_grams_index() -> None:
    assert search.grams("pa\x1fé", "GET", "4", "not found") == (
        "b1fxe9 b61x1f b70x61 u1f u61 u70 ue9 m47x45x54 s4 d6ex6fx74x20x66x6fx75x6ex64")
    assert search.grams("", "", "n", None) == "m sn"
    assert search.piece_word("é") == "ue9" and search.piece_word("a/") == "b61x2f"
