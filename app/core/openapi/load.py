"""Read an OpenAPI 3.0/3.1 document (JSON or YAML) and follow its ``$ref``s on demand, never over the network.

CONTRACT:
    class OpenApiError(ValueError)      # "<file>: <place>: <problem>", place a JSON pointer or "line N"
    class RefError(OpenApiError)        # a $ref that cannot be followed (missing target, cycle, network, unreadable)
    def parse_text(data: bytes, name: str) -> Any          # JSON when it looks like JSON, else YAML (safe loader)
    def load_document(data: bytes, name: str, read_file: Callable[[str], bytes] | None = None) -> Document
    class Document:
        name: str; version: str ("3.0.3"); root: dict; dialect: "3.0" | "3.1"
        def deref(self, node, file: str | None = None, where: str = "") -> tuple[Any, str]   # (target, its file)
        def file_root(self, file: str) -> Any                # the parsed root of the main file or a referenced one

Why references are followed on demand instead of inlined: a 3.1 document may refer to itself in cycles, and a
10 MB document should not be copied to answer one request. ``read_file(relative_path)`` reads a file named by a
``$ref`` relative to the main document (the caller decides what that means on disk); without it, references to
other files are errors naming the reference. A reference to http(s) is refused with a sentence.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
_MAX_REF_HOPS = 64
MAX_ALIAS_VALUES = 1_000_000  # values YAML aliases may add to a document once written out
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s\[\]{},/*]")  # a YAML alias (*name): only then can parts repeat
_PIECES_FROM = 1024 * 1024  # JSON at least this long is decoded an operation at a time (see _loads_in_pieces)


class OpenApiError(ValueError):
    """The document cannot be used; the message names the file, the place and the problem."""


class RefError(OpenApiError):
    """A ``$ref`` that cannot be followed."""


def _yaml_loader():
    import yaml  # imported here: only a YAML document pays for it

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster, same safety


def parse_text(data: bytes, name: str) -> Any:
    """Parse JSON (text starting with ``{``/``[``) or YAML; an OpenApiError names the line of a syntax error."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise OpenApiError(f"{name}: the file is larger than {MAX_DOCUMENT_BYTES // 2**20} MiB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OpenApiError(f"{name}: byte {exc.start}: the file is not UTF-8 text.") from None
    if "\x00" in text:
        raise OpenApiError(f"{name}: the file is not text (it contains NUL bytes).")
    if text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text) if len(text) < _PIECES_FROM else _loads_in_pieces(text)
        except json.JSONDecodeError as exc:
            raise OpenApiError(f"{name}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}).") from None
        except RecursionError:
            raise OpenApiError(f"{name}: the JSON is nested too deeply to read.") from None
    import yaml

    try:
        root = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a safe loader (CSafeLoader or SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "somewhere"
        raise OpenApiError(f"{name}: {place}: not valid YAML ({exc.problem or exc.context}).") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise OpenApiError(f"{name}: not valid YAML ({type(exc).__name__}).") from None
    if _ALIAS.search(text):
        _check_alias_expansion(root, name)
    return root


class _AliasBomb(Exception):
    pass


def _check_alias_expansion(root: Any, name: str) -> None:
    """Refuse YAML whose aliases (*name) write the anchored parts out into more than MAX_ALIAS_VALUES values
    beyond the document's own ("billion laughs": nine aliases of nine aliases... of a list expand to billions),
    since json.dumps, a schema error message or any walk of the tree would then run for hours. Each distinct
    list or mapping is visited once, so the check costs as much as the document's own size; a container that
    holds itself (a recursive alias) counts once. Stops at the first part found too large."""
    sizes: dict[int, int] = {}
    distinct = 0

    def size(node: Any) -> int:
        nonlocal distinct
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 0  # in progress: a recursive alias back to it counts as one value
        distinct += 1 + len(node)
        total = 1 + len(node)
        for value in node.values() if type(node) is dict else node:
            if type(value) is dict or type(value) is list:
                total += size(value)
        sizes[id(node)] = total
        if total - distinct > MAX_ALIAS_VALUES:
            raise _AliasBomb
        return total

    try:
        if type(root) is dict or type(root) is list:
            size(root)
    except RecursionError:
        raise OpenApiError(f"{name}: the YAML is nested too deeply to read.") from None
    except _AliasBomb:
        raise OpenApiError(f"{name}: its YAML aliases (*name) repeat anchored parts into more than "
                           f"{MAX_ALIAS_VALUES:,} extra values (a \"billion laughs\" document); it is refused.") from None


def _loads_in_pieces(text: str) -> Any:
    """``json.loads`` decoding the top three object levels member by member (root, ``paths``, each path item), so
    no single C call holds the GIL for the whole document: a 10 MB document parsed on a worker thread then leaves
    the GUI thread turns every few milliseconds instead of one ~350 ms stall. Same result and errors."""
    from app.core.formats.json_stream import JsonWalker

    walker = JsonWalker(text)

    def read(depth: int) -> Any:
        if depth < 3 and walker.peek() == "{":
            return {key: read(depth + 1) for key in walker.members()}
        return walker.value()

    result = read(0)
    walker.end()
    return result


def escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: object) -> str:
    """('paths', '/pets/{id}', 'get') -> '/paths/~1pets~1{id}/get'."""
    return "".join("/" + escape_pointer(str(t)) for t in tokens)


def _walk_pointer(root: Any, frag: str, where: str) -> Any:
    node = root
    if frag in ("", "/"):
        return node
    if not frag.startswith("/"):
        raise RefError(f"{where}: '#{frag}' is not a JSON pointer (only '#/...' references are followed).")
    for raw in frag[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, dict) and token.isdigit() and int(token) in node:  # YAML keys like 200 are ints
            node = node[int(token)]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise RefError(f"{where}: the reference target '#{frag}' does not exist (no '{token}').")
    return node


class Document:
    """A parsed document plus the files its references reach; references are followed when asked."""

    def __init__(self, root: dict, name: str, read_file: Callable[[str], bytes] | None = None) -> None:
        self.root = root
        self.name = name
        self.version = str(root.get("openapi", ""))
        self.dialect = "3.1" if self.version.startswith("3.1") else "3.0"
        self._read_file = read_file
        self._files: dict[str, Any] = {name: root}
        self.cache: dict[str, Any] = {}  # what checks build once per document (schema validators)

    def file_root(self, file: str) -> Any:
        """The root of ``file`` (the main document's name or a path relative to it), read once."""
        if file in self._files:
            return self._files[file]
        if self._read_file is None:
            raise RefError(f"{self.name}: the reference to '{file}' needs that file, and no folder was given to read "
                           "it from.")
        try:
            data = self._read_file(file)
        except OSError as exc:
            raise RefError(f"{self.name}: the referenced file '{file}' cannot be read "
                           f"({exc.strerror or type(exc).__name__}).") from None
        self._files[file] = parse_text(data, file)
        return self._files[file]

    def target(self, ref: str, file: str, where: str) -> tuple[Any, str]:
        """Where one ``$ref`` string (written in ``file``) points: (node, file of the node)."""
        if not isinstance(ref, str):
            raise RefError(f"{file}: {where}: $ref is not a string.")
        if "://" in ref.split("#", 1)[0]:
            raise RefError(f"{file}: {where}: '{ref}' is on the network; references are only followed to local "
                           "files.")
        path, _, frag = ref.partition("#")
        if path:
            base = posixpath.dirname(file) if file != self.name else ""
            path = posixpath.normpath(posixpath.join(base, unquote(path)))
            if path == posixpath.normpath(self.name):
                path = self.name
        target_file = path or file
        return _walk_pointer(self.file_root(target_file), unquote(frag), f"{file}: {where}"), target_file

    def deref(self, node: Any, file: str | None = None, where: str = "") -> tuple[Any, str]:
        """Follow ``node``'s $ref chain (if any) to a node that is not a reference; cycles raise RefError."""
        file = file or self.name
        seen: set[tuple[str, str]] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            key = (file, str(ref))
            if key in seen or len(seen) > _MAX_REF_HOPS:
                raise RefError(f"{file}: {where}: the reference '{ref}' leads back to itself.")
            seen.add(key)
            node, file = self.target(ref, file, where)
        return node, file


def load_document(data: bytes, name: str, read_file: Callable[[str], bytes] | None = None) -> Document:
    """The document in ``data``; OpenApiError when it is not an OpenAPI 3.0/3.1 document."""
    root = parse_text(data, name)
    if not isinstance(root, dict):
        raise OpenApiError(f"{name}: /: the document is not an object with 'openapi' and 'paths'.")
    if "swagger" in root and "openapi" not in root:
        raise OpenApiError(f"{name}: /swagger: this is a Swagger {root.get('swagger')} document; only OpenAPI 3.0 "
                           "and 3.1 are read (convert it with swagger2openapi).")
    version = str(root.get("openapi", ""))
    if not version:
        raise OpenApiError(f"{name}: /openapi: missing; this does not look like an OpenAPI document.")
    if not (version.startswith("3.0") or version.startswith("3.1")):
        raise OpenApiError(f"{name}: /openapi: version '{version}' is not 3.0 or 3.1.")
    paths = root.get("paths", {})
    if paths is not None and not isinstance(paths, dict):
        raise OpenApiError(f"{name}: /paths: must be an object of path templates.")
    return Document(root, name, read_file)
