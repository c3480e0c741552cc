"""curl for bash, as the app has always written it (app.core.formats.curl.export), plus a file body given as
``--data-binary @path`` instead of its bytes. Multipart bodies with file parts stay inline: curl's own ``-F``
would choose another boundary and change the bytes."""

from __future__ import annotations

from app.core.formats.code.plan import Plan
from app.core.formats.curl.export import bash_quote, to_curl
from app.core.models import HttpRequest


def generate(plan: Plan) -> str:
    file = plan.whole_file
    if file is None:
        return to_curl(HttpRequest(plan.method, plan.url, plan.headers, plan.data), redact=False) + "\n"
    text = to_curl(HttpRequest(plan.method, plan.url, plan.headers, b""), redact=False)
    empty = "--data-binary ''"  # what to_curl writes last for an empty body: the file takes its place
    return text.removesuffix(empty) + "--data-binary " + bash_quote("@" + file.path) + "\n"
