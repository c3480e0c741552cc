"""app/store/history.py against real sqlite files in tmp dirs (and a real child process for the kill test)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.core.clock import ManualClock
from app.core.models import (
    DocumentedStatus,
    Exchange,
    Finding,
    HttpRequest,
    HttpResponse,
    Timing,
    TransportError,
)
from app.store.history import SCHEMA_VERSION, History, HistoryError, HistoryFilter, migrate

ROOT = Path(__file__).resolve().parents[2]

NOT_FOUND = DocumentedStatus(404, "Not Found", "The resource does not exist.", "Client", "api-docs")
TEAPOT = DocumentedStatus(418, "I'm a Teapot", "Standard meaning.", "", "http-standard", note="not in the API docs")
FINDING = Finding("cache-control-missing", "warning", "response", "Cache-Control", "No Cache-Control header.")


def exchange(
    method: str = "GET",
    url: str = "http://127.0.0.1:8000/users/1",
    status: int | None = 200,
    reason: str = "OK",
    body: bytes = b'{"ok": true}',
    req_body: bytes | None = None,
) -> Exchange:
    response = None
    error = None
    if status is not None:
        response = HttpResponse(
            status=status,
            reason=reason,
            http_version="HTTP/1.1",
            headers=(("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")),
            body=body,
            wire_bytes=len(body),
            framing="content-length",
        )
    else:
        error = TransportError("connect", "The server refused the connection.", "ConnectError(111)")
    return Exchange(
        request=HttpRequest(method, url, (("Accept", "*/*"), ("X-Dup", "1"), ("X-Dup", "2")), req_body),
        response=response,
        timing=Timing(connect=0.001234567, request_sent=0.0002, first_byte=0.0151, download=0.003, total=0.0203),
        error=error,
        started_at=1_700_000_000.125,
        notes=("sent the real length",),
    )


@pytest.fixture
def history(tmp_path: Path):
    h = History(tmp_path / "history.sqlite3", clock=ManualClock())
    yield h
    h.close()


def test_wal_mode_and_schema_version_are_really_on(history: History) -> None:
    history.add(exchange(), documented=None, findings=[], message=None)
    raw = sqlite3.connect(history.path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        raw.close()
    assert history._conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert history._conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_get_round_trips_an_equal_exchange(history: History) -> None:
    original = exchange(method="POST", req_body=b"\x00\xffbinary\r\n", status=404, reason="Not Found", body=b"")
    entry_id = history.add(original, documented=NOT_FOUND, findings=[FINDING], message="User 1 was not found.")
    entry = history.get(entry_id)
    assert entry.exchange == original
    assert entry.findings == (FINDING,)
    assert entry.documented == NOT_FOUND
    assert entry.message == "User 1 was not found."
    assert entry.created_at == 1_700_000_000.0
    assert not entry.request_body_truncated and not entry.response_body_truncated


def test_round_trip_without_response_and_with_note(history: History) -> None:
    original = exchange(status=None)
    entry_id = history.add(original, documented=TEAPOT, findings=[], message=None)
    entry = history.get(entry_id)
    assert entry.exchange == original
    assert entry.exchange.response is None
    assert entry.documented == TEAPOT  # note survives too
    assert entry.message is None


def test_request_without_body_stays_none_and_empty_body_stays_empty(history: History) -> None:
    a = history.add(exchange(req_body=None), documented=None, findings=[], message=None)
    b = history.add(exchange(req_body=b""), documented=None, findings=[], message=None)
    assert history.get(a).exchange.request.body is None
    assert history.get(b).exchange.request.body == b""


def test_body_over_cap_is_stored_truncated_with_a_flag(history: History) -> None:
    big = bytes(range(256)) * 40  # 10240 bytes
    entry_id = history.add(exchange(body=big, req_body=big), documented=None, findings=[], message=None, body_cap=1000)
    entry = history.get(entry_id)
    assert entry.exchange.response.body == big[:1000]
    assert entry.exchange.response.body_truncated is True
    assert entry.response_body_truncated is True and entry.response_body_size == len(big)
    assert entry.exchange.request.body == big[:1000]
    assert entry.request_body_truncated is True and entry.request_body_size == len(big)
    # exactly at the cap is not truncated
    at_cap = history.add(exchange(body=big[:1000]), documented=None, findings=[], message=None, body_cap=1000)
    assert history.get(at_cap).response_body_truncated is False


def test_list_is_newest_first_with_summary_fields(tmp_path: Path) -> None:
    clock = ManualClock(1000.0)
    with History(tmp_path / "h.sqlite3", clock=clock) as h:
        first = h.add(exchange(), documented=None, findings=[], message=None)
        clock.advance(5)
        second = h.add(exchange(status=404, reason="Not Found"), documented=NOT_FOUND, findings=[FINDING, FINDING],
                       message="gone")
        clock.advance(5)
        third = h.add(exchange(status=None), documented=None, findings=[], message=None)
        rows = h.list()
    assert [r.id for r in rows] == [third, second, first]
    r = rows[1]
    assert (r.created_at, r.method, r.status, r.reason, r.documented_status, r.finding_count) == (
        1005.0, "GET", 404, "Not Found", "Not Found", 2)
    assert r.duration == pytest.approx(0.0203)
    assert rows[0].status is None and rows[0].error_kind == "connect"


def test_list_limit(history: History) -> None:
    for _ in range(5):
        history.add(exchange(), documented=None, findings=[], message=None)
    assert len(history.list(limit=3)) == 3
    assert history.count() == 5


def test_filter_combinations(history: History) -> None:
    ids = {
        "get_ok": history.add(exchange("GET", "http://127.0.0.1/users/1"), documented=None, findings=[], message=None),
        "post_404": history.add(
            exchange("POST", "http://127.0.0.1/orders", 404, "Not Found"), documented=NOT_FOUND, findings=[],
            message="Order does not exist"),
        "get_500": history.add(exchange("GET", "http://127.0.0.1/boom", 500, "Internal Server Error"),
                               documented=None, findings=[], message=None),
        "error": history.add(exchange("DELETE", "http://127.0.0.1/users/9", None), documented=None, findings=[],
                             message=None),
        "percent": history.add(exchange("GET", "http://127.0.0.1/search?q=100%25_done"), documented=None, findings=[],
                               message=None),
    }

    def found(**kw) -> set[int]:
        return {r.id for r in history.list(HistoryFilter(**kw))}

    assert found() == set(ids.values())
    assert found(method="get") == {ids["get_ok"], ids["get_500"], ids["percent"]}
    assert found(status_class=4) == {ids["post_404"]}
    assert found(status_class=5) == {ids["get_500"]}
    assert found(status_class=2) == {ids["get_ok"], ids["percent"]}
    assert found(status_class=0) == {ids["error"]}
    assert found(documented_status="not found") == {ids["post_404"]}
    assert found(text="ORDER DOES") == {ids["post_404"]}  # message, case-insensitive
    assert found(text="users") == {ids["get_ok"], ids["error"]}
    assert found(text="users", method="DELETE") == {ids["error"]}
    assert found(text="404") == {ids["post_404"]}  # status code as text
    assert found(text="delete") == {ids["error"]}  # method
    assert found(text="%") == {ids["percent"]}  # LIKE wildcard escaped
    assert found(text="_") == {ids["percent"]}
    assert found(text="internal server") == {ids["get_500"]}
    assert found(text="users", status_class=5) == set()
    assert history.count(HistoryFilter(method="GET", status_class=2)) == 2


def test_delete_and_clear(history: History) -> None:
    a = history.add(exchange(), documented=None, findings=[], message=None)
    b = history.add(exchange(), documented=None, findings=[], message=None)
    assert history.delete(a) is True
    assert history.delete(a) is False
    assert [r.id for r in history.list()] == [b]
    with pytest.raises(HistoryError, match="does not exist"):
        history.get(a)
    assert history.clear() == 1
    assert history.count() == 0 and history.list() == []
    # ids are never reused after a delete
    assert history.add(exchange(), documented=None, findings=[], message=None) > b


def test_concurrent_adds_from_two_threads_share_one_history(history: History) -> None:
    _concurrent(lambda: history, lambda: history)


def test_concurrent_adds_from_two_connections(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    a, b = History(path), History(path)
    try:
        _concurrent(lambda: a, lambda: b)
        assert a.count() == b.count() == 100
    finally:
        a.close()
        b.close()


def _concurrent(first, second) -> None:
    results: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work(name: str, get) -> None:
        try:
            barrier.wait()
            h = get()
            for i in range(50):
                results[name].append(h.add(exchange(url=f"http://127.0.0.1/{name}/{i}"), documented=None,
                                           findings=[], message=name))
                h.list(HistoryFilter(text=name), limit=5)  # reads interleaved with writes
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=("a", first)), threading.Thread(target=work, args=("b", second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    all_ids = results["a"] + results["b"]
    assert len(set(all_ids)) == 100
    h = first()
    assert {r.id for r in h.list(limit=1000)} >= set(all_ids)
    for entry_id in results["b"][:3]:
        assert h.get(entry_id).message == "b"


def test_closed_history_says_so(tmp_path: Path) -> None:
    h = History(tmp_path / "h.sqlite3")
    h.close()
    h.close()  # idempotent
    with pytest.raises(HistoryError, match="closed"):
        h.list()


def test_kill_mid_write(tmp_path: Path) -> None:
    db = tmp_path / "killed.sqlite3"
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "store" / "kill_writer.py"), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    committed: list[int] = []
    try:
        while len(committed) < 40:
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"writer ended early: {child.stderr.read()}")
            committed.append(int(line))
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL  # really killed, not a clean exit
    # Lines the child printed before the kill were all committed before they were printed.
    rest = child.stdout.read()
    committed += [int(x) for x in rest.split("\n")[:-1]]  # only complete lines; the last piece may be cut
    child.stdout.close()
    child.stderr.close()

    h, note = History.open_or_recover(db)
    try:
        assert note is None
        assert h._conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        stored = {r.id for r in h.list(limit=100_000)}
        assert set(committed) <= stored
        # nothing earlier is lost: ids are 1..N without holes
        assert stored == set(range(1, max(stored) + 1))
        last = h.get(committed[-1])
        assert last.message == f"entry {committed[-1]}"
        assert len(last.exchange.response.body) == 48_000
        # still writable after the crash
        assert h.add(exchange(), documented=None, findings=[], message=None) > max(stored)
    finally:
        h.close()


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"this is a text file, not sqlite\n" * 200)
    with pytest.raises(HistoryError) as info:
        History(db)
    assert info.value.corrupt
    assert "damaged or is not a history database" in str(info.value)
    assert str(db) in str(info.value)


def test_open_or_recover_moves_a_broken_file_aside(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    garbage = b"\x00garbage" * 1000
    db.write_bytes(garbage)
    h, note = History.open_or_recover(db)
    try:
        assert note is not None and "moved aside" in note and "new, empty history" in note
        broken = [p for p in tmp_path.iterdir() if ".broken-" in p.name]
        assert len(broken) == 1 and broken[0].read_bytes() == garbage
        assert str(broken[0]) in note
        assert h.count() == 0
        h.add(exchange(), documented=None, findings=[], message=None)
        assert h.count() == 1
    finally:
        h.close()


def test_open_or_recover_detects_damaged_pages(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        for i in range(30):
            h.add(exchange(body=b"y" * 5000), documented=None, findings=[FINDING], message=str(i))
        h._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[2 * page : 5 * page] = b"\xab" * (3 * page)  # scribble over b-tree pages, keep the header
    db.write_bytes(bytes(data))
    h, note = History.open_or_recover(db)
    try:
        assert note is not None and "damaged" in note
        assert h.count() == 0
    finally:
        h.close()


def test_healthy_file_is_kept_by_open_or_recover(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        h.add(exchange(), documented=None, findings=[], message="keep me")
    h, note = History.open_or_recover(db)
    try:
        assert note is None
        assert h.list()[0].message == "keep me"
    finally:
        h.close()


def test_newer_schema_is_refused_not_moved(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(HistoryError, match="newer version") as info:
        History.open_or_recover(db)
    assert not info.value.corrupt
    assert db.exists() and not list(tmp_path.glob("*.broken-*"))


def test_migrate_is_idempotent(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "m.sqlite3", isolation_level=None)
    try:
        assert migrate(raw) == SCHEMA_VERSION
        assert migrate(raw) == SCHEMA_VERSION
    finally:
        raw.close()


def test_folder_instead_of_file_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="is a folder"):
        History(tmp_path)


def test_clear_gives_disk_space_back(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        for _ in range(20):
            h.add(exchange(body=b"z" * 100_000), documented=None, findings=[], message=None)
        h._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        full = db.stat().st_size
        assert full > 2_000_000
        h.clear()
        assert db.stat().st_size < full / 10


def test_bodies_are_kept_out_of_the_listing_table(history: History) -> None:
    entry_id = history.add(exchange(body=b"b" * 50_000), documented=None, findings=[], message=None)
    columns = {row[1] for row in history._conn.execute("PRAGMA table_info(entries)")}
    assert not {"req_body", "resp_body"} & columns
    history.delete(entry_id)
    assert history._conn.execute("SELECT COUNT(*) FROM bodies").fetchone()[0] == 0


# --- sqlite failures are told apart by their result code, not their wording ----------------------------------


def test_garbage_file_fails_with_sqlite_notadb_and_reads_as_damaged(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"\x01garbage, not sqlite\n" * 300)
    probe = sqlite3.connect(db)
    with pytest.raises(sqlite3.DatabaseError) as raw:
        probe.execute("PRAGMA schema_version").fetchone()
    probe.close()
    assert raw.value.sqlite_errorname == "SQLITE_NOTADB"
    with pytest.raises(HistoryError) as info:
        History(db)
    assert info.value.corrupt and str(info.value) == f"The history file {db} is damaged or is not a history database."


@pytest.fixture
def short_busy_timeout(monkeypatch):
    import app.store.history as module

    monkeypatch.setattr(module, "BUSY_TIMEOUT_MS", 50)  # wait 50 ms for a lock, not 5 s


def test_write_while_another_connection_holds_an_exclusive_lock_is_busy(tmp_path: Path, short_busy_timeout) -> None:
    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        other = sqlite3.connect(db, isolation_level=None, timeout=0)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(HistoryError) as info:
                h.add(exchange(), documented=None, findings=[], message=None)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert not info.value.corrupt
        assert str(info.value) == (f"The history file {db} is busy (another program keeps it locked); "
                                   "try again in a moment.")
        h.add(exchange(), documented=None, findings=[], message=None)  # the lock is gone: writing works again
        assert len(h.list()) == 1


def test_open_while_another_connection_holds_an_exclusive_lock_is_busy(tmp_path: Path, short_busy_timeout) -> None:
    db = tmp_path / "history.sqlite3"
    other = sqlite3.connect(db, isolation_level=None, timeout=0)  # rollback journal: a lock keeps readers out too
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError) as info:
            History(db)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not info.value.corrupt and "is busy (another program keeps it locked)" in str(info.value)


def test_read_only_connection_is_no_access_when_writing(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        h._conn.close()
        h._conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        with pytest.raises(HistoryError) as info:
            h.add(exchange(), documented=None, findings=[], message=None)
    assert not info.value.corrupt
    assert str(info.value) == (f"Cannot write to the history file {db}: the file or its folder is read-only or "
                               "not accessible.")


def test_no_room_left_is_disk_full(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        pages = h._conn.execute("PRAGMA page_count").fetchone()[0]
        h._conn.execute(f"PRAGMA max_page_count = {pages}")  # sqlite answers SQLITE_FULL as if the disk were full
        with pytest.raises(HistoryError) as info:
            h.add(exchange(body=b"x" * 200_000), documented=None, findings=[], message=None)
    assert str(info.value) == f"The disk holding the history file {db} is full; the entry was not saved."


@pytest.mark.parametrize("code,words,sentence", [
    (sqlite3.SQLITE_BUSY_SNAPSHOT, "no telling words", "is busy"),
    (sqlite3.SQLITE_LOCKED, "", "is busy"),
    (sqlite3.SQLITE_CANTOPEN_ISDIR, "x", "read-only or not accessible"),
    (sqlite3.SQLITE_FULL, "x", "is full"),
    (sqlite3.SQLITE_CORRUPT_INDEX, "x", "damaged"),
    (sqlite3.SQLITE_IOERR_READ, "database is locked", "could not be used"),  # the words no longer decide
])
def test_the_result_code_decides_not_the_message(tmp_path: Path, code: int, words: str, sentence: str) -> None:
    exc = sqlite3.OperationalError(words)
    exc.sqlite_errorcode = code
    with History(tmp_path / "history.sqlite3") as h:
        assert sentence in str(h._db_error(exc))


def test_an_error_without_a_code_is_told_apart_by_its_class(tmp_path: Path) -> None:
    with History(tmp_path / "history.sqlite3") as h:
        assert h._db_error(sqlite3.DatabaseError("whatever")).corrupt
        assert not h._db_error(sqlite3.OperationalError("database is locked")).corrupt


def test_deleting_or_clearing_entries_removes_their_spilled_bodies_only(tmp_path: Path) -> None:
    from dataclasses import replace

    bodies = tmp_path / "bodies"
    bodies.mkdir()
    outside = tmp_path / "request-inspector-body-not-ours.bin"
    outside.write_bytes(b"keep")
    h = History(tmp_path / "h.sqlite3")
    ids = []
    for n in range(3):
        spilled = bodies / f"request-inspector-body-{n}.bin"
        spilled.write_bytes(b"x" * 100)
        ex = exchange()
        ex = replace(ex, response=replace(ex.response, body_path=str(spilled)))
        ids.append(h.add(ex, documented=None, findings=(), message=None))
    ex = exchange()
    h.add(replace(ex, response=replace(ex.response, body_path=str(outside))), documented=None, findings=(),
          message=None)
    h.delete(ids[0])
    assert sorted(p.name for p in bodies.iterdir()) == ["request-inspector-body-1.bin", "request-inspector-body-2.bin"]
    assert h.clear() == 3
    assert list(bodies.iterdir()) == [] and outside.read_bytes() == b"keep"
    h.close()


def test_random_bytes_in_the_middle_lose_only_the_rows_on_those_pages(tmp_path: Path) -> None:
    import random

    db = tmp_path / "history.sqlite3"
    with History(db) as h:
        for i in range(200):
            h.add(exchange(url=f"http://127.0.0.1:8000/users/{i}"), documented=None, findings=[FINDING],
                  message=f"m{i}")
        h._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = sqlite3.connect(db)  # a leaf page in the middle of the entries table (the file holds search indexes too)
    pages = [n for (n,) in raw.execute("SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' "
                                       "ORDER BY pageno")]
    size = raw.execute("PRAGMA page_size").fetchone()[0]
    raw.close()
    data = bytearray(db.read_bytes())
    middle = (pages[len(pages) // 2] - 1) * size
    data[middle : middle + size] = random.Random(7).randbytes(size)  # one page of noise
    db.write_bytes(bytes(data))
    h, note = History.open_or_recover(db)
    try:
        saved = h.count()
        assert 150 <= saved < 200, saved
        assert f"with the {saved} entries that could still be read" in note
        newest = h.list(limit=1)[0]
        entry = h.get(newest.id)
        assert entry.exchange.request.url.startswith("http://127.0.0.1:8000/users/")
        assert entry.findings == (FINDING,)
    finally:
        h.close()
    assert len(list(tmp_path.glob("history.sqlite3.broken-*"))) == 1  # the damaged file is kept


@pytest.mark.parametrize("column,value", [("timing", "[1]"), ("findings", '["x"]'), ("notes", "5"),
                                          ("req_headers", '{"a": 1}'), ("documented_json", "[]")])
def test_a_row_with_malformed_json_is_a_sentence(history: History, column: str, value: str) -> None:
    entry_id = history.add(exchange(), documented=NOT_FOUND, findings=[FINDING], message=None)
    history._conn.execute(f"UPDATE entries SET {column} = ? WHERE id = ?", (value, entry_id))
    with pytest.raises(HistoryError) as info:
        history.get(entry_id)
    assert str(info.value) == f"History entry {entry_id} could not be read back (its stored data is malformed)."


def test_the_warning_count_leaves_informational_notes_out_and_old_files_are_recounted(tmp_path: Path) -> None:
    from dataclasses import replace as dc_replace

    note = dc_replace(FINDING, id="response-location", severity="info")
    warning = dc_replace(FINDING, severity="warning")
    path = tmp_path / "h.sqlite3"
    with History(path) as h:
        entry = h.add(exchange(status=201, reason="Created"), documented=None, findings=[note, note, warning],
                      message=None)
        row = h.list()[0]
    assert (row.id, row.finding_count, row.note_count) == (entry, 1, 2)
    # a file written before the change counted every finding: opening it recounts
    raw = sqlite3.connect(path)
    raw.execute("UPDATE entries SET finding_count = 3, note_count = 0")
    raw.execute("PRAGMA user_version = 2")
    raw.commit()
    raw.execute("ALTER TABLE entries DROP COLUMN note_count")
    raw.commit()
    raw.close()
    with History(path) as h:
        row = h.list()[0]
    assert (row.finding_count, row.note_count) == (1, 2)
