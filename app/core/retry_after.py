"""Retry-After parsing (RFC 9110 §10.2.3 / §5.6.7) (owner: findings helper).

CONTRACT:
    MAX_RETRY_AFTER_SECONDS: float
    @dataclass(frozen=True) class RetryAfter: seconds: float; until: float; raw: str; note: str | None
        # seconds: wait from `received_at`; until: epoch seconds when allowed; note: e.g. "clamped from ..."
    def parse_http_date(value: str) -> float | None          # IMF-fixdate, RFC 850, asctime -> epoch seconds
    def parse_retry_after(raw: str, received_at: float) -> RetryAfter | None   # None when invalid; never raises
    def to_json(r: RetryAfter) -> dict   # {"seconds", "until" (ISO 8601 UTC), "raw"}
"""
