"""The history list in the sidebar (objectName ``historyPanel``): filters, re-open, delete, clear all.

All sqlite work runs in ``asyncio.to_thread``; the panel only shows rows. Signals:
``open_requested(int)`` (entry id, double-click / Enter), ``delete_requested(int)``, ``clear_requested()``
(after the user confirmed), ``filter_changed()``, ``compare_requested(int, int)`` (two selected entries).
The list shows each URL's path and query (the host is in the row's tooltip and under ``URL_ROLE``): in a narrow
sidebar "/orders?page=2" reads better than "…119/orders". URLs (list and tooltips) show tokens and passwords masked (••••••••) like every other list; the store already lists
only redacted forms (its originals are sealed), so there is nothing to reveal here. What a server sent (reason,
message) is shown as plain text, never as HTML.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.plain_text import plain_label, plain_tip
from app.ui.widgets.rows_model import RowsModel
from app.ui.widgets.secret_mask import masked_text

if TYPE_CHECKING:
    from app.store.history import HistoryFilter, HistoryRow

COLUMNS = ("When", "Method", "Path", "Status", "Documented", "⚠")
URL_ROLE = Qt.ItemDataRole.UserRole + 1  # the whole URL (masked like the list) of a row
STATUS_CLASSES = (("Any status", None), ("2xx", 2), ("3xx", 3), ("4xx", 4), ("5xx", 5), ("No response", 0))
FILTER_DEBOUNCE_MS = 150  # typing waits this long after the last key; the query itself runs on a worker


def _when(epoch: float) -> str:
    t = time.localtime(epoch)
    if time.strftime("%Y-%m-%d", t) == time.strftime("%Y-%m-%d"):
        return time.strftime("%H:%M:%S", t)
    return time.strftime("%d %b %H:%M", t)


def split_url(url: str) -> tuple[str, str]:
    """``(host, path)`` of a URL as listed: "http://u:p@h:8/a?b" -> ("h:8", "/a?b"); a URL with no path gives "/"."""
    rest = url.split("://", 1)[1] if "://" in url else url
    cut = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    path = rest[cut:]
    return rest[:cut].rpartition("@")[2], path if path.startswith("/") else "/" + path


class HistoryModel(RowsModel):
    columns = COLUMNS
    rows: list[HistoryRow]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return _when(r.created_at)
            if col == 1:
                return r.method
            if col == 2:
                return split_url(self.screen_url(r.url))[1]
            if col == 3:
                return str(r.status) if r.status is not None else (r.error_kind or "—")
            if col == 4:
                return r.documented_status or ""
            if col == 5:
                return str(r.finding_count) if r.finding_count else ""
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == URL_ROLE:
            return self.screen_url(r.url)
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [f"{r.method} {self.screen_url(r.url)}"]
            if r.status is not None:
                parts.append(f"{r.status} {r.documented_status or r.reason or ''}".strip())
            if r.message:
                parts.append(f"API says: {r.message if self.secrets_shown else masked_text(r.message)}")
            if r.finding_count:
                parts.append(f"{r.finding_count} warning(s)")
            if r.note_count:
                parts.append(f"{r.note_count} note(s), e.g. Location or rate limit (not counted in ⚠)")
            return plain_tip("\n".join(parts))
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            from app.ui.style import status_color  # darker on a light window, lighter on a dark one

            return QBrush(status_color(r.status))
        return None


class _ElideRightDelegate(QStyledItemDelegate):
    """A path too long for its column keeps its start visible: "/orders/42/ite…"."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt name)
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideRight


NARROW_PX = 420  # below this width the Documented column hides (its text stays in the row's tooltip)


class HistoryPanel(QWidget):
    open_requested = Signal(int)
    delete_requested = Signal(int)
    clear_requested = Signal()
    filter_changed = Signal()
    compare_requested = Signal(int, int)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.table.setColumnHidden(4, self.width() < NARROW_PX)  # a narrow sidebar gives its room to the URL

    def __init__(self, documented_statuses=(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.setAccessibleName("History")
        self._confirm: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        title = QHBoxLayout()
        head = QLabel("<b>History</b>", self)
        self.clear_button = QPushButton("Clear all…", self)
        self.clear_button.setObjectName("historyClearButton")
        self.clear_button.setAccessibleName("Clear all history")
        title.addWidget(head, 1)
        title.addWidget(self.clear_button)
        layout.addLayout(title)

        self.text = QLineEdit(self)
        self.text.setObjectName("historyFilter")
        self.text.setAccessibleName("Filter history")
        self.text.setPlaceholderText("Filter: URL, status, message…")
        self.text.setClearButtonEnabled(True)
        layout.addWidget(self.text)
        row = QHBoxLayout()
        self.method = QComboBox(self)
        self.method.setObjectName("historyMethodFilter")
        self.method.setAccessibleName("Method filter")
        self.method.addItems(["Any method", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
        self.status_class = QComboBox(self)
        self.status_class.setObjectName("historyStatusFilter")
        self.status_class.setAccessibleName("Status class filter")
        for label, value in STATUS_CLASSES:
            self.status_class.addItem(label, value)
        row.addWidget(self.method)
        row.addWidget(self.status_class)
        layout.addLayout(row)
        self.documented = QComboBox(self)
        self.documented.setObjectName("historyDocumentedFilter")
        self.documented.setAccessibleName("Documented status filter")
        self.set_documented_statuses(documented_statuses)
        layout.addWidget(self.documented)

        self.model = HistoryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("historyList")
        self.table.setAccessibleName("History entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # two rows: Compare
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        h = self.table.horizontalHeader()
        for c in range(len(COLUMNS)):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(4, 130)
        h.setMinimumSectionSize(24)
        self._url_delegate = _ElideRightDelegate(self.table)
        self.table.setItemDelegateForColumn(2, self._url_delegate)
        self.table.setColumnHidden(4, True)
        layout.addWidget(self.table, 1)
        self.count = plain_label("", self)
        self.count.setObjectName("historyCount")
        self.count.hide()
        layout.addWidget(self.count)
        self.note = plain_label("", self)
        self.note.setObjectName("historyNote")
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.filter_changed)
        self.text.textChanged.connect(lambda *_: self._debounce.start())
        for combo in (self.method, self.status_class, self.documented):
            combo.currentIndexChanged.connect(lambda *_: self.filter_changed.emit())
        # activated covers a double-click and Enter; listening to doubleClicked as well opened every entry twice
        self.table.activated.connect(lambda i: self.open_requested.emit(self.model.data(i, Qt.ItemDataRole.UserRole)))
        self.table.customContextMenuRequested.connect(self._context_menu)
        delete = QAction("Delete", self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._delete_current)
        self.table.addAction(delete)
        self.clear_button.clicked.connect(self.ask_clear)

    def set_documented_statuses(self, statuses) -> None:
        current = self.documented.currentData()
        self.documented.blockSignals(True)
        self.documented.clear()
        self.documented.addItem("Any documented status", None)
        for s in dict.fromkeys(statuses):
            self.documented.addItem(s, s)
        i = self.documented.findData(current)
        self.documented.setCurrentIndex(max(0, i))
        self.documented.blockSignals(False)

    def history_filter(self) -> HistoryFilter:
        from app.store.history import HistoryFilter  # sqlite's module: loaded after the first paint, not before

        method = self.method.currentText() if self.method.currentIndex() > 0 else None
        return HistoryFilter(text=self.text.text().strip(), method=method,
                             status_class=self.status_class.currentData(),
                             documented_status=self.documented.currentData())

    def set_rows(self, rows, total: int | None = None) -> None:
        """Show ``rows``; ``total`` (how many match in all) says when the list holds only the newest of them."""
        rows = list(rows)
        self.model.set_rows(rows)
        shown = total is not None and total > len(rows)
        self.count.setText(f"The newest {len(rows):,} of {total:,} matching entries are listed." if shown else "")
        self.count.setVisible(shown)

    def show_note(self, text: str | None) -> None:
        self.note.setText(text or "")
        self.note.setVisible(bool(text))

    def current_id(self) -> int | None:
        i = self.table.currentIndex()
        return self.model.data(i, Qt.ItemDataRole.UserRole) if i.isValid() else None

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.data(self.model.index(r, 0), Qt.ItemDataRole.UserRole) for r in rows]

    def _delete_current(self) -> None:
        entry = self.current_id()
        if entry is not None:
            self.delete_requested.emit(entry)

    def _context_menu(self, pos) -> None:
        index = self.table.indexAt(pos)
        menu = QMenu(self)
        chosen = self.selected_ids()
        if len(chosen) == 2:
            menu.addAction("Compare the two selected", lambda: self.compare_requested.emit(*chosen))
        if index.isValid():
            entry = self.model.data(index, Qt.ItemDataRole.UserRole)
            menu.addAction("Open in a new tab", lambda: self.open_requested.emit(entry))
            menu.addAction("Delete", lambda: self.delete_requested.emit(entry))
            menu.addSeparator()
        menu.addAction("Clear all history…", self.ask_clear)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def ask_clear(self) -> QMessageBox:
        """Non-modal confirmation (QMessageBox.open): Clear emits ``clear_requested``."""
        box = QMessageBox(QMessageBox.Icon.Question, "Clear history",
                          "Delete every entry of the request history? This cannot be undone.",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("historyClearConfirm")
        clear = box.addButton("Clear history", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda b: self.clear_requested.emit() if b is clear else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._confirm = box
        box.open()
        return box
