"""Origins, rate-limit headers and the per-origin POST gate (time advanced by a ManualClock, never slept)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.clock import ManualClock
from app.core.rate_limit import OriginGate, RateLimitInfo, origin_of, parse_rate_limit
from app.core.retry_after import parse_retry_after

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:8080/orders?x=1", "http://127.0.0.1:8080"),
        ("HTTP://Example.COM:80/x", "http://example.com"),
        ("https://api.example.com:443/v1", "https://api.example.com"),
        ("https://api.example.com:80/v1", "https://api.example.com:80"),
        ("http://api.example.com:443/", "http://api.example.com:443"),
        ("https://user:secret@Host.example:8443/p", "https://host.example:8443"),
        ("http://[::1]:8080/", "http://[::1]:8080"),
        ("http://[::1]/", "http://[::1]"),
        ("  http://a.example/  ", "http://a.example"),
        ("http://a.example#frag", "http://a.example"),
    ],
)
def test_origin_of(url: str, origin: str) -> None:
    assert origin_of(url) == origin


@pytest.mark.parametrize("junk", ["", "   ", "not a url", " example.com/path ", "http://x:99999/", "http://[::1",
                                  "file:///tmp/x", "http://", "://x"])
def test_origin_of_junk_returns_the_input_stripped(junk: str) -> None:
    assert origin_of(junk) == junk.strip()


@given(st.text(max_size=100))
def test_origin_of_never_raises(text: str) -> None:
    assert isinstance(origin_of(text), str)


# --------------------------------------------------------------------------- headers
def test_no_rate_limit_headers_gives_none() -> None:
    assert parse_rate_limit((("Content-Type", "application/json"),), NOW) is None
    assert parse_rate_limit((), NOW) is None
    assert parse_rate_limit((("X-RateLimit-Limit", "lots"),), NOW) is None


def test_older_draft_fields() -> None:
    headers = (("RateLimit-Limit", "100"), ("RateLimit-Remaining", "50"), ("RateLimit-Reset", "30"))
    assert parse_rate_limit(headers, NOW) == RateLimitInfo(100, 50, 30.0, None, "RateLimit")


def test_older_draft_with_quota_policy_in_limit_and_policy_header() -> None:
    headers = (("ratelimit-limit", "100, 100;w=60, 1000;w=3600"), ("RateLimit-Remaining", "9"),
               ("RateLimit-Reset", "5"), ("RateLimit-Policy", " 100;w=60 "))
    info = parse_rate_limit(headers, NOW)
    assert info == RateLimitInfo(100, 9, 5.0, "100;w=60", "RateLimit", 60.0)


def test_structured_form_with_policy() -> None:
    headers = (("RateLimit", '"default";r=50;t=30'), ("RateLimit-Policy", '"burst";q=10;w=1, "default";q=100;w=60'))
    info = parse_rate_limit(headers, NOW)
    assert info is not None
    assert (info.limit, info.remaining, info.reset_seconds, info.window_seconds, info.source) == (100, 50, 30.0, 60.0,
                                                                                                  "RateLimit")
    assert info.policy == '"burst";q=10;w=1, "default";q=100;w=60'
    assert info.describe() == "50 of 100 requests left; the limit resets in 30 s (window 1 min)."


def test_structured_form_without_policy() -> None:
    info = parse_rate_limit((("RateLimit", "default;r=0;t=12"),), NOW)
    assert info == RateLimitInfo(None, 0, 12.0, None, "RateLimit")
    assert info.describe() == "0 requests left; the limit resets in 12 s."


def test_unreadable_structured_form_falls_back_to_other_headers() -> None:
    headers = (("RateLimit", "garbage"), ("X-RateLimit-Remaining", "3"))
    assert parse_rate_limit(headers, NOW) == RateLimitInfo(None, 3, None, None, "X-RateLimit")


@pytest.mark.parametrize(
    ("reset", "seconds"),
    [("30", 30.0), ("0", 0.0), (str(int(NOW) + 45), 45.0), (str(int(NOW) - 100), 0.0),
     (str(int(NOW * 1000) + 2500), 2.5), ("1.5", 1.5), ("soon", None)],
)
def test_x_rate_limit_reset_seconds_or_epoch(reset: str, seconds: float | None) -> None:
    headers = (("X-RateLimit-Limit", "60"), ("X-RateLimit-Remaining", "59"), ("X-RateLimit-Reset", reset))
    info = parse_rate_limit(headers, NOW)
    assert info is not None and info.source == "X-RateLimit"
    assert (info.limit, info.remaining) == (60, 59)
    assert info.reset_seconds == (pytest.approx(seconds) if seconds is not None else None)


def test_ietf_headers_win_over_x_headers() -> None:
    headers = (("X-RateLimit-Remaining", "1"), ("RateLimit-Remaining", "2"))
    assert parse_rate_limit(headers, NOW).remaining == 2


@given(st.lists(st.tuples(st.sampled_from(["RateLimit", "RateLimit-Policy", "RateLimit-Limit", "RateLimit-Reset",
                                            "X-RateLimit-Reset", "X-RateLimit-Limit", "Other"]),
                          st.text(max_size=60)), max_size=6),
       st.floats(allow_nan=True, allow_infinity=True))
def test_parse_rate_limit_never_raises(headers, now) -> None:
    info = parse_rate_limit(tuple(headers), now)
    if info is not None:
        info.describe()
        info.to_json()


# --------------------------------------------------------------------------- gate
def test_gate_holds_posts_until_retry_after_passes() -> None:
    clock = ManualClock(NOW)
    gate = OriginGate(clock)
    gate.record("http://127.0.0.1:8080/orders", parse_retry_after("30", clock.now()))
    other_path_same_origin = "HTTP://127.0.0.1:8080/customers/7"
    assert gate.allowed_at(other_path_same_origin) == NOW + 30
    assert gate.remaining(other_path_same_origin) == 30
    assert gate.must_confirm("POST", other_path_same_origin)
    assert gate.must_confirm("post", other_path_same_origin)
    assert not gate.must_confirm("GET", other_path_same_origin)
    assert not gate.must_confirm("PUT", other_path_same_origin)
    assert not gate.must_confirm("POST", "http://127.0.0.1:8081/orders")  # another origin
    assert gate.allowed_at("http://127.0.0.1:8081/orders") is None

    clock.advance(29.5)
    assert gate.remaining(other_path_same_origin) == pytest.approx(0.5)
    assert gate.must_confirm("POST", other_path_same_origin)

    clock.advance(0.5)
    assert gate.allowed_at(other_path_same_origin) is None
    assert gate.remaining(other_path_same_origin) == 0
    assert not gate.must_confirm("POST", other_path_same_origin)


def test_a_running_wait_is_never_shortened_but_can_grow() -> None:
    clock = ManualClock(NOW)
    gate = OriginGate(clock)
    gate.record("http://a.example/orders", parse_retry_after("57", clock.now()))  # the POST's 429
    clock.advance(10)
    gate.record("http://a.example/status", parse_retry_after("30", clock.now()))  # a GET's shorter wait
    assert gate.remaining("http://a.example/") == 47
    clock.advance(30)
    assert gate.must_confirm("POST", "http://a.example/")  # the early release would have been refused again
    gate.record("http://a.example/x", parse_retry_after("600", clock.now()))
    assert gate.remaining("http://a.example/") == 600
    clock.advance(600)
    assert not gate.must_confirm("POST", "http://a.example/")


def test_zero_wait_does_not_hold() -> None:
    clock = ManualClock(NOW)
    gate = OriginGate(clock)
    gate.record("http://a.example/", parse_retry_after("0", clock.now()))
    assert gate.allowed_at("http://a.example/") is None


def test_expired_origins_are_forgotten_and_live_ones_kept() -> None:
    clock = ManualClock(NOW)
    gate = OriginGate(clock)
    gate.record("http://a.example/", parse_retry_after("10", clock.now()))
    gate.record("https://b.example:443/", parse_retry_after("100", clock.now()))
    clock.advance(50)
    assert gate.allowed_at("http://a.example/") is None
    assert gate.allowed_at("https://b.example/") == NOW + 100


def test_unknown_origin_is_free() -> None:
    gate = OriginGate(ManualClock(NOW))
    assert gate.allowed_at("http://nowhere.example/") is None
    assert gate.remaining("http://nowhere.example/") == 0
    assert not gate.must_confirm("POST", "http://nowhere.example/")
    assert not gate.must_confirm(None, "http://nowhere.example/")  # type: ignore[arg-type]
