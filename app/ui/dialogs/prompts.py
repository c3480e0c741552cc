"""Small non-modal questions the window's parts ask: a name, a file to open or save to, a yes/no.

Every dialog is opened with ``open()`` (never ``exec()``: the event loop and running requests keep going) and
kept alive here until the next one, and the answer arrives through a callback.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox, QWidget

from app.ui.widgets.plain_text import plain_tip


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.current: QDialog | None = None  # the open dialog (a Python reference keeps it alive)

    def _show(self, dialog: QDialog) -> QDialog:
        self.current = dialog
        dialog.open()
        return dialog

    def text(self, title: str, label: str, text: str, done: Callable[[str], None]) -> QInputDialog:
        dialog = QInputDialog(self.parent)
        dialog.setWindowTitle(title)
        dialog.setLabelText(plain_tip(label))  # the label may quote a file name: never HTML
        dialog.setTextValue(text)
        dialog.textValueSelected.connect(done)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return self._show(dialog)

    def open_file(self, title: str, filters: list[str], done: Callable[[str], None]) -> QFileDialog:
        dialog = QFileDialog(self.parent, title)
        dialog.setNameFilters(filters)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(done)
        return self._show(dialog)

    def save_file(self, title: str, filters: list[str], suffix: str, name: str,
                  done: Callable[[str], None]) -> QFileDialog:
        dialog = QFileDialog(self.parent, title)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(filters)
        dialog.setDefaultSuffix(suffix)
        dialog.selectFile(name)
        dialog.fileSelected.connect(done)
        return self._show(dialog)

    def confirm(self, title: str, text: str, action: str, done: Callable[[], None]) -> QMessageBox:
        """A question with Cancel and one destructive button labelled ``action``; ``done()`` only for that one."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the question may quote a file name
        yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.buttonClicked.connect(lambda button: done() if button is yes else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return self._show(box)
