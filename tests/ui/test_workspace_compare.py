"""Two history rows selected → Compare: a page beside the tabs names what changed (the workspace's compare part)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing
from app.ui.compare.view import ComparisonView
from tests.ui.workspace_support import make_window, wait_task  # noqa: F401 (fixtures)

JSON = (("Content-Type", "application/json"),)


def _store(history, request, status):
    ex = Exchange(request, HttpResponse(status, headers=JSON, body=b"{}"), Timing(total=0.02), started_at=1.0)
    d = diagnose(ex, load_default_catalog(), 1.0)
    return history.add(ex, documented=d.documented, findings=d.findings, message=None)


def test_two_selected_history_rows_compare_into_a_page(make_window, qtbot, qloop):
    w = make_window()
    ws = w.workspace
    ok = _store(ws.history.store, HttpRequest("POST", "http://h/orders", JSON, b"{}"), 201)
    bad = _store(ws.history.store, HttpRequest("POST", "http://h/orders", (), b"{}"), 415)
    wait_task(qtbot, qloop.create_task(ws.history.refresh()))
    panel = ws.history_panel
    selection = panel.table.selectionModel()
    for row in (0, 1):
        selection.select(panel.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)
    assert sorted(panel.selected_ids()) == [ok, bad]
    with qtbot.waitSignal(panel.compare_requested, timeout=1000) as signal:
        panel.compare_requested.emit(*panel.selected_ids())
    assert sorted(signal.args) == [ok, bad]
    qtbot.waitUntil(lambda: isinstance(w.tabs.currentWidget(), ComparisonView)
                    and w.tabs.currentWidget().comparison is not None, timeout=10000)
    view = w.tabs.currentWidget()
    assert view.summary.text() == "415 instead of 201: the request lost its Content-Type header"
    assert "header - Content-Type: application/json" in view.details.toPlainText()


def test_two_har_entries_compare_into_a_page(make_window, qtbot, tmp_path):
    import json

    def entry(status, headers):
        return {"startedDateTime": "2024-05-01T10:00:00Z", "time": 12, "cache": {}, "timings": {"wait": 10},
                "request": {"method": "POST", "url": "https://api.example.test/orders", "httpVersion": "HTTP/1.1",
                            "headers": headers, "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 2,
                            "postData": {"mimeType": "application/json", "text": "{}"}},
                "response": {"status": status, "statusText": "", "httpVersion": "HTTP/1.1", "cookies": [],
                             "headers": [{"name": "Content-Type", "value": "application/json"}],
                             "content": {"size": 2, "mimeType": "application/json", "text": "{}"},
                             "redirectURL": "", "headersSize": -1, "bodySize": 2}}

    har = {"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
                   "entries": [entry(201, [{"name": "Content-Type", "value": "application/json"}]), entry(415, [])]}}
    path = tmp_path / "customer.har"
    path.write_text(json.dumps(har))
    w = make_window()
    view = w.workspace.importing.open_capture(str(path))
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=10000)
    assert not view.compare_button.isEnabled()
    view.table.selectAll()
    assert view.compare_button.isEnabled() and [r.number for r in view.selected_rows()] == [1, 2]
    view.compare_button.click()
    page = w.tabs.currentWidget()
    assert isinstance(page, ComparisonView) and page.busy.isVisible()  # the page is there at once, busy
    qtbot.waitUntil(lambda: page.comparison is not None, timeout=10000)
    assert not page.busy.isVisible()
    assert page.summary.text().startswith("415 instead of 201")


def test_compare_with_the_last_success_finds_the_earlier_2xx_of_the_same_request(make_window, qtbot, demo):
    from app.core.draft import RequestDraft, Row
    from tests.ui.workspace_support import send_and_wait

    w = make_window()
    ws = w.workspace
    good = w.new_tab(RequestDraft(method="POST", url=f"{demo}/orders", body_kind="raw", raw_text='{"item": "coffee"}',
                                  headers=(Row("Content-Type", "application/json"),)))
    send_and_wait(qtbot, good)
    assert good.last_diagnosis.exchange.response.status == 201
    qtbot.waitUntil(lambda: ws.history_panel.model.rowCount() == 1, timeout=5000)
    bad = w.new_tab(RequestDraft(method="POST", url=f"{demo}/orders", body_kind="raw", raw_text='{"item": "coffee"}',
                                 raw_content_type=""))
    send_and_wait(qtbot, bad)
    assert bad.last_diagnosis.exchange.response.status == 415
    page = wait_task(qtbot, ws.tasks.spawn(ws.compare.compare_with_last_success(bad.current_diagnosis())))
    assert isinstance(page, ComparisonView)
    assert page.summary.text().startswith("415 instead of 201")
    assert "Content-Type" in page.details.toPlainText()
    # the success itself has no earlier success: said, not invented
    assert wait_task(qtbot, ws.tasks.spawn(ws.compare.compare_with_last_success(good.current_diagnosis()))) is None
    assert "No earlier 2xx" in w.statusBar().currentMessage()


def test_secrets_are_masked_both_sides_until_shown_deliberately_and_the_page_copies_as_markdown(
        make_window, qtbot, qloop):
    w = make_window()
    ws = w.workspace
    a = _store(ws.history.store, HttpRequest("GET", "http://h/orders", (("Authorization", "Bearer OLDTOKEN11"),)), 200)
    b = _store(ws.history.store, HttpRequest("GET", "http://h/orders", (("Authorization", "Bearer NEWTOKEN22"),)), 401)
    page = wait_task(qtbot, ws.tasks.spawn(ws.compare.compare_entries(a, b)))
    text = page.details.toPlainText()
    assert "Authorization" in text and "OLDTOKEN11" not in text and "NEWTOKEN22" not in text
    assert "OLDTOKEN11" not in page.copy_markdown()
    page.show_secrets.setChecked(True)
    qtbot.waitUntil(lambda: "NEWTOKEN22" in page.details.toPlainText(), timeout=10000)
