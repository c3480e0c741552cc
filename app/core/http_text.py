"""A request tab's draft <-> a saved ``.http`` file (pure: text in, text out; the caller does the file I/O).

``draft_to_http_text(draft, name, secrets)`` renders one request as a .http file; any value of a secret environment
variable that appears in it is put back as ``{{name}}``, so secrets never reach the file.
``drafts_from_http_text(text)`` gives the drafts of a file (file variables filled in, environment placeholders
kept; they expand when sending); ``read_http_text`` also gives the reader's notes.
``safe_file_name(name)`` is the file name a request is saved under.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from app.core.draft import RequestDraft, auth_headers, content_type_added, request_draft
from app.core.formats.http_file import HttpFile, HttpFileRequest, parse_http_file, render_http_file
from app.core.models import HttpRequest
from app.core.redact import REDACTED, is_secret_param, redact_text
from app.core.variables import expand

# Placeholders for secrets lifted out of a saved file: {{secret_<name>_<hash>}}; their values live in the secret store.
SECRET_VARIABLE_PREFIX = "secret_"
_SENTINEL = "\x00"
_PLACEHOLDER_ONLY = re.compile(r"\{\{[^{}]+\}\}")


def _draft_headers(d: RequestDraft) -> list[tuple[str, str]]:
    headers = [(r.name.strip(), r.value) for r in d.headers if r.enabled and r.name.strip()]
    headers += auth_headers(d)
    ctype = content_type_added(d)
    if ctype is not None and d.body_kind in ("raw", "json", "form"):
        headers.append(("Content-Type", ctype))
    return headers


def _draft_body(d: RequestDraft) -> str | None:
    if d.body_kind in ("raw", "json"):
        return d.raw_text
    if d.body_kind == "form":
        return urlencode([(r.name, r.value) for r in d.form if r.enabled and r.name])
    return None


def hide_secrets(text: str, secrets: dict[str, str]) -> str:
    """Every secret value in ``text`` replaced by ``{{name}}`` (longest values first)."""
    for name, value in sorted(secrets.items(), key=lambda kv: -len(kv[1] or "")):
        if value and len(value) >= 3:
            text = text.replace(value, "{{" + name + "}}")
    return text


def draft_to_http_text(draft: RequestDraft, name: str, secrets: dict[str, str] | None = None) -> str:
    """The .http file for one request. File bodies (multipart/binary) are not embedded."""
    url = draft.url.strip()
    a = draft.auth
    if a.kind == "apikey" and a.key_in == "query" and a.key_name.strip():
        url += ("&" if "?" in url else "?") + f"{a.key_name.strip()}={a.key_value}"
    req = HttpFileRequest(name=name or None, method=(draft.method.strip().upper() or "GET"), url=url,
                          headers=tuple(_draft_headers(draft)), body=_draft_body(draft))
    return hide_secrets(render_http_file(HttpFile(requests=(req,))), secrets or {})


def _placeholder_name(label: str, value: str) -> str:
    return (SECRET_VARIABLE_PREFIX + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
            + "_" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:8])


def _lift_by_position(text: str) -> tuple[str, dict[str, str]]:
    """The values ``redact_text`` hides (headers, URLs, ``"key": "value"``, ``k=v``, bearer tokens) replaced by
    placeholders where they stand; a value that cannot be told apart from its surroundings is redacted instead."""
    masked, found = redact_text(text, mask=_SENTINEL)
    if _SENTINEL not in masked or _SENTINEL in text:
        return text, {}
    pieces = masked.split(_SENTINEL)
    out, lifted, pos = [pieces[0]], {}, len(pieces[0])
    if not text.startswith(pieces[0]):
        return redact_text(text)[0], {}
    for i, piece in enumerate(pieces[1:]):
        end = text.find(piece, pos + 1) if piece else len(text)
        if end == -1 or (not piece and i < len(pieces) - 2):
            return redact_text(text)[0], {}  # cannot align: keep the file safe, lose the value
        value = text[pos:end]
        if _PLACEHOLDER_ONLY.fullmatch(value.strip()) or value == REDACTED:
            out.append(value)
        else:
            name = _placeholder_name(found[i].name if len(found) == len(pieces) - 1 else "value", value)
            lifted[name] = value
            out.append("{{" + name + "}}")
        out.append(piece)
        pos = end + len(piece)
    return ("".join(out), lifted) if pos == len(text) else (redact_text(text)[0], {})


def _json_secret_strings(value, under_secret: bool = False, key: str = "value", depth: int = 0):
    """(key, string) for every string under a secret key, whatever the shape (lists, objects) below it."""
    if depth > 200:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _json_secret_strings(v, under_secret or is_secret_param(str(k)), str(k), depth + 1)
    elif isinstance(value, list):
        for v in value:
            yield from _json_secret_strings(v, under_secret, key, depth + 1)
    elif under_secret and isinstance(value, str):
        yield key, value


# A multipart part typed as raw text: its name, then (after its headers and a blank line) its value.
_PART = re.compile(r'name="([^"\r\n]{1,100})"[^\r\n]{0,200}\r?\n(?:[^\r\n]{1,200}\r?\n){0,8}\r?\n([^\r\n]{1,4096})')


def _body_secrets(text: str) -> list[tuple[str, str]]:
    """Secret values in the bodies of a .http text that only a body's own structure reveals."""
    try:
        requests = parse_http_file(text).requests
    except Exception:  # a body we cannot read as a file: the positional pass and the caller's values still apply
        return []
    found: list[tuple[str, str]] = []
    for r in requests:
        body = r.body or ""
        if body.lstrip().startswith(("{", "[")):
            try:
                found += list(_json_secret_strings(json.loads(body)))
            except (ValueError, RecursionError):
                pass
        found += [(m.group(1), m.group(2)) for m in _PART.finditer(body) if is_secret_param(m.group(1))]
    return found


_PLACEHOLDER_SPLIT = re.compile(r"(\{\{[^{}]*\}\})")


MAX_LIFTED_VALUES = 1000  # more secret values than this in one saved file: they are redacted, not kept


def _replace_outside_placeholders(text: str, values: dict[str, str]) -> str:
    """Every occurrence of each value (3 characters or more; the longest first at any position) replaced by its
    ``{{name}}`` in one pass, never inside an existing ``{{…}}``."""
    by_value = {v: name for name, v in values.items() if len(v) >= 3}
    if not by_value:
        return text
    pattern = re.compile("|".join(re.escape(v) for v in sorted(by_value, key=len, reverse=True)))
    return "".join(p if _PLACEHOLDER_SPLIT.fullmatch(p) else
                   pattern.sub(lambda m: "{{" + by_value[m.group(0)] + "}}", p)
                   for p in _PLACEHOLDER_SPLIT.split(text))


def lift_secrets(text: str, known: dict[str, str] | None = None) -> tuple[str, dict[str, str]]:
    """``text`` (a rendered .http file) with every secret value replaced by a ``{{secret_<name>_<hash>}}``
    placeholder, and those values by placeholder name, for the secret store. Secret means: what the one redaction
    table finds (Authorization, API-key headers, ``access_token`` query values, ``"password": "…"``, bearer
    tokens, ...), strings under a secret key in a JSON body whatever their shape, multipart fields with secret
    names typed as text, and ``known`` values (``label -> value``: what the Auth tab says is a credential, under
    whatever name). Every other occurrence of a lifted value goes too (``password2`` repeating ``password``).
    Placeholders already in the text stay."""
    lifted_text, lifted = _lift_by_position(text)
    extra = [(label, v) for label, v in (known or {}).items()] + _body_secrets(lifted_text)
    for label, value in extra:
        if value and not _PLACEHOLDER_ONLY.fullmatch(value.strip()) and value not in lifted.values():
            lifted[_placeholder_name(label, value)] = value
    if len(lifted) > MAX_LIFTED_VALUES:
        return redact_text(_replace_outside_placeholders(lifted_text, lifted))[0], {}
    return _replace_outside_placeholders(lifted_text, lifted), lifted


def auth_secrets(draft: RequestDraft) -> dict[str, str]:
    """What the Auth tab holds as a credential (label -> value), whatever the header or query name it goes under."""
    a = draft.auth
    values = {"password": a.password} if a.kind == "basic" else {"token": a.token.strip()} if a.kind == "bearer" \
        else {a.key_name.strip() or "api_key": a.key_value} if a.kind == "apikey" else {}
    return {label: v for label, v in values.items() if v}


def drafts_from_http_text(text: str) -> list[tuple[str | None, RequestDraft]]:
    """(name, draft) for every request in a .http file; file variables are expanded, env placeholders kept."""
    return read_http_text(text)[0]


def read_http_text(text: str) -> tuple[list[tuple[str | None, RequestDraft]], list[str]]:
    """``drafts_from_http_text`` and the notes made while reading: blocks skipped, scripts not run, variables too
    large or too deep to fill in (each note names its line or variable)."""
    saved, notes = read_saved_requests(text)
    return [(r.name, r.draft) for r in saved], notes


@dataclass(frozen=True)
class SavedRequest:
    """One request of a saved file: its name, the draft to send, and its ``??`` expectation lines."""

    name: str | None
    draft: RequestDraft
    expectations: tuple[str, ...] = ()


def read_saved_requests(text: str) -> tuple[list[SavedRequest], list[str]]:
    """Every request of a .http file with its expectations (file variables filled in, environment placeholders
    kept), and the notes made while reading."""
    f = parse_http_file(text)
    notes = list(f.notes)
    out = []
    for r in f.requests:
        url = expand(r.url, f.variables, notes)
        headers = tuple((k, expand(v, f.variables, notes)) for k, v in r.headers)
        body = expand(r.body, f.variables, notes).encode("utf-8") if r.body is not None else None
        out.append(SavedRequest(r.name, request_draft(HttpRequest(r.method, url, headers, body)), r.assertions))
    return out, list(dict.fromkeys(notes))


def safe_file_name(name: str) -> str:
    """A file name for a saved request: unsafe characters become "-", at most 80 of them, ending in .http."""
    keep = "".join(c if c.isalnum() or c in " -_." else "-" for c in name).strip(" .-") or "request"
    return keep[:80] + ("" if keep.lower().endswith((".http", ".rest")) else ".http")
