"""Splits a bash (POSIX shell) command line into words, as bash would before running curl.

Browsers' "Copy as cURL (bash)" and most documentation write this flavour: '...' and "..." quotes, bash's
$'...' strings with C escapes (which may carry raw bytes), backslash escapes and backslash-newline continuations,
and # comments. Nothing is expanded or run; a pipe, redirection or ``;`` ends the command with a warning.
"""

from __future__ import annotations

import re

from app.core.formats.curl.tokens import Token
from app.core.formats.errors import at

_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
                   "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}
_OPERATORS = "|;&<>"
_WORD_END = " \t\r\n" + _OPERATORS


def _raw_byte(code: int) -> str:
    """A byte from an escape: ASCII as itself, 0x80..0xFF as its surrogate (see tokens.to_bytes)."""
    return chr(code) if code < 0x80 else chr(0xDC00 + code)


def _hex_escape(text: str, i: int, e: str, out: list[str]) -> int:
    """\\xHH, \\uHHHH, \\UHHHHHHHH whose digits start at ``i``; return the index after them."""
    width = {"x": 2, "u": 4, "U": 8}[e]
    m = re.match(r"[0-9A-Fa-f]{1,%d}" % width, text[i:i + width])
    if not m:
        out.append("\\" + e)
        return i
    code = int(m.group(0), 16)
    i += len(m.group(0))
    if e == "x":
        out.append(_raw_byte(code))
    elif code > 0x10FFFF:
        raise at(text, i, f"The escape \\{e}{m.group(0)} is not a valid character")
    else:
        out.append(chr(code))
    return i


def _ansi_c(text: str, i: int, start: int) -> tuple[str, int]:
    """Read a bash $'...' string whose body starts at ``i``; return (value, index after closing quote)."""
    out: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if c == "'":
            return "".join(out), i + 1
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = text[i + 1]
        i += 2
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
        elif e in "xuU":
            i = _hex_escape(text, i, e, out)
        elif e in "01234567":
            m = re.match(r"[0-7]{1,3}", text[i - 1:i + 2])
            assert m is not None
            out.append(_raw_byte(int(m.group(0), 8) & 0xFF))
            i += len(m.group(0)) - 1
        elif e == "c" and i < n:
            out.append(chr(ord(text[i]) & 0x1F))
            i += 1
        else:
            out.append("\\" + e)
    raise at(text, start, "The $'...' quote that starts here is never closed")


def _double_quoted(text: str, i: int, buf: list[str]) -> int:
    """Read a "..." (or $"...") string starting at its opening ``i``; return the index after the closing quote."""
    qstart, n = i, len(text)
    i += 1 if text[i] == '"' else 2
    while True:
        if i >= n:
            raise at(text, qstart, "The double quote that starts here is never closed")
        d = text[i]
        if d == '"':
            return i + 1
        if d == "\\" and i + 1 < n and text[i + 1] in '$`"\\\n':
            if text[i + 1] != "\n":
                buf.append(text[i + 1])
            i += 2
        else:
            buf.append(d)
            i += 1


def _backslash(text: str, i: int, buf: list[str]) -> tuple[int, bool]:
    """An unquoted backslash at ``i``: (index after it, whether the word ends there)."""
    n = len(text)
    if i + 1 >= n:
        return i + 1, True
    nxt = text[i + 1]
    if nxt == "\r" and text[i + 2:i + 3] == "\n":
        return i + 3, False
    if nxt == "\n":
        return i + 2, False
    buf.append(nxt)
    return i + 2, False


def _word(text: str, i: int) -> tuple[str, int]:
    """Read one word starting at ``i``; return (word, index after it)."""
    buf: list[str] = []
    n = len(text)
    while i < n:
        c = text[i]
        if c in _WORD_END:
            break
        if c == "\\":
            i, ended = _backslash(text, i, buf)
            if ended:
                break
        elif c == "'":
            end = text.find("'", i + 1)
            if end < 0:
                raise at(text, i, "The single quote that starts here is never closed")
            buf.append(text[i + 1:end])
            i = end + 1
        elif c == "$" and text[i + 1:i + 2] == "'":
            value, i = _ansi_c(text, i + 2, i)
            buf.append(value)
        elif c == '"' or (c == "$" and text[i + 1:i + 2] == '"'):
            i = _double_quoted(text, i, buf)
        else:
            buf.append(c)
            i += 1
    return "".join(buf), i


def tokenize_bash(text: str, warnings: list[str]) -> list[Token]:
    """The words of a bash command line; what follows a pipe, redirection or ``;`` is dropped with a warning."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
        elif c == "\\" and text[i + 1:i + 2] in ("\n", "\r"):
            i += 2
        elif c == "#":  # a comment up to the end of the line
            while i < n and text[i] != "\n":
                i += 1
        elif c in _OPERATORS:
            rest = text[i:].strip().splitlines()[0] if text[i:].strip() else c
            warnings.append(f"Ignored what follows the curl command: {rest[:60]!r}.")
            break
        else:
            start = i
            word, i = _word(text, i)
            tokens.append(Token(word, start))
    return tokens
