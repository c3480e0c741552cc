"""Authentication: none, Basic, Bearer token, API key (in a header or the query).

Password, token and key value are masked (shown while being edited) unless ``set_secrets_shown(True)``
(the "Show secrets" eye button, kept in step with the header table's by the request editor).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from app.core.draft import Auth
from app.ui.widgets.secret_mask import eye_button

_KINDS = (("none", "No auth"), ("basic", "Basic"), ("bearer", "Bearer token"), ("apikey", "API key"))


class AuthEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.kind = QComboBox(self)
        self.kind.setObjectName("authKindCombo")
        self.kind.setAccessibleName("Authentication kind")
        self.kind.setToolTip("How the request proves who it is: Basic (user name and password), a Bearer token, "
                             "or an API key in a header or the query string")
        for key, label in _KINDS:
            self.kind.addItem(label, key)
        top = QHBoxLayout()
        kind_label = QLabel("&Kind:", self)
        kind_label.setBuddy(self.kind)
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        top.addStretch(1)
        self.show_secrets = eye_button(self, "showAuthSecretsButton")
        top.addWidget(self.show_secrets)
        layout.addLayout(top)
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
        self.show_secrets.toggled.connect(self.set_secrets_shown)
        for e in (self.username, self.password, self.token, self.key_name, self.key_value):
            e.textEdited.connect(lambda *_: self.changed.emit())

    def secret_fields(self) -> tuple[QLineEdit, ...]:
        return (self.password, self.token, self.key_value)

    def set_secrets_shown(self, shown: bool) -> None:
        if self.show_secrets.isChecked() != shown:
            self.show_secrets.setChecked(shown)
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.PasswordEchoOnEdit
        for field in self.secret_fields():
            field.setEchoMode(mode)

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
