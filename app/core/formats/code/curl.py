"""curl for bash, as the app has always written it (app.core.formats.curl.export), except for bodies a shell word
cannot hold or that read files: a file body is ``--data-binary @path``; a body with file parts (multipart) or a NUL
byte (bash ends a word there) is fed on standard input (``base64 -d`` and ``cat`` into ``--data-binary @-``).
curl's own ``-F`` is not used: it would choose another boundary and change the bytes."""

from __future__ import annotations

from app.core.formats.code.plan import Plan, shell_feed
from app.core.formats.curl.export import bash_quote, to_curl
from app.core.models import HttpRequest

_EMPTY = "--data-binary ''"  # what to_curl writes last for an empty body: the file or stdin takes its place


def generate(plan: Plan) -> str:
    file = plan.whole_file
    inline = plan.inline
    if plan.body is None or (inline is not None and b"\x00" not in inline):
        return to_curl(HttpRequest(plan.method, plan.url, plan.headers, plan.data), redact=False) + "\n"
    head = to_curl(HttpRequest(plan.method, plan.url, plan.headers, b""), redact=False).removesuffix(_EMPTY)
    if file is not None:
        return head + "--data-binary " + bash_quote("@" + file.path) + "\n"
    return f"{shell_feed(plan.body)} | {head}--data-binary @-\n"
