"""The request builder: method, URL (kept in sync with the params table), Send/Cancel, and tabs for params,
headers (each table with a "Bulk edit" text mode), body, auth and options. Request-side findings are computed
while the user types (debounced) and shown in the header table (marked rows, placeholder rows) and in a line
under the tabs.

Signals: ``send_requested()``, ``cancel_requested()``, ``changed()`` (any edit), ``findings_changed(list)``.
"""

from __future__ import annotations

import json
from dataclasses import replace

from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.draft import (
    METHODS,
    BuildError,
    RequestDraft,
    build_request,
    merge_params,
    reads_files,
    url_with_params,
)
from app.core.bulk_rows import HEADERS, PARAMS
from app.core.findings import request_findings
from app.core.models import Finding
from app.core.presentation import finding_headline
from app.store.body_file import read_for_preview
from app.ui import workers
from app.ui.request.params_table import ParamsTable
from app.ui.style import make_primary
from app.ui.widgets.bulk_edit import BulkEdit, table_page
from app.ui.widgets.kv_table import KeyValueTable
from app.ui.widgets.secret_mask import eye_button

FINDINGS_DEBOUNCE_MS = 150


def read_file_for_findings(path: str) -> bytes:
    """Live findings look at small regular files only (a device or pipe is refused, over 1 MiB counts as empty)."""
    return read_for_preview(path)


def _findings_of(draft: RequestDraft, catalog) -> list[Finding]:
    """Request-side findings of a draft (reads its files when it has some: call off the GUI thread then)."""
    try:
        req = build_request(draft, read_file=read_file_for_findings, boundary="preview")
        return request_findings(req, catalog=catalog) if catalog is not None else request_findings(req)
    except (BuildError, OSError):
        return []


class RequestEditor(QWidget):
    send_requested = Signal()
    cancel_requested = Signal()
    changed = Signal()
    findings_changed = Signal(list)
    _file_findings = Signal(int, object)  # (generation, Future): findings of a draft read on a worker

    def __init__(self, catalog_getter: Callable[[], object] | None = None, parent: QWidget | None = None,
                 lazy: bool = False) -> None:
        """``lazy``: the hidden pages (Headers, Body, Auth, Options: their modules, widgets and the header rows'
        finding icons) wait for ``complete()``; until then ``draft()`` reads their part from the draft last set,
        and the warning line and the tab titles show the findings at once."""
        super().__init__(parent)
        self._catalog_getter = catalog_getter
        self._pages_ready = False
        self._pending = RequestDraft()  # what the hidden pages show once built
        self._secrets_shown = False
        self._syncing = False
        self._findings: list[Finding] = []
        self._findings_generation = 0
        self._file_findings.connect(self._file_findings_done, Qt.ConnectionType.QueuedConnection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)

        # method, URL, Send, Cancel: its own widget, so a side-by-side tab can lay it across the whole width
        self.url_bar = QWidget(self)
        self.url_bar.setObjectName("urlBar")
        self.url_bar.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        bar = QHBoxLayout(self.url_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.method = QComboBox(self)
        self.method.setObjectName("methodCombo")
        self.method.setAccessibleName("HTTP method")
        self.method.setEditable(True)  # custom verbs
        self.method.addItems(METHODS)
        self.method.setMinimumContentsLength(8)
        self.url = QLineEdit(self)
        self.url.setObjectName("urlEdit")
        self.url.setAccessibleName("Request URL")
        self.url.setPlaceholderText("https://api.example.com/orders   (Ctrl+Enter sends)")
        self.url.setClearButtonEnabled(True)
        self.url.setToolTip("The request URL (Ctrl+L jumps here). Query parameters stay in step with the Params tab.\n"
                            "Enter or Ctrl+Enter sends; Esc cancels a running request.")
        self.method.setToolTip("HTTP method; type a custom verb if you need one")
        self.send = QPushButton("Send", self)
        self.send.setObjectName("sendButton")
        self.send.setAccessibleName("Send request")
        self.send.setToolTip("Send the request (Ctrl+Enter)")
        self.send.setDefault(True)
        make_primary(self.send)  # the main action looks like it, light and dark
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setObjectName("cancelButton")
        self.cancel.setAccessibleName("Cancel request")
        self.cancel.setToolTip("Cancel the running request (Esc)")
        self.cancel.setEnabled(False)
        bar.addWidget(self.method)
        bar.addWidget(self.url, 1)
        bar.addWidget(self.send)
        bar.addWidget(self.cancel)
        layout.addWidget(self.url_bar)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("requestTabs")
        self.tabs.setDocumentMode(True)
        self.params = ParamsTable(self)
        self.params_bulk = BulkEdit(self.params, PARAMS, self)
        self.params_page = table_page(self.params_bulk, "Untick a row to keep it out of the URL", "paramsHint")
        self.tabs.addTab(self.params_page, "Params")
        for title in ("Headers", "Body", "Auth", "Options"):  # places, until complete() builds the pages
            self.tabs.addTab(QWidget(), title)
        self.tabs.setAccessibleName("Request editor sections")
        layout.addWidget(self.tabs, 1)

        layout.addWidget(self._build_findings_bar())

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FINDINGS_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_findings)

        self.url.textChanged.connect(self._url_edited)
        self.params.edited.connect(self._params_edited)
        self.method.currentTextChanged.connect(lambda *_: self._edited())
        self.url.returnPressed.connect(self.send_requested)
        self.send.clicked.connect(self.send_requested)
        self.cancel.clicked.connect(self.cancel_requested)
        if not lazy:
            self.complete()

    def complete(self) -> None:
        """Build the Headers, Body, Auth and Options pages in their tabs, showing the draft last set (idempotent)."""
        if self._pages_ready:
            return
        from app.ui.request.auth_editor import AuthEditor
        from app.ui.request.body_editor import BodyEditor
        from app.ui.request.header_table import HeaderTable
        from app.ui.request.options_editor import OptionsEditor

        self.headers = HeaderTable(self)
        self.body = BodyEditor(self)
        self.auth = AuthEditor(self)
        self.options = OptionsEditor(self)
        self.headers_bulk = BulkEdit(self.headers, HEADERS, self)
        self.show_secrets = eye_button(self)
        self.headers_page = table_page(self.headers_bulk, "Untick a row to keep it without sending it · Delete "
                                       "removes selected rows", "headersHint", self.show_secrets)
        shown = self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # swapping a place for its page is not the user changing tabs
        for index, page in enumerate((self.headers_page, self.body, self.auth, self.options), start=1):
            place, title = self.tabs.widget(index), self.tabs.tabText(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, title)
            place.deleteLater()
        self.tabs.setCurrentIndex(shown)
        self.tabs.blockSignals(False)
        self.headers.set_value_suggester(self._suggested_value)
        d = self._pending
        self._syncing = True
        try:
            self.headers.set_rows(d.headers)
            self.body.set_state(d.body_kind, d.raw_text, d.raw_content_type, d.form, d.multipart, d.binary_path)
            self.auth.set_auth(d.auth)
            self.options.set_options(d.options)
        finally:
            self._syncing = False
        self._pages_ready = True
        self.headers_bulk.refresh(force=True)
        self.headers.set_findings(self._findings)
        if self._secrets_shown:
            self.set_secrets_shown(True)
        self.show_secrets.toggled.connect(self.set_secrets_shown)
        self.auth.show_secrets.toggled.connect(self.set_secrets_shown)
        self.headers.edited.connect(self._edited)
        self.body.changed.connect(self._edited)
        self.auth.changed.connect(self._edited)
        self.options.changed.connect(self._edited)
        self.options.changed.connect(self._options_title)

    # ------------------------------------------------------------------ draft in/out
    def commit_open_edits(self) -> None:
        """Finish every table cell still being edited, so what is sent is what the tables show."""
        for table in self.findChildren(KeyValueTable):
            table.commit_open_editor()

    def draft(self) -> RequestDraft:
        if not self._pages_ready:
            return replace(self._pending, method=self.method.currentText().strip().upper() or "GET",
                           url=self.url.text(), params=self.params.rows())
        return RequestDraft(
            method=self.method.currentText().strip().upper() or "GET",
            url=self.url.text(),
            params=self.params.rows(),
            headers=self.headers.rows(),
            body_kind=self.body.body_kind(),
            raw_text=self.body.text.toPlainText(),
            raw_content_type=self.body.raw_content_type(),
            form=self.body.form.rows(),
            multipart=self.body.parts(),
            binary_path=self.body.binary_path.text(),
            auth=self.auth.auth(),
            options=self.options.options(),
        )

    def set_draft(self, d: RequestDraft) -> None:
        self._syncing = True
        try:
            self.method.setCurrentText(d.method)
            self.url.setText(d.url)
            self.params.set_rows(d.params or merge_params((), d.url))
            self._pending = d
            if self._pages_ready:
                self.headers.set_rows(d.headers)
                self.body.set_state(d.body_kind, d.raw_text, d.raw_content_type, d.form, d.multipart,
                                    d.binary_path)
                self.auth.set_auth(d.auth)
                self.options.set_options(d.options)
        finally:
            self._syncing = False
        self.params_bulk.refresh(force=True)
        if self._pages_ready:
            self.headers_bulk.refresh(force=True)
        self._options_title()
        self.refresh_findings()

    def place_url_bar(self, host=None) -> None:
        """Put the method/URL/Send bar at the top of ``host`` (a QVBoxLayout, with the editor's side margins), or
        back at the top of the editor; the keyboard order stays method → URL → Send → Cancel → sections."""
        if host is None:
            self.url_bar.setContentsMargins(0, 0, 0, 0)
            self.layout().insertWidget(0, self.url_bar)
        else:
            self.url_bar.setContentsMargins(6, 6, 6, 0)
            host.insertWidget(0, self.url_bar)
        self.url_bar.show()  # a widget moved to another parent is hidden until shown again
        chain = [self.method, self.method.lineEdit(), self.url, self.send, self.cancel, self.tabs]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def set_url(self, url: str) -> None:
        self.url.setText(url)

    # ------------------------------------------------------------------ sync + findings
    def _url_edited(self, text: str) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            self.params.set_rows(merge_params(self.params.rows(), text))
        finally:
            self._syncing = False
        self.params_bulk.refresh()
        self._edited()

    def _params_edited(self) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            pos = self.url.cursorPosition()
            self.url.setText(url_with_params(self.url.text(), self.params.rows()))
            self.url.setCursorPosition(min(pos, len(self.url.text())))
        finally:
            self._syncing = False
        self._edited()

    def _edited(self) -> None:
        if self._syncing:
            return
        self._debounce.start()
        self.changed.emit()

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def refresh_findings(self) -> None:
        """Recompute request-side findings now (normally 150 ms after the last keystroke). A draft that reads
        files (binary body, multipart file parts) is built on a worker; its findings arrive when it is done."""
        self._debounce.stop()
        self._findings_generation += 1
        draft = self.draft()
        catalog = self._catalog_getter() if self._catalog_getter else None
        if not reads_files(draft):
            self.set_findings(_findings_of(draft, catalog))
            return
        generation = self._findings_generation
        future = workers.submit(_findings_of, draft, catalog)
        future.add_done_callback(lambda f: self._file_findings.emit(generation, f))

    def _file_findings_done(self, generation: int, future) -> None:
        if generation == self._findings_generation and not future.cancelled() and future.exception() is None:
            self.set_findings(future.result())

    def _build_findings_bar(self) -> QFrame:
        """One short warning line with the fix as a button; the whole sentences one click away (Details)."""
        bar = QFrame(self)
        bar.setObjectName("requestFindingsBar")
        bar.setStyleSheet("#requestFindingsBar { background: rgba(163, 82, 0, 40); border-radius: 3px; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 2, 6, 2)
        self.findings_label = QLabel(bar)
        self.findings_label.setObjectName("requestFindings")
        self.findings_label.setWordWrap(True)
        self.findings_label.setTextFormat(Qt.TextFormat.PlainText)
        self.findings_label.setAccessibleName("Request warnings")
        self.fix_button = QPushButton(bar)
        self.fix_button.setObjectName("requestFixButton")
        self.fix_button.clicked.connect(self._apply_fix)
        self.details_button = QPushButton("Details", bar)
        self.details_button.setObjectName("requestFindingsDetails")
        self.details_button.setCheckable(True)
        self.details_button.setAccessibleName("Show the whole warnings")
        self.details_button.toggled.connect(lambda _on: self._show_findings())
        row.addWidget(self.findings_label, 1)
        row.addWidget(self.fix_button)
        row.addWidget(self.details_button)
        bar.hide()
        self.findings_bar = bar
        return bar

    def _suggested_value(self, header: str) -> str:
        """What a missing header should say for this body: JSON, a form, or text."""
        if header.lower() != "content-type":
            return ""
        if not self._pages_ready:
            kind, text = self._pending.body_kind, self._pending.raw_text.strip()
        else:
            kind, text = self.body.body_kind(), self.body.text.toPlainText().strip()
        if kind == "form":
            return "application/x-www-form-urlencoded"
        if kind == "multipart":
            return "multipart/form-data"
        if kind == "binary":
            return "application/octet-stream"
        try:
            json.loads(text)
            return "application/json"
        except ValueError:
            return "text/plain; charset=utf-8" if text else "application/json"

    def _fixable(self) -> str | None:
        """The header the first finding's fix adds (a missing Content-Type), if any."""
        for f in self._findings:
            if f.id == "request-missing-content-type":
                return "Content-Type"
        return None

    def _apply_fix(self) -> None:
        self.complete()
        header = self._fixable()
        if header is not None:
            self.headers.add_missing(header)
            self.tabs.setCurrentWidget(self.headers_page)

    def _show_findings(self) -> None:
        fs = self._findings
        if self.details_button.isChecked():
            text = "\n".join(f"⚠ {f.text}" for f in fs)
        else:
            text = "⚠ " + finding_headline(fs[0].text) + (f"  (+{len(fs) - 1} more)" if len(fs) > 1 else "") \
                if fs else ""
        self.findings_label.setText(text)
        header = self._fixable()
        self.fix_button.setVisible(header is not None)
        if header is not None:
            self.fix_button.setText(f"Add {header}: {self._suggested_value(header)}")
        self.details_button.setVisible(bool(fs))

    def set_findings(self, findings) -> None:
        self._findings = [f for f in findings if f.side == "request"]
        if self._pages_ready:
            self.headers.set_findings(self._findings)
        n = len(self._findings)
        self.tabs.setTabText(1, f"Headers ({n} ⚠)" if n else "Headers")
        self._show_findings()
        self.findings_bar.setVisible(bool(n))
        self.findings_changed.emit(list(self._findings))

    def _options_title(self) -> None:
        verify = self.options.verify.isChecked() if self._pages_ready else self._pending.options.verify_tls
        self.tabs.setTabText(4, "Options" if verify else "Options (⚠ TLS off)")

    def set_secrets_shown(self, shown: bool) -> None:
        """Show secret header values and auth fields in clear text (the eye toggles of both pages stay in step)."""
        self._secrets_shown = shown
        if not self._pages_ready:
            return
        for button in (self.show_secrets, self.auth.show_secrets):
            if button.isChecked() != shown:
                button.setChecked(shown)
        self.headers.set_secrets_shown(shown)
        self.headers_bulk.refresh(force=True)
        self.auth.set_secrets_shown(shown)

    def set_busy(self, busy: bool) -> None:
        self.cancel.setEnabled(busy)
