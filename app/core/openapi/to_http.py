"""An OpenAPI document's operations as saved requests: one ``.http`` file per operation, one folder per tag.

CONTRACT:
    class EnvVariable(NamedTuple): name: str; value: str; secret: bool = False
    @dataclass(frozen=True) class HttpImport:
        title: str                              # the document's info.title (the environment's name)
        files: dict[str, str]                   # "pets/listPets.http" -> .http text
        variables: tuple[EnvVariable, ...]      # base_url (first server) and the secrets' empty placeholders
        notes: tuple[str, ...]                  # operations skipped or imported with something left out
    def to_http_files(catalog: OpenApiCatalog) -> HttpImport

What a file holds: ``@name = example`` lines for the operation's path and query parameters (so each request opens
ready to send and the user edits the values in the file), then the request line ``{{base_url}}/pets/{{petId}}``,
required header parameters, the auth its first security requirement names, and a body from the request media type's
example or one generated from its schema (app.core.openapi.sample). Secrets are never values: a bearer scheme (or
OAuth2 / OpenID Connect) becomes ``Authorization: Bearer {{token}}``, an API key ``{{api_key}}`` in its header,
query or cookie, HTTP basic ``Authorization: Basic {{basic_credentials}}``; those variables are listed as secret
with empty values for the environment (the caller keeps them in the secret store).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlencode

from app.core.openapi.catalog import OpenApiCatalog
from app.core.openapi.load import Document, OpenApiError
from app.core.openapi.operations import Operation
from app.core.openapi.sample import sample

_VAR = re.compile(r"\{([^{}/]+)\}")
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class HttpImport:
    """What an import writes: the files, the environment's variables, and what was left out."""

    title: str
    files: dict[str, str]
    variables: tuple[EnvVariable, ...]
    notes: tuple[str, ...] = ()


class EnvVariable(NamedTuple):
    """One variable for the environment named after the document."""

    name: str
    value: str
    secret: bool = False


def _var_name(name: str) -> str:
    """A parameter name as a {{variable}} (letters first; unsafe characters become '_')."""
    out = _SAFE.sub("_", name).strip("_.-") or "value"
    return out if out[0].isalpha() else "v_" + out


def _file_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9 _.-]+", "-", text).strip(" .-")[:80] or "request"


def base_url(servers: list) -> tuple[str, str | None]:
    """The first server's URL with its variables at their defaults, and a note when it cannot be used as is."""
    first = servers[0] if servers and isinstance(servers[0], dict) else None
    if first is None or not isinstance(first.get("url"), str):
        return "", "The document names no server: set base_url in the environment."
    variables = first.get("variables") if isinstance(first.get("variables"), dict) else {}

    def default(m: re.Match) -> str:
        spec = variables.get(m.group(1))
        return str(spec.get("default", m.group(0))) if isinstance(spec, dict) else m.group(0)

    url = _VAR.sub(default, first["url"]).rstrip("/")
    if "://" not in url:
        return url, f"The first server ('{first['url']}') is relative: put the API's host in front of base_url."
    return url, None


class _Auth:
    """Security scheme name -> (header lines, query pairs) with the secret variables they use."""

    def __init__(self, doc: Document) -> None:
        comps = doc.root.get("components") if isinstance(doc.root.get("components"), dict) else {}
        raw = comps.get("securitySchemes") if isinstance(comps.get("securitySchemes"), dict) else {}
        self.doc = doc
        self.schemes = raw
        self.secrets: dict[str, None] = {}  # in first-use order
        self._names: dict[str, str] = {}

    def _secret(self, scheme: str, base: str) -> str:
        if scheme not in self._names:
            taken = set(self._names.values())
            self._names[scheme] = base if base not in taken else f"{base}_{_var_name(scheme)}"
        self.secrets[self._names[scheme]] = None
        return "{{" + self._names[scheme] + "}}"

    def apply(self, op: Operation, headers: list[str], query: list[str], notes: list[str]) -> None:
        requirement = next((r for r in (op.security or []) if isinstance(r, dict)), None)
        for name in (requirement or {}):
            try:
                scheme, _ = self.doc.deref(self.schemes.get(name), self.doc.name, f"securitySchemes/{name}")
            except OpenApiError:
                scheme = None
            if not isinstance(scheme, dict):
                notes.append(f"{op.label}: the security scheme '{name}' is not defined; no auth added.")
                continue
            kind, where = scheme.get("type"), scheme.get("in")
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                headers.append(f"Authorization: Basic {self._secret(name, 'basic_credentials')}")
            elif kind in ("oauth2", "openIdConnect") or kind == "http":
                headers.append(f"Authorization: Bearer {self._secret(name, 'token')}")
            elif kind == "apiKey" and isinstance(scheme.get("name"), str) and where in ("header", "query", "cookie"):
                value = self._secret(name, "api_key")
                if where == "header":
                    headers.append(f"{scheme['name']}: {value}")
                elif where == "query":
                    query.append(f"{scheme['name']}={value}")
                else:
                    headers.append(f"Cookie: {scheme['name']}={value}")
            else:
                notes.append(f"{op.label}: the security scheme '{name}' ({kind}) is not imported; add its auth by hand.")


def _media(op: Operation) -> tuple[str, Any] | None:
    types = list(op.request_content)
    if not types:
        return None
    pick = next((t for t in types if t.split(";")[0].strip().lower() == "application/json"), None)
    pick = pick or next((t for t in types if t.split(";")[0].strip().lower().endswith("+json")), types[0])
    return pick, op.request_content[pick]


def _body(doc: Document, op: Operation, notes: list[str]) -> tuple[str | None, str | None]:
    """(Content-Type, body text) for the operation's request body, from its example or its schema."""
    found = _media(op)
    if found is None:
        return None, None
    ctype, media = found
    media, file = doc.deref(media, op.file) if isinstance(media, dict) else ({}, op.file)
    value = media.get("example") if isinstance(media, dict) else None
    examples = media.get("examples") if isinstance(media, dict) else None
    if value is None and isinstance(examples, dict) and examples:
        first, _ = doc.deref(next(iter(examples.values())), file)
        value = first.get("value") if isinstance(first, dict) else None
    if value is None and isinstance(media, dict):
        value = sample(doc, media.get("schema"), file)
    if value in (None, {}, "") and not op.request_required:
        return None, None  # an optional body with nothing in it (Stripe's GETs declare one): send none
    base = ctype.split(";")[0].strip().lower()
    if isinstance(value, str) and not base.endswith("json"):
        return ctype, value
    if base == "application/x-www-form-urlencoded" and isinstance(value, dict):
        return ctype, urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in value.items()})
    if base.endswith("json") or base == "*/*":
        return ctype, json.dumps(value, indent=2, ensure_ascii=False)
    notes.append(f"{op.label}: a {ctype} body is not generated; write it in the file.")
    return ctype, None


def _example(param) -> str:
    value = param.example
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _request(doc: Document, op: Operation, auth: _Auth, notes: list[str]) -> str:
    lines = [f"# {op.summary}" if op.summary else f"# {op.method} {op.template}"]
    path = _VAR.sub(lambda m: "{{" + _var_name(m.group(1)) + "}}", op.template)
    query: list[str] = []
    headers: list[str] = []
    optional: list[str] = []
    declared = {_var_name(p.name) for p in op.parameters if p.location == "path"}
    for name in dict.fromkeys(_var_name(m.group(1)) for m in _VAR.finditer(op.template)):
        if name not in declared:  # a template variable the document forgot to declare
            lines.append(f"@{name} = ")
    for p in op.parameters:
        var = _var_name(p.name)
        wanted = p.required or p.example is not None
        if p.location == "path" or (p.location in ("query", "header") and wanted):
            lines.append(f"@{var} = {_example(p)}")
            if p.location == "query":
                query.append(f"{p.name}={{{{{var}}}}}")
            elif p.location == "header":
                headers.append(f"{p.name}: {{{{{var}}}}}")
        elif p.location == "query":
            optional.append(p.name)
    if optional:
        lines.append("# optional query parameters: " + ", ".join(optional))
    auth.apply(op, headers, query, notes)
    ctype, body = _body(doc, op, notes)
    if ctype:
        headers.append(f"Content-Type: {ctype}")
    lines += ["", f"### {op.label}", f"{op.method} {{{{base_url}}}}{path}" + ("?" + "&".join(query) if query else "")]
    lines += headers
    if body is not None:
        lines += ["", body]
    return "\n".join(lines) + "\n"


def to_http_files(catalog: OpenApiCatalog) -> HttpImport:
    """Every operation of ``catalog`` as a .http file (see the module docstring). Pure; never raises."""
    doc = catalog.document
    info = doc.root.get("info") if isinstance(doc.root.get("info"), dict) else {}
    title = str(info.get("title") or "").strip() or doc.name
    url, note = base_url(catalog.servers)
    notes = [note] if note else []
    notes += [f"Skipped: {s}" for s in catalog.skipped]
    auth = _Auth(doc)
    files: dict[str, str] = {}
    for op in catalog.operations:
        folder = _file_name(op.tags[0]) if op.tags else "untagged"
        stem = _file_name(op.operation_id or f"{op.method} {op.template}")
        rel, n = f"{folder}/{stem}.http", 2
        while rel in files:
            rel, n = f"{folder}/{stem}-{n}.http", n + 1
        try:
            files[rel] = _request(doc, op, auth, notes)
        except (OpenApiError, RecursionError, TypeError, ValueError) as exc:
            notes.append(f"Skipped {op.label}: {exc if isinstance(exc, OpenApiError) else type(exc).__name__}.")
    variables = (EnvVariable("base_url", url),) + tuple(EnvVariable(n, "", True) for n in auth.secrets)
    return HttpImport(title, files, variables, tuple(notes))
