"""Reads a pasted curl command into the request it would send: pick the shell flavour, split into words, check
that it is curl, read the options, build the request. Nothing is run, and files are read only through the
caller's ``read_file``.
"""

from __future__ import annotations

from app.core.formats.curl.build import CurlImport, build
from app.core.formats.curl.lex_bash import tokenize_bash
from app.core.formats.curl.lex_cmd import is_cmd_flavour, tokenize_cmd
from app.core.formats.curl.options import ReadFile, read_options
from app.core.formats.curl.tokens import to_text
from app.core.formats.errors import FormatError, at, never_other_errors


@never_other_errors("curl command")
def parse_curl(text: str, read_file: ReadFile | None = None) -> CurlImport:
    """Read a curl command line (bash or Windows cmd flavour) into the request it would send."""
    if not isinstance(text, str):
        raise FormatError("A curl command must be text.")
    src = text.lstrip("\ufeff")
    warnings: list[str] = []
    if not src.strip():
        raise FormatError("The curl command is empty.")
    tokens = tokenize_cmd(src, warnings) if is_cmd_flavour(src) else tokenize_bash(src, warnings)
    if tokens and tokens[0].text in ("$", ">", "%"):  # a pasted shell prompt
        tokens = tokens[1:]
    if not tokens:
        raise FormatError("The curl command is empty.")
    first = tokens[0]
    prog = to_text(first.text).replace("\\", "/").rsplit("/", 1)[-1].lower()
    if prog not in ("curl", "curl.exe"):
        shown = to_text(first.text)[:40]
        raise at(src, first.offset, f"This is not a curl command: it starts with {shown!r} instead of 'curl'")
    return build(read_options(src, tokens[1:], read_file, warnings))
