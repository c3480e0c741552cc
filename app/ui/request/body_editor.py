"""The request body: none, raw text with a content-type picker, JSON (validated as you type), form, multipart, binary."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.draft import Part, Row, json_problem
from app.ui.widgets.kv_table import KeyValueTable

KINDS = (("none", "No body"), ("json", "JSON"), ("raw", "Raw text"), ("form", "Form (url-encoded)"),
         ("multipart", "Multipart form"), ("binary", "Binary file"))
RAW_TYPES = (("application/json", "JSON (application/json)"), ("application/xml", "XML (application/xml)"),
             ("text/plain", "Text (text/plain)"), ("", "(none: no Content-Type added)"))
_PAGE = {"none": 0, "json": 1, "raw": 1, "form": 2, "multipart": 3, "binary": 4}


class BodyEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.kind = QComboBox(self)
        self.kind.setObjectName("bodyKindCombo")
        self.kind.setAccessibleName("Body kind")
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self.raw_type = QComboBox(self)
        self.raw_type.setObjectName("rawContentTypeCombo")
        self.raw_type.setAccessibleName("Content type of the raw body")
        self.raw_type.setEditable(True)
        self.raw_type.setToolTip("The Content-Type added for a raw body (a Content-Type row in Headers wins).")
        for key, label in RAW_TYPES:
            self.raw_type.addItem(label, key)
        self.raw_type_label = QLabel("Content-Type:", self)
        top.addWidget(QLabel("Body:", self))
        top.addWidget(self.kind)
        top.addSpacing(12)
        top.addWidget(self.raw_type_label)
        top.addWidget(self.raw_type, 1)
        top.addStretch(0)
        layout.addLayout(top)

        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack, 1)
        none = QLabel("This request has no body.", self)
        self.stack.addWidget(none)
        text_page = QWidget(self)
        tl = QVBoxLayout(text_page)
        tl.setContentsMargins(0, 0, 0, 0)
        self.text = QPlainTextEdit(text_page)
        self.text.setObjectName("bodyText")
        self.text.setAccessibleName("Request body")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setTabChangesFocus(True)
        self.json_status = QLabel(text_page)
        self.json_status.setTextFormat(Qt.TextFormat.PlainText)  # quotes the user's JSON
        self.json_status.setObjectName("jsonStatus")
        self.json_status.setWordWrap(True)
        tl.addWidget(self.text, 1)
        tl.addWidget(self.json_status)
        self.stack.addWidget(text_page)
        self.form = KeyValueTable("Field", "Value", self)
        self.form.setAccessibleName("Form fields")
        self.stack.addWidget(self.form)
        mp_page = QWidget(self)
        ml = QVBoxLayout(mp_page)
        ml.setContentsMargins(0, 0, 0, 0)
        self.multipart = KeyValueTable("Part", "Value (text, or @path for a file)", mp_page)
        self.multipart.setAccessibleName("Multipart parts")
        attach = QPushButton("Attach file…", mp_page)
        attach.clicked.connect(self._attach_file)
        ml.addWidget(self.multipart, 1)
        ml.addWidget(attach)
        self.stack.addWidget(mp_page)
        bin_page = QWidget(self)
        bl = QHBoxLayout(bin_page)
        self.binary_path = QLineEdit(bin_page)
        self.binary_path.setPlaceholderText("Path of the file to send as the body")
        self.binary_path.setAccessibleName("Binary body file")
        choose = QPushButton("Choose file…", bin_page)
        choose.clicked.connect(self._choose_binary)
        bl.addWidget(self.binary_path, 1)
        bl.addWidget(choose)
        self.stack.addWidget(bin_page)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.raw_type.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.raw_type.editTextChanged.connect(lambda *_: self.changed.emit())
        self.text.textChanged.connect(self._text_changed)
        self.form.edited.connect(self.changed)
        self.multipart.edited.connect(self.changed)
        self.binary_path.textChanged.connect(lambda *_: self.changed.emit())
        self._dialog: QFileDialog | None = None
        self._sync_visibility()

    # ------------------------------------------------------------------ state
    def body_kind(self) -> str:
        return self.kind.currentData()

    def raw_content_type(self) -> str:
        i = self.raw_type.currentIndex()
        if i >= 0 and self.raw_type.itemText(i) == self.raw_type.currentText():
            return self.raw_type.itemData(i) or ""
        return self.raw_type.currentText().strip()  # a custom type typed by the user

    def parts(self) -> tuple[Part, ...]:
        out = []
        for r in self.multipart.rows():
            if r.value.startswith("@") and len(r.value) > 1:
                out.append(Part(r.name, "", r.value[1:], r.enabled))
            else:
                out.append(Part(r.name, r.value, None, r.enabled))
        return tuple(out)

    def set_state(self, kind: str, raw_text: str, raw_content_type: str, form, multipart, binary_path: str) -> None:
        widgets = (self.kind, self.raw_type, self.text, self.binary_path)
        for w in widgets:
            w.blockSignals(True)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        i = self.raw_type.findData(raw_content_type)
        if i >= 0:
            self.raw_type.setCurrentIndex(i)
        else:
            self.raw_type.setEditText(raw_content_type)
        self.text.setPlainText(raw_text)
        self.binary_path.setText(binary_path)
        for w in widgets:
            w.blockSignals(False)
        self.form.set_rows(form)
        self.multipart.set_rows([Row(p.name, "@" + p.file_path if p.file_path else p.value, p.enabled) for p in multipart])
        self._sync_visibility()
        self._validate()

    # ------------------------------------------------------------------ behaviour
    def _kind_changed(self, *_: object) -> None:
        self._sync_visibility()
        self._validate()
        self.changed.emit()

    def _text_changed(self) -> None:
        self._validate()
        self.changed.emit()

    def _sync_visibility(self) -> None:
        kind = self.body_kind()
        self.stack.setCurrentIndex(_PAGE.get(kind, 0))
        self.raw_type.setVisible(kind == "raw")
        self.raw_type_label.setVisible(kind == "raw")

    def _validate(self) -> None:
        kind = self.body_kind()
        if kind == "json" or (kind == "raw" and self.raw_content_type().endswith("json")):
            problem = json_problem(self.text.toPlainText()) if len(self.text.document().toRawText()) < 2_000_000 else None
            self.json_status.setText(f"⚠ {problem}" if problem else "✓ Valid JSON")
            from app.ui.style import severity_color, status_color

            colour = severity_color("error", self.palette()) if problem else status_color(200, self.palette())
            self.json_status.setStyleSheet(f"color: {colour.name()};")
            self.json_status.setVisible(bool(self.text.toPlainText().strip()))
        else:
            self.json_status.setVisible(False)

    def _open_dialog(self, slot) -> None:
        self._dialog = QFileDialog(self, "Choose a file to send")
        self._dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        self._dialog.fileSelected.connect(slot)
        self._dialog.open()  # non-blocking

    def _choose_binary(self) -> None:
        self._open_dialog(self.binary_path.setText)

    def _attach_file(self) -> None:
        def add(path: str) -> None:
            name = path.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "file"
            self.multipart.set_rows(list(self.multipart.rows()) + [Row(name, "@" + path)])
            self.changed.emit()

        self._open_dialog(add)
