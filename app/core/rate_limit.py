"""Per-origin POST gate and rate-limit headers (owner: findings helper).

CONTRACT:
    def origin_of(url: str) -> str                         # "http://127.0.0.1:8080" (scheme://host[:port], lower-case)
    @dataclass(frozen=True) class RateLimitInfo: limit: int|None; remaining: int|None; reset_seconds: float|None;
                                                 policy: str|None; source: str   # "RateLimit" | "X-RateLimit"
    def parse_rate_limit(headers: Headers, now: float) -> RateLimitInfo | None
    class OriginGate:
        def __init__(self, clock: Clock)
        def record(self, url: str, retry: RetryAfter) -> None    # remember "POST to origin allowed at retry.until"
        def allowed_at(self, url: str) -> float | None           # None when not (or no longer) held
        def remaining(self, url: str) -> float                   # seconds left, 0 when free
        def must_confirm(self, method: str, url: str) -> bool    # True for a POST to a held origin
        def held_origins(self) -> dict[str, float]
"""
