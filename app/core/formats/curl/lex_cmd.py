"""Splits a Windows cmd.exe command line into words, as cmd.exe and then curl.exe's C runtime would.

Browsers' "Copy as cURL (cmd)" writes this flavour: ``^`` escapes and ``^``-newline continuations (cmd.exe's pass),
then the Microsoft C runtime's argument rules ("..." quotes, ``""`` inside quotes, backslashes before a quote).
A line break that is not continued with ``^`` ends a command, so a text may hold several.
``is_cmd_flavour`` tells the flavours apart, since a pasted command does not say which shell it was written for.
"""

from __future__ import annotations

import re

from app.core.formats.curl.tokens import Command, Token
from app.core.formats.errors import at


def is_cmd_flavour(text: str) -> bool:
    """True when ``text`` looks written for cmd.exe rather than bash."""
    # ^<newline> continuations, ^" quotes (Chrome), or "" inside a quoted word (older Chrome/Firefox for Windows)
    if re.search(r"(?<!\^)\\\r?\n", text):  # bash's backslash line continuation: never cmd
        return False
    return bool(re.search(r"\^\r?\n", text) or '^"' in text or re.search(r'[^\s\\]""[^\s]', text))


def _caret(text: str, i: int, out: list[str], offs: list[int]) -> int:
    """An unquoted ``^`` at ``i``: keep the next character, or continue the line; return the next index."""
    n = len(text)
    if i + 1 >= n:
        return i + 1
    nxt = text[i + 1]
    if nxt == "\r" and text[i + 2:i + 3] == "\n":
        i += 1
        nxt = "\n"
    if nxt != "\n":
        out.append(nxt)
        offs.append(i + 1)
        return i + 2
    i += 2
    if i < n and text[i] in "\r\n":  # "^" + newline + newline = a literal newline
        if text[i] == "\r" and text[i + 1:i + 2] == "\n":
            i += 1
        out.append("\n")
        offs.append(i)
        i += 1
    return i


def _unescape(text: str) -> tuple[str, list[int], set[int]]:
    """cmd.exe's pass (see ``cmd_unescape``), also giving the indexes of the line breaks that end a command."""
    out: list[str] = []
    offs: list[int] = []
    breaks: set[int] = set()
    in_quote = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\r" and text[i + 1:i + 2] == "\n":
            i += 1
            continue
        if c == "^" and not in_quote:
            i = _caret(text, i, out, offs)
            continue
        if c == '"':
            in_quote = not in_quote
        if c == "\n" and not in_quote:
            breaks.add(len(out))
            out.append(" ")
        else:
            out.append(c)
        offs.append(i)
        i += 1
    return "".join(out), offs, breaks


def cmd_unescape(text: str) -> tuple[str, list[int]]:
    """cmd.exe's pass: ^ escapes the next character outside "quotes"; ^<newline> continues the line.

    Returns the command line as the program receives it, and for each character its offset in ``text``.
    """
    line, offs, _breaks = _unescape(text)
    return line, offs


def _backslashes(line: str, i: int, buf: list[str]) -> int:
    """A run of backslashes at ``i``: doubled before a quote (an odd one escapes it), literal otherwise."""
    n = len(line)
    j = i
    while j < n and line[j] == "\\":
        j += 1
    count = j - i
    if j < n and line[j] == '"':
        buf.append("\\" * (count // 2))
        if count % 2:
            buf.append('"')
            return j + 1
        return j
    buf.append("\\" * count)
    return j


def _argument(text: str, line: str, offs: list[int], i: int) -> tuple[str, int]:
    """One argument of the C runtime's rules starting at ``i`` of ``line``; return (argument, index after it)."""
    buf: list[str] = []
    in_quote = False
    quote_start = i
    n = len(line)
    while i < n:
        c = line[i]
        if c in " \t" and not in_quote:
            break
        if c == "\\":
            i = _backslashes(line, i, buf)
        elif c == '"' and in_quote and i + 1 < n and line[i + 1] == '"':
            buf.append('"')
            i += 2
        elif c == '"':
            in_quote = not in_quote
            if in_quote:
                quote_start = i
            i += 1
        else:
            buf.append(c)
            i += 1
    if in_quote:
        raise at(text, offs[quote_start] if quote_start < len(offs) else len(text),
                 "The double quote that starts here is never closed")
    return "".join(buf), i


def commands_cmd(text: str, warnings: list[str]) -> list[Command]:
    """The commands of a cmd.exe text (a line break not continued with ``^`` ends one), each split into words by
    cmd.exe's pass and then the MS C runtime's argument rules (quotes, backslashes before quotes, "")."""
    line, offs, breaks = _unescape(text)
    commands: list[Command] = []
    tokens: list[Token] = []
    i, n = 0, len(line)
    while i < n:
        if i in breaks and tokens:
            commands.append(Command(tokens))
            tokens = []
        if line[i] in " \t\n":
            i += 1
            continue
        start = i
        word, i = _argument(text, line, offs, i)
        tokens.append(Token(word, offs[start] if start < len(offs) else len(text)))
    if tokens:
        commands.append(Command(tokens))
    return commands


def tokenize_cmd(text: str, warnings: list[str]) -> list[Token]:
    """The words of the first command of a cmd.exe text (see ``commands_cmd`` for all of them)."""
    commands = commands_cmd(text, warnings)
    return commands[0].tokens if commands else []
