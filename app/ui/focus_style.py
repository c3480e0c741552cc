"""The application's visible keyboard focus: a style wrapped around the platform's.

Installed with the window's second stage (after the first paint): QStyle's many enums cost tens of milliseconds
to create in PySide6, and the first paint draws no focus rectangle this style changes (the URL bar's frame is the
platform's own).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

FOCUS_FRAME_WIDTH = 2


def _focus_pen_colour(palette: QPalette, background: QColor | None = None) -> QColor:
    """The palette's highlight, or its highlighted-text colour on something painted in the highlight (the Send
    button, a selected row)."""
    highlight = palette.color(QPalette.ColorRole.Highlight)
    if highlight in (background, palette.color(QPalette.ColorRole.Button)):
        return palette.color(QPalette.ColorRole.HighlightedText)
    return highlight


def _draw_focus_frame(painter, rect, palette: QPalette, background: QColor | None = None) -> None:
    painter.save()
    pen = QPen(_focus_pen_colour(palette, background), FOCUS_FRAME_WIDTH)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    half = FOCUS_FRAME_WIDTH // 2
    painter.drawRect(rect.adjusted(half, half, -half, -half))
    painter.restore()


class FocusFrameStyle(QProxyStyle):
    """The platform's style with a clearly visible keyboard focus: a 2 px frame in the highlight colour around the
    current cell of a table or list, a tab, a check box (every focus rectangle) and a push button. Fusion's own
    focus marks (a dotted line, a faint outline) were hard to see, light and dark."""

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt name)
        if element == QStyle.PrimitiveElement.PE_FrameFocusRect:
            _draw_focus_frame(painter, option.rect, option.palette, getattr(option, "backgroundColor", None))
            return
        super().drawPrimitive(element, option, painter, widget)

    def drawControl(self, element, option, painter, widget=None) -> None:  # noqa: N802 (Qt name)
        super().drawControl(element, option, painter, widget)
        if element == QStyle.ControlElement.CE_PushButton and option.state & QStyle.StateFlag.State_HasFocus:
            _draw_focus_frame(painter, option.rect.adjusted(1, 1, -1, -1), option.palette)


def install_focus_style(app: QApplication | None = None) -> None:
    """Wrap the application's style in ``FocusFrameStyle`` (once)."""
    app = app or QApplication.instance()
    if app is None or isinstance(app.style(), FocusFrameStyle):
        return
    app.setStyle(FocusFrameStyle(app.style().name()))


