"""Numbers as people read them: sizes, measured durations, countdown clocks and moments.

One formatter per kind of number, shared by the window, the CLI's text output and the triage report, so the same
body is "1.5 KB" and the same phase "38 ms" wherever it is shown. Pure Python; never raises on odd numbers.

    human_size(1536) == "1.5 KB"            # 1024-based, short units; "? B" when unknown
    human_duration(0.0381) == "38 ms"       # a measured phase: "2.5 ms" below 10 ms, "1,234 ms" above a second
    clock_duration(3723) == "1:02:03"       # a wait as a ticking clock, rounded up so 0:00 only shows when free
    wall_clock(epoch) == "14:05:31"         # local time of day
    human_moment(epoch, now=now)            # "14:05:31" the same day, else "2024-05-14 14:05:31"; utc=True: "… UTC"

Numbers no real exchange produces (a HAR's ``time: 1e300``, a Date in year 9999 plus a wait) still read as short
sentences: sizes stop at PB ("more than 1024 PB"), durations past a minute read "2 min 30 s" and stop at
"more than 10,000 days", and moments outside the calendar (years 1 to 9999) read "after 9999-12-31 23:59:59".
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone


_SIZE_UNITS = ("KB", "MB", "GB", "TB", "PB")
_MAX_DAYS = 10_000  # durations beyond this read "more than 10,000 days"
_MAX_CLOCK_SECONDS = 99_999 * 3600  # a countdown beyond this shows as its cap (waits are clamped long before)
_AFTER_THE_CALENDAR = "after 9999-12-31 23:59:59"
_BEFORE_THE_CALENDAR = "before 0001-01-01 00:00:00"


def _finite(x: object) -> bool:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return False
    return isinstance(x, int) or math.isfinite(x)  # ints of any size are finite (and too big for a float)


def human_size(n: int | float | None) -> str:
    """1536 -> "1.5 KB", 100 MiB -> "100 MB" (1024-based, short units as users read them); None -> "? B"."""
    if n is None or not _finite(n) or n < 0:
        return "? B"
    if n < 1024:
        return f"{int(n)} B"
    if n >= 1024 ** (len(_SIZE_UNITS) + 1):
        return f"more than 1024 {_SIZE_UNITS[-1]}"
    size = float(n)
    for unit in _SIZE_UNITS:
        size /= 1024
        if size < 1024 or unit == _SIZE_UNITS[-1]:
            return f"{size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"  # not reached


def _long_duration(seconds: float) -> str:
    """A minute or more: "2 min 30 s", "3 h 5 min", "4 days 2 h" (two units at most)."""
    if seconds >= _MAX_DAYS * 86400:
        return f"more than {_MAX_DAYS:,} days"
    total = int(seconds)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "day" if days == 1 else "days"), (hours, "h"), (minutes, "min"), (secs, "s")]
    first = next(i for i, (v, _) in enumerate(parts) if v)
    return " ".join(f"{v} {u}" for v, u in parts[first:first + 2] if v)


def human_duration(seconds: float | None) -> str:
    """A measured duration: 0.0025 -> "2.5 ms", 0.0381 -> "38 ms", 1.2345 -> "1,234 ms", 150 -> "2 min 30 s";
    None, negative or not a number -> "—"."""
    if seconds is None or not _finite(seconds) or seconds < 0:
        return "—"
    if seconds >= 60:
        return _long_duration(seconds)
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:,.0f} ms"


def clock_duration(seconds: float) -> str:
    """42 -> "0:42", 3723 -> "1:02:03" (whole seconds, rounded up so 0:00 only shows when free)."""
    seconds = max(0, min(seconds, _MAX_CLOCK_SECONDS)) if _finite(seconds) else 0
    total = max(0, math.ceil(seconds - 1e-9))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def _beyond_the_calendar(epoch: float, utc: bool) -> str:
    """A moment no datetime can hold: "after 9999-12-31 23:59:59" / "before 0001-01-01 00:00:00"."""
    if not _finite(epoch):
        return "unknown"
    edge = _AFTER_THE_CALENDAR if epoch > 0 else _BEFORE_THE_CALENDAR
    return edge + (" UTC" if utc else "")


def wall_clock(epoch: float) -> str:
    """Local wall-clock time of ``epoch`` as HH:MM:SS."""
    try:
        return time.strftime("%H:%M:%S", time.localtime(epoch))
    except (OverflowError, OSError, ValueError, TypeError):
        return _beyond_the_calendar(epoch, utc=False)


def human_moment(epoch: float | None, *, now: float | None = None, utc: bool = False) -> str:
    """A moment: local "14:05:31" when it falls on ``now``'s day, else "2024-05-14 14:05:31".

    ``utc=True`` always gives the full "2024-05-14 09:32:00 UTC" (a report read in another time zone).
    None -> "unknown"; outside years 1-9999 -> "after 9999-12-31 23:59:59" (or "before 0001-01-01 …").
    """
    if epoch is None:
        return "unknown"
    try:
        if utc:
            return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        moment = datetime.fromtimestamp(epoch)
        try:
            same_day = now is not None and datetime.fromtimestamp(now).date() == moment.date()
        except (OverflowError, OSError, ValueError, TypeError):
            same_day = False
        return moment.strftime("%H:%M:%S") if same_day else moment.strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError, TypeError):
        return _beyond_the_calendar(epoch, utc)
