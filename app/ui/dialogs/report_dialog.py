"""Triage report dialog (non-modal): the Markdown report, what was redacted, and deliberate inclusions.

Every secret is redacted by default; ticking a field in the "Redacted" list puts its real value back into the
report (and a warning says so). Copy Markdown, Save Markdown…, Save HTML… all use what is shown.
Save paths are written by ``save_markdown(path)`` / ``save_html(path)`` (atomic), callable directly in tests.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.diagnosis import Diagnosis
from app.core.formats.report import triage_report_html, triage_report_markdown
from app.core.redact import Redaction, redact_diagnosis
from app.store.atomic import atomic_write_text


def report_texts(diagnosis: Diagnosis, keep: frozenset[str] = frozenset()) -> tuple[str, str, tuple[Redaction, ...]]:
    """(markdown, html, redactions made) for ``diagnosis`` with the names in ``keep`` left unredacted.

    One redaction for everything in the report (exchange, typed request, the API's message, findings, notes):
    app.core.redact.redact_diagnosis, as the CLI and every export use. The wording is the window's
    (app.core.presentation), with moments in UTC.
    """
    _redacted, reds = redact_diagnosis(diagnosis, keep=keep)
    return (triage_report_markdown(diagnosis, keep=keep), triage_report_html(diagnosis, keep=keep), reds)


class ReportDialog(QDialog):
    """objectName ``reportDialog``. ``redactionList`` items are checkable: checked = include the real value."""

    def __init__(self, diagnosis: Diagnosis, parent: QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(f"Triage report — {title}" if title else "Triage report")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.diagnosis = diagnosis
        self._file_dialog: QFileDialog | None = None
        self.resize(980, 680)

        layout = QVBoxLayout(self)
        intro = QLabel("Secrets are redacted in everything that leaves the app. Tick a field on the right only "
                       "if the ticket really needs its value.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.text = QPlainTextEdit(split)
        self.text.setObjectName("reportMarkdown")
        self.text.setAccessibleName("Report (Markdown)")
        self.text.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(mono)
        side = QWidget(split)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(6, 0, 0, 0)
        head = QLabel("<b>Redacted</b> (tick to include the real value):", side)
        head.setWordWrap(True)
        self.redactions = QListWidget(side)
        self.redactions.setObjectName("redactionList")
        self.redactions.setAccessibleName("Redacted fields; check one to include its value")
        self.warning = QLabel(side)
        self.warning.setTextFormat(Qt.TextFormat.PlainText)
        self.warning.setObjectName("reportWarning")
        self.warning.setWordWrap(True)
        from app.ui.style import severity_color

        self.warning.setStyleSheet(f"color: {severity_color('error', self.palette()).name()}; font-weight: 600;")
        sl.addWidget(head)
        sl.addWidget(self.redactions, 1)
        sl.addWidget(self.warning)
        split.addWidget(self.text)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

        buttons = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setObjectName("reportStatus")
        self.copy_button = QPushButton("Copy Markdown", self)
        self.copy_button.setObjectName("copyMarkdownButton")
        self.save_md_button = QPushButton("Save Markdown…", self)
        self.save_md_button.setObjectName("saveMarkdownButton")
        self.save_html_button = QPushButton("Save HTML…", self)
        self.save_html_button.setObjectName("saveHtmlButton")
        close = QPushButton("Close", self)
        buttons.addWidget(self.status, 1)
        for b in (self.copy_button, self.save_md_button, self.save_html_button, close):
            buttons.addWidget(b)
        layout.addLayout(buttons)

        self.copy_button.clicked.connect(self.copy_markdown)
        self.save_md_button.clicked.connect(lambda: self._ask_path("Markdown (*.md)", ".md", self.save_markdown))
        self.save_html_button.clicked.connect(lambda: self._ask_path("HTML (*.html)", ".html", self.save_html))
        close.clicked.connect(self.close)

        _, _, all_reds = report_texts(diagnosis)
        for r in all_reds:
            item = QListWidgetItem(r.label(), self.redactions)
            item.setData(Qt.ItemDataRole.UserRole, r.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        if not all_reds:
            QListWidgetItem("(nothing secret found)", self.redactions).setFlags(Qt.ItemFlag.NoItemFlags)
        self.redactions.itemChanged.connect(lambda *_: self.refresh())
        self.refresh()

    # ------------------------------------------------------------------ content
    def keep(self) -> frozenset[str]:
        names = set()
        for i in range(self.redactions.count()):
            item = self.redactions.item(i)
            if item.checkState() == Qt.CheckState.Checked and item.data(Qt.ItemDataRole.UserRole):
                names.add(str(item.data(Qt.ItemDataRole.UserRole)))
        return frozenset(names)

    def set_included(self, name: str, included: bool = True) -> None:
        """Tick (or untick) the redacted field ``name`` (case-insensitive)."""
        for i in range(self.redactions.count()):
            item = self.redactions.item(i)
            value = item.data(Qt.ItemDataRole.UserRole)
            if value and str(value).lower() == name.lower():
                item.setCheckState(Qt.CheckState.Checked if included else Qt.CheckState.Unchecked)

    def refresh(self) -> None:
        self._markdown, self._html, _ = report_texts(self.diagnosis, self.keep())
        self.text.setPlainText(self._markdown)
        kept = sorted(self.keep())
        self.warning.setText(("Included on purpose — this report now shows the value of: " + ", ".join(kept))
                             if kept else "")
        self.warning.setVisible(bool(kept))

    def markdown(self) -> str:
        return self._markdown

    def html(self) -> str:
        return self._html

    # ------------------------------------------------------------------ hand-back
    def copy_markdown(self) -> None:
        QGuiApplication.clipboard().setText(self._markdown)
        self.status.setText("Markdown copied to the clipboard.")

    def save_markdown(self, path: str | Path) -> bool:
        return self._write(path, self._markdown)

    def save_html(self, path: str | Path) -> bool:
        return self._write(path, self._html)

    def _write(self, path: str | Path, text: str) -> bool:
        try:
            atomic_write_text(Path(path), text)
        except OSError as exc:
            self.status.setText(f"Could not save {path}: {exc.strerror or exc}.")
            return False
        self.status.setText(f"Saved {path}.")
        return True

    def _ask_path(self, name_filter: str, suffix: str, save) -> None:
        dialog = QFileDialog(self, "Save triage report")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([name_filter, "All files (*)"])
        dialog.setDefaultSuffix(suffix.lstrip("."))
        dialog.selectFile("triage-report" + suffix)
        dialog.fileSelected.connect(save)
        self._file_dialog = dialog
        dialog.open()  # never exec()
