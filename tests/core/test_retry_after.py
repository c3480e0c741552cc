"""Retry-After: delay-seconds, the three HTTP-date forms, clamping, invalid values (never raising)."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.retry_after import (
    MAX_RETRY_AFTER_SECONDS,
    RetryAfter,
    describe_wait,
    parse_http_date,
    parse_retry_after,
    to_json,
)

NOW = 1_700_000_000.0  # 2023-11-14T22:13:20Z
EPOCH_1994 = calendar.timegm((1994, 11, 6, 8, 49, 37, 0, 0, 0))
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LONG_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def imf(dt: datetime) -> str:
    return f"{DAYS[dt.weekday()]}, {dt.day:02d} {MONTHS[dt.month - 1]} {dt.year:04d} {dt:%H:%M:%S} GMT"


def rfc850(dt: datetime) -> str:
    return f"{LONG_DAYS[dt.weekday()]}, {dt.day:02d}-{MONTHS[dt.month - 1]}-{dt.year % 100:02d} {dt:%H:%M:%S} GMT"


def asctime(dt: datetime) -> str:
    return f"{DAYS[dt.weekday()]} {MONTHS[dt.month - 1]} {dt.day:2d} {dt:%H:%M:%S} {dt.year:04d}"


@pytest.mark.parametrize(
    "value",
    [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "sun, 06 nov 1994 08:49:37 gmt",  # names are matched case-insensitively
        "  Sun, 06 Nov 1994 08:49:37 GMT ",
    ],
)
def test_the_three_date_forms_parse_to_the_same_instant(value: str) -> None:
    assert parse_http_date(value, now=NOW) == EPOCH_1994


@pytest.mark.parametrize(
    "value",
    ["", "soon", "Mon, 32 Foo 2020 00:00:00 GMT", "Mon, 32 Nov 2020 00:00:00 GMT", "Mon, 29 Feb 2023 00:00:00 GMT",
     "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:61:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
     "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun Nov  6 08:49:37 94",
     "2023-11-14T22:13:20Z", "Sun, 06 Nov 1994 08:49:37 GMT trailing", "Sun, 06 Nov 1994 08:49:37 GMT" * 40],
)
def test_invalid_dates_give_none(value: str) -> None:
    assert parse_http_date(value, now=NOW) is None


def test_rfc850_two_digit_year_more_than_50_years_ahead_is_previous_century() -> None:
    now_2023 = NOW
    # "70" -> 2070, 47 years ahead of 2023: not more than 50, so it stays in this century.
    assert datetime.fromtimestamp(parse_http_date("Tuesday, 01-Jan-70 00:00:00 GMT", now=now_2023), timezone.utc).year == 2070
    # From 2023: "73" would be 2073 (exactly 50 years ahead, allowed); "74" -> 2074 is 51 years ahead -> 1974.
    assert datetime.fromtimestamp(parse_http_date("Sunday, 01-Jan-73 00:00:00 GMT", now=now_2023), timezone.utc).year == 2073
    assert datetime.fromtimestamp(parse_http_date("Tuesday, 01-Jan-74 00:00:00 GMT", now=now_2023), timezone.utc).year == 1974
    assert datetime.fromtimestamp(parse_http_date("Saturday, 01-Jan-30 00:00:00 GMT", now=now_2023), timezone.utc).year == 2030


def test_rfc850_near_a_century_turn_picks_the_next_century() -> None:
    now_2099 = calendar.timegm((2099, 6, 1, 0, 0, 0, 0, 0, 0))
    year = datetime.fromtimestamp(parse_http_date("Friday, 01-Jan-00 00:00:00 GMT", now=now_2099), timezone.utc).year
    assert year == 2100


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("0", 0), ("120", 120), (" 30 ", 30), ("\t7\t", 7), ("0030", 30), ("86400", 86400)],
)
def test_delay_seconds(raw: str, seconds: int) -> None:
    r = parse_retry_after(raw, NOW)
    assert r == RetryAfter(float(seconds), NOW + seconds, raw, None)


@pytest.mark.parametrize(
    "raw", ["-1", "+5", "1.5", "1e3", "soon", "", "   ", "1 0", "10s", "٣", "Mon, 32 Foo 2020", "0x10", "１２"]
)
def test_invalid_values_give_none(raw: str) -> None:
    assert parse_retry_after(raw, NOW) is None


def test_non_string_values_give_none() -> None:
    assert parse_retry_after(None, NOW) is None  # type: ignore[arg-type]
    assert parse_retry_after(b"30", NOW) is None  # type: ignore[arg-type]
    assert parse_retry_after("30", float("nan")) is None


def test_date_in_the_future_waits_until_that_date() -> None:
    when = datetime.fromtimestamp(NOW, timezone.utc) + timedelta(seconds=90)
    r = parse_retry_after(imf(when), NOW)
    assert r is not None and r.seconds == 90 and r.until == NOW + 90 and r.note is None and not r.clamped


@pytest.mark.parametrize("fmt", [imf, rfc850, asctime])
def test_past_date_means_zero(fmt) -> None:
    past = datetime.fromtimestamp(NOW, timezone.utc) - timedelta(days=3)
    r = parse_retry_after(fmt(past), NOW)
    assert r is not None and r.seconds == 0 and r.until == NOW and not r.clamped


@pytest.mark.parametrize("fmt", [imf, rfc850, asctime])
@pytest.mark.parametrize("offset", [0.0, 0.4, 0.999])
def test_date_equal_to_the_answer_is_now_not_past(fmt, offset) -> None:
    """A Retry-After equal to the response's own Date (one-second resolution) means "now"."""
    r = parse_retry_after(fmt(datetime.fromtimestamp(NOW, timezone.utc)), NOW + offset)
    assert r is not None and r.seconds == 0 and not r.past and "moment of the answer" in (r.note or "")
    older = parse_retry_after(fmt(datetime.fromtimestamp(NOW - 1, timezone.utc)), NOW)
    assert older is not None and older.seconds == 0 and older.past and "already past" in (older.note or "")


def test_large_delay_is_clamped_with_a_note() -> None:
    r = parse_retry_after("10000000", NOW)
    assert r is not None and r.clamped
    assert r.seconds == MAX_RETRY_AFTER_SECONDS == 86400
    assert r.until == NOW + 86400
    assert r.note == "The server asked to wait 10000000 s; clamped to 1 day"
    assert r.raw == "10000000"


def test_86401_is_clamped_and_86400_is_not() -> None:
    assert parse_retry_after("86401", NOW).clamped
    assert not parse_retry_after("86400", NOW).clamped


def test_far_date_is_clamped() -> None:
    r = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", NOW)
    assert r is not None and r.clamped and r.seconds == 86400 and "9999-12-31T23:59:59Z" in r.note


@pytest.mark.timeout(5)
@pytest.mark.parametrize("raw", ["9" * 400, "9" * 5000, "1" + "0" * 100_000, " " * 100_000 + "5"])
def test_huge_values_do_not_hang_or_raise(raw: str) -> None:
    r = parse_retry_after(raw, NOW)
    assert r is not None
    if raw.strip() != "5":
        assert r.seconds == 86400 and r.clamped and "digit number of seconds" in r.note


def test_to_json() -> None:
    assert to_json(parse_retry_after("30", NOW)) == {"seconds": 30, "until": "2023-11-14T22:13:50Z", "raw": "30"}
    frac = to_json(parse_retry_after("1", NOW + 0.25))
    assert frac["until"] == "2023-11-14T22:13:21.250Z"
    when = datetime.fromtimestamp(NOW, timezone.utc) + timedelta(seconds=5)
    assert to_json(parse_retry_after(imf(when), NOW + 0.5))["seconds"] == 4.5


@pytest.mark.parametrize(("seconds", "text"), [(0, "0 s"), (30, "30 s"), (59.2, "1 min"), (150, "2 min 30 s"),
                                                (7200, "2 h"), (86400, "24 h"), (3661, "1 h 1 min 1 s")])
def test_describe_wait(seconds: float, text: str) -> None:
    assert describe_wait(seconds) == text


def test_locale_does_not_matter(monkeypatch) -> None:
    """Month and day names are matched in English by the parser itself, never via locale-dependent strptime."""
    import time as time_module

    def locale_dependent(*_args, **_kwargs):
        raise AssertionError("strptime depends on LC_TIME")

    monkeypatch.setattr(time_module, "strptime", locale_dependent)
    assert parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT") == EPOCH_1994
    assert parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now=EPOCH_1994) == EPOCH_1994
    assert parse_http_date("Sun Nov  6 08:49:37 1994") == EPOCH_1994


# --------------------------------------------------------------------------- properties
@settings(max_examples=300)
@given(st.text(max_size=200), st.floats(min_value=0, max_value=4e9))
def test_never_raises_on_arbitrary_text(raw: str, received_at: float) -> None:
    r = parse_retry_after(raw, received_at)
    if r is not None:
        assert 0 <= r.seconds <= MAX_RETRY_AFTER_SECONDS
        assert r.until >= received_at
        to_json(r)


@given(st.integers(min_value=0, max_value=86400))
def test_integer_delays_round_trip(n: int) -> None:
    r = parse_retry_after(str(n), NOW)
    assert r is not None and r.seconds == n and r.until == NOW + n


@given(st.integers(min_value=86401, max_value=10**300))
def test_larger_delays_clamp(n: int) -> None:
    r = parse_retry_after(str(n), NOW)
    assert r is not None and r.seconds == 86400 and r.clamped


_dates = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31, 23, 59, 59)).map(
    lambda d: d.replace(microsecond=0, tzinfo=timezone.utc)
)
# RFC 850 years are two digits: keep within 49 years of NOW so the century is unambiguous.
_rfc850_dates = st.datetimes(min_value=datetime(1975, 1, 1), max_value=datetime(2072, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=timezone.utc)
)


@given(_dates)
def test_imf_fixdate_round_trips(dt: datetime) -> None:
    assert parse_http_date(imf(dt)) == dt.timestamp()
    assert parse_http_date(format_datetime(dt, usegmt=True)) == dt.timestamp()


@given(_dates)
def test_asctime_round_trips(dt: datetime) -> None:
    assert parse_http_date(asctime(dt)) == dt.timestamp()


@given(_rfc850_dates)
def test_rfc850_round_trips(dt: datetime) -> None:
    assert parse_http_date(rfc850(dt), now=NOW) == dt.timestamp()


@given(_dates, st.floats(min_value=0, max_value=4e9))
def test_dates_give_a_wait_within_bounds(dt: datetime, received_at: float) -> None:
    r = parse_retry_after(imf(dt), received_at)
    assert r is not None
    expected = min(max(0.0, dt.timestamp() - received_at), 86400.0)
    assert r.seconds == pytest.approx(expected)
