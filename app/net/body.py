"""Response bodies: capped content decoding and a sink that keeps a preview in memory and spills to a temp file.

Decoding is done here (not by httpx) so that raw wire bytes can be counted and so that a small compressed
body can never expand into a giant bytes object: every decoder step yields at most ``STEP`` bytes (the decoders
live in app.core.content_coding, shared with the raw HTTP and HAR importers). gzip, deflate, br and zstd are
decoded, stacked too; ``SUPPORTED_ENCODINGS`` is what the transport advertises in Accept-Encoding, like a browser.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from app.core.content_coding import STEP, SUPPORTED_ENCODINGS, ChainDecoder, DecodeError, decoder_chain

__all__ = ["STEP", "SUPPORTED_ENCODINGS", "BodySink", "ChainDecoder", "DecodeError", "DiskReserveError",
           "decoder_chain"]

DISK_RESERVE = 256 * 1024 * 1024  # a spilled body stops before the temp folder's disk has less than this free
DISK_CHECK_EVERY = 8 * 1024 * 1024  # free space is looked up again after this many bytes spilled


class DiskReserveError(Exception):
    """Spilling more of the body would leave less than ``DISK_RESERVE`` free on the temp folder's disk."""

    def __init__(self, folder: str, written: int) -> None:
        super().__init__(folder, written)
        self.folder = folder
        self.written = written


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
