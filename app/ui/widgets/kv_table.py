"""An editable name/value table with an on/off checkbox per row and a trailing blank row for adding one.

Signals: ``edited()`` — the user changed a row (typing, toggling, deleting). ``set_rows`` never emits it.
With ``mask_secrets`` on (the header table), values of secret headers are painted masked ("Bearer ••••••••")
unless ``set_secrets_shown(True)``; the cell editor and ``rows()`` always hold the real value.

Keyboard: while a cell is being edited, Tab goes name → value → the next row's name (Shift+Tab back), skipping the
check boxes and read-only rows; Tab in the last cell (or Shift+Tab in the first) leaves the table, so every control
after it stays reachable. When the table itself has the focus (no cell open), Tab leaves it as any control does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.core.draft import Row
from app.ui.widgets.secret_mask import masked_value

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "row" (the user's) or "placeholder" (a missing-header marker)


class MaskingDelegate(QStyledItemDelegate):
    """Paints a secret header's value masked; editing shows (and keeps) the real value."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt name)
        super().initStyleOption(option, index)
        table = self.parent()
        if index.column() == 2 and isinstance(table, KeyValueTable) and table.masking():
            option.text = masked_value(str(index.siblingAtColumn(1).data() or ""), option.text)


class KeyValueTable(QTableWidget):
    edited = Signal()
    mask_secrets = False  # the header table turns this on

    def __init__(self, name_label: str = "Name", value_label: str = "Value", parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setHorizontalHeaderLabels(["", name_label, value_label])
        head = self.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        self.setColumnWidth(1, 200)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the table: every control stays reachable by keyboard
        self._loading = False
        self._secrets_shown = False
        self.setItemDelegate(MaskingDelegate(self))
        self.itemChanged.connect(self._on_item_changed)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self, context=Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected_rows)
        self._append_blank()

    # ------------------------------------------------------------------ keyboard
    def closeEditor(self, editor, hint) -> None:  # noqa: N802 (Qt name)
        """Tab/Shift+Tab from an open cell (the delegate asks for the next/previous item): see the module doc."""
        hints = QAbstractItemDelegate.EndEditHint
        if hint not in (hints.EditNextItem, hints.EditPreviousItem):
            super().closeEditor(editor, hint)
            return
        completer = editor.completer() if isinstance(editor, QLineEdit) else None
        if completer is not None and completer.popup().isVisible():  # no suggestion list left over the next cell
            completer.popup().hide()
        here = self.currentIndex()
        super().closeEditor(editor, hints.NoHint)  # the delegate has already committed the text
        forward = hint == hints.EditNextItem
        target = self._tab_target(here.row(), here.column(), forward)
        if target is None:
            self.focusNextPrevChild(forward)  # tab key navigation is off: this leaves the table
            return
        self.setCurrentCell(*target)
        if self.state() != QAbstractItemView.State.EditingState:
            self.editItem(self.item(*target))

    def _tab_target(self, row: int, col: int, forward: bool) -> tuple[int, int] | None:
        """The editable name/value cell after (or before) ``(row, col)``, or None at the table's end."""
        cells = [(r, c) for r in range(self.rowCount()) for c in (1, 2)
                 if self.item(r, c) is not None and self.item(r, c).flags() & Qt.ItemFlag.ItemIsEditable]
        if (row, col) not in cells:
            return None
        i = cells.index((row, col)) + (1 if forward else -1)
        return cells[i] if 0 <= i < len(cells) else None

    # ------------------------------------------------------------------ data in/out
    def commit_open_editor(self) -> None:
        """Keep what is typed in a cell still being edited: Ctrl+Enter sends without leaving the cell, and the
        request must hold what the table shows."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.focusWidget()
        if editor is not None and editor is not self and self.viewport().isAncestorOf(editor):
            self.commitData(editor)
            self.closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def rows(self) -> tuple[Row, ...]:
        """The user's rows (blank and placeholder rows left out)."""
        out = []
        for r in range(self.rowCount()):
            if self._kind(r) != "row":
                continue
            name, value = self._text(r, 1), self._text(r, 2)
            if not name and not value:
                continue
            check = self.item(r, 0)
            out.append(Row(name, value, check is None or check.checkState() == Qt.CheckState.Checked))
        return tuple(out)

    def set_rows(self, rows) -> None:
        """Replace the user's rows (placeholders are dropped too; the owner re-adds them)."""
        self._loading = True
        try:
            self.setRowCount(0)
            for row in rows:
                self._insert(self.rowCount(), row.name, row.value, row.enabled)
            self._insert(self.rowCount(), "", "", True)
        finally:
            self._loading = False
        self._refresh_masks()

    # ------------------------------------------------------------------ secrets on screen
    def masking(self) -> bool:
        return self.mask_secrets and not self._secrets_shown

    def secrets_shown(self) -> bool:
        return self._secrets_shown

    def set_secrets_shown(self, shown: bool) -> None:
        self._secrets_shown = bool(shown)
        self._refresh_masks()
        self.viewport().update()

    def shown_value(self, r: int) -> str:
        """The value cell of row ``r`` as painted (masked for a secret header unless secrets are shown)."""
        value = self._text(r, 2)
        return masked_value(self._text(r, 1), value) if self.masking() else value

    def _refresh_masks(self) -> None:
        """Screen readers get the masked text too (AccessibleTextRole wins over the display text)."""
        if not self.mask_secrets:
            return
        was, self._loading = self._loading, True
        try:
            for r in range(self.rowCount()):
                item = self.item(r, 2)
                if item is None:
                    continue
                shown = self.shown_value(r)
                item.setData(Qt.ItemDataRole.AccessibleTextRole, shown if shown != item.text() else None)
        finally:
            self._loading = was

    def delete_selected_rows(self) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()}, reverse=True)
        changed = False
        for r in rows:
            if r < self.rowCount() - 1 and self._kind(r) == "row":
                self.removeRow(r)
                changed = True
        if changed:
            self.edited.emit()

    # ------------------------------------------------------------------ helpers
    def _kind(self, r: int) -> str:
        item = self.item(r, 1)
        return (item.data(KIND_ROLE) if item is not None else None) or "row"

    def _text(self, r: int, c: int) -> str:
        item = self.item(r, c)
        return item.text() if item is not None else ""

    def _insert(self, r: int, name: str, value: str, enabled: bool) -> None:
        self.insertRow(r)
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked)
        check.setToolTip("Send this row (untick to keep it without sending it)")
        self.setItem(r, 0, check)
        self.setItem(r, 1, QTableWidgetItem(name))
        self.setItem(r, 2, QTableWidgetItem(value))
        self._style_enabled(r, enabled)

    def _append_blank(self) -> None:
        self._loading = True
        try:
            self._insert(self.rowCount(), "", "", True)
        finally:
            self._loading = False

    def _style_enabled(self, r: int, enabled: bool) -> None:
        for c in (1, 2):
            item = self.item(r, c)
            if item is not None:
                font = item.font()
                font.setStrikeOut(not enabled)
                item.setFont(font)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        r = item.row()
        if self._kind(r) != "row":
            return
        self._loading = True
        try:
            if item.column() == 0:
                self._style_enabled(r, item.checkState() == Qt.CheckState.Checked)
            # typing into the trailing blank row makes it a real row and adds a new blank one
            last = self.rowCount() - 1
            if r == last and (self._text(r, 1) or self._text(r, 2)):
                self._insert(self.rowCount(), "", "", True)
        finally:
            self._loading = False
        if item.column() in (1, 2):
            self._refresh_masks()
        self.edited.emit()
