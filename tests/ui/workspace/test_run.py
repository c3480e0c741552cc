"""Right-click a saved folder → Run: every request sent with the active environment, checked against its ``??``
expectations, stored in the history, and listed pass/fail on a results page that opens each exchange."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from app.ui.checks.view import RunResultsView
from tests.ui.workspace_support import make_window, wait_task  # noqa: F401 (fixtures)

PASSING = """### Status 200
GET {{base}}/status/200
?? status == 200
?? findings none
"""
FAILING = """### Order without a Content-Type
POST {{base}}/orders

{"item": "coffee"}
?? status == 201

### Not documented
GET {{base}}/status/418
"""


def test_run_a_saved_folder_as_checks(qtbot, make_window, demo, ri_home):
    w = make_window()
    ws = w.workspace
    folder = ri_home / "collection" / "smoke"
    folder.mkdir(parents=True)
    (folder / "a-status.http").write_text(PASSING)
    (folder / "b-orders.http").write_text(FAILING)
    (ri_home / "collection" / "elsewhere.http").write_text("GET {{base}}/status/500\n")  # not in the folder
    editor = ws.environments.show_editor()
    assert editor.add_environment("dev") and editor.set_variable("base", demo, False)
    combo = w.findChild(QComboBox, "environmentCombo")
    combo.setCurrentIndex(combo.findData("dev"))

    view = wait_task(qtbot, ws.tasks.spawn(ws.run.run("smoke")), timeout=20000)
    assert isinstance(view, RunResultsView) and w.tabs.currentWidget() is view
    assert [(r.name, r.passed) for r in view.results] == [
        ("Status 200", True), ("Order without a Content-Type", False), ("Not documented", True)]
    failed = view.results[1]
    assert failed.status.startswith("415") and failed.failures[0].assertion.text == "status == 201"
    assert view.summary.text().startswith("3 requests: 2 passed, 1 failed")
    shown = view.table.item(1, 5).text()
    assert view.table.item(1, 0).text() == "✖ fail" and "201" in shown and "got 415" in shown
    assert all(r.history_id for r in view.results)  # each result went into the history

    before = len(w.request_tabs())
    view.open_requested.emit(failed)
    assert len(w.request_tabs()) == before + 1
    assert w.current_tab().current_diagnosis().exchange.response.status == 415  # its stored answer, not resent


def test_a_request_with_no_value_for_a_variable_is_not_sent(qtbot, make_window, ri_home):
    w = make_window()
    (ri_home / "collection").mkdir(exist_ok=True)
    (ri_home / "collection" / "lonely.http").write_text("GET {{nowhere}}/x\n?? status == 200\n")
    view = wait_task(qtbot, w.workspace.tasks.spawn(w.workspace.run.run("lonely.http")))
    (r,) = view.results
    assert r.diagnosis is None and not r.passed and "{{nowhere}}" in r.problem
