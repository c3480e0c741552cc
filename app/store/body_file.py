"""Reading a file the user chose as a request body (binary body, multipart file part), with its checks.

Only a regular file is read: ``/dev/zero``, a FIFO or a folder typed as a body path would otherwise be read
until memory runs out, or block the reader forever. The file is opened non-blocking and checked again on the
open descriptor (a path swapped for a pipe between the checks is still refused), and never more than ``limit``
bytes are read. Failures are ``OSError`` whose ``strerror`` finishes the sentence "Could not read the body
file 'x': …" that app.core.draft builds. Blocking file I/O: call it off the GUI thread.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from app.core.humanize import human_size

MAX_BODY_FILE = 1024 * 1024 * 1024  # what a send reads at most (the response side has the same cap)
PREVIEW_LIMIT = 1024 * 1024  # live findings look at files up to this size only
NOT_REGULAR = "it is not a regular file (a device, a pipe or a folder cannot be sent as a body)"


def _check_regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, NOT_REGULAR)


def _too_big(limit: int) -> OSError:
    return OSError(errno.EFBIG, f"it is larger than {human_size(limit)}, the most a body file may be")


def read_body_file(path: str, limit: int = MAX_BODY_FILE) -> bytes:
    """The bytes of the regular file ``path`` (``~`` expanded); OSError for anything else or over ``limit``."""
    target = Path(path).expanduser()
    _check_regular(os.stat(target).st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(target, flags)
    try:
        info = os.fstat(fd)
        _check_regular(info.st_mode)
        if info.st_size > limit:
            raise _too_big(limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # the file grew while it was read
                raise _too_big(limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_for_preview(path: str) -> bytes:
    """What live findings may look at: a regular file up to ``PREVIEW_LIMIT``; a bigger one counts as empty."""
    try:
        return read_body_file(path, PREVIEW_LIMIT)
    except OSError as exc:
        if exc.errno == errno.EFBIG:
            return b""
        raise
