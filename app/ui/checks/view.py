"""A run's results page (objectName ``runResultsView``): one row per request as it finishes — pass/fail, request,
status, documented status, time, and the expectations that failed — and the total on top. Double-click or Enter on
a row opens that exchange in a tab (its stored answer, nothing is resent)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, \
    QWidget

from app.core.checks import CheckResult
from app.core.humanize import human_duration
from app.ui.widgets.plain_text import plain_tip

COLUMNS = ("", "Request", "Status", "Documented", "Time", "Expectations")
PASS_COLOUR, FAIL_COLOUR = QColor(30, 130, 60), QColor(190, 40, 40)


class RunResultsView(QWidget):
    """Signals: ``open_requested(CheckResult)``."""

    open_requested = Signal(object)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runResultsView")
        self.setAccessibleName(f"Results of running {title}")
        self.results: list[CheckResult] = []
        layout = QVBoxLayout(self)
        self.summary = QLabel(f"Running {title}…", self)
        self.summary.setObjectName("runSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("runResults")
        self.table.setAccessibleName("Run results: double-click a row to open its exchange")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        for c in range(len(COLUMNS)):
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open)
        layout.addWidget(self.table, 1)

    def set_summary(self, text: str) -> None:
        self.summary.setText(text)

    def add_result(self, r: CheckResult) -> None:
        self.results.append(r)  # as it came: opening the row shows the exchange behind its own show-secrets eye
        row = self.table.rowCount()
        self.table.insertRow(row)
        r = r.redacted()  # the quoted header and body values and the URL are shown masked
        failed = [f"?? {f.assertion.text}: expected {f.expected}, got {f.actual}" for f in r.failures]
        detail = "; ".join(([r.problem] if r.problem else []) + failed + list(r.notes))
        cells = ("✔ pass" if r.passed else "✖ fail", f"{r.name}  [{r.file}]", r.status, r.documented,
                 human_duration(r.seconds), detail or ("no expectations: an answer arrived" if not r.results
                                                       else f"{len(r.results)} met"))
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(plain_tip(detail or text))
            if col == 0:
                item.setForeground(QBrush(PASS_COLOUR if r.passed else FAIL_COLOUR))
            self.table.setItem(row, col, item)

    def _open(self, index) -> None:
        if 0 <= index.row() < len(self.results) and self.results[index.row()].diagnosis is not None:
            self.open_requested.emit(self.results[index.row()])
