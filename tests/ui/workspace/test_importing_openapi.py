"""File → Import with an OpenAPI document: the practice server's own document becomes saved requests and an
environment, and a saved request sent with that environment gets the documented answer."""

from __future__ import annotations

import urllib.request

from PySide6.QtWidgets import QLabel

from tests.ui.workspace_support import make_window, send_and_wait, wait_task  # noqa: F401 (fixtures)

FOLDER = "Request Inspector practice server"


def test_import_the_practice_servers_document_and_send_one_of_its_requests(qtbot, make_window, demo, ri_home,
                                                                           tmp_path):
    doc = tmp_path / "practice.json"
    with urllib.request.urlopen(f"{demo}/openapi.json", timeout=5) as answer:
        doc.write_bytes(answer.read())
    w = make_window()
    ws = w.workspace
    saved = wait_task(qtbot, ws.tasks.spawn(ws.importing.import_file(str(doc))), timeout=20000)
    assert len(saved) == 14 and f"{FOLDER}/orders/createOrder.http" in saved
    assert "Imported 14 request(s)" in w.statusBar().currentMessage()
    assert "fill in token" in w.statusBar().currentMessage()
    store = ws.environments.store
    assert store.active == FOLDER
    assert store.get(FOLDER)["base_url"] == demo
    assert store.is_secret(FOLDER, "token")
    secure = (ri_home / "collection" / FOLDER / "practice" / "secure.http").read_text()
    assert "Authorization: Bearer {{token}}" in secure

    tabs = wait_task(qtbot, ws.tasks.spawn(ws.saved.open(f"{FOLDER}/orders/createOrder.http")))
    send_and_wait(qtbot, tabs[0])
    assert tabs[0].findChild(QLabel, "statusLine").text().startswith("201")
