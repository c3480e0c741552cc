"""The workspace: sidebar widgets, environments ({{var}} on send, secrets never saved), saved requests, import."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QComboBox, QLabel, QTreeWidget

from app.core.draft import RequestDraft, Row
from app.ui.workspace import Workspace
from tests.ui.workspace_support import make_window, send_and_wait, wait_task  # noqa: F401 (fixtures)


def test_sidebar_toolbar_and_menus_exist(make_window):
    w = make_window()
    assert isinstance(w.workspace, Workspace)
    assert w.findChild(QTreeWidget, "collectionTree") is not None
    assert w.findChild(QComboBox, "environmentCombo") is not None
    assert w.findChild(object, "historyPanel") is not None
    titles = [a.text().replace("&", "") for m in w.menuBar().actions() if m.menu() for a in m.menu().actions()]
    for wanted in ("Import…", "Open HAR…", "Copy as curl", "Triage report…", "Save as HAR…"):
        assert wanted in titles


def test_environment_expands_on_send_and_secret_stays_out_of_saved_file(qtbot, make_window, demo, ri_home):
    w = make_window()
    ws = w.workspace
    editor = ws.environments.show_editor()
    assert editor.isVisible() and not editor.isModal()
    assert "keyring" in editor.storage.text().lower() or "memory" in editor.storage.text().lower()
    assert editor.add_environment("dev")
    assert editor.set_variable("base", demo, False)
    assert editor.set_variable("token", "SECRET123", True)
    combo = w.findChild(QComboBox, "environmentCombo")
    combo.setCurrentIndex(combo.findData("dev"))
    assert ws.environments.store.active == "dev"
    assert b"SECRET123" not in (ri_home / "environments.json").read_bytes()

    tab = w.new_tab(RequestDraft(method="GET", url="{{base}}/headers",
                                 headers=(Row("Authorization", "Bearer {{token}}"),)))
    send_and_wait(qtbot, tab)
    sent = tab.last_diagnosis.exchange.request
    assert sent.url == f"{demo}/headers" and sent.header("Authorization") == "Bearer SECRET123"
    assert tab.editor.url.text() == "{{base}}/headers"  # the editor keeps the placeholders

    # saving a request whose header holds the typed secret still writes {{token}}
    tab2 = w.new_tab(RequestDraft(method="GET", url=f"{demo}/headers",
                                  headers=(Row("Authorization", "Bearer SECRET123"),)))
    rel = wait_task(qtbot, ws.tasks.spawn(ws.saved.save_draft(tab2.draft(), "Echo headers")))
    saved = (ri_home / "collection" / rel).read_text()
    assert "SECRET123" not in saved and "{{token}}" in saved
    tree = w.findChild(QTreeWidget, "collectionTree")
    qtbot.waitUntil(lambda: rel in ws.collection_panel.paths(), timeout=5000)
    assert tree.topLevelItemCount() >= 1

    # open, duplicate, rename, delete
    tabs = wait_task(qtbot, ws.tasks.spawn(ws.saved.open(rel)))
    assert tabs and tabs[0].editor.url.text() == f"{demo}/headers"
    copy = wait_task(qtbot, ws.tasks.spawn(ws.saved.duplicate(rel)))
    qtbot.waitUntil(lambda: copy in ws.collection_panel.paths(), timeout=5000)
    wait_task(qtbot, ws.tasks.spawn(ws.saved.rename(copy, "Renamed")))
    qtbot.waitUntil(lambda: "Renamed.http" in ws.collection_panel.paths(), timeout=5000)
    wait_task(qtbot, ws.tasks.spawn(ws.saved.delete("Renamed.http")))
    qtbot.waitUntil(lambda: ws.collection_panel.paths() == [rel], timeout=5000)


def test_plain_text_secrets_need_consent(make_window, ri_home):
    w = make_window()
    ws = w.workspace
    if type(ws.environments.store.secrets).__name__ == "KeyringSecrets":
        return  # a real keyring exists on this machine: nothing to consent to
    editor = ws.environments.show_editor()
    editor.add_environment("prod")
    editor.set_variable("token", "PLAIN-SECRET", True)
    assert not (ri_home / "secrets.json").exists()  # memory only without consent
    editor.consent.setChecked(True)
    assert (ri_home / "secrets.json").exists()
    assert "plain text" in editor.storage.text()
    assert ws.environments.store.variables("prod")["token"] == "PLAIN-SECRET"


def test_import_postman_and_http_files_into_collection(qtbot, make_window, tmp_path):
    w = make_window()
    ws = w.workspace
    postman = {"info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
               "item": [{"name": "List", "request": {"method": "GET", "url": "http://api.test/orders"}}]}
    p = tmp_path / "shop.postman_collection.json"
    p.write_text(json.dumps(postman))
    rel = wait_task(qtbot, ws.tasks.spawn(ws.importing.import_file(str(p))))
    assert rel and rel.endswith(".http")
    qtbot.waitUntil(lambda: rel in ws.collection_panel.paths(), timeout=5000)
    h = tmp_path / "orders.http"
    h.write_text("### Create\nPOST http://api.test/orders\nContent-Type: application/json\n\n{\"item\": 1}\n")
    tabs = wait_task(qtbot, ws.tasks.spawn(ws.importing.import_file(str(h))))
    assert tabs and tabs[0].draft().method == "POST"
    c = tmp_path / "cmd.sh"
    c.write_text("curl -X DELETE http://api.test/orders/7")
    tab = wait_task(qtbot, ws.tasks.spawn(ws.importing.import_file(str(c))))
    assert tab.draft().method == "DELETE"
    bad = tmp_path / "bad.http"
    bad.write_bytes(b"\xff\xfe garbage")
    assert wait_task(qtbot, ws.tasks.spawn(ws.importing.import_file(str(bad)))) in (None, [])
    assert w.findChild(QLabel, "statusLine") is not None


def test_import_of_several_curl_commands_opens_a_tab_for_each(qtbot, make_window, tmp_path):
    from pathlib import Path

    w = make_window()
    ws = w.workspace
    src = Path(__file__).resolve().parents[1] / "core" / "formats" / "fixtures" / "curl_two_commands.sh"
    c = tmp_path / "two.sh"
    c.write_text(src.read_text())
    tabs = wait_task(qtbot, ws.tasks.spawn(ws.importing.import_file(str(c))))
    assert [(t.draft().method, t.draft().url) for t in tabs] == [
        ("DELETE", "https://api.example.com/orders/41"), ("GET", "https://api.example.com/orders?status=open")]
    assert "Imported 2 curl commands" in w.statusBar().currentMessage()
    pasted = ws.importing.import_text(src.read_text(), "pasted text")  # Edit → Paste exchange: the same
    assert [t.draft().method for t in pasted] == ["DELETE", "GET"]


def test_a_variable_that_names_itself_is_not_filled_in_and_the_status_says_why(qtbot, make_window):
    w = make_window()
    editor = w.workspace.environments.show_editor()
    assert editor.add_environment("bomb")
    assert editor.set_variable("a", "{{a}}" * 6, False)
    combo = w.findChild(QComboBox, "environmentCombo")
    combo.setCurrentIndex(combo.findData("bomb"))
    out = w.expand_draft(RequestDraft(method="POST", url="http://127.0.0.1:9/x", body_kind="raw", raw_text="{{a}}"))
    assert len(out.raw_text) < 2_000_000  # capped, not hundreds of MB
    message = w.statusBar().currentMessage()
    assert "'a'" in message and "Not filled in" not in message


def test_a_saved_request_keeps_typed_secrets_out_of_its_file_and_still_sends_them(qtbot, make_window, demo, ri_home):
    w = make_window()
    ws = w.workspace
    draft = RequestDraft(method="GET", url=f"{demo}/headers?access_token=QTOK-775533",
                         headers=(Row("Authorization", "Bearer TYPED-TOKEN-4411"), Row("X-Api-Key", "KEY-99881")))
    rel = wait_task(qtbot, ws.tasks.spawn(ws.saved.save_draft(draft, "Typed secrets")))
    saved = (ri_home / "collection" / rel).read_text()
    for secret in ("QTOK-775533", "TYPED-TOKEN-4411", "KEY-99881"):
        assert secret not in saved
    assert "{{secret_" in saved
    assert "secret" in w.statusBar().currentMessage().lower()

    tabs = wait_task(qtbot, ws.tasks.spawn(ws.saved.open(rel)))
    assert "{{secret_" in tabs[0].editor.url.text()  # the editor shows placeholders, as for environments
    send_and_wait(qtbot, tabs[0])
    sent = tabs[0].last_diagnosis.exchange.request
    assert sent.header("Authorization") == "Bearer TYPED-TOKEN-4411"
    assert sent.header("X-Api-Key") == "KEY-99881" and "access_token=QTOK-775533" in sent.url
