"""HTTPie (``http``) command for a request, quoted for bash.

Headers are ``Name:value`` items (``Name;`` for an empty value). A value starting with ``=`` or ``@`` gets a
backslash, so ``X:=1`` cannot turn into a JSON field or ``X:@f`` into a file read. (HTTPie reads a backslash
right before ``: = @ ;`` inside a value as an escape; such values, rare in headers, lose that backslash.)
A body without Content-Type unsets the one HTTPie would add (``Content-Type:``). Text bodies go in ``--raw``;
a file body is redirected from the file; other bytes come from ``base64 -d``, with any file parts ``cat``-ed
in between, so the bytes are exact.
"""

from __future__ import annotations

import base64
from app.core.formats.code.plan import Plan, as_text, shell_feed
from app.core.formats.curl.export import bash_quote


def _item(name: str, value: str) -> str:
    if not value:
        return bash_quote(name + ";")
    return bash_quote(name + ":" + ("\\" if value[0] in "=@" else "") + value)


def _stdin(plan: Plan) -> str | None:
    """The shell words that feed a non-text body to HTTPie's standard input, or None for --raw / no body."""
    if plan.body is None:
        return None
    if plan.whole_file is not None:
        return None
    inline = plan.inline
    if inline is not None and as_text(inline) is not None:
        return None
    return shell_feed(plan.body)


def generate(plan: Plan) -> str:
    words = ["http", bash_quote(plan.method), bash_quote(plan.url)]
    lines = []
    stdin = _stdin(plan)
    lines.append(" ".join(words))
    lines += [_item(n, v) for n, v in plan.headers]
    if plan.content_type_missing:
        lines.append(bash_quote("Content-Type:"))  # HTTPie would send application/json otherwise
    if plan.whole_file is not None:
        lines.append("< " + bash_quote(plan.whole_file.path))
    elif plan.body is not None and stdin is None:
        lines.append("--raw " + bash_quote(as_text(plan.inline or b"") or ""))
    command = " \\\n  ".join(lines)
    return (f"{stdin} | {command}" if stdin else command) + "\n"
