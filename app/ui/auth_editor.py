"""Authentication: none, Basic, Bearer token, API key (in a header or the query)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from app.core.draft import Auth

_KINDS = (("none", "No auth"), ("basic", "Basic"), ("bearer", "Bearer token"), ("apikey", "API key"))


class AuthEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.kind = QComboBox(self)
        self.kind.setObjectName("authKindCombo")
        self.kind.setAccessibleName("Authentication kind")
        for key, label in _KINDS:
            self.kind.addItem(label, key)
        layout.addWidget(self.kind)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        layout.addStretch(1)

        self.stack.addWidget(QWidget(self))
        basic = QWidget(self)
        f = QFormLayout(basic)
        self.username = QLineEdit(basic)
        self.username.setAccessibleName("User name")
        self.password = QLineEdit(basic)
        self.password.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.password.setAccessibleName("Password")
        f.addRow("User name:", self.username)
        f.addRow("Password:", self.password)
        self.stack.addWidget(basic)
        bearer = QWidget(self)
        f = QFormLayout(bearer)
        self.token = QLineEdit(bearer)
        self.token.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.token.setAccessibleName("Bearer token")
        f.addRow("Token:", self.token)
        self.stack.addWidget(bearer)
        apikey = QWidget(self)
        f = QFormLayout(apikey)
        self.key_name = QLineEdit("X-API-Key", apikey)
        self.key_name.setAccessibleName("API key name")
        self.key_value = QLineEdit(apikey)
        self.key_value.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.key_value.setAccessibleName("API key value")
        self.key_in = QComboBox(apikey)
        self.key_in.addItem("Header", "header")
        self.key_in.addItem("Query parameter", "query")
        self.key_in.setAccessibleName("Send the API key in")
        f.addRow("Key:", self.key_name)
        f.addRow("Value:", self.key_value)
        f.addRow("Send in:", self.key_in)
        self.stack.addWidget(apikey)

        self.kind.currentIndexChanged.connect(self.stack.setCurrentIndex)
        self.kind.currentIndexChanged.connect(lambda *_: self.changed.emit())
        self.key_in.currentIndexChanged.connect(lambda *_: self.changed.emit())
        for e in (self.username, self.password, self.token, self.key_name, self.key_value):
            e.textEdited.connect(lambda *_: self.changed.emit())

    def auth(self) -> Auth:
        return Auth(self.kind.currentData(), self.username.text(), self.password.text(), self.token.text(),
                    self.key_name.text(), self.key_value.text(), self.key_in.currentData())

    def set_auth(self, a: Auth) -> None:
        self.blockSignals(True)
        i = self.kind.findData(a.kind)
        self.kind.setCurrentIndex(max(0, i))
        self.username.setText(a.username)
        self.password.setText(a.password)
        self.token.setText(a.token)
        self.key_name.setText(a.key_name)
        self.key_value.setText(a.key_value)
        self.key_in.setCurrentIndex(max(0, self.key_in.findData(a.key_in)))
        self.blockSignals(False)
