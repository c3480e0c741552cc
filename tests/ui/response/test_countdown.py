"""The countdown sentence and the label's show / notice / hide cycle, with injected values (no sleeping)."""

from __future__ import annotations

import time

from hypothesis import given, strategies as st

from app.ui.response.countdown import CountdownLabel, format_countdown, format_duration


def test_format_countdown_matches_the_story():
    until = time.mktime((2024, 5, 6, 14, 5, 31, 0, 0, -1))  # local time
    assert format_countdown(42, until) == "POST allowed again in 0:42 (at 14:05:31)"
    assert format_countdown(41.2, None) == "POST allowed again in 0:42"


def test_hours_and_rounding():
    assert format_duration(3723) == "1:02:03"
    assert format_duration(59.01) == "1:00"
    assert format_duration(0) == "0:00"
    assert format_duration(-5) == "0:00"
    assert format_duration(86400) == "24:00:00"


@given(st.floats(min_value=0, max_value=10 * 86400, allow_nan=False))
def test_duration_never_understates(seconds):
    parts = [int(p) for p in format_duration(seconds).split(":")]
    total = 0
    for p in parts:
        total = total * 60 + p
    assert seconds - 1e-6 <= total < seconds + 1 + 1e-6


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
        shown = format_duration(left)  # what the countdown beside it says, e.g. "0:41"
        minutes, secs = shown.split(":")
        assert f"wait {int(minutes) * 60 + int(secs)} s before the next POST" in bar.text.text(), (left, shown)
