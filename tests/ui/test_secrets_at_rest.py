"""After real use of the window (send with a bearer token, an access_token query value and a JSON password, save
the request, close), no file the app wrote under its data folder holds any of those secrets."""

from __future__ import annotations

import json

from app.core.catalog import load_default_catalog
from app.core.draft import Auth, RequestDraft, Row
from tests.ui.workspace_support import make_window, send_and_wait, wait_task  # noqa: F401 (fixtures)

TOKEN = "tok-e2e-4b7d1f9a2c"
KEY = "key-e2e-8c3e5a7b1d"
PASSWORD = "pw-e2e-6d2f8b4a0e"


def every_file(home) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in home.rglob("*") if p.is_file()}


def test_no_secret_in_any_file_after_send_save_close(qtbot, make_window, demo, ri_home):  # noqa: F811
    w = make_window(catalog=load_default_catalog())
    tab = w.new_tab(RequestDraft(
        method="POST", url=f"{demo}/echo?access_token={KEY}&page=2", body_kind="json",
        raw_text=json.dumps({"user": "ann", "password": PASSWORD}), auth=Auth(kind="bearer", token=TOKEN),
        headers=(Row("X-Api-Key", KEY),)))
    send_and_wait(qtbot, tab)
    sent = tab.last_diagnosis.exchange
    assert sent.response is not None and TOKEN in sent.response.body.decode()  # the echo really carried it
    history = w.workspace.history
    qtbot.waitUntil(lambda: history.store is not None and history.store.count() >= 1, timeout=10000)
    ws = w.workspace
    rel = wait_task(qtbot, ws.tasks.spawn(ws.saved.save_draft(tab.draft(), "Echo with secrets")))  # Save request
    assert rel and (ri_home / "collection" / rel).exists()
    w.save_state()
    files = every_file(ri_home)
    assert "history.sqlite3" in files and "settings.json" in files and "history.sqlite3-wal" in files
    w.shutdown()
    qtbot.waitUntil(lambda: history.store._conn is None, timeout=5000)  # closed once its writes were done
    files.update(every_file(ri_home))
    for name, data in files.items():
        for secret in (TOKEN, KEY, PASSWORD):
            assert secret.encode() not in data, f"{secret} found in {name}"

    again = make_window(catalog=load_default_catalog())  # the same session: the tabs come back whole
    restored = [t.draft() for t in again.request_tabs() if "/echo" in t.draft().url]
    assert restored and restored[0].auth.token == TOKEN and KEY in restored[0].url
    assert PASSWORD in restored[0].raw_text


def test_drafts_an_older_version_saved_in_clear_are_sealed_at_start(qtbot, make_window, demo, ri_home):  # noqa: F811
    path = ri_home / "settings.json"
    draft = {"method": "GET", "url": f"{demo}/status/200?access_token={KEY}",
             "auth": {"kind": "bearer", "token": TOKEN}}
    path.write_text(json.dumps({"version": 1, "settings": {"drafts": [draft]}}), encoding="utf-8")
    w = make_window(catalog=load_default_catalog())
    assert w.request_tabs()[0].draft().auth.token == TOKEN
    text = path.read_text(encoding="utf-8")
    assert TOKEN not in text and KEY not in text and "drafts_sealed" in text
