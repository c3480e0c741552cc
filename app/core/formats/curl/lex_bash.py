"""Splits a bash (POSIX shell) command line into words, as bash would before running curl.

Browsers' "Copy as cURL (bash)" and most documentation write this flavour: '...' and "..." quotes, bash's
$'...' strings with C escapes (which may carry raw bytes), backslash escapes and backslash-newline continuations,
and # comments. A newline ends a command, as do ``;``, ``&&``, ``||`` and ``&``, so a text may hold several
commands. Here-documents (``<<DATA`` ... ``DATA``) and ``<<<`` strings become the command's stdin (what ``-d @-``
reads). Nothing is expanded or run; a pipe's tail and output redirections are dropped with a warning.
"""

from __future__ import annotations

import re

from app.core.formats.curl.tokens import Command, Token, to_bytes, to_text
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


def _to_line_end(text: str, i: int) -> int:
    """The index of the newline that ends the line holding ``i`` (or the end of the text)."""
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _heredoc_bodies(text: str, i: int, heredocs: list[tuple[str, bool]], warnings: list[str]) -> tuple[bytes, int]:
    """Read the bodies of the here-documents opened on the line that just ended, starting at ``i``.

    Returns the last one (bash hands the command its last redirection) and the index after its closing line.
    """
    body = b""
    for delimiter, strip_tabs in heredocs:
        lines: list[str] = []
        while True:
            if i >= len(text):
                warnings.append(f"The here-document {delimiter!r} is never closed; it runs to the end of the text.")
                break
            end = _to_line_end(text, i)
            line = text[i:end].removesuffix("\r")
            i = end + 1
            if strip_tabs:
                line = line.lstrip("\t")
            if line == delimiter:
                break
            lines.append(line + "\n")
        body = to_bytes("".join(lines))
    return body, i


def _skip_blanks(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i


def _redirection(text: str, i: int, tokens: list[Token], warnings: list[str], st: dict) -> int:
    """A redirection at ``i`` (``<<<``, ``<<``, ``<<-``, ``<``, ``>``, ``>>``): note it in ``st``; index after it."""
    if tokens and tokens[-1].text.isdigit() and tokens[-1].offset + len(tokens[-1].text) == i:
        tokens.pop()  # "2>": the digits name a file descriptor, they are no word of the command
    if text.startswith("<<<", i):
        word, i = _word(text, _skip_blanks(text, i + 3))
        st["stdin"] = to_bytes(word) + b"\n"
        return i
    if text.startswith("<<", i):
        i += 2
        strip_tabs = text[i:i + 1] == "-"
        word, i = _word(text, _skip_blanks(text, i + strip_tabs))
        st["heredocs"].append((word, strip_tabs))
        return i
    op = "<" if text[i] == "<" else (">>" if text.startswith(">>", i) else ">")
    i += len(op)
    if text[i:i + 1] == "&":
        i += 1
    word, i = _word(text, _skip_blanks(text, i))
    if op == "<":
        st["stdin_file"] = word
    else:
        warnings.append(f"Ignored the redirection of curl's output: {op} {to_text(word)!r}.")
    return i


def _command(text: str, i: int, warnings: list[str]) -> tuple[Command, int]:
    """Read one command starting at ``i``: up to a newline, ``;``, ``&&``, ``||`` or ``&`` (here-documents read
    after the line that opens them). Returns the command and the index where the next one starts."""
    tokens: list[Token] = []
    st: dict = {"stdin": None, "stdin_file": None, "heredocs": []}
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            i += 1
            if st["heredocs"]:
                st["stdin"], i = _heredoc_bodies(text, i, st["heredocs"], warnings)
                st["heredocs"] = []
            if tokens:
                break
        elif c in " \t\r":
            i += 1
        elif c == "\\" and text[i + 1:i + 2] == "\n":
            i += 2
        elif c == "\\" and text[i + 1:i + 3] == "\r\n":
            i += 3
        elif c == "#":  # a comment up to the end of the line
            i = _to_line_end(text, i)
        elif c in "<>":
            i = _redirection(text, i, tokens, warnings, st)
        elif c in ";&" or text.startswith("||", i):
            i += 2 if text.startswith(("&&", "||"), i) else 1
            if tokens:
                break
        elif c == "|":
            end = _to_line_end(text, i)
            warnings.append(f"Ignored what follows the curl command: {text[i:end].strip()[:60]!r}.")
            i = end
        else:
            start = i
            word, i = _word(text, i)
            tokens.append(Token(word, start))
    return Command(tokens, st["stdin"], st["stdin_file"]), i


def commands_bash(text: str, warnings: list[str]) -> list[Command]:
    """The commands of a bash text, in order: a newline (not escaped with a backslash), ``;``, ``&&``, ``||`` or
    ``&`` ends one. Comments and blank lines are skipped; a pipe's tail is dropped with a warning."""
    commands: list[Command] = []
    i = 0
    while i < len(text):
        command, i = _command(text, i, warnings)
        if command.tokens:
            commands.append(command)
    return commands


def tokenize_bash(text: str, warnings: list[str]) -> list[Token]:
    """The words of the first command of a bash text (see ``commands_bash`` for all of them)."""
    commands = commands_bash(text, warnings)
    return commands[0].tokens if commands else []
