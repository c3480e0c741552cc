"""Triage of a customer's HAR file (or raw HTTP exchange) offline: a list of every entry, the same response view as a
live request for the selected one, and "Load into builder".

``app.core.triage.load_triage(data, name, catalog, now)`` is the worker-thread part (parse + diagnose every entry,
pure); ``read_and_load(path, catalog, now)`` reads the file for it; ``HarView.load_path(path)`` runs that
on a worker thread (app.ui.workers) and fills the list when it returns.
The list model (``HarModel``) answers ``data()`` per role; failures sort first. Paths and URLs in the list, its
tooltips and the entry line are masked (``?access_token=••••••••``) until "Show secrets" (the eye beside the filter,
kept in step with the response view's); everything from the file is shown as plain text, never as HTML.

Signals: ``load_into_builder(object, object, str)`` (a RequestDraft, the entry's Diagnosis: the customer's answer,
and a label such as "app.har #3"), ``file_report_requested(str, object)`` (the file's name and every TriageRow:
"Report of the whole file…"), ``loaded(int)`` (entry count), ``failed(str)``.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.diagnosis import Diagnosis
from app.core.formats.errors import FormatError
from app.core.triage import TriageLoad, TriageRow, load_triage
from app.ui import workers
from app.ui.response.response_view import ResponseView
from app.ui.widgets.plain_text import plain_label, plain_tip
from app.ui.widgets.rows_model import RowsModel
from app.ui.widgets.secret_mask import eye_button

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FAILED_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = ("#", "Method", "Path", "Status", "Documented status", "Findings")
WIDTH_SAMPLE = 500  # rows whose texts size the columns (a HAR may hold 200,000 entries)


def read_and_load(path: str, catalog, now: float) -> TriageLoad:
    """Worker-thread entry point: read the file and ``load_triage`` it; problems are FormatError sentences."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FormatError(f"Could not read {p.name}: {exc.strerror or exc}.") from None
    return load_triage(data, p.name, catalog, now)


class HarModel(RowsModel):
    columns = COLUMNS
    rows: list[TriageRow]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        ex = r.imported.exchange
        resp = ex.response
        doc = r.diagnosis.documented
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(r.number)
            if col == 1:
                return ex.request.method
            if col == 2:
                return self.screen_url(r.path)
            if col == 3:
                return str(resp.status) if resp is not None else "—"
            if col == 4:
                if doc is None:
                    return "No response" + (f" ({ex.error.kind})" if ex.error else "")
                return doc.status if doc.source != "http-standard" else f"{doc.status} (not in API docs)"
            if col == 5:
                n = len(r.diagnosis.findings)
                return f"{n} ⚠" if n else "0"
        if role == SORT_ROLE:
            return (r.number, ex.request.method, r.path, resp.status if resp else -1,
                    doc.status if doc else "", len(r.diagnosis.findings))[col]
        if role == FAILED_ROLE:
            return r.failed
        if role == Qt.ItemDataRole.UserRole:
            return r
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{ex.request.method} {self.screen_url(ex.request.url)}"]
            if doc is not None:
                lines.append(f"{doc.code} {doc.status} — {doc.description}")
            lines += [f"⚠ {f.text}" for f in r.diagnosis.findings[:6]]
            return plain_tip("\n".join(lines))
        if role == Qt.ItemDataRole.ForegroundRole and col == 3:
            from app.ui.style import status_color  # readable on light and dark windows

            return QBrush(status_color(resp.status if resp is not None else None))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{COLUMNS[col]}: {self.data(index)}"
        return None


class HarFilter(QSortFilterProxyModel):
    """Text filter over method, path, status and documented status; optional "only failures"."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.only_failures = False
        self.text = ""
        self.setSortRole(SORT_ROLE)

    def _refilter(self, change) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9; invalidateFilter() is deprecated there
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "text", text.strip().lower()))

    def set_only_failures(self, on: bool) -> None:
        self._refilter(lambda: setattr(self, "only_failures", bool(on)))

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        model = self.sourceModel()
        r: TriageRow = model.rows[source_row]
        if self.only_failures and not r.failed:
            return False
        if not self.text:
            return True
        hay = " ".join(str(model.data(model.index(source_row, c))) for c in range(len(COLUMNS)))
        hay += " " + r.imported.exchange.request.url
        return self.text in hay.lower()


# Below this width the entry list goes above the response view (both need ~620 px to read comfortably).
SIDE_BY_SIDE_MIN_WIDTH = 1300


class HarView(QWidget):
    load_into_builder = Signal(object, object, str)  # (RequestDraft, the customer's Diagnosis, "file #n")
    compare_requested = Signal(object, object, str)  # (older Diagnosis, newer Diagnosis, title), file order
    file_report_requested = Signal(str, object)  # (file name, tuple of TriageRow)
    loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("harView")
        self.setAccessibleName("HAR triage")
        self.services = services
        self.name = ""
        self.task: asyncio.Task | None = None
        self._shown: TriageRow | None = None  # the entry the response view shows

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        self.summary = plain_label("Loading…", self)  # quotes the file's name and what was wrong in it
        self.summary.setObjectName("harSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("harSplitter")
        left = QWidget(split)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.filter_edit = QLineEdit(left)
        self.filter_edit.setObjectName("harFilter")
        self.filter_edit.setAccessibleName("Filter entries")
        self.filter_edit.setPlaceholderText("Filter: path, status, documented name…")
        self.filter_edit.setClearButtonEnabled(True)
        self.only_failures = QCheckBox("Only failures", left)
        self.only_failures.setObjectName("harOnlyFailures")
        self.show_secrets = eye_button(left, "harShowSecretsButton")
        self.show_secrets.setToolTip("Show tokens and passwords in the entries' URLs and headers in clear text "
                                     "(they are masked on screen only).")
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.only_failures)
        bar.addWidget(self.show_secrets)
        ll.addLayout(bar)

        self.model = HarModel(self)
        self.proxy = HarFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(left)
        self.table.setObjectName("harEntries")
        self.table.setAccessibleName("HAR entries")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # two rows → Compare
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep "failures first" until a header is clicked
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        h = self.table.horizontalHeader()
        # Widths from font metrics, never ResizeToContents: that asked data() of every cell of the first 1,000
        # rows (about 100,000 Python calls, 0.5-1.5 s with the window frozen) each time a 1,870-entry HAR was
        # listed and again when its first row was selected. The user can still drag every border.
        for c in range(len(COLUMNS)):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        h.setMinimumSectionSize(28)
        self._size_columns(())
        ll.addWidget(self.table, 1)

        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        actions = QHBoxLayout()
        self.entry_label = plain_label("Select an entry to see its diagnosis.", right)
        self.entry_label.setObjectName("harEntryLabel")
        self.entry_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long URL is cut (the tooltip has it whole) rather than widening the window past the screen
        self.entry_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.load_button = QPushButton("Load into builder", right)
        self.load_button.setObjectName("loadIntoBuilderButton")
        self.load_button.setToolTip("Open this request in a new tab to edit and resend it")
        self.load_button.setEnabled(False)
        self.compare_button = QPushButton("Compare the two selected", right)
        self.compare_button.setObjectName("harCompareButton")
        self.compare_button.setToolTip("Select two entries (Ctrl+click) to see what changed between them")
        self.compare_button.setEnabled(False)
        self.file_report_button = QPushButton("Report of the whole file…", right)
        self.file_report_button.setObjectName("harFileReportButton")
        self.file_report_button.setToolTip("A report to hand back: every entry in a table, then each failing "
                                           "entry in full (secrets redacted)")
        self.file_report_button.setEnabled(False)
        actions.addWidget(self.entry_label, 1)
        actions.addWidget(self.file_report_button)
        actions.addWidget(self.compare_button)
        actions.addWidget(self.load_button)
        rl.addLayout(actions)
        self.response = ResponseView(right)
        rl.addWidget(self.response, 1)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        self.splitter = split
        self._arrange(SIDE_BY_SIDE_MIN_WIDTH)
        layout.addWidget(split, 1)

        self.filter_edit.textChanged.connect(self.proxy.set_text)
        self.only_failures.toggled.connect(self.proxy.set_only_failures)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._show(cur))
        self.table.doubleClicked.connect(lambda _i: self._load_into_builder())
        self.load_button.clicked.connect(self._load_into_builder)
        self.compare_button.clicked.connect(self._compare_selected)
        self.file_report_button.clicked.connect(
            lambda: self.file_report_requested.emit(self.name, tuple(self.model.rows)))
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.compare_button.setEnabled(len(self.selected_rows()) == 2))
        self.show_secrets.toggled.connect(self.set_secrets_shown)
        self.response.show_secrets.toggled.connect(self.set_secrets_shown)

    # ------------------------------------------------------------------ layout
    def _size_columns(self, rows) -> None:
        """Column widths from the font and a sample of the rows (``WIDTH_SAMPLE`` first ones), not from every cell.

        "#" fits the last entry number, "Method" the widest method sampled (DELETE at least), "Status" three
        digits, "Findings" two digits and the sign; "Documented status" starts at 150 px. Each is at least as wide
        as its title (with the sort arrow)."""
        fm = self.table.fontMetrics()
        pad = 2 * self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 12
        methods = {r.imported.exchange.request.method for r in itertools.islice(rows, WIDTH_SAMPLE)}
        samples = {0: str(len(rows)),  # entries are numbered 1..n
                   1: max(methods | {"DELETE"}, key=fm.horizontalAdvance), 3: "000", 5: "99 ⚠"}
        h = self.table.horizontalHeader()
        for c, text in samples.items():
            h.resizeSection(c, max(h.sectionSizeHint(c), fm.horizontalAdvance(text) + pad))
        h.resizeSection(4, max(h.sectionSizeHint(4), 150))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._arrange(event.size().width())

    def _arrange(self, width: int) -> None:
        """List beside the response when there is room for both; otherwise list above, response below.

        Side by side in a 1400 px window the path column shrank to "/v1/o…tok_1" and the response tabs
        scrolled ("Findi…"); stacked, both get the full width.
        """
        wanted = Qt.Orientation.Horizontal if width >= SIDE_BY_SIDE_MIN_WIDTH else Qt.Orientation.Vertical
        if self.splitter.orientation() == wanted and self.splitter.property("arranged"):
            return
        self.splitter.setProperty("arranged", True)
        self.splitter.setOrientation(wanted)
        if wanted == Qt.Orientation.Horizontal:
            self.splitter.setSizes([width * 2 // 5, width * 3 // 5])
        else:
            self.splitter.setSizes([260, 520])

    # ------------------------------------------------------------------ loading
    def load_path(self, path: str) -> asyncio.Task:
        """Read, parse and diagnose ``path`` off the GUI thread; the list fills when done."""
        self.name = Path(path).name
        self.summary.setText(f"Reading {self.name}…")
        catalog, now = self.services.catalogs.get(), self.services.clock.now()
        self.task = asyncio.ensure_future(self._load(workers.run(read_and_load, path, catalog, now)))
        return self.task

    def load_bytes(self, data: bytes, name: str) -> asyncio.Task:
        self.name = name
        self.summary.setText(f"Reading {name}…")
        catalog, now = self.services.catalogs.get(), self.services.clock.now()
        self.task = asyncio.ensure_future(self._load(workers.run(load_triage, data, name, catalog, now)))
        return self.task

    async def _load(self, work) -> None:
        try:
            result: TriageLoad = await work
        except FormatError as exc:
            self.summary.setText(f"{self.name} could not be opened: {exc}")
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # never a traceback in the user's face
            self.summary.setText(f"{self.name} could not be opened ({type(exc).__name__}: {exc}).")
            self.failed.emit(str(exc))
            return
        if result.rows:  # the first entry's response in one turn of the loop, the list (1,870 rows) in the next
            self._show_row(result.rows[0])
            await asyncio.sleep(0)
        self.set_load(result)

    def set_load(self, result: TriageLoad) -> None:
        self.name = result.name
        self.model.set_rows(result.rows)
        self._size_columns(result.rows)
        failures = sum(r.failed for r in result.rows)
        text = (f"{result.name}: {len(result.rows)} entr{'y' if len(result.rows) == 1 else 'ies'}, "
                f"{failures} failed (listed first).")
        if result.warnings:
            text += f" {len(result.warnings)} note(s) while reading: " + "; ".join(result.warnings[:3])
        self.summary.setText(text)
        self.file_report_button.setEnabled(bool(result.rows))
        if result.rows:
            self.select_row(0)
        self.loaded.emit(len(result.rows))

    # ------------------------------------------------------------------ selection
    def select_row(self, view_row: int) -> None:
        index = self.proxy.index(view_row, 0)
        if index.isValid():
            self.table.selectRow(view_row)
            self.table.setCurrentIndex(index)

    def current_row(self) -> TriageRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.data(index, Qt.ItemDataRole.UserRole)

    def selected_rows(self) -> list[TriageRow]:
        """The selected entries in file order."""
        rows = [self.proxy.data(i, Qt.ItemDataRole.UserRole) for i in self.table.selectionModel().selectedRows()]
        return sorted((r for r in rows if r is not None), key=lambda r: r.number)

    def _compare_selected(self) -> None:
        rows = self.selected_rows()
        if len(rows) == 2:
            self.compare_requested.emit(rows[0].diagnosis, rows[1].diagnosis,
                                        f"{self.name} #{rows[0].number} ↔ #{rows[1].number}")

    def current_diagnosis(self) -> Diagnosis | None:
        r = self.current_row()
        return r.diagnosis if r is not None else None

    def _show(self, index) -> None:
        r = self.proxy.data(index, Qt.ItemDataRole.UserRole) if index.isValid() else None
        self.load_button.setEnabled(r is not None)
        if r is None:
            self._shown = None
            self.response.clear()
            self.entry_label.setText("Select an entry to see its diagnosis.")
            return
        if r is not self._shown:  # selecting the entry shown while loading shows nothing new
            self._show_row(r)

    def _show_row(self, r: TriageRow) -> None:
        self._shown = r
        self._show_entry_line(r)
        self.response.show_diagnosis(r.diagnosis)

    def _show_entry_line(self, r: TriageRow) -> None:
        req = r.imported.exchange.request
        self.entry_label.setText(f"#{r.number}  {req.method} {r.host}{self.model.screen_url(r.path)}")
        self.entry_label.setToolTip(plain_tip(self.model.screen_url(req.url)))

    def set_secrets_shown(self, shown: bool) -> None:
        """Tokens in the list, the entry line and the response view's tables in clear text (True) or masked."""
        if self.show_secrets.isChecked() != shown:
            self.show_secrets.setChecked(shown)
        if self.response.show_secrets.isChecked() != shown:
            self.response.set_secrets_shown(shown)
        self.model.set_secrets_shown(shown)
        r = self.current_row()
        if r is not None:
            self._show_entry_line(r)

    def _load_into_builder(self) -> None:
        r = self.current_row()
        if r is None:
            return
        from app.ui.request.import_paste import editable_draft

        self.load_into_builder.emit(editable_draft(r.imported.exchange.request), r.diagnosis,
                                    f"{self.name} #{r.number}")
