"""The Raw tab names the body's size as received and as decoded (with its content codings), from a real send."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QLabel

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.formats.raw_http import parse_raw
from app.core.models import Exchange, HttpRequest
from app.net.transport import SendOptions, Transport




def fetch(url: str) -> Exchange:
    async def go() -> Exchange:
        t = Transport()
        try:
            return await t.send(HttpRequest("GET", url), SendOptions(timeout=5, deadline=15))
        finally:
            await t.aclose()

    return asyncio.run(go())


def test_raw_tab_shows_received_and_decoded_sizes_of_a_br_answer(view, demo, qtbot):
    ex = fetch(f"{demo}/gzip?bytes=300000&encoding=gzip,br")
    assert ex.error is None
    view.show_diagnosis(diagnose(ex, load_default_catalog(), ex.started_at or 0.0))
    view.tabs.setCurrentIndex(view.tab_raw)
    sizes = view.findChild(QLabel, "rawSizes")
    wire = ex.response.wire_bytes
    assert sizes.isVisible() and sizes.accessibleName()
    assert sizes.text() == f"Received {wire} B (Content-Encoding: gzip, br) → decoded 293 KB (300,000 B)."
    assert view.tabs.currentWidget().isAncestorOf(view.body.raw)  # the raw body sits under the line
    for w, h in ((1400, 900), (1000, 700)):
        view.resize(w, h)
        qtbot.wait(50)
        view.grab().save(f"/tmp/ri/shots/issue14-raw-sizes-{w}x{h}.png")
    view.clear()
    assert sizes.isHidden()


def test_raw_tab_of_a_pasted_zstd_response_says_it_was_decoded(view):
    from app.core.content_coding import zstd

    body = b'{"Message": "Rate limit exceeded"}'
    wire = zstd.compress(body)
    raw = b"HTTP/1.1 429 Too Many Requests\r\nContent-Encoding: zstd\r\n\r\n" + wire
    resp = parse_raw(raw).response
    view.show_diagnosis(diagnose(Exchange(HttpRequest("GET", "https://api.example/orders"), resp),
                                 load_default_catalog(), 0.0))
    assert view.findChild(QLabel, "rawSizes").text() == \
        f"Received {len(wire)} B (Content-Encoding: zstd) → decoded {len(body)} B."
    assert "Rate limit exceeded" in view.findChild(QLabel, "apiMessage").text()
