"""A request as the practice server received it (headers in wire order and case)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from app.core.models import header_value


@dataclass
class DemoRequest:
    method: str
    target: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    http_version: str = "1.1"
    body: bytes = b""
    body_length: int = 0  # bytes received (may exceed len(body) when the body was too large to keep)
    body_truncated: bool = False
    chunked: bool = False
    content_length: int | None = None
    client: str = ""

    def __post_init__(self) -> None:
        parts = urlsplit(self.target)
        self.path = unquote(parts.path) or "/"
        self.query: dict[str, list[str]] = parse_qs(parts.query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else default

    def flag(self, name: str) -> bool:
        value = self.arg(name)
        return value is not None and value.lower() not in ("0", "false", "no", "off")
