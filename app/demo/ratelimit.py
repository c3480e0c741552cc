"""A sliding-window limiter for POSTs (shared by every client, as the documented API does)."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from app.core.clock import Clock


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int  # seconds until the oldest slot frees (0 when nothing is held)
    window: int

    def headers(self, policy_name: str = "orders") -> list[tuple[str, str]]:
        """X-RateLimit-* plus the IETF draft structured fields (RateLimit-Policy / RateLimit)."""
        return [
            ("X-RateLimit-Limit", str(self.limit)),
            ("X-RateLimit-Remaining", str(self.remaining)),
            ("X-RateLimit-Reset", str(self.reset_seconds)),
            ("RateLimit-Policy", f'"{policy_name}";q={self.limit};w={self.window}'),
            ("RateLimit", f'"{policy_name}";r={self.remaining};t={self.reset_seconds}'),
        ]


class SlidingWindowLimiter:
    """At most ``limit`` hits within any ``window`` seconds, measured on the injected clock."""

    def __init__(self, limit: int, window: float, clock: Clock) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("rate limit must be at least 1 request in a window longer than 0 seconds")
        self.limit = limit
        self.window = float(window)
        self._clock = clock
        self._hits: deque[float] = deque()

    def _prune(self, now: float) -> None:
        while self._hits and self._hits[0] <= now - self.window:
            self._hits.popleft()

    def _reset(self, now: float) -> int:
        if not self._hits:
            return 0
        return max(1, math.ceil(self._hits[0] + self.window - now))

    def hit(self) -> RateDecision:
        """Take a slot if one is free; say how things stand either way."""
        now = self._clock.now()
        self._prune(now)
        allowed = len(self._hits) < self.limit
        if allowed:
            self._hits.append(now)
        return RateDecision(
            allowed=allowed,
            limit=self.limit,
            remaining=self.limit - len(self._hits),
            reset_seconds=self._reset(now),
            window=math.ceil(self.window),
        )
