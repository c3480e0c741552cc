"""Finding text in a response body of any size, as pure functions over a ``read(offset, n) -> bytes`` callable.

A body may be hundreds of MB in a temp file, so nothing here holds more than one chunk (plus the needle's overlap)
at a time: the search is linear in the body and stops at ``MAX_MATCHES`` or when ``cancelled()`` says so (a newer
search replaces an older one). The caller decides where the bytes come from (a file on a worker thread, or bytes
in memory); offsets returned are byte offsets into the body. Also here: where a line starts near an offset, so a
paged viewer can begin its window on a whole line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CHUNK = 1024 * 1024  # bytes read per step
MAX_MATCHES = 10_000  # more are counted as "10,000+"

Reader = Callable[[int, int], bytes]


@dataclass(frozen=True)
class SearchResult:
    """Byte offsets of the matches (ascending), the needle's length in bytes, and whether the cap was reached."""

    offsets: tuple[int, ...]
    length: int
    capped: bool = False
    cancelled: bool = False

    def summary(self, current: int | None = None) -> str:
        """ "3 of 41", "No matches", "1 of 10,000+"."""
        total = f"{len(self.offsets):,}" + ("+" if self.capped else "")
        if not self.offsets:
            return "No matches"
        if current is None:
            return f"{total} matches" if len(self.offsets) != 1 else "1 match"
        return f"{current + 1:,} of {total}"


def _fold(data: bytes, case_sensitive: bool) -> bytes:
    return data if case_sensitive else data.lower()


def needle_bytes(text: str, encoding: str = "utf-8") -> bytes:
    """The search text as bytes of the body's encoding (utf-8 when unknown)."""
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return text.encode("utf-8", "replace")


def find_all(read: Reader, size: int, needle: bytes, *, case_sensitive: bool = False,
             max_matches: int = MAX_MATCHES, chunk: int = CHUNK,
             cancelled: Callable[[], bool] = lambda: False) -> SearchResult:
    """Every non-overlapping match of ``needle`` in the body's first ``size`` bytes, read ``chunk`` bytes at a time.

    Case folding is ASCII only (bytes.lower), which is what a body's keys and headers need.
    """
    if not needle or size <= 0:
        return SearchResult((), len(needle))
    target = _fold(needle, case_sensitive)
    overlap = len(target) - 1
    found: list[int] = []
    pos = 0  # body offset of the next chunk
    carry = b""  # the previous chunk's last ``overlap`` bytes, where a match may start
    floor = 0  # no match may start before this (non-overlapping matches)
    while pos < size:
        if cancelled():
            return SearchResult(tuple(found), len(target), cancelled=True)
        piece = read(pos, min(chunk, size - pos))
        if not piece:
            break
        window = carry + _fold(piece, case_sensitive)
        base = pos - len(carry)
        at = max(0, floor - base)
        while True:
            at = window.find(target, at)
            if at < 0:
                break
            found.append(base + at)
            if len(found) >= max_matches:
                return SearchResult(tuple(found), len(target), capped=True)
            at += len(target)
            floor = base + at
        pos += len(piece)
        carry = window[-overlap:] if overlap else b""
    return SearchResult(tuple(found), len(target))


def find_in_text(text: str, needle: str, *, case_sensitive: bool = False, max_matches: int = MAX_MATCHES,
                 cancelled: Callable[[], bool] = lambda: False) -> SearchResult:
    """The same over a str already in memory (the formatted body): offsets are character offsets."""
    if not needle:
        return SearchResult((), 0)
    hay, target = (text, needle) if case_sensitive else (text.lower(), needle.lower())
    if len(hay) != len(text):  # a few characters change length when lowered: fall back to exact case
        hay, target = text, needle
    found: list[int] = []
    at = hay.find(target)
    while at >= 0:
        found.append(at)
        if len(found) >= max_matches:
            return SearchResult(tuple(found), len(target), capped=True)
        if len(found) % 4096 == 0 and cancelled():
            return SearchResult(tuple(found), len(target), cancelled=True)
        at = hay.find(target, at + len(target))
    return SearchResult(tuple(found), len(target))


def line_start(read: Reader, offset: int, *, lookback: int = 4096) -> int:
    """The offset of the line holding ``offset`` (just after the previous ``\\n``), looking back at most
    ``lookback`` bytes; a longer line starts where the look-back gave up."""
    if offset <= 0:
        return 0
    start = max(0, offset - lookback)
    data = read(start, offset - start)
    nl = data.rfind(b"\n")
    if nl >= 0:
        return start + nl + 1
    return start if start == 0 else offset


def utf8_boundary(data: bytes, at: int) -> int:
    """``at`` moved forward past UTF-8 continuation bytes (so a decoded window never starts mid-character)."""
    limit = min(len(data), at + 3)
    while at < limit and 0x80 <= data[at] < 0xC0:
        at += 1
    return at
