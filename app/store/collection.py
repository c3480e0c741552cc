"""Saved requests: a folder of ``.http`` files (JetBrains / VS Code REST Client format) shown as a tree.

This module only stores text; parsing is app/core/formats/http_file.py's job. Paths given to every call
are relative to the collection folder, with ``/`` separators; anything that would leave the folder
(``..``, absolute paths, symlinks pointing outside) is refused with ``CollectionError``. Writes are atomic.
All methods are plain blocking file I/O: call them from a worker thread in the GUI.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from app.store.atomic import atomic_write_bytes, atomic_write_text, is_temp_name

REQUEST_SUFFIXES = (".http", ".rest")


class CollectionError(Exception):
    """A collection problem explained in one sentence."""


@dataclass(frozen=True)
class CollectionNode:
    """A folder or a request file. ``rel_path`` uses ``/`` and is relative to the collection folder."""

    rel_path: str
    name: str
    is_dir: bool
    children: tuple[CollectionNode, ...] = field(default=())


def _sort_key(path: Path) -> tuple[int, str, str]:
    return (0 if path.is_dir() else 1, path.name.casefold(), path.name)


class Collection:
    """The saved requests under ``folder`` (default: ``data_home()/requests``)."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        if folder is None:
            from app.paths import data_home

            folder = data_home() / "requests"
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CollectionError(f"Cannot create the saved-requests folder {self.folder}: {exc.strerror}.") from exc
        self._root = self.folder.resolve()
        self._lock = threading.Lock()

    # --- reading ------------------------------------------------------------------------------

    def tree(self) -> list[CollectionNode]:
        """Folders first, then request files, each sorted by name (case-insensitive). Hidden entries are skipped."""
        return list(self._children(self._root))

    def _children(self, folder: Path) -> tuple[CollectionNode, ...]:
        try:
            entries = sorted(folder.iterdir(), key=_sort_key)
        except OSError:
            return ()
        nodes: list[CollectionNode] = []
        for entry in entries:
            if entry.name.startswith(".") or is_temp_name(entry.name):
                continue
            rel = entry.relative_to(self._root).as_posix()
            if entry.is_dir():
                if entry.is_symlink() and not self._inside(entry.resolve()):
                    continue
                nodes.append(CollectionNode(rel, entry.name, True, self._children(entry)))
            elif entry.suffix.lower() in REQUEST_SUFFIXES:
                nodes.append(CollectionNode(rel, entry.name, False))
        return tuple(nodes)

    def read(self, rel_path: str) -> str:
        """The text of one saved request file."""
        path = self._resolve(rel_path)
        if path.is_dir():
            raise CollectionError(f"'{rel_path}' is a folder, not a saved request.")
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CollectionError(f"There is no saved request '{rel_path}' (it may have been moved or deleted).") from None
        except OSError as exc:
            raise CollectionError(f"Cannot read the saved request '{rel_path}': {exc.strerror}.") from exc
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CollectionError(
                f"The saved request '{rel_path}' is not UTF-8 text; open it in a text editor and save it as UTF-8."
            ) from None

    def exists(self, rel_path: str) -> bool:
        return self._resolve(rel_path).exists()

    # --- writing ------------------------------------------------------------------------------

    def save(self, rel_path: str, text: str) -> None:
        """Write ``text`` to ``rel_path`` atomically (parent folders are created)."""
        path = self._resolve(rel_path)
        self._require_request_name(rel_path, path)
        if path.is_dir():
            raise CollectionError(f"'{rel_path}' is a folder; choose a file name ending in .http.")
        with self._lock:
            try:
                atomic_write_text(path, text)
            except OSError as exc:
                raise CollectionError(
                    f"Could not save '{rel_path}': {exc.strerror or exc}. The previous version is unchanged."
                ) from exc

    def mkdir(self, rel_path: str) -> None:
        """Create a folder (and its parents). An existing folder is fine; an existing file is not."""
        path = self._resolve(rel_path)
        if path.exists() and not path.is_dir():
            raise CollectionError(f"'{rel_path}' already exists as a file.")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CollectionError(f"Could not create the folder '{rel_path}': {exc.strerror}.") from exc

    def rename(self, old: str, new: str) -> None:
        """Rename or move a file or folder inside the collection. Never overwrites."""
        src = self._resolve(old)
        dst = self._resolve(new)
        if not src.exists():
            raise CollectionError(f"There is no saved request or folder '{old}'.")
        if src.is_file():
            self._require_request_name(new, dst)
        if src.is_dir() and (dst == src or src in dst.parents):
            raise CollectionError(f"Cannot move the folder '{old}' into itself.")
        with self._lock:
            if dst.exists() and not _same_file_other_case(src, dst):
                raise CollectionError(f"'{new}' already exists; choose another name.")
            try:
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.rename(src, dst)
            except OSError as exc:
                raise CollectionError(f"Could not rename '{old}' to '{new}': {exc.strerror}.") from exc

    def duplicate(self, rel_path: str) -> str:
        """Copy a file or folder next to itself as "name copy.http", "name copy 2.http", ...; return the new path."""
        src = self._resolve(rel_path)
        if not src.exists():
            raise CollectionError(f"There is no saved request or folder '{rel_path}'.")
        with self._lock:
            dst = self._free_copy_name(src)
            try:
                if src.is_dir():
                    shutil.copytree(src, dst, symlinks=True)
                else:
                    atomic_write_bytes(dst, src.read_bytes())
            except OSError as exc:
                raise CollectionError(f"Could not duplicate '{rel_path}': {exc.strerror or exc}.") from exc
        return dst.relative_to(self._root).as_posix()

    def delete(self, rel_path: str) -> None:
        """Delete a request file, or a folder with everything in it."""
        path = self._resolve(rel_path)
        if path == self._root:
            raise CollectionError("The collection folder itself cannot be deleted.")
        with self._lock:
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except FileNotFoundError:
                raise CollectionError(f"There is no saved request or folder '{rel_path}'.") from None
            except OSError as exc:
                raise CollectionError(f"Could not delete '{rel_path}': {exc.strerror}.") from exc

    # --- helpers ------------------------------------------------------------------------------

    def _free_copy_name(self, src: Path) -> Path:
        suffix = "" if src.is_dir() else src.suffix
        stem = src.name[: len(src.name) - len(suffix)] if suffix else src.name
        candidate = src.with_name(f"{stem} copy{suffix}")
        n = 2
        while candidate.exists():
            candidate = src.with_name(f"{stem} copy {n}{suffix}")
            n += 1
        return candidate

    @staticmethod
    def _require_request_name(rel_path: str, path: Path) -> None:
        if path.suffix.lower() not in REQUEST_SUFFIXES:
            raise CollectionError(f"'{rel_path}' must end in .http (saved requests are .http files).")

    def _inside(self, path: Path) -> bool:
        return path == self._root or self._root in path.parents

    def _resolve(self, rel_path: str) -> Path:
        """``rel_path`` as an absolute path inside the collection, or ``CollectionError``."""
        if not isinstance(rel_path, str) or not rel_path.strip():
            raise CollectionError("A saved request needs a name.")
        if "\x00" in rel_path:
            raise CollectionError(f"The name {rel_path!r} contains a NUL character.")
        text = rel_path.replace("\\", "/")
        if PurePosixPath(text).is_absolute() or PureWindowsPath(rel_path).drive or PureWindowsPath(rel_path).root:
            raise CollectionError(f"'{rel_path}' is an absolute path; give a path inside the collection folder.")
        parts = [p for p in text.split("/") if p not in ("", ".")]
        if ".." in parts:
            raise CollectionError(f"'{rel_path}' points outside the collection folder ('..' is not allowed).")
        if not parts:
            return self._root
        candidate = self._root.joinpath(*parts)
        # Follow symlinks of existing parts: a link must not lead out of the folder either.
        if not self._inside(candidate.resolve()):
            raise CollectionError(f"'{rel_path}' points outside the collection folder.")
        return candidate


def _same_file_other_case(a: Path, b: Path) -> bool:
    """True when ``b`` exists only because the file system ignores case (renaming "a.http" to "A.http")."""
    try:
        return a.name != b.name and a.name.casefold() == b.name.casefold() and os.path.samefile(a, b)
    except OSError:
        return False
