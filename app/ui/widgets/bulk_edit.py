"""A name/value table with a text mode: "Bulk edit" shows the rows as lines (app.core.bulk_rows) to paste or
type many at once, and switching back reads them into the table.

What is typed is read on every change, so the table (and so the request sent) always holds the last text that
reads; a line that does not read shows a sentence under the text, and switching back is refused until it is
fixed (the text is kept). Secret header values stay masked in the text as in the table unless secrets are
shown; a masked value left as it is keeps the real one.

Widgets: ``toggle`` (the checkable "Bulk edit" button, placed by the owner beside the table), ``text``,
``error``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from app.core.bulk_rows import HEADERS, BulkTextError, rows_to_text, text_to_rows
from app.core.draft import Row
from app.ui.widgets.kv_table import KeyValueTable
from app.ui.widgets.secret_mask import masked_value

_HINTS = {HEADERS: "One header per line: Name: value. Start a line with # or // to keep it without sending it.",
          "params": "One parameter per line: name=value (or name: value). Start a line with # or // to keep it "
                    "out of the URL."}


class BulkEdit(QStackedWidget):
    def __init__(self, table: KeyValueTable, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table, self.kind = table, kind
        self._originals: dict[tuple[str, str], str] = {}
        self._loading = False
        name = table.objectName()
        self.toggle = QPushButton("Bulk edit", parent)
        self.toggle.setObjectName(f"{name}BulkToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAccessibleName(f"Edit {table.accessibleName().lower()} as text")
        self.toggle.setToolTip(_HINTS[kind])
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QPlainTextEdit(page)
        self.text.setObjectName(f"{name}BulkText")
        self.text.setAccessibleName(f"{table.accessibleName()} as text")
        self.text.setPlaceholderText(_HINTS[kind])
        self.text.setTabChangesFocus(True)  # Tab leaves the text, as in every other field
        self.error = QLabel(page)
        self.error.setObjectName(f"{name}BulkError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        self.addWidget(table)
        self.addWidget(page)
        self.toggle.toggled.connect(self._toggled)
        self.text.textChanged.connect(self._text_changed)

    def in_text_mode(self) -> bool:
        return self.currentIndex() == 1

    def refresh(self, force: bool = False) -> None:
        """Show the table's rows in the text again (the rows changed elsewhere: the URL, a loaded request); left
        alone while the user is typing in it unless ``force``."""
        if self.in_text_mode() and (force or not self.text.hasFocus()):
            self._fill()

    def _fill(self) -> None:
        self._originals = {}
        shown = []
        for row in self.table.rows():
            value = masked_value(row.name, row.value) if self.table.masking() else row.value
            if value != row.value:
                self._originals[(row.name.lower(), value)] = row.value
            shown.append(Row(row.name, value, row.enabled))
        self._loading = True
        try:
            self.text.setPlainText(rows_to_text(shown, self.kind))
        finally:
            self._loading = False
        self.error.hide()

    def _read(self) -> tuple[Row, ...] | None:
        """The text's rows with masked values put back, or None (and the sentence shown) when a line does not read."""
        try:
            rows = text_to_rows(self.text.toPlainText(), self.kind)
        except BulkTextError as exc:
            self.error.setText(f"⚠ {exc} The text is kept: fix the line to go back to the table.")
            self.error.show()
            return None
        self.error.hide()
        return tuple(Row(r.name, self._originals.get((r.name.lower(), r.value), r.value), r.enabled) for r in rows)

    def _text_changed(self) -> None:
        if self._loading:
            return
        rows = self._read()
        if rows is not None and rows != self.table.rows():
            self.table.set_rows(rows)
            self.table.edited.emit()

    def _toggled(self, on: bool) -> None:
        if on:
            self.table.commit_open_editor()
            self._fill()
            self.setCurrentIndex(1)
            self.text.setFocus()
            return
        if self._read() is None:  # stay in the text with the sentence
            self.toggle.blockSignals(True)
            self.toggle.setChecked(True)
            self.toggle.blockSignals(False)
            self.text.setFocus()
            return
        self.setCurrentIndex(0)
        self.table.setFocus()


def table_page(bulk: BulkEdit, hint: str, hint_name: str, *extras: QWidget) -> QWidget:
    """A tab page: a quiet hint line with ``extras`` and the "Bulk edit" toggle on its right, the table (or its
    text) below."""
    from PySide6.QtWidgets import QHBoxLayout

    page = QWidget(bulk.parentWidget())
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 2, 0, 0)
    layout.setSpacing(2)
    bar = QHBoxLayout()
    label = QLabel(hint, page)
    label.setObjectName(hint_name)
    label.setEnabled(False)  # a quiet hint in the palette's disabled text colour (readable light and dark)
    label.setWordWrap(True)  # side by side, the request half is narrow: the hint wraps instead of widening it
    bar.addWidget(label, 1)
    for widget in (*extras, bulk.toggle):
        bar.addWidget(widget)
    layout.addLayout(bar)
    layout.addWidget(bulk, 1)
    return page
