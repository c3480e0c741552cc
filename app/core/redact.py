"""Redaction of secrets before an exchange leaves the machine (reports, HAR/curl export).

Header values, URL query parameters, URL userinfo passwords, form-urlencoded fields and JSON body fields with
secret-like names are replaced by :data:`REDACTED`. ``Authorization`` keeps its scheme ("Bearer •••redacted•••");
cookies keep their names. ``keep`` holds lower-case names the user deliberately wants included.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any, Literal
from urllib.parse import unquote_plus

from app.core.models import Exchange, Headers, HttpRequest, HttpResponse, media_type

REDACTED = "•••redacted•••"

Where = Literal["request header", "response header", "query", "form field", "json field", "url credentials"]

_SECRET_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "apikey",
    "x-auth-token", "x-csrf-token", "x-xsrf-token", "x-amz-security-token", "x-goog-api-key",
})
_SECRET_HEADER_SUFFIXES = ("-key", "-apikey", "-token", "-secret", "-signature", "-password", "-passwd", "-credentials",
                           "-auth", "-session")

_SECRET_PARAMS = frozenset({
    "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "key", "secret", "password",
    "passwd", "pwd", "pass", "client_secret", "auth", "authorization", "sig", "signature", "session", "sessionid",
    "session_id", "sid", "credentials", "credential", "private_key", "code_verifier", "jwt", "otp", "pin",
    "x_api_key", "x_amz_signature", "x_amz_credential", "x_amz_security_token", "access_key", "secret_key",
})
_SECRET_PARAM_SUFFIXES = ("_token", "_secret", "_password", "_apikey", "_api_key", "_signature", "_session")


@dataclass(frozen=True)
class Redaction:
    """One value that was hidden: where it was and under which name."""

    where: Where
    name: str

    def label(self) -> str:
        return f"{self.name} ({self.where})"


def is_secret_header(name: str) -> bool:
    """True for headers whose value is a credential (case-insensitive)."""
    low = name.strip().lower()
    return low in _SECRET_HEADERS or low.endswith(_SECRET_HEADER_SUFFIXES)


def _snake(name: str) -> str:
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return s.lower().replace("-", "_").replace(".", "_")


def is_secret_param(name: str) -> bool:
    """True for query/form/JSON keys that usually hold secrets (token, password, api_key, accessToken, ...)."""
    low = _snake(name)
    return low in _SECRET_PARAMS or low.endswith(_SECRET_PARAM_SUFFIXES)


def _kept(name: str, keep: frozenset[str]) -> bool:
    return name.strip().lower() in keep


def _redact_header_value(name: str, value: str) -> str:
    low = name.lower()
    if low in ("authorization", "proxy-authorization"):
        scheme, sep, _ = value.strip().partition(" ")
        return f"{scheme} {REDACTED}" if sep and scheme else REDACTED
    if low == "cookie":
        parts = []
        for piece in value.split(";"):
            cname, eq, _ = piece.strip().partition("=")
            parts.append(f"{cname}={REDACTED}" if eq else REDACTED)
        return "; ".join(parts)
    if low == "set-cookie":
        first, sep, attrs = value.partition(";")
        cname, eq, _ = first.strip().partition("=")
        return (f"{cname}={REDACTED}" if eq else REDACTED) + (sep + attrs if sep else "")
    return REDACTED


def redact_headers(headers: Headers, where: Where, keep: frozenset[str] = frozenset()
                   ) -> tuple[Headers, tuple[Redaction, ...]]:
    out: list[tuple[str, str]] = []
    found: list[Redaction] = []
    for name, value in headers:
        if is_secret_header(name) and not _kept(name, keep) and value != "":
            out.append((name, _redact_header_value(name, value)))
            found.append(Redaction(where, name))
        else:
            out.append((name, value))
    return tuple(out), tuple(found)


def _redact_pairs(text: str, where: Where, keep: frozenset[str]) -> tuple[str, list[Redaction]]:
    """Redact secret values in an ``a=1&b=2`` string, leaving everything else byte-for-byte."""
    found: list[Redaction] = []
    pieces = text.split("&")
    for i, piece in enumerate(pieces):
        raw_name, eq, value = piece.partition("=")
        name = unquote_plus(raw_name)
        if eq and value and is_secret_param(name) and not _kept(name, keep):
            pieces[i] = f"{raw_name}={REDACTED}"
            found.append(Redaction(where, name))
    return "&".join(pieces), found


def redact_url(url: str, keep: frozenset[str] = frozenset()) -> tuple[str, tuple[Redaction, ...]]:
    """Hide secret query parameters and a userinfo password; the rest of the URL stays as written."""
    found: list[Redaction] = []
    base, hash_, fragment = url.partition("#")
    base, q, query = base.partition("?")
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@]*)@", base)
    if m and ":" in m.group(2):
        user = m.group(2).split(":", 1)[0]
        if not _kept("password", keep):
            base = f"{m.group(1)}{user}:{REDACTED}@" + base[m.end():]
            found.append(Redaction("url credentials", user or "password"))
    if q:
        query, more = _redact_pairs(query, "query", keep)
        found.extend(more)
    return base + q + query + hash_ + fragment, tuple(found)


def _redact_json(value: Any, keep: frozenset[str], found: list[Redaction]) -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, str) and is_secret_param(k) and not _kept(k, keep) and not isinstance(v, (dict, list)) \
                    and v not in (None, ""):
                out[k] = REDACTED
                found.append(Redaction("json field", k))
            else:
                out[k] = _redact_json(v, keep, found)
        return out
    if isinstance(value, list):
        return [_redact_json(v, keep, found) for v in value]
    return value


def redact_body(body: bytes | None, content_type: str | None, keep: frozenset[str] = frozenset()
                ) -> tuple[bytes | None, tuple[Redaction, ...]]:
    """Redact form fields (urlencoded) or JSON fields with secret-like names; other bodies are returned as is."""
    if not body:
        return body, ()
    mt = media_type(content_type) or ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body, ()
    if mt == "application/x-www-form-urlencoded":
        new, found = _redact_pairs(text, "form field", keep)
        return (new.encode("utf-8") if found else body), tuple(found)
    stripped = text.lstrip()
    if mt.endswith("json") or mt.endswith("+json") or (not mt and stripped[:1] in ("{", "[")):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return body, ()
        found_j: list[Redaction] = []
        new_data = _redact_json(data, keep, found_j)
        if not found_j:
            return body, ()
        indent = 2 if "\n" in text.strip() else None
        return json.dumps(new_data, indent=indent, ensure_ascii=False).encode("utf-8"), tuple(found_j)
    return body, ()


def redact_request(req: HttpRequest, keep: frozenset[str] = frozenset()
                   ) -> tuple[HttpRequest, tuple[Redaction, ...]]:
    keep = frozenset(k.lower() for k in keep)
    url, r1 = redact_url(req.url, keep)
    headers, r2 = redact_headers(req.headers, "request header", keep)
    body, r3 = redact_body(req.body, req.header("Content-Type"), keep)
    return replace(req, url=url, headers=headers, body=body), r1 + r2 + r3


def redact_response(resp: HttpResponse, keep: frozenset[str] = frozenset()
                    ) -> tuple[HttpResponse, tuple[Redaction, ...]]:
    keep = frozenset(k.lower() for k in keep)
    headers, r1 = redact_headers(resp.headers, "response header", keep)
    body, r2 = redact_body(resp.body, resp.header("Content-Type"), keep)
    return replace(resp, headers=headers, body=body if body is not None else b""), r1 + r2


def redact_exchange(ex: Exchange, keep: frozenset[str] = frozenset()) -> tuple[Exchange, tuple[Redaction, ...]]:
    req, found = redact_request(ex.request, keep)
    resp = ex.response
    if resp is not None:
        resp, more = redact_response(resp, keep)
        found += more
    return replace(ex, request=req, response=resp), found


def merge_redactions(*groups: tuple[Redaction, ...]) -> tuple[Redaction, ...]:
    """All redactions in order, each (where, name) once."""
    seen: set[tuple[str, str]] = set()
    out: list[Redaction] = []
    for group in groups:
        for r in group:
            key = (r.where, r.name.lower())
            if key not in seen:
                seen.add(key)
                out.append(r)
    return tuple(out)
