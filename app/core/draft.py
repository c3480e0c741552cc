"""What the user is editing in one request tab, and how it becomes an HttpRequest (pure, no Qt, no I/O).

CONTRACT:
    Row(name, value, enabled=True); Part(name, value, file_path|None, enabled=True)
    Auth(kind "none"|"basic"|"bearer"|"apikey", username, password, token, key_name, key_value, key_in "header"|"query")
    Options(timeout=30.0, follow_redirects=False, verify_tls=True, http2=False)
    RequestDraft(method, url, params, headers, body_kind, raw_text, raw_content_type, form, multipart, binary_path,
                 auth, options); .to_json() / RequestDraft.from_json(dict)
    params_from_url(url) -> tuple[Row, ...]          # the query as typed (no decoding)
    url_with_params(url, params) -> str              # enabled rows only; disabled rows stay in the table
    build_request(draft, read_file=None) -> HttpRequest   # raises BuildError (a plain sentence)
    auth_headers(draft) -> list[(name, value)]       # the header the Auth tab adds; the one builder of it
    draft_from_request(HttpRequest) -> RequestDraft
    request_draft(HttpRequest) -> RequestDraft       # draft_from_request, but a body that would not rebuild stays raw

Content-Type rule (the header table wins): when the header table has a Content-Type row, enabled OR disabled, the
user decided and nothing is added. Otherwise the body kind adds the type a user expects: json -> application/json,
raw -> the picker's type ("" = none), form -> application/x-www-form-urlencoded, multipart -> multipart/form-data
with the boundary. none and binary add nothing. A typed Content-Length row is kept as typed (findings flag it);
an enabled ``Transfer-Encoding: chunked`` row makes ``HttpRequest.chunked`` True.

Query rule: params are kept exactly as typed (percent-escapes are not decoded) so the URL reads the way the user
wrote it; only ``&`` and ``#`` in values (and also ``=`` in names) are escaped when a row is written into the URL.
A row with an empty value is written as a bare name (``?flag``).
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import asdict, dataclass, field, replace
from typing import Callable
from urllib.parse import quote, urlencode

from app.core.models import HttpRequest, header_value, media_type

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
BODY_KINDS = ("none", "raw", "json", "form", "multipart", "binary")
RAW_CONTENT_TYPES = ("application/json", "application/xml", "text/plain", "")
AUTH_KINDS = ("none", "basic", "bearer", "apikey")


class BuildError(ValueError):
    """The draft cannot become a request; the message is a sentence for the user."""


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    enabled: bool = True


@dataclass(frozen=True)
class Part:
    name: str
    value: str = ""
    file_path: str | None = None
    enabled: bool = True


@dataclass(frozen=True)
class Auth:
    kind: str = "none"
    username: str = ""
    password: str = ""
    token: str = ""
    key_name: str = "X-API-Key"
    key_value: str = ""
    key_in: str = "header"


@dataclass(frozen=True)
class Options:
    timeout: float = 30.0
    follow_redirects: bool = False
    verify_tls: bool = True
    http2: bool = False


@dataclass(frozen=True)
class RequestDraft:
    method: str = "GET"
    url: str = ""
    params: tuple[Row, ...] = ()
    headers: tuple[Row, ...] = ()
    body_kind: str = "none"
    raw_text: str = ""
    raw_content_type: str = "application/json"
    form: tuple[Row, ...] = ()
    multipart: tuple[Part, ...] = ()
    binary_path: str = ""
    auth: Auth = field(default_factory=Auth)
    options: Options = field(default_factory=Options)

    def to_json(self) -> dict:
        data = asdict(self)
        for key in ("params", "headers", "form", "multipart"):
            data[key] = [dict(r) for r in data[key]]
        return data

    @classmethod
    def from_json(cls, data: object) -> RequestDraft:
        """Rebuild a draft from ``to_json()`` output; unknown or broken parts fall back to defaults (never raises)."""
        if not isinstance(data, dict):
            return cls()

        def text(key: str, default: str = "", src: dict = data) -> str:
            v = src.get(key, default)
            return v if isinstance(v, str) else default

        def rows(key: str) -> tuple[Row, ...]:
            out = []
            for r in data.get(key) or ():
                if isinstance(r, dict):
                    out.append(Row(text("name", src=r), text("value", src=r), bool(r.get("enabled", True))))
            return tuple(out)

        parts = []
        for p in data.get("multipart") or ():
            if isinstance(p, dict):
                fp = p.get("file_path")
                parts.append(Part(text("name", src=p), text("value", src=p), fp if isinstance(fp, str) else None,
                                  bool(p.get("enabled", True))))
        a = data.get("auth") if isinstance(data.get("auth"), dict) else {}
        auth = Auth(**{k: (a[k] if isinstance(a.get(k), str) else getattr(Auth(), k)) for k in Auth.__dataclass_fields__})
        if auth.kind not in AUTH_KINDS:
            auth = replace(auth, kind="none")
        o = data.get("options") if isinstance(data.get("options"), dict) else {}
        try:
            timeout = float(o.get("timeout", 30.0))
        except (TypeError, ValueError):
            timeout = 30.0
        options = Options(timeout if timeout > 0 else 30.0, bool(o.get("follow_redirects", False)),
                          bool(o.get("verify_tls", True)), bool(o.get("http2", False)))
        kind = text("body_kind", "none")
        return cls(
            method=text("method", "GET") or "GET",
            url=text("url"),
            params=rows("params"),
            headers=rows("headers"),
            body_kind=kind if kind in BODY_KINDS else "none",
            raw_text=text("raw_text"),
            raw_content_type=text("raw_content_type", "application/json"),
            form=rows("form"),
            multipart=tuple(parts),
            binary_path=text("binary_path"),
            auth=auth,
            options=options,
        )


# ---------------------------------------------------------------------------------------------- URL <-> params

def _split(url: str) -> tuple[str, str | None, str | None]:
    """``base?query#fragment`` -> (base, query or None, fragment or None)."""
    fragment = None
    if "#" in url:
        url, fragment = url.split("#", 1)
    query = None
    if "?" in url:
        url, query = url.split("?", 1)
    return url, query, fragment


def params_from_url(url: str) -> tuple[Row, ...]:
    """The query of ``url`` as rows, exactly as typed (``a=1&b`` -> (a, 1), (b, "")). Empty pieces are skipped."""
    _, query, _ = _split(url)
    if not query:
        return ()
    rows = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        rows.append(Row(name, value))
    return tuple(rows)


def _escape(text: str, extra: str = "") -> str:
    for ch in "&#" + extra:
        text = text.replace(ch, quote(ch, safe=""))
    return text


def _query_of(params: tuple[Row, ...] | list[Row]) -> str:
    pieces = []
    for r in params:
        if not r.enabled or (not r.name and not r.value):
            continue
        name = _escape(r.name, "=")
        pieces.append(f"{name}={_escape(r.value)}" if r.value else name)
    return "&".join(pieces)


def url_with_params(url: str, params: tuple[Row, ...] | list[Row]) -> str:
    """``url`` with its query replaced by the enabled ``params`` (the fragment is kept)."""
    base, _, fragment = _split(url)
    query = _query_of(params)
    out = base + ("?" + query if query else "")
    if fragment is not None:
        out += "#" + fragment
    return out


def merge_params(table: tuple[Row, ...], url: str) -> tuple[Row, ...]:
    """The table after the user edited the URL: the URL's params, plus the table's disabled rows kept at the end."""
    return params_from_url(url) + tuple(r for r in table if not r.enabled)


# ---------------------------------------------------------------------------------------------- building

def _has_header(rows: tuple[Row, ...], name: str, *, enabled_only: bool) -> bool:
    low = name.lower()
    return any(r.name.strip().lower() == low and (r.enabled or not enabled_only) for r in rows)


def content_type_added(draft: RequestDraft) -> str | None:
    """The Content-Type the body kind adds (None: nothing added). The header table wins, even a disabled row."""
    if _has_header(draft.headers, "Content-Type", enabled_only=False):
        return None
    kind = draft.body_kind
    if kind == "json":
        return "application/json"
    if kind == "raw":
        return draft.raw_content_type.strip() or None
    if kind == "form":
        return "application/x-www-form-urlencoded"
    if kind == "multipart":
        return "multipart/form-data"
    return None


def _read(read_file: Callable[[str], bytes] | None, path: str, what: str) -> bytes:
    if not path:
        raise BuildError(f"Choose a file for the {what} first.")
    if read_file is None:
        raise BuildError(f"The {what} file {path!r} cannot be read here.")
    try:
        return read_file(path)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise BuildError(f"Could not read the {what} file {path!r}: {reason}.") from exc


def _multipart(parts: tuple[Part, ...], read_file: Callable[[str], bytes] | None, boundary: str) -> bytes:
    out = bytearray()
    for p in parts:
        if not p.enabled or not p.name:
            continue
        name = p.name.replace('"', "%22")
        out += f"--{boundary}\r\n".encode()
        if p.file_path:
            data = _read(read_file, p.file_path, "multipart")
            filename = p.file_path.replace("\\", "/").rsplit("/", 1)[-1].replace('"', "%22")
            out += (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: application/octet-stream\r\n\r\n").encode()
            out += data
        else:
            out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            out += p.value.encode("utf-8")
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


def _body(draft: RequestDraft, read_file, boundary: str) -> bytes | None:
    kind = draft.body_kind
    if kind in ("raw", "json"):
        return draft.raw_text.encode("utf-8")
    if kind == "form":
        return urlencode([(r.name, r.value) for r in draft.form if r.enabled and r.name]).encode("ascii")
    if kind == "multipart":
        return _multipart(draft.multipart, read_file, boundary)
    if kind == "binary":
        return _read(read_file, draft.binary_path, "body")
    return None


def reads_files(draft: RequestDraft) -> bool:
    """True when building the request reads files (a binary body, multipart file parts): do it off the GUI thread."""
    if draft.body_kind == "binary":
        return bool(draft.binary_path)
    if draft.body_kind == "multipart":
        return any(p.enabled and p.name and p.file_path for p in draft.multipart)
    return False


def normalized_url(url: str) -> str:
    """The URL to send: trimmed, ``http://`` added when the scheme is missing (as Postman does)."""
    url = url.strip()
    if not url:
        raise BuildError("Type a URL to send the request to.")
    if "://" not in url.split("?", 1)[0]:
        url = "http://" + url
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise BuildError(f"The URL must start with http:// or https:// (it starts with {scheme}://).")
    return url


def auth_headers(draft: RequestDraft) -> list[tuple[str, str]]:
    """The header the Auth tab adds (none when auth is off or an API key goes in the query).

    The header table wins: an enabled row of the same name (Authorization, or the API key's name; compared trimmed
    and case-insensitively) means nothing is added. The API key header is sent under its trimmed name.
    """
    a = draft.auth
    if a.kind == "basic" and not _has_header(draft.headers, "Authorization", enabled_only=True):
        token = base64.b64encode(f"{a.username}:{a.password}".encode("utf-8")).decode("ascii")
        return [("Authorization", f"Basic {token}")]
    if a.kind == "bearer" and not _has_header(draft.headers, "Authorization", enabled_only=True):
        return [("Authorization", f"Bearer {a.token.strip()}")]
    name = a.key_name.strip()
    if a.kind == "apikey" and a.key_in != "query" and name and not _has_header(draft.headers, name, enabled_only=True):
        return [(name, a.key_value)]
    return []


def build_request(draft: RequestDraft, read_file: Callable[[str], bytes] | None = None,
                  boundary: str | None = None) -> HttpRequest:
    """The HttpRequest this draft describes. Raises BuildError with a sentence for the user."""
    method = draft.method.strip().upper() or "GET"
    if any(c.isspace() for c in method):
        raise BuildError(f"The method {draft.method!r} cannot contain spaces.")
    url = normalized_url(draft.url)
    headers: list[tuple[str, str]] = [(r.name.strip(), r.value) for r in draft.headers if r.enabled and r.name.strip()]
    headers += auth_headers(draft)
    a = draft.auth
    if a.kind == "apikey" and a.key_in == "query" and a.key_name.strip():
        base, query, fragment = _split(url)
        extra = _query_of([Row(a.key_name.strip(), a.key_value)])
        url = base + "?" + (query + "&" if query else "") + extra + ("#" + fragment if fragment is not None else "")
    boundary = boundary or "----RequestInspector" + secrets.token_hex(12)
    body = _body(draft, read_file, boundary)
    ctype = content_type_added(draft)
    if ctype is not None and body is not None:
        if draft.body_kind == "multipart":
            ctype = f"multipart/form-data; boundary={boundary}"
        headers.append(("Content-Type", ctype))
    te = header_value(tuple(headers), "Transfer-Encoding")
    chunked = te is not None and "chunked" in te.lower()
    return HttpRequest(method=method, url=url, headers=tuple(headers), body=body, chunked=chunked)


def draft_from_request(request: HttpRequest) -> RequestDraft:
    """An editable draft from a request (importers, history). Headers are kept as typed; nothing is added on build."""
    headers = tuple(Row(k, v) for k, v in request.headers)
    body = request.body
    kind, raw_text, raw_ct, form = "none", "", "application/json", ()
    if body is not None:
        mt = media_type(request.header("Content-Type"))
        text = body.decode("utf-8", errors="replace")
        if mt == "application/x-www-form-urlencoded":
            from urllib.parse import parse_qsl

            kind = "form"
            form = tuple(Row(k, v) for k, v in parse_qsl(text, keep_blank_values=True))
        elif mt is not None and (mt == "application/json" or mt.endswith("+json")):
            kind, raw_text = "json", text
        else:
            # raw with the header table deciding the type ("" adds none): building gives back the same headers.
            kind, raw_text, raw_ct = "raw", text, ""
    return RequestDraft(method=request.method, url=request.url, params=params_from_url(request.url),
                        headers=headers, body_kind=kind, raw_text=raw_text, raw_content_type=raw_ct, form=form)


def request_draft(request: HttpRequest) -> RequestDraft:
    """``draft_from_request`` that never changes the body: a "form" body that would not rebuild byte-for-byte
    (curl -d '{"json": 1}' is sent as form-urlencoded) stays raw text, its Content-Type kept in the header table."""
    from urllib.parse import parse_qsl

    draft = draft_from_request(request)
    if draft.body_kind == "form" and request.body is not None:
        text = request.body.decode("utf-8", errors="replace")
        if urlencode(parse_qsl(text, keep_blank_values=True)) != text:
            draft = replace(draft, body_kind="raw", raw_text=text, raw_content_type="", form=())
    return draft


def json_problem(text: str) -> str | None:
    """None when ``text`` is valid JSON (or blank), else a short sentence with line and column."""
    if not text.strip():
        return None
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
    return None
