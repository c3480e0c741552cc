"""Transport decoding br, zstd and stacked codings: the practice server end to end, and raw servers for bombs and
corrupt streams (a bomb stops at max_decoded_bytes with nothing on disk; corrupt data is a sentence)."""

from __future__ import annotations

import gzip

import brotli
import pytest

from app.core.content_coding import zstd
from app.core.models import HttpRequest
from app.net.transport import SendOptions, Transport
import servers as S  # tests/net/servers.py
from test_transport import FAST, send

MiB = 1024 * 1024


def send_to(url: str, options: SendOptions = FAST):
    async def body():
        transport = Transport()
        try:
            return await transport.send(HttpRequest("GET", url), options)
        finally:
            await transport.aclose()

    return S.run(body())


def zeros_in(coding: str, mib: int) -> bytes:
    """``mib`` MiB of zeros compressed a MiB at a time: a few hundred bytes (br) or KB (zstd) for hundreds of MiB."""
    block = bytes(MiB)
    if coding == "br":
        c = brotli.Compressor(quality=5)
        return b"".join(c.process(block) for _ in range(mib)) + c.finish()
    z = zstd.ZstdCompressor(level=3)
    return b"".join(z.compress(block) for _ in range(mib)) + z.flush()


@pytest.mark.parametrize("path, coding", [
    ("/br?bytes=3000000", "br"),
    ("/zstd?bytes=3000000", "zstd"),
    ("/zstd?bytes=3000000&chunked=1", "zstd"),
    ("/br?bytes=3000000&chunked=1", "br"),
    ("/gzip?bytes=3000000&encoding=gzip,br", "gzip, br"),
    ("/gzip?bytes=3000000&encoding=zstd,deflate,br&chunked=1", "zstd, deflate, br"),
])
def test_the_practice_server_answers_in_each_coding_and_the_app_decodes_it(demo, path, coding):
    ex = send_to(demo + path)
    assert ex.error is None, ex.error
    assert ex.request.header("Accept-Encoding") == "gzip, deflate, br, zstd"
    r = ex.response
    assert r.header("Content-Encoding") == coding
    assert r.decoded_bytes == 3_000_000 and set(r.body) == {0}
    assert r.wire_bytes < 3_000_000 // 100  # counted before decoding


def test_the_practice_server_refuses_an_unknown_coding_with_a_sentence(demo):
    ex = send_to(demo + "/gzip?encoding=compress")
    assert ex.response.status == 400 and b"encoding must list" in ex.response.body


@pytest.mark.parametrize("coding", ["br", "zstd"])
def test_raw_server_br_and_zstd_bodies_are_decoded(coding):
    data = b'{"Message": "Too many requests", "Description": "Slow down."}' * 100
    wire = brotli.compress(data) if coding == "br" else zstd.compress(data)
    ex, _ = send(S.encoded(wire, coding), lambda s: HttpRequest("GET", s.url()))
    assert ex.error is None and ex.response.body == data
    assert ex.response.wire_bytes == len(wire) and ex.response.decoded_bytes == len(data)


def test_raw_server_stacked_gzip_then_br_is_decoded():
    data = b"stacked " * 1000
    wire = brotli.compress(gzip.compress(data))
    ex, _ = send(S.encoded(wire, "gzip, br"), lambda s: HttpRequest("GET", s.url()))
    assert ex.error is None and ex.response.body == data and ex.response.wire_bytes == len(wire)


@pytest.mark.parametrize("coding", ["br", "zstd", "gzip, br"])
def test_a_bomb_stops_at_max_decoded_bytes_without_filling_memory_or_disk(coding, tmp_path):
    bomb = zeros_in("br", 512) if coding == "br" else zeros_in("zstd", 512)
    if coding == "gzip, br":  # gzip of 512 MiB zeros, then br: stacked bombs stop too
        bomb = brotli.compress(S.gzip_bytes(512 * MiB))
    assert len(bomb) < 1 * MiB  # tiny compressed → 512 MiB
    opts = SendOptions(timeout=5, deadline=30, max_decoded_bytes=8 * MiB, memory_body_limit=2 * MiB)
    ex, _ = send(S.encoded(bomb, coding), lambda s: HttpRequest("GET", s.url()), opts, tmp_path)
    assert ex.error.kind == "decompression-bomb"
    assert "expands to more than 8388608 bytes" in ex.error.text
    r = ex.response
    assert r.status == 200 and r.decoded_bytes == 8 * MiB and r.body_truncated
    assert len(r.body) == 2 * MiB and r.body_path is None and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("coding, wire", [
    ("br", b"this is not brotli data at all"),
    ("zstd", b"this is not zstd data at all"),
    ("zstd", zstd.compress(b"x" * 10_000)[:-4]),  # a frame cut short
])
def test_a_corrupt_stream_is_a_sentence_with_the_response(coding, wire):
    ex, _ = send(S.encoded(wire, coding), lambda s: HttpRequest("GET", s.url()))
    assert ex.error.kind == "decode-error" and ex.response.status == 200
    assert ex.error.text == (f"The body says it is {coding}-encoded but could not be decoded "
                             f"(after {len(wire)} bytes received).")
    assert coding in ex.error.detail


def test_more_than_five_stacked_codings_are_kept_as_received_with_a_note():
    wire = gzip.compress(b"x")
    for _ in range(5):
        wire = gzip.compress(wire)
    ex, _ = send(S.encoded(wire, ", ".join(["gzip"] * 6)), lambda s: HttpRequest("GET", s.url()))
    assert ex.error is None and ex.response.body == wire
    assert any("6 stacked codings" in n and "shown as received" in n for n in ex.notes)
