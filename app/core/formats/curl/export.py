"""Writes a request as a bash curl command, so it can be run in a terminal or pasted into a bug report.

Secrets are hidden unless asked otherwise. Every word is quoted so that bash hands curl exactly the request's
bytes: bare when safe, '...' for plain text, $'...' with escapes for quotes, control characters and raw bytes.
Reading the command back with parse_curl gives the same request (the tests check the round trip).
"""

from __future__ import annotations

import re

from app.core.models import HttpRequest
from app.core.redact import redact_request

_PLAIN = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")


def bash_quote(s: str) -> str:
    """Quote ``s`` for bash: bare when safe, '...' for plain text, $'...' when it holds quotes/controls/raw bytes."""
    if s and _PLAIN.match(s):
        return s
    if not any(c == "'" or ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF for c in s):
        return "'" + s + "'"
    out = []
    for c in s:
        o = ord(c)
        if c == "\\":
            out.append("\\\\")
        elif c == "'":
            out.append("\\'")
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\x{o:02x}")
        elif 0xDC80 <= o <= 0xDCFF:
            out.append(f"\\x{o - 0xDC00:02x}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\uFFFD")
        else:
            out.append(c)
    return "$'" + "".join(out) + "'"


def to_curl(request: HttpRequest, redact: bool = True) -> str:
    """A bash curl command that sends ``request`` (secrets hidden unless ``redact=False``)."""
    if redact:
        request = redact_request(request)[0]
    first = ["curl"]
    body = request.body
    default = "POST" if body is not None else "GET"
    if request.method == "HEAD" and body is None:
        first.append("-I")
    elif request.method != default:
        first += ["-X", bash_quote(request.method)]
    first.append(bash_quote(request.url))
    lines = [" ".join(first)]
    for name, value in request.headers:
        lines.append("-H " + bash_quote(f"{name}: {value}" if value else f"{name};"))
    if body is not None and request.header("Content-Type") is None:
        lines.append("-H " + bash_quote("Content-Type:"))  # curl would otherwise add its form Content-Type
    if body is not None:
        text = body.decode("utf-8", "surrogateescape")
        flag = "--data-raw" if text.startswith("@") else "--data-binary"
        lines.append(f"{flag} {bash_quote(text)}")
    return " \\\n  ".join(lines)
