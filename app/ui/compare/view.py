"""A comparison page (objectName ``comparisonView``): the one-line summary on top, then the same text the CLI
prints (status and documented meaning each side, findings, request, response headers, timings, body), read-only.
The comparison itself is built off the GUI thread (app.ui.workspace.compare); this widget only shows it."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.core.compare import Comparison, render_text


class ComparisonView(QWidget):
    def __init__(self, comparison: Comparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparisonView")
        self.comparison = comparison
        layout = QVBoxLayout(self)
        self.summary = QLabel(comparison.summary, self)
        self.summary.setObjectName("comparisonSummary")
        self.summary.setAccessibleName("Comparison summary")
        self.summary.setTextFormat(self.summary.textFormat().PlainText)
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("comparisonDetails")
        self.details.setAccessibleName("Comparison details")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlainText(render_text(comparison))
        layout.addWidget(self.details, 1)
