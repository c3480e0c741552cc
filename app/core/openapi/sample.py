"""A small example value for a JSON Schema, for request bodies imported from an OpenAPI document.

CONTRACT:
    def sample(doc: Document, schema, file: str | None = None) -> Any
        # the schema's own example/default/const/first enum value when it has one, else a value built from its type:
        # object -> its properties (at most MAX_PROPERTIES), array -> one item, string by format, number -> minimum
        # or 0, boolean -> false; allOf merged, oneOf/anyOf the first; 3.1 type lists take the first non-null type

Deterministic (same schema, same value) and bounded: nesting stops at MAX_DEPTH and a ``$ref`` already being
expanded (a cycle such as a tree node holding its children) gives ``None`` for arrays' items/objects' fields below
it, so a 3.1 document that refers to itself still yields a finite body. Never raises: a reference that cannot be
followed gives ``None`` for that place.
"""

from __future__ import annotations

from typing import Any

from app.core.openapi.load import Document, OpenApiError

MAX_DEPTH = 8
MAX_PROPERTIES = 40
_STRINGS = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "time": "00:00:00", "email": "user@example.com",
            "uuid": "00000000-0000-0000-0000-000000000000", "uri": "https://example.com/", "url": "https://example.com/",
            "hostname": "example.com", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "byte": "", "binary": "",
            "password": ""}


def sample(doc: Document, schema: Any, file: str | None = None) -> Any:
    """An example value for ``schema`` (see the module docstring); None when nothing can be said."""
    try:
        return _sample(doc, schema, file or doc.name, 0, frozenset())
    except (OpenApiError, RecursionError):
        return None


def _sample(doc: Document, schema: Any, file: str, depth: int, stack: frozenset) -> Any:
    if isinstance(schema, dict) and "$ref" in schema:
        key = (file, str(schema["$ref"]))
        if key in stack:
            return None
        stack = stack | {key}
        schema, file = doc.deref(schema, file)
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    for word in ("example", "default", "const"):
        if word in schema:
            return schema[word]
    if isinstance(schema.get("examples"), list) and schema["examples"]:
        return schema["examples"][0]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        return schema["enum"][0]
    if isinstance(schema.get("allOf"), list):
        return _all_of(doc, schema, file, depth, stack)
    for word in ("oneOf", "anyOf"):
        if isinstance(schema.get(word), list) and schema[word]:
            return _sample(doc, schema[word][0], file, depth + 1, stack)
    return _by_type(doc, schema, file, depth, stack)


def _all_of(doc: Document, schema: dict, file: str, depth: int, stack: frozenset) -> Any:
    merged: dict = {}
    rest = {k: v for k, v in schema.items() if k != "allOf"}
    for part in [*schema["allOf"], rest]:
        value = _sample(doc, part, file, depth + 1, stack)
        if isinstance(value, dict):
            merged.update(value)
        elif value is not None and not merged:
            return value
    return merged


def _type_of(schema: dict) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and ("properties" in schema or "additionalProperties" in schema):
        return "object"
    if kind is None and "items" in schema:
        return "array"
    return kind if isinstance(kind, str) else None


def _by_type(doc: Document, schema: dict, file: str, depth: int, stack: frozenset) -> Any:
    kind = _type_of(schema)
    if kind == "object":
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        out = {}
        for name, prop in list(props.items())[:MAX_PROPERTIES]:
            if isinstance(prop, dict) and prop.get("readOnly"):
                continue  # the server fills it in; a request does not send it
            out[str(name)] = _sample(doc, prop, file, depth + 1, stack)
        return out
    if kind == "array":
        item = _sample(doc, schema.get("items"), file, depth + 1, stack)
        return [] if item is None else [item]
    if kind == "string":
        return _STRINGS.get(str(schema.get("format", "")), "string")
    if kind in ("integer", "number"):
        low = schema.get("minimum")
        return low if isinstance(low, (int, float)) and not isinstance(low, bool) else 0
    if kind == "boolean":
        return False
    return None
