"""Postman collection v2.1 (and v2.0) import, and conversion to a .http file.

``{{vars}}`` stay as written. Disabled headers/query/form entries are skipped (named in ``notes``). Auth is
inherited from folders and the collection; bearer, basic and apikey become a header (or query parameter) when the
request has no Authorization of its own. Bodies: raw, urlencoded, formdata (text fields; file fields become
REST Client ``< path`` lines with a note; parts joined with CRLF as on the wire), graphql (JSON), file
(``< path``). A body mode with no fields is no body.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from app.core.formats.errors import FormatError, never_other_errors
from app.core.formats.http_file import HttpFile, HttpFileRequest, has_structure

FORM_BOUNDARY = "----RequestInspectorFormBoundary"
_LANG_TYPES = {"json": "application/json", "xml": "application/xml", "text": "text/plain",
               "html": "text/html", "javascript": "application/javascript", "graphql": "application/json"}
_MAX_DEPTH = 64


@dataclass(frozen=True)
class PostmanItem:
    path: tuple[str, ...]
    name: str
    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    content_type: str | None = None
    auth: dict | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostmanCollection:
    name: str
    variables: dict
    items: tuple[PostmanItem, ...]


def _s(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def _enabled(entries: Any, where: str, notes: list[str]) -> list[dict]:
    if not isinstance(entries, list):
        return []
    out = []
    for e in entries:
        if not isinstance(e, dict):
            continue
        if e.get("disabled") is True:
            notes.append(f"Skipped the disabled {where} {_s(e.get('key'))!r}.")
            continue
        out.append(e)
    return out


def _url(u: Any, notes: list[str]) -> str:
    if isinstance(u, str):
        return u
    if not isinstance(u, dict):
        return ""
    if isinstance(u.get("raw"), str):
        return u["raw"]
    host = u.get("host")
    host = ".".join(_s(h) for h in host) if isinstance(host, list) else _s(host)
    path = u.get("path")
    path = "/".join(_s(p) if not isinstance(p, dict) else _s(p.get("value")) for p in path) \
        if isinstance(path, list) else _s(path).lstrip("/")
    url = (f"{_s(u['protocol'])}://" if u.get("protocol") else "") + host
    if u.get("port"):
        url += f":{_s(u['port'])}"
    if path:
        url += "/" + path
    query = _enabled(u.get("query"), "query parameter", notes)
    if query:
        url += "?" + "&".join(f"{_s(q.get('key'))}={_s(q.get('value'))}" if q.get("value") is not None
                              else _s(q.get("key")) for q in query)
    return url


def _auth_params(auth: dict, kind: str) -> dict[str, str]:
    raw = auth.get(kind)
    if isinstance(raw, list):  # v2.1: [{"key": "token", "value": "..."}]
        return {_s(e.get("key")): _s(e.get("value")) for e in raw if isinstance(e, dict)}
    if isinstance(raw, dict):  # v2.0: {"token": "..."}
        return {k: _s(v) for k, v in raw.items()}
    return {}


def _apply_auth(auth: dict | None, headers: list[tuple[str, str]], url: str, notes: list[str]) -> str:
    if not auth:
        return url
    kind = _s(auth.get("type")).lower()
    p = _auth_params(auth, kind)
    if any(k.lower() == "authorization" for k, _ in headers) and kind in ("bearer", "basic"):
        return url
    if kind == "bearer":
        headers.append(("Authorization", f"Bearer {p.get('token', '')}"))
    elif kind == "basic":
        user, pw = p.get("username", ""), p.get("password", "")
        if "{{" in user + pw:
            headers.append(("Authorization", f"Basic {user}:{pw}"))
            notes.append("Basic auth uses variables, so it is written as 'Basic user:password' "
                         "(REST Client encodes it when sending).")
        else:
            headers.append(("Authorization", "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode("ascii")))
    elif kind == "apikey":
        key, value, where = p.get("key", ""), p.get("value", ""), p.get("in", "header")
        if key:
            if where == "query":
                url += ("&" if "?" in url else "?") + f"{key}={value}"
            else:
                headers.append((key, value))
    elif kind not in ("noauth", "inherit", ""):
        notes.append(f"The auth type {kind!r} is not converted; add its header by hand.")
    return url


def _formdata(body: dict, notes: list[str]) -> tuple[str | None, str | None]:
    """A multipart body as on the wire (CRLF line breaks); no fields is no body (and no multipart Content-Type)."""
    parts = []
    for f in _enabled(body.get("formdata"), "form field", notes):
        name = _s(f.get("key"))
        if f.get("type") == "file":
            src = f.get("src")
            src = src[0] if isinstance(src, list) and src else src
            fname = _s(src).replace("\\", "/").rsplit("/", 1)[-1] or "file"
            parts.append(f'--{FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{fname}"'
                         f"\r\n\r\n< {_s(src)}\r\n")
            notes.append(f"The form field {name!r} uploads the file {_s(src)!r}; it is referenced, not included.")
        else:
            ctype = f"\r\nContent-Type: {_s(f['contentType'])}" if f.get("contentType") else ""
            parts.append(f'--{FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"{ctype}'
                         f"\r\n\r\n{_s(f.get('value'))}\r\n")
    if not parts:
        return None, None
    return "".join(parts) + f"--{FORM_BOUNDARY}--\r\n", f"multipart/form-data; boundary={FORM_BOUNDARY}"


def _body(body: Any, notes: list[str]) -> tuple[str | None, str | None]:
    """(body text, content-type hint)."""
    if not isinstance(body, dict) or body.get("disabled") is True:
        return None, None
    mode = body.get("mode")
    if mode == "raw":
        text = _s(body.get("raw"))
        lang = None
        opts = body.get("options")
        if isinstance(opts, dict) and isinstance(opts.get("raw"), dict):
            lang = opts["raw"].get("language")
        return (text or None), _LANG_TYPES.get(_s(lang).lower()) if lang else None
    if mode == "urlencoded":
        fields = _enabled(body.get("urlencoded"), "form field", notes)
        if not fields:  # an empty body is no body
            return None, None
        text = "&".join(f"{quote(_s(f.get('key')), safe='{}$')}={quote(_s(f.get('value')), safe='{}$')}"
                        for f in fields)
        return text, "application/x-www-form-urlencoded"
    if mode == "formdata":
        return _formdata(body, notes)
    if mode == "graphql":
        g = body.get("graphql") if isinstance(body.get("graphql"), dict) else {}
        variables: Any = g.get("variables")
        if isinstance(variables, str):
            try:
                variables = json.loads(variables) if variables.strip() else None
            except ValueError:
                notes.append("The GraphQL variables are not valid JSON; they were left out.")
                variables = None
        payload: dict[str, Any] = {"query": _s(g.get("query"))}
        if variables is not None:
            payload["variables"] = variables
        return json.dumps(payload, indent=2, ensure_ascii=False), "application/json"
    if mode == "file":
        f = body.get("file") if isinstance(body.get("file"), dict) else {}
        src = _s(f.get("src"))
        notes.append(f"The body is the file {src!r}; it is referenced, not included.")
        return f"< {src}", None
    return None, None


def _walk(items: Any, path: tuple[str, ...], auth: dict | None, out: list[PostmanItem], depth: int) -> None:
    if depth > _MAX_DEPTH:
        raise FormatError("The Postman collection's folders are nested too deeply.")
    if not isinstance(items, list):
        raise FormatError(f"The 'item' field of {' / '.join(path) or 'the collection'} should be a list.",
                          field="item")
    for n, it in enumerate(items):
        if not isinstance(it, dict):
            raise FormatError(f"Item {n + 1} of {' / '.join(path) or 'the collection'} is not an object.",
                              field="item")
        name = _s(it.get("name")) or f"Item {n + 1}"
        own_auth = it.get("auth") if isinstance(it.get("auth"), dict) else None
        if "item" in it:  # a folder
            folder_auth = own_auth if own_auth and own_auth.get("type") != "inherit" else auth
            _walk(it["item"], path + (name,), folder_auth, out, depth + 1)
            continue
        req = it.get("request")
        if req is None:
            continue
        notes: list[str] = []
        if isinstance(req, str):
            req = {"url": req}
        if not isinstance(req, dict):
            raise FormatError(f"The request of {' / '.join(path + (name,))!r} is neither an object nor a URL.",
                              field="request")
        r_auth = req.get("auth") if isinstance(req.get("auth"), dict) else None
        eff = r_auth if r_auth and r_auth.get("type") != "inherit" else auth
        if eff and _s(eff.get("type")).lower() == "noauth":
            eff = None
        headers = [(_s(h.get("key")).strip(), _s(h.get("value")).strip())
                   for h in _enabled(req.get("header"), "header", notes) if _s(h.get("key")).strip()]
        url = _url(req.get("url"), notes)
        url = _apply_auth(eff, headers, url, notes)
        body, ctype = _body(req.get("body"), notes)
        method = (_s(req.get("method")) or "GET").upper()
        out.append(PostmanItem(path=path, name=name, method=method, url=url, headers=tuple(headers), body=body,
                               content_type=ctype, auth=eff, notes=tuple(notes)))


@never_other_errors("Postman collection")
def parse_postman(data: str | bytes) -> PostmanCollection:
    """Read a Postman collection (v2.1 or v2.0 JSON export)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError("The Postman collection is not UTF-8 text.") from None
    if not isinstance(data, str):
        raise FormatError("A Postman collection must be text or bytes.")
    try:
        root = json.loads(data.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise FormatError(f"The Postman collection is not valid JSON: {exc.msg} (line {exc.lineno}, "
                          f"column {exc.colno}).", line=exc.lineno, column=exc.colno) from None
    if not isinstance(root, dict):
        raise FormatError("This JSON is not a Postman collection (it is not an object).")
    if isinstance(root.get("collection"), dict):  # the API's {"collection": {...}} wrapper
        root = root["collection"]
    if "values" in root and "_postman_variable_scope" in root:
        raise FormatError("This is a Postman environment, not a collection; export the collection instead.")
    if "requests" in root and "item" not in root:
        raise FormatError("This is a Postman v1 collection; export it again as Collection v2.1.")
    info = root.get("info")
    if not isinstance(info, dict) or "item" not in root:
        raise FormatError("This JSON is not a Postman collection: it needs an \"info\" object and an \"item\" list.",
                          field="info")
    variables: dict[str, str] = {}
    for v in root.get("variable") or []:
        if isinstance(v, dict) and v.get("key") is not None and v.get("disabled") is not True:
            variables[_s(v["key"])] = _s(v.get("value"))
    auth = root.get("auth") if isinstance(root.get("auth"), dict) else None
    items: list[PostmanItem] = []
    _walk(root["item"], (), auth, items, 0)
    return PostmanCollection(name=_s(info.get("name")) or "Postman collection", variables=variables,
                             items=tuple(items))


def postman_to_http_file(col: PostmanCollection) -> HttpFile:
    """One .http request per Postman request, named "Folder / Sub / Name"; Content-Type added from the body mode.

    The file's notes are the items' notes, and a sentence for each body whose lines a .http reader would take for
    structure (``###``, a script, a file include): those lines are written escaped, never as a second request.
    """
    requests = []
    notes: list[str] = []
    for it in col.items:
        headers = list(it.headers)
        if it.content_type and it.body is not None and not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", it.content_type))
        name = " / ".join(it.path + (it.name,)).replace("\n", " ").replace("\r", " ").strip() or None
        url = "".join(it.url.split()) or "/"
        requests.append(HttpFileRequest(name=name, method=it.method.replace(" ", "") or "GET", url=url,
                                        headers=tuple(headers), body=it.body))
        notes.extend(f"{name}: {note}" for note in it.notes)
        if it.body is not None and has_structure(it.body):
            notes.append(f"{name}: the body has lines a .http file would read as a new request or a script "
                         f"(such as ###); they are written escaped with one leading space (# @body-escaped), "
                         f"so they stay part of the body.")
    variables = {k: v.replace("\n", " ") for k, v in col.variables.items() if k.replace("_", "").replace("-", "")
                 .replace(".", "").isalnum()}
    return HttpFile(variables=variables, requests=tuple(requests), notes=tuple(notes))
