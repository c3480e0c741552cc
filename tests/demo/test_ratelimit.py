"""The sliding-window POST limiter, on a manual clock."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.clock import ManualClock
from app.demo.ratelimit import SlidingWindowLimiter


def test_limit_then_free_one_slot_at_a_time():
    clock = ManualClock(0)
    limiter = SlidingWindowLimiter(2, 10, clock)
    assert limiter.hit().remaining == 1
    clock.advance(3)
    second = limiter.hit()
    assert second.allowed and second.remaining == 0 and second.reset_seconds == 7
    refused = limiter.hit()
    assert not refused.allowed and refused.reset_seconds == 7
    clock.advance(7)  # the first hit is exactly one window old: its slot is free
    assert limiter.hit().allowed
    assert not limiter.hit().allowed


def test_headers_have_both_forms():
    limiter = SlidingWindowLimiter(5, 60, ManualClock(0))
    headers = dict(limiter.hit().headers())
    assert headers == {
        "X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4", "X-RateLimit-Reset": "60",
        "RateLimit-Policy": '"orders";q=5;w=60', "RateLimit": '"orders";r=4;t=60',
    }


@pytest.mark.parametrize("limit, window", [(0, 10), (1, 0), (-1, 5)])
def test_nonsense_settings_are_refused(limit, window):
    with pytest.raises(ValueError):
        SlidingWindowLimiter(limit, window, ManualClock(0))


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 5), steps=st.lists(st.floats(0, 30, allow_nan=False), max_size=30))
def test_never_more_than_limit_in_any_window(limit, steps):
    clock = ManualClock(0)
    limiter = SlidingWindowLimiter(limit, 10, clock)
    allowed_at = []
    for step in steps:
        clock.advance(step)
        decision = limiter.hit()
        assert 0 <= decision.remaining <= limit
        if decision.allowed:
            allowed_at.append(clock.now())
        else:
            assert decision.reset_seconds >= 1
    for t in allowed_at:
        assert sum(1 for u in allowed_at if t - 10 < u <= t) <= limit
