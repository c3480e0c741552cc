"""The JetBrains / VS Code REST Client ``.http`` format: the on-disk form of saved requests.

```
@host = https://api.example.com          <- file variable (before the first request line of a block)

### List orders                          <- separator; text after ### names the request
# @name listOrders                       <- a name comment (wins over the ### text)
GET {{host}}/orders?page=1 HTTP/1.1      <- request line; method optional (GET); HTTP version optional
    &sort=desc                           <- continuation lines starting with ? or & extend the URL
Accept: application/json                 <- headers until the first blank line

{"body": "until the next ###"}          <- body (trailing blank lines dropped)
```
Lines starting with ``#`` or ``//`` before the request line and among the headers are comments. ``{{var}}``
placeholders are kept as written; :func:`expand` fills them in and :func:`unresolved` names those it cannot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core.formats.errors import FormatError, never_other_errors

Headers = tuple[tuple[str, str], ...]

_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"}
_VAR_LINE = re.compile(r"^@([A-Za-z0-9_.-]+)\s*=\s?(.*)$")
_NAME_LINE = re.compile(r"^(?:#|//)\s*@name\s+(.+?)\s*$")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_HTTP_VERSION = re.compile(r"^HTTP/\d(\.\d)?$", re.I)


@dataclass(frozen=True)
class HttpFileRequest:
    name: str | None
    method: str
    url: str
    headers: Headers = ()
    body: str | None = None


@dataclass(frozen=True)
class HttpFile:
    variables: dict[str, str] = field(default_factory=dict)
    requests: tuple[HttpFileRequest, ...] = ()


def _is_comment(line: str) -> bool:
    s = line.lstrip()
    return s.startswith("#") or s.startswith("//")


def _parse_block(lines: list[tuple[int, str]], title: str | None, variables: dict[str, str]
                 ) -> HttpFileRequest | None:
    name = title or None
    i = 0
    while i < len(lines):
        no, line = lines[i]
        s = line.strip()
        m = _NAME_LINE.match(s)
        if m:
            name = m.group(1)
        elif not s or _is_comment(s):
            pass
        else:
            vm = _VAR_LINE.match(s)
            if vm:
                variables[vm.group(1)] = vm.group(2).strip()
            else:
                break
        i += 1
    if i >= len(lines):
        return None
    no, line = lines[i]
    parts = line.strip().split()
    if len(parts) >= 2 and (parts[0].upper() in _METHODS or re.fullmatch(r"[A-Z][A-Z0-9_-]*", parts[0])):
        method, rest = parts[0], parts[1:]
    else:
        method, rest = "GET", parts
    if len(rest) == 2 and _HTTP_VERSION.match(rest[1]):
        rest = rest[:1]
    if len(rest) != 1:
        raise FormatError(f"Line {no} should be a request line like 'GET https://example.com/path' but it is "
                          f"{line.strip()[:60]!r}.", line=no)
    url = rest[0]
    i += 1
    while i < len(lines) and lines[i][1].strip()[:1] in ("?", "&") and lines[i][1][:1] in (" ", "\t"):
        url += lines[i][1].strip()
        i += 1
    headers: list[tuple[str, str]] = []
    while i < len(lines):
        no, line = lines[i]
        i += 1
        if not line.strip():
            break
        if _is_comment(line):
            continue
        hname, colon, value = line.partition(":")
        if not colon or not hname.strip() or " " in hname.strip():
            raise FormatError(f"Line {no} should be a header like 'Name: value' (or a blank line before the body) "
                              f"but it is {line.strip()[:60]!r}.", line=no)
        headers.append((hname.strip(), value.strip()))
    body_lines = [ln for _, ln in lines[i:]]
    while body_lines and not body_lines[-1].strip():
        body_lines.pop()
    while body_lines and not body_lines[0].strip():
        body_lines.pop(0)
    body = "\n".join(body_lines) if body_lines else None
    return HttpFileRequest(name=name, method=method.upper(), url=url, headers=tuple(headers), body=body)


@never_other_errors(".http file")
def parse_http_file(text: str) -> HttpFile:
    """Read a .http file; ``{{var}}`` placeholders stay unexpanded."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError("The .http file is not UTF-8 text.") from None
    if not isinstance(text, str):
        raise FormatError("A .http file must be text.")
    text = text.lstrip("\ufeff")
    variables: dict[str, str] = {}
    requests: list[HttpFileRequest] = []
    block: list[tuple[int, str]] = []
    title: str | None = None
    for no, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.startswith("###"):
            req = _parse_block(block, title, variables)
            if req is not None:
                requests.append(req)
            block, title = [], (line[3:].strip() or None)
        else:
            block.append((no, line))
    req = _parse_block(block, title, variables)
    if req is not None:
        requests.append(req)
    return HttpFile(variables=variables, requests=tuple(requests))


def render_http_file(f: HttpFile) -> str:
    """The .http text for ``f`` (parse_http_file gives ``f`` back)."""
    out: list[str] = [f"@{k} = {v}" for k, v in f.variables.items()]
    for req in f.requests:
        if out:
            out.append("")
        out.append(f"### {req.name}" if req.name else "###")
        out.append(f"{req.method} {req.url}")
        out.extend(f"{k}: {v}" for k, v in req.headers)
        if req.body is not None:
            out.append("")
            out.append(req.body)
    return "\n".join(out) + "\n"


def expand(text: str, variables: dict[str, str]) -> str:
    """Replace ``{{name}}`` with its value (variables may use other variables); unknown ones stay as written."""
    for _ in range(10):
        new = _PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), text)
        if new == text:
            return new
        text = new
    return text


def unresolved(text: str, variables: dict[str, str]) -> list[str]:
    """Names of placeholders that :func:`expand` leaves in ``text``, in order, each once."""
    return list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(expand(text, variables))))
