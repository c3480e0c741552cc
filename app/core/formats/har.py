"""HAR 1.2 (browser DevTools "Save all as HAR") import and export.

Import: one ``json.loads``, then a linear walk. Timings map to :class:`Timing` in seconds (HAR's ``connect``
includes ``ssl``, so connect = connect - ssl; ``blocked`` and ``dns`` have no slot). ``startedDateTime`` becomes
``Exchange.started_at``; :attr:`HarEntry.received_at` (start + time) is the moment to count a Retry-After from.
A response with status 0 (blocked, cancelled or failed in the browser) imports as ``response=None`` with
``TransportError(kind="browser")``.

What browsers really write, read as what happened on the wire:
- HTTP/2 and HTTP/3 pseudo-headers (":method", ":path", ":authority", ":status") stay in the header lists as the
  browser recorded them (a draft made for resending drops them);
- a 304's ``content.text`` is the browser's cached copy (Chrome and Firefox both write it, Firefox even with a
  ``bodySize``): the server sent no body, so the response has none and a note names the cached copy's size;
- ``content.size: 0`` beside a real ``content.text`` (Safari) means "not counted", not an empty body;
- a request whose ``postData.text`` is empty or missing while ``bodySize`` or Content-Length says N bytes had a body
  the browser did not record: ``HttpRequest.unrecorded_body_bytes = N`` and a note, never "Content-Length says N
  but the body is 0 bytes";
- a body recorded still in its content coding (base64 of gzip, br or zstd bytes, as some proxies write it) is
  decoded, with ``bodySize`` (or the recorded length) as the size received.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Sequence
from urllib.parse import parse_qsl, quote, urlsplit

from app.core.content_coding import RecordedBudget
from app.core.formats.errors import FormatError, never_other_errors
from app.core.formats.json_stream import JsonWalker
from app.core.humanize import human_size
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing, TransportError, header_value
from app.core.redact import redact_exchange

CREATOR = "Request Inspector"
CREATOR_VERSION = "0.1.0"


@dataclass(frozen=True)
class HarEntry:
    index: int
    exchange: Exchange
    started: str  # startedDateTime as written
    time_ms: float | None
    page: str | None

    @property
    def received_at(self) -> float | None:
        """Epoch seconds when the response ended (start + total time), or None when unknown."""
        start = self.exchange.started_at
        if start is None:
            return None
        return start + (self.time_ms or 0.0) / 1000.0


@dataclass(frozen=True)
class HarLog:
    creator: str
    entries: tuple[HarEntry, ...]


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(v), "a number")


_NUMBERS = (int, float, (int, float))


def _get(obj: dict, key: str, kind: type | tuple[type, ...], path: str, required: bool = False,
         default: Any = None) -> Any:
    v = obj.get(key)
    if v is None:
        if required:
            raise FormatError(f"The HAR file has no {path}.{key} field.", field=f"{path}.{key}")
        return default
    if isinstance(v, kind) and (v is not True and v is not False or kind not in _NUMBERS):
        return v  # true/false is not a number (bool is an int in Python)
    want = {str: "text", list: "a list", dict: "an object"}.get(kind, "a number")  # type: ignore[call-overload]
    raise FormatError(f"The field {path}.{key} should be {want} but is {_type_name(v)}.", field=f"{path}.{key}")


def _headers(obj: dict, path: str) -> tuple[tuple[str, str], ...]:
    items = _get(obj, "headers", list, path, default=[])
    out = []
    for i, h in enumerate(items):
        p = f"{path}.headers[{i}]"
        if not isinstance(h, dict):
            raise FormatError(f"The field {p} should be an object with name and value.", field=p)
        name = _get(h, "name", str, p, required=True)
        value = _get(h, "value", (str, int, float), p, default="")
        out.append((name, str(value)))
    return tuple(out)


_MAX_MS = 30 * 86400 * 1000.0  # a month: no real exchange lasts longer (a HAR's ``time: 1e300`` is damage)
_MAX_SIZE = 2**50  # a petabyte: larger sizes are damage, not bodies


def _ms(v: Any) -> float | None:
    """A HAR duration in ms, or None when absent, negative (HAR's "-1": not measured) or implausible."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= _MAX_MS:
        return None
    return float(v)


def _size(v: Any) -> int | None:
    """A HAR byte count, or None when absent, negative ("-1": unknown) or implausible."""
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= _MAX_SIZE:
        return None
    return int(v)


def _timing(entry: dict, path: str) -> Timing:
    t = _get(entry, "timings", dict, path, default={})
    connect, ssl = _ms(t.get("connect")), _ms(t.get("ssl"))
    if connect is not None and ssl is not None:
        connect = max(0.0, connect - ssl)

    def s(v: float | None) -> float | None:
        return None if v is None else v / 1000.0

    return Timing(connect=s(connect), tls=s(ssl), request_sent=s(_ms(t.get("send"))),
                  first_byte=s(_ms(t.get("wait"))), download=s(_ms(t.get("receive"))), total=s(_ms(entry.get("time"))))


def _epoch(text: str) -> float | None:
    try:
        dt = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def _version(v: str | None) -> str:
    if not v:
        return "HTTP/1.1"
    low = v.strip().lower()
    if low in ("h2", "http/2", "http/2.0", "h2c"):
        return "HTTP/2"
    if low in ("h3", "http/3", "http/3.0") or low.startswith("h3-"):
        return "HTTP/3"
    return v.strip().upper() if low.startswith("http/") else v.strip()


def _b64(text: str, field: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()).encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise FormatError(f"The field {field} says base64 but is not valid base64.", field=field) from None


def _declared_length(headers: tuple[tuple[str, str], ...]) -> int | None:
    value = (header_value(headers, "Content-Length") or "").strip()
    return int(value) if value.isdigit() and len(value) <= 15 else None


def _request(entry: dict, path: str, notes: list[str]) -> HttpRequest:
    req = _get(entry, "request", dict, path, required=True)
    p = f"{path}.request"
    method = _get(req, "method", str, p, required=True)
    url = _get(req, "url", str, p, required=True)
    if not method.strip():
        raise FormatError(f"The field {p}.method is empty.", field=f"{p}.method")
    headers = _headers(req, p)
    body: bytes | None = None
    post = _get(req, "postData", dict, p)
    if post is not None:
        pp = f"{p}.postData"
        text = _get(post, "text", str, pp)
        if text is not None:
            body = _b64(text, f"{pp}.text") if post.get("encoding") == "base64" else text.encode("utf-8", "replace")
        else:
            params = _get(post, "params", list, pp, default=[])
            pieces = []
            for i, prm in enumerate(params):
                if not isinstance(prm, dict):
                    raise FormatError(f"The field {pp}.params[{i}] should be an object.", field=f"{pp}.params[{i}]")
                name = _get(prm, "name", str, f"{pp}.params[{i}]", default="")
                value = _get(prm, "value", str, f"{pp}.params[{i}]", default="")
                pieces.append(f"{quote(name, safe='')}={quote(value, safe='')}")
            body = "&".join(pieces).encode("utf-8")
    chunked = any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers)
    unrecorded = None
    if not body:
        unrecorded = _size(_get(req, "bodySize", (int, float), p)) or _declared_length(headers) or None
    if unrecorded:
        body = None
        notes.append(f"The browser did not record the request body ({unrecorded} bytes were sent).")
    return HttpRequest(method=method, url=url, headers=headers, body=body, chunked=chunked,
                       unrecorded_body_bytes=unrecorded)


def _response(entry: dict, path: str, notes: list[str],
              budget: RecordedBudget) -> tuple[HttpResponse | None, TransportError | None]:
    resp = _get(entry, "response", dict, path, default=None)
    p = f"{path}.response"
    if resp is None:
        return None, TransportError(kind="browser", text="The HAR entry records no response.")
    status = _get(resp, "status", (int, float), p, default=0)
    if not 0 <= status <= 999 or status != int(status):
        raise FormatError(f"The field {p}.status should be an HTTP status code but is {status!r}.", field=f"{p}.status")
    status = int(status)
    if status == 0:
        err = resp.get("_error") or entry.get("_error") or ""
        return None, TransportError(
            kind="browser",
            text="The browser got no response (status 0): the request was blocked, cancelled or failed "
                 "before an answer arrived.", detail=str(err))
    headers = _headers(resp, p)
    content = _get(resp, "content", dict, p, default={})
    cp = f"{p}.content"
    text = _get(content, "text", str, cp)
    size = _get(content, "size", (int, float), cp)
    if text is None:
        body = b""
        comment = content.get("comment")  # Firefox: "Response bodies are not included."
        if size or isinstance(comment, str) and "not included" in comment:
            notes.append("The HAR file does not include the response body.")
    elif content.get("encoding") == "base64":
        body = _b64(text, f"{cp}.text")
    else:
        body = text.encode("utf-8", "replace")
    wire = _size(_get(resp, "bodySize", (int, float), p))
    decoded = _size(size)
    if status == 304 and body:  # the browser's cached copy: a 304 carries no body on the wire
        notes.append(f"The HAR holds the browser's cached copy of the body ({len(body)} bytes) for this 304; "
                     "the server sent no body.")
        body, wire, decoded = b"", None, None
    elif decoded == 0 and body:  # Safari writes size 0 beside the real text: not counted, not empty
        decoded = None
    rec = budget.decode(body, header_value(headers, "Content-Encoding"))  # bytes recorded still encoded
    if rec.note and (rec.decoded or budget.left <= 0):  # browsers record bodies decoded: no "does not decode"
        notes.append(rec.note)
    if rec.decoded:
        body, wire, decoded = rec.body, wire or len(body), len(rec.body)
    if any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers):
        framing = "chunked"
    elif header_value(headers, "Content-Length") is not None:
        framing = "content-length"
    else:
        framing = "unknown"
    return HttpResponse(status=status, reason=_get(resp, "statusText", str, p, default=""),
                        http_version=_version(_get(resp, "httpVersion", str, p)), headers=headers, body=body,
                        wire_bytes=wire, framing=framing, decoded_bytes=decoded,  # type: ignore[arg-type]
                        body_truncated=text is None and bool(size)), None


MAX_HAR_BYTES = 256 * 1024 * 1024  # a 64 MB, 200,000-entry HAR reads in seconds; four times that is the limit
_NO_LOG = "This JSON is not a HAR file: it has no \"log\" object at the top."


def _har_text(data: str | bytes, decoded: str | None = None) -> str:
    """The HAR's text, checked for size and emptiness. Each copy of a 100 MB text costs ~70 ms with the GIL held
    (the window's loop stalls that long), so none is made twice: ``decoded`` (the caller's
    ``data.decode("utf-8", "replace")``) is used when it replaced nothing, and emptiness is tested without
    ``strip()``."""
    if isinstance(data, bytes):
        if len(data) > MAX_HAR_BYTES:
            raise FormatError(f"The HAR file is {human_size(len(data))}; the most this reader takes is "
                              f"{human_size(MAX_HAR_BYTES)}. Export only the requests you need (DevTools filter).")
        if decoded is not None and (decoded.isascii() or "\ufffd" not in decoded):
            data = decoded  # valid UTF-8: the same text as decoding again (a BOM goes below)
        else:
            try:
                data = data.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise FormatError(f"The HAR file is not UTF-8 text (byte {exc.start + 1} is not valid).") from None
    if not isinstance(data, str):
        raise FormatError("A HAR file must be text or bytes.")
    if len(data) > MAX_HAR_BYTES:
        raise FormatError(f"The HAR file is longer than {human_size(MAX_HAR_BYTES)}, the most this reader takes. "
                          "Export only the requests you need (DevTools filter).")
    data = data.lstrip("\ufeff")
    if not data or data.isspace():
        raise FormatError("The HAR file is empty.")
    return data


@never_other_errors("HAR file")
def parse_har(data: str | bytes, decoded: str | None = None) -> HarLog:
    """Read a HAR 1.2 file (browser DevTools export) into exchanges.

    One pass over the text: ``log`` and ``log.entries`` are walked (``JsonWalker``) and each entry becomes an
    exchange as soon as it is decoded, so the file's whole JSON tree never sits in memory at once.
    ``decoded``: the bytes ``data`` already decoded by the caller with ``data.decode("utf-8", "replace")``
    (import kind detection does that), read instead of decoding a second time when it is the same text.
    """
    walker = JsonWalker(_har_text(data, decoded))
    try:
        return _walk_root(walker)
    except json.JSONDecodeError as exc:
        raise FormatError(f"The HAR file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
                          line=exc.lineno, column=exc.colno) from None


def _walk_root(walker: JsonWalker) -> HarLog:
    if walker.peek() != "{":
        walker.value()
        walker.end()
        raise FormatError(_NO_LOG, field="log")
    log: HarLog | None = None
    for key in walker.members():
        if key == "log" and walker.peek() == "{":
            log = _walk_log(walker)
        else:
            walker.value()
            log = None if key == "log" else log  # the last "log" wins, as in json.loads
    walker.end()
    if log is None:
        raise FormatError(_NO_LOG, field="log")
    return log


def _walk_log(walker: JsonWalker) -> HarLog:
    small: dict[str, Any] = {}  # creator, pages and anything but the entries, decoded whole
    entries: list[HarEntry] | None = None
    for key in walker.members():
        if key == "entries" and walker.peek() == "[":
            budget = RecordedBudget()  # bodies recorded still encoded decode within one total per file
            entries = [_har_entry(i, walker.value(), budget) for i in walker.items()]
        elif key == "entries":
            small["entries"] = walker.value()
            entries = None
        else:
            small[key] = walker.value()
    creator_obj = _get(small, "creator", dict, "log", default={})
    creator = " ".join(str(creator_obj.get(k)) for k in ("name", "version") if creator_obj.get(k)).strip()
    pages: dict[str, str] = {}
    for page in _get(small, "pages", list, "log", default=[]):
        if isinstance(page, dict) and isinstance(page.get("id"), str):
            title = page.get("title")
            pages[page["id"]] = title if isinstance(title, str) and title else page["id"]
    if entries is None:
        _get(small, "entries", list, "log", required=True)  # raises: missing, or not a list
        entries = []
    if pages:
        entries = [replace(e, page=pages[e.page]) if e.page in pages else e for e in entries]
    return HarLog(creator=creator, entries=tuple(entries))


def _har_entry(i: int, entry: Any, budget: RecordedBudget) -> HarEntry:
    """Entry ``i`` as decoded JSON -> a HarEntry whose ``page`` is the pageref (titles are filled in later)."""
    path = f"log.entries[{i}]"
    if not isinstance(entry, dict):
        raise FormatError(f"The field {path} should be an object but is {_type_name(entry)}.", field=path)
    notes: list[str] = []
    request = _request(entry, path, notes)
    response, error = _response(entry, path, notes, budget)
    started = _get(entry, "startedDateTime", str, path, default="")
    started_at = _epoch(started) if started else None
    if started and started_at is None:
        notes.append(f"The start time {started[:40]!r} could not be read.")
    time_ms = entry.get("time")
    if _ms(time_ms) is None and isinstance(time_ms, (int, float)) and not isinstance(time_ms, bool) \
            and not -1 <= time_ms < 0:
        notes.append(f"The entry's time ({time_ms:.3g} ms) is not a plausible duration; it was left out.")
    pageref = entry.get("pageref")
    ex = Exchange(request=request, response=response, timing=_timing(entry, path), error=error,
                  started_at=started_at, notes=tuple(notes))
    return HarEntry(index=i, exchange=ex, started=started, time_ms=_ms(time_ms),
                    page=pageref if isinstance(pageref, str) else None)


# ---------------------------------------------------------------- export


def _iso(epoch: float | None) -> str:
    if epoch is None:
        epoch = 0.0
    dt = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _content(body: bytes, mime: str) -> dict:
    try:
        return {"size": len(body), "mimeType": mime, "text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"size": len(body), "mimeType": mime, "text": base64.b64encode(body).decode("ascii"),
                "encoding": "base64"}


def _ms_out(v: float | None) -> float:
    return -1 if v is None else round(v * 1000.0, 3)


def _entry(ex: Exchange) -> dict:
    req = ex.request
    query = urlsplit(req.url).query if "?" in req.url else ""
    request: dict[str, Any] = {
        "method": req.method, "url": req.url, "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": [{"name": k, "value": v} for k, v in req.headers],
        "queryString": [{"name": k, "value": v} for k, v in parse_qsl(query, keep_blank_values=True)],
        "headersSize": -1, "bodySize": len(req.body) if req.body is not None else (req.unrecorded_body_bytes or 0),
    }
    if req.body is not None:
        post = _content(req.body, req.header("Content-Type") or "")
        post.pop("size")
        request["postData"] = post
    resp = ex.response
    if resp is None:
        response: dict[str, Any] = {"status": 0, "statusText": "", "httpVersion": "", "cookies": [], "headers": [],
                                    "content": {"size": 0, "mimeType": ""}, "redirectURL": "", "headersSize": -1,
                                    "bodySize": -1}
        if ex.error is not None:
            response["_error"] = ex.error.text
    else:
        response = {"status": resp.status, "statusText": resp.reason, "httpVersion": resp.http_version,
                    "cookies": [], "headers": [{"name": k, "value": v} for k, v in resp.headers],
                    "content": _content(resp.body, resp.header("Content-Type") or ""),
                    "redirectURL": resp.header("Location") or "", "headersSize": -1,
                    "bodySize": resp.wire_bytes if resp.wire_bytes is not None else -1}
    t = ex.timing
    connect = None if t.connect is None else t.connect + (t.tls or 0.0)
    timings = {"blocked": -1, "dns": -1, "connect": _ms_out(connect), "ssl": _ms_out(t.tls),
               "send": max(0, _ms_out(t.request_sent)), "wait": max(0, _ms_out(t.first_byte)),
               "receive": max(0, _ms_out(t.download))}
    return {"startedDateTime": _iso(ex.started_at), "time": max(0, _ms_out(t.total)), "request": request,
            "response": response, "cache": {}, "timings": timings}


def to_har(exchanges: Sequence[Exchange], redact: bool = True) -> str:
    """A HAR 1.2 document (creator "Request Inspector"); secrets hidden unless ``redact=False``."""
    entries = []
    for ex in exchanges:
        if redact:
            ex = redact_exchange(ex)[0]
        entries.append(_entry(ex))
    doc = {"log": {"version": "1.2", "creator": {"name": CREATOR, "version": CREATOR_VERSION}, "pages": [],
                   "entries": entries}}
    return json.dumps(doc, indent=2, ensure_ascii=False)
