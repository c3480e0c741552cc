"""A small waterfall of the exchange's phases: connect, TLS, request sent, waiting (first byte), download.

Phase names and durations read as in the CLI and the report (app.core.presentation, app.core.humanize).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.core.humanize import human_duration
from app.core.models import Timing
from app.core.presentation import TIMING_PHASES

_COLOURS = ("#3b82c4", "#8e5bc4", "#2f9e8f", "#d08a1e", "#4a9e3b")


class TimingChart(QWidget):
    """Horizontal bars, each starting where the previous phase ended; phases that did not happen show "—"."""

    ROW = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timingChart")
        self.setAccessibleName("Timing chart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._timing: Timing | None = None
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def set_timing(self, timing: Timing | None) -> None:
        self._timing = timing
        self.setAccessibleDescription(self.summary())
        self.setToolTip(self.summary())
        self.update()

    def rows(self) -> list[tuple[str, float | None, float]]:
        """(label, duration or None, start offset) per phase."""
        t = self._timing or Timing()
        out = []
        start = 0.0
        for attr, label in TIMING_PHASES:
            d = getattr(t, attr)
            out.append((label, d, start))
            if d is not None:
                start += max(0.0, d)
        return out

    def total(self) -> float:
        t = self._timing
        summed = sum(d for _, d, _ in self.rows() if d is not None)
        if t is not None and t.total is not None:
            return max(t.total, summed)
        return summed

    def summary(self) -> str:
        if self._timing is None:
            return "No timing yet."
        parts = [f"{label} {human_duration(d)}" for label, d, _ in self.rows()]
        return " · ".join(parts) + f" · total {human_duration(self.total())}"

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(480, self.ROW * (len(TIMING_PHASES) + 1) + 12)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(300, self.ROW * (len(TIMING_PHASES) + 1) + 12)

    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        fm = p.fontMetrics()
        label_w = max(fm.horizontalAdvance(label) for _, label in TIMING_PHASES) + 16
        value_w = fm.horizontalAdvance("99,999 ms") + 12
        bar_x = label_w
        bar_w = max(20, self.width() - label_w - value_w - 8)
        total = self.total() or 1.0
        if self._timing is None:
            p.setPen(text)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No timing yet.")
            return
        for i, (label, d, start) in enumerate(self.rows()):
            y = 6 + i * self.ROW
            p.setPen(text)
            p.drawText(QRectF(4, y, label_w - 8, self.ROW), Qt.AlignmentFlag.AlignVCenter, label)
            if d is not None:
                x0 = bar_x + bar_w * (start / total)
                w = max(2.0, bar_w * (max(0.0, d) / total))
                p.fillRect(QRectF(x0, y + 5, w, self.ROW - 10), QColor(_COLOURS[i]))
                vx = x0 + w + 6
            else:
                vx = bar_x
            p.setPen(text)
            p.drawText(QRectF(vx, y, value_w + 40, self.ROW), Qt.AlignmentFlag.AlignVCenter, human_duration(d))
        y = 6 + len(TIMING_PHASES) * self.ROW
        p.drawText(QRectF(4, y, self.width() - 8, self.ROW), Qt.AlignmentFlag.AlignVCenter,
                   f"Total {human_duration(self.total())}")
        p.end()
