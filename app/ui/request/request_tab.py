"""One request tab: the editor above, the response view below (splitter), sending and cancelling, and the POST guard.

The tab gets its window's services (app.ui.services.TabServices): catalogs, clock, the window's OriginGate,
the transport, ``{{var}}`` expansion. Sending runs as an asyncio Task on the qasync loop, kept in ``self.task``
so Cancel/Esc can reach it. A curl command or raw request pasted into the URL bar becomes the tab's request.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.core.draft import BuildError, RequestDraft, build_request, reads_files
from app.core.rate_limit import origin_of
from app.ui.request.import_paste import PasteImporter, PasteResult, describe
from app.core.humanize import clock_duration
from app.ui.request.request_editor import RequestEditor
from app.ui.response.response_view import ResponseView
from app.ui.services import TabServices
from app.ui.widgets.plain_text import plain_tip
from app.ui.widgets.secret_mask import masked_url

if TYPE_CHECKING:  # asyncio loads with the window's second stage, after the first paint
    import asyncio

    from app.core.diagnosis import Diagnosis
    from app.core.models import HttpRequest

PROGRESS_INTERVAL_MS = 100
HEADERS_PAGE = 1  # the request editor's Headers tab
# Stacked: the request part's height is what its content asks for, at least this, at most this share of the tab.
STACKED_REQUEST_MIN = 170
STACKED_REQUEST_MAX_PERCENT = 40


def _read_file(path: str) -> bytes:
    from app.store.body_file import read_body_file

    return read_body_file(path)  # regular files only, size-checked


class ConfirmBar(QFrame):
    """Inline, non-modal: "The API asked to wait 42 s before the next POST. [Send anyway] [Send when allowed] [Cancel]"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postGuardBar")
        self.setAccessibleName("POST guard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#postGuardBar { background: rgba(163, 82, 0, 45); border-radius: 4px; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setObjectName("postGuardText")
        self.text.setWordWrap(True)
        self.send_anyway = QPushButton("Send anyway", self)
        self.send_anyway.setObjectName("sendAnywayButton")
        self.send_when_allowed = QPushButton("Send when allowed", self)
        self.send_when_allowed.setObjectName("sendWhenAllowedButton")
        self.dismiss = QPushButton("Cancel", self)
        self.dismiss.setObjectName("postGuardCancelButton")
        row.addWidget(self.text, 1)
        for b in (self.send_anyway, self.send_when_allowed, self.dismiss):
            row.addWidget(b)
        self.hide()

    def set_remaining(self, seconds: float, armed: bool) -> None:
        if armed:
            self.text.setText(f"Will send by itself when the API allows the next POST (in {clock_duration(seconds)}).")
        else:
            # whole seconds rounded up, as the countdown beside it does: "40 s" next to "0:41" read as a contradiction
            self.text.setText(f"The API asked to wait {max(0, math.ceil(seconds - 1e-9))} s before the next POST.")
        self.send_when_allowed.setVisible(not armed)
        self.send_anyway.setVisible(True)


def tab_title(d: RequestDraft) -> str:
    """"GET /orders": the path only, never the query, the fragment or a userinfo password (tokens live there)."""
    url = d.url.strip()
    authority, slash, path = url.split("://", 1)[-1].partition("/")
    path = "/" + path if slash else authority.rpartition("@")[2]
    path = path.split("?", 1)[0].split("#", 1)[0] or "/"
    if not url:
        path = "New request"
    return f"{d.method} {path}"[:40]


class RequestTab(QWidget):
    """Signals: ``title_changed(str)``; ``diagnosed(Diagnosis)`` for each answer received and explained;
    ``finished()`` after each send ends (response, error or cancel); ``notice(str)`` for the status bar."""

    title_changed = Signal(str)
    diagnosed = Signal(object)
    finished = Signal()
    notice = Signal(str)

    def __init__(self, services: TabServices, draft: RequestDraft | None = None, parent: QWidget | None = None,
                 lazy: bool = False) -> None:
        """``lazy``: the hidden pages wait for ``complete()`` (the window's first paint), and so does a send asked
        for before it (an Enter typed while the window appears: the event loop and the window's parts run later)."""
        super().__init__(parent)
        self._completed = not lazy
        self._send_when_complete = False
        self.services = services
        self.task: asyncio.Task | None = None
        self.last_diagnosis: Diagnosis | None = None
        self.armed = False  # "Send when allowed" pressed: send at zero
        self._wire_bytes = 0
        self._total: int | None = None
        self._elapsed = QElapsedTimer()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("requestSplitter")
        self.splitter.setChildrenCollapsible(False)
        top = QWidget(self.splitter)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.editor = RequestEditor(services.catalogs.loaded, top, lazy=lazy)
        self.confirm = ConfirmBar(top)
        tl.addWidget(self.editor, 1)
        tl.addWidget(self.confirm)
        self.response = ResponseView(self.splitter, lazy=lazy)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.response)
        self._request_part = top
        self.set_orientation(Qt.Orientation.Vertical, force=True)
        layout.addWidget(self.splitter)

        self._progress_timer = QTimer(self)
        self._progress_timer.setInterval(PROGRESS_INTERVAL_MS)
        self._progress_timer.timeout.connect(self._show_progress)

        self.editor.send_requested.connect(self.request_send)
        self.editor.cancel_requested.connect(self.cancel)
        self.editor.changed.connect(self._emit_title)
        self.confirm.send_anyway.clicked.connect(self._send_anyway)
        self.confirm.send_when_allowed.clicked.connect(self._arm)
        self.confirm.dismiss.clicked.connect(self._dismiss_guard)
        services.catalogs.changed.connect(self._catalog_changed)  # a bound slot: dropped when the tab is deleted
        self.paste_importer = PasteImporter(self.editor.url, self._apply_paste)
        self._url_menus: list[QMenu] = []  # the window's menus offered on the URL bar's right click (add_url_menu)
        if draft is not None:
            self.editor.set_draft(draft)

    # ------------------------------------------------------------------ layout
    def set_orientation(self, orientation: Qt.Orientation, force: bool = False) -> None:
        """Request beside the response (Horizontal, about 45/55) or above it (Vertical: the request gets the room
        its content asks for, the response the rest). Sizes are reset only when the orientation changes."""
        if self.splitter.orientation() == orientation and not force:
            return
        self.splitter.setOrientation(orientation)
        # side by side, the URL bar spans both halves (in the request half it left the URL ~140 px)
        self.editor.place_url_bar(self.layout() if orientation == Qt.Orientation.Horizontal else None)
        if orientation == Qt.Orientation.Horizontal:
            width = max(self.splitter.width(), 800)
            self.splitter.setStretchFactor(0, 9)
            self.splitter.setStretchFactor(1, 11)
            self.splitter.setSizes([width * 45 // 100, width * 55 // 100])
        else:
            height = max(self.splitter.height(), 600)
            wanted = max(STACKED_REQUEST_MIN, self._request_part.sizeHint().height())
            top = min(wanted, height * STACKED_REQUEST_MAX_PERCENT // 100)
            self.splitter.setStretchFactor(0, 0)  # a taller window gives its extra room to the response
            self.splitter.setStretchFactor(1, 1)
            self.splitter.setSizes([top, height - top])

    # ------------------------------------------------------------------ state
    def _catalog_changed(self, _catalog) -> None:
        self.editor.refresh_findings()

    def _apply_paste(self, result: PasteResult) -> None:
        """A curl command or raw request pasted into the URL bar replaces this tab's request."""
        if result.draft is not None:
            self.editor.set_draft(result.draft)
            self.title_changed.emit(self.title())
            if result.draft.headers:  # what came in (masked secrets, the missing-header row) is on show at once
                self.editor.tabs.setCurrentIndex(HEADERS_PAGE)
                self.editor.headers.reveal_first_mark()
        self.notice.emit(describe(result))

    def add_url_menu(self, menu: QMenu) -> None:
        """Offer ``menu`` (the window's Copy as code) below the URL bar's own right-click entries."""
        if not self._url_menus:
            self.editor.url.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            self.editor.url.customContextMenuRequested.connect(self._show_url_menu)
        self._url_menus.append(menu)

    def _show_url_menu(self, pos) -> QMenu:
        menu = self.editor.url.createStandardContextMenu()  # undo, cut, copy, paste, select all
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setObjectName("urlContextMenu")
        menu.addSeparator()
        for extra in self._url_menus:
            menu.addMenu(extra)
        menu.popup(self.editor.url.mapToGlobal(pos))
        return menu

    def complete(self) -> None:
        """Build what ``lazy`` left for later, then the send asked for meanwhile (idempotent)."""
        self.editor.complete()
        self.response.build_pages()
        self._completed = True
        if self._send_when_complete:
            self._send_when_complete = False
            QTimer.singleShot(0, self.request_send)  # once the window's second stage is done and its loop runs

    def current_diagnosis(self) -> Diagnosis | None:
        """The last answer shown in this tab (for Copy as curl, Save as HAR, the report)."""
        return self.last_diagnosis

    def show_stored_diagnosis(self, d: Diagnosis) -> None:
        """Show an answer received earlier (from the history) without sending."""
        self.last_diagnosis = d
        self.response.show_diagnosis(d)

    def draft(self) -> RequestDraft:
        return self.editor.draft()

    def title(self) -> str:
        return tab_title(self.editor.draft())

    def tooltip(self) -> str:
        """The tab's tooltip: the whole URL with secret query/fragment values and a password masked."""
        return masked_url(self.editor.url.text())

    def _emit_title(self) -> None:
        self.title_changed.emit(self.title())

    @property
    def busy(self) -> bool:
        return self.task is not None and not self.task.done()

    def _origin(self) -> str | None:
        try:
            from app.core.draft import normalized_url

            return origin_of(normalized_url(self.editor.url.text()))
        except Exception:
            return None

    # ------------------------------------------------------------------ guard + countdown
    def refresh_countdown(self) -> None:
        """Called once a second by the window (and right after a response): countdown, Send text, auto-send."""
        gate = self.services.gate
        origin = self._origin()
        until = gate.allowed_at(origin) if origin else None
        remaining = gate.remaining(origin) if until is not None else 0.0
        self.response.set_countdown(remaining if until is not None else None, until, origin)
        method = self.editor.method.currentText().strip().upper()
        if until is not None:
            wait = clock_duration(remaining)
            self.editor.send.setText(f"Send (POST in {wait})" if method == "POST" else f"Send · POSTs wait {wait}")
            self.editor.send.setToolTip(plain_tip(f"The API asked {origin} to wait before the next POST. "
                                                  "A GET is not held back."))
        else:
            self.editor.send.setText("Send")
            self.editor.send.setToolTip("Send the request (Ctrl+Enter)")
        if not self.confirm.isHidden():
            if until is None or method != "POST":
                self.confirm.hide()
                if self.armed and until is None and method == "POST":
                    self.armed = False
                    self.start_send()
                self.armed = False
            else:
                self.confirm.set_remaining(remaining, self.armed)

    def request_send(self) -> None:
        """Send, unless this is a POST to an origin the API asked to wait: then ask inline first."""
        if not self._completed:
            self._send_when_complete = True
            return
        if self.busy:
            return
        origin = self._origin()
        method = self.editor.method.currentText().strip().upper()
        if origin and self.services.gate.must_confirm(method, origin):
            self.armed = False
            self.confirm.set_remaining(self.services.gate.remaining(origin), False)
            self.confirm.show()
            self.confirm.send_when_allowed.setFocus()
            return
        self.start_send()

    def _send_anyway(self) -> None:
        self.armed = False
        self.confirm.hide()
        self.start_send()

    def _arm(self) -> None:
        self.armed = True
        origin = self._origin()
        self.confirm.set_remaining(self.services.gate.remaining(origin) if origin else 0.0, True)
        self.confirm.send_anyway.setFocus()

    def _dismiss_guard(self) -> None:
        self.armed = False
        self.confirm.hide()

    # ------------------------------------------------------------------ sending
    def start_send(self) -> asyncio.Task | None:
        """Build the request and start sending it; returns the Task (None when the draft cannot be built)."""
        import asyncio

        if self.busy:
            return None
        self.editor.commit_open_edits()  # a cell still being typed in is part of what is sent
        draft = self.services.expand_draft(self.editor.draft())  # {{var}} from the active environment
        if reads_files(draft):  # a 100 MB file must not be read on the GUI thread
            self.task = asyncio.ensure_future(self._read_then_send(draft))
            return self.task
        try:
            request = build_request(draft, read_file=_read_file)
        except BuildError as exc:
            self.response.show_build_error(str(exc))
            return None
        self.task = asyncio.ensure_future(self._send(request, draft))
        return self.task

    async def _read_then_send(self, draft: RequestDraft) -> None:
        from app.ui import workers

        self.editor.set_busy(True)
        self.response.show_sending(draft.method, draft.url)
        try:
            request = await workers.run(build_request, draft, read_file=_read_file)
        except BuildError as exc:
            self.response.show_build_error(str(exc))
            return
        finally:
            self.editor.set_busy(False)
        await self._send(request, draft)

    async def _send(self, request: HttpRequest, draft: RequestDraft) -> None:
        import asyncio

        from app.ui import workers

        self.editor.set_busy(True)
        self.response.show_sending(request.method, request.url)
        self._wire_bytes, self._total = 0, None
        self._elapsed.start()
        self._progress_timer.start()
        try:
            from app.net.contract import SendOptions

            transport = await self.services.get_transport()
            o = draft.options
            options = SendOptions(timeout=o.timeout, follow_redirects=o.follow_redirects, verify=o.verify_tls,
                                  http2=o.http2)
            exchange = await transport.send(request, options, progress=self._on_progress)
            from app.core.diagnosis import diagnose

            now = self.services.clock.now()
            # pure work over a body preview of up to a few MiB: off the GUI thread so timers keep ticking
            diag = await workers.run(diagnose, exchange, self.services.catalogs.get(), now, typed_request=request,
                                     received_at=now)
            self.last_diagnosis = diag
            if diag.retry_after is not None:
                self.services.gate.record(request.url, diag.retry_after)
            self.response.show_diagnosis(diag, typed_request=request)
            self.editor.set_findings([f for f in diag.findings if f.side == "request"])
            self.diagnosed.emit(diag)
        except asyncio.CancelledError:
            self.response.show_cancelled()
            raise
        except Exception as exc:  # a bug must not leave the tab stuck "sending"; say it plainly
            self.response.show_build_error(f"Something went wrong while sending: {type(exc).__name__}: {exc}")
        finally:
            self._progress_timer.stop()
            self.editor.set_busy(False)
            self.services.refresh_countdowns()
            self.finished.emit()

    def _on_progress(self, wire_bytes: int, total: int | None) -> None:
        self._wire_bytes, self._total = wire_bytes, total

    def _show_progress(self) -> None:
        self.response.show_progress(self._elapsed.elapsed() / 1000.0, self._wire_bytes, self._total)

    def cancel(self) -> bool:
        """Cancel the running send (Esc / Cancel). Also disarms a pending "Send when allowed"."""
        if not self.confirm.isHidden():
            self._dismiss_guard()
        if self.busy:
            self.task.cancel()
            return True
        return False
