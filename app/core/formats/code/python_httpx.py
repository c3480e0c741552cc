"""Python httpx code for a request: headers as a list of pairs (order and repeats kept), the body as ``content=``
bytes so httpx adds no Content-Type of its own; files are read with ``Path.read_bytes()``."""

from __future__ import annotations

from app.core.formats.code import _python
from app.core.formats.code.plan import Plan


def generate(plan: Plan) -> str:
    keywords = []
    if plan.headers:
        rows = "".join(f"        ({n!r}, {_python.header_value(v)}),\n" for n, v in plan.headers)
        keywords.append("headers=[\n" + rows + "    ]")
    if plan.body is not None:
        keywords.append("content=" + _python.body_expression(plan.body))
    lines = _python.imports("httpx", plan.body) + _python.call("httpx.request", plan.method, plan.url, keywords)
    lines += ["print(response.status_code, response.reason_phrase)", "print(response.text)"]
    return "\n".join(lines) + "\n"
