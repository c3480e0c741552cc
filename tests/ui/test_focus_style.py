"""The visible keyboard focus (app/ui/focus_style.py)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def _grab_focused(qtbot, widget):
    from PySide6.QtWidgets import QApplication

    qtbot.addWidget(widget)
    widget.resize(160, 40)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    QApplication.processEvents()
    return widget.grab().toImage()


def test_focus_frame_is_drawn_on_a_focused_button(qtbot):
    from PySide6.QtWidgets import QApplication, QPushButton

    from app.ui.focus_style import FocusFrameStyle, install_focus_style

    install_focus_style()
    install_focus_style()  # once
    assert isinstance(QApplication.instance().style(), FocusFrameStyle)
    button = QPushButton("Details")
    image = _grab_focused(qtbot, button)
    highlight = button.palette().color(QPalette.ColorRole.Highlight)
    edge = [image.pixelColor(x, 2) for x in range(10, 150)]  # just inside the button's top edge
    assert sum(c == highlight for c in edge) > 100  # a solid line in the highlight colour, not a faint dotted one


def test_focus_frame_on_a_selected_row_uses_the_highlighted_text_colour(qapp):
    from app.ui.focus_style import _focus_pen_colour

    p = QPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2a82da"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Button, QColor("#3a3a3a"))
    assert _focus_pen_colour(p).name() == "#2a82da"  # on a plain cell: the highlight
    assert _focus_pen_colour(p, QColor("#2a82da")).name() == "#ffffff"  # on a selected (highlighted) row
