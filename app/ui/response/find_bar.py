"""Find in the response (Ctrl+F): the whole body in Body and Raw, the rows of the Headers and Sent tables.

``FindBar`` is the field, "3 of 41", previous/next, Match case and close; it asks the target of the tab shown.
``PagedFind`` searches a paged view's whole source (app.ui.response.body_source: tens of MB in a temp file) on a
worker; the result comes back through the paged view's Inbox (a queued signal), a newer search cancels the older
one, and the matches are highlighted in the window on screen. ``TableFind`` keeps the rows of a header table that
match and selects the current one (tables are small: searched on the GUI thread).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QWidget,
)

from app.core.body_search import SearchResult
from app.ui import workers
from app.ui.response.paged_text import Inbox, PagedText


class PagedFind(QObject):
    """Searches ``pager``'s whole source on a worker. Signals: ``done(result)`` (a SearchResult, None, or a
    sentence when the body could not be read); ``changed()`` when the pager shows another source."""

    done = Signal(object)
    changed = Signal()

    def __init__(self, pager: PagedText) -> None:
        super().__init__(pager)
        self.pager = pager
        self.result: SearchResult | None = None
        self._cancel = threading.Event()
        self._gen = 0
        self._inbox = Inbox(self._on_result)
        pager.sourceChanged.connect(self.changed)

    def search(self, text: str, case_sensitive: bool) -> None:
        self._cancel.set()  # an older search still running stops at its next chunk
        self._cancel = cancel = threading.Event()
        self._gen += 1
        gen, source, inbox = self._gen, self.pager.source, self._inbox
        self.result = None
        self.pager.set_matches(None)
        if not text or source is None:
            self.done.emit(None)
            return

        def work() -> None:
            try:
                inbox.post((gen, source.search(text, case_sensitive, cancel.is_set)))
            except OSError as exc:
                inbox.post((gen, f"The body's file could not be read: {exc.strerror or exc}"))

        workers.submit(work)

    def _on_result(self, payload) -> None:
        gen, result = payload
        if gen != self._gen:
            return
        self.result = result if isinstance(result, SearchResult) else None
        self.done.emit(result)

    def show(self, index: int) -> None:
        res = self.result
        if res is not None and 0 <= index < len(res.offsets):
            self.pager.set_matches(res, index)
            self.pager.goto(res.offsets[index], res.length)

    def stop(self) -> None:
        self._cancel.set()
        self._gen += 1
        self.result = None
        self.pager.set_matches(None)


class TableFind(QObject):
    """Shows only the rows of ``table`` with a cell containing the text; ``show(i)`` selects the i-th of them."""

    done = Signal(object)
    changed = Signal()

    def __init__(self, table: QTableWidget) -> None:
        super().__init__(table)
        self.table = table
        self.rows: list[int] = []
        self.result: SearchResult | None = None
        table.model().rowsInserted.connect(lambda *_: self.changed.emit())
        table.model().modelReset.connect(self.changed)

    def _text(self, row: int) -> str:
        items = (self.table.item(row, c) for c in range(self.table.columnCount()))
        return "\n".join(i.text() for i in items if i is not None)

    def search(self, text: str, case_sensitive: bool) -> None:
        t = self.table
        needle = text if case_sensitive else text.lower()
        self.rows = []
        for row in range(t.rowCount()):
            hay = self._text(row) if case_sensitive else self._text(row).lower()
            hit = not text or needle in hay
            t.setRowHidden(row, not hit)
            if text and hit:
                self.rows.append(row)
        self.result = SearchResult(tuple(self.rows), len(text)) if text else None
        self.done.emit(self.result)

    def show(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.table.selectRow(self.rows[index])
            self.table.scrollToItem(self.table.item(self.rows[index], 0))

    def stop(self) -> None:
        for row in range(self.table.rowCount()):
            self.table.setRowHidden(row, False)
        self.rows, self.result = [], None


class FindBar(QWidget):
    """The find row under the response tabs; Ctrl+F on ``host`` opens it for the tab shown (``targets``)."""

    def __init__(self, host: QWidget, tabs: QTabWidget, targets: dict[int, QObject]) -> None:
        super().__init__(host)
        self.setObjectName("findBar")
        self.tabs, self.targets = tabs, targets
        self.field = QLineEdit()
        self.field.setObjectName("findField")
        self.field.setAccessibleName("Find in the response")
        self.field.setPlaceholderText("Find in the whole body (Enter: next, Shift+Enter: previous)")
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setAccessibleName("Matches found")
        self.case = QCheckBox("Match case")
        self.case.setObjectName("findMatchCase")
        self.prev = self._button("▲", "findPrevious", "Previous match (Shift+Enter)", lambda: self.step(-1))
        self.next = self._button("▼", "findNext", "Next match (Enter)", lambda: self.step(1))
        close = self._button("✕", "findClose", "Close Find (Esc)", self.close_bar)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w, stretch in ((QLabel("Find:"), 0), (self.field, 1), (self.count, 0), (self.prev, 0), (self.next, 0),
                           (self.case, 0), (close, 0)):
            lay.addWidget(w, stretch)
        self.target: QObject | None = None
        self.index = -1
        self._timer = QTimer(self, singleShot=True, interval=150)  # one search per pause in typing
        self._timer.timeout.connect(self.search)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.case.toggled.connect(lambda _c: self._timer.start())
        self.field.returnPressed.connect(lambda: self.step(1))
        QShortcut(QKeySequence("Shift+Return"), self.field, lambda: self.step(-1))
        QShortcut(QKeySequence("Shift+Enter"), self.field, lambda: self.step(-1))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Window-wide: only the visible tab's response view takes it (hidden widgets' shortcuts are inactive)
        QShortcut(QKeySequence.StandardKey.Find, host, self.open_bar, context=Qt.ShortcutContext.WindowShortcut)
        for t in targets.values():
            t.done.connect(self._on_done)
            t.changed.connect(self._target_changed)
        tabs.currentChanged.connect(lambda _i: not self.isHidden() and self._retarget())
        self.hide()

    def _button(self, text: str, name: str, tip: str, slot) -> QToolButton:
        b = QToolButton()
        b.setText(text)
        b.setObjectName(name)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        b.clicked.connect(slot)
        return b

    def open_bar(self) -> None:
        """Show the bar for the tab shown (Body for tabs without text) and select its field."""
        self.show()
        self._retarget()
        self.field.setFocus()
        self.field.selectAll()

    def close_bar(self) -> None:
        for t in self.targets.values():
            t.stop()
        self.target = None
        self.hide()

    def _retarget(self) -> None:
        target = self.targets.get(self.tabs.currentIndex()) or next(iter(self.targets.values()))
        if target is not self.target:
            if self.target is not None:
                self.target.stop()
            self.target = target
            self.search()

    def _target_changed(self) -> None:
        if not self.isHidden() and self.sender() is self.target:
            self._timer.start()

    def search(self) -> None:
        if self.target is None:
            return
        self.index = -1
        text = self.field.text()
        self.count.setText("Searching…" if text else "")
        self.target.search(text, self.case.isChecked())

    def _on_done(self, result) -> None:
        if self.sender() is not self.target:
            return
        if isinstance(result, str):
            self.count.setText(result)
            return
        if result is None:
            self.count.setText("")
            return
        self.index = 0 if result.offsets else -1
        self._show()

    def step(self, delta: int) -> None:
        res = self.target.result if self.target is not None else None
        if res is None or not res.offsets:
            return
        self.index = (self.index + delta) % len(res.offsets)
        self._show()

    def _show(self) -> None:
        res = self.target.result
        self.count.setText(res.summary(self.index if self.index >= 0 else None))
        if self.index >= 0:
            self.target.show(self.index)
