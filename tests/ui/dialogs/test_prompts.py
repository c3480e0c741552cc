"""Prompts are non-modal and show file names literally (a saved request named like markup stays text)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.ui.dialogs.prompts import Prompts

NAME = '<img src="file:///etc/hostname"><b>orders</b>.http'


def test_questions_quote_names_as_text_and_never_block(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    prompts = Prompts(parent)
    answers = []
    box = prompts.confirm("Delete saved request", f"Delete {NAME}?", "Delete", lambda: answers.append("yes"))
    assert box.isVisible() and box.windowModality() != Qt.WindowModality.ApplicationModal
    assert box.textFormat() == Qt.TextFormat.PlainText
    next(b for b in box.buttons() if b.text() == "Delete").click()
    assert answers == ["yes"]

    dialog = prompts.text("Rename", f"New name for {NAME}:", NAME, answers.append)
    label = next(lb for lb in dialog.findChildren(QLabel) if "orders" in lb.text())
    assert "&lt;b&gt;" in label.text() or label.textFormat() == Qt.TextFormat.PlainText  # shown, not rendered
    assert prompts.current is dialog
    dialog.setTextValue("renamed")
    dialog.accept()
    assert answers[-1] == "renamed"
