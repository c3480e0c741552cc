"""Triage report dialog (non-modal): the report previewed, what was redacted, and deliberate inclusions.

The report of one exchange (``ReportDialog(diagnosis)``) or of a whole triaged file (``ReportDialog.of_file``: a
summary of every entry and each failing entry's sections, written on a worker thread, since a HAR of thousands of
entries takes a few hundred ms). The preview renders the HTML report (``ReportPreview``: a QTextBrowser that loads
nothing from outside, neither remote nor local); "Markdown" shows the plain Markdown instead.
Every secret is redacted by default; ticking a field in the "Redacted" list puts its real value back into the
report (and a warning says so). Copy Markdown, Save Markdown…, Save HTML… all use what is shown.
Save paths are written by ``save_markdown(path)`` / ``save_html(path)`` (atomic), callable directly in tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.core.diagnosis import Diagnosis
from app.core.formats.report import triage_report_html, triage_report_markdown
from app.core.redact import Redaction, redact_diagnosis
from app.store.atomic import atomic_write_text
from app.ui import workers

Texts = Callable[[frozenset[str]], tuple[str, str, tuple[Redaction, ...]]]  # keep → (markdown, html, redactions)


def report_texts(diagnosis: Diagnosis, keep: frozenset[str] = frozenset()) -> tuple[str, str, tuple[Redaction, ...]]:
    """(markdown, html, redactions made) for ``diagnosis`` with the names in ``keep`` left unredacted.

    One redaction for everything in the report (exchange, typed request, the API's message, findings, notes):
    app.core.redact.redact_diagnosis, as the CLI and every export use. The wording is the window's
    (app.core.presentation), with moments in UTC.
    """
    _redacted, reds = redact_diagnosis(diagnosis, keep=keep)
    return (triage_report_markdown(diagnosis, keep=keep), triage_report_html(diagnosis, keep=keep), reds)


class ReportPreview(QTextBrowser):
    """The HTML report rendered; it loads no resource (an image or style sheet named in a customer's data must not
    be fetched, remote or local) and follows no link."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPreview")
        self.setAccessibleName("Report preview")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, _type: int, _name) -> None:  # noqa: N802 (Qt name)
        return None


class ReportDialog(QDialog):
    """objectName ``reportDialog``. ``redactionList`` items are checkable: checked = include the real value.

    ``preview`` shows the rendered report, ``text`` the Markdown; ``markdownToggle`` switches between them.
    """

    def __init__(self, diagnosis: Diagnosis | None, parent: QWidget | None = None, title: str = "",
                 texts: Texts | None = None, on_worker: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(f"Triage report — {title}" if title else "Triage report")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.diagnosis = diagnosis
        self._texts: Texts = texts or (lambda keep: report_texts(diagnosis, keep))
        self._on_worker = on_worker
        self._generation = 0
        self.task: asyncio.Task | None = None  # the report being written on a worker, while there is one
        self._markdown = self._html = ""
        self._file_dialog: QFileDialog | None = None
        self.resize(980, 680)

        layout = QVBoxLayout(self)
        intro = QLabel("Secrets are redacted in everything that leaves the app. Tick a field on the right only "
                       "if the ticket really needs its value.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self._build_views(split))
        split.addWidget(self._build_side(split))
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        layout.addLayout(self._build_buttons())
        self.redactions.itemChanged.connect(lambda *_: self.refresh())
        self.refresh()

    @classmethod
    def of_file(cls, name: str, entries, parent: QWidget | None = None) -> "ReportDialog":
        """The report of a whole triaged file (its TriageRows), written on a worker thread."""
        from app.core.formats.file_report import file_report_texts

        rows = tuple(entries)
        return cls(None, parent, title=f"{name} (all {len(rows)} entries)",
                   texts=lambda keep: file_report_texts(name, rows, keep), on_worker=True)

    # ------------------------------------------------------------------ building
    def _build_views(self, parent: QWidget) -> QWidget:
        page = QWidget(parent)
        pl = QVBoxLayout(page)
        pl.setContentsMargins(0, 0, 0, 0)
        self.markdown_toggle = QCheckBox("Show the Markdown text", page)
        self.markdown_toggle.setObjectName("markdownToggle")
        self.markdown_toggle.setToolTip("The report as plain Markdown (what Copy Markdown copies)")
        self.views = QStackedWidget(page)
        self.preview = ReportPreview(self.views)
        self.text = QPlainTextEdit(self.views)
        self.text.setObjectName("reportMarkdown")
        self.text.setAccessibleName("Report (Markdown)")
        self.text.setReadOnly(True)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        self.text.setFont(mono)
        self.views.addWidget(self.preview)
        self.views.addWidget(self.text)
        self.markdown_toggle.toggled.connect(lambda on: self.views.setCurrentWidget(self.text if on else self.preview))
        pl.addWidget(self.markdown_toggle)
        pl.addWidget(self.views, 1)
        return page

    def _build_side(self, parent: QWidget) -> QWidget:
        side = QWidget(parent)
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
        self.warning.hide()
        sl.addWidget(head)
        sl.addWidget(self.redactions, 1)
        sl.addWidget(self.warning)
        return side

    def _build_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
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
        self.copy_button.clicked.connect(self.copy_markdown)
        self.save_md_button.clicked.connect(lambda: self._ask_path("Markdown (*.md)", ".md", self.save_markdown))
        self.save_html_button.clicked.connect(lambda: self._ask_path("HTML (*.html)", ".html", self.save_html))
        close.clicked.connect(self.close)
        return buttons

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
        """Write the report again with what is ticked (at once, or on a worker for a whole file)."""
        self._generation += 1
        keep = self.keep()
        if not self._on_worker:
            self._show(keep, self._texts(keep))
            return
        for b in (self.copy_button, self.save_md_button, self.save_html_button):
            b.setEnabled(False)
        self.status.setText("Writing the report…")
        self.task = asyncio.ensure_future(self._write_on_worker(self._generation, keep))

    async def _write_on_worker(self, generation: int, keep: frozenset[str]) -> None:
        try:
            result = await workers.run(self._texts, keep)
        except Exception as exc:  # never a traceback in the user's face
            result = None
            problem = f"The report could not be written ({type(exc).__name__}: {exc})."
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # closed, or a newer tick is being written
        if result is None:
            self.status.setText(problem)
            return
        self.status.setText("")
        for b in (self.copy_button, self.save_md_button, self.save_html_button):
            b.setEnabled(True)
        self._show(keep, result)

    def _show(self, keep: frozenset[str], result) -> None:
        self._markdown, self._html, reds = result
        if self.redactions.count() == 0:
            self._fill_redactions(reds)
        self.text.setPlainText(self._markdown)
        bar = self.preview.verticalScrollBar()
        at = bar.value()
        self.preview.setHtml(self._html)
        bar.setValue(at)  # ticking a field keeps the reader's place
        kept = sorted(keep)
        self.warning.setText(("Included on purpose — this report now shows the value of: " + ", ".join(kept))
                             if kept else "")
        self.warning.setVisible(bool(kept))

    def _fill_redactions(self, reds: tuple[Redaction, ...]) -> None:
        self.redactions.blockSignals(True)
        for r in reds:
            item = QListWidgetItem(r.label(), self.redactions)
            item.setData(Qt.ItemDataRole.UserRole, r.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        if not reds:
            QListWidgetItem("(nothing secret found)", self.redactions).setFlags(Qt.ItemFlag.NoItemFlags)
        self.redactions.blockSignals(False)

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
