"""Findings an OpenAPI operation makes possible, and the error message read through its documented schema.

CONTRACT:
    def status_undocumented(op, code) -> Finding                              # response-status-undocumented
    def request_checks(doc, op, request, path_params) -> list[Finding]        # request-content-type-undocumented,
                                                                              # request-parameter-missing
    def response_checks(doc, op, key, response) -> list[Finding]              # response-content-type-undocumented,
                                                                              # response-schema-mismatch
    def schema_message(doc, op, key, response) -> ApiMessage | None

Rules:
- Media types match as written, with ``type/*`` and ``*/*`` ranges and parameters ignored; ``+json`` types match
  a documented ``application/json`` only when nothing closer is documented.
- Header parameters Accept, Content-Type and Authorization are ignored as OpenAPI says (they are described elsewhere).
- Schemas are checked by the ``jsonschema`` library: 3.0 documents with draft 4 rules plus ``nullable``, 3.1 with
  2020-12. Bodies over ``MAX_CHECK_BYTES`` or truncated previews are not checked. ``$ref``s resolve against the file
  the response lives in, cycles included. A mismatch names the pointer and the rule; it quotes the body's value
  only when that cannot be a credential (numbers, booleans, null, strings of up to 4 characters, none under a
  secret-named key), since jsonschema's own messages quote values as reprs that text redaction cannot see.
- ``schema_message`` is used only when the body has none of the names app.core.message knows: the documented
  schema's string properties whose names say message (message, msg, error, detail, reason, title, ...) give it.
"""

from __future__ import annotations

import json
import reprlib
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from app.core.message import ApiMessage
from app.core.models import Finding, HttpRequest, HttpResponse, header_values, media_type
from app.core.openapi.load import Document, escape_pointer
from app.core.openapi.operations import Operation

MAX_CHECK_BYTES = 2 * 1024 * 1024
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}
_MESSAGE_HINTS = ("message", "msg", "error_description", "errormessage", "error", "detail", "details", "reason",
                  "description", "title", "text", "summary")
_BASE_URI = "file:///openapi/"
_SHORT = reprlib.Repr()  # an enum or const written into a sentence: a few levels, items and characters
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring, _SHORT.maxother = 3, 8, 8, 40, 40


def status_undocumented(op: Operation, code: int) -> Finding:
    listed = ", ".join(op.responses) or "no statuses"
    return Finding("response-status-undocumented", "warning", "response", "Status",
                   f"{op.label} does not document {code} (it documents {listed}); the HTTP standard's meaning "
                   "is shown instead.")


def _media_match(actual: str, documented: list[str]) -> str | None:
    """The documented media type (as written) that covers ``actual``, the closest first; None when none does."""
    exact = {d.split(";")[0].strip().lower(): d for d in documented}
    if actual in exact:
        return exact[actual]
    main = actual.split("/")[0]
    for key in (f"{main}/*", "*/*"):
        if key in exact:
            return exact[key]
    if actual.endswith("+json") and "application/json" in exact:
        return exact["application/json"]
    return None


def request_checks(doc: Document, op: Operation, request: HttpRequest, path_params: dict[str, str]) -> list[Finding]:
    out: list[Finding] = []
    body_size = len(request.body) if request.body is not None else (request.unrecorded_body_bytes or 0)
    ctype = media_type(request.header("Content-Type"))
    if body_size and ctype and op.request_types and _media_match(ctype, list(op.request_types)) is None:
        out.append(Finding("request-content-type-undocumented", "error", "request", "Content-Type",
                           f"{op.label} takes {', '.join(op.request_types)}, not {ctype}; the server may answer "
                           "415 or misread the body."))
    query = {k for k, _ in parse_qsl(urlsplit(request.url).query, keep_blank_values=True)}
    cookies = {c.split("=", 1)[0].strip() for v in header_values(request.headers, "Cookie") for c in v.split(";")}
    for p in op.parameters:
        if not p.required:
            continue
        if p.location == "header" and p.name.lower() not in _IGNORED_HEADERS and request.header(p.name) is None:
            where = f"the header {p.name}"
        elif p.location == "query" and p.name not in query:
            where = f"the query parameter {p.name}"
        elif p.location == "cookie" and p.name not in cookies:
            where = f"the cookie {p.name}"
        else:
            continue
        out.append(Finding("request-parameter-missing", "error", "request", p.name,
                           f"{op.label} requires {where}, and the request has none."))
    return out


def _content(op: Operation, key: str) -> dict:
    content = op.responses[key].get("content")
    return content if isinstance(content, dict) else {}


def response_checks(doc: Document, op: Operation, key: str, response: HttpResponse) -> list[Finding]:
    content = _content(op, key)
    ctype = media_type(response.header("Content-Type"))
    if not response.body or not ctype or 100 <= response.status < 200 or response.status in (204, 304):
        return []
    chosen = _media_match(ctype, [str(k) for k in content])
    if chosen is None:
        documented = ", ".join(str(k) for k in content) if content else "no body"
        return [Finding("response-content-type-undocumented", "warning", "response", "Content-Type",
                        f"{op.label} documents {documented} for {key}, not {ctype}.")]
    media = content.get(chosen)
    schema = media.get("schema") if isinstance(media, dict) else None
    if schema is None or "json" not in ctype or response.body_truncated or len(response.body) > MAX_CHECK_BYTES:
        return []
    problem = _schema_problem(doc, op, key, schema, response.body)
    if problem is None:
        return []
    return [Finding("response-schema-mismatch", "error", "response", "Body",
                    f"The body does not match the schema {op.label} documents for {key} {chosen}: {problem}")]


def _pointer(path) -> str:
    return "".join("/" + escape_pointer(str(p)) for p in path) or "/ (the whole body)"


def _schema_problem(doc: Document, op: Operation, key: str, schema: Any, body: bytes) -> str | None:
    try:
        instance = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return "it is not JSON."
    validator = _validator(doc, op.response_files.get(key, doc.name), schema)
    errors = []
    for err in validator.iter_errors(instance):
        errors.append(err)
        if len(errors) >= 50:
            break
    if not errors:
        return None
    from jsonschema.exceptions import best_match

    first = best_match(errors)
    message = _rule_broken(first)
    message = message if len(message) <= 200 else message[:199] + "…"
    more = f" ({len(errors) - 1}{'+' if len(errors) >= 50 else ''} more)" if len(errors) > 1 else ""
    return f"at {_pointer(first.absolute_path)} the rule '{first.validator}' fails: {message}{more}."


# Rules whose jsonschema message names keys, never the body's values.
_KEY_RULES = frozenset({"required", "additionalProperties", "unevaluatedProperties", "dependentRequired",
                        "dependencies"})
# What a value breaking a rule is said to be, in words that do not quote it.
_RULE_WORDS = {"maxLength": "is longer than {} characters", "minLength": "is shorter than {} characters",
               "maxItems": "has more than {} items", "minItems": "has fewer than {} items",
               "pattern": "does not match the pattern {!r}", "format": "is not a valid {}",
               "type": "is not of type {!r}"}


def _rule_broken(err) -> str:
    """What broke the rule. The body's value is quoted only when it cannot be a credential: a number, boolean or
    null, or a string of up to 4 characters, and never under a secret-named key (a finding is shown, exported and
    printed like any sentence, and jsonschema quotes values as Python reprs that text redaction cannot see)."""
    from app.core.redact import is_secret_param

    instance, rule = err.instance, err.validator
    path = [p for p in err.absolute_path if isinstance(p, str)]
    secret = bool(path) and is_secret_param(path[-1])
    harmless = instance is None or isinstance(instance, (bool, int, float)) or (
        isinstance(instance, str) and len(instance) <= 4)
    if rule in _KEY_RULES or (harmless and not secret):
        return err.message
    if rule in _RULE_WORDS:
        return f"the value {_RULE_WORDS[rule].format(err.validator_value)}"
    quoted = repr(instance)
    return "the value" + err.message[len(quoted):] if err.message.startswith(quoted) else "the value breaks it"


def _validator(doc: Document, file: str, schema: Any):
    """A validator for ``schema`` (a node of ``file``), its references resolved against the document's files."""
    from jsonschema import Draft4Validator, Draft202012Validator, validators
    from referencing import Registry
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    cls = doc.cache.get("validator-class")
    if cls is None:
        if doc.dialect == "3.1":
            cls, spec = Draft202012Validator, DRAFT202012
        else:
            base_type = Draft4Validator.VALIDATORS["type"]

            def nullable_type(validator, types, instance, sch):
                if instance is None and isinstance(sch, dict) and sch.get("nullable") is True:
                    return
                yield from base_type(validator, types, instance, sch)

            cls, spec = validators.extend(Draft4Validator, {"type": nullable_type}), DRAFT4
        cls = validators.extend(cls, _short_messages(cls))

        def retrieve(uri: str):
            if not uri.startswith(_BASE_URI):
                raise NoSuchResource(ref=uri)
            try:
                return spec.create_resource(doc.file_root(unquote(uri[len(_BASE_URI):])))
            except Exception as exc:  # an unreadable referenced file: the check says the reference is missing
                raise NoSuchResource(ref=uri) from exc

        doc.cache["validator-class"] = cls
        doc.cache["registry"] = Registry(retrieve=retrieve)
    registry = doc.cache["registry"]
    return cls(schema, _resolver=registry.resolver(base_uri=_BASE_URI + quote(file)))


class _ShortList(list):
    def __repr__(self) -> str:
        return _SHORT.repr(list(self))


class _ShortDict(dict):
    def __repr__(self) -> str:
        return _SHORT.repr(dict(self))


def _short(value: Any) -> Any:
    if isinstance(value, list):
        return _ShortList(value)
    return _ShortDict(value) if isinstance(value, dict) else value


def _short_messages(cls) -> dict:
    """jsonschema's enum and const keywords, with the schema's value written into the error message bounded: they
    format the whole value eagerly, and an enum that YAML aliases expand to a million strings took minutes."""
    base_enum, base_const = cls.VALIDATORS["enum"], cls.VALIDATORS.get("const")

    def enum(validator, enums, instance, schema):
        yield from base_enum(validator, _short(enums), instance, schema)

    def const(validator, value, instance, schema):
        yield from base_const(validator, _short(value), instance, schema)

    return {"enum": enum, "const": const} if base_const else {"enum": enum}


def _properties(doc: Document, schema: Any, file: str, depth: int = 0) -> dict[str, Any]:
    """The properties of an object schema, through $ref and allOf (a few levels; cycles stop there)."""
    if depth > 8:
        return {}
    schema, file = doc.deref(schema, file, "schema")
    if not isinstance(schema, dict):
        return {}
    props = dict(schema.get("properties") or {}) if isinstance(schema.get("properties"), dict) else {}
    for part in schema.get("allOf") or []:
        props.update(_properties(doc, part, file, depth + 1))
    return props


def schema_message(doc: Document, op: Operation, key: str, response: HttpResponse) -> ApiMessage | None:
    """The message of an error body by the documented schema's own field names (when app.core.message found none)."""
    ctype = media_type(response.header("Content-Type")) or ""
    content = _content(op, key)
    chosen = _media_match(ctype, [str(k) for k in content]) if ctype else None
    media = content.get(chosen) if chosen else None
    if not isinstance(media, dict) or "json" not in ctype or len(response.body) > MAX_CHECK_BYTES:
        return None
    try:
        body = json.loads(response.body.decode("utf-8-sig"))
        props = _properties(doc, media.get("schema"), op.response_files.get(key, doc.name))
    except Exception:
        return None
    if not isinstance(body, dict):
        return None
    ranked = sorted((k for k in props if isinstance(body.get(k), (str, int, float)) and not isinstance(
        body.get(k), bool)), key=lambda k: _rank(k))
    fields = tuple((k, str(body[k]).strip()) for k in ranked if _rank(k) < len(_MESSAGE_HINTS) and str(body[k]).strip())
    if not fields:
        return None
    return ApiMessage(" — ".join(dict.fromkeys(v for _, v in fields[:2])), fields[:2])


def _rank(name: str) -> int:
    low = name.lower().replace("-", "_")
    for i, hint in enumerate(_MESSAGE_HINTS):
        if low == hint or low.replace("_", "") == hint.replace("_", ""):
            return i
    for i, hint in enumerate(_MESSAGE_HINTS):
        if hint in low:
            return i + 0.5
    return len(_MESSAGE_HINTS)
