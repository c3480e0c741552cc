"""The ``.http`` format (JetBrains HTTP Client, VS Code REST Client, httpyac): the on-disk form of saved requests.

```
@host = https://api.example.com          <- file variable (before the first request line of a block)

### List orders                          <- separator; text after ### names the request
# @name listOrders                       <- a name comment (wins over the ### text)
< {% request.variables.set("a", 1) %}    <- pre-request script (also "< file.js", httpyac's {{ ... }} block)
GET {{host}}/orders?page=1 HTTP/1.1      <- request line; method optional (GET); HTTP version optional
    &sort=desc                           <- indented lines starting with / ? & continue the request line
Accept: application/json                 <- headers until the first blank line

{"body": "until the next ###"}          <- body (leading and trailing blank and comment lines dropped)

> {% client.test("ok", () => {}) %}     <- response handler (also "> file.js", ">> out.json", {{ ... }})
?? status == 201                         <- an expectation (httpyac); kept like a handler, read by app.core.assertions
```
``#`` and ``//`` lines and ``/* ... */`` blocks are comments everywhere except inside the body. Scripts are kept
with their request (``render_http_file`` writes them back) but never run and never sent: ``HttpFile.notes`` says so.
A block that cannot be read is skipped with a note naming its line; the rest of the file still loads.

Bodies keep their bytes: a carriage return inside a body stays, what the reader would drop at the end of a body
is written as a ``# @body-suffix "..."`` directive, and body lines that would read as structure (``###``, a script)
are written with one more leading space under a ``# @body-escaped`` directive (both read back exactly).

``{{var}}`` placeholders are kept as written; ``app.core.variables.expand`` fills them in (growth and depth
capped) and ``unresolved`` names those it cannot (both re-exported here).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from app.core.formats.errors import FormatError, never_other_errors
from app.core.variables import expand, unresolved

__all__ = ["HttpFile", "HttpFileRequest", "expand", "has_structure", "parse_http_file", "render_http_file",
           "unresolved"]

Headers = tuple[tuple[str, str], ...]

_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"}
_VAR_LINE = re.compile(r"^@([A-Za-z0-9_.-]+)\s*=\s?(.*)$")
_NAME_LINE = re.compile(r"^(?:#|//)\s*@name\s+(.+?)\s*$")
_SUFFIX_LINE = re.compile(r"^#\s*@body-suffix\s+(\".*\")\s*$")
_ESCAPED_LINE = re.compile(r"^#\s*@body-escaped\s*$")
_HTTP_VERSION = re.compile(r"^HTTP/\d(\.\d)?$", re.I)
_PRE_SCRIPT = re.compile(r"^<\s*\{%|^<\s+\S+\.js\s*$")
_HANDLER = re.compile(r"^>\s*\{%|^>\s+\S+\.js\s*$|^>>!?\s+\S|^\?\?")
_SCRIPT_BLOCK = re.compile(r"^\{\{(?!.*\}\})")  # httpyac: "{{" opens a script closed by a "}}" line
# body lines a reader would take for structure (a separator, a script, a file include): escaped when written
_STRUCTURE = re.compile(r"^ *(?:###|[<>][ \t{>]|\{\{(?!.*\}\})|\?\?)")
_CONTINUATION = ("/", "?", "&")


@dataclass(frozen=True)
class HttpFileRequest:
    name: str | None
    method: str
    url: str
    headers: Headers = ()
    body: str | None = None
    pre_scripts: tuple[str, ...] = ()  # as written ("< {% ... %}", "{{ ... }}"); kept, never run
    handlers: tuple[str, ...] = ()  # response handlers as written ("> {% ... %}", ">> out.json"); kept, never run

    @property
    def assertions(self) -> tuple[str, ...]:
        """The ``??`` expectation lines among the handlers (checked by ``request-inspector run``)."""
        return tuple(h for h in self.handlers if h.startswith("??"))


@dataclass(frozen=True)
class HttpFile:
    variables: dict[str, str] = field(default_factory=dict)
    requests: tuple[HttpFileRequest, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)  # what was skipped or will not run, by line


Lines = list[tuple[int, str]]  # (1-based line number, line with its trailing "\r" kept)


def _is_comment(line: str) -> bool:
    s = line.lstrip()
    return s.startswith("#") or s.startswith("//")


def _block_comment_end(lines: Lines, i: int) -> int:
    """The index after a ``/* ... */`` comment that opens on line ``i``."""
    j = i
    while j < len(lines):
        text = lines[j][1]
        if "*/" in (text[text.index("/*") + 2:] if j == i else text):
            return j + 1
        j += 1
    return j


def _script_end(lines: Lines, i: int) -> int:
    """The index after a script that opens on line ``i`` ({% ... %}, a .js/.json file name, or {{ ... }})."""
    first = lines[i][1].strip()
    if _SCRIPT_BLOCK.match(first):
        closer, opener_rest = "}}", ""
    elif "{%" in first:
        closer, opener_rest = "%}", first[first.index("{%") + 2:]
    else:
        return i + 1  # a file name on one line
    if closer in opener_rest:
        return i + 1
    j = i + 1
    while j < len(lines) and closer not in lines[j][1]:
        j += 1
    return min(j + 1, len(lines))


def _text(lines: Lines, start: int, end: int) -> str:
    return "\n".join(text.rstrip("\r") for _, text in lines[start:end])


@dataclass
class _Block:
    """What the lines before a request line said: its name, scripts and directives."""

    name: str | None
    pre_scripts: list[str] = field(default_factory=list)
    suffix: str = ""
    escaped: bool = False
    script_line: int = 0  # where the first script starts


def _json_string(text: str) -> str:
    try:
        value = json.loads(text)
    except ValueError:
        return ""
    return value if isinstance(value, str) else ""


def _preamble(lines: Lines, block: _Block, variables: dict[str, str]) -> int:
    """Read the lines before the request line; return the index of the request line (len(lines): none)."""
    i = 0
    while i < len(lines):
        s = lines[i][1].strip()
        if s.startswith("/*"):
            i = _block_comment_end(lines, i)
            continue
        if _PRE_SCRIPT.match(s) or _SCRIPT_BLOCK.match(s):
            end = _script_end(lines, i)
            block.pre_scripts.append(_text(lines, i, end))
            block.script_line = block.script_line or lines[i][0]
            i = end
            continue
        if m := _NAME_LINE.match(s):
            block.name = m.group(1)
        elif m := _SUFFIX_LINE.match(s):
            block.suffix = _json_string(m.group(1))
        elif _ESCAPED_LINE.match(s):
            block.escaped = True
        elif s and not _is_comment(s):
            if not (vm := _VAR_LINE.match(s)):
                return i
            variables[vm.group(1)] = vm.group(2).strip()
        i += 1
    return i


def _without_version(words: list[str]) -> list[str]:
    return words[:-1] if len(words) >= 2 and _HTTP_VERSION.match(words[-1]) else words


def _request_line(lines: Lines, i: int) -> tuple[str, str, int]:
    """(method, URL, index after the request line and its continuation lines)."""
    no, first = lines[i]
    parts = first.strip().split()
    if len(parts) >= 2 and (parts[0].upper() in _METHODS or re.fullmatch(r"[A-Z][A-Z0-9_-]*", parts[0])):
        method, rest = parts[0], _without_version(parts[1:])
    else:
        method, rest = "GET", _without_version(parts)
    if len(rest) != 1:
        raise FormatError(f"Line {no} should be a request line like 'GET https://example.com/path' but it is "
                          f"{first.strip()[:60]!r}.", line=no)
    url = rest[0]
    i += 1
    while i < len(lines) and lines[i][1][:1] in (" ", "\t") and lines[i][1].strip()[:1] in _CONTINUATION:
        url += "".join(_without_version(lines[i][1].split()))
        i += 1
    return method.upper(), url, i


def _headers(lines: Lines, i: int) -> tuple[Headers, int]:
    """The headers from line ``i`` up to a blank line (consumed) or a response handler (not consumed)."""
    headers: list[tuple[str, str]] = []
    while i < len(lines):
        no, line = lines[i]
        s = line.strip()
        if not s:
            return tuple(headers), i + 1
        if _HANDLER.match(s) or _SCRIPT_BLOCK.match(s):
            break
        if s.startswith("/*"):
            i = _block_comment_end(lines, i)
            continue
        i += 1
        if _is_comment(s):
            continue
        hname, colon, value = s.partition(":")
        if not colon or not hname.strip() or " " in hname.strip():
            raise FormatError(f"Line {no} should be a header like 'Name: value' (or a blank line before the body) "
                              f"but it is {s[:60]!r}.", line=no)
        headers.append((hname.strip(), value.strip()))
    return tuple(headers), i


def _tail(lines: Lines, i: int, notes: list[str]) -> list[str]:
    """The response handlers from line ``i`` on (comments and blank lines skipped, other text noted)."""
    handlers: list[str] = []
    while i < len(lines):
        no, line = lines[i]
        s = line.strip()
        if _HANDLER.match(s) or _SCRIPT_BLOCK.match(s) or _PRE_SCRIPT.match(s):
            end = _script_end(lines, i)
            handlers.append(_text(lines, i, end))
            i = end
        elif s.startswith("/*"):
            i = _block_comment_end(lines, i)
        else:
            if s and not _is_comment(s):
                notes.append(f"Line {no} follows a response handler and is ignored: {s[:60]!r}.")
            i += 1
    return handlers


def _trim_body(body_lines: list[str]) -> str | None:
    """The body the lines make: blank and comment lines dropped at both ends, the line break's "\\r" at the end."""
    start, end = 0, len(body_lines)
    while end > start and (not body_lines[end - 1].strip() or _is_comment(body_lines[end - 1])):
        end -= 1
    while start < end and not body_lines[start].strip():
        start += 1
    if start == end:
        return None
    return "\n".join(body_lines[start:end]).removesuffix("\r")


def _body(lines: Lines, i: int, block: _Block, notes: list[str]) -> tuple[str | None, list[str]]:
    """The body from line ``i`` up to a response handler or script block, and the handlers after it."""
    j = i
    while j < len(lines) and not (_HANDLER.match(lines[j][1]) or _SCRIPT_BLOCK.match(lines[j][1])):
        j += 1
    body = _trim_body([text for _, text in lines[i:j]])
    if block.escaped and body is not None:
        body = "\n".join(line[1:] if line.startswith(" ") and _STRUCTURE.match(line) else line
                         for line in body.split("\n"))
    if block.suffix:
        body = (body or "") + block.suffix
    return body, _tail(lines, j, notes)


def _parse_block(lines: Lines, title: str | None, variables: dict[str, str], notes: list[str]
                 ) -> HttpFileRequest | None:
    block = _Block(title or None)
    i = _preamble(lines, block, variables)
    if i >= len(lines):
        if block.pre_scripts:
            notes.append(f"Line {block.script_line}: a script outside any request is not run.")
        return None
    method, url, i = _request_line(lines, i)
    headers, i = _headers(lines, i)
    body, handlers = _body(lines, i, block, notes)
    return HttpFileRequest(name=block.name, method=method, url=url, headers=headers, body=body,
                           pre_scripts=tuple(block.pre_scripts), handlers=tuple(handlers))


def _script_note(req: HttpFileRequest, line: int) -> str:
    count = len(req.pre_scripts) + len(req.handlers) - len(req.assertions)
    what = "a script" if count == 1 else f"{count} scripts"
    return (f"The request {req.name or req.method + ' ' + req.url!r} (line {line}) has {what}: kept in the file, "
            f"but not run.")


def _blocks(text: str) -> list[tuple[Lines, str | None]]:
    """The file's blocks between ``###`` separators: their lines and the text after ``###``."""
    blocks: list[tuple[Lines, str | None]] = []
    block: Lines = []
    title: str | None = None
    for no, line in enumerate(text.split("\n"), start=1):
        if line.startswith("###"):
            blocks.append((block, title))
            block, title = [], (line[3:].strip() or None)
        else:
            block.append((no, line))
    blocks.append((block, title))
    return blocks


@never_other_errors(".http file")
def parse_http_file(text: str) -> HttpFile:
    """Read a .http file; ``{{var}}`` placeholders stay unexpanded. A block that cannot be read is skipped with a
    note naming its line; only a file none of whose blocks can be read raises (the first block's sentence)."""
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
    notes: list[str] = []
    first_error: FormatError | None = None
    for lines, title in _blocks(text):
        try:
            req = _parse_block(lines, title, variables, notes)
        except FormatError as exc:
            first_error = first_error or exc
            notes.append(f"Skipped the request at line {lines[0][0]}: {exc}")
            continue
        if req is not None:
            requests.append(req)
            if len(req.pre_scripts) + len(req.handlers) > len(req.assertions):
                notes.append(_script_note(req, lines[0][0]))
    if first_error is not None and not requests:
        raise first_error
    return HttpFile(variables=variables, requests=tuple(requests), notes=tuple(notes))


def _body_text(body: str) -> tuple[list[str], str]:
    """The lines that write ``body`` (directives first, then the body lines) and what the reader would lose."""
    directives: list[str] = []
    lines = body.split("\n")
    if any(_STRUCTURE.match(line) for line in lines):
        directives.append("# @body-escaped")
        lines = [" " + line if _STRUCTURE.match(line) else line for line in lines]
    while lines and not lines[0].strip():  # leading blank lines are not kept (the reader cannot tell them apart)
        lines.pop(0)
    kept = _trim_body(lines) or ""
    written = "\n".join(lines)
    if written != kept:
        directives.append("# @body-suffix " + json.dumps(written[len(kept):]))
    return directives, kept


def has_structure(body: str) -> bool:
    """True when ``body`` has lines a .http reader would take for structure (they are escaped when written)."""
    return any(_STRUCTURE.match(line) for line in body.split("\n"))


def render_http_file(f: HttpFile) -> str:
    """The .http text for ``f`` (parse_http_file gives ``f`` back, scripts and exact bodies included)."""
    out: list[str] = [f"@{k} = {v}" for k, v in f.variables.items()]
    for req in f.requests:
        if out:
            out.append("")
        out.append(f"### {req.name}" if req.name else "###")
        directives, body = _body_text(req.body) if req.body is not None else ([], None)
        out.extend(req.pre_scripts)
        out.extend(directives)
        out.append(f"{req.method} {req.url}")
        out.extend(f"{k}: {v}" for k, v in req.headers)
        if req.body is not None:
            out.append("")
            out.append(body or "")
        if req.handlers:
            out.append("")
            out.extend(req.handlers)
    return "\n".join(out) + "\n"
