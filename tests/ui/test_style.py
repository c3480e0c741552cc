"""Palette-aware colours and standard icons."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from app.ui.style import is_dark, severity_color, severity_icon, status_color, worst_severity


def _palette(window: str) -> QPalette:
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor(window))
    return p


def test_status_classes_differ_and_follow_the_palette(qapp):
    light, dark = _palette("#ffffff"), _palette("#202020")
    assert not is_dark(light) and is_dark(dark)
    colours = {status_color(c, light).name() for c in (200, 301, 415, 503)}
    assert len(colours) == 4
    # green for 2xx, red-ish for 5xx
    assert status_color(200, light).green() > status_color(200, light).red()
    assert status_color(503, light).red() > status_color(503, light).green()
    # dark palette colours are lighter than light-palette ones (readable on a dark window)
    for code in (200, 301, 415, 503, None):
        assert status_color(code, dark).lightness() > status_color(code, light).lightness()


def test_severity_colour_and_icon(qapp):
    light = _palette("#ffffff")
    assert severity_color("error", light) != severity_color("warning", light)
    assert severity_color("nonsense", light).isValid()
    for s in ("error", "warning", "info"):
        assert not severity_icon(s).isNull()


def test_worst_severity():
    assert worst_severity([]) is None
    assert worst_severity(["info", "error", "warning"]) == "error"
    assert worst_severity(["info", "warning"]) == "warning"


def test_primary_button_uses_the_highlight_in_light_and_dark_palettes(qtbot):
    from PySide6.QtWidgets import QPushButton

    from app.ui.style import make_primary

    for window, highlight, text in (("#ffffff", "#308cc6", "#ffffff"), ("#202020", "#2a82da", "#000000")):
        button = QPushButton("Send")
        qtbot.addWidget(button)
        p = button.palette()
        p.setColor(QPalette.ColorRole.Window, QColor(window))
        p.setColor(QPalette.ColorRole.Highlight, QColor(highlight))
        p.setColor(QPalette.ColorRole.HighlightedText, QColor(text))
        button.setPalette(p)
        make_primary(button)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            assert button.palette().color(group, QPalette.ColorRole.Button).name() == highlight
            assert button.palette().color(group, QPalette.ColorRole.ButtonText).name() == text
        assert button.font().bold()
