"""Phase timings and the request headers as sent, from httpx's ``trace`` request extension.

httpcore calls the trace hook with names such as ``connection.connect_tcp.started``,
``connection.start_tls.complete``, ``http11.send_request_headers.started`` (info carries the request as it
goes to h11/h2, so its headers are exactly the wire headers, in order) and ``http2.receive_response_headers.complete``.
"""

from __future__ import annotations

import time
from typing import Any

from app.core.models import Headers, Timing


class TraceRecorder:
    """Pass as ``extensions={"trace": recorder}``; then call ``mark_start``/``mark_body_done``/``timing``."""

    def __init__(self, clock: Any = time.perf_counter) -> None:
        self._clock = clock
        self.events: dict[str, float] = {}  # "connect_tcp.started" -> perf time (first occurrence)
        self.sent_headers: Headers | None = None
        self.http_version: str | None = None
        self.start: float | None = None
        self.end: float | None = None

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        prefix, _, short = name.partition(".")
        self.events.setdefault(short, self._clock())
        if short == "send_request_headers.started":
            self.http_version = "HTTP/2" if prefix == "http2" else "HTTP/1.1"
            request = info.get("request")
            raw = getattr(request, "headers", None)
            if raw is not None:
                self.sent_headers = tuple((_text(k), _text(v)) for k, v in raw)

    def mark_start(self) -> None:
        self.start = self._clock()

    def mark_end(self) -> None:
        if self.end is None:
            self.end = self._clock()

    def _span(self, a: str, b: str) -> float | None:
        ta, tb = self.events.get(a), self.events.get(b)
        if ta is None or tb is None:
            return None
        return max(0.0, tb - ta)

    def timing(self) -> Timing:
        ev = self.events
        connect = self._span("connect_tcp.started", "connect_tcp.complete")
        tls = self._span("start_tls.started", "start_tls.complete")
        sent_at = ev.get("send_request_body.complete") or ev.get("send_request_headers.complete")
        head_start = ev.get("send_request_headers.started")
        request_sent = None if sent_at is None or head_start is None else max(0.0, sent_at - head_start)
        headers_at = ev.get("receive_response_headers.complete")
        first_byte = None if headers_at is None or sent_at is None else max(0.0, headers_at - sent_at)
        download = None if headers_at is None or self.end is None else max(0.0, self.end - headers_at)
        total = None if self.start is None or self.end is None else max(0.0, self.end - self.start)
        return Timing(
            connect=connect, tls=tls, request_sent=request_sent, first_byte=first_byte, download=download, total=total
        )


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)
