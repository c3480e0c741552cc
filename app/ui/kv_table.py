"""An editable name/value table with an on/off checkbox per row and a trailing blank row for adding one.

Signals: ``edited()`` — the user changed a row (typing, toggling, deleting). ``set_rows`` never emits it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.core.draft import Row

KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "row" (the user's) or "placeholder" (a missing-header marker)


class KeyValueTable(QTableWidget):
    edited = Signal()

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
        self.itemChanged.connect(self._on_item_changed)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self, context=Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected_rows)
        self._append_blank()

    # ------------------------------------------------------------------ data in/out
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
        self.edited.emit()
