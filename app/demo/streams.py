"""Large or slow bodies, produced piece by piece so the server never holds them whole."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator, Iterator

import brotli

from app.core.content_coding import zstd

CHUNK = 64 * 1024
_PATTERN = bytes(range(256)) * (CHUNK // 256)


async def binary_bytes(n: int) -> AsyncIterator[bytes]:
    """``n`` bytes of the repeating pattern 00 01 .. ff, in 64 KiB pieces."""
    left = n
    while left > 0:
        piece = _PATTERN if left >= CHUNK else _PATTERN[:left]
        left -= len(piece)
        yield piece


_RECORD = '{"id":%d,"item":"demo item %d","quantity":%d,"price":12.5,"tags":["demo","bytes"]}'
_MAX_RECORD = len(_RECORD % (10**15, 10**15, 9)) + 1  # + the comma


async def json_array(n: int) -> AsyncIterator[bytes]:
    """A valid JSON array of exactly ``n`` bytes (n >= 2): records, then spaces as padding, then ``]``."""
    if n < 2:
        raise ValueError("a JSON array needs at least 2 bytes")
    written = 1
    budget = n - 1  # the closing bracket
    yield b"["
    index = 0
    while True:
        parts: list[str] = []
        size = 0
        while size < CHUNK and budget - written - size >= _MAX_RECORD:
            rec = ("," if index else "") + _RECORD % (index, index, index % 9 + 1)
            parts.append(rec)
            size += len(rec)
            index += 1
        if not parts:
            break
        written += size
        yield "".join(parts).encode("ascii")
    pad = budget - written
    while pad > CHUNK:
        yield b" " * CHUNK
        pad -= CHUNK
    yield b" " * pad + b"]"


GZIP_BLOCK = 1024 * 1024
_ZEROS = bytes(GZIP_BLOCK)
CODINGS = ("gzip", "deflate", "br", "zstd")  # what /gzip, /br, /zstd and ?encoding= can stack


class _Encoder:
    """Zeros through one or more content codings, applied in the order given (``['gzip', 'br']``: br outermost)."""

    def __init__(self, codings: tuple[str, ...]) -> None:
        self._stages = [self._stage(c) for c in codings]

    @staticmethod
    def _stage(coding: str):  # (compress, finish)
        if coding in ("gzip", "deflate"):
            z = zlib.compressobj(6, zlib.DEFLATED, 31 if coding == "gzip" else zlib.MAX_WBITS)
            return z.compress, z.flush
        if coding == "br":
            b = brotli.Compressor(quality=4)
            return b.process, b.finish
        c = zstd.ZstdCompressor(level=3)
        return c.compress, c.flush

    def compress(self, data: bytes) -> bytes:
        for compress, _ in self._stages:
            data = compress(data)
        return data

    def finish(self) -> bytes:
        out = b""
        for compress, finish in self._stages:
            out = (compress(out) if out else b"") + finish()
        return out


def _blocks(n: int) -> Iterator[bytes]:
    left = n
    while left > 0:
        take = min(left, GZIP_BLOCK)
        yield _ZEROS[:take] if take < GZIP_BLOCK else _ZEROS
        left -= take


def _encoded_zeros_sync(n: int, codings: tuple[str, ...]) -> bytes:
    enc = _Encoder(codings)
    return b"".join(enc.compress(block) for block in _blocks(n)) + enc.finish()


async def encoded_zeros_stream(n: int, codings: tuple[str, ...] = ("gzip",)) -> AsyncIterator[bytes]:
    """``n`` zero bytes in ``codings``, compressed on the fly one MiB at a time."""
    enc = _Encoder(codings)
    for block in _blocks(n):
        piece = enc.compress(block)
        if piece:
            yield piece
        await asyncio.sleep(0)
    yield enc.finish()


def gzip_zeros_stream(n: int) -> AsyncIterator[bytes]:
    """gzip of ``n`` zero bytes, compressed on the fly one MiB at a time."""
    return encoded_zeros_stream(n, ("gzip",))


class GzipCache:
    """Precomputed encoded bodies of ``n`` zeros (gzip's is ~1/1000 of ``n``, br's and zstd's far less), a few kept."""

    def __init__(self, keep: int = 4) -> None:
        self._keep = keep
        self._items: dict[tuple[int, tuple[str, ...]], bytes] = {}

    async def get(self, n: int, codings: tuple[str, ...] = ("gzip",)) -> bytes:
        key = (n, codings)
        if key in self._items:
            return self._items[key]
        data = await asyncio.to_thread(_encoded_zeros_sync, n, codings)
        if len(self._items) >= self._keep:
            self._items.pop(next(iter(self._items)))
        self._items[key] = data
        return data


async def drip(n: int, chunk: int, delay: float) -> AsyncIterator[bytes]:
    """``n`` bytes of '*', ``chunk`` bytes at a time, waiting ``delay`` seconds before each piece."""
    left = n
    while left > 0:
        await asyncio.sleep(delay)
        take = min(chunk, left)
        left -= take
        yield b"*" * take
