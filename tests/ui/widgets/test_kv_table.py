"""Name/value tables by keyboard: Tab goes name → value → next row's name while editing, and out at the end."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.core.draft import Row
from app.ui.request.header_table import HeaderTable
from app.ui.request.params_table import ParamsTable


def _page(qtbot, table):
    page = QWidget()
    layout = QVBoxLayout(page)
    before, after = QPushButton("Before", page), QPushButton("After", page)
    layout.addWidget(before)
    layout.addWidget(table)
    layout.addWidget(after)
    QWidget.setTabOrder(before, table)
    QWidget.setTabOrder(table, after)
    qtbot.addWidget(page)
    page.resize(500, 300)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page, before, after


def _editing(table) -> tuple[int, int] | None:
    """(row, column) of the open cell editor, None when no cell is being edited."""
    focus = QApplication.focusWidget()
    if not isinstance(focus, QLineEdit) or not table.viewport().isAncestorOf(focus):
        return None
    return table.currentRow(), table.currentColumn()


def _type_and_tab(qtbot, text: str, back: bool = False) -> None:
    editor = QApplication.focusWidget()
    if text:
        qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Backtab if back else Qt.Key.Key_Tab,
                   Qt.KeyboardModifier.ShiftModifier if back else Qt.KeyboardModifier.NoModifier)


def test_tab_goes_name_value_next_row_and_leaves_at_the_end(qtbot):
    table = HeaderTable()
    _page_, _before, after = _page(qtbot, table)
    table.setFocus()
    table.setCurrentCell(0, 1)  # a current-cell change opens its editor (the tables edit on every trigger)
    qtbot.waitUntil(lambda: _editing(table) == (0, 1))
    _type_and_tab(qtbot, "9-Trace")  # nothing to complete: offscreen, a suggestion popup keeps the window inactive
    qtbot.waitUntil(lambda: _editing(table) == (0, 2))  # name → value
    _type_and_tab(qtbot, "7abc")
    qtbot.waitUntil(lambda: _editing(table) == (1, 1))  # value → the next row's name (the new blank row)
    _type_and_tab(qtbot, "", back=True)
    qtbot.waitUntil(lambda: _editing(table) == (0, 2))  # Shift+Tab goes back
    _type_and_tab(qtbot, "")
    qtbot.waitUntil(lambda: _editing(table) == (1, 1))
    _type_and_tab(qtbot, "")
    qtbot.waitUntil(lambda: _editing(table) == (1, 2))
    _type_and_tab(qtbot, "")  # the last cell: out of the table, to the next control
    qtbot.waitUntil(after.hasFocus)
    assert table.rows() == (Row("9-Trace", "7abc"),)


def test_shift_tab_in_the_first_cell_leaves_backwards_and_skips_read_only_rows(qtbot):
    table = ParamsTable()
    _page_, before, _after = _page(qtbot, table)
    table.set_rows([Row("q", "coffee"), Row("page", "2")])
    table.item(0, 2).setFlags(table.item(0, 2).flags() & ~Qt.ItemFlag.ItemIsEditable)
    table.setFocus()
    table.setCurrentCell(0, 1)  # a current-cell change opens its editor (the tables edit on every trigger)
    qtbot.waitUntil(lambda: _editing(table) == (0, 1))
    _type_and_tab(qtbot, "")
    qtbot.waitUntil(lambda: _editing(table) == (1, 1))  # the read-only value is skipped
    _type_and_tab(qtbot, "", back=True)
    qtbot.waitUntil(lambda: _editing(table) == (0, 1))
    _type_and_tab(qtbot, "", back=True)
    qtbot.waitUntil(before.hasFocus)
