"""Where a paged body view gets its text: a window of a few tens of KB around an offset, from any size of body.

Three sources, one shape (``size`` in units, ``window(offset)``, ``search(text, case_sensitive, cancelled)``):
``TextSource`` over a str in memory (the formatted body, units are characters), ``FileText`` over the bytes of a
body in memory or in its spilled temp file (units are bytes, decoded per window) and ``HexSource`` (a hex dump of
the same bytes, 16 a line). Windows start and end on whole lines; lines longer than ``LONG_LINE`` are broken for
display and a ``Window`` maps between its characters and the source's units, so the scroll bar, Find and
highlighting speak of the same places. Reading a file happens wherever ``window``/``search`` are called: the
paged view calls them on a worker for files and on the GUI thread only for sources held in memory.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.body_format import LONG_LINE, hex_dump
from app.core.body_search import SearchResult, find_all, find_in_text, line_start, needle_bytes, utf8_boundary

WINDOW = 64 * 1024  # characters laid out at once (~20 ms with wrapping off)
COLOURED_WINDOW = 16 * 1024  # for JSON/XML: the highlighter costs ~15 µs a token (200 ms per 64 KB of dense JSON)
JSON_WIDTH = 160  # minified JSON is broken after a comma near this width
HEX_ROW = 76  # characters per hex-dump line, its newline included
HEX_WINDOW = (WINDOW // HEX_ROW) * 16  # bytes per hex window


class ByteStore:
    """The body's bytes: in memory, or in a file read piece by piece (never whole)."""

    def __init__(self, data: bytes = b"", path: str | None = None, size: int | None = None) -> None:
        self.data, self.path = data, path
        self.size = size if size is not None else (Path(path).stat().st_size if path else len(data))

    @property
    def in_memory(self) -> bool:
        return self.path is None

    def read(self, offset: int, n: int) -> bytes:
        if self.path is None:
            return self.data[offset:offset + n]
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            return fh.read(n)


@dataclass(frozen=True)
class Window:
    """``text`` shows units ``start``..``end`` of its source; ``breaks`` are the indexes of added line breaks."""

    start: int
    end: int
    text: str
    breaks: tuple[int, ...] = ()
    to_offset: Callable[[int], int] = field(default=lambda c: c, compare=False)  # plain char -> unit - start
    to_index: Callable[[int], int] = field(default=lambda u: u, compare=False)  # unit - start -> plain char

    def char_of(self, unit: int) -> int:
        """Where unit ``unit`` of the source is in ``text``."""
        plain = self.to_index(min(max(unit, self.start), self.end) - self.start)
        return plain + bisect.bisect_right([b - i for i, b in enumerate(self.breaks)], plain)

    def unit_of(self, char: int) -> int:
        """The source unit shown at ``char`` of ``text``."""
        plain = char - bisect.bisect_left(self.breaks, char)
        return self.start + self.to_offset(max(0, plain))


def _pieces(line: str, width: int, soft: bool) -> list[str]:
    """``line`` cut into pieces of at most ``width`` characters; ``soft``: after the last comma of each when it is
    in the piece's second half (minified JSON reads as one item a line)."""
    out, j = [], 0
    while len(line) - j > width:
        cut = j + width
        if soft:
            comma = line.rfind(",", j + width // 2, cut)
            cut = comma + 1 if comma >= 0 else cut
        out.append(line[j:cut])
        j = cut
    out.append(line[j:])
    return out


def _broken(text: str, width: int = LONG_LINE, soft: bool = False) -> tuple[str, tuple[int, ...]]:
    """``text`` with line breaks added in lines longer than ``width`` characters, and where they went."""
    lines = text.split("\n")
    if all(len(line) <= width for line in lines):
        return text, ()
    out: list[str] = []
    breaks: list[int] = []
    pos = 0
    for i, line in enumerate(lines):
        for j, piece in enumerate(_pieces(line, width, soft) if len(line) > width else [line]):
            if j:
                breaks.append(pos)
                out.append("\n")
                pos += 1
            out.append(piece)
            pos += len(piece)
        if i < len(lines) - 1:
            out.append("\n")
            pos += 1
    return "".join(out), tuple(breaks)


class TextSource:
    """A str held in memory (the formatted body); units are characters."""

    in_memory = True

    def __init__(self, text: str, window: int = WINDOW) -> None:
        self.text = text
        self.size = len(text)
        self.span = window

    def window(self, offset: int) -> Window:
        t, size = self.text, self.size
        a = a0 = max(0, min(offset - self.span // 2, size - self.span))
        if a:
            nl = t.rfind("\n", max(0, a - 4096), a)
            a = nl + 1 if nl >= 0 else a
        b = min(size, a0 + self.span)
        if b < size:
            nl = t.find("\n", b, b + 4096)
            b = nl if nl >= 0 else b
        text, breaks = _broken(t[a:b])
        return Window(a, b, text, breaks)

    def search(self, needle: str, case_sensitive: bool, cancelled: Callable[[], bool]) -> SearchResult:
        return find_in_text(self.text, needle, case_sensitive=case_sensitive, cancelled=cancelled)


class FileText:
    """The body's bytes as text, decoded a window at a time; units are bytes."""

    def __init__(self, store: ByteStore, encoding: str = "utf-8", kind: str = "text") -> None:
        self.store, self.encoding = store, encoding
        self.size = store.size
        self.in_memory = store.in_memory
        self.span = COLOURED_WINDOW if kind in ("json", "xml") else WINDOW
        self.soft = kind == "json"

    def window(self, offset: int) -> Window:
        read, size = self.store.read, self.size
        a0 = max(0, min(offset - self.span // 2, size - self.span))
        a = line_start(read, a0)
        b = min(size, a0 + self.span)
        data = read(a, b - a + 4096)
        cut = data.find(b"\n", b - a)
        cut = cut if 0 <= cut and b < size else min(len(data), b - a)
        head = utf8_boundary(data, 0) if a else 0
        cut = utf8_boundary(data, cut) if a + cut < size else cut
        chunk = data[head:cut]
        text = chunk.decode(self.encoding, "replace")
        start = a + head
        if len(text) == len(chunk):  # one byte a character: the common case, no mapping needed
            to_offset = to_index = (lambda x: x)
        else:
            enc = self.encoding
            to_offset = (lambda c: len(text[:c].encode(enc, "replace")))
            to_index = (lambda u: len(chunk[:u].decode(enc, "replace")))
        shown, breaks = _broken(text, JSON_WIDTH if self.soft else LONG_LINE, self.soft)
        return Window(start, start + len(chunk), shown, breaks, to_offset, to_index)

    def search(self, needle: str, case_sensitive: bool, cancelled: Callable[[], bool]) -> SearchResult:
        return find_all(self.store.read, self.size, needle_bytes(needle, self.encoding),
                        case_sensitive=case_sensitive, cancelled=cancelled)


class HexSource(FileText):
    """A hex dump of the body's bytes, a window at a time; units are bytes (Find searches the bytes)."""

    def window(self, offset: int) -> Window:
        a = (max(0, min(offset - HEX_WINDOW // 2, self.size - HEX_WINDOW)) // 16) * 16
        data = self.store.read(a, HEX_WINDOW)
        lines = hex_dump(data, len(data)).split("\n")
        text = "\n".join(f"{a + i * 16:08x}{line[8:]}" for i, line in enumerate(lines)) if data else ""
        return Window(a, a + len(data), text, (), lambda c: (c // HEX_ROW) * 16, lambda u: (u // 16) * HEX_ROW)
