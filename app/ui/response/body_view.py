"""The response body: pretty (highlighted) text, raw text/hex, image preview, and "Save body…".

Every byte of a body can be reached: both text views are paged (app.ui.response.paged_text) over the whole body,
in memory or in its spilled temp file (``response.body_path``), loading ~64 KB around the place being looked at.
Bodies up to ``PRETTY_LIMIT`` are formatted whole (app.core.body_format; on a worker thread above ``SYNC_LIMIT``,
handed back through a queued signal); bigger ones are shown as received in the Body tab too, coloured as JSON/XML
a window at a time. The banner says which of the two the user is looking at, and offers Save body…, which copies
the whole body (the temp file when there is one) on a worker.
"""

from __future__ import annotations

import itertools
import os
import shutil
import time
import weakref
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.body_format import FormattedBody, charset_of, format_body, looks_binary
from app.core.models import HttpResponse, media_type
from app.core.humanize import human_size
from app.ui import workers
from app.ui.response.body_source import COLOURED_WINDOW, WINDOW, ByteStore, FileText, HexSource, TextSource
from app.ui.response.highlighter import HIGHLIGHTED_KINDS, BodyHighlighter
from app.ui.response.image_view import ImagePreview
from app.ui.response.jsonpath_filter import JsonPathFilter
from app.ui.response.paged_text import PagedText
from app.ui.style import is_dark

SYNC_LIMIT = 64 * 1024           # format on the GUI thread only below this
PRETTY_LIMIT = 2 * 1024 * 1024   # bodies up to this size are formatted (re-indented) whole
WRAP_LIMIT = 16 * 1024           # wrap only small text
# Formatting a big body keeps a worker busy in Python for a second: while it runs, every Python callback of the GUI
# thread's painting (the focus style, list models) waits up to the GIL's switch interval, and the response's first
# paint took 60-120 ms instead of 30. Above SETTLE_ABOVE bytes the worker waits SETTLE_S first.
SETTLE_ABOVE = 256 * 1024
SETTLE_S = 0.06


def _format(data: bytes, content_type: str | None) -> FormattedBody:
    return format_body(data, content_type, PRETTY_LIMIT)


def _kind_of(head: bytes, content_type: str | None) -> str:
    """json/xml/text/binary for a body too big to format, from its first few KB."""
    if looks_binary(head, content_type):
        return "binary"
    return format_body(head[:4096], content_type, 4096, more=True).kind


class _Relay(QObject):
    """One object for the whole app, living on the GUI thread: workers emit on it, the GUI thread delivers.

    It is never a child of a view: a view can be closed (and its C++ object deleted) while a worker is still
    formatting, and emitting on a QObject that another thread is deleting is a use-after-free. Views register
    under a key; a result for a view that has gone is dropped.
    """

    formatted = Signal(int, int, object)  # view key, generation, result
    saved = Signal(int, str, str)  # view key, path, error ("" when fine)

    def __init__(self) -> None:
        super().__init__()
        self.views: weakref.WeakValueDictionary[int, BodyView] = weakref.WeakValueDictionary()
        self._keys = itertools.count(1)  # never reused, unlike id(): a late result cannot reach a newer view
        self.formatted.connect(self._deliver_formatted)
        self.saved.connect(self._deliver_saved)

    def register(self, view: BodyView) -> int:
        key = next(self._keys)
        self.views[key] = view
        return key

    def _view(self, key: int) -> BodyView | None:
        view = self.views.get(key)
        return view if view is not None and shiboken6.isValid(view) else None

    def _deliver_formatted(self, key: int, gen: int, result: object) -> None:
        view = self._view(key)
        if view is not None:
            view._on_formatted(gen, result)

    def _deliver_saved(self, key: int, path: str, error: str) -> None:
        view = self._view(key)
        if view is not None:
            view._on_saved(path, error)


_RELAY: _Relay | None = None


def _relay() -> _Relay:
    """The app-wide relay, created on first use (always from the GUI thread, by a view's constructor)."""
    global _RELAY
    if _RELAY is None or not shiboken6.isValid(_RELAY):
        _RELAY = _Relay()
    return _RELAY


class BodyBanner(QWidget):
    """What the Body tab really shows ("The whole body (100 MB) is shown as received…") and Save body…."""

    def __init__(self, save_slot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # notes quote the body and file paths
        self.label.setObjectName("bodyNotice")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Body notice")
        self.save = QPushButton("Save body…")
        self.save.setObjectName("saveBodyButton")
        self.save.setAccessibleName("Save body to a file")
        self.save.clicked.connect(save_slot)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.save, 0, Qt.AlignmentFlag.AlignTop)


class BodyView(QWidget):
    """Holds the pretty view (objectName ``responseBody``), the raw view and the image preview.

    ``pretty_pager``/``raw_pager`` are the paged views (``pretty``/``raw`` their text edits).
    Signals: ``formatted()`` when the current body's first screen of text is shown; ``saved(path, error)``.
    """

    formatted = Signal()
    saved = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pretty_pager = PagedText("responseBody", "Response body (formatted)")
        self.raw_pager = PagedText("responseRaw", "Response body (raw)")
        self.pretty, self.raw = self.pretty_pager.edit, self.raw_pager.edit
        self.image_view = ImagePreview()  # decodes on a worker, refuses decompression-bomb images
        self.image_area, self.image = self.image_view, self.image_view.image
        self.raw_page = QWidget()
        rl = QVBoxLayout(self.raw_page)
        rl.setContentsMargins(0, 0, 0, 0)
        self.raw_note = QLabel("Long lines are broken for display (Save body… keeps the original).")
        self.raw_note.setObjectName("rawNote")
        self.raw_note.setAccessibleName("Raw body notice")
        self.raw_note.hide()
        rl.addWidget(self.raw_note)
        rl.addWidget(self.raw_pager, 1)
        self.banner = BodyBanner(self.save_body)
        self.banner.hide()
        # lazy: the lines on screen are coloured when shown or scrolled to, the rest of a window a slice per turn
        self._highlighter = BodyHighlighter(None, view=self.pretty)
        self._raw_highlighter = BodyHighlighter(None, view=self.raw)
        for hl, pager in ((self._highlighter, self.pretty_pager), (self._raw_highlighter, self.raw_pager)):
            pager.windowShown.connect(hl.colour_visible)
            pager.edit.verticalScrollBar().valueChanged.connect(hl.colour_visible)
        self._relay = _relay()
        self._key = self._relay.register(self)
        self.format_future = None  # the formatting job on a worker, while there is one
        self._generation = 0
        self._response: HttpResponse | None = None
        self._store: ByteStore | None = None
        self._raw_source = None
        self._dialog: QFileDialog | None = None
        self._notes: list[str] = []
        self.pending = False
        self.kind = "text"
        self.has_image = False
        self.pretty_pager.windowShown.connect(self._first_screen)
        self.lay = QVBoxLayout(self)
        self.lay.setContentsMargins(0, 0, 0, 0)
        self.lay.addWidget(self.banner)
        self.lay.addWidget(self.pretty_pager, 1)
        self.jsonpath = JsonPathFilter()  # under JSON bodies only
        self.lay.addWidget(self.jsonpath)

    # -- public -------------------------------------------------------------------------------
    def clear(self) -> None:
        self._generation += 1
        self._response = self._store = self._raw_source = None
        self.pending = False
        self.kind = "text"
        self.has_image = False
        self._highlighter.setDocument(None)
        self._raw_highlighter.setDocument(None)
        self.pretty_pager.set_source(None)
        self.raw_pager.set_source(None)
        self.jsonpath.set_store(None)
        self.pretty.setToolTip("")
        self.raw_note.hide()
        self.image_view.clear()
        self.banner.hide()

    def store(self) -> ByteStore | None:
        """The whole body's bytes (its temp file when it was spilled and is still there)."""
        return self._store

    def _whole_store(self, r: HttpResponse) -> ByteStore:
        if r.body_path and os.path.isfile(r.body_path):
            try:
                return ByteStore(path=r.body_path)
            except OSError:
                pass
        return ByteStore(r.body)

    def set_response(self, response: HttpResponse | None) -> None:
        """Show ``response``'s body; big bodies are formatted on a worker thread or paged from disk."""
        self.clear()
        if response is None:
            return
        self._response = response
        ctype = response.header("Content-Type")
        data = response.body
        store = self._store = self._whole_store(response)
        total = self.total_size()
        self._notes = []
        if store.size < total:
            self._notes.append(f"Only the first {human_size(store.size)} of {human_size(total)} were kept: that is "
                               "what is shown and saved.")
        self._show_image(data, ctype, response.body_truncated)
        binary = looks_binary(data[:8192], ctype)
        self.kind = _kind_of(data[:8192], ctype)
        self._raw_source = HexSource(store) if binary else FileText(store, charset_of(ctype), self.kind)
        gen = self._generation
        if store.size > PRETTY_LIMIT:
            whole = f"all {human_size(store.size)} as received, read as you scroll"
            if self.kind in HIGHLIGHTED_KINDS:  # re-indent the first part; Raw has every byte
                self._notes.append(f"Body shows the first {human_size(PRETTY_LIMIT)} re-indented; Raw shows {whole}.")
                self._format_later(gen, data[:PRETTY_LIMIT], ctype, more=True)
                return
            self._notes.append(f"Showing {whole}.")
            self.pending = True
            self._show_pretty(self._raw_source, self.kind)
            return
        if store.in_memory and len(data) <= SYNC_LIMIT:
            self._apply(gen, _format(data, ctype))
            return
        self._format_later(gen, None, ctype)

    def _format_later(self, gen: int, part: bytes | None, ctype: str | None, more: bool = False) -> None:
        """Format ``part`` (None: the whole body) on a worker; the result comes back through the relay."""
        store = self._store
        self.pending = True
        self.pretty_pager.set_plain("Formatting the body…")

        settle = SETTLE_S if (len(part) if part is not None else store.size) > SETTLE_ABOVE else 0.0

        def work() -> FormattedBody:
            time.sleep(settle)  # let the window lay out and paint the new response before competing for the GIL
            data = part if part is not None else store.read(0, store.size)
            return format_body(data, ctype, PRETTY_LIMIT, more=more)

        future = workers.submit(work)
        self.format_future = future  # the running job, for whoever needs to wait on it (tests, shutdown)
        relay, key, preview = self._relay, self._key, self._response.body
        future.add_done_callback(lambda f: relay.formatted.emit(key, gen, _result(f, preview, ctype)))

    def _show_image(self, data: bytes, ctype: str | None, truncated: bool) -> None:
        """An ``image/*`` body is decoded for the Image tab on a worker (a problem is said on that page)."""
        self.has_image = self.image_view.show_body(data, ctype, truncated)

    def total_size(self) -> int:
        r = self._response
        if r is None:
            return 0
        if r.decoded_bytes is not None:
            return max(r.decoded_bytes, len(r.body))
        if r.body_path:
            try:
                return max(Path(r.body_path).stat().st_size, len(r.body))
            except OSError:
                pass
        return len(r.body)

    # -- formatting results ---------------------------------------------------------------------
    def _on_formatted(self, gen: int, result: object) -> None:
        self._apply(gen, result)  # type: ignore[arg-type]

    def _apply(self, gen: int, fb: FormattedBody) -> None:
        if gen != self._generation:
            return  # a newer response replaced this one
        self.kind = fb.kind
        if fb.error:
            self._notes.append(fb.error[:1].upper() + fb.error[1:] + " — shown as received.")
        if fb.kind == "image":
            source = TextSource("(image — see the Image tab)" if self.has_image else "(image could not be shown)")
        elif fb.truncated and self._raw_source is not None and self._store.size <= PRETTY_LIMIT:  # at its cap
            self._notes.append("Too large to re-indent whole: shown as received, read as you scroll.")
            source = self._raw_source
        else:
            source = TextSource(fb.text, COLOURED_WINDOW if fb.kind in HIGHLIGHTED_KINDS else WINDOW)
        small = isinstance(source, TextSource) and source.size <= WRAP_LIMIT
        for view in (self.pretty, self.raw):
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if small
                                 else QPlainTextEdit.LineWrapMode.NoWrap)
        self._show_pretty(source, fb.kind)

    def _show_pretty(self, source, kind: str) -> None:
        for hl, view in ((self._highlighter, self.pretty), (self._raw_highlighter, self.raw)):
            hl.setDocument(None)
            if kind in HIGHLIGHTED_KINDS:
                hl.setDocument(view.document())  # colours each window as it is shown
                hl.set_kind(kind, is_dark(self.palette()))
        self.pending = True
        self.jsonpath.set_store(self._store if kind == "json" else None)
        self.pretty_pager.set_source(source)
        if self.raw_pager.isVisible() or (self._store is not None and self._store.size <= SYNC_LIMIT):
            self.ensure_raw()

    def _first_screen(self) -> None:
        """The first window of the current body is on screen: say what is shown."""
        if not self.pending:
            return
        self.pending = False
        notes = list(self._notes)
        win = self.pretty_pager.win
        broken = bool(win and win.breaks)
        if broken:
            notes.append("Long lines are broken for display (Save body… keeps the original).")
        self.raw_note.setVisible(broken)
        self._set_banner(notes)
        self.formatted.emit()

    def ensure_raw(self) -> None:
        """Fill the raw view (lazily: only when its tab is looked at)."""
        if self._raw_source is not None and self.raw_pager.source is not self._raw_source:
            self.raw_pager.set_source(self._raw_source)

    def _set_banner(self, notes: list[str]) -> None:
        has_body = bool(self._store and self._store.size)
        self.banner.label.setText(" ".join(notes))
        self.banner.save.setVisible(has_body)
        self.banner.setVisible(bool(notes) or has_body)

    # -- saving ---------------------------------------------------------------------------------
    def save_body(self) -> None:
        """Ask for a file name without blocking (dialog.open()), then copy off the GUI thread."""
        if self._response is None:
            return
        dlg = QFileDialog(self, "Save response body")
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setObjectName("saveBodyDialog")
        dlg.fileSelected.connect(self.save_to)
        self._dialog = dlg
        dlg.open()

    def save_to(self, path: str) -> None:
        """Write the whole body (from its temp file when it was spilled to disk) to ``path`` on a worker."""
        store = self._store
        if store is None or not path:
            return
        relay, key = self._relay, self._key
        body, src = store.data, store.path

        def work() -> None:
            try:
                if src:
                    shutil.copyfile(src, path)
                else:
                    Path(path).write_bytes(body)
                relay.saved.emit(key, path, "")
            except OSError as exc:
                relay.saved.emit(key, path, f"Could not save the body to {path}: {exc.strerror or exc}")

        workers.submit(work)

    def _on_saved(self, path: str, error: str) -> None:
        self.banner.label.setText(error or f"Saved the whole body ({human_size(self.total_size())}) to {path}.")
        self.banner.show()
        self.saved.emit(path, error)


def _result(future, data: bytes, ctype: str | None) -> FormattedBody:
    try:
        return future.result()
    except Exception as exc:  # never lose the body to a formatting bug
        return FormattedBody(data[:PRETTY_LIMIT].decode("utf-8", "replace"), "text", True, f"could not format: {exc}")
