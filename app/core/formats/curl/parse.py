"""Reads pasted curl commands into the requests they would send: pick the shell flavour, split the text into
commands (a new line ends one) and each into words, check that it is curl, read the options, build the request.
Nothing is run, and files are read only through the caller's ``read_file``.

``parse_curl_commands`` gives one import per curl command in the text; commands that are not curl (``export``,
``echo``) are skipped with a warning. ``parse_curl`` gives the first, noting how many more the text holds.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from app.core.formats.curl.build import CurlImport, build
from app.core.formats.curl.lex_bash import commands_bash
from app.core.formats.curl.lex_cmd import commands_cmd, is_cmd_flavour
from app.core.formats.curl.options import ReadFile, read_options
from app.core.formats.curl.tokens import Command, to_text
from app.core.formats.errors import FormatError, at, never_other_errors

_PROMPTS = ("$", ">", "%")


def _program(command: Command) -> str:
    first = command.tokens[0]
    return to_text(first.text).replace("\\", "/").rsplit("/", 1)[-1].lower()


def _without_prompt(command: Command) -> Command:
    if command.tokens[0].text in _PROMPTS and len(command.tokens) > 1:  # a pasted shell prompt
        return replace(command, tokens=command.tokens[1:])
    return command


def _commands(text: str) -> tuple[str, list[Command], list[str]]:
    if not isinstance(text, str):
        raise FormatError("A curl command must be text.")
    src = text.lstrip("\ufeff")
    warnings: list[str] = []
    commands = commands_cmd(src, warnings) if is_cmd_flavour(src) else commands_bash(src, warnings)
    commands = [_without_prompt(c) for c in commands if not (len(c.tokens) == 1 and c.tokens[0].text in _PROMPTS)]
    if not commands:
        raise FormatError("The curl command is empty.")
    return src, commands, warnings


def _read(src: str, command: Command, read_file: ReadFile | None) -> CurlImport:
    options = read_options(src, command.tokens[1:], read_file, [], stdin=command.stdin,
                           stdin_file=command.stdin_file)
    return build(options)


@never_other_errors("curl command")
def parse_curl_commands(text: str, read_file: ReadFile | None = None) -> tuple[CurlImport, ...]:
    """Every curl command of ``text`` (bash or Windows cmd flavour), each read into the request it would send.

    Notes about the text as a whole (a dropped pipe, a skipped line) go with the first request. A command that is
    not curl, or a curl command that cannot be read while others can, is skipped with a note naming its line.
    Raises FormatError when no command is a readable curl command.
    """
    src, commands, notes = _commands(text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", src)]  # line numbers without recounting per command
    imports: list[CurlImport] = []
    failure: FormatError | None = None
    for command in commands:
        line = bisect.bisect_right(line_starts, command.tokens[0].offset)
        if _program(command) not in ("curl", "curl.exe"):
            notes.append(f"Skipped line {line}: it is not a curl command ({to_text(command.tokens[0].text)[:40]!r}).")
            continue
        try:
            imports.append(_read(src, command, read_file))
        except FormatError as exc:
            failure = failure or exc
            notes.append(f"Skipped the curl command on line {line}: {exc}")
    if not imports:
        if failure is not None:
            raise failure
        first = commands[0].tokens[0]
        shown = to_text(first.text)[:40]
        raise at(src, first.offset, f"This is not a curl command: it starts with {shown!r} instead of 'curl'")
    if notes:
        imports[0] = replace(imports[0], warnings=tuple(notes) + imports[0].warnings)
    return tuple(imports)


@never_other_errors("curl command")
def parse_curl(text: str, read_file: ReadFile | None = None) -> CurlImport:
    """The first curl command of ``text`` (a warning says when the text holds more)."""
    first, *rest = parse_curl_commands(text, read_file)
    if rest:
        note = (f"The text holds {len(rest) + 1} curl commands; only the first is imported here "
                f"({first.request.method} {first.request.url}).")
        first = replace(first, warnings=first.warnings + (note,))
    return first
