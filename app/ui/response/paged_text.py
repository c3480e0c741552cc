"""A read-only text view over a body of any size that loads as you scroll.

A ``QPlainTextEdit`` holds one window (~64 KB) of a source (app.ui.response.body_source) around the place being
looked at; a separate ``QScrollBar`` spans the whole source, so dragging it to the end shows the end of a 300 MB
file. Scrolling the text near a window's edge loads the next window around the same line. Windows of a file are
read on a worker (app.ui.workers) and handed back through ``Inbox`` (a queued signal on an app-wide object): the
newest request wins, and a result for a closed view is dropped. Find's matches are highlighted in the window shown.
"""

from __future__ import annotations

import bisect
import itertools
import weakref

import shiboken6
from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QFontDatabase, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QScrollBar, QTextEdit, QWidget

from app.core.body_search import SearchResult
from app.ui import workers
from app.ui.response.body_source import Window

EDGE = 0.2  # a new window is loaded when the view is within this share of the window's top or bottom
WINDOW_MARGIN = 2048  # units kept below the view before the bar asks for a new window
_MAX_BAR = 1 << 30  # QScrollBar takes an int: bigger sources are scaled down to this range


class _Relay(QObject):
    """Lives on the GUI thread for the whole app; workers post (key, payload), the owner's method runs here."""

    posted = Signal(int, object)

    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[int, weakref.WeakMethod] = {}
        self._keys = itertools.count(1)
        self.posted.connect(self._deliver)

    def _deliver(self, key: int, payload: object) -> None:
        ref = self.targets.get(key)
        method = ref() if ref is not None else None
        owner = getattr(method, "__self__", None)
        if method is None or (isinstance(owner, QObject) and not shiboken6.isValid(owner)):
            self.targets.pop(key, None)
            return
        method(payload)


_RELAY: _Relay | None = None


class Inbox:
    """``inbox.post(payload)`` from any thread calls ``method(payload)`` on the GUI thread, if its owner lives."""

    def __init__(self, method) -> None:
        global _RELAY
        if _RELAY is None or not shiboken6.isValid(_RELAY):
            _RELAY = _Relay()
        self._relay = _RELAY
        self.key = next(self._relay._keys)
        self._relay.targets[self.key] = weakref.WeakMethod(method)

    def post(self, payload: object) -> None:
        self._relay.posted.emit(self.key, payload)


def text_edit(name: str, accessible: str) -> QPlainTextEdit:
    """A read-only, selectable, fixed-font text view without wrapping."""
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setReadOnly(True)
    view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return view


class PagedText(QWidget):
    """``edit`` shows a window of ``source``; ``bar`` spans the whole source.

    Signals: ``windowShown()`` after a window's text is put in ``edit``; ``sourceChanged()``.
    """

    windowShown = Signal()
    sourceChanged = Signal()

    def __init__(self, name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = text_edit(name, accessible)
        self.edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.bar = QScrollBar(Qt.Orientation.Vertical)
        self.bar.setObjectName(name + "ScrollBar")
        self.bar.setAccessibleName(accessible + ": position in the whole body")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.bar)
        self.source = None
        self.win: Window | None = None
        self.loading = False
        self._gen = 0
        self._scale = 1
        self._applying = False
        self._select: tuple[int, int] | None = None  # (unit, length) to select once its window is shown
        self._matches: SearchResult | None = None
        self._current = -1
        self._inbox = Inbox(self._on_window)
        self.bar.valueChanged.connect(self._bar_moved)
        self.edit.verticalScrollBar().valueChanged.connect(self._edit_scrolled)
        self.edit.verticalScrollBar().rangeChanged.connect(lambda *_: self._sync_bar())

    # -- public -------------------------------------------------------------------------------
    def set_source(self, source) -> None:
        """Show ``source`` from its start (None: empty)."""
        self._gen += 1
        self.source, self.win, self._select, self._matches = source, None, None, None
        self._scale = max(1, -(-(source.size if source else 0) // _MAX_BAR))
        self._set_text("")
        self.bar.blockSignals(True)
        self.bar.setRange(0, 0)
        self.bar.setValue(0)
        self.bar.blockSignals(False)
        if source is not None:
            self._load(0, 0)
        self.sourceChanged.emit()

    def set_plain(self, text: str) -> None:
        """A short message instead of a source ("Formatting the body…")."""
        self.set_source(None)
        self._set_text(text)

    def goto(self, unit: int, length: int = 0) -> None:
        """Show unit ``unit`` of the source (loading its window when needed) and select ``length`` units."""
        win = self.win
        if win is not None and win.start <= unit and unit + length <= win.end and (
                win.start == 0 or unit - win.start > (win.end - win.start) * EDGE) and (
                win.end >= self.source.size or win.end - unit > (win.end - win.start) * EDGE):
            self._select_units(unit, length)
            return
        self._select = (unit, length)
        self._load(unit, unit)

    def set_matches(self, result: SearchResult | None, current: int = -1) -> None:
        """Highlight ``result``'s matches in the window shown; ``current`` is the one selected."""
        self._matches, self._current = result, current
        self._paint_matches()

    # -- loading windows ------------------------------------------------------------------------
    def _load(self, offset: int, anchor: int) -> None:
        self._gen += 1
        gen, source = self._gen, self.source
        if source.in_memory:
            self._on_window((gen, source.window(offset), anchor))
            return
        self.loading = True
        inbox = self._inbox

        def work() -> None:
            try:
                inbox.post((gen, source.window(offset), anchor))
            except OSError as exc:
                inbox.post((gen, Window(0, 0, f"The body's file could not be read: {exc.strerror or exc}"), 0))

        workers.submit(work)

    def _on_window(self, payload) -> None:
        gen, win, anchor = payload
        if gen != self._gen:
            return  # a newer request (or source) replaced this one
        self.loading = False
        self.win = win
        self._set_text(win.text)
        self._applying = True
        try:
            block = self.edit.document().findBlock(win.char_of(anchor))
            self.edit.verticalScrollBar().setValue(block.blockNumber())
        finally:
            self._applying = False
        self._sync_bar()
        if self._select is not None:
            self._select_units(*self._select)
            self._select = None
        self._paint_matches()
        self.windowShown.emit()

    def _set_text(self, text: str) -> None:
        self._applying = True
        try:
            self.edit.setPlainText(text)
        finally:
            self._applying = False

    # -- scrolling --------------------------------------------------------------------------------
    def _first_visible_unit(self) -> int:
        if self.win is None:
            return 0
        return self.win.unit_of(self.edit.cursorForPosition(QPoint(0, 0)).position())

    def _sync_bar(self) -> None:
        """Put the whole-body bar where the text view is."""
        if self.source is None or self.win is None:
            return
        inner = self.edit.verticalScrollBar()
        span = max(1, self.win.end - self.win.start)
        page = max(1, int(span * inner.pageStep() / max(1, inner.maximum() + inner.pageStep())))
        top = self.win.start + span * inner.value() // max(1, inner.maximum() + inner.pageStep())
        if inner.value() >= inner.maximum() and self.win.end >= self.source.size:
            top = self.source.size  # the end is on screen
        self.bar.blockSignals(True)
        self.bar.setRange(0, max(0, (self.source.size - page) // self._scale))
        self.bar.setPageStep(max(1, page // self._scale))
        self.bar.setSingleStep(max(1, page // self._scale // 20))
        self.bar.setValue(min(top, self.source.size) // self._scale)
        self.bar.blockSignals(False)

    def _bar_moved(self, value: int) -> None:
        if self.source is None:
            return
        unit = value * self._scale
        if value >= self.bar.maximum():
            unit = self.source.size
        win = self.win
        if win is not None and win.start <= unit <= win.end and (win.start == 0 or unit - win.start > 2048) and (
                win.end >= self.source.size or win.end - unit > WINDOW_MARGIN):
            self._scroll_to_char(win.char_of(unit))
            return
        self._load(unit, unit)

    def _scroll_to_char(self, char: int) -> None:
        self._applying = True
        try:
            inner = self.edit.verticalScrollBar()
            inner.setValue(self.edit.document().findBlock(char).blockNumber())
        finally:
            self._applying = False

    def _edit_scrolled(self, value: int) -> None:
        if self._applying or self.win is None or self.source is None:
            return
        inner = self.edit.verticalScrollBar()
        total = max(1, inner.maximum())
        near_top = self.win.start > 0 and value < total * EDGE
        near_end = self.win.end < self.source.size and value > total * (1 - EDGE)
        self._sync_bar()
        if (near_top or near_end) and not self.loading:
            unit = self._first_visible_unit()
            self._load(unit, unit)

    # -- selection and highlights ---------------------------------------------------------------
    def _select_units(self, unit: int, length: int) -> None:
        win = self.win
        if win is None:
            return
        a, b = win.char_of(unit), win.char_of(unit + length)
        cursor = self.edit.textCursor()
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        self.edit.setTextCursor(cursor)
        self.edit.centerCursor()

    def _paint_matches(self) -> None:
        res, win = self._matches, self.win
        if res is None or win is None or not res.offsets:
            self.edit.setExtraSelections([])
            return
        lo = bisect.bisect_left(res.offsets, win.start - res.length)
        hi = bisect.bisect_right(res.offsets, win.end)
        plain, current = QTextCharFormat(), QTextCharFormat()
        plain.setBackground(QColor("#fff59d"))
        plain.setForeground(QColor("#000000"))
        current.setBackground(QColor("#ff9800"))
        current.setForeground(QColor("#000000"))
        selections = []
        for i in range(lo, min(hi, lo + 2000)):  # a window holds at most a few thousand matches worth painting
            sel = QTextEdit.ExtraSelection()
            cur = self.edit.textCursor()
            cur.setPosition(win.char_of(res.offsets[i]))
            cur.setPosition(win.char_of(res.offsets[i] + res.length), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            sel.format = current if i == self._current else plain
            selections.append(sel)
        self.edit.setExtraSelections(selections)

