"""Searching the history fast: what a filter is matched against, the indexes kept for it, and how it is asked.

What matches is what the plain query it replaces selected (``plain_where``, still used where nothing faster
applies): the filter text is a substring of the URL, the method, the status code, the reason, the documented
status or the API's message, ignoring the case of ASCII letters (sqlite's LIKE); the method is equal, the status
in its class (0: no response), the documented status equal ignoring ASCII case. Only the clear (redacted)
columns are searched.

What makes it fast on 100,000 entries:
- ``entries_text``: one short row per entry. ``hay`` is the six searched columns lowered (sqlite's ``lower``:
  ASCII letters) and joined by U+001F; a text without U+001F is in one of the columns exactly when it is in
  ``hay``. ``tags`` holds the three filter values, each between its own mark:
  "\\x01GET\\x01\\x024\\x02\\x03not found\\x03", so "\\x024\\x02" is in ``tags`` exactly when the status class is 4.
  Filters holding these marks (nobody types them) take the plain query;
- ``entries_search``: sqlite's FTS5 full-text index of ``hay`` and ``tags`` with the trigram tokenizer (external
  content: the text is stored once, in ``entries_text``). A text of 3 characters or more is one quoted FTS5
  phrase, its trigrams at consecutive positions: exactly "is a substring of". Trigrams are case-sensitive over the
  lowered text, which keeps LIKE's ASCII-only folding (FTS5's own folding would also fold É and é). Method,
  status class and documented status mixed with such a text are ``tags`` phrases in the same MATCH;
- ``entries_grams``: a second FTS5 index holding rowids only (detail=none, no content), whose words are each
  entry's 1- and 2-character pieces of ``hay`` and its method, status class and documented status
  (``grams``): a 1- or 2-character text, which trigrams cannot find, and filters without a text are one word
  each, intersected by FTS5 without reading any entry;
- both indexes take new entries in batches of ``BATCH`` (one FTS5 segment per commit made each ``add`` cost
  about as much as everything else it does): ``history_state.indexed_upto`` is the highest id indexed, and a
  search adds what the rows above it (at most a batch) hold, scanning them in ``entries_text``;
- ``history_state.in_time_order``: 1 while the ids ascend with ``created_at`` (always, unless the clock went back
  or two processes raced), so "newest first" is "highest id first", the order FTS5 reads its matches in. An
  ``add`` that breaks it clears it; clearing the history sets it again.

Everything is written in the writer's transaction (see ``History``): an entry and its search rows commit together.
FTS5 may be missing from a Python's sqlite: ``entries_text`` is kept all the same and a text is found by scanning
it (the other filters take the plain query); ``history_state.search_fresh`` = 0 then says that a full-text index the
file has missed writes, and the next process with FTS5 rebuilds it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

TEXT_TABLE = "entries_text"
FTS_TABLE = "entries_search"
STATE_TABLE = "history_state"
GRAMS_TABLE = "entries_grams"
SEPARATOR = "\x1f"
METHOD_MARK, CLASS_MARK, DOCUMENTED_MARK = "\x01", "\x02", "\x03"
RESERVED = frozenset("\x00\x01\x02\x03" + SEPARATOR)  # a filter holding one of them takes the plain query
MIN_TRIGRAM = 3  # FTS5's trigram tokenizer matches substrings of at least 3 characters
BATCH = 400  # entries added before they go into the full-text index together
# Up to this many matches, the matching ids are read in one pass and the newest picked from them; beyond, they are
# counted and the newest read off the index newest first (it stops at the limit).
FEW = 500
# Without the full-text index, from this many matches on the newest are found walking the entries newest first
# (below, the matches are fetched by their index and sorted).
WALK = 2000
ROW_COLUMNS = ("id", "created_at", "method", "url", "status", "reason", "documented_status", "finding_count",
               "error_kind", "duration", "message", "note_count")
_ROW_SELECT = ", ".join(f"e.{c}" for c in ROW_COLUMNS)
_NEWEST = "ORDER BY e.created_at DESC, e.id DESC"

_HAY = ("lower(e.url) || char(31) || lower(e.method) || char(31) || ifnull(CAST(e.status AS TEXT), '') || char(31) "
        "|| ifnull(lower(e.reason), '') || char(31) || ifnull(lower(e.documented_status), '') || char(31) "
        "|| ifnull(lower(e.message), '')")
# The status class is status / 100 (sqlite divides integers: the class BETWEEN 100k AND 100k + 99 selects), "n"
# without a response; the documented status is lowered as NOCASE compares it (ASCII letters only).
_TAGS = ("char(1) || e.method || char(1) || char(2) || CASE WHEN e.has_response = 0 THEN 'n' "
         "ELSE ifnull(CAST(e.status / 100 AS TEXT), '') END || char(2) || char(3) || "
         "ifnull(lower(e.documented_status), '') || char(3)")

SCHEMA_V4 = f"""
CREATE TABLE IF NOT EXISTS {TEXT_TABLE} (
    id INTEGER PRIMARY KEY,
    hay TEXT NOT NULL,
    tags TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS {STATE_TABLE} (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    search_fresh INTEGER NOT NULL DEFAULT 0,
    indexed_upto INTEGER NOT NULL DEFAULT 0,
    in_time_order INTEGER NOT NULL DEFAULT 1
);
"""
_FTS_DDL = (f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(hay, tags, content='{TEXT_TABLE}', "
            "content_rowid='id', tokenize='trigram case_sensitive 1')")
# Rowids only (detail=none), no copy of the text (content=''): the words of ``grams`` below.
_GRAMS_DDL = f"CREATE VIRTUAL TABLE IF NOT EXISTS {GRAMS_TABLE} USING fts5(g, content='', detail=none)"


def grams(hay: str, method: str, status_class: str, documented: str | None) -> str:
    """One entry's words in entries_grams, each of letters and digits only (FTS5's default tokenizer keeps them
    whole): every 1- and 2-character piece of ``hay`` ("u70" for "p", "b70x61" for "pa"; a text this short is in
    ``hay`` exactly when its word is here, which trigrams cannot tell), then the method, the status class and the
    lowered documented status, each a word too (equal exactly when their words are)."""
    pieces = set(hay)
    pieces.update(hay[i:i + 2] for i in range(len(hay) - 1))
    if len(_PIECE_WORDS) > 200_000:
        _PIECE_WORDS.clear()
    # Pieces holding the separator are words too (no filter text asks for them); sorted: the same text in every
    # process, as FTS5 wants it back to delete the entry.
    words = sorted(map(_PIECE_WORDS.__getitem__, pieces))
    words += [method_word(method), class_word(status_class)]
    if documented is not None:
        words.append(documented_word(documented))
    return " ".join(words)


def _hex(text: str) -> str:
    return "x".join(f"{ord(c):x}" for c in text)


def piece_word(piece: str) -> str:
    return ("u" if len(piece) == 1 else "b") + _hex(piece)


class _Words(dict):
    """piece -> its word, remembered (the same few thousand pieces make up most entries)."""

    def __missing__(self, piece: str) -> str:
        word = self[piece] = piece_word(piece)
        return word


_PIECE_WORDS = _Words()


def method_word(method: str) -> str:
    return "m" + _hex(method)


def class_word(status_class: str) -> str:
    return "s" + status_class  # digits, or "n" without a response


def documented_word(documented: str) -> str:
    return "d" + _hex(documented)


# What ``grams`` is made of, per entry: the same class as ``_TAGS`` says, the documented status lowered by sqlite.
_GRAMS_OF = (f"SELECT t.id, t.hay, e.method, CASE WHEN e.has_response = 0 THEN 'n' ELSE "
             f"ifnull(CAST(e.status / 100 AS TEXT), '') END, lower(e.documented_status) "
             f"FROM {TEXT_TABLE} t JOIN entries e ON e.id = t.id")


class Filter(Protocol):
    """app.store.history.HistoryFilter (kept apart to avoid an import cycle)."""

    text: str
    method: str | None
    status_class: int | None
    documented_status: str | None


# --- schema -----------------------------------------------------------------------------------------------------


def fts_available(conn: sqlite3.Connection) -> bool:
    """Whether this connection's sqlite has FTS5 with the trigram tokenizer (sqlite >= 3.34 built with FTS5)."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.ri_fts_probe USING fts5(x, tokenize='trigram')")
        conn.execute("DROP TABLE temp.ri_fts_probe")
        return True
    except sqlite3.Error:
        return False


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def migrate_3_to_4(conn: sqlite3.Connection) -> None:
    """The search text, its state and the filter indexes; the full-text index itself is built by ``prepare``."""
    for statement in SCHEMA_V4.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"INSERT OR IGNORE INTO {STATE_TABLE} (id) VALUES (1)")
    _fill_text(conn)
    _check_order(conn)


def needs_prepare(conn: sqlite3.Connection, fts: bool) -> bool:
    """Whether ``prepare`` has something to write (it is then run in a write transaction)."""
    fresh = conn.execute(f"SELECT search_fresh FROM {STATE_TABLE}").fetchone()[0]
    if fts:
        return not (fresh and _has_table(conn, FTS_TABLE) and _has_table(conn, GRAMS_TABLE))
    return bool(fresh)


def prepare(conn: sqlite3.Connection, fts: bool) -> None:
    """At open, after the migrations: build the full-text index when this sqlite has FTS5 and it is missing or
    missed writes; without FTS5, mark an existing one as missing what this process will write."""
    if fts:
        conn.execute(_FTS_DDL)
        conn.execute(_GRAMS_DDL)
        _index_all(conn)
    else:
        conn.execute(f"UPDATE {STATE_TABLE} SET search_fresh = 0")


def _index_all(conn: sqlite3.Connection) -> None:
    conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    conn.execute(f"INSERT INTO {GRAMS_TABLE}({GRAMS_TABLE}) VALUES ('delete-all')")
    _index_grams(conn, "", ())
    conn.execute(f"UPDATE {STATE_TABLE} SET search_fresh = 1, "
                 f"indexed_upto = (SELECT ifnull(max(id), 0) FROM {TEXT_TABLE})")


def _index_grams(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> None:
    rows = conn.execute(f"{_GRAMS_OF} {where}", params).fetchall()
    conn.executemany(f"INSERT INTO {GRAMS_TABLE} (rowid, g) VALUES (?, ?)", [(r[0], grams(*r[1:])) for r in rows])


def _index(conn: sqlite3.Connection, where: str, params: Sequence[Any]) -> None:
    """Put the entries_text rows ``where`` (over ``t``) selects into both full-text indexes."""
    conn.execute(f"INSERT INTO {FTS_TABLE} (rowid, hay, tags) SELECT t.id, t.hay, t.tags FROM {TEXT_TABLE} t {where}",
                 params)
    _index_grams(conn, where, params)


def _fill_text(conn: sqlite3.Connection, ids: Sequence[int] | None = None) -> None:
    if ids is None:
        conn.execute(f"DELETE FROM {TEXT_TABLE}")
        conn.execute(f"INSERT INTO {TEXT_TABLE} (id, hay, tags) SELECT e.id, {_HAY}, {_TAGS} FROM entries e")
    else:
        for entry_id in ids:
            conn.execute(f"INSERT OR REPLACE INTO {TEXT_TABLE} (id, hay, tags) SELECT e.id, {_HAY}, {_TAGS} "
                         "FROM entries e WHERE e.id = ?", (entry_id,))


def _check_order(conn: sqlite3.Connection) -> None:
    """Set ``in_time_order`` from the rows (one pass, on migration and after a salvage)."""
    late = conn.execute("SELECT 1 FROM (SELECT created_at, lag(created_at) OVER (ORDER BY id) AS before "
                        "FROM entries) WHERE created_at < before LIMIT 1").fetchone()
    conn.execute(f"UPDATE {STATE_TABLE} SET in_time_order = ?", (0 if late else 1,))


# --- keeping it in step (inside the writer's transaction) -------------------------------------------------------


def before_add(conn: sqlite3.Connection, created_at: float) -> None:
    """Before inserting an entry made at ``created_at``: is it older than the newest one stored?"""
    newest = conn.execute("SELECT created_at FROM entries ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
    if newest is not None and created_at < newest[0]:
        conn.execute(f"UPDATE {STATE_TABLE} SET in_time_order = 0 WHERE in_time_order = 1")


def added(conn: sqlite3.Connection, entry_id: int, fts: bool) -> None:
    """The entry ``entry_id`` was inserted: its search text; every ``BATCH`` entries, the full-text index."""
    conn.execute(f"INSERT INTO {TEXT_TABLE} (id, hay, tags) SELECT e.id, {_HAY}, {_TAGS} FROM entries e "
                 "WHERE e.id = ?", (entry_id,))
    if fts:
        upto = conn.execute(f"SELECT indexed_upto FROM {STATE_TABLE}").fetchone()[0]
        if entry_id - upto >= BATCH:  # ids only grow: at most BATCH entries wait (fewer when some were deleted)
            _index(conn, "WHERE t.id > ?", (upto,))
            conn.execute(f"UPDATE {STATE_TABLE} SET indexed_upto = ?", (entry_id,))


def removing(conn: sqlite3.Connection, ids: Iterable[int], fts: bool) -> None:
    """The entries ``ids`` are about to be deleted: their search rows go first (FTS5 needs the old text)."""
    upto = conn.execute(f"SELECT indexed_upto FROM {STATE_TABLE}").fetchone()[0]
    for entry_id in ids:
        if fts and entry_id <= upto:
            conn.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, hay, tags) "
                         f"SELECT 'delete', id, hay, tags FROM {TEXT_TABLE} WHERE id = ?", (entry_id,))
            for row in conn.execute(f"{_GRAMS_OF} WHERE t.id = ?", (entry_id,)).fetchall():
                conn.execute(f"INSERT INTO {GRAMS_TABLE} ({GRAMS_TABLE}, rowid, g) VALUES ('delete', ?, ?)",
                             (entry_id, grams(*row[1:])))
        conn.execute(f"DELETE FROM {TEXT_TABLE} WHERE id = ?", (entry_id,))


def clearing(conn: sqlite3.Connection, fts: bool) -> None:
    """Every entry is about to be deleted."""
    if fts:
        conn.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")
        conn.execute(f"INSERT INTO {GRAMS_TABLE} ({GRAMS_TABLE}) VALUES ('delete-all')")
    conn.execute(f"DELETE FROM {TEXT_TABLE}")
    conn.execute(f"UPDATE {STATE_TABLE} SET in_time_order = 1")


def changed(conn: sqlite3.Connection, ids: Sequence[int], fts: bool) -> None:
    """The searched columns of ``ids`` were rewritten (sealing the rows of an old file): index them again."""
    upto = conn.execute(f"SELECT indexed_upto FROM {STATE_TABLE}").fetchone()[0]
    removing(conn, ids, fts)
    _fill_text(conn, ids)
    if fts:
        for entry_id in ids:
            if entry_id <= upto:
                _index(conn, "WHERE t.id = ?", (entry_id,))


def rebuild(conn: sqlite3.Connection, fts: bool) -> None:
    """Rows were copied in behind our back (a salvage): build the search text, order flag and index again."""
    _fill_text(conn)
    _check_order(conn)
    if fts and _has_table(conn, FTS_TABLE) and _has_table(conn, GRAMS_TABLE):
        _index_all(conn)


# --- asking -----------------------------------------------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def plain_where(filter: Filter | None, *, walk: bool = False, text: bool = True) -> tuple[list[str], list[Any]]:
    """The filter as WHERE clauses over ``entries e``: the query used before the search index (same results).

    ``walk`` keeps sqlite from choosing the status index (the caller walks the entries newest first instead);
    ``text=False`` leaves the filter text out.
    """
    if filter is None:
        return [], []
    clauses: list[str] = []
    params: list[Any] = []
    needle = filter.text.strip() if text else ""
    if needle:
        fields = ["e.url", "e.method", "CAST(e.status AS TEXT)", "e.reason", "e.documented_status", "e.message"]
        clauses.append("(" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields) + ")")
        params.extend([f"%{_escape_like(needle)}%"] * len(fields))
    if filter.method:
        clauses.append("e.method = ?")
        params.append(filter.method.strip().upper())
    if filter.status_class is not None:
        if filter.status_class == 0:
            clauses.append("e.has_response = 0")
        else:
            low = int(filter.status_class) * 100
            clauses.append(f"{'+' if walk else ''}e.status BETWEEN ? AND ?")
            params.extend([low, low + 99])
    if filter.documented_status:
        clauses.append("e.documented_status = ? COLLATE NOCASE")
        params.append(filter.documented_status.strip())
    return clauses, params


def _where(clauses: Sequence[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def _phrase(text: str) -> str:
    """``text`` as one FTS5 string: every character literal (quotes doubled), its trigrams in a row."""
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class Plan:
    """How one filter is asked.

    ``mode``: "all" (no filter), "plain" (the old query: no FTS5, or what the tags cannot say), "fts" (``source``
    selects the matching ids the full-text indexes hold, ``scan`` the entries above ``upto`` they do not hold yet),
    "scan" (``scan``: the rows of entries_text, without FTS5).
    """

    mode: str
    source: str = ""  # fts: SELECT rowid ... of the indexed matches
    source_params: tuple[Any, ...] = ()
    scan: list[str] = field(default_factory=list)  # clauses over entries_text t
    scan_params: list[Any] = field(default_factory=list)


class Searcher:
    """Counts and lists the entries matching a filter on one connection (the caller holds its lock and has begun
    a read transaction, so that both see one state)."""

    def __init__(self, conn: sqlite3.Connection, fts: bool) -> None:
        self.conn = conn
        fresh, self.upto, in_order = conn.execute(
            f"SELECT search_fresh, indexed_upto, in_time_order FROM {STATE_TABLE}").fetchone()
        self.fts_ok = fts and bool(fresh)  # the full-text indexes hold every entry up to ``upto``
        self.in_time_order = bool(in_order)  # newest first is highest id first

    def _lower(self, text: str) -> str:
        """``text`` through sqlite's own ``lower`` (what lowered the indexed text)."""
        return self.conn.execute("SELECT lower(?)", (text,)).fetchone()[0]

    def plan(self, filter: Filter | None) -> Plan:
        if filter is None:
            return Plan("all")
        needle = filter.text.strip()
        method = filter.method.strip().upper() if filter.method else ""
        documented = filter.documented_status.strip() if filter.documented_status else ""
        status = filter.status_class
        if not (needle or method or status is not None or filter.documented_status):
            return Plan("all")
        odd = any(c in RESERVED for value in (needle, method, documented) for c in value)
        if odd or (filter.documented_status and not documented) or (status is not None and status < 0):
            return Plan("plain")  # what the tags cannot say exactly: the old query
        tags = []
        if method:
            tags.append(f"{METHOD_MARK}{method}{METHOD_MARK}")
        if status is not None:
            tags.append(f"{CLASS_MARK}{int(status) if status else 'n'}{CLASS_MARK}")
        if documented:
            tags.append(f"{DOCUMENTED_MARK}{self._lower(documented)}{DOCUMENTED_MARK}")
        scan = (["t.hay LIKE ? ESCAPE '\\'"] if needle else []) + ["instr(t.tags, ?) > 0"] * len(tags)
        scan_params = ([f"%{_escape_like(needle)}%"] if needle else []) + tags
        if not self.fts_ok:
            return Plan("scan", scan=scan, scan_params=scan_params) if needle else Plan("plain")
        if needle and len(needle) >= MIN_TRIGRAM:  # the text's trigrams, and the filters' tags, in entries_search
            terms = [f"hay : {_phrase(self._lower(needle))}"] + [f"tags : {_phrase(t)}" for t in tags]
            source = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        else:  # a short text and the filters: one word each in entries_grams (rowids only, quick to intersect)
            words = [piece_word(self._lower(needle))] if needle else []
            if method:
                words.append(method_word(method))
            if status is not None:
                words.append(class_word(str(int(status)) if status else "n"))
            if documented:
                words.append(documented_word(self._lower(documented)))
            terms = [_phrase(w) for w in words]
            source = f"SELECT rowid FROM {GRAMS_TABLE} WHERE {GRAMS_TABLE} MATCH ?"
        return Plan("fts", source=source, source_params=(" AND ".join(terms),), scan=["t.id > ?", *scan],
                    scan_params=[self.upto, *scan_params])

    # --- count -------------------------------------------------------------------------------------------------

    def count(self, filter: Filter | None, plan: Plan | None = None) -> int:
        plan = plan or self.plan(filter)
        if plan.mode == "fts":
            return self._fts_count(plan) + self._scan_count(plan)
        if plan.mode == "scan":
            return self._scan_count(plan)
        clauses, params = plain_where(filter if plan.mode == "plain" else None)
        return int(self.conn.execute(f"SELECT count(*) FROM entries e {_where(clauses)}", params).fetchone()[0])

    def _fts_count(self, plan: Plan) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM ({plan.source})", plan.source_params).fetchone()[0])

    def _scan_count(self, plan: Plan) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {TEXT_TABLE} t {_where(plan.scan)}",
                                     plan.scan_params).fetchone()[0])

    # --- rows --------------------------------------------------------------------------------------------------

    def search(self, filter: Filter | None, limit: int, *, rows: bool = True) -> tuple[list[tuple], int]:
        """The newest ``limit`` entries matching ``filter`` (none when not ``rows``) and how many match."""
        limit = max(0, limit) if rows else 0
        plan = self.plan(filter)
        if plan.mode == "fts":
            return self._fts_search(plan, limit)
        total = self.count(filter, plan)
        if limit == 0 or total == 0:
            return [], total
        if plan.mode == "scan":
            order = "ORDER BY t.id DESC" if self.in_time_order else _NEWEST
            sql = (f"SELECT {_ROW_SELECT} FROM {TEXT_TABLE} t JOIN entries e ON e.id = t.id {_where(plan.scan)} "
                   f"{order} LIMIT ?")
            return self.conn.execute(sql, [*plan.scan_params, limit]).fetchall(), total
        # Many matches: walk the entries newest first (the status index would fetch and sort them all).
        clauses, params = plain_where(filter if plan.mode == "plain" else None, walk=total >= WALK)
        sql = f"SELECT {_ROW_SELECT} FROM entries e {_where(clauses)} {_NEWEST} LIMIT ?"
        return self.conn.execute(sql, [*params, limit]).fetchall(), total

    def _fts_search(self, plan: Plan, limit: int) -> tuple[list[tuple], int]:
        above = [r[0] for r in self.conn.execute(
            f"SELECT t.id FROM {TEXT_TABLE} t {_where(plan.scan)} ORDER BY t.id DESC", plan.scan_params)]
        cursor = self.conn.execute(plan.source, plan.source_params)
        first = cursor.fetchmany(FEW + 1)
        if len(first) <= FEW:  # all of them, in one pass
            ids = above + [r[0] for r in first]
            return self._by_ids(ids, limit), len(ids)
        cursor.close()
        total = self._fts_count(plan) + len(above)
        if limit == 0:
            return [], total
        if self.in_time_order:  # FTS5 reads its matches highest rowid first and stops at the limit
            ids = above[:limit] + [r[0] for r in self.conn.execute(
                f"{plan.source} ORDER BY rowid DESC LIMIT ?", (*plan.source_params, max(0, limit - len(above))))]
            return self._by_ids(ids, limit), total
        sql = (f"SELECT {_ROW_SELECT} FROM entries e INDEXED BY entries_created WHERE e.id IN ({plan.source} "
               f"UNION ALL SELECT value FROM json_each(?)) {_NEWEST} LIMIT ?")
        return self.conn.execute(sql, (*plan.source_params, json.dumps(above), limit)).fetchall(), total

    def _by_ids(self, ids: list[int], limit: int) -> list[tuple]:
        if not ids or limit == 0:
            return []
        if self.in_time_order:
            ids = sorted(ids, reverse=True)[:limit]  # the newest are the highest ids: fetch only those
        sql = (f"SELECT {_ROW_SELECT} FROM entries e WHERE e.id IN (SELECT value FROM json_each(?)) "
               f"{_NEWEST} LIMIT ?")
        return self.conn.execute(sql, (json.dumps(ids), limit)).fetchall()
