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
    assert human_size(5 * 1024**4) == "5 TB"
    assert human_size(1e300) == "more than 1024 PB" and human_size(float("inf")) == "? B" and human_size(-1) == "? B"
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
    assert human_moment(1e300) == "after 9999-12-31 23:59:59"
    assert human_moment(1e300, utc=True) == "after 9999-12-31 23:59:59 UTC"
    assert human_moment(-1e300) == "before 0001-01-01 00:00:00"
    assert human_moment(float("inf")) == "unknown" and wall_clock(1e300) == "after 9999-12-31 23:59:59"
    assert datetime.fromtimestamp(at).strftime("%H:%M:%S") == wall_clock(at)


def test_long_and_absurd_durations_stay_short():
    assert human_duration(59.9994) == "59,999 ms"
    assert human_duration(150) == "2 min 30 s"
    assert human_duration(3 * 3600 + 5 * 60 + 7) == "3 h 5 min"
    assert human_duration(86400 + 7200) == "1 day 2 h"
    assert human_duration(1e297) == "more than 10,000 days"
    assert human_duration(float("inf")) == "—"
    assert clock_duration(1e300) == "99999:00:00" and clock_duration(float("inf")) == "0:00"


@given(st.one_of(st.none(), st.floats(), st.integers(min_value=-(10**400), max_value=10**400)))
def test_every_number_reads_in_a_few_words(x):
    """No number, however absurd, renders as hundreds of digits, "inf ms" or a traceback."""
    shown = [human_size(x), human_duration(x), human_moment(x), human_moment(x, utc=True, now=x)]
    if x is not None:
        shown += [clock_duration(x), wall_clock(x)]
    for text in shown:
        assert len(text) <= 40 and "inf" not in text and "nan" not in text, text
