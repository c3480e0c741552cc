"""History: every finished exchange stored off the GUI thread, filters, re-open, delete, clear, survives a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from app.store.history import HistoryFilter
from app.ui.sidebar.history_panel import URL_ROLE, HistoryPanel
from tests.ui.workspace_support import make_window, send_and_wait, wait_task  # noqa: F401 (fixtures)


def listed(panel: HistoryPanel) -> list[tuple[str, str]]:
    m = panel.model
    return [(m.data(m.index(r, 2), URL_ROLE), m.data(m.index(r, 3))) for r in range(m.rowCount())]


def send(qtbot, w, url: str, method: str = "GET"):
    tab = w.new_tab()
    tab.editor.method.setCurrentText(method)
    tab.editor.set_url(url)
    send_and_wait(qtbot, tab)
    return tab


def test_history_survives_a_restart(qtbot, make_window, demo):
    w = make_window()
    panel = w.findChild(HistoryPanel, "historyPanel")
    send(qtbot, w, f"{demo}/status/404")
    qtbot.waitUntil(lambda: (f"{demo}/status/404", "404") in listed(panel), timeout=5000)
    w.close()
    w2 = make_window()
    panel2 = w2.findChild(HistoryPanel, "historyPanel")
    qtbot.waitUntil(lambda: (f"{demo}/status/404", "404") in listed(panel2), timeout=5000)
    assert panel2.model.data(panel2.model.index(0, 4)) == w2.catalogs.get().lookup(404).status


def test_filters_reopen_delete_and_clear(qtbot, make_window, demo):
    w = make_window()
    ws = w.workspace
    panel = ws.history_panel
    send(qtbot, w, f"{demo}/status/200")
    send(qtbot, w, f"{demo}/status/503")
    qtbot.waitUntil(lambda: len(listed(panel)) == 2, timeout=5000)
    panel.status_class.setCurrentIndex(panel.status_class.findData(5))
    qtbot.waitUntil(lambda: [s for _u, s in listed(panel)] == ["503"], timeout=5000)
    assert panel.history_filter() == HistoryFilter(text="", method=None, status_class=5, documented_status=None)
    panel.status_class.setCurrentIndex(0)
    panel.text.setText("status/200")
    qtbot.waitUntil(lambda: [s for _u, s in listed(panel)] == ["200"], timeout=5000)
    panel.text.clear()
    qtbot.waitUntil(lambda: len(listed(panel)) == 2, timeout=5000)

    # double-click re-opens: a new tab with the request and the stored response diagnosed again
    before = len(w.request_tabs())
    row = [s for _u, s in listed(panel)].index("503")
    entry_id = panel.model.data(panel.model.index(row, 0), Qt.ItemDataRole.UserRole)
    tab = wait_task(qtbot, ws.tasks.spawn(ws.history.open_entry(entry_id)))
    assert len(w.request_tabs()) == before + 1 and w.current_tab() is tab
    assert tab.findChild(QLabel, "statusLine").text().startswith("503")
    assert tab.editor.url.text() == f"{demo}/status/503"

    # Del key deletes the selected entry
    panel.table.setFocus()
    panel.table.selectRow(row)
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: [s for _u, s in listed(panel)] == ["200"], timeout=5000)

    # Clear all asks first (non-modal); only the destructive button clears
    box = panel.ask_clear()
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() != Qt.WindowModality.ApplicationModal  # open(), not exec()
    clear = next(b for b in box.buttons() if b.text() == "Clear history")
    clear.click()
    qtbot.waitUntil(lambda: listed(panel) == [], timeout=5000)


def test_cancelled_send_is_not_stored_twice(qtbot, make_window, demo):
    w = make_window()
    tab = send(qtbot, w, f"{demo}/status/201")
    qtbot.waitUntil(lambda: len(listed(w.workspace.history_panel)) == 1, timeout=5000)
    tab.finished.emit()  # e.g. a cancelled send afterwards: same last_diagnosis
    task = w.workspace.tasks.spawn(w.workspace.history.refresh())
    wait_task(qtbot, task)
    assert len(listed(w.workspace.history_panel)) == 1


def test_history_list_masks_tokens_in_urls_like_every_list(qtbot, make_window, demo):
    w = make_window()
    panel = w.workspace.history_panel
    send(qtbot, w, f"{demo}/status/200?access_token=HT-1&page=2")
    qtbot.waitUntil(lambda: len(listed(panel)) == 1, timeout=5000)
    m = panel.model
    url, tip = m.data(m.index(0, 2)), m.data(m.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert "HT-1" not in url and "HT-1" not in tip and "page=2" in url
    assert url.endswith("access_token=••••••••&page=2")  # the same dots as the header tables
    assert panel.note.textFormat() == Qt.TextFormat.PlainText


def test_double_click_opens_the_entry_once(qtbot, make_window, demo):
    w = make_window()
    panel = w.workspace.history_panel
    send(qtbot, w, f"{demo}/status/202")
    qtbot.waitUntil(lambda: len(listed(panel)) == 1, timeout=5000)
    asked = []
    panel.open_requested.connect(asked.append)
    before = len(w.request_tabs())
    rect = panel.table.visualRect(panel.model.index(0, 2))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a real double-click
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # is press + dbl
    qtbot.waitUntil(lambda: len(w.request_tabs()) > before, timeout=5000)
    qtbot.wait(200)
    assert len(asked) == 1 and len(w.request_tabs()) == before + 1


def test_an_answer_overtaken_by_a_newer_filter_is_dropped(qtbot, make_window, demo):
    import threading

    w = make_window()
    ws = w.workspace
    panel = ws.history_panel
    send(qtbot, w, f"{demo}/status/200")
    send(qtbot, w, f"{demo}/status/503")
    qtbot.waitUntil(lambda: len(listed(panel)) == 2, timeout=5000)
    store = ws.history.store
    entered, release = threading.Event(), threading.Event()
    real = store.search

    def slow_for_the_old_filter(f, *args):
        if f.text == "status/200":  # the first filter's answer arrives last
            entered.set()
            release.wait(10)
        return real(f, *args)

    store.search = slow_for_the_old_filter
    panel.text.blockSignals(True)  # the refreshes are asked for here, not by the typing pause
    try:
        panel.text.setText("status/200")
        old = ws.tasks.spawn(ws.history.refresh())
        qtbot.waitUntil(entered.is_set, timeout=5000)
        panel.text.setText("status/503")
        wait_task(qtbot, ws.tasks.spawn(ws.history.refresh()))
        assert [s for _u, s in listed(panel)] == ["503"]
        release.set()
        wait_task(qtbot, old)
        assert [s for _u, s in listed(panel)] == ["503"]  # the late answer for "status/200" did not replace it
    finally:
        release.set()
        store.search = real
        panel.text.blockSignals(False)


def test_the_count_line_says_when_only_the_newest_are_listed(qtbot):
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_rows([], 0)
    assert panel.count.isHidden()
    panel.set_rows([], 12550)
    assert panel.count.isVisible()
    assert panel.count.text() == "The newest 0 of 12,550 matching entries are listed."
    assert panel.count.textFormat() == Qt.TextFormat.PlainText
