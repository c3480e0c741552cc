"""PowerShell 7 ``Invoke-RestMethod`` code for a request.

Strings are single-quoted (nothing inside is expanded; quotes, including the typographic ones PowerShell also
reads as quotes, are doubled). Content-Type goes in ``-ContentType``, the other headers in an ordered table
(repeated names joined with ", "), sent as written (``-SkipHeaderValidation``). The body is bytes, so nothing
is re-encoded (text with line breaks goes as base64, since a pasted script may change its line ends); a file body
is ``-InFile``. PowerShell sends ``application/x-www-form-urlencoded`` for a POST body without Content-Type and
cannot be told not to: the code says so in a comment.
"""

from __future__ import annotations

import base64
import re

from app.core.formats.code.plan import FileRef, Piece, Plan, as_text

METHODS = {"GET": "Get", "HEAD": "Head", "POST": "Post", "PUT": "Put", "DELETE": "Delete", "TRACE": "Trace",
           "OPTIONS": "Options", "PATCH": "Patch", "MERGE": "Merge"}
_QUOTES = "'\u2018\u2019\u201a\u201b"


_QUOTE = re.compile(f"[{_QUOTES}]")


def ps(text: str) -> str:
    return "'" + _QUOTE.sub(lambda m: m.group() * 2, text) + "'"


def _bytes(piece: Piece) -> str:
    if isinstance(piece, FileRef):
        return f"[System.IO.File]::ReadAllBytes({ps(piece.path)})"
    text = as_text(piece)
    if text is not None and not any(ord(c) < 0x20 and c != "\t" for c in text):  # line ends survive no paste
        return f"[System.Text.Encoding]::UTF8.GetBytes({ps(text)})"
    return f"[System.Convert]::FromBase64String({ps(base64.b64encode(piece).decode())})"


def _headers(plan: Plan) -> tuple[list[tuple[str, str]], str | None]:
    table: dict[str, tuple[str, str]] = {}
    content_type = None
    for name, value in plan.headers:
        low = name.lower()
        if low == "content-type":
            content_type = value if content_type is None else content_type
        elif low in table:
            table[low] = (table[low][0], table[low][1] + ("; " if low == "cookie" else ", ") + value)
        else:
            table[low] = (name, value)
    return list(table.values()), content_type


def generate(plan: Plan) -> str:
    headers, content_type = _headers(plan)
    lines: list[str] = []
    args = [f"-Uri {ps(plan.url)}"]
    method = METHODS.get(plan.method)
    args.append(f"-Method {method}" if method else f"-CustomMethod {ps(plan.method)}")
    if headers:
        lines.append("$headers = [ordered]@{")
        lines += [f"    {ps(n)} = {ps(v)}" for n, v in headers]
        lines.append("}")
        args.append("-Headers $headers")
    if content_type is not None:
        args.append(f"-ContentType {ps(content_type)}")
    if plan.whole_file is not None:
        args.append(f"-InFile {ps(plan.whole_file.path)}")
    elif plan.body is not None:
        pieces = [_bytes(p) for p in plan.body] or ["[byte[]]@()"]
        joined = pieces[0] if len(pieces) == 1 else "[byte[]](\n    " + " +\n    ".join(pieces) + "\n)"
        lines.append(f"$body = {joined}")
        args.append("-Body $body")
    if plan.content_type_missing and plan.method == "POST":
        lines.append("# The app sends this body without Content-Type; PowerShell adds "
                     "application/x-www-form-urlencoded to a POST.")
    args += ["-SkipHeaderValidation", "-MaximumRedirection 0"]
    lines.append("Invoke-RestMethod " + " `\n    ".join(args))
    return "\n".join(lines) + "\n"
