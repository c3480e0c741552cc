"""Accessibility and keyboard: every visible control has a name, required objectNames exist once per tab,
the request editor's tab order is method → URL → Send → editor tabs, and every action has a shortcut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTabBar,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from app.ui.main_window import MainWindow

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
REQUIRED = ("methodCombo", "urlEdit", "sendButton", "cancelButton", "statusLine", "statusExplanation", "apiMessage",
            "findingsList", "retryCountdown", "responseBody", "requestHeadersTable", "responseHeadersTable")


@pytest.fixture
def window(request, qtbot, qloop, ri_home):
    """Pointed at the practice server when the test asks for ``demo``; otherwise at nothing (no server started)."""
    base = request.getfixturevalue("demo") if "demo" in request.fixturenames else "http://127.0.0.1:9"
    w = MainWindow(demo_url=base, settings_path=ri_home / "settings.json")
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    yield w
    task = qloop.create_task(w.aclose())
    qtbot.waitUntil(task.done, timeout=5000)


def describe(w: QWidget) -> str:
    chain = []
    p = w
    while p is not None and len(chain) < 4:
        chain.append(f"{type(p).__name__}#{p.objectName()}")
        p = p.parentWidget()
    return " < ".join(chain)


def unnamed(root: QWidget) -> list[str]:
    """Visible, enabled interactive widgets that a screen reader could not name."""
    bad = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, INTERACTIVE) or not w.isVisible() or not w.isEnabled():
            continue
        if isinstance(w, QHeaderView) or isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox, QLineEdit, QTabBar)):
            continue  # Qt's own parts of a control (header, combo line edit, clear button, tab close button)
        if w.accessibleName().strip():
            continue
        if isinstance(w, QAbstractButton) and w.text().replace("&", "").strip():
            continue
        bad.append(describe(w))
    return bad


def show_every_page(qtbot, w: MainWindow):
    """Yield once per page of every tab widget in the current request tab (so hidden pages get walked too)."""
    tab = w.current_tab()
    for tabs in [tab.editor.tabs, tab.response.tabs]:
        for i in range(tabs.count()):
            if tabs.isTabEnabled(i):
                tabs.setCurrentIndex(i)
                yield f"{tabs.objectName()}[{tabs.tabText(i)}]"
    for kind in range(tab.editor.body.kind.count()):
        tab.editor.tabs.setCurrentIndex(2)
        tab.editor.body.kind.setCurrentIndex(kind)
        yield f"body kind {tab.editor.body.kind.itemText(kind)}"
    tab.editor.tabs.setCurrentIndex(3)
    for kind in range(tab.editor.auth.kind.count()):
        tab.editor.auth.kind.setCurrentIndex(kind)
        yield f"auth kind {tab.editor.auth.kind.itemText(kind)}"


def test_every_visible_control_has_an_accessible_name(qtbot, window):
    w = window
    tab = w.current_tab()
    tab.request_send()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10000)
    offenders: dict[str, list[str]] = {}
    for page in show_every_page(qtbot, w):
        QApplication.processEvents()
        bad = unnamed(w)
        if bad:
            offenders[page] = bad
    unique = sorted({b for bad in offenders.values() for b in bad})
    assert unique == [], offenders


def test_required_object_names_exist_once_per_tab(qtbot, window):
    w = window
    tabs = w.request_tabs()
    assert len(tabs) >= 2
    for tab in tabs:
        for name in REQUIRED:
            found = tab.findChildren(QWidget, name)
            assert len(found) == 1, (name, len(found))


def test_tab_order_method_url_send_then_editor_tabs(qtbot, window):
    tab = window.current_tab()
    ed = tab.editor
    ed.method.setFocus()
    qtbot.waitUntil(ed.method.hasFocus)
    order = [ed.method, ed.url, ed.send]
    seen = [QApplication.focusWidget()]
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())

    def owner(widget):
        for o in order + [ed.tabs]:
            if widget is o or o.isAncestorOf(widget):
                return o
        return widget

    path = [owner(x) for x in seen]
    # the method combo's inner line edit and the URL's clear button may take a stop; order must hold
    compact = [p for i, p in enumerate(path) if i == 0 or p is not path[i - 1]]
    assert compact[:4] == [ed.method, ed.url, ed.send, ed.tabs], [describe(x) for x in seen]


def test_keyboard_paths_for_every_action(qtbot, window):
    w = window
    shortcuts = {}
    for action in w.findChildren(type(w.menuBar().actions()[0])):
        for seq in action.shortcuts():
            shortcuts[seq.toString()] = action.text().replace("&", "")
    for wanted in ("Ctrl+Return", "Ctrl+T", "Ctrl+W", "Ctrl+S", "Ctrl+L"):
        assert wanted in shortcuts, (wanted, shortcuts)
    for menu_action in w.menuBar().actions():
        assert "&" in menu_action.text(), menu_action.text()  # every menu has a mnemonic
        for a in menu_action.menu().actions():
            if not a.isSeparator():
                assert "&" in a.text(), a.text()
    ed = w.current_tab().editor
    assert "Ctrl+Enter" in ed.send.toolTip() and "Esc" in ed.cancel.toolTip()


def test_ctrl_l_focuses_the_url_bar_and_f6_the_response(qtbot, window):
    w = window
    tab = w.current_tab()
    tab.editor.method.setFocus()
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(tab.editor.url.hasFocus)
    assert tab.editor.url.selectedText() == tab.editor.url.text()
    qtbot.keyClick(w, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: tab.response.isAncestorOf(QApplication.focusWidget()))


HAR = __import__("pathlib").Path(__file__).resolve().parents[1] / "core" / "formats" / "fixtures" / "chrome_export.har"


def test_har_view_report_dialog_and_environment_editor_are_named(qtbot, window, demo):
    w = window
    tab = w.current_tab()
    tab.request_send()
    qtbot.waitUntil(lambda: not tab.busy, timeout=10000)
    dialog = w.workspace.handback.show_report()
    qtbot.waitExposed(dialog)
    assert unnamed(dialog) == []
    dialog.close()
    editor = w.workspace.environments.show_editor()
    if editor is not None:
        qtbot.waitExposed(editor)
        assert unnamed(editor) == []
        editor.close()
    view = w.workspace.importing.open_capture(str(HAR))
    qtbot.waitUntil(view.task.done if hasattr(view, "task") and view.task else (lambda: True), timeout=10000)
    QApplication.processEvents()
    assert unnamed(w) == []


def test_history_path_stays_readable_in_a_narrow_sidebar(qtbot):
    import time

    from PySide6.QtWidgets import QStyleOptionViewItem

    from app.store.history import HistoryRow
    from app.ui.sidebar.history_panel import NARROW_PX, URL_ROLE, HistoryPanel

    panel = HistoryPanel(["Resource not found"])
    qtbot.addWidget(panel)
    panel.resize(280, 400)  # the sidebar's width beside a 1000 px window
    panel.show()
    qtbot.waitExposed(panel)
    url = "http://user:pw@127.0.0.1:41119/orders?access_token=T0K3N&page=2"
    panel.set_rows([HistoryRow(1, time.time(), "POST", url, 201, "Created", "Created", 0, None, 0.01)])
    assert panel.table.isColumnHidden(4)  # Documented gives its room to the path (still in the tooltip)
    m = panel.model
    shown = m.data(m.index(0, 2))
    assert shown == "/orders?access_token=••••••••&page=2"  # the path first, no host, the token masked
    tip = m.data(m.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert "127.0.0.1:41119" in tip and "T0K3N" not in tip and "pw" not in m.data(m.index(0, 2), URL_ROLE)
    option = QStyleOptionViewItem()
    panel.table.itemDelegateForColumn(2).initStyleOption(option, m.index(0, 2))
    assert option.textElideMode == Qt.TextElideMode.ElideRight  # "/orders?access_tok…": the path's start stays
    metrics = panel.table.fontMetrics()
    assert panel.table.columnWidth(2) >= metrics.horizontalAdvance("/orders")  # at least the path itself fits
    panel.resize(NARROW_PX + 200, 400)
    qtbot.waitUntil(lambda: not panel.table.isColumnHidden(4))
