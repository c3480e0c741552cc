"""Masking of secret header values on screen (the data underneath is never changed).

``masked_value("Authorization", "Bearer abc")`` -> "Bearer ••••••••"; cookies keep their names and attributes;
any other secret header (app.core.redact.is_secret_header) shows only dots. ``eye_button()`` is the
"Show secrets" toggle placed next to every table or field that masks.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from app.core.redact import is_secret_header

DOTS = "••••••••"
_COOKIE_ATTRIBUTES = {"path", "domain", "expires", "max-age", "secure", "httponly", "samesite", "partitioned",
                      "priority"}


def _mask_cookie_pairs(value: str, set_cookie: bool) -> str:
    out = []
    for i, piece in enumerate(value.split(";")):
        piece = piece.strip()
        if not piece:
            continue
        name, eq, _ = piece.partition("=")
        if set_cookie and i > 0 and name.strip().lower() in _COOKIE_ATTRIBUTES:
            out.append(piece)  # Path=/; HttpOnly ... are not secret and help reading the row
        else:
            out.append(f"{name.strip()}={DOTS}" if eq else DOTS)
    return "; ".join(out)


def masked_value(name: str, value: str) -> str:
    """What the screen shows for header ``name`` = ``value`` while secrets are hidden."""
    if not value or not is_secret_header(name):
        return value
    low = name.strip().lower()
    if low in ("authorization", "proxy-authorization"):
        scheme, sep, rest = value.strip().partition(" ")
        return f"{scheme} {DOTS}" if sep and scheme and rest.strip() else DOTS
    if low in ("cookie", "set-cookie"):
        return _mask_cookie_pairs(value, low == "set-cookie")
    return DOTS


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
