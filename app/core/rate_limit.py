"""Per-origin POST gate and rate-limit headers (owner: findings helper).

CONTRACT:
    def origin_of(url: str) -> str                         # "http://127.0.0.1:8080" (scheme://host[:port], lower-case)
    @dataclass(frozen=True) class RateLimitInfo: limit: int|None; remaining: int|None; reset_seconds: float|None;
                                                 policy: str|None; source: str   # "RateLimit" | "X-RateLimit"
    def parse_rate_limit(headers: Headers, now: float) -> RateLimitInfo | None
    class OriginGate:
        def __init__(self, clock: Clock)
        def record(self, url: str, retry: RetryAfter) -> None    # hold POSTs until retry.until (never shortens)
        def allowed_at(self, url: str) -> float | None           # None when not (or no longer) held
        def remaining(self, url: str) -> float                   # seconds left, 0 when free
        def must_confirm(self, method: str, url: str) -> bool    # True for a POST to a held origin

Headers understood (first of each wins; IETF forms win over X- forms when both are present):
- draft-ietf-httpapi-ratelimit-headers, older form: ``RateLimit-Limit: 100`` (or ``100, 100;w=60``),
  ``RateLimit-Remaining: 50``, ``RateLimit-Reset: 30`` (seconds), optional ``RateLimit-Policy: 100;w=60``.
- the newer structured form: ``RateLimit: "default";r=50;t=30`` with ``RateLimit-Policy: "default";q=100;w=60``.
- ``X-RateLimit-Limit/Remaining/Reset``: Reset is seconds from now, or an epoch timestamp when > 1e9 (seconds) /
  > 1e12 (milliseconds), converted to seconds from ``now`` (never negative).
``policy`` is the RateLimit-Policy value as sent (stripped), None when absent; ``window_seconds`` its ``w``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.clock import Clock
from app.core.models import Headers, header_value
from app.core.retry_after import RetryAfter

_DEFAULT_PORTS = {"http": 80, "https": 443}
_INT = re.compile(r"[0-9]{1,18}")
_NUMBER = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,9})?")
_EPOCH_SECONDS = 1e9
_EPOCH_MILLIS = 1e12


def origin_of(url: str) -> str:
    """``HTTP://Example.COM:80/x?y`` -> ``http://example.com``; junk comes back stripped. Never raises."""
    try:
        text = url.strip()
    except AttributeError:
        return str(url)
    try:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        host = parts.hostname  # lower-cased, userinfo dropped, IPv6 brackets removed
        if not scheme or not host or not parts.netloc:
            return text
        port = parts.port
    except ValueError:  # bad port, bad IPv6 literal
        return text
    if ":" in host:
        host = f"[{host}]"
    if port is None or _DEFAULT_PORTS.get(scheme) == port:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


@dataclass(frozen=True)
class RateLimitInfo:
    """What the rate-limit headers of one response say."""

    limit: int | None
    remaining: int | None
    reset_seconds: float | None
    policy: str | None
    source: str  # "RateLimit" | "X-RateLimit"
    window_seconds: float | None = None

    def describe(self, reset_moment: str | None = None) -> str:
        """The one rate-limit sentence: '50 of 100 requests left; the limit resets in 30 s (window 1 min).'

        ``reset_moment`` (e.g. "14:05:31") names the reset as a moment instead: a frozen "resets in 30 s" read
        a minute later (next to a live countdown, or in a report) would be wrong.
        """
        from app.core.retry_after import describe_wait

        if self.remaining is not None and self.limit is not None:
            head = f"{self.remaining} of {self.limit} requests left"
        elif self.remaining is not None:
            head = f"{self.remaining} requests left"
        elif self.limit is not None:
            head = f"the limit is {self.limit} requests"
        else:
            head = "rate-limit headers present"
        if self.reset_seconds is not None:
            when = f"at {reset_moment}" if reset_moment else f"in {describe_wait(self.reset_seconds)}"
            head += f"; the limit resets {when}"
        if self.window_seconds is not None:
            head += f" (window {describe_wait(self.window_seconds)})"
        return head[0].upper() + head[1:] + "."

    def to_json(self) -> dict:
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "reset_seconds": self.reset_seconds,
            "policy": self.policy,
            "source": self.source,
            "window_seconds": self.window_seconds,
        }


def _int(value: str | None) -> int | None:
    """Leading non-negative integer of a header value ('100', '100, 100;w=60', ' 7 ') or None."""
    if value is None:
        return None
    m = _INT.match(value.strip())
    if not m:
        return None
    rest = value.strip()[m.end():]
    if rest and rest[0] not in ",; \t":
        return None
    return int(m.group())


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    text = value.strip().split(",", 1)[0].split(";", 1)[0].strip()
    if not _NUMBER.fullmatch(text):
        return None
    return float(text)


def _items(value: str) -> list[tuple[str, dict[str, str]]]:
    """Leniently split a structured-field list: '"default";r=50;t=30, "b";r=1' -> [("default", {...}), ...]."""
    out: list[tuple[str, dict[str, str]]] = []
    for item in _split_outside_quotes(value, ","):
        pieces = _split_outside_quotes(item, ";")
        if not pieces:
            continue
        name = pieces[0].strip().strip('"')
        params: dict[str, str] = {}
        for piece in pieces[1:]:
            key, _, val = piece.partition("=")
            key = key.strip().lower()
            if key:
                params[key] = val.strip().strip('"')
        out.append((name, params))
    return out


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def _structured(headers: Headers, raw: str) -> RateLimitInfo | None:
    items = _items(raw)
    if not items:
        return None
    name, params = items[0]
    remaining = _int(params.get("r"))
    reset = _number(params.get("t"))
    policy_raw = header_value(headers, "RateLimit-Policy")
    limit = window = None
    if policy_raw is not None:
        policies = _items(policy_raw)
        chosen = next((p for p in policies if p[0] == name), policies[0] if policies else None)
        if chosen is not None:
            limit = _int(chosen[1].get("q"))
            window = _number(chosen[1].get("w"))
    if remaining is None and reset is None and limit is None:
        return None
    return RateLimitInfo(limit, remaining, reset, policy_raw.strip() if policy_raw else None, "RateLimit", window)


def _older_draft(headers: Headers) -> RateLimitInfo | None:
    limit_raw = header_value(headers, "RateLimit-Limit")
    remaining = _int(header_value(headers, "RateLimit-Remaining"))
    reset = _number(header_value(headers, "RateLimit-Reset"))
    limit = _int(limit_raw)
    policy_raw = header_value(headers, "RateLimit-Policy")
    window = None
    for source in (policy_raw, limit_raw):
        if source and window is None:
            for _name, params in _items(source):
                if "w" in params:
                    window = _number(params["w"])
                    break
    if limit is None and remaining is None and reset is None:
        return None
    return RateLimitInfo(limit, remaining, reset, policy_raw.strip() if policy_raw else None, "RateLimit", window)


def _x_rate_limit(headers: Headers, now: float) -> RateLimitInfo | None:
    limit = _int(header_value(headers, "X-RateLimit-Limit"))
    remaining = _int(header_value(headers, "X-RateLimit-Remaining"))
    reset = _number(header_value(headers, "X-RateLimit-Reset"))
    if reset is not None:
        if reset > _EPOCH_MILLIS:
            reset = max(0.0, reset / 1000.0 - now)
        elif reset > _EPOCH_SECONDS:
            reset = max(0.0, reset - now)
    policy = header_value(headers, "X-RateLimit-Policy")
    if limit is None and remaining is None and reset is None:
        return None
    return RateLimitInfo(limit, remaining, reset, policy.strip() if policy else None, "X-RateLimit")


def parse_rate_limit(headers: Headers, now: float) -> RateLimitInfo | None:
    """The rate-limit state the headers describe, or None when there are none (or none readable). Never raises."""
    try:
        now = float(now)
        if not math.isfinite(now):
            now = 0.0
        structured = header_value(headers, "RateLimit")
        if structured is not None:
            info = _structured(headers, structured)
            if info is not None:
                return info
        return _older_draft(headers) or _x_rate_limit(headers, now)
    except Exception:  # defensive: headers from a pasted exchange can be anything
        return None


class OriginGate:
    """Remembers, per origin, until when the server asked POSTs to wait (the API's 429 rule).

    The server's latest word wins: ``record`` replaces an earlier wait, longer or shorter.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}

    def record(self, url: str, retry: RetryAfter) -> None:
        """Hold POSTs to ``url``'s origin until ``retry.until``. A wait already running is never shortened: a GET
        answered "retry in 30 s" must not release a POST the API asked to wait 57 s (it would be refused again)."""
        origin = origin_of(url)
        running = self.allowed_at(url)
        self._until[origin] = max(float(retry.until), running or 0.0)

    def allowed_at(self, url: str) -> float | None:
        origin = origin_of(url)
        until = self._until.get(origin)
        if until is None:
            return None
        if until <= self._clock.now():
            del self._until[origin]
            return None
        return until

    def remaining(self, url: str) -> float:
        until = self.allowed_at(url)
        return 0.0 if until is None else max(0.0, until - self._clock.now())

    def must_confirm(self, method: str, url: str) -> bool:
        if not isinstance(method, str) or method.strip().upper() != "POST":
            return False
        return self.allowed_at(url) is not None
