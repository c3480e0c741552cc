"""The response body: pretty (highlighted) text, raw text/hex, image preview, and "Save body…".

Bodies over ``SYNC_LIMIT`` are formatted (app.core.body_format) on a worker thread (app.ui.workers.submit) and
handed back through a queued signal; only ``DISPLAY_LIMIT`` bytes are ever formatted and shown (a banner says so
and offers Save body…).
Wrapping is switched off for big text (a wrapped 64 KiB line stalls the GUI ~240 ms).
"""

from __future__ import annotations

import itertools
import shutil
import weakref
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase, QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.body_format import LONG_LINE, FormattedBody, break_long_lines, format_body, format_raw
from app.core.models import HttpResponse, media_type
from app.core.humanize import human_size
from app.ui import workers
from app.ui.response.highlighter import BodyHighlighter
from app.ui.style import is_dark

SYNC_LIMIT = 64 * 1024           # format on the GUI thread only below this
DISPLAY_LIMIT = 2 * 1024 * 1024  # bytes formatted and shown at most
HIGHLIGHT_LIMIT = 64 * 1024      # characters highlighted at most (QSyntaxHighlighter runs on the GUI thread)
WRAP_LIMIT = 16 * 1024           # wrap only small text
PAGE_CHARS = 64 * 1024           # characters put into a text view at once (~20 ms of layout here)


def _displayable(fb: FormattedBody) -> tuple[FormattedBody, bool]:
    text, broken = break_long_lines(fb.text)
    return (FormattedBody(text, fb.kind, fb.truncated, fb.error) if broken else fb), broken


def _format_both(data: bytes, content_type: str | None, more: bool):
    pretty, b1 = _displayable(format_body(data, content_type, DISPLAY_LIMIT, more=more))
    raw, b2 = _displayable(format_raw(data, content_type, DISPLAY_LIMIT, more=more))
    return pretty, raw, b1 or b2


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


def _text_view(name: str, accessible: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setReadOnly(True)
    view.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                 | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    return view


class BodyBanner(QWidget):
    """ "Showing the first 2 MB of 100 MB — Save body…" plus notes such as "not valid JSON: …"."""

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
        self.more = QPushButton("Show more")
        self.more.setObjectName("showMoreButton")
        self.more.setAccessibleName("Show more of the body")
        self.more.hide()
        lay.addWidget(self.label, 1)
        lay.addWidget(self.more)
        lay.addWidget(self.save)


class BodyView(QWidget):
    """Holds the pretty view (objectName ``responseBody``), the raw view and the image preview.

    Signals: ``formatted()`` when the current body's text is in the views; ``saved(path, error)``.
    """

    formatted = Signal()
    saved = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pretty = _text_view("responseBody", "Response body (formatted)")
        self.raw = _text_view("responseRaw", "Response body (raw)")
        self.image = QLabel()
        self.image.setTextFormat(Qt.TextFormat.PlainText)
        self.image.setObjectName("responseImage")
        self.image.setAccessibleName("Response image preview")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_area = QScrollArea()
        self.image_area.setWidget(self.image)
        self.image_area.setWidgetResizable(True)
        self.raw_page = QWidget()
        self.raw_more = QPushButton("Show more")
        self.raw_more.setObjectName("rawShowMoreButton")
        self.raw_more.setAccessibleName("Show more of the raw body")
        self.raw_more.clicked.connect(self.show_more)
        self.raw_more.hide()
        rl = QVBoxLayout(self.raw_page)
        rl.setContentsMargins(0, 0, 0, 0)
        self.raw_note = QLabel("Long lines are broken for display (Save body… keeps the original).")
        self.raw_note.setObjectName("rawNote")
        self.raw_note.setAccessibleName("Raw body notice")
        self.raw_note.hide()
        rl.addWidget(self.raw_note)
        rl.addWidget(self.raw, 1)
        rl.addWidget(self.raw_more, 0, Qt.AlignmentFlag.AlignRight)
        self.banner = BodyBanner(self.save_body)
        self.banner.more.clicked.connect(self.show_more)
        self.banner.hide()
        self._pretty_text = ""
        self._raw_text = ""
        self._raw_shown = 0
        self._highlighter = BodyHighlighter(None)
        self._relay = _relay()
        self._key = self._relay.register(self)
        self.format_future = None  # the formatting job on a worker, while there is one
        self._generation = 0
        self._response: HttpResponse | None = None
        self._dialog: QFileDialog | None = None
        self._notes: list[str] = []
        self.pending = False
        self.kind = "text"
        self.has_image = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.banner)
        lay.addWidget(self.pretty, 1)

    # -- public -------------------------------------------------------------------------------
    def clear(self) -> None:
        self._generation += 1
        self._response = None
        self.pending = False
        self.kind = "text"
        self.has_image = False
        self._highlighter.setDocument(None)
        self.pretty.setPlainText("")
        self.pretty.setToolTip("")
        self.raw.setPlainText("")
        self.raw_note.hide()
        self._pretty_text = self._raw_text = ""
        self._raw_shown = 0
        self._pretty_shown = 0
        self.image.clear()
        self.banner.more.hide()
        self.raw_more.hide()
        self.banner.hide()

    def set_response(self, response: HttpResponse | None) -> None:
        """Show ``response``'s body; big bodies are formatted on a worker thread."""
        self.clear()
        if response is None:
            return
        self._response = response
        ctype = response.header("Content-Type")
        data = response.body
        total = self.total_size()
        more = response.body_truncated or total > len(data)
        self._notes = []
        if more or len(data) > DISPLAY_LIMIT:
            shown = min(len(data), DISPLAY_LIMIT)
            self._notes.append(f"Showing the first {human_size(shown)} of {human_size(total)}.")
        mt = media_type(ctype)
        if mt and mt.startswith("image/") and not response.body_truncated:
            img = QImage.fromData(data)
            if not img.isNull():
                self.image.setPixmap(QPixmap.fromImage(img))
                self.image.setToolTip(f"{img.width()} × {img.height()} px")
                self.has_image = True
            else:
                self._notes.append("The body is labelled as an image but could not be decoded.")
        gen = self._generation
        if len(data) <= SYNC_LIMIT:
            self._apply(gen, _format_both(data, ctype, more))
            return
        self.pending = True
        self.pretty.setPlainText("Formatting the body…")
        future = workers.submit(_format_both, data, ctype, more)
        self.format_future = future  # the running job, for whoever needs to wait on it (tests, shutdown)
        relay, key = self._relay, self._key
        future.add_done_callback(lambda f: relay.formatted.emit(key, gen, _result(f, data, ctype)))

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

    def _apply(self, gen: int, result) -> None:
        if gen != self._generation:
            return  # a newer response replaced this one
        pretty, raw, broken = result
        self.pending = False
        self.kind = pretty.kind
        notes = list(self._notes)
        if pretty.error:
            notes.append(pretty.error[:1].upper() + pretty.error[1:] + " — shown as received.")
        pretty_broken = broken and any(len(x) == LONG_LINE for x in pretty.text[:PAGE_CHARS].split("\n")[:50])
        if pretty_broken:
            notes.append("Long lines are broken for display (Save body… keeps the original).")
        self.raw_note.setVisible(broken)
        if pretty.kind == "image":
            pretty = FormattedBody(
                "(image — see the Image tab)" if self.has_image else "(image could not be shown)", "image",
                pretty.truncated)
        for view, fb in ((self.pretty, pretty), (self.raw, raw)):
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth if len(fb.text) <= WRAP_LIMIT
                                 else QPlainTextEdit.LineWrapMode.NoWrap)
        self._highlighter.setDocument(None)
        self._pretty_text, self._raw_text = pretty.text, raw.text
        self.pretty.setPlainText(pretty.text[:PAGE_CHARS])
        self._pretty_shown = min(len(pretty.text), PAGE_CHARS)
        self._raw_shown = 0
        self.raw.setPlainText("")
        if len(raw.text) <= SYNC_LIMIT or self.raw.isVisible():
            self.ensure_raw()
        if pretty.kind in ("json", "xml") and len(pretty.text) <= HIGHLIGHT_LIMIT:
            self._highlighter.setDocument(self.pretty.document())
            self._highlighter.set_kind(pretty.kind, is_dark(self.palette()))
        elif pretty.kind in ("json", "xml"):
            self.pretty.setToolTip("Colours are off for a body this large.")
        self._set_banner(notes)
        self.formatted.emit()

    def show_more(self) -> None:
        """Append the next page of the formatted text (and of the raw text when it is shown)."""
        cur = self._pretty_shown
        if cur < len(self._pretty_text):
            cursor = self.pretty.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(self._pretty_text[cur:cur + PAGE_CHARS])
            self._pretty_shown = min(len(self._pretty_text), cur + PAGE_CHARS)
        if self._raw_shown and self._raw_shown < len(self._raw_text):
            cursor = self.raw.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            cursor.insertText(self._raw_text[self._raw_shown:self._raw_shown + PAGE_CHARS])
            self._raw_shown = min(len(self._raw_text), self._raw_shown + PAGE_CHARS)
        self.banner.more.setVisible(self._has_more())
        self.raw_more.setVisible(0 < self._raw_shown < len(self._raw_text))

    def ensure_raw(self) -> None:
        """Fill the raw view (lazily: only when its tab is looked at)."""
        if self._raw_shown == 0 and self._raw_text:
            self.raw.setPlainText(self._raw_text[:PAGE_CHARS])
            self._raw_shown = min(len(self._raw_text), PAGE_CHARS)
        self.raw_more.setVisible(0 < self._raw_shown < len(self._raw_text))

    def raw_text(self) -> str:
        """The whole raw text prepared for display (what the Raw tab pages through)."""
        return self._raw_text

    def _has_more(self) -> bool:
        return self._pretty_shown < len(self._pretty_text) or (
            0 < self._raw_shown < len(self._raw_text))

    def _set_banner(self, notes: list[str]) -> None:
        big = bool(self._response and (self._response.body_truncated or self.total_size() > DISPLAY_LIMIT))
        more = self._has_more()
        self.banner.more.setVisible(more)
        if more:
            notes.append(f"“Show more” adds {human_size(PAGE_CHARS)} at a time.")
        if not notes:
            self.banner.hide()
            return
        self.banner.label.setText(" ".join(notes))
        self.banner.save.setVisible(big or bool(self._response and self._response.body))
        self.banner.show()

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
        r = self._response
        if r is None or not path:
            return
        relay, key = self._relay, self._key
        body, src = r.body, r.body_path

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
        self.banner.label.setText(error or f"Saved the body to {path}.")
        self.banner.show()
        self.saved.emit(path, error)


def _result(future, data: bytes, ctype: str | None):
    try:
        return future.result()
    except Exception as exc:  # never lose the body to a formatting bug
        fb, broken = _displayable(FormattedBody(data[:DISPLAY_LIMIT].decode("utf-8", "replace"), "text", True,
                                                f"could not format: {exc}"))
        return fb, fb, broken
