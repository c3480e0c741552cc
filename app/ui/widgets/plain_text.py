"""User data on screen is plain text: Qt renders a label or tooltip that "might be rich text" as HTML.

A HAR method, a header value, a reason phrase or a server's message such as ``<img src="file:///...">`` would
otherwise be drawn as markup (and load a local image). Labels that show such data are made with
``plain_label`` (or get ``Qt.TextFormat.PlainText``); tooltips, which have no format setting, go through
``plain_tip``, which turns text Qt would take for HTML into HTML that shows it literally and leaves the rest alone.
"""

from __future__ import annotations

from PySide6.QtGui import Qt  # QtGui's Qt namespace also has mightBeRichText and convertFromPlainText
from PySide6.QtWidgets import QLabel, QWidget


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` literally (HTML-looking text is escaped; other text is returned unchanged)."""
    if not text or not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpacePre)


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label
