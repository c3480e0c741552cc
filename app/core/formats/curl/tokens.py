"""Words of a curl command line as the shell hands them to curl, and the two ways the importer reads them.

A word may hold bytes that are not valid UTF-8 (bash's ``$'\\xff'``): they are kept as the surrogates U+DC80..U+DCFF
(Python's "surrogateescape"), so a body keeps its exact bytes while headers and URLs decode them leniently.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Token:
    """One word of the command and where it starts in the pasted text (for error positions)."""

    text: str  # may hold U+DC80..U+DCFF for raw bytes (\xHH >= 0x80), see to_bytes
    offset: int


def to_bytes(s: str) -> bytes:
    """A word as the exact bytes curl would get (raw bytes restored from their surrogates)."""
    try:
        return s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return s.encode("utf-8", "replace")


def to_text(s: str) -> str:
    """A word as plain text (header values, URLs): raw bytes decoded leniently."""
    return to_bytes(s).decode("utf-8", "replace")


@dataclass(frozen=True)
class Command:
    """One command of a pasted text: its words, and what a heredoc (``<<DATA``) or ``<<<`` hands it on stdin."""

    tokens: list[Token]
    stdin: bytes | None = None
    stdin_file: str | None = None  # ``< file``: stdin comes from a file (read only through the caller's reader)
