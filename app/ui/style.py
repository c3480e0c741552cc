"""Colours and icons shared by the response view and the request editor's header table, and the primary (Send)
button look (the visible keyboard focus is app/ui/focus_style.py).

Colours are picked for the current palette: darker shades on a light window, lighter ones on a dark window,
so a status line or a marked header row stays readable in both. Severity is never shown by colour alone:
every marked row also carries an icon and a tooltip.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

# (light-palette colour, dark-palette colour)
_SEVERITY = {
    "error": ("#b3261e", "#ff8a80"),
    "warning": ("#a35200", "#ffb74d"),
    "info": ("#1a5fb4", "#8ab4f8"),
}
_STATUS_CLASS = {
    1: ("#555555", "#bbbbbb"),
    2: ("#1e7b34", "#7ddc8a"),
    3: ("#1a5fb4", "#8ab4f8"),
    4: ("#a35200", "#ffb74d"),
    5: ("#b3261e", "#ff8a80"),
}
_ERROR = ("#b3261e", "#ff8a80")  # no response at all
_NEUTRAL = ("#555555", "#bbbbbb")
# Row backgrounds behind marked header rows: a faint tint of the severity colour.
_ROW_TINT_ALPHA = 48


def _palette(palette: QPalette | None) -> QPalette:
    if palette is not None:
        return palette
    app = QApplication.instance()
    return app.palette() if app is not None else QPalette()


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the window background is dark (system dark mode)."""
    return _palette(palette).color(QPalette.ColorRole.Window).lightness() < 128


def _pick(pair: tuple[str, str], palette: QPalette | None) -> QColor:
    return QColor(pair[1] if is_dark(palette) else pair[0])


def severity_color(severity: str, palette: QPalette | None = None) -> QColor:
    """Text colour for a finding of ``severity`` ("error", "warning", "info"); unknown -> neutral."""
    return _pick(_SEVERITY.get(severity, _NEUTRAL), palette)


def severity_background(severity: str, palette: QPalette | None = None) -> QColor:
    """A faint row tint for a marked header row (readable under the normal text colour)."""
    c = severity_color(severity, palette)
    c.setAlpha(_ROW_TINT_ALPHA)
    return c


def severity_icon(severity: str) -> QIcon:
    """The platform's standard critical / warning / information icon."""
    from PySide6.QtWidgets import QStyle

    app = QApplication.instance()
    style = app.style() if app is not None else None
    if style is None:
        return QIcon()
    pixmap = {
        "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
        "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    }.get(severity, QStyle.StandardPixmap.SP_MessageBoxInformation)
    return style.standardIcon(pixmap)


def status_color(code: int | None, palette: QPalette | None = None) -> QColor:
    """Status-line colour by class: 2xx green, 3xx blue, 4xx orange, 5xx red; None (no response) red."""
    if code is None:
        return _pick(_ERROR, palette)
    return _pick(_STATUS_CLASS.get(code // 100, _NEUTRAL), palette)


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def worst_severity(severities) -> str | None:
    """The most severe of ``severities`` (an iterable of strings), None when empty."""
    best: str | None = None
    for s in severities:
        if best is None or SEVERITY_ORDER.get(s, 3) < SEVERITY_ORDER.get(best, 3):
            best = s
    return best


# ---------------------------------------------------------------------- keyboard focus and the primary action
def make_primary(button) -> None:
    """Paint ``button`` as the window's main action: the palette's highlight colour with its text colour (blue
    and white in most light and dark palettes), bold. A palette, not a style sheet, so the platform's button
    shape, hover and pressed looks stay."""
    palette = button.palette()
    active = QPalette.ColorGroup.Active  # some palettes grey the inactive highlight: keep it blue when unfocused
    fill = palette.color(active, QPalette.ColorRole.Highlight)
    text = palette.color(active, QPalette.ColorRole.HighlightedText)
    for group in (active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Button, fill)
        palette.setColor(group, QPalette.ColorRole.ButtonText, text)
    button.setPalette(palette)
    font = button.font()
    font.setBold(True)
    button.setFont(font)
