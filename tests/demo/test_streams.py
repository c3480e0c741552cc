"""Generated bodies: exact sizes, valid JSON, gzip that decodes."""

from __future__ import annotations

import asyncio
import gzip
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.demo import streams


def collect(agen) -> bytes:
    async def run() -> bytes:
        return b"".join([piece async for piece in agen])

    return asyncio.run(run())


@settings(max_examples=40, deadline=None)
@given(st.one_of(st.integers(2, 400), st.integers(60_000, 200_000)))
def test_json_array_is_valid_and_exactly_n_bytes(n):
    body = collect(streams.json_array(n))
    assert len(body) == n
    assert isinstance(json.loads(body), list)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 300_000))
def test_binary_bytes_exact(n):
    body = collect(streams.binary_bytes(n))
    assert len(body) == n
    assert body[:300] == (bytes(range(256)) * 2)[: min(n, 300)]


def test_gzip_stream_and_cache_agree_and_decode():
    n = 2_500_000
    streamed = collect(streams.gzip_zeros_stream(n))
    cached = asyncio.run(streams.GzipCache().get(n))
    assert gzip.decompress(streamed) == gzip.decompress(cached) == bytes(n)
    assert len(cached) < n // 500


def test_drip_pieces():
    async def run() -> list[bytes]:
        return [p async for p in streams.drip(5, 2, 0)]

    assert asyncio.run(run()) == [b"**", b"**", b"*"]


@pytest.mark.parametrize("codings", [("br",), ("zstd",), ("gzip", "br"), ("zstd", "deflate")])
def test_every_coding_streamed_and_cached_decodes_to_the_zeros(codings):
    from app.core.content_coding import ChainDecoder

    n = 2_500_000

    def decode(wire: bytes) -> bytes:
        dec = ChainDecoder(", ".join(codings))
        return b"".join(dec.feed(wire)) + b"".join(dec.flush())

    streamed = collect(streams.encoded_zeros_stream(n, codings))
    cached = asyncio.run(streams.GzipCache().get(n, codings))
    assert decode(streamed) == decode(cached) == bytes(n)
    assert len(cached) < n // 500
