"""The body's own explanation: the Message/Description property the API page promises (owner: catalog helper).

CONTRACT:
    @dataclass(frozen=True) class ApiMessage: text: str; fields: tuple[tuple[str, str], ...]
        # text: what the UI shows ("Message — Description" when both differ); fields: (path, value) e.g. ("error.Message", "...")
    def extract_message(body: bytes, content_type: str | None) -> ApiMessage | None   # never raises

Rules:
- Only the first ``MAX_PARSE_BYTES`` (1 MiB) of a body are looked at; a larger JSON/XML body is then incomplete and
  yields None (error bodies are small; this keeps a 100 MB download from being parsed on any thread).
- The charset of ``content_type`` is honoured (unknown charset -> UTF-8); undecodable bytes become U+FFFD.
- JSON (media type ``*json``, or a body starting with ``{``/``[`` when the type says neither JSON nor XML):
  keys Message / Description (any case) at the top level, else one level down (``error.message``,
  ``errors[0].message``); RFC 9457 problem details (``application/problem+json``, or ``title`` and ``detail`` together
  with ``type`` or ``status``) give title/detail. Only when none of these exist: ``detail``, ``error_description``,
  or a string ``error``. Strings and numbers count; objects, lists, booleans and null do not.
- XML (media type containing ``xml``, or a body starting with ``<``): the first elements named Message / Description
  (any case, any namespace, up to depth ``MAX_XML_DEPTH``). Documents with a DOCTYPE or entity declaration are refused
  (billion laughs, external entities): they give None.
- Values are stripped; each shown value is cut at ``MAX_VALUE_CHARS`` characters with "…".
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from typing import Any

MAX_PARSE_BYTES = 1024 * 1024
MAX_XML_DEPTH = 32
MAX_VALUE_CHARS = 2000
MAX_FIELDS = 10
SEPARATOR = " — "

_MESSAGE_KEYS = ("message",)
_DESCRIPTION_KEYS = ("description",)
_FALLBACK_KEYS = ("detail", "error_description", "error")


@dataclass(frozen=True)
class ApiMessage:
    """The explanation found in a response body: display text plus where each part came from."""

    text: str
    fields: tuple[tuple[str, str], ...]


def extract_message(body: bytes, content_type: str | None) -> ApiMessage | None:
    """The Message/Description (or problem title/detail) of a response body, or None. Never raises."""
    try:
        return _extract(body, content_type)
    except Exception:  # a malformed body must never surface as a traceback
        return None


# --------------------------------------------------------------------------- decoding
def _params(content_type: str | None) -> tuple[str, str | None]:
    """'application/json; charset="latin-1"' -> ('application/json', 'latin-1')."""
    if not content_type or not isinstance(content_type, str):
        return "", None
    parts = content_type.split(";")
    mtype = parts[0].strip().lower()
    charset = None
    for part in parts[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'").strip() or None
    return mtype, charset


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except (LookupError, ValueError):
        return None


def _decode(data: bytes, charset: str | None) -> str:
    codec = _codec(charset)
    if codec is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            codec = "utf-16"
        else:
            codec = "utf-8-sig"
    elif codec == "utf-8":
        codec = "utf-8-sig"
    return data.decode(codec, errors="replace")


def _extract(body: bytes, content_type: str | None) -> ApiMessage | None:
    if isinstance(body, str):
        body = body.encode("utf-8", errors="replace")
    if not isinstance(body, (bytes, bytearray, memoryview)):
        return None
    data = bytes(body[:MAX_PARSE_BYTES])
    mtype, charset = _params(content_type)
    text = _decode(data, charset)
    stripped = text.lstrip()
    if not stripped:
        return None
    is_json = mtype.endswith("json")
    is_xml = "xml" in mtype
    if not is_json and not is_xml:
        is_json = stripped[0] in "{["
        is_xml = stripped[0] == "<"
    if is_json:
        return _from_json(stripped, problem=mtype == "application/problem+json")
    if is_xml:
        return _from_xml(data, text, declared_charset=_codec(charset) is not None)
    return None


# --------------------------------------------------------------------------- shared
def _clip(value: str) -> str:
    value = value.strip()
    if len(value) > MAX_VALUE_CHARS:
        return value[: MAX_VALUE_CHARS - 1].rstrip() + "…"
    return value


def _compose(first: tuple[str, str] | None, second: tuple[str, str] | None) -> ApiMessage | None:
    """'Message — Description' when both exist and differ; fields in the same order."""
    fields = tuple(f for f in (first, second) if f is not None)
    if not fields:
        return None
    if first and second and first[1].casefold() != second[1].casefold():
        return ApiMessage(f"{first[1]}{SEPARATOR}{second[1]}", fields)
    return ApiMessage(fields[0][1], fields)


# --------------------------------------------------------------------------- JSON
def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        return _clip(value) or None
    if isinstance(value, (int, float)):
        try:
            return _clip(str(value))
        except ValueError:  # an int too long to print (sys.set_int_max_str_digits)
            return None
    return None


def _first_key(obj: dict, names: tuple[str, ...], prefix: str) -> tuple[str, str] | None:
    for key, value in obj.items():
        if isinstance(key, str) and key.lower() in names:
            text = _scalar(value)
            if text is not None:
                return (f"{prefix}{key}", text)
    return None


def _message_pair(obj: dict, prefix: str) -> ApiMessage | None:
    return _compose(_first_key(obj, _MESSAGE_KEYS, prefix), _first_key(obj, _DESCRIPTION_KEYS, prefix))


def _problem(obj: dict, problem: bool) -> ApiMessage | None:
    keys = {k.lower(): k for k in obj if isinstance(k, str)}
    looks_like = "title" in keys and "detail" in keys and ("type" in keys or "status" in keys)
    if not (problem or looks_like):
        return None
    title = _first_key(obj, ("title",), "")
    detail = _first_key(obj, ("detail",), "")
    return _compose(title, detail)


def _children(obj: Any, prefix: str) -> list[tuple[dict, str]]:
    """Objects one level below ``obj``: dict values, and the first element of list values (when a dict)."""
    out: list[tuple[dict, str]] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if isinstance(value, dict):
                out.append((value, f"{prefix}{key}."))
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                out.append((value[0], f"{prefix}{key}[0]."))
    elif isinstance(obj, list) and obj and isinstance(obj[0], dict):
        out.append((obj[0], "[0]."))
    return out


def _from_json(text: str, problem: bool) -> ApiMessage | None:
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    top: list[tuple[dict, str]] = [(doc, "")] if isinstance(doc, dict) else []
    levels = [top, _children(doc, "")]
    for level in levels:
        for obj, prefix in level:
            found = (_problem(obj, problem) if not prefix else None) or _message_pair(obj, prefix)
            if found:
                return found
    for level in levels:
        for obj, prefix in level:
            for name in _FALLBACK_KEYS:
                pair = _first_key(obj, (name,), prefix)
                if pair is not None:
                    return ApiMessage(pair[1], (pair,))
    return None


# --------------------------------------------------------------------------- XML
class _Refused(Exception):
    """A DOCTYPE or entity declaration: not parsed, by policy."""


def _from_xml(data: bytes, text: str, declared_charset: bool) -> ApiMessage | None:
    """Raw bytes when the HTTP header names no charset (the document's own declaration/BOM decides); if those
    do not parse, or a charset was named, the decoded text (the declaration dropped, bad bytes replaced)."""
    found: list[tuple[str, str, str]] | None = None
    if not declared_charset:
        try:
            found = _scan_xml(data)
        except _Refused:
            return None
        except Exception:
            found = None
    if found is None:
        body = text.lstrip("\ufeff").lstrip()
        if body.startswith("<?xml") and "?>" in body:
            body = body[body.find("?>") + 2 :]
        try:
            found = _scan_xml(body.encode("utf-8"))
        except Exception:
            return None
    message = next(((p, v) for k, p, v in found if k == "message"), None)
    description = next(((p, v) for k, p, v in found if k == "description"), None)
    return _compose(message, description)


def _scan_xml(payload: bytes) -> list[tuple[str, str, str]]:
    """(kind, path, value) of Message/Description elements; raises on malformed XML, _Refused on DTDs."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="\x1f")

    def refuse(*_args: Any) -> None:
        raise _Refused

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    stack: list[str] = []
    open_: list[tuple[int, str, list[str], list[int]]] = []  # (depth, path, text parts, [length]) being collected
    found: list[tuple[str, str, str]] = []

    def start(name: str, _attrs: Any) -> None:
        local = name.rsplit("\x1f", 1)[-1]
        stack.append(local)
        if len(stack) <= MAX_XML_DEPTH and local.lower() in ("message", "description") and len(found) < MAX_FIELDS:
            open_.append((len(stack), ".".join(stack), [], [0]))

    def end(_name: str) -> None:
        if open_ and open_[-1][0] == len(stack):
            _depth, path, parts, _length = open_.pop()
            value = _clip(" ".join("".join(parts).split()))
            if value:
                found.append((stack[-1].lower(), path, value))
        stack.pop()

    def chars(chunk: str) -> None:
        for _depth, _path, parts, length in open_:
            if length[0] < MAX_VALUE_CHARS * 2:
                parts.append(chunk)
                length[0] += len(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.Parse(payload, True)
    return found
