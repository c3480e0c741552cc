"""The countdown label's show / notice / hide cycle, with injected values (no sleeping)."""

from __future__ import annotations

import time

from app.core.humanize import clock_duration
from app.ui.response.countdown import CountdownLabel


def test_label_ticks_then_shows_quiet_notice_then_hides(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    label = CountdownLabel(parent, notice_ms=50)
    parent.show()
    label.set_state(None, None, None)
    assert label.isHidden()
    now = time.time()
    label.set_state(42, now + 42, "http://127.0.0.1:8080")
    assert not label.isHidden() and label.active
    assert "POST allowed again in 0:42 (at " in label.text()
    assert "127.0.0.1:8080" in label.toolTip()
    label.set_state(1.5, now + 1.5, "http://127.0.0.1:8080")
    assert "0:02" in label.text()
    label.set_state(0, None, None)
    assert not label.active
    assert label.text().lstrip("✓ ").startswith("POST allowed again")
    assert not label.isHidden()
    qtbot.waitUntil(label.isHidden, timeout=3000)
    # a new hold after the fade shows again at full opacity
    label.set_state(10, None, None)
    assert not label.isHidden() and label.text().lstrip("⏱ ") == "POST allowed again in 0:10"


def test_post_guard_bar_and_countdown_name_the_same_whole_seconds(qtbot):
    from app.ui.request.request_tab import ConfirmBar

    bar = ConfirmBar()
    qtbot.addWidget(bar)
    for left in (40.4, 41.0, 0.3):
        bar.set_remaining(left, False)
        shown = clock_duration(left)  # what the countdown beside it says, e.g. "0:41"
        minutes, secs = shown.split(":")
        assert f"wait {int(minutes) * 60 + int(secs)} s before the next POST" in bar.text.text(), (left, shown)
