"""History keeps no secret in clear: not in the sqlite file, not in its WAL; old clear rows are sealed on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.core.models import Exchange, HttpRequest, HttpResponse, Timing
from app.core.redact import REDACTED
from app.store.history import _SCHEMA_V1, History, HistoryFilter
from app.store.vault import Vault
from tests.store.test_vault import KeptSecrets

TOKEN = "tok-5c1d9e7f3a"
KEY = "key-8b2a6c4e0d"


def secret_exchange() -> Exchange:
    request = HttpRequest("GET", f"http://127.0.0.1:9/orders?access_token={KEY}&page=2",
                          (("Authorization", f"Bearer {TOKEN}"), ("Accept", "*/*")), None)
    response = HttpResponse(status=200, reason="OK", http_version="HTTP/1.1",
                            headers=(("Content-Type", "application/json"),),
                            body=f'{{"seen": "Bearer {TOKEN}"}}'.encode(), wire_bytes=10, framing="content-length")
    return Exchange(request=request, response=response, timing=Timing(total=0.01), started_at=1.0,
                    notes=(f"Redirect 1: 302 from http://127.0.0.1:9/a?access_token={KEY} to http://127.0.0.1:9/b.",))


def files_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


def test_no_secret_in_the_file_or_wal_and_they_come_back_with_the_key(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = KeptSecrets()
    h = History(path, vault=Vault(store))
    entry_id = h.add(secret_exchange(), documented=None, findings=(), message=None)
    on_disk = files_bytes(path)  # the WAL is still there: the connection is open
    assert (tmp_path / "history.sqlite3-wal").exists()
    assert TOKEN.encode() not in on_disk and KEY.encode() not in on_disk
    entry = h.get(entry_id)
    assert entry.exchange.request.url.endswith(f"access_token={KEY}&page=2")
    assert dict(entry.exchange.request.headers)["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN in entry.exchange.response.body.decode() and not entry.secrets_hidden
    assert [r.id for r in h.list(HistoryFilter(text="orders"))] == [entry_id]  # search on the clear parts
    assert h.list(HistoryFilter(text=KEY)) == []
    assert REDACTED in h.list()[0].url
    h.close()
    again = History(path, vault=Vault(store))  # next session, same keyring
    assert dict(again.get(entry_id).exchange.request.headers)["Authorization"] == f"Bearer {TOKEN}"
    again.close()
    lost = History(path, vault=Vault(KeptSecrets()))  # the key is gone (no keyring, no consent last time)
    entry = lost.get(entry_id)
    assert entry.secrets_hidden and REDACTED in entry.exchange.request.url
    lost.close()


def test_old_clear_rows_are_sealed_on_first_open_and_no_copy_is_left(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)  # a file as the previous version wrote it
    conn.execute("PRAGMA journal_mode = WAL")
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    for n in range(20):
        conn.execute("INSERT INTO entries (created_at, method, url, req_headers, has_response, status) "
                     "VALUES (?, 'GET', ?, ?, 1, 200)",
                     (n, f"http://h/x{n}?access_token={KEY}", f'[["Authorization", "Bearer {TOKEN}"]]'))
        conn.execute("INSERT INTO bodies (id, req_body, resp_body) VALUES (?, NULL, ?)",
                     (n + 1, f'{{"token": "{TOKEN}"}}'.encode()))
    conn.close()
    assert TOKEN.encode() in path.read_bytes()
    store = KeptSecrets()
    h = History(path, vault=Vault(store))
    assert TOKEN.encode() not in files_bytes(path) and KEY.encode() not in files_bytes(path)
    assert h.count() == 20
    first = h.get(1)
    assert first.exchange.request.url == f"http://h/x0?access_token={KEY}"
    assert dict(first.exchange.request.headers)["Authorization"] == f"Bearer {TOKEN}"
    assert [r.url for r in h.list(HistoryFilter(text="x19"))] == [f"http://h/x19?access_token={REDACTED}"]
    h.close()
