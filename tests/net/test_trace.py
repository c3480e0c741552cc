"""Timing from trace events, with a fake clock (no sleeping)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

from app.net.trace import TraceRecorder


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def feed(rec: TraceRecorder, clock: FakeClock, events: list[tuple[float, str, dict]]) -> None:
    async def go():
        for at, name, info in events:
            clock.now = at
            await rec(name, info)
    asyncio.run(go())


def test_http11_https_timeline():
    clock = FakeClock()
    rec = TraceRecorder(clock)
    rec.mark_start()
    request = SimpleNamespace(headers=[(b"Host", b"h"), (b"X-\xe9", b"v\xe9")])
    feed(rec, clock, [
        (0.10, "connection.connect_tcp.started", {}),
        (0.30, "connection.connect_tcp.complete", {}),
        (0.30, "connection.start_tls.started", {}),
        (0.70, "connection.start_tls.complete", {}),
        (0.70, "http11.send_request_headers.started", {"request": request}),
        (0.71, "http11.send_request_headers.complete", {}),
        (0.71, "http11.send_request_body.started", {}),
        (0.75, "http11.send_request_body.complete", {}),
        (0.75, "http11.receive_response_headers.started", {}),
        (1.25, "http11.receive_response_headers.complete", {}),
    ])
    clock.now = 2.0
    rec.mark_end()
    t = rec.timing()
    assert round(t.connect, 6) == 0.2 and round(t.tls, 6) == 0.4
    assert round(t.request_sent, 6) == 0.05 and round(t.first_byte, 6) == 0.5
    assert round(t.download, 6) == 0.75 and t.total == 2.0
    assert rec.sent_headers == (("Host", "h"), ("X-é", "vé")) and rec.http_version == "HTTP/1.1"


def test_http2_events_and_missing_phases():
    clock = FakeClock()
    rec = TraceRecorder(clock)
    rec.mark_start()
    feed(rec, clock, [
        (0.5, "http2.send_request_headers.started", {"request": SimpleNamespace(headers=[])}),
        (0.6, "http2.send_request_headers.complete", {}),
        (0.9, "http2.receive_response_headers.complete", {}),
    ])
    rec.mark_end()
    t = rec.timing()
    assert t.connect is None and t.tls is None
    assert round(t.request_sent, 6) == 0.1 and round(t.first_byte, 6) == 0.3
    assert rec.http_version == "HTTP/2"


def test_nothing_happened():
    t = TraceRecorder().timing()
    assert (t.connect, t.first_byte, t.total) == (None, None, None)
