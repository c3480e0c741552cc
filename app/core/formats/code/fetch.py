"""JavaScript ``fetch`` code (Node.js 18+; in a browser without the file reads) for a request.

Strings are JSON string literals (valid JavaScript for any text). The body is a ``Uint8Array`` rather than a
string, because fetch adds ``Content-Type: text/plain;charset=UTF-8`` to a string body that has none. Redirects
are not followed (``redirect: "manual"``), as in the app.
"""

from __future__ import annotations

import base64
import json

from app.core.formats.code.plan import FileRef, Piece, Plan, as_text


def js(text: str) -> str:
    return json.dumps(text)  # ensure_ascii: controls, quotes, U+2028/2029 and non-ASCII all escaped


def _bytes(data: bytes) -> str:
    text = as_text(data)
    if text is not None:
        return f"new TextEncoder().encode({js(text)})"
    return f"Uint8Array.from(atob({js(base64.b64encode(data).decode())}), (c) => c.charCodeAt(0))"


def body_expression(pieces: tuple[Piece, ...]) -> str:
    parts = [f"await readFile({js(p.path)})" if isinstance(p, FileRef) else _bytes(p) for p in pieces]
    if len(parts) == 1:
        return parts[0]
    return "Buffer.concat([\n    " + ",\n    ".join(parts) + ",\n  ])"


def generate(plan: Plan) -> str:
    lines = []
    if plan.body and any(isinstance(p, FileRef) for p in plan.body):
        lines += ['import { readFile } from "node:fs/promises";', ""]
    lines += [f"const response = await fetch({js(plan.url)}, {{", f"  method: {js(plan.method)},"]
    if plan.headers:
        lines.append("  headers: [")
        lines += [f"    [{js(n)}, {js(v)}]," for n, v in plan.headers]
        lines.append("  ],")
    if plan.body is not None:
        lines.append(f"  body: {body_expression(plan.body)},")
    lines += ['  redirect: "manual",', "});", "console.log(response.status, response.statusText);",
              "console.log(await response.text());"]
    return "\n".join(lines) + "\n"
