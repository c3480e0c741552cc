"""Atomic file writes: a reader sees either the old file or the whole new one, never half of it.

Recipe: write a temp file in the *same* folder (so ``os.replace`` is a rename on one file system),
flush + fsync it, ``os.replace`` it over the target, then fsync the folder so the rename itself is durable.
On any failure the temp file is removed and the target is left untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` atomically. ``mode`` (e.g. 0o600) is applied before the file appears.

    Raises OSError from the file system; the target is then unchanged and no temp file is left behind.
    """
    target = Path(path)
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX + target.name + ".", suffix=TEMP_SUFFIX, dir=folder)
    tmp = Path(tmp_name)
    try:
        try:
            if mode is not None:
                os.fchmod(fd, mode) if hasattr(os, "fchmod") else os.chmod(tmp, mode)
            elif target.exists():
                # Keep the permissions the user (or we) gave the file before.
                with contextlib.suppress(OSError):
                    os.chmod(tmp, target.stat().st_mode & 0o7777)
            else:
                # mkstemp makes 0600; a normal new file follows the umask like open() would.
                umask = os.umask(0)
                os.umask(umask)
                with contextlib.suppress(OSError):
                    os.chmod(tmp, 0o666 & ~umask)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(folder)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``text`` (UTF-8, newlines kept as given) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def atomic_write_json(path: str | os.PathLike[str], value: Any, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``value`` as pretty, stable JSON atomically."""
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    atomic_write_text(path, text, mode=mode)


def move_aside(path: str | os.PathLike[str], *, now: float | None = None) -> Path:
    """Rename a broken file to ``<name>.broken-<YYYYmmdd-HHMMSS>`` (unique) and return the new path."""
    source = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() if now is None else now))
    candidate = source.with_name(f"{source.name}.broken-{stamp}")
    n = 2
    while candidate.exists():
        candidate = source.with_name(f"{source.name}.broken-{stamp}-{n}")
        n += 1
    os.replace(source, candidate)
    return candidate


def set_aside_damaged(path: str | os.PathLike[str], what: str, consequence: str) -> str:
    """Move a damaged file aside (keeping its data for the user) and return the sentence that says so.

    ``set_aside_damaged(p, "settings file", "default settings are used")`` ->
    "The settings file /x/settings.json was damaged; it was moved aside to /x/settings.json.broken-… and default
    settings are used." Never raises: a file that cannot be moved is left in place, and the sentence says that.
    """
    try:
        where = f"it was moved aside to {move_aside(path)}"
    except OSError:
        where = "it was left in place"
    return f"The {what} {path} was damaged; {where} and {consequence}."


def is_temp_name(name: str) -> bool:
    """True for the temp files ``atomic_write_bytes`` creates (so listings can hide leftovers)."""
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)
