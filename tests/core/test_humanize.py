"""Sizes, measured durations, countdown clocks and moments, as every face shows them."""

from __future__ import annotations

import time
from datetime import datetime

from hypothesis import given, strategies as st

from app.core.humanize import clock_duration, human_duration, human_moment, human_size, wall_clock


def test_human_size():
    assert human_size(96) == "96 B"
    assert human_size(1536) == "1.5 KB"
    assert human_size(348160) == "340 KB"
    assert human_size(100 * 1024 * 1024) == "100 MB"
    assert human_size(5 * 1024**4) == "5120 GB"
    assert human_size(None) == "? B"


def test_human_duration():
    assert human_duration(0.0025) == "2.5 ms"
    assert human_duration(0.0381) == "38 ms"
    assert human_duration(1.2345) == "1,234 ms"
    assert human_duration(None) == "—" and human_duration(float("nan")) == "—"


def test_clock_duration_hours_and_rounding():
    assert clock_duration(42) == "0:42"
    assert clock_duration(3723) == "1:02:03"
    assert clock_duration(59.01) == "1:00"
    assert clock_duration(0) == "0:00"
    assert clock_duration(-5) == "0:00"
    assert clock_duration(86400) == "24:00:00"


@given(st.floats(min_value=0, max_value=10 * 86400, allow_nan=False))
def test_clock_duration_never_understates(seconds):
    parts = [int(p) for p in clock_duration(seconds).split(":")]
    total = 0
    for p in parts:
        total = total * 60 + p
    assert seconds - 1e-6 <= total < seconds + 1 + 1e-6


def test_moments():
    at = time.mktime((2024, 5, 6, 14, 5, 31, 0, 0, -1))  # local time
    assert wall_clock(at) == "14:05:31"
    assert human_moment(at, now=at + 60) == "14:05:31"
    assert human_moment(at, now=at + 3 * 86400) == "2024-05-06 14:05:31"
    assert human_moment(at) == "2024-05-06 14:05:31"
    assert human_moment(1715679120.0, utc=True) == "2024-05-14 09:32:00 UTC"
    assert human_moment(None) == "unknown"
    assert human_moment(1e300) == "1e+300"
    assert datetime.fromtimestamp(at).strftime("%H:%M:%S") == wall_clock(at)
