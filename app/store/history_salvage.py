"""Copying what can still be read out of a damaged history file into a fresh one (like sqlite's ``.recover``).

Random bytes over a few pages of a 200-entry file used to cost all 200 entries: the file failed its check and
was moved aside whole. Here the moved-aside file is opened read-only and its rows are read along the primary
key: first in order until a damaged page stops the scan, then backwards from the end, then the ids in between
one by one (each a separate b-tree lookup, so one bad page loses only the rows on it). A row's body is read
separately: a damaged body page keeps the entry without its body. Nothing here raises for what the file holds.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

MAX_PROBES = 200_000  # ids looked up one by one between the readable ends (bounds the time on a huge gap)


def _connect(path: Path) -> sqlite3.Connection | None:
    for query in ("mode=ro", "mode=ro&immutable=1"):
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
            conn.execute("SELECT 1 FROM entries LIMIT 1").fetchall()
            return conn
        except sqlite3.Error:
            continue
    return None


def _scan(conn: sqlite3.Connection, order: str, ids: set[int]) -> None:
    try:
        for (row_id,) in conn.execute(f"SELECT id FROM entries ORDER BY id {order}"):
            ids.add(int(row_id))
    except sqlite3.Error:
        pass  # a damaged page ends this direction


def _readable_ids(conn: sqlite3.Connection) -> list[int]:
    ids: set[int] = set()
    _scan(conn, "ASC", ids)
    _scan(conn, "DESC", ids)
    if ids:
        low, high = min(ids), max(ids)
        for row_id in range(low + 1, min(high, low + MAX_PROBES)):
            if row_id in ids:
                continue
            try:
                if conn.execute("SELECT 1 FROM entries WHERE id = ?", (row_id,)).fetchone():
                    ids.add(row_id)
            except sqlite3.Error:
                continue
    return sorted(ids)


def _row(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None:
    try:
        cur = conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        values = cur.fetchone()
    except sqlite3.Error:
        return None
    return dict(zip([d[0] for d in cur.description], values)) if values else None


def _insert(target: sqlite3.Connection, table: str, row: dict[str, Any], columns: set[str]) -> None:
    row = {k: v for k, v in row.items() if k in columns}
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    target.execute(f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def salvage(source: Path, target: sqlite3.Connection) -> tuple[int, int]:
    """Copy the readable rows of the history file ``source`` into ``target`` (a fresh history, inside the
    caller's transaction); return ``(entries saved, ids seen)``."""
    sidecars = [source.with_name(source.name + suffix) for suffix in ("-wal", "-shm")]
    made = [p for p in sidecars if not p.exists()]  # a read-only open may create them: removed afterwards
    conn = _connect(source)
    if conn is None:
        _remove(made)
        return 0, 0
    try:
        ids = _readable_ids(conn)
        columns = {t: {r[1] for r in target.execute(f"PRAGMA table_info({t})")} for t in ("entries", "bodies")}
        saved = 0
        for row_id in ids:
            entry = _row(conn, "entries", row_id)
            if entry is None:
                continue
            try:
                _insert(target, "entries", entry, columns["entries"])
            except sqlite3.IntegrityError:
                continue  # a NOT NULL column held NULL on a damaged row
            body = _row(conn, "bodies", row_id) or {"id": row_id}
            _insert(target, "bodies", body, columns["bodies"])
            saved += 1
        return saved, len(ids)
    finally:
        conn.close()
        _remove(made)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass
