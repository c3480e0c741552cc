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
    qtbot.waitUntil(lambda: isinstance(w.tabs.currentWidget(), ComparisonView), timeout=10000)
    view = w.tabs.currentWidget()
    assert view.summary.text() == "415 instead of 201: the request lost its Content-Type header"
    assert "header - Content-Type: application/json" in view.details.toPlainText()
