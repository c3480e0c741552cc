"""Python requests code for a request: the body as ``data=`` bytes (requests adds no Content-Type for bytes),
redirects not followed (the app does not follow them either).

requests keeps one value per header name: repeated headers are joined with ", " ("; " for Cookie), and a
comment says so.
"""

from __future__ import annotations

from app.core.formats.code import _python
from app.core.formats.code.plan import Plan


def _merged(headers) -> tuple[list[tuple[str, str]], list[str]]:
    out: dict[str, tuple[str, str]] = {}
    repeated: list[str] = []
    for name, value in headers:
        low = name.lower()
        if low in out:
            sep = "; " if low == "cookie" else ", "
            out[low] = (out[low][0], out[low][1] + sep + value)
            repeated.append(name)
        else:
            out[low] = (name, value)
    return list(out.values()), repeated


def generate(plan: Plan) -> str:
    headers, repeated = _merged(plan.headers)
    keywords = []
    if headers:
        rows = "".join(f"        {n!r}: {_python.header_value(v)},\n" for n, v in headers)
        keywords.append("headers={\n" + rows + "    }")
    if plan.body is not None:
        keywords.append("data=" + _python.body_expression(plan.body))
    keywords.append("allow_redirects=False")
    lines = _python.imports("requests", plan.body)
    if repeated:
        names = ", ".join(sorted(set(repeated)))
        lines.append(f"# requests sends one header per name: the repeated {names} values are joined into one.")
    lines += _python.call("requests.request", plan.method, plan.url, keywords)
    lines += ["print(response.status_code, response.reason)", "print(response.text)"]
    return "\n".join(lines) + "\n"
