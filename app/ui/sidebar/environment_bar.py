"""Environments: the toolbar combo (objectName ``environmentCombo``) and the non-modal editor.

The editor shows where secrets go (keyring, a consented plain-text file, or memory for this session) and asks before
storing anything in plain text. Filling ``{{var}}`` into a draft is ``app.core.variables.expand_draft``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

NO_ENV = "No environment"


class EnvironmentEditor(QDialog):
    """Non-modal editor of the environments. ``changed()`` after any saved edit; ``consent_changed(bool)``."""

    changed = Signal()
    consent_changed = Signal(bool)

    def __init__(self, part, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("environmentEditor")
        self.setWindowTitle("Environments")
        self.setModal(False)
        self.part = part  # app.ui.workspace.environments.EnvironmentsPart: .store (Environments), .plain_consent
        self._prompt: QInputDialog | None = None
        self.resize(640, 460)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.env = QComboBox(self)
        self.env.setObjectName("environmentEditorCombo")
        self.env.setAccessibleName("Environment to edit")
        add_env = QPushButton("New environment…", self)
        add_env.setObjectName("newEnvironmentButton")
        env_label = QLabel("&Environment:", self)
        env_label.setBuddy(self.env)
        top.addWidget(env_label)
        top.addWidget(self.env, 1)
        top.addWidget(add_env)
        layout.addLayout(top)
        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("environmentVariables")
        self.table.setAccessibleName("Variables of this environment")
        self.table.setHorizontalHeaderLabels(["Variable", "Value", "Secret"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        form = QHBoxLayout()
        self.var_name = QLineEdit(self)
        self.var_name.setObjectName("envVarName")
        self.var_name.setPlaceholderText("name, e.g. token")
        self.var_name.setAccessibleName("Variable name")
        self.var_name.setToolTip("Use it as {{name}} in the URL, headers, body or auth")
        self.var_value = QLineEdit(self)
        self.var_value.setObjectName("envVarValue")
        self.var_value.setPlaceholderText("value")
        self.var_value.setAccessibleName("Variable value")
        self.var_secret = QCheckBox("&secret", self)
        self.var_secret.setToolTip("Keep the value in the system keyring (or where the note below says), never in "
                                   "environments.json, and show it masked")
        self.var_secret.setObjectName("envVarSecret")
        self.var_secret.toggled.connect(lambda on: self.var_value.setEchoMode(
            QLineEdit.EchoMode.Password if on else QLineEdit.EchoMode.Normal))
        set_button = QPushButton("Se&t", self)
        set_button.setObjectName("envSetButton")
        delete = QPushButton("Delete selected", self)
        for w in (self.var_name, self.var_value, self.var_secret, set_button, delete):
            form.addWidget(w)
        layout.addLayout(form)
        self.storage = QLabel(self)
        self.storage.setTextFormat(Qt.TextFormat.PlainText)
        self.storage.setObjectName("secretStorageNote")
        self.storage.setWordWrap(True)
        layout.addWidget(self.storage)
        self.consent = QCheckBox("Store secrets in a plain-text file readable only by me (no keyring here)", self)
        self.consent.setObjectName("plainSecretsConsent")
        layout.addWidget(self.consent)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # may quote a name the user typed
        self.message.setObjectName("environmentMessage")
        self.message.setWordWrap(True)
        from app.ui.style import severity_color

        self.message.setStyleSheet(f"color: {severity_color('error', self.palette()).name()};")
        layout.addWidget(self.message)

        add_env.clicked.connect(self._ask_new_env)
        set_button.clicked.connect(self._set_var)
        self.var_value.returnPressed.connect(self._set_var)
        delete.clicked.connect(self._delete_var)
        self.env.currentTextChanged.connect(lambda *_: self.reload_vars())
        self.consent.toggled.connect(self.consent_changed)
        self.reload()

    def reload(self) -> None:
        envs = self.part.store
        current = self.env.currentText() or (envs.active if envs else "") or ""
        self.env.blockSignals(True)
        self.env.clear()
        if envs is not None:
            self.env.addItems(envs.names())
        i = self.env.findText(current)
        self.env.setCurrentIndex(i if i >= 0 else 0)
        self.env.blockSignals(False)
        self.reload_vars()
        self.refresh_storage()

    def refresh_storage(self) -> None:
        store = self.part.store.secrets if self.part.store else None
        self.storage.setText(store.describe() if store is not None else "Loading environments…")
        keyring = type(store).__name__ == "KeyringSecrets"
        self.consent.setVisible(not keyring)
        self.consent.blockSignals(True)
        self.consent.setChecked(bool(self.part.plain_consent))
        self.consent.blockSignals(False)

    def reload_vars(self) -> None:
        self.table.setRowCount(0)
        envs, name = self.part.store, self.env.currentText()
        if envs is None or not name:
            return
        for v in envs.entries(name):
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, 0, QTableWidgetItem(v.name))
            value = "•••••• (secret)" if v.secret else (v.value or "")
            if v.secret and v.name in envs.missing_secrets(name):
                value = "(secret not available in this session — set it again)"
            self.table.setItem(r, 1, QTableWidgetItem(value))
            self.table.setItem(r, 2, QTableWidgetItem("yes" if v.secret else ""))
            for c in range(3):
                self.table.item(r, c).setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)

    def _ask_new_env(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("New environment")
        dialog.setLabelText("Name of the new environment (e.g. dev, prod):")
        dialog.textValueSelected.connect(self.add_environment)
        self._prompt = dialog
        dialog.open()

    def add_environment(self, name: str) -> bool:
        try:
            self.part.store.add(name.strip())
        except Exception as exc:
            self.message.setText(str(exc))
            return False
        self.message.clear()
        self.reload()
        self.env.setCurrentText(name.strip())
        self.changed.emit()
        return True

    def set_variable(self, name: str, value: str, secret: bool) -> bool:
        env = self.env.currentText()
        if not env:
            self.message.setText("Create an environment first (New environment…).")
            return False
        try:
            self.part.store.set_var(env, name.strip(), value, secret=secret)
        except Exception as exc:  # EnvironmentsError / SecretStoreError: sentences
            self.message.setText(str(exc))
            return False
        self.message.clear()
        self.reload_vars()
        self.changed.emit()
        return True

    def _set_var(self) -> None:
        if self.set_variable(self.var_name.text(), self.var_value.text(), self.var_secret.isChecked()):
            self.var_name.clear()
            self.var_value.clear()
            self.var_name.setFocus()

    def _delete_var(self) -> None:
        row = self.table.currentRow()
        env = self.env.currentText()
        if row < 0 or not env:
            return
        try:
            self.part.store.delete_var(env, self.table.item(row, 0).text())
        except Exception as exc:
            self.message.setText(str(exc))
            return
        self.reload_vars()
        self.changed.emit()


class EnvironmentBar(QWidget):
    """Toolbar part: ``environmentCombo`` + Edit… button. ``activated(str|None)`` when the user switches."""

    activated = Signal(object)
    edit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 0, 4, 0)
        label = QLabel("E&nvironment:", self)
        row.addWidget(label)
        self.combo = QComboBox(self)
        label.setBuddy(self.combo)
        self.combo.setObjectName("environmentCombo")
        self.combo.setAccessibleName("Active environment")
        self.combo.setMinimumContentsLength(12)
        self.combo.setToolTip("{{variables}} in the request are filled in from this environment when sending")
        self.edit = QPushButton("Edit…", self)
        self.edit.setObjectName("editEnvironmentsButton")
        self.edit.setAccessibleName("Edit environments")
        self.edit.setToolTip("Add environments and their variables; secrets go to the system keyring")
        row.addWidget(self.combo)
        row.addWidget(self.edit)
        self.set_names([], None)
        self.combo.currentIndexChanged.connect(lambda i: self.activated.emit(self.combo.itemData(i)))
        self.edit.clicked.connect(self.edit_requested)

    def set_names(self, names, active: str | None) -> None:
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(NO_ENV, None)
        for n in names:
            self.combo.addItem(n, n)
        i = self.combo.findData(active) if active else 0
        self.combo.setCurrentIndex(max(0, i))
        self.combo.blockSignals(False)
