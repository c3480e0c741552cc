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
