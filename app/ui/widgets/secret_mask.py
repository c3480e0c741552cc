"""Masking of secrets on screen (the data underneath is never changed), by app.core.redact's one table.

``masked_value("Authorization", "Bearer abc")`` -> "Bearer ••••••••"; cookies keep their names and attributes;
URL headers (Location, Referer) keep all but secret query/fragment values; any other secret header shows only dots.
``masked_url`` does the same for a URL shown in a list, a title or a label (``?access_token=••••••••``, a userinfo
password), ``masked_text`` for free text such as notes. ``eye_button()`` is the "Show secrets" toggle placed next to
every table, list or field that masks; until it is pressed, secrets are masked.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from app.core.redact import mask_header_value, redact_text, redact_url

DOTS = "••••••••"


def masked_value(name: str, value: str) -> str:
    """What the screen shows for header ``name`` = ``value`` while secrets are hidden."""
    return mask_header_value(name, value, DOTS)


def masked_url(url: str) -> str:
    """A URL as the screen shows it while secrets are hidden: secret query/fragment values and a password dotted."""
    return redact_url(url, mask=DOTS)[0]


def masked_text(text: str) -> str:
    """Free text (notes, error details) as the screen shows it while secrets are hidden."""
    return redact_text(text, mask=DOTS)[0]


def _eye_icon(widget: QWidget | None) -> QIcon:
    palette = widget.palette() if widget is not None else QApplication.palette()
    icon = QIcon()
    for size in (16, 24, 32):
        pix = QPixmap(size, size)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(palette.color(QPalette.ColorRole.ButtonText))
        pen.setWidthF(max(1.2, size / 14))
        p.setPen(pen)
        s = float(size)
        r = QRectF(s * 0.08, s * 0.25, s * 0.84, s * 0.5)
        p.drawArc(r, 20 * 16, 140 * 16)
        p.drawArc(r, 200 * 16, 140 * 16)
        p.setBrush(palette.color(QPalette.ColorRole.ButtonText))
        p.drawEllipse(QPointF(s / 2, s / 2), s * 0.13, s * 0.13)
        p.end()
        icon.addPixmap(pix)
    return icon


def eye_button(parent: QWidget | None = None, object_name: str = "showSecretsButton") -> QToolButton:
    """A checkable "Show secrets" tool button (accessible name "Show secret values")."""
    button = QToolButton(parent)
    button.setObjectName(object_name)
    button.setCheckable(True)
    button.setText("Show secrets")
    button.setIcon(_eye_icon(parent))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setAutoRaise(True)
    button.setAccessibleName("Show secret values")
    button.setToolTip("Show the values of Authorization, Cookie, API keys and tokens in clear text.\n"
                      "They are masked on screen only; what is sent is never changed.")
    return button
