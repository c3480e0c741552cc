"""Ctrl+F finds text in the whole body (a spilled file of MBs), steps with Enter/Shift+Enter, and filters tables."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing
from app.ui.response.response_view import ResponseView
from tests.ui.workspace_support import make_window  # noqa: F401 (fixture)

URL = "http://127.0.0.1:8080/orders"


def show(view, body: bytes, path: str | None = None, ctype: str = "text/plain") -> None:
    resp = HttpResponse(200, "OK", headers=(("Content-Type", ctype), ("X-Trace-Id", "abc")),
                        body=body[:4 * 1024 * 1024], body_path=path, decoded_bytes=len(body),
                        body_truncated=len(body) > 4 * 1024 * 1024)
    req = HttpRequest("GET", URL, (("Host", "127.0.0.1:8080"), ("Accept", "*/*")), b"")
    view.show_diagnosis(diagnose(Exchange(req, resp, Timing(total=0.01)), load_default_catalog(), 1.7e9))


def test_ctrl_f_finds_in_the_whole_spilled_body_and_steps(view, qtbot, tmp_path):
    lines = [f"row {i} " + ("needle" if i % 5000 == 0 else "hay") for i in range(200_000)]
    lines.append("the last NEEDLE")
    data = "\n".join(lines).encode()  # ~2.6 MB in a temp file, beyond what is formatted whole
    path = tmp_path / "body.bin"
    path.write_bytes(data)
    show(view, data, str(path))
    qtbot.waitUntil(lambda: not view.body.pending, timeout=10000)
    qtbot.keyClick(view.body.pretty, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    bar = view.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "needle")
    qtbot.waitUntil(lambda: bar.count.text() == "1 of 41", timeout=10000)  # 40 in rows, 1 at the very end
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert bar.count.text() == "2 of 41"
    cursor = view.body.pretty.textCursor
    qtbot.waitUntil(lambda: cursor().block().text() == "row 5000 needle", timeout=10000)
    assert cursor().selectedText() == "needle"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == "41 of 41"  # wraps to the last match, 2.6 MB down
    qtbot.waitUntil(lambda: cursor().selectedText() == "NEEDLE", timeout=10000)
    assert cursor().block().text() == "the last NEEDLE"
    assert view.body.pretty.extraSelections()  # the matches in the window shown are highlighted
    bar.case.setChecked(True)
    qtbot.waitUntil(lambda: bar.count.text() == "1 of 40", timeout=10000)
    view.tabs.setCurrentIndex(view.tab_raw)  # the same search, in the raw view
    qtbot.waitUntil(lambda: bar.count.text() == "1 of 40", timeout=10000)
    assert bar.target.pager is view.body.raw_pager


def test_a_newer_search_wins_over_an_older_one(view, qtbot, tmp_path):
    data = b"alpha beta\n" * 300_000
    path = tmp_path / "body.bin"
    path.write_bytes(data)
    show(view, data, str(path))
    view.find_bar.open_bar()
    target = view.find_bar.target
    target.search("alpha", False)
    target.search("zzz", False)
    qtbot.waitUntil(lambda: view.find_bar.count.text() == "No matches", timeout=10000)
    qtbot.wait(100)
    assert view.find_bar.count.text() == "No matches" and target.result.offsets == ()


def test_find_in_the_headers_table_keeps_the_matching_rows(view, qtbot):
    show(view, b'{"a": 1}', ctype="application/json")
    view.tabs.setCurrentIndex(view.tab_headers)
    view.find_bar.open_bar()
    qtbot.keyClicks(view.find_bar.field, "trace")
    qtbot.waitUntil(lambda: view.find_bar.count.text() == "1 of 1", timeout=5000)
    table = view.headers_table
    shown = [r for r in range(table.rowCount()) if not table.isRowHidden(r)]
    assert [table.item(r, 0).text() for r in shown] == ["X-Trace-Id"]
    assert table.selectionModel().isRowSelected(shown[0])
    qtbot.keyClick(view.find_bar.field, Qt.Key.Key_Escape)
    assert view.find_bar.isHidden() and not any(table.isRowHidden(r) for r in range(table.rowCount()))


@pytest.mark.filterwarnings("ignore:Function. 'QApplication.setActiveWindow:DeprecationWarning")
def test_ctrl_f_opens_the_find_bar_of_the_visible_tab_only(qtbot):
    from PySide6.QtWidgets import QApplication, QLineEdit, QTabWidget, QVBoxLayout, QWidget

    window = QWidget()
    qtbot.addWidget(window)
    other = QLineEdit()  # focus elsewhere in the window (the URL field): Ctrl+F still reaches the response
    tabs = QTabWidget()
    first, second = ResponseView(), ResponseView()
    tabs.addTab(first, "one")
    tabs.addTab(second, "two")
    lay = QVBoxLayout(window)
    lay.addWidget(other)
    lay.addWidget(tabs)
    window.show()
    QApplication.setActiveWindow(window)  # offscreen windows are not activated by the (absent) window manager
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    tabs.setCurrentIndex(1)
    other.setFocus()
    qtbot.keyClick(other, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert second.find_bar.isVisible() and first.find_bar.isHidden()
    assert second.find_bar.field.hasFocus()


@pytest.mark.filterwarnings("ignore:Function. 'QApplication.setActiveWindow:DeprecationWarning")
def test_ctrl_f_in_the_main_window_opens_the_current_tabs_find_bar(qtbot, make_window):  # noqa: F811
    from PySide6.QtWidgets import QApplication

    w = make_window()
    QApplication.setActiveWindow(w)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    tab = w.current_tab()
    qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert tab.response.find_bar.isVisible() and tab.response.find_bar.field.hasFocus()
