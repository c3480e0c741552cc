"""The response area: verdict, documented explanation, API message, countdown, and the detail tabs.

Contract called by the request tab (engineer A):
    ResponseView(QWidget)
        show_sending(method, url); show_progress(elapsed_s, wire_bytes, total|None)
        show_diagnosis(d: Diagnosis, typed_request: HttpRequest | None = None)
        show_cancelled(); show_build_error(text); clear()
        set_countdown(remaining_s|None, until_epoch|None, origin|None)
objectNames: statusLine, statusExplanation, statusNote, apiMessage, rateLimit, retryCountdown, errorDetailsButton,
errorDetails, responseTabs, responseBody, responseRaw, responseImage, responseHeadersTable, sentHeadersTable,
timingChart, findingsList.
Texts that can carry secrets (the request line, notes, error details, the sending line) show URLs' tokens and
passwords masked, like the header tables, until the eye button ("Show secrets") is pressed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollBar,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.humanize import human_size
from app.ui.response.countdown import CountdownLabel
from app.ui.widgets.plain_text import plain_tip
from app.ui.widgets.secret_mask import eye_button, masked_text
from app.ui.style import severity_color, status_color, worst_severity

if TYPE_CHECKING:  # the pages' modules load with them (``build_pages``)
    from app.core.diagnosis import Diagnosis
    from app.core.models import HttpRequest
    from app.core.presentation import DiagnosisView

TAB_TITLES = ("Body", "Raw", "Image", "Headers", "Sent", "Timing", "Findings")

_ERROR_STATUS = None  # status_color(None) = "no response" colour


def _label(name: str, accessible: str, *, wrap: bool = True, scale: float = 1.0, bold: bool = False) -> QLabel:
    lab = QLabel()
    lab.setObjectName(name)
    lab.setAccessibleName(accessible)
    lab.setWordWrap(wrap)
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    lab.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    if scale != 1.0 or bold:
        f = QFont(lab.font())
        if scale != 1.0:
            f.setPointSizeF(max(6.0, f.pointSizeF() * scale))
        f.setBold(bold)
        lab.setFont(f)
    return lab


class ResponseView(QWidget):
    """Verdict first, big and plain; then the API's own words; then Body/Raw/Image/Headers/Sent/Timing/Findings.

    Signals: ``bodyFormatted()`` when the (possibly worker-formatted) body text is shown.
    """

    bodyFormatted = Signal()

    def __init__(self, parent: QWidget | None = None, lazy: bool = False) -> None:
        """``lazy``: the detail pages (and their modules) wait for ``build_pages()``; until then the tabs hold
        places that look like the empty pages (the window's first paint)."""
        super().__init__(parent)
        self.setObjectName("responseView")
        self.setAccessibleName("Response")
        self.diagnosis: Diagnosis | None = None
        self._unmasked: dict[QLabel, str] = {}  # label -> its text with secrets, shown masked until asked
        self._detail = ""

        self.status_line = _label("statusLine", "Response status", scale=1.35, bold=True)
        self.rate_limit = _label("rateLimit", "Rate limit")
        self.countdown = CountdownLabel(self)
        # The status line wraps (or, with no space to break at, is cut) instead of widening the window: at 1000 px
        # a 429's status line beside its countdown forced a 958 px minimum on the whole window.
        self.status_line.setWordWrap(True)
        self.status_line.setMinimumWidth(1)  # not the width of its longest unbreakable word (a URL while sending)
        top = QHBoxLayout()
        top.addWidget(self.status_line, 1)
        top.addSpacing(12)
        top.addWidget(self.countdown)

        self.explanation = _label("statusExplanation", "Status explanation", scale=1.25)  # the verdict reads big
        self.note = _label("statusNote", "Documentation note", scale=0.9)
        self.api_message = _label("apiMessage", "Message from the API", scale=1.05)
        self.notes = _label("exchangeNotes", "Notes about the exchange", scale=0.9)

        self.details_button = QToolButton()
        self.details_button.setObjectName("errorDetailsButton")
        self.details_button.setAccessibleName("Show technical details")
        self.details_button.setText("Details ▸")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.details = QPlainTextEdit()
        self.details.setObjectName("errorDetails")
        self.details.setAccessibleName("Technical details of the failure")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(120)
        self.details.hide()
        self.details_button.hide()

        self._pages_built = False
        self._build_tab_bar()

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.setSpacing(4)
        lay.addLayout(top)
        lay.addWidget(self.explanation)
        lay.addWidget(self.note)
        lay.addWidget(self.api_message)
        lay.addWidget(self.rate_limit)  # a sentence, on its own line: beside the status it squeezed the verdict
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.details_button)
        detail_row.addStretch(1)
        lay.addLayout(detail_row)
        lay.addWidget(self.details)
        lay.addWidget(self.notes)
        lay.addWidget(self.tabs, 1)
        self._layout = lay
        self.clear()
        if not lazy:
            self.build_pages()

    def _build_tab_bar(self) -> None:
        """The tab bar (Body, Raw, Image, Headers, Sent, Timing, Findings) with the show-secrets eye in the corner;
        each tab holds a place until ``build_pages``. The Body place looks like an empty body view."""
        self.tabs = QTabWidget()
        self.tabs.setObjectName("responseTabs")
        # Narrow (side by side at 1400 px, a 1000 px window) the labels shorten ("Findi…") instead of scrolling the
        # bar, which hid "Findings (2)" behind arrows.
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setAccessibleName("Response details")
        body_place = QWidget()
        row = QHBoxLayout(body_place)  # as app.ui.response.paged_text lays out an empty text view and its bar
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        empty = QPlainTextEdit()
        empty.setReadOnly(True)
        empty.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        row.addWidget(empty, 1)
        bar = QScrollBar(Qt.Orientation.Vertical)
        bar.setRange(0, 0)  # nothing to scroll, like an empty body
        row.addWidget(bar)
        (self.tab_body, self.tab_raw, self.tab_image, self.tab_headers, self.tab_sent, self.tab_timing,
         self.tab_findings) = (self.tabs.addTab(body_place if title == "Body" else QWidget(), title)
                               for title in TAB_TITLES)
        self.tabs.setTabEnabled(self.tab_image, False)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.show_secrets = eye_button(self.tabs, "showResponseSecretsButton")
        # the eye alone beside the tabs (its tooltip and accessible name say what it does): the tabs need the room
        self.show_secrets.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.show_secrets.setToolTip("Show the values of Authorization, Cookie, Set-Cookie, API keys and tokens in "
                                     "the Headers and Sent tabs in clear text (they are masked on screen only).")
        self.show_secrets.toggled.connect(self.set_secrets_shown)
        self.tabs.setCornerWidget(self.show_secrets, Qt.Corner.TopRightCorner)

    def build_pages(self) -> None:
        """Body, Raw, Image, Headers, Sent, Timing and Findings pages in their tabs, and the find bar. Idempotent."""
        if self._pages_built:
            return
        self._pages_built = True
        from app.ui.response.body_view import BodyView
        from app.ui.response.find_bar import FindBar, PagedFind, TableFind
        from app.ui.response.findings_list import FindingsList
        from app.ui.response.response_headers import HeaderTable
        from app.ui.response.timing_chart import TimingChart

        self.body = BodyView()
        self.body.formatted.connect(self.bodyFormatted)
        self.headers_table = HeaderTable("responseHeadersTable", "Response headers")
        self.sent_table = HeaderTable("sentHeadersTable", "Request headers as sent")
        self.sent_line = _label("sentRequestLine", "Request line as sent", wrap=False)
        sent = QWidget()
        sl = QVBoxLayout(sent)
        sl.setContentsMargins(4, 4, 4, 4)
        sl.addWidget(self.sent_line)
        sl.addWidget(self.sent_table, 1)
        self.timing = TimingChart()
        timing_page = QWidget()
        tl = QVBoxLayout(timing_page)
        tl.addWidget(self.timing)
        tl.addStretch(1)
        self.findings = FindingsList()
        self.raw_sizes = _label("rawSizes", "Body size as received and as decoded", scale=0.9)
        raw_tab = QWidget()  # the sizes line above the raw body (bytes as received → as decoded)
        rtl = QVBoxLayout(raw_tab)
        rtl.setContentsMargins(0, 4, 0, 0)
        rtl.addWidget(self.raw_sizes)
        rtl.addWidget(self.body.raw_page, 1)
        pages = (self.body, raw_tab, self.body.image_area, self.headers_table, sent, timing_page, self.findings)
        shown = self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # swapping a place for its page is not the user changing tabs
        for index, (page, title) in enumerate(zip(pages, TAB_TITLES)):
            place = self.tabs.widget(index)
            enabled, text = self.tabs.isTabEnabled(index), self.tabs.tabText(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, text)
            self.tabs.setTabEnabled(index, enabled)
            place.deleteLater()
        self.tabs.setCurrentIndex(shown)
        self.tabs.blockSignals(False)
        self.find_bar = FindBar(self, self.tabs, {  # Ctrl+F: the whole body, or the header tables' rows
            self.tab_body: PagedFind(self.body.pretty_pager), self.tab_raw: PagedFind(self.body.raw_pager),
            self.tab_headers: TableFind(self.headers_table), self.tab_sent: TableFind(self.sent_table)})
        self._layout.addWidget(self.find_bar)
        self._clear_pages()
        if self.show_secrets.isChecked():
            self.set_secrets_shown(True)

    # -- helpers ----------------------------------------------------------------------------------
    def _set_status(self, text: str, code: int | None, *, neutral: bool = False) -> None:
        self._unmasked.pop(self.status_line, None)
        self.status_line.setText(text)
        self.status_line.setAccessibleDescription(text)
        if neutral:
            colour = self.palette().color(QPalette.ColorRole.WindowText)
        else:
            colour = status_color(code, self.palette())
        self.status_line.setStyleSheet(f"color: {colour.name()};")
        self.status_colour = colour

    def _set(self, label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def _screen(self, text: str) -> str:
        return text if self.show_secrets.isChecked() else masked_text(text)

    def _set_masked(self, label: QLabel, text: str, *, hide_empty: bool = True) -> None:
        """Show ``text`` (which may carry URLs with tokens) masked until "Show secrets"."""
        self._unmasked[label] = text
        if hide_empty:
            self._set(label, self._screen(text))
        else:
            label.setText(self._screen(text))

    def _tab_changed(self, index: int) -> None:
        if index == self.tab_raw and self._pages_built:
            self.body.ensure_raw()

    def _toggle_details(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_button.setText("Details ▾" if on else "Details ▸")

    def _set_error_detail(self, detail: str) -> None:
        self._detail = detail
        self.details.setPlainText(self._screen(detail))
        self.details_button.setVisible(bool(detail))
        self.details_button.setChecked(False)
        self._toggle_details(False)

    def _reset_tabs(self) -> None:
        self.tabs.setTabText(self.tab_headers, "Headers")
        self.tabs.setTabText(self.tab_findings, "Findings")
        self.tabs.setTabEnabled(self.tab_image, False)

    # -- contract ---------------------------------------------------------------------------------
    def clear(self) -> None:
        """Back to the empty state (the countdown is per origin and stays)."""
        self.diagnosis = None
        self._unmasked.clear()
        self._set_status("No response yet — press Send (Ctrl+Enter).", None, neutral=True)
        for lab in (self.explanation, self.note, self.api_message, self.rate_limit, self.notes):
            self._set(lab, "")
        self._set_error_detail("")
        if self._pages_built:
            self._clear_pages()
        self._reset_tabs()

    def _clear_pages(self) -> None:
        self._set(self.raw_sizes, "")
        self.body.clear()
        self.headers_table.clear_rows()
        self.sent_table.clear_rows()
        self.sent_line.setText("")
        self.timing.set_timing(None)
        self.findings.set_findings([])

    def show_sending(self, method: str, url: str) -> None:
        self.clear()
        self._set_status(f"Sending {method} {url} …", None, neutral=True)
        self._set_masked(self.status_line, f"Sending {method} {url} …", hide_empty=False)

    def show_progress(self, elapsed_s: float, wire_bytes: int, total: int | None) -> None:
        size = human_size(wire_bytes) + (f" of {human_size(total)}" if total else "")
        self._set_status(f"Waiting… {elapsed_s:.1f} s · {size} received", None, neutral=True)

    def show_cancelled(self) -> None:
        self.clear()
        self._set_status("Cancelled", None, neutral=True)
        self._set(self.explanation, "The request was cancelled before a complete response arrived.")

    def show_build_error(self, text: str) -> None:
        self.clear()
        self._set_status("Not sent", None)
        self._set(self.explanation, text)

    def show_diagnosis(self, d: Diagnosis, typed_request: HttpRequest | None = None) -> None:
        """Show everything the diagnosis knows; large bodies finish formatting later (``bodyFormatted``)."""
        from app.core.content_coding import size_line
        from app.core.presentation import present

        self.build_pages()
        self.clear()
        self.diagnosis = d
        view = present(d, now=time.time())  # the texts the CLI and the report show too
        ex = d.exchange
        resp = ex.response
        typed = typed_request if typed_request is not None else d.typed_request
        self._show_head(view)
        if view.error is not None:
            self._set_error_detail(view.error_detail)
            if view.answered:  # incomplete body etc.: the response AND the failure
                self._set_masked(self.notes, "⚠ " + view.error)
                self.notes.setStyleSheet(f"color: {status_color(None, self.palette()).name()};")
        if view.notes:
            extra = "\n".join(view.notes)
            before = self._unmasked.get(self.notes, "")
            self._set_masked(self.notes, (before + "\n" if before else "") + extra)

        self.body.set_response(resp)
        if resp is not None:
            self._set(self.raw_sizes, size_line(resp))
            self.tabs.setTabEnabled(self.tab_image, self.body.has_image)
            self.headers_table.show_response(resp, d.findings)
            marks = self.headers_table.warning_rows()
            title = f"Headers ({len(resp.headers)})"
            if marks:
                title = f"Headers ({len(resp.headers)} · {marks} ⚠)"
            self.tabs.setTabText(self.tab_headers, title)
        self.sent_table.show_sent(ex.request, typed, d.findings)
        self._set_masked(self.sent_line, view.request_line, hide_empty=False)
        self.timing.set_timing(ex.timing)
        self.findings.set_findings(view.findings)
        self.tabs.setTabText(self.tab_findings, f"Findings ({len(view.findings)})")
        worst = worst_severity(f.severity for f in view.findings)
        if worst == "error":
            self.tabs.tabBar().setTabTextColor(self.tab_findings, severity_color("error", self.palette()))
        else:
            self.tabs.tabBar().setTabTextColor(self.tab_findings, self.palette().color(QPalette.ColorRole.WindowText))

    def _show_head(self, view: DiagnosisView) -> None:
        """Status line, explanation with its provenance, documentation note, the API's message, rate limit."""
        self._set_status(view.status_line, view.status_code)
        self._set_masked(self.explanation, view.explanation_line)
        if view.documented_as:
            self.explanation.setToolTip(plain_tip(f"{view.documented_as} — {view.section}"))
        self._set(self.note, f"Note: {view.doc_note}" if view.doc_note else "")
        if view.api_message:
            self._set_masked(self.api_message, f"API says: “{view.api_message}”")
            fields = "\n".join(f"{k}: {v}" for k, v in view.api_message_fields)
            self.api_message.setToolTip(plain_tip(masked_text(fields)))
        self._set(self.rate_limit, f"Rate limit: {view.rate_limit}" if view.rate_limit else "")

    def set_secrets_shown(self, shown: bool) -> None:
        """Secret header values in clear text (True) or masked (False) in the Headers and Sent tables."""
        if self.show_secrets.isChecked() != shown:
            self.show_secrets.setChecked(shown)
        if self._pages_built:
            self.headers_table.set_secrets_shown(shown)
            self.sent_table.set_secrets_shown(shown)
        for label, text in self._unmasked.items():
            label.setText(self._screen(text))
        self.details.setPlainText(self._screen(self._detail))

    def set_countdown(self, remaining_s: float | None, until_epoch: float | None, origin: str | None) -> None:
        """Called once a second with the shared OriginGate state for this tab's origin."""
        self.countdown.set_state(remaining_s, until_epoch, origin)
