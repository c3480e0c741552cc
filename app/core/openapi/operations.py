"""The operations of a document, each read on its own so that a broken one is skipped and named, not fatal.

CONTRACT:
    @dataclass(frozen=True) class Parameter: name; location ("path"|"query"|"header"|"cookie"); required; schema; example
    @dataclass(frozen=True) class Operation:
        method: str ("GET"); template: str ("/pets/{id}"); operation_id: str; summary: str; tags: tuple[str, ...]
        parameters: tuple[Parameter, ...]       # path-level and operation-level, the operation's winning
        request_types: tuple[str, ...]          # requestBody media types as written ("application/json", "*/*")
        request_required: bool
        request_content: dict                   # media type -> media type object (refs unresolved below it)
        responses: dict[str, Any]               # "200" / "4XX" / "default" -> response object (resolved one level)
        response_files: dict[str, str]          # the file each response object lives in (its refs are relative to it)
        security: list | None; file: str        # the file the operation's nodes live in (for further refs)
        label -> "listPets" or "GET /pets"
    def read_operations(doc: Document) -> tuple[list[Operation], list[str]]    # (operations, skipped sentences)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.openapi.load import Document, OpenApiError, pointer

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    schema: Any = None
    example: Any = None


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    operation_id: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    request_types: tuple[str, ...] = ()
    request_required: bool = False
    request_content: dict = field(default_factory=dict, compare=False, repr=False)
    responses: dict = field(default_factory=dict, compare=False, repr=False)
    response_files: dict = field(default_factory=dict, compare=False, repr=False)
    security: list | None = field(default=None, compare=False, repr=False)
    file: str = ""

    @property
    def label(self) -> str:
        return self.operation_id or f"{self.method} {self.template}"


def _parameters(doc: Document, raw: Any, file: str, where: str) -> dict[tuple[str, str], Parameter]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise OpenApiError(f"{where}/parameters: must be a list.")
    out: dict[tuple[str, str], Parameter] = {}
    for i, item in enumerate(raw):
        p, _ = doc.deref(item, file, f"{where}/parameters/{i}")
        if not isinstance(p, dict) or not isinstance(p.get("name"), str) or p.get("in") not in (
                "path", "query", "header", "cookie"):
            raise OpenApiError(f"{where}/parameters/{i}: a parameter needs a 'name' and 'in' (path, query, header "
                               "or cookie).")
        loc = p["in"]
        example = p.get("example")
        if example is None and isinstance(p.get("schema"), dict):
            example = p["schema"].get("example", p["schema"].get("default"))
        out[(p["name"].lower() if loc == "header" else p["name"], loc)] = Parameter(
            p["name"], loc, bool(p.get("required")) or loc == "path", p.get("schema"), example)
    return out


def _responses(doc: Document, raw: Any, file: str, where: str) -> tuple[dict[str, Any], dict[str, str]]:
    raw, file = doc.deref(raw, file, f"{where}/responses")
    if not isinstance(raw, dict):
        raise OpenApiError(f"{where}/responses: missing or not an object.")
    out: dict[str, Any] = {}
    files: dict[str, str] = {}
    for key, value in raw.items():
        resolved, in_file = doc.deref(value, file, f"{where}/responses/{key}")
        if not isinstance(resolved, dict):
            raise OpenApiError(f"{where}/responses/{key}: a response must be an object.")
        if isinstance(value, dict) and "$ref" in value and isinstance(value.get("description"), str):
            resolved = {**resolved, "description": value["description"]}  # 3.1: a reference's own description wins
        name = str(key).upper() if str(key).lower() != "default" else "default"
        out[name], files[name] = resolved, in_file
    return out, files


def _operation(doc: Document, template: str, method: str, op: Any, shared: dict, file: str, where: str) -> Operation:
    if not isinstance(op, dict):
        raise OpenApiError(f"{where}: an operation must be an object.")
    params = dict(shared)
    params.update(_parameters(doc, op.get("parameters"), file, where))
    body, _ = doc.deref(op.get("requestBody"), file, f"{where}/requestBody")
    content = body.get("content") if isinstance(body, dict) else None
    content = content if isinstance(content, dict) else {}
    tags = op.get("tags") if isinstance(op.get("tags"), list) else []
    security = op.get("security", doc.root.get("security"))
    responses, response_files = _responses(doc, op.get("responses"), file, where)
    return Operation(
        method=method.upper(), template=template, operation_id=str(op.get("operationId") or ""),
        summary=str(op.get("summary") or ""), tags=tuple(str(t) for t in tags),
        parameters=tuple(params.values()), request_types=tuple(str(k) for k in content),
        request_required=bool(isinstance(body, dict) and body.get("required")), request_content=content,
        responses=responses, response_files=response_files,
        security=security if isinstance(security, list) else None, file=file)


def read_operations(doc: Document) -> tuple[list[Operation], list[str]]:
    """Every operation of ``doc.root['paths']``; one that cannot be read is left out with a sentence saying why."""
    operations: list[Operation] = []
    skipped: list[str] = []
    for template, item in (doc.root.get("paths") or {}).items():
        where = pointer("paths", template)
        try:
            item, file = doc.deref(item, doc.name, where)
            if not isinstance(item, dict):
                raise OpenApiError(f"{where}: a path item must be an object.")
            shared = _parameters(doc, item.get("parameters"), file, where)
        except OpenApiError as exc:
            skipped.append(_sentence(doc.name, exc))
            continue
        for method in METHODS:
            if method in item:
                try:
                    operations.append(_operation(doc, str(template), method, item[method], shared, file,
                                                 f"{where}/{method}"))
                except (OpenApiError, RecursionError) as exc:
                    skipped.append(_sentence(doc.name, exc))
    return operations, skipped


def _sentence(name: str, exc: Exception) -> str:
    text = str(exc) if isinstance(exc, OpenApiError) else "nested too deeply"
    return text if text.startswith(name + ":") else f"{name}: {text}"
