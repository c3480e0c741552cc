"""A comparison page (objectName ``comparisonView``): the one-line summary on top, then the same text the CLI
prints (status and documented meaning each side, findings, request, response headers, timings, body), read-only.

The comparison itself is built off the GUI thread (app.ui.workspace.compare): the page opens at once with a busy
bar ("Comparing…", bodies of tens of MB take seconds) and fills when the worker is done. Secrets are masked on
both sides; "Show secrets" asks for the comparison again with them shown, deliberately. "Copy as Markdown" and
"Save report…" hand the comparison back as the triage report does (with what is shown).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.compare import Comparison, render_text
from app.core.compare.render import comparison_html, comparison_markdown


class ComparisonView(QWidget):
    def __init__(self, comparison: Comparison | None = None, parent: QWidget | None = None,
                 recompare: Callable[[bool], None] | None = None,
                 save_report: Callable[[str, str], None] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("comparisonView")
        self.comparison: Comparison | None = None
        self._recompare = recompare  # (show_secrets): the owner compares again and calls show_comparison
        self._save_report = save_report  # (markdown, html): the owner asks where and writes off the GUI thread
        layout = QVBoxLayout(self)
        self.summary = QLabel("Comparing… (large bodies take a few seconds)", self)
        self.summary.setObjectName("comparisonSummary")
        self.summary.setAccessibleName("Comparison summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        font = QFont(self.summary.font())
        font.setBold(True)
        self.summary.setFont(font)
        layout.addWidget(self.summary)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("comparisonBusy")
        self.busy.setRange(0, 0)  # indeterminate: the worker reports no steps
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        layout.addWidget(self.busy)
        layout.addLayout(self._build_bar())
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("comparisonDetails")
        self.details.setAccessibleName("Comparison details")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.details, 1)
        if comparison is not None:
            self.show_comparison(comparison)

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.show_secrets = QCheckBox("Show secrets", self)
        self.show_secrets.setObjectName("comparisonShowSecrets")
        self.show_secrets.setToolTip("Secrets are masked on both sides; tick to compare them shown, deliberately")
        self.show_secrets.setEnabled(self._recompare is not None)
        self.show_secrets.toggled.connect(self._secrets_toggled)
        self.copy_button = QPushButton("Copy as Markdown", self)
        self.copy_button.setObjectName("comparisonCopyMarkdown")
        self.copy_button.clicked.connect(self.copy_markdown)
        self.save_button = QPushButton("Save report…", self)
        self.save_button.setObjectName("comparisonSaveReport")
        self.save_button.setEnabled(self._save_report is not None)
        self.save_button.clicked.connect(self._ask_save)
        bar.addWidget(self.show_secrets)
        bar.addStretch(1)
        bar.addWidget(self.copy_button)
        bar.addWidget(self.save_button)
        return bar

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.copy_button.setEnabled(not busy and self.comparison is not None)
        self.save_button.setEnabled(not busy and self.comparison is not None and self._save_report is not None)

    def show_comparison(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.summary.setText(comparison.summary)
        self.details.setPlainText(render_text(comparison))
        self.set_busy(False)

    def show_failure(self, sentence: str) -> None:
        self.summary.setText(sentence)
        self.set_busy(False)

    def _secrets_toggled(self, shown: bool) -> None:
        if self._recompare is not None:
            self.set_busy(True)
            self._recompare(shown)

    def copy_markdown(self) -> str | None:
        if self.comparison is None:
            return None
        text = comparison_markdown(self.comparison)
        QGuiApplication.clipboard().setText(text)
        return text

    def _ask_save(self) -> None:
        if self.comparison is not None and self._save_report is not None:
            self._save_report(comparison_markdown(self.comparison), comparison_html(self.comparison))
