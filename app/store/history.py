"""History of sent requests in one sqlite file (WAL mode), safe to call from worker threads.

Connection strategy: ONE sqlite connection per ``History`` object, opened with
``check_same_thread=False`` and guarded by a ``threading.Lock``. Reasons:
- the GUI calls us through ``asyncio.to_thread`` whose pool threads come and go; thread-local
  connections would be opened lazily in threads we do not own and could never be closed by ``close()``;
- sqlite serialises writers anyway, and every call here is a short indexed query or one insert, so the
  lock costs nothing noticeable while making ``close()`` deterministic.
Several ``History`` objects (or processes) on the same file are fine too: WAL lets readers run next to
the writer and ``busy_timeout`` makes a second writer wait instead of failing with "database is locked".

Crash safety: every ``add`` is one transaction. In WAL mode with ``synchronous=NORMAL`` a committed
transaction survives the process being killed (only an OS crash/power cut may lose the last few).

Errors: every sqlite failure surfaces as ``HistoryError`` whose ``str()`` is a sentence for a person;
``HistoryError.corrupt`` says whether moving the file aside (``History.open_or_recover``) would help.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from app.core.clock import Clock, SystemClock
from app.core.models import (
    DocumentedStatus,
    Exchange,
    Finding,
    HttpRequest,
    HttpResponse,
    Timing,
    TransportError,
)
from app.store import history_search as search
from app.store.at_rest import TEXT_COLUMNS, open_row, seal_row
from app.store.atomic import move_aside
from app.store.spilled import remove_spilled
from app.store.vault import Vault, session_vault

DEFAULT_BODY_CAP = 256 * 1024
SCHEMA_VERSION = 4
BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 16 * 1024  # sqlite's page cache for this connection (its default is 2 MiB)
DB_NAME = "history.sqlite3"
T = TypeVar("T")


class HistoryError(Exception):
    """A history problem explained in one sentence. ``corrupt`` is True when the file itself is unusable."""

    def __init__(self, message: str, *, corrupt: bool = False, detail: str = "") -> None:
        super().__init__(message)
        self.corrupt = corrupt
        self.detail = detail


@dataclass(frozen=True)
class HistoryFilter:
    """What the history list shows. Empty/None fields do not filter.

    ``status_class``: 2 for 2xx, 4 for 4xx, ...; 0 means "no response" (transport errors).
    ``text`` matches URL, method, status code, reason, documented status and message (case-insensitive).
    """

    text: str = ""
    method: str | None = None
    status_class: int | None = None
    documented_status: str | None = None


@dataclass(frozen=True)
class HistoryRow:
    """One line of the history list (cheap: no bodies)."""

    id: int
    created_at: float
    method: str
    url: str
    status: int | None
    reason: str | None
    documented_status: str | None
    finding_count: int  # warnings and errors (what the ⚠ column counts)
    error_kind: str | None
    duration: float | None
    message: str | None = None
    note_count: int = 0  # informational findings (Location, RateLimit, ...): shown on hover


@dataclass(frozen=True)
class HistoryMatches:
    """One answer to a filter: the rows listed (newest first) and how many entries match in all."""

    rows: tuple[HistoryRow, ...]
    total: int


@dataclass(frozen=True)
class HistoryEntry:
    """A stored exchange rebuilt, plus what was said about it when it was stored.

    When a body was longer than the cap, only its first ``body_cap`` bytes were kept:
    ``request_body_truncated``/``response_body_truncated`` say so and ``*_body_size`` give the full size.
    A truncated response body also comes back with ``HttpResponse.body_truncated = True``.
    """

    id: int
    created_at: float
    exchange: Exchange
    findings: tuple[Finding, ...]
    documented: DocumentedStatus | None
    message: str | None
    request_body_truncated: bool = False
    request_body_size: int | None = None
    response_body_truncated: bool = False
    response_body_size: int | None = None
    secrets_hidden: bool = False  # its secrets were sealed with a key this session does not have: shown redacted


# --- schema and migrations ----------------------------------------------------------------------

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at REAL NOT NULL,
    started_at REAL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    req_headers TEXT NOT NULL,
    req_body_size INTEGER,
    req_body_truncated INTEGER NOT NULL DEFAULT 0,
    req_chunked INTEGER NOT NULL DEFAULT 0,
    has_response INTEGER NOT NULL DEFAULT 0,
    status INTEGER,
    reason TEXT,
    http_version TEXT,
    resp_headers TEXT,
    resp_body_size INTEGER,
    resp_body_truncated INTEGER NOT NULL DEFAULT 0,
    resp_was_truncated INTEGER NOT NULL DEFAULT 0,
    resp_body_path TEXT,
    resp_decoded_bytes INTEGER,
    wire_bytes INTEGER,
    framing TEXT,
    timing TEXT NOT NULL DEFAULT '{}',
    duration REAL,
    error_kind TEXT,
    error_text TEXT,
    error_detail TEXT,
    findings TEXT NOT NULL DEFAULT '[]',
    finding_count INTEGER NOT NULL DEFAULT 0,
    documented_code INTEGER,
    documented_status TEXT,
    documented_source TEXT,
    documented_json TEXT,
    message TEXT,
    notes TEXT NOT NULL DEFAULT '[]'
);
-- Bodies live apart so that listing/filtering scans only small rows (no overflow pages).
CREATE TABLE IF NOT EXISTS bodies (
    id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
    req_body BLOB,
    resp_body BLOB
);
CREATE INDEX IF NOT EXISTS entries_created ON entries(created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS entries_status ON entries(status);
"""


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run ``;``-separated DDL inside the caller's transaction (``executescript`` would COMMIT first)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    _run_script(conn, _SCHEMA_V1)


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Secrets at rest: ``bodies.sealed`` holds a row's encrypted originals; ``entries.at_rest`` = 0 marks rows
    written in clear by older versions (sealed on the next open, see ``History._seal_old_rows``)."""
    conn.execute("ALTER TABLE entries ADD COLUMN at_rest INTEGER NOT NULL DEFAULT 0")
    conn.execute("ALTER TABLE bodies ADD COLUMN sealed BLOB")


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """``finding_count`` counts warnings and errors only (every 201 showed "2" for its Location and RateLimit
    notes); ``note_count`` keeps the informational ones. Existing rows are recounted from their findings."""
    conn.execute("ALTER TABLE entries ADD COLUMN note_count INTEGER NOT NULL DEFAULT 0")
    conn.execute("UPDATE entries SET "
                 "note_count = (SELECT COUNT(*) FROM json_each(entries.findings) "
                 "              WHERE json_extract(value, '$.severity') = 'info'), "
                 "finding_count = (SELECT COUNT(*) FROM json_each(entries.findings) "
                 "                 WHERE json_extract(value, '$.severity') != 'info') "
                 "WHERE json_valid(findings)")


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    """Filtering 100,000 entries in milliseconds: the search text, filter indexes (app.store.history_search)."""
    search.migrate_3_to_4(conn)


# Index i migrates from version i to version i + 1.
_MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_migrate_0_to_1, _migrate_1_to_2, _migrate_2_to_3,
                                                           _migrate_3_to_4]
assert len(_MIGRATIONS) == SCHEMA_VERSION


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back when anything in the block raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _seal_old_rows(conn: sqlite3.Connection, vault: Vault, fts: bool) -> int:
    """Rows an older version wrote in clear: keep only their redacted form in clear, seal the originals, then
    rewrite the file (VACUUM) and empty the WAL so that no clear copy of a secret is left in either."""
    ids = [r[0] for r in conn.execute("SELECT id FROM entries WHERE at_rest = 0").fetchall()]
    if not ids:
        return 0
    with _transaction(conn):
        for entry_id in ids:
            cur = conn.execute("SELECT e.*, b.req_body, b.resp_body FROM entries e LEFT JOIN bodies b ON b.id = e.id "
                               "WHERE e.id = ?", (entry_id,))
            row = dict(zip([d[0] for d in cur.description], cur.fetchone()))
            clear, sealed = seal_row(row, vault)
            conn.execute(f"UPDATE entries SET {', '.join(f'{c} = ?' for c in TEXT_COLUMNS)}, at_rest = 1 WHERE id = ?",
                         [*(clear[c] for c in TEXT_COLUMNS), entry_id])
            conn.execute("UPDATE bodies SET req_body = ?, resp_body = ?, sealed = ? WHERE id = ?",
                         (clear["req_body"], clear["resp_body"], sealed, entry_id))
        search.changed(conn, ids, fts)  # their URL and message are searched in their redacted form
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    return len(ids)


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema up to ``SCHEMA_VERSION`` (each step in its own transaction); return the version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"The history file was written by a newer version of Request Inspector (schema {version}); "
            "update the app to read it.",
        )
    while version < SCHEMA_VERSION:
        with _transaction(conn):
            # Another process may have migrated between our read and our lock.
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current == version:
                _MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


# --- helpers ------------------------------------------------------------------------------------


def _headers_json(headers: Sequence[tuple[str, str]]) -> str:
    return json.dumps([[k, v] for k, v in headers], ensure_ascii=False)


def _headers_from(text: str | None) -> tuple[tuple[str, str], ...]:
    if not text:
        return ()
    return tuple((str(k), str(v)) for k, v in json.loads(text))


def _cap(body: bytes | None, cap: int) -> tuple[bytes | None, int | None, bool]:
    if body is None:
        return None, None, False
    size = len(body)
    if size > cap:
        return bytes(body[:cap]), size, True
    return bytes(body), size, False


_DB_ERROR_SENTENCE = "The history file {path} is damaged or is not a history database"


Trouble = Literal["busy", "no-access", "full", "damaged", "other"]

# sqlite's primary result codes (the low byte of an extended code such as SQLITE_BUSY_SNAPSHOT) -> what went wrong.
_TROUBLE_BY_CODE: dict[int, Trouble] = {
    sqlite3.SQLITE_BUSY: "busy",  # another connection holds a lock past our busy_timeout
    sqlite3.SQLITE_LOCKED: "busy",
    sqlite3.SQLITE_READONLY: "no-access",
    sqlite3.SQLITE_CANTOPEN: "no-access",
    sqlite3.SQLITE_PERM: "no-access",
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_CORRUPT: "damaged",  # "database disk image is malformed"
    sqlite3.SQLITE_NOTADB: "damaged",  # "file is not a database"
}


def _trouble(exc: sqlite3.Error) -> Trouble:
    """What kind of failure ``exc`` is, from sqlite's result code (Python >= 3.11 puts it on the exception).

    For the codes not in the table the class decides: the sqlite3 module raises the bare DatabaseError class (no
    subclass) for a file it cannot use as a database (corrupt, not a database, unknown format).
    """
    code = getattr(exc, "sqlite_errorcode", None)
    trouble = _TROUBLE_BY_CODE.get(code & 0xFF) if code is not None else None
    if trouble is not None:
        return trouble
    return "damaged" if type(exc) is sqlite3.DatabaseError else "other"


class History:
    """The request history in the sqlite file ``path`` (default: ``data_home()/history.sqlite3``)."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, clock: Clock | None = None,
                 vault: Vault | None = None, bodies_dir: str | os.PathLike[str] | None = None) -> None:
        if path is None:
            from app.paths import data_home

            path = data_home() / DB_NAME
        self.path = Path(path)
        self._clock = clock or SystemClock()
        self._vault = vault or session_vault()  # secrets are never written in clear, whatever the caller passed
        # Spilled response bodies (the window's transport temp folder): removed with their entries.
        self.bodies_dir = Path(bodies_dir) if bodies_dir is not None else self.path.parent / "bodies"
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._fts = False  # this sqlite has FTS5 with trigrams (see app.store.history_search)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(f"Cannot create the folder for the history file {self.path.parent}: {exc.strerror}.") from exc
        if self.path.is_dir():
            raise HistoryError(f"The history file {self.path} is a folder, not a file.")
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
            )
        except sqlite3.Error as exc:
            raise HistoryError(f"Cannot open the history file {self.path}: {exc}.", detail=repr(exc)) from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Only takes effect on a new, empty file (before WAL and the first table); a no-op otherwise.
            # It lets clear() give disk space back with incremental_vacuum.
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise HistoryError(
                    f"The history file {self.path} cannot use write-ahead logging (journal mode stays {mode!r}); "
                    "is it on a network or read-only drive?",
                )
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")  # deleted rows (and replaced clear secrets) are zeroed
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # the search text of 100,000 entries stays in memory
            migrate(conn)
            self._fts = search.fts_available(conn)
            if search.needs_prepare(conn, self._fts):
                with _transaction(conn):
                    search.prepare(conn, self._fts)
            _seal_old_rows(conn, self._vault, self._fts)
        except HistoryError:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._db_error(exc) from exc
        self._conn = conn

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open_or_recover(
        cls, path: str | os.PathLike[str] | None = None, *, clock: Clock | None = None, check: bool = True,
        vault: Vault | None = None,
    ) -> tuple[History, str | None]:
        """Open the history; if the file is damaged, move it aside and start a fresh one.

        Returns ``(history, note)``; ``note`` is None when all was well, else a sentence for the user naming
        where the broken file went. ``check=True`` also runs sqlite's ``quick_check`` on a file that opened.
        Errors that a fresh file would not fix (no permission, newer schema) are raised as ``HistoryError``.
        """
        if path is None:
            from app.paths import data_home

            path = data_home() / DB_NAME
        path = Path(path)
        history: History | None = None
        try:
            history = cls(path, clock=clock, vault=vault)
            if check:
                history.check()
            return history, None
        except HistoryError as exc:
            if not exc.corrupt:
                raise
            if history is not None:
                history.close()
            reason = str(exc).rstrip(".")
        moved = move_aside(path)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, moved.with_name(moved.name + suffix))
        history = cls(path, clock=clock, vault=vault)
        saved = history._salvage(moved)
        started = (f"a new history was started with the {saved} entr{'y' if saved == 1 else 'ies'} that could "
                   "still be read" if saved else "a new, empty history was started (no entry could be read)")
        note = f"{reason}. It was moved aside to {moved} and {started}; the old file is kept so it can be inspected."
        return history, note

    def _salvage(self, damaged: Path) -> int:
        """Copy what can still be read from the moved-aside ``damaged`` file; return how many entries."""
        from app.store.history_salvage import salvage

        try:
            with self._writing() as conn:
                saved, _ = salvage(damaged, conn)
                search.rebuild(conn, self._fts)
            with self._lock:
                _seal_old_rows(self._connection(), self._vault, self._fts)  # rows from a file written before sealing
        except (HistoryError, sqlite3.Error):
            return 0
        return saved

    def check(self) -> None:
        """Run sqlite's quick consistency check; raise ``HistoryError(corrupt=True)`` when it fails."""
        with self._lock:
            conn = self._connection()
            try:
                rows = conn.execute("PRAGMA quick_check").fetchall()
            except sqlite3.DatabaseError as exc:
                raise self._db_error(exc) from exc
        result = [r[0] for r in rows]
        if result != ["ok"]:
            raise HistoryError(
                _DB_ERROR_SENTENCE.format(path=self.path) + ".", corrupt=True, detail="; ".join(map(str, result[:10]))
            )

    def close(self) -> None:
        """Close the connection (idempotent). Later calls raise ``HistoryError``."""
        with self._lock:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                conn.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------

    def add(
        self,
        exchange: Exchange,
        *,
        documented: DocumentedStatus | None,
        findings: Sequence[Finding],
        message: str | None,
        body_cap: int = DEFAULT_BODY_CAP,
    ) -> int:
        """Store one exchange in one transaction; return its id. Bodies longer than ``body_cap`` are cut."""
        if body_cap < 0:
            raise ValueError("body_cap must be >= 0")
        req = exchange.request
        resp = exchange.response
        req_body, req_size, req_cut = _cap(req.body, body_cap)
        values: dict[str, Any] = {
            "created_at": self._clock.now(),
            "started_at": exchange.started_at,
            "method": req.method,
            "url": req.url,
            "req_headers": _headers_json(req.headers),
            "req_body_size": req_size,
            "req_body_truncated": int(req_cut),
            "req_chunked": int(req.chunked),
            "has_response": int(resp is not None),
            "timing": json.dumps(exchange.timing.__dict__),
            "duration": exchange.timing.total,
            "findings": json.dumps([f.to_json() for f in findings], ensure_ascii=False),
            "finding_count": sum(1 for f in findings if f.severity != "info"),
            "note_count": sum(1 for f in findings if f.severity == "info"),
            "message": message,
            "notes": json.dumps(list(exchange.notes), ensure_ascii=False),
            "at_rest": 1,
        }
        if resp is not None:
            resp_body, resp_size, resp_cut = _cap(resp.body, body_cap)
            values.update(
                status=resp.status,
                reason=resp.reason,
                http_version=resp.http_version,
                resp_headers=_headers_json(resp.headers),
                resp_body_size=resp_size,
                resp_body_truncated=int(resp_cut),
                resp_was_truncated=int(resp.body_truncated),
                resp_body_path=resp.body_path,
                resp_decoded_bytes=resp.decoded_bytes,
                wire_bytes=resp.wire_bytes,
                framing=resp.framing,
            )
        else:
            resp_body = None
        if exchange.error is not None:
            values.update(
                error_kind=exchange.error.kind, error_text=exchange.error.text, error_detail=exchange.error.detail
            )
        if documented is not None:
            values.update(
                documented_code=documented.code,
                documented_status=documented.status,
                documented_source=documented.source,
                documented_json=json.dumps({**documented.to_json(), "note": documented.note}, ensure_ascii=False),
            )
        values, sealed = seal_row({**values, "req_body": req_body, "resp_body": resp_body}, self._vault)
        req_body, resp_body = values.pop("req_body"), values.pop("resp_body")
        columns = ", ".join(values)
        marks = ", ".join(f":{k}" for k in values)
        sql = f"INSERT INTO entries ({columns}) VALUES ({marks})"
        with self._writing() as conn:
            search.before_add(conn, values["created_at"])
            row_id = conn.execute(sql, values).lastrowid
            conn.execute("INSERT INTO bodies (id, req_body, resp_body, sealed) VALUES (?, ?, ?, ?)",
                         (row_id, req_body, resp_body, sealed))
            search.added(conn, row_id, self._fts)
        assert row_id is not None
        return int(row_id)

    def delete(self, entry_id: int) -> bool:
        """Remove one entry (and its spilled body file); True when it existed."""
        with self._writing() as conn:
            paths = [r[0] for r in conn.execute("SELECT resp_body_path FROM entries WHERE id = ?", (int(entry_id),))]
            search.removing(conn, [int(entry_id)], self._fts)
            conn.execute("DELETE FROM bodies WHERE id = ?", (int(entry_id),))
            cur = conn.execute("DELETE FROM entries WHERE id = ?", (int(entry_id),))
        remove_spilled(paths, self.bodies_dir)
        return cur.rowcount > 0

    def clear(self) -> int:
        """Remove every entry (and the spilled body files); return how many there were."""
        with self._writing(compact=True) as conn:
            paths = [r[0] for r in conn.execute("SELECT resp_body_path FROM entries WHERE resp_body_path IS NOT NULL")]
            search.clearing(conn, self._fts)
            conn.execute("DELETE FROM bodies")
            cur = conn.execute("DELETE FROM entries")
        remove_spilled(paths, self.bodies_dir)
        return cur.rowcount

    # --- reading ------------------------------------------------------------------------------

    def count(self, filter: HistoryFilter | None = None) -> int:
        """How many entries there are (matching ``filter`` when given)."""
        return self._searching(lambda s: s.count(filter))

    def list(self, filter: HistoryFilter | None = None, limit: int = 500) -> list[HistoryRow]:  # noqa: A003
        """Entries matching ``filter``, newest first, at most ``limit`` of them."""
        return list(self.search(filter, limit).rows)

    def search(self, filter: HistoryFilter | None = None, limit: int = 500) -> HistoryMatches:
        """What the history list shows: the newest ``limit`` entries matching ``filter`` and how many match in all
        (app.store.history_search says how this stays fast on 100,000 entries)."""
        rows, total = self._searching(lambda s: s.search(filter, int(limit)))
        return HistoryMatches(tuple(HistoryRow(*row) for row in rows), total)

    def get(self, entry_id: int) -> HistoryEntry:
        """The stored exchange ``entry_id``; ``HistoryError`` when there is no such entry."""
        rows = self._query(
            "SELECT e.*, b.req_body, b.resp_body, b.sealed FROM entries e LEFT JOIN bodies b ON b.id = e.id "
            "WHERE e.id = ?",
            [int(entry_id)],
            names=True,
        )
        if not rows:
            raise HistoryError(f"History entry {entry_id} does not exist (it may have been deleted).")
        r, hidden = open_row(rows[0], rows[0].get("sealed"), self._vault)
        try:
            return replace(self._entry(r), secrets_hidden=hidden)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
            raise HistoryError(
                f"History entry {entry_id} could not be read back (its stored data is malformed).", detail=repr(exc)
            ) from exc

    # --- internals ----------------------------------------------------------------------------

    @staticmethod
    def _entry(r: dict[str, Any]) -> HistoryEntry:
        request = HttpRequest(
            method=r["method"],
            url=r["url"],
            headers=_headers_from(r["req_headers"]),
            body=None if r["req_body"] is None else bytes(r["req_body"]),
            chunked=bool(r["req_chunked"]),
        )
        response: HttpResponse | None = None
        if r["has_response"]:
            response = HttpResponse(
                status=int(r["status"]),
                reason=r["reason"] or "",
                http_version=r["http_version"] or "HTTP/1.1",
                headers=_headers_from(r["resp_headers"]),
                body=bytes(r["resp_body"] or b""),
                wire_bytes=r["wire_bytes"],
                framing=r["framing"] or "unknown",
                body_truncated=bool(r["resp_was_truncated"] or r["resp_body_truncated"]),
                body_path=r["resp_body_path"],
                decoded_bytes=r["resp_decoded_bytes"],
            )
        timing_data = json.loads(r["timing"] or "{}")
        timing = Timing(**{k: timing_data.get(k) for k in Timing.__dataclass_fields__})
        error = None
        if r["error_kind"] is not None:
            error = TransportError(kind=r["error_kind"], text=r["error_text"] or "", detail=r["error_detail"] or "")
        exchange = Exchange(
            request=request,
            response=response,
            timing=timing,
            error=error,
            started_at=r["started_at"],
            notes=tuple(json.loads(r["notes"] or "[]")),
        )
        findings = tuple(
            Finding(id=f["id"], severity=f["severity"], side=f["side"], header=f["header"], text=f["text"])
            for f in json.loads(r["findings"] or "[]")
        )
        documented = None
        if r["documented_json"]:
            d = json.loads(r["documented_json"])
            documented = DocumentedStatus(
                code=int(d["code"]),
                status=d["status"],
                description=d.get("description", ""),
                section=d.get("section", ""),
                source=d["source"],
                note=d.get("note"),
            )
        return HistoryEntry(
            id=int(r["id"]),
            created_at=float(r["created_at"]),
            exchange=exchange,
            findings=findings,
            documented=documented,
            message=r["message"],
            request_body_truncated=bool(r["req_body_truncated"]),
            request_body_size=r["req_body_size"],
            response_body_truncated=bool(r["resp_body_truncated"]),
            response_body_size=r["resp_body_size"],
        )

    @contextlib.contextmanager
    def _writing(self, *, compact: bool = False) -> Iterator[sqlite3.Connection]:
        """Under the lock, one write transaction; sqlite failures become ``HistoryError`` sentences.

        ``compact``: after the commit, return freed pages to the file system and truncate the WAL.
        """
        with self._lock:
            conn = self._connection()
            try:
                with _transaction(conn):
                    yield conn
                if compact:
                    conn.executescript("PRAGMA incremental_vacuum;")  # execute() would free one page only
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            except sqlite3.DatabaseError as exc:
                raise self._db_error(exc, writing=True) from exc

    def _searching(self, ask: Callable[[search.Searcher], T]) -> T:
        """``ask`` run with a searcher on our connection, under the lock (reads see one consistent state)."""
        with self._lock:
            conn = self._connection()
            try:
                conn.execute("BEGIN")  # count and rows from the same snapshot
                try:
                    return ask(search.Searcher(conn, self._fts))
                finally:
                    conn.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                raise self._db_error(exc) from exc

    def _query(self, sql: str, params: Sequence[Any], *, names: bool = False) -> list[Any]:
        with self._lock:
            conn = self._connection()
            try:
                cur = conn.execute(sql, params)
                rows = cur.fetchall()
            except sqlite3.DatabaseError as exc:
                raise self._db_error(exc) from exc
            if names:
                cols = [d[0] for d in cur.description]
                return [dict(zip(cols, row)) for row in rows]
            return rows

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise HistoryError("The history is closed.")
        return self._conn

    def _db_error(self, exc: sqlite3.Error, *, writing: bool = False) -> HistoryError:
        trouble = _trouble(exc)
        if trouble == "busy":
            return HistoryError(
                f"The history file {self.path} is busy (another program keeps it locked); try again in a moment.",
                detail=repr(exc),
            )
        if trouble == "no-access":
            return HistoryError(
                f"Cannot {'write to' if writing else 'open'} the history file {self.path}: "
                "the file or its folder is read-only or not accessible.",
                detail=repr(exc),
            )
        if trouble == "full":
            return HistoryError(
                f"The disk holding the history file {self.path} is full; the entry was not saved.", detail=repr(exc)
            )
        if trouble == "damaged":
            return HistoryError(_DB_ERROR_SENTENCE.format(path=self.path) + ".", corrupt=True, detail=repr(exc))
        return HistoryError(f"The history file {self.path} could not be used: {exc}.", detail=repr(exc))

