"""Response bodies: capped content decoding and a sink that keeps a preview in memory and spills to a temp file.

Decoding is done here (not by httpx) so that raw wire bytes can be counted and so that a small compressed
body can never expand into a giant bytes object: every decoder step yields at most ``STEP`` bytes.
Only gzip and deflate are decoded (zlib, standard library); ``SUPPORTED_ENCODINGS`` is what the transport
advertises in Accept-Encoding, so servers that honour it never send anything else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator
from typing import Protocol

STEP = 64 * 1024  # largest piece any decoder yields at once
DISK_RESERVE = 256 * 1024 * 1024  # a spilled body stops before the temp folder's disk has less than this free
DISK_CHECK_EVERY = 8 * 1024 * 1024  # free space is looked up again after this many bytes spilled
SUPPORTED_ENCODINGS = ("gzip", "deflate")


class DecodeError(Exception):
    """The body claims a content coding but its bytes do not decode."""


class DiskReserveError(Exception):
    """Spilling more of the body would leave less than ``DISK_RESERVE`` free on the temp folder's disk."""

    def __init__(self, folder: str, written: int) -> None:
        super().__init__(folder, written)
        self.folder = folder
        self.written = written


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...

    def flush(self) -> Iterator[bytes]: ...


class _Identity:
    def feed(self, data: bytes) -> Iterator[bytes]:
        for start in range(0, len(data), STEP):
            yield data[start : start + STEP]

    def flush(self) -> Iterator[bytes]:
        return iter(())


def _bounded(obj: zlib._Decompress, data: bytes) -> Iterator[bytes]:  # type: ignore[name-defined]
    """Decompress ``data`` in pieces of at most STEP bytes (never one giant output)."""
    buf = data
    while True:
        out = obj.decompress(buf, STEP)
        if out:
            yield out
        buf = obj.unconsumed_tail
        if not buf and len(out) < STEP:
            return


class _Gzip:
    """gzip / x-gzip, including several concatenated members."""

    def __init__(self) -> None:
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            while data:
                yield from _bounded(self._obj, data)
                data = b""
                if self._obj.eof and self._obj.unused_data:
                    data = self._obj.unused_data
                    self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16)
        except zlib.error as exc:
            raise DecodeError(f"gzip: {exc}") from exc

    def flush(self) -> Iterator[bytes]:
        try:
            out = self._obj.flush()
        except zlib.error as exc:  # pragma: no cover - flush rarely fails
            raise DecodeError(f"gzip: {exc}") from exc
        if out:
            yield out


class _Deflate:
    """deflate: zlib-wrapped as the RFC says, or raw deflate as some servers send it (like httpx accepts)."""

    def __init__(self) -> None:
        self._obj: zlib._Decompress | None = None  # type: ignore[name-defined]
        self._head = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._obj is None:
            self._head += data
            if len(self._head) < 2:
                return
            cmf, flg = self._head[0], self._head[1]
            wrapped = (cmf & 0x0F) == 8 and (cmf * 256 + flg) % 31 == 0
            self._obj = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            data, self._head = self._head, b""
        try:
            yield from _bounded(self._obj, data)
        except zlib.error as exc:
            raise DecodeError(f"deflate: {exc}") from exc

    def flush(self) -> Iterator[bytes]:
        if self._obj is None:
            if self._head:
                raise DecodeError("deflate: body too short")
            return
        try:
            out = self._obj.flush()
        except zlib.error as exc:  # pragma: no cover
            raise DecodeError(f"deflate: {exc}") from exc
        if out:
            yield out


def decoder_chain(content_encoding: str | None) -> tuple[list[_Decoder], list[str]]:
    """Decoders for a Content-Encoding header value, in the order to apply them, and codings we cannot decode.

    When any coding is unknown, no decoding is done at all (the body is kept as received).
    """
    if not content_encoding:
        return [], []
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    decoders: list[_Decoder] = []
    unknown: list[str] = []
    for coding in reversed(codings):  # the last coding applied is the first to undo
        if coding in ("gzip", "x-gzip"):
            decoders.append(_Gzip())
        elif coding == "deflate":
            decoders.append(_Deflate())
        elif coding == "identity":
            continue
        else:
            unknown.append(coding)
    if unknown:
        return [], unknown
    return decoders, []


class ChainDecoder:
    """Feed raw wire bytes, get decoded pieces of at most STEP bytes."""

    def __init__(self, content_encoding: str | None) -> None:
        self.decoders, self.unknown = decoder_chain(content_encoding)

    def _through(self, pieces: Iterator[bytes], index: int) -> Iterator[bytes]:
        if index == len(self.decoders):
            yield from pieces
            return
        dec = self.decoders[index]
        for piece in pieces:
            yield from self._through(dec.feed(piece), index + 1)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if not self.decoders:
            yield from _Identity().feed(data)
            return
        yield from self._through(iter((data,)), 0)

    def flush(self) -> Iterator[bytes]:
        for index, dec in enumerate(self.decoders):
            yield from self._through(dec.flush(), index + 1)


class BodySink:
    """Keeps up to ``memory_limit`` decoded bytes in memory; past that, the whole body goes to a temp file.

    The temp file (``path``) is created in ``temp_dir`` (None: the system temp folder) and is never
    deleted here unless ``discard()`` is called: it belongs to whoever keeps the Exchange (the history deletes
    it with its entry, the CLI when the command ends). ``write`` raises ``DiskReserveError`` rather than leave
    less than ``disk_reserve`` bytes free on that disk.
    """

    def __init__(self, memory_limit: int, temp_dir: str | None = None, disk_reserve: int = DISK_RESERVE) -> None:
        self.memory_limit = max(0, memory_limit)
        self.temp_dir = temp_dir
        self.disk_reserve = disk_reserve
        self._discarded = False
        self._room = 0  # bytes that may still be spilled before free space is looked up again
        self._preview = bytearray()
        self._file = None
        self.path: str | None = None
        self.size = 0

    def write(self, data: bytes) -> None:
        if not data:
            return
        new_size = self.size + len(data)
        if self._file is None and new_size > self.memory_limit and not self._discarded:
            if self.temp_dir:
                os.makedirs(self.temp_dir, exist_ok=True)
            fd, self.path = tempfile.mkstemp(prefix="request-inspector-body-", suffix=".bin", dir=self.temp_dir)
            self._file = os.fdopen(fd, "wb")
            self._file.write(self._preview)
        if self._file is not None:
            self._check_disk(len(data))
            self._file.write(data)
        room = self.memory_limit - len(self._preview)
        if room > 0:
            self._preview += data[:room]
        self.size = new_size

    def _check_disk(self, more: int) -> None:
        if more <= self._room:
            self._room -= more
            return
        folder = os.path.dirname(self.path or "") or tempfile.gettempdir()
        try:
            free = shutil.disk_usage(folder).free
        except OSError:
            free = self.disk_reserve + DISK_CHECK_EVERY + more  # cannot tell: the write itself will fail if full
        if free - more < self.disk_reserve:
            raise DiskReserveError(folder, self.size)
        self._room = min(DISK_CHECK_EVERY, free - more - self.disk_reserve)

    @property
    def truncated(self) -> bool:
        return self.size > len(self._preview)

    @property
    def preview(self) -> bytes:
        return bytes(self._preview)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def discard(self) -> None:
        """Close and delete the temp file (a body nobody will look at, e.g. a followed redirect)."""
        self.close()
        self._discarded = True
        if self.path:
            try:
                os.unlink(self.path)
            except OSError:
                pass
            self.path = None
