"""Numbers as people read them: sizes, measured durations, countdown clocks and moments.

One formatter per kind of number, shared by the window, the CLI's text output and the triage report, so the same
body is "1.5 KB" and the same phase "38 ms" wherever it is shown. Pure Python; never raises on odd numbers.

    human_size(1536) == "1.5 KB"            # 1024-based, short units; "? B" when unknown
    human_duration(0.0381) == "38 ms"       # a measured phase: "2.5 ms" below 10 ms, "1,234 ms" above a second
    clock_duration(3723) == "1:02:03"       # a wait as a ticking clock, rounded up so 0:00 only shows when free
    wall_clock(epoch) == "14:05:31"         # local time of day
    human_moment(epoch, now=now)            # "14:05:31" the same day, else "2024-05-14 14:05:31"; utc=True: "… UTC"
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone


def human_size(n: int | None) -> str:
    """1536 -> "1.5 KB", 100 MiB -> "100 MB" (1024-based, short units as users read them); None -> "? B"."""
    if n is None:
        return "? B"
    if n < 1024:
        return f"{n} B"
    size = float(n)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"  # not reached


def human_duration(seconds: float | None) -> str:
    """A measured duration in milliseconds: 0.0025 -> "2.5 ms", 0.0381 -> "38 ms", 1.2345 -> "1,234 ms"; None -> "—"."""
    if seconds is None or not math.isfinite(seconds):
        return "—"
    ms = seconds * 1000
    return f"{ms:.1f} ms" if ms < 10 else f"{ms:,.0f} ms"


def clock_duration(seconds: float) -> str:
    """42 -> "0:42", 3723 -> "1:02:03" (whole seconds, rounded up so 0:00 only shows when free)."""
    total = max(0, math.ceil(seconds - 1e-9)) if math.isfinite(seconds) else 0
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def wall_clock(epoch: float) -> str:
    """Local wall-clock time of ``epoch`` as HH:MM:SS."""
    try:
        return time.strftime("%H:%M:%S", time.localtime(epoch))
    except (OverflowError, OSError, ValueError):
        return str(epoch)


def human_moment(epoch: float | None, *, now: float | None = None, utc: bool = False) -> str:
    """A moment: local "14:05:31" when it falls on ``now``'s day, else "2024-05-14 14:05:31".

    ``utc=True`` always gives the full "2024-05-14 09:32:00 UTC" (a report read in another time zone).
    None -> "unknown".
    """
    if epoch is None:
        return "unknown"
    try:
        if utc:
            return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        moment = datetime.fromtimestamp(epoch)
        if now is not None and datetime.fromtimestamp(now).date() == moment.date():
            return moment.strftime("%H:%M:%S")
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return str(epoch)
