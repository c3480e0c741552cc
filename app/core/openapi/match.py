"""Find the operation a request was made to: server URL (with variables), then the most specific path template.

CONTRACT:
    @dataclass(frozen=True) class Match: operation: Operation | None; path_params: dict[str, str]; note: str | None
        # operation None with a note: the path is documented but not for this method, or not documented at all
    class Matcher:
        def __init__(self, operations: Iterable[Operation], servers: list | None)
        def match(self, method: str, url: str) -> Match

Rules:
- A server URL such as ``https://{region}.example.com/v1`` becomes a pattern (a variable with an ``enum`` matches
  one of its values, else any text without '/'); relative server URLs (``/v1``) match any host; no servers means '/'.
- When the request's host is none of the servers' (staging, localhost), the path is matched below each server's base
  path (``/ds-api/...``), then as is; the Match says so in its note.
- Templates are kept in a segment tree: at each segment a literal beats a segment mixing text and a variable, which
  beats a whole-segment variable, so ``/pets/mine`` wins over ``/pets/{id}``. Matching costs the depth of the URL,
  not the number of operations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from app.core.openapi.operations import Operation

_VAR = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class Match:
    operation: Operation | None
    path_params: dict[str, str] = field(default_factory=dict)
    note: str | None = None


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    mixed: list[tuple[re.Pattern, tuple[str, ...], _Node]] = field(default_factory=list)
    param: tuple[str, _Node] | None = None
    operations: dict[str, Operation] = field(default_factory=dict)
    template: str = ""


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s != ""]


def _template_regex(text: str, variables: dict[str, str] | None = None) -> re.Pattern:
    out, pos = [], 0
    for m in _VAR.finditer(text):
        out.append(re.escape(text[pos:m.start()]))
        out.append("(" + str((variables or {}).get(m.group(1), "[^/]+")) + ")")
        pos = m.end()
    out.append(re.escape(text[pos:]))
    return re.compile("".join(out), re.IGNORECASE if variables is not None else 0)


@dataclass(frozen=True)
class _Server:
    url: str
    host: re.Pattern | None  # None: relative URL, any host
    base: re.Pattern  # the base path (variables as patterns), without a trailing '/'

    def below(self, path: str) -> str | None:
        """The rest of ``path`` below this server's base path, or None when the path is not below it."""
        m = self.base.match(path)
        if m is None or (m.end() < len(path) and path[m.end()] != "/"):
            return None
        return path[m.end():] or "/"


def _server(entry: object) -> _Server | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        return None
    url = entry["url"]
    variables = entry.get("variables") if isinstance(entry.get("variables"), dict) else {}
    pats: dict[str, str] = {}
    for name, var in variables.items():
        enum = var.get("enum") if isinstance(var, dict) else None
        pats[str(name)] = "|".join(re.escape(str(v)) for v in enum) if isinstance(enum, list) and enum else "[^/]*"
    if "://" in url:
        host_part, _, rest = url.partition("://")[2].partition("/")
        host: re.Pattern | None = _template_regex(host_part, pats)
        base = "/" + rest
    else:
        host, base = None, url
    return _Server(url, host, _template_regex(base.rstrip("/"), pats))


class Matcher:
    """An index of the operations by path template and of the document's servers."""

    def __init__(self, operations: Iterable[Operation], servers: list | None) -> None:
        self._root = _Node()
        for op in operations:
            self._add(op)
        parsed = [_server(s) for s in servers or []]
        self._servers = [s for s in parsed if s is not None] or [_Server("/", None, re.compile(""))]

    def _add(self, op: Operation) -> None:
        node = self._root
        for seg in _segments(op.template):
            names = tuple(_VAR.findall(seg))
            if not names:
                node = node.literal.setdefault(seg, _Node())
            elif seg == "{" + names[0] + "}":
                if node.param is None:
                    node.param = (names[0], _Node())
                node = node.param[1]
            else:
                regex = _template_regex(seg)
                found = next((n for r, _, n in node.mixed if r.pattern == regex.pattern), None)
                if found is None:
                    found = _Node()
                    node.mixed.append((regex, names, found))
                node = found
        node.template = node.template or op.template
        node.operations.setdefault(op.method, op)

    def _walk(self, node: _Node, segs: list[str], i: int, params: dict[str, str]) -> _Node | None:
        if i == len(segs):
            return node if node.operations else None
        seg = segs[i]
        child = node.literal.get(seg)
        if child is not None and (hit := self._walk(child, segs, i + 1, params)) is not None:
            return hit
        for regex, names, child in node.mixed:
            m = regex.fullmatch(seg)
            if m is not None and (hit := self._walk(child, segs, i + 1, params)) is not None:
                params.update({n: unquote(v) for n, v in zip(names, m.groups())})
                return hit
        if node.param is not None:
            name, child = node.param
            if (hit := self._walk(child, segs, i + 1, params)) is not None:
                params[name] = unquote(seg)
                return hit
        return None

    def _find(self, method: str, path: str) -> tuple[Match | None, bool]:
        params: dict[str, str] = {}
        node = self._walk(self._root, _segments(path), 0, params)
        if node is None:
            return None, False
        op = node.operations.get(method) or (node.operations.get("GET") if method == "HEAD" else None)
        if op is None:
            allowed = ", ".join(sorted(node.operations))
            return Match(None, params, f"The document describes {node.template} for {allowed}, not {method}."), True
        return Match(op, params), True

    def match(self, method: str, url: str) -> Match:
        """The operation ``method url`` was made to, or a Match without one whose note says why."""
        method = (method or "").strip().upper()
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return Match(None, {}, f"'{url[:80]}' is not a URL the document's paths can be matched with.")
        host, path = parts.netloc.rpartition("@")[2], parts.path or "/"
        ours = [s for s in self._servers if s.host is None or (host and s.host.fullmatch(host))]
        for server, foreign in [(s, False) for s in ours] + [(s, True) for s in self._servers if s not in ours]:
            rest = server.below(path)
            if rest is None:
                continue
            found, known = self._find(method, rest)
            if known and found is not None:
                if foreign and found.operation is not None:
                    base = path[: len(path) - len(rest)] if rest != "/" else path
                    note = (f"{host or 'This host'} is not one of the document's servers; matched the path below "
                            f"{base.rstrip('/') or '/'} of {server.url}.")
                    return Match(found.operation, found.path_params, note)
                return found
        if host:
            found, known = self._find(method, path)
            if known and found is not None and found.operation is not None:
                return Match(found.operation, found.path_params,
                             f"{host} is not one of the document's servers; matched the whole path {path}.")
        return Match(None, {}, f"The document has no operation for {method} {path}.")
