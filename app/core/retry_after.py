"""Retry-After parsing (RFC 9110 §10.2.3 / §5.6.7) (owner: findings helper).

CONTRACT:
    MAX_RETRY_AFTER_SECONDS: float
    @dataclass(frozen=True) class RetryAfter: seconds: float; until: float; raw: str; note: str | None
        # seconds: wait from `received_at`; until: epoch seconds when allowed; note: e.g. "clamped from ..."
    def parse_http_date(value: str) -> float | None          # IMF-fixdate, RFC 850, asctime -> epoch seconds
    def parse_retry_after(raw: str, received_at: float) -> RetryAfter | None   # None when invalid; never raises
    def to_json(r: RetryAfter) -> dict   # {"seconds", "until" (ISO 8601 UTC), "raw"}

Rules:
- delay-seconds is ``1*DIGIT`` (ASCII digits only) with optional surrounding whitespace; signs, decimals and inner
  spaces make the value invalid. Any number of digits is accepted (a 400-digit value is clamped, never converted).
- Dates are parsed without locale (English month and day names, case-insensitive) and must name a real calendar
  day; the day-of-week name is required but not cross-checked. A date in the past means a wait of 0. HTTP dates
  have one-second resolution, so a date within a second before the answer (typically equal to its own ``Date``)
  means "now"; only one older than that is "already past" (``RetryAfter.past``).
- Waits longer than ``MAX_RETRY_AFTER_SECONDS`` are clamped to it, with a note a support person understands.
"""

from __future__ import annotations

import calendar
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone

MAX_RETRY_AFTER_SECONDS: float = 86400.0  # one day

_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_SHORT_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_TIME = r"(\d{2}):(\d{2}):(\d{2})"
# Sun, 06 Nov 1994 08:49:37 GMT
_IMF = re.compile(r"([A-Za-z]{3}),[ \t]+(\d{1,2})[ \t]+([A-Za-z]{3})[ \t]+(\d{4})[ \t]+" + _TIME + r"[ \t]+GMT", re.I)
# Sunday, 06-Nov-94 08:49:37 GMT
_RFC850 = re.compile(r"([A-Za-z]{6,9}),[ \t]+(\d{1,2})-([A-Za-z]{3})-(\d{2})[ \t]+" + _TIME + r"[ \t]+GMT", re.I)
# Sun Nov  6 08:49:37 1994
_ASCTIME = re.compile(r"([A-Za-z]{3})[ \t]+([A-Za-z]{3})[ \t]+(\d{1,2})[ \t]+" + _TIME + r"[ \t]+(\d{4})", re.I)
_DIGITS = re.compile(r"[0-9]+")
_DATE_RESOLUTION = 1.0  # seconds: an HTTP date names a whole second
_MAX_DATE_CHARS = 64  # the longest valid date is 37 characters; do not run regexes over megabytes


@dataclass(frozen=True)
class RetryAfter:
    """A parsed Retry-After: wait ``seconds`` from when the response arrived, i.e. until epoch ``until``."""

    seconds: float
    until: float
    raw: str
    note: str | None = None
    clamped: bool = False  # True when the server asked for more than MAX_RETRY_AFTER_SECONDS
    past: bool = False  # True when the date lies more than a second before the answer


def _epoch(year: int, month: int, day: int, hh: int, mm: int, ss: int) -> float | None:
    if not (0 <= hh <= 23 and 0 <= mm <= 59 and 0 <= ss <= 60):
        return None
    try:
        datetime(year, month, day)  # validates the day of the month (and the year range)
    except ValueError:
        return None
    return float(calendar.timegm((year, month, day, hh, mm, min(ss, 59), 0, 0, 0)))


def _rfc850_year(yy: int, now: float | None) -> int:
    """RFC 9110 §5.6.7: a two-digit year more than 50 years in the future belongs to the previous century."""
    ref = time.time() if now is None else now
    try:
        current = datetime.fromtimestamp(ref, tz=timezone.utc).year
    except (OverflowError, OSError, ValueError):
        current = 2000
    # The latest year ending in ``yy`` that is not more than 50 years ahead.
    year = (current // 100) * 100 + 100 + yy
    while year > current + 50:
        year -= 100
    return year


def parse_http_date(value: str, now: float | None = None) -> float | None:
    """An HTTP-date (IMF-fixdate, RFC 850 or asctime) -> epoch seconds, or None. Never raises.

    ``now`` (epoch seconds) anchors RFC 850's two-digit years; it defaults to the system time.
    """
    try:
        return _parse_http_date(value, now)
    except Exception:  # defensive: a header value must never surface as a traceback
        return None


def _parse_http_date(value: str, now: float | None) -> float | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > _MAX_DATE_CHARS:
        return None
    m = _IMF.fullmatch(text)
    if m:
        day_name, day, mon, year, hh, mm, ss = m.groups()
        if day_name.lower() not in _SHORT_DAYS or mon.lower() not in _MONTHS:
            return None
        return _epoch(int(year), _MONTHS[mon.lower()], int(day), int(hh), int(mm), int(ss))
    m = _RFC850.fullmatch(text)
    if m:
        day_name, day, mon, yy, hh, mm, ss = m.groups()
        if day_name.lower() not in _LONG_DAYS or mon.lower() not in _MONTHS:
            return None
        year = _rfc850_year(int(yy), now)
        return _epoch(year, _MONTHS[mon.lower()], int(day), int(hh), int(mm), int(ss))
    m = _ASCTIME.fullmatch(text)
    if m:
        day_name, mon, day, hh, mm, ss, year = m.groups()
        if day_name.lower() not in _SHORT_DAYS or mon.lower() not in _MONTHS:
            return None
        return _epoch(int(year), _MONTHS[mon.lower()], int(day), int(hh), int(mm), int(ss))
    return None


def _clamp_note(asked: str) -> str:
    return f"The server asked to wait {asked}; clamped to 1 day"


def parse_retry_after(raw: str, received_at: float) -> RetryAfter | None:
    """Parse a Retry-After value received at epoch ``received_at``; None when it is invalid. Never raises."""
    try:
        return _parse_retry_after(raw, received_at)
    except Exception:  # defensive: bad input yields "invalid", not a traceback
        return None


def _parse_retry_after(raw: str, received_at: float) -> RetryAfter | None:
    if not isinstance(raw, str):
        return None
    received_at = float(received_at)
    if not math.isfinite(received_at):
        return None
    text = raw.strip()
    if not text:
        return None
    if _DIGITS.fullmatch(text):
        digits = text.lstrip("0") or "0"
        if len(digits) > 15:  # far beyond a day; never convert a giant digit string to int
            shown = f"{digits} s" if len(digits) <= 30 else f"a {len(digits)}-digit number of seconds"
            return RetryAfter(MAX_RETRY_AFTER_SECONDS, received_at + MAX_RETRY_AFTER_SECONDS, raw,
                              _clamp_note(shown), True)
        seconds = int(digits)
        if seconds > MAX_RETRY_AFTER_SECONDS:
            return RetryAfter(MAX_RETRY_AFTER_SECONDS, received_at + MAX_RETRY_AFTER_SECONDS, raw,
                              _clamp_note(f"{seconds} s"), True)
        return RetryAfter(float(seconds), received_at + seconds, raw, None)
    when = parse_http_date(text, received_at)
    if when is None:
        return None
    wait = when - received_at
    if wait <= -_DATE_RESOLUTION:
        return RetryAfter(0.0, received_at, raw, "The date is already past: no need to wait", past=True)
    if wait <= 0:
        return RetryAfter(0.0, received_at, raw, "The date is the moment of the answer: no need to wait")
    if wait > MAX_RETRY_AFTER_SECONDS:
        return RetryAfter(MAX_RETRY_AFTER_SECONDS, received_at + MAX_RETRY_AFTER_SECONDS, raw,
                          _clamp_note(f"until {iso_utc(when)} ({_round(wait)} s)"), True)
    return RetryAfter(wait, when, raw, None)


def _round(x: float) -> int | float:
    """Whole numbers as int (30, not 30.0); otherwise three decimals."""
    return int(x) if float(x).is_integer() else round(x, 3)


def iso_utc(epoch: float) -> str:
    """Epoch seconds -> ``2023-11-14T22:13:20Z`` (milliseconds only when fractional). Never raises."""
    try:
        dt = datetime.fromtimestamp(epoch, tz=timezone.utc)
    except (OverflowError, OSError, ValueError, TypeError):
        if not isinstance(epoch, (int, float)) or not math.isfinite(epoch):
            return "an unknown time"
        return "after 9999-12-31T23:59:59Z" if epoch > 0 else "before 0001-01-01T00:00:00Z"
    if dt.microsecond:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def describe_wait(seconds: float) -> str:
    """30 -> '30 s'; 150 -> '2 min 30 s'; 7200 -> '2 h'."""
    total = max(0, int(math.ceil(seconds)))
    if total < 60:
        return f"{total} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * bool(minutes) + [f"{secs} s"] * bool(secs)
    return " ".join(parts)


def to_json(r: RetryAfter) -> dict:
    """``{"seconds": 30, "until": "2023-11-14T22:13:50Z", "raw": "30"}``."""
    return {"seconds": _round(r.seconds), "until": iso_utc(r.until), "raw": r.raw}
