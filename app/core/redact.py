"""Redaction of secrets before an exchange leaves the machine (reports, HAR/curl export, CLI output) or the screen.

One table below says what is secret: header names, parameter names (query, fragment, form, multipart, JSON) and
value patterns (bearer tokens, JWTs) for free text such as notes and error details. Redaction here, redirect
stripping (app.net.prepare) and on-screen masking (app.ui.widgets.secret_mask) all read it, so they cannot disagree.

Secret values are replaced by :data:`REDACTED` (or the caller's mask). ``Authorization`` keeps its scheme
("Bearer •••redacted•••"); cookies keep their names and Set-Cookie its attributes; URLs in Location, Referer and
free text keep everything but secret values and a userinfo password. ``keep`` holds lower-case names the user
deliberately wants included. Headers whose values are never credentials (the CORS family) are never redacted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote_plus

from app.core.message import ApiMessage
from app.core.models import Exchange, Headers, HttpRequest, HttpResponse, TransportError, media_type

if TYPE_CHECKING:  # a type only: masking on screen imports this module before the window's first paint
    from app.core.diagnosis import Diagnosis

REDACTED = "•••redacted•••"

Where = Literal["request header", "response header", "query", "fragment", "form field", "json field",
                "url credentials", "note"]

# --- the one table of what is secret ------------------------------------------------------------------------

# Header names (lower-case; "_" is read as "-") whose values are credentials.
SECRET_HEADER_NAMES = frozenset({
    "authorization", "proxy-authorization", "authentication", "cookie", "set-cookie", "token", "x-token",
    "api-key", "apikey", "x-api-key", "x-apikey", "x-auth-token", "x-csrf-token", "x-xsrf-token",
    "x-amz-security-token", "x-goog-api-key", "x-access-token", "access-token", "auth-token", "x-auth",
    "secret", "password", "private-token", "x-session-id", "session-id",
})
SECRET_HEADER_SUFFIXES = ("-key", "-apikey", "-token", "-secret", "-signature", "-password", "-passwd", "-credentials",
                          "-auth", "-session")
# Headers that match a suffix above but carry no credential: CORS names, flags and origins; nonces; idempotency.
NOT_SECRET_HEADER_PREFIXES = ("access-control-",)
NOT_SECRET_HEADERS = frozenset({"sec-websocket-key", "idempotency-key", "x-idempotency-key", "www-authenticate",
                                "proxy-authenticate"})
# Headers whose value is a URL (its secret query/fragment values and password are hidden, the rest stays).
# ":path" is HTTP/2's pseudo-header as browsers export it in HAR files: the request target with its query.
URL_HEADERS = frozenset({"location", "content-location", "referer", "referrer", "origin", "link", "refresh", ":path"})

# Parameter names (query, fragment, form, multipart, JSON; camelCase and "-"/"." read as "_").
SECRET_PARAM_NAMES = frozenset({
    "token", "access_token", "refresh_token", "id_token", "api_key", "apikey", "key", "secret", "password",
    "passwd", "pwd", "pass", "client_secret", "auth", "authorization", "authentication", "sig", "signature",
    "session", "sessionid", "session_id", "sid", "credentials", "credential", "private_key", "code_verifier", "jwt",
    "otp", "pin", "x_api_key", "x_amz_signature", "x_amz_credential", "x_amz_security_token", "access_key",
    "secret_key", "proxy_authorization", "cookie",
})
SECRET_PARAM_SUFFIXES = ("_token", "_secret", "_password", "_apikey", "_api_key", "_signature", "_session", "_passwd")

# Credentials recognisable by their shape in free text (notes, error details, findings).
SECRET_VALUE_PATTERNS = (
    re.compile(r"(?i)(?<![\w-])(?:bearer|basic|digest|token)\s+([A-Za-z0-9._~+/=-]{6,})"),
    re.compile(r"(?<![\w-])(eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)"),  # a JWT
)


@dataclass(frozen=True)
class Redaction:
    """One value that was hidden: where it was and under which name."""

    where: Where
    name: str

    def label(self) -> str:
        return f"{self.name} ({self.where})"


def is_secret_header(name: str) -> bool:
    """True for headers whose value is a credential (case-insensitive; ``Api_Key`` reads as ``Api-Key``)."""
    low = name.strip().lower().replace("_", "-")
    if low in NOT_SECRET_HEADERS or low.startswith(NOT_SECRET_HEADER_PREFIXES):
        return False
    return low in SECRET_HEADER_NAMES or low.endswith(SECRET_HEADER_SUFFIXES)


def is_url_header(name: str) -> bool:
    """True for headers whose value is a URL that may carry secrets in its query or fragment."""
    return name.strip().lower() in URL_HEADERS


def _snake(name: str) -> str:
    s = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip())
    return s.lower().replace("-", "_").replace(".", "_")


def is_secret_param(name: str) -> bool:
    """True for query/form/JSON keys that usually hold secrets (token, password, api_key, accessToken, ...)."""
    low = _snake(name)
    return low in SECRET_PARAM_NAMES or low.endswith(SECRET_PARAM_SUFFIXES)


def _kept(name: str, keep: frozenset[str]) -> bool:
    return name.strip().lower() in keep


# --- headers -----------------------------------------------------------------------------------------------


def mask_header_value(name: str, value: str, mask: str = REDACTED) -> str:
    """``value`` of header ``name`` with its secret parts replaced by ``mask`` (unchanged when nothing is secret)."""
    if not value:
        return value
    low = name.strip().lower().replace("_", "-")
    if is_url_header(low):
        whole_url = low in ("location", "content-location", "referer", "referrer", ":path")
        return redact_url(value, mask=mask)[0] if whole_url else redact_text(value, mask=mask)[0]
    if not is_secret_header(low):
        return value
    if low in ("authorization", "proxy-authorization", "authentication"):
        scheme, sep, rest = value.strip().partition(" ")
        return f"{scheme} {mask}" if sep and scheme and rest.strip() else mask
    if low == "cookie":
        pairs = [piece.strip() for piece in value.split(";") if piece.strip()]
        return "; ".join(f"{p.partition('=')[0].strip()}={mask}" if "=" in p else mask for p in pairs)
    if low == "set-cookie":
        first, sep, attrs = value.partition(";")
        cname, eq, _ = first.strip().partition("=")
        return (f"{cname}={mask}" if eq else mask) + (sep + attrs if sep else "")
    return mask


def redact_headers(headers: Headers, where: Where, keep: frozenset[str] = frozenset()
                   ) -> tuple[Headers, tuple[Redaction, ...]]:
    out: list[tuple[str, str]] = []
    found: list[Redaction] = []
    for name, value in headers:
        if is_url_header(name):
            new, more = (redact_text(value, keep) if name.strip().lower() in ("link", "refresh")
                         else redact_url(value, keep))
            out.append((name, new))
            found.extend(more)
        elif is_secret_header(name) and not _kept(name, keep) and value != "":
            out.append((name, mask_header_value(name, value)))
            found.append(Redaction(where, name))
        else:
            out.append((name, value))
    return tuple(out), tuple(found)


# --- URLs and free text ------------------------------------------------------------------------------------


def _redact_pairs(text: str, where: Where, keep: frozenset[str], mask: str = REDACTED
                  ) -> tuple[str, list[Redaction]]:
    """Redact secret values in an ``a=1&b=2`` string, leaving everything else byte-for-byte."""
    found: list[Redaction] = []
    pieces = text.split("&")
    for i, piece in enumerate(pieces):
        raw_name, eq, value = piece.partition("=")
        name = unquote_plus(raw_name)
        if eq and value and value != mask and is_secret_param(name) and not _kept(name, keep):
            pieces[i] = f"{raw_name}={mask}"
            found.append(Redaction(where, name))
    return "&".join(pieces), found


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:)?//")


def redact_url(url: str, keep: frozenset[str] = frozenset(), mask: str = REDACTED
               ) -> tuple[str, tuple[Redaction, ...]]:
    """Hide secret query and fragment parameters and a userinfo password; the rest of the URL stays as written."""
    found: list[Redaction] = []
    base, hash_, fragment = url.partition("#")
    base, q, query = base.partition("?")
    m = _SCHEME.match(base)
    if m:
        authority_end = len(base)
        for stop in "/\\":
            at = base.find(stop, m.end())
            if at != -1:
                authority_end = min(authority_end, at)
        authority = base[m.end():authority_end]
        userinfo, at_sign, host = authority.rpartition("@")  # the LAST "@" ends the userinfo (p@ss@host)
        if at_sign and ":" in userinfo and not _kept("password", keep):
            user = userinfo.split(":", 1)[0]
            base = f"{base[:m.end()]}{user}:{mask}@{host}{base[authority_end:]}"
            found.append(Redaction("url credentials", user or "password"))
    if q:
        query, more = _redact_pairs(query, "query", keep, mask)
        found.extend(more)
    if hash_:
        fragment, more = _redact_pairs(fragment, "fragment", keep, mask)
        found.extend(more)
    return base + q + query + hash_ + fragment, tuple(found)


# A URL's scheme starts where no scheme character comes before it and is at most 31 long: with "\b...*" every
# letter of a 120 KB run like "a-a-a-…" started a scan to the end of the run (quadratic: 26 s).
_TEXT_PIECES = re.compile(
    r"(?P<url>(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://[^\s'\"<>`]+)"
    r"|(?m:^[ \t]*(?P<hname>[A-Za-z0-9_-]+):[ \t]*(?P<hvalue>[^\r\n]+))"
    r"|\"(?P<jname>[^\"\\]{1,100})\"\s*:\s*\"(?P<jvalue>(?:[^\"\\]|\\.)*)\""
    r"|(?P<pname>(?<![\w.%-])[A-Za-z0-9_.%\[\]-]{1,100})=(?P<pvalue>[^&\s#'\"<>;,]+)"
)
_URL_TAIL = ".,;:!?)]}"


def redact_text(text: str, keep: frozenset[str] = frozenset(), mask: str = REDACTED
                ) -> tuple[str, tuple[Redaction, ...]]:
    """Secrets hidden in free text (notes, error details, messages): URLs as :func:`redact_url`, ``Name: value``
    lines of secret headers, ``"name": "value"`` and ``name=value`` pairs with secret names, bearer tokens, JWTs."""
    found: list[Redaction] = []

    def one(m: re.Match[str]) -> str:
        whole = m.group(0)
        if m.group("url"):
            url = whole.rstrip(_URL_TAIL)
            new, more = redact_url(url, keep, mask)
            found.extend(more)
            return new + whole[len(url):]
        if m.group("hname"):
            name, value = m.group("hname"), m.group("hvalue")
            if is_secret_header(name) and not _kept(name, keep) and mask not in value:
                found.append(Redaction("note", name))
                return whole[: m.start("hvalue") - m.start()] + mask_header_value(name, value, mask)
            return whole[: m.start("hvalue") - m.start()] + redact_text(value, keep, mask)[0]
        name = m.group("jname") or m.group("pname")
        value = m.group("jvalue") if m.group("jname") else m.group("pvalue")
        if value and value != mask and is_secret_param(unquote_plus(name)) and not _kept(name, keep):
            found.append(Redaction("note", name))
            start = m.start("jvalue" if m.group("jname") else "pvalue") - m.start()
            return whole[:start] + mask + whole[start + len(value):]
        return whole

    out = _TEXT_PIECES.sub(one, text)
    for pattern in SECRET_VALUE_PATTERNS:
        def hide(m: re.Match[str]) -> str:
            found.append(Redaction("note", "token"))
            return m.group(0)[: m.start(1) - m.start()] + mask
        if not _kept("token", keep):
            out = pattern.sub(hide, out)
    return out, tuple(found)


# --- bodies ------------------------------------------------------------------------------------------------


def _hide_all(value: Any, name: str, found: list[Redaction]) -> Any:
    """Every scalar under a secret-named key hidden (``"password": ["a", "b"]``), the structure kept."""
    if isinstance(value, dict):
        return {k: _hide_all(v, name, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_hide_all(v, name, found) for v in value]
    if value in (None, ""):
        return value
    found.append(Redaction("json field", name))
    return REDACTED


def _redact_json(value: Any, keep: frozenset[str], found: list[Redaction]) -> Any:
    """Secret-named fields hidden whatever their shape; and what a server echoes back is read too: a header as a
    ``["Authorization", "Bearer …"]`` pair, and any string holding a URL, ``k=v`` pairs, a bearer token or a JWT."""
    if isinstance(value, dict):
        return {k: (_hide_all(v, k, found) if isinstance(k, str) and is_secret_param(k) and not _kept(k, keep)
                    else _redact_json(v, keep, found))
                for k, v in value.items()}
    if isinstance(value, list):
        if (len(value) == 2 and all(isinstance(v, str) for v in value) and is_secret_header(value[0])
                and not _kept(value[0], keep)):
            masked = mask_header_value(value[0], value[1])
            if masked != value[1]:
                found.append(Redaction("json field", value[0]))
            return [value[0], masked]
        return [_redact_json(v, keep, found) for v in value]
    if isinstance(value, str):
        text, more = redact_text(value, keep)
        found.extend(more)
        return text
    return value


_PART_NAME = re.compile(rb"""(?i)content-disposition:[^\r\n]*?;\s*name\s*=\s*(?:"([^"]*)"|([^;\s]+))""")


def _redact_multipart(body: bytes, content_type: str, keep: frozenset[str]) -> tuple[bytes, list[Redaction]]:
    """Form fields with secret names in a multipart/form-data body get a redacted value; files and the rest stay."""
    m = re.search(r"""(?i)boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))""", content_type)
    if not m:
        return body, []
    delimiter = b"--" + (m.group(1) or m.group(2)).encode("latin-1", "replace")
    parts = body.split(delimiter)
    found: list[Redaction] = []
    for i in range(1, len(parts)):
        blank = re.search(rb"\r?\n\r?\n", parts[i])
        named = _PART_NAME.search(parts[i][: blank.start()]) if blank else None
        if blank is None or named is None:
            continue
        head, sep, content = parts[i][: blank.start()], blank.group(0), parts[i][blank.end():]
        name = (named.group(1) or named.group(2)).decode("utf-8", "replace")
        if is_secret_param(name) and not _kept(name, keep) and content.strip(b"\r\n"):
            ending = b"\r\n" if content.endswith(b"\r\n") else (b"\n" if content.endswith(b"\n") else b"")
            parts[i] = head + sep + REDACTED.encode("utf-8") + ending
            found.append(Redaction("form field", name))
    return delimiter.join(parts), found


def redact_body(body: bytes | None, content_type: str | None, keep: frozenset[str] = frozenset()
                ) -> tuple[bytes | None, tuple[Redaction, ...]]:
    """Redact form fields (urlencoded, multipart) or JSON fields with secret-like names (JSON that does not parse is
    redacted as free text, :func:`redact_text`); other bodies stay as is."""
    if not body:
        return body, ()
    mt = media_type(content_type) or ""
    if mt == "multipart/form-data":
        new_mp, found_mp = _redact_multipart(body, content_type or "", keep)
        return new_mp, tuple(found_mp)
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
        except (ValueError, RecursionError):  # cut short, NDJSON, broken: its pairs are still secrets
            new_t, found_t = redact_text(text, keep)
            return (new_t.encode("utf-8") if found_t else body), found_t
        found_j: list[Redaction] = []
        new_data = _redact_json(data, keep, found_j)
        if not found_j:
            return body, ()
        indent = 2 if "\n" in text.strip() else None
        return json.dumps(new_data, indent=indent, ensure_ascii=False).encode("utf-8"), tuple(found_j)
    return body, ()


# --- requests, responses, exchanges, diagnoses -------------------------------------------------------------


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
    reason, r3 = redact_text(resp.reason, keep)
    return replace(resp, headers=headers, body=body if body is not None else b"", reason=reason), r1 + r2 + r3


def _redact_texts(texts: tuple[str, ...], keep: frozenset[str]) -> tuple[tuple[str, ...], tuple[Redaction, ...]]:
    done = [redact_text(t, keep) for t in texts]
    return tuple(t for t, _ in done), tuple(r for _, rs in done for r in rs)


def _redact_error(err: TransportError | None, keep: frozenset[str]
                  ) -> tuple[TransportError | None, tuple[Redaction, ...]]:
    if err is None:
        return None, ()
    (text, detail), found = _redact_texts((err.text, err.detail), keep)
    return replace(err, text=text, detail=detail), found


def redact_exchange(ex: Exchange, keep: frozenset[str] = frozenset()) -> tuple[Exchange, tuple[Redaction, ...]]:
    """The exchange with secrets hidden everywhere: request, response, notes and the error's text and detail."""
    keep = frozenset(k.lower() for k in keep)
    req, found = redact_request(ex.request, keep)
    resp = ex.response
    if resp is not None:
        resp, more = redact_response(resp, keep)
        found += more
    notes, r_notes = _redact_texts(ex.notes, keep)
    error, r_error = _redact_error(ex.error, keep)
    return replace(ex, request=req, response=resp, notes=notes, error=error), found + r_notes + r_error


def redact_diagnosis(d: Diagnosis, keep: frozenset[str] = frozenset()) -> tuple[Diagnosis, tuple[Redaction, ...]]:
    """A diagnosis as it may leave the app: its exchange, the typed request, the API's message and the findings'
    sentences (which quote header values such as Location) all redacted the same way."""
    keep = frozenset(k.lower() for k in keep)
    ex, found = redact_exchange(d.exchange, keep)
    typed = d.typed_request
    if typed is not None:
        typed, more = redact_request(typed, keep)
        found += more
    message = d.message
    if message is not None:
        text, more = redact_text(message.text, keep)
        fields = tuple((path, redact_text(value, keep)[0]) for path, value in message.fields)
        message, found = ApiMessage(text, fields), found + more
    findings = []
    for f in d.findings:
        text, more = redact_text(f.text, keep)
        findings.append(replace(f, text=text))
        found += more
    return replace(d, exchange=ex, typed_request=typed, message=message, findings=tuple(findings)), found


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
