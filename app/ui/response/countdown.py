"""The Retry-After countdown label: it ticks while an origin is held and fades out at zero.

The label does not keep time itself: the window calls ``set_state`` once a second with the shared
OriginGate's numbers, so tests drive it with injected values and never sleep. Its sentence is
app.core.presentation.countdown_sentence, its clock app.core.humanize.clock_duration.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, Qt, QTimer
from PySide6.QtWidgets import QGraphicsOpacityEffect, QLabel, QWidget

from app.core.presentation import FREE_NOTICE, countdown_sentence
from app.ui.widgets.plain_text import plain_tip


class CountdownLabel(QLabel):
    """Shows "⏱ POST allowed again in 0:42 (at 14:05:31)" while an origin is held; at zero a quiet notice fades out.

    ``notice_ms`` is how long the "POST allowed again" notice stays before fading (tests shorten it).
    """

    def __init__(self, parent: QWidget | None = None, notice_ms: int = 4000) -> None:
        super().__init__(parent)
        self.setObjectName("retryCountdown")
        self.setTextFormat(Qt.TextFormat.PlainText)  # the origin comes from a typed or imported URL
        self.setAccessibleName("Retry-After countdown")
        self.notice_ms = notice_ms
        self._active = False
        self._origin: str | None = None
        self._effect = QGraphicsOpacityEffect(self)
        self._effect.setOpacity(1.0)
        self.setGraphicsEffect(self._effect)
        self._fade = QPropertyAnimation(self._effect, b"opacity", self)
        self._fade.setDuration(800)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._fade.finished.connect(self._faded)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self._fade.start)
        self.hide()

    @property
    def active(self) -> bool:
        """True while a countdown (not the notice) is shown."""
        return self._active

    def set_state(self, remaining_s: float | None, until_epoch: float | None, origin: str | None = None) -> None:
        """Show the countdown while ``remaining_s`` > 0; on the step to None/0 show the notice, then fade."""
        if remaining_s is not None and remaining_s > 0:
            self._notice_timer.stop()
            self._fade.stop()
            self._effect.setOpacity(1.0)
            self._active = True
            self._origin = origin
            self.setText(self._glyph("⏱") + countdown_sentence(remaining_s, until_epoch))
            tip = "The API asked to wait (Retry-After) before the next POST"
            if origin:
                tip += f" to {origin}"
            self.setToolTip(plain_tip(tip + ". A GET is not held back."))
            self.setAccessibleDescription(self.text())
            self.show()
            return
        if self._active:
            self._active = False
            self.setText(self._glyph("✓") + FREE_NOTICE + (f" to {self._origin}" if self._origin else ""))
            self.setAccessibleDescription(self.text())
            self.setToolTip("")
            self._notice_timer.start(self.notice_ms)
        # else: nothing shown (or the notice keeps fading on its own)

    def _glyph(self, char: str) -> str:
        """``char`` + space when the label's font can draw it (no tofu boxes on bare systems), else ""."""
        from PySide6.QtGui import QFontMetrics

        return char + " " if QFontMetrics(self.font()).inFontUcs4(ord(char)) else ""

    def _faded(self) -> None:
        self.hide()
        self.setText("")
        self._effect.setOpacity(1.0)
