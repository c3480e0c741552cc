"""Large or slow bodies, produced piece by piece so the server never holds them whole."""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import AsyncIterator

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


def _gzip_zeros_sync(n: int) -> bytes:
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    out = []
    left = n
    while left > 0:
        take = min(left, GZIP_BLOCK)
        out.append(comp.compress(_ZEROS[:take] if take < GZIP_BLOCK else _ZEROS))
        left -= take
    out.append(comp.flush())
    return b"".join(out)


async def gzip_zeros_stream(n: int) -> AsyncIterator[bytes]:
    """gzip of ``n`` zero bytes, compressed on the fly one MiB at a time."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    left = n
    while left > 0:
        take = min(left, GZIP_BLOCK)
        piece = comp.compress(_ZEROS[:take] if take < GZIP_BLOCK else _ZEROS)
        left -= take
        if piece:
            yield piece
        await asyncio.sleep(0)
    yield comp.flush()


class GzipCache:
    """Precomputed gzip bodies of ``n`` zeros (the compressed form is ~1/1000 of ``n``), a few kept."""

    def __init__(self, keep: int = 4) -> None:
        self._keep = keep
        self._items: dict[int, bytes] = {}

    async def get(self, n: int) -> bytes:
        if n in self._items:
            return self._items[n]
        data = await asyncio.to_thread(_gzip_zeros_sync, n)
        if len(self._items) >= self._keep:
            self._items.pop(next(iter(self._items)))
        self._items[n] = data
        return data


async def drip(n: int, chunk: int, delay: float) -> AsyncIterator[bytes]:
    """``n`` bytes of '*', ``chunk`` bytes at a time, waiting ``delay`` seconds before each piece."""
    left = n
    while left > 0:
        await asyncio.sleep(delay)
        take = min(chunk, left)
        left -= take
        yield b"*" * take
