"""Header findings over a request (as typed/sent) and a response (as received) (owner: findings helper).

CONTRACT:
    def request_findings(request: HttpRequest) -> list[Finding]
    def response_findings(request: HttpRequest, response: HttpResponse, now: float) -> list[Finding]
    def all_findings(request: HttpRequest, response: HttpResponse | None, now: float) -> list[Finding]
Finding ids are a public contract (the CLI's JSON, reports and outside checks depend on them); never rename, only add.

Each function also takes an optional keyword ``catalog`` (anything with ``lookup(code) -> DocumentedStatus``, e.g. the
StatusCatalog): texts then quote what the API's page says about 406/411/415; without it they name the standard
phrase ("the server may answer 411 ..."). ``now`` is only used to count Retry-After from. None of them raises.

Ids (severity): request side —
    request-missing-content-type (error)        non-empty body, no Content-Type (415)
    request-content-type-invalid (error)        Content-Type that is not type/subtype (415)
    request-content-type-mismatch (error)       JSON declared but not JSON (says where), form body declared as
                                                something else, JSON body declared as form/text (415)
    request-duplicate-content-type (warning)    Content-Type sent twice with different values
    request-content-length-mismatch (error)     Content-Length != body size, not a number, or twice with different values (411)
    request-missing-content-length (error)      body sent chunked, no Content-Length (411)
    request-content-length-with-chunked (error) both Content-Length and Transfer-Encoding: chunked (411)
    request-body-on-get (warning)               a GET/HEAD with a non-empty body
    request-body-not-recorded (info)            a body was sent but the capture (a browser's HAR) left it out
response side —
    response-missing-content-type (warning)     non-empty body, no Content-Type
    response-missing-content-length (info chunked / warning close)  body framed without Content-Length
    response-content-length-mismatch (error)    declared Content-Length != bytes on the wire
    response-content-length-invalid (error)     Content-Length not a number, or twice with different values
    response-content-length-with-chunked (warning)  Content-Length on a chunked response (ignored)
    response-unexpected-content-length (warning) Content-Length on a 1xx or 204
    response-body-on-no-content (warning)       body bytes on a 1xx/204/304
    accept-mismatch (warning; error on 406)     response type not acceptable under Accept; any 406
    retry-after (info) / retry-after-clamped (warning) / retry-after-invalid (warning)
    response-missing-retry-after (warning)      a 429 without Retry-After
    response-allow (info) / response-missing-allow (warning)   405 and its Allow header
    response-location (info)                    Location on a 201
    response-rate-limit (info)                  RateLimit / X-RateLimit headers
from an OpenAPI document, per matched operation (app/core/openapi/checks.py builds them) —
    response-status-undocumented (warning)      the operation documents neither the code, its range nor a default
    request-content-type-undocumented (error)   a request body whose media type the operation does not take
    request-parameter-missing (error)           a required header, query or cookie parameter is absent
    response-schema-mismatch (error)            the body breaks the documented schema (JSON pointer and rule named)
    response-content-type-undocumented (warning) a response media type not documented for that status
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Protocol

from app.core.models import (
    DocumentedStatus,
    Finding,
    HttpRequest,
    HttpResponse,
    Severity,
    Side,
    header_values,
    media_type,
)
from app.core.rate_limit import parse_rate_limit
from app.core.retry_after import describe_wait, iso_utc, parse_retry_after

_MAX_JSON_CHECK_BYTES = 4 * 1024 * 1024  # larger request bodies are not parsed (too slow to do on every keystroke)
_MAX_SHOWN = 60  # characters of a header value quoted in a sentence
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(_TOKEN + "/" + _TOKEN)
_LENGTH = re.compile(r"[0-9]+")
_FORM_PAIR = r"[A-Za-z0-9._~%+\-\[\]]+=[A-Za-z0-9._~%+\-*!'()\[\],:/@]*"
_FORM_BODY = re.compile(_FORM_PAIR + r"(?:&" + _FORM_PAIR + r")+")
_NO_BODY_METHODS = ("GET", "HEAD")


class _Catalog(Protocol):
    def lookup(self, code: int, reason: str | None = None) -> DocumentedStatus: ...


# --------------------------------------------------------------------------- helpers
def _finding(id_: str, severity: Severity, side: Side, header: str, text: str) -> Finding:
    return Finding(id=id_, severity=severity, side=side, header=header, text=text)


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _MAX_SHOWN else value[: _MAX_SHOWN - 1] + "…"


def _plural(n: int, word: str = "byte") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _api_answer(code: int, catalog: _Catalog | None, describe: bool = True) -> str:
    """'this API answers 411 "Length Required" ("Content-Length header is missing or wrong.")' or the standard form."""
    doc: DocumentedStatus | None = None
    if catalog is not None:
        try:
            doc = catalog.lookup(code)
        except Exception:
            doc = None
    if doc is not None and doc.source == "api-docs":
        text = f'this API answers {code} "{doc.status}"'
        if describe and doc.description:
            text += f' ("{doc.description.rstrip(".")}")'
        return text
    try:
        return f'the server may answer {code} "{HTTPStatus(code).phrase}"'
    except ValueError:
        return f"the server may answer {code}"


def _lengths(values: list[str]) -> tuple[int | None, str | None]:
    """Content-Length header values -> (length, None) or (None, problem sentence fragment)."""
    parts: list[str] = []
    for v in values:
        parts.extend(p.strip() for p in v.split(","))
    bad = [p for p in parts if not _LENGTH.fullmatch(p)]
    if bad:
        return None, f'Content-Length "{_shown(bad[0])}" is not a whole number of bytes'
    distinct = sorted({int(p.lstrip("0") or "0") if len(p) < 4000 else -1 for p in parts})
    if len(distinct) > 1 or distinct == [-1]:
        if distinct == [-1]:
            return None, "Content-Length is an impossibly large number"
        return None, "Content-Length appears more than once with different values (" + ", ".join(
            _shown(v) for v in values) + ")"
    return distinct[0], None


def _is_chunked(transfer_encodings: list[str]) -> bool:
    return any(part.strip().lower() == "chunked" for v in transfer_encodings for part in v.split(","))


def _is_json_type(mtype: str | None) -> bool:
    return mtype is not None and (mtype == "application/json" or mtype.endswith("+json") or mtype == "text/json")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def _json_error(body: bytes) -> str | None:
    """None when ``body`` is JSON; else where it breaks ('line 1, column 9: Expecting value')."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return f"it is not UTF-8 text (byte {exc.start + 1} cannot be read)"
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except ValueError as exc:
        return str(exc)
    except RecursionError:
        return None  # too deeply nested to check here; not a finding
    return None


def _looks_like_json(body: bytes) -> bool:
    text = body.strip()
    if not text or text[:1] not in (b"{", b"["):
        return False
    return _json_error(text) is None


def _looks_like_form(body: bytes) -> bool:
    try:
        text = body.decode("ascii").strip()
    except UnicodeDecodeError:
        return False
    return len(text) <= 1_000_000 and _FORM_BODY.fullmatch(text) is not None


# --------------------------------------------------------------------------- request
def request_findings(request: HttpRequest, *, catalog: _Catalog | None = None) -> list[Finding]:
    """What is wrong or notable about the request's headers and body. Never raises."""
    try:
        return _request_findings(request, catalog)
    except Exception as exc:  # a bug here must not hide the response; say what happened instead
        return [_internal("request", exc)]


def _internal(side: Side, exc: Exception) -> Finding:
    return _finding("findings-unavailable", "info", side, "",
                    f"The {side} headers could not be checked ({type(exc).__name__}).")


def _request_findings(request: HttpRequest, catalog: _Catalog | None) -> list[Finding]:
    out: list[Finding] = []
    body = request.body
    unrecorded = request.unrecorded_body_bytes if body is None else None  # sent, but not in the capture
    size = len(body) if body is not None else (unrecorded or 0)
    method = (request.method or "").strip().upper()
    ct_values = [v for v in header_values(request.headers, "Content-Type")]
    ct = next((v for v in ct_values if v.strip()), None)
    mtype = media_type(ct)
    cl_values = header_values(request.headers, "Content-Length")
    chunked = request.chunked or _is_chunked(header_values(request.headers, "Transfer-Encoding"))
    a411 = _api_answer(411, catalog)
    a415 = _api_answer(415, catalog)

    # Content-Type
    if size and ct is None:
        out.append(_finding("request-missing-content-type", "error", "request", "Content-Type",
                            f"The request has a body of {_plural(size)} but no Content-Type header; {a415} when "
                            "Content-Type is missing. Add one, e.g. Content-Type: application/json."))
    elif ct is not None and (mtype is None or not _MEDIA_TYPE.fullmatch(mtype)):
        out.append(_finding("request-content-type-invalid", "error", "request", "Content-Type",
                            f'Content-Type "{_shown(ct)}" is not a media type (type/subtype, e.g. application/json); '
                            f"{a415} when Content-Type is wrong."))
    elif size and mtype is not None and body is not None:
        problem = _content_type_problem(body, mtype)
        if problem:
            out.append(_finding("request-content-type-mismatch", "error", "request", "Content-Type",
                                f"{problem}; {a415} when Content-Type is wrong."))
    distinct_ct = {" ".join(v.split()).lower() for v in ct_values}
    if len(distinct_ct) > 1:
        out.append(_finding("request-duplicate-content-type", "warning", "request", "Content-Type",
                            "Content-Type is sent more than once with different values ("
                            + ", ".join(_shown(v) for v in ct_values) + "); the server may use either."))

    # Content-Length and framing
    if cl_values and chunked:
        out.append(_finding("request-content-length-with-chunked", "error", "request", "Content-Length",
                            "The request carries both Content-Length and Transfer-Encoding: chunked; servers must "
                            f"ignore or reject such a request, and {a411} when Content-Length is wrong."))
    elif cl_values:
        length, problem = _lengths(cl_values)
        if problem is None and length is not None and length != size:
            what = f"the body is {_plural(size)}" if body is not None or unrecorded else "the request has no body"
            problem = f"Content-Length says {_plural(length)} but {what}"
        if problem:
            out.append(_finding("request-content-length-mismatch", "error", "request", "Content-Length",
                                f"{problem}; {a411} when Content-Length is missing or wrong."))
    elif chunked and body is not None:
        out.append(_finding("request-missing-content-length", "error", "request", "Content-Length",
                            "The body is sent chunked (Transfer-Encoding: chunked) without a Content-Length header; "
                            f"{a411} when Content-Length is missing."))

    if unrecorded:
        out.append(_finding("request-body-not-recorded", "info", "request", "Content-Length",
                            f"A body of {_plural(unrecorded)} was sent, but the capture does not include it (browsers "
                            "often leave request bodies out of HAR files), so its content cannot be checked here."))
    if size and method in _NO_BODY_METHODS:
        out.append(_finding("request-body-on-get", "warning", "request", "Content-Length",
                            f"A {method} request with a body of {_plural(size)}: many servers and proxies ignore or "
                            "reject a body on GET. Use POST or PUT to send data."))
    return out


def _content_type_problem(body: bytes, mtype: str) -> str | None:
    if _is_json_type(mtype):
        if len(body) > _MAX_JSON_CHECK_BYTES:
            return None
        where = _json_error(body)
        if where is None:
            return None
        if _looks_like_form(body):
            return (f"The body is declared as {mtype} but looks like form data (key=value&...); "
                    "for form data send Content-Type: application/x-www-form-urlencoded")
        return f"The body is declared as {mtype} but is not valid JSON ({where})"
    if mtype == "application/x-www-form-urlencoded" or mtype.startswith("text/"):
        if len(body) <= _MAX_JSON_CHECK_BYTES and _looks_like_json(body):
            return f"The body looks like JSON but is declared as {mtype} (for JSON send Content-Type: application/json)"
    if (mtype != "application/x-www-form-urlencoded" and mtype != "application/octet-stream"
            and _looks_like_form(body)):
        return (f"The body looks like form data (key=value&...) but is declared as {mtype} "
                "(for form data send Content-Type: application/x-www-form-urlencoded)")
    return None


# --------------------------------------------------------------------------- Accept
@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)


def _params(text: str) -> list[tuple[str, str]]:
    out = []
    for piece in text.split(";"):
        key, sep, val = piece.partition("=")
        if sep and key.strip():
            out.append((key.strip().lower(), val.strip().strip('"')))
    return out


def parse_accept(value: str) -> list[_Range]:
    """Media ranges of an Accept header; unreadable ranges are skipped, an unreadable q counts as 1."""
    ranges: list[_Range] = []
    for item in value.split(","):
        head, _, rest = item.partition(";")
        head = head.strip().lower()
        if not head:
            continue
        if head == "*":  # a common sloppy spelling of */*
            head = "*/*"
        t, slash, s = head.partition("/")
        if not slash or not re.fullmatch(_TOKEN, t) or not re.fullmatch(_TOKEN, s) or (t == "*" and s != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for key, val in _params(rest):
            if key == "q":
                try:
                    q = min(1.0, max(0.0, float(val)))
                except ValueError:
                    q = 1.0
                break  # parameters after q are accept-extensions, not media-type parameters
            params.append((key, val.lower()))
        ranges.append(_Range(t, s, tuple(params), q))
    return ranges


def acceptable(accept: str | None, content_type: str | None) -> bool:
    """Whether a response of ``content_type`` is acceptable under ``accept`` (RFC 9110 §12.5.1). None accepts all.

    A structured-syntax type (``application/problem+json``) also passes when its base (``application/json``) does.
    """
    mtype = media_type(content_type)
    if accept is None or mtype is None:
        return True
    ranges = parse_accept(accept)
    if not ranges:
        return True
    if _q_for(ranges, mtype, content_type or "") > 0:
        return True
    t, _, s = mtype.partition("/")
    if "+" in s:
        base = f"{t}/{s.rsplit('+', 1)[1]}"
        return _q_for(ranges, base, base) > 0
    return False


def _q_for(ranges: list[_Range], mtype: str, content_type: str) -> float:
    t, _, s = mtype.partition("/")
    have = dict(_params(content_type.partition(";")[2]))
    have = {k: v.lower() for k, v in have.items()}
    best: _Range | None = None
    for r in ranges:
        if r.type not in ("*", t) or r.subtype not in ("*", s):
            continue
        if any(have.get(k) != v for k, v in r.params):
            continue
        if best is None or r.specificity() > best.specificity():
            best = r
    return 0.0 if best is None else best.q


# --------------------------------------------------------------------------- response
def response_findings(request: HttpRequest, response: HttpResponse, now: float, *,
                      catalog: _Catalog | None = None) -> list[Finding]:
    """What is wrong or notable about the response's headers, given the request it answers. Never raises."""
    try:
        return _response_findings(request, response, now, catalog)
    except Exception as exc:
        return [_internal("response", exc)]


def _response_findings(request: HttpRequest, response: HttpResponse, now: float,
                       catalog: _Catalog | None) -> list[Finding]:
    out: list[Finding] = []
    status = int(response.status)
    method = (request.method or "").strip().upper()
    is_head = method == "HEAD"
    no_content = 100 <= status < 200 or status == 204
    bodiless = no_content or status == 304 or is_head
    body_bytes = max(len(response.body), response.wire_bytes or 0, response.decoded_bytes or 0)
    ct_values = header_values(response.headers, "Content-Type")
    ct = next((v for v in ct_values if v.strip()), None)
    cl_values = header_values(response.headers, "Content-Length")
    te_chunked = _is_chunked(header_values(response.headers, "Transfer-Encoding"))
    chunked = response.framing == "chunked" or te_chunked

    # Content-Type
    if body_bytes and not bodiless and ct is None:
        out.append(_finding("response-missing-content-type", "warning", "response", "Content-Type",
                            f"The response has a body of {_plural(body_bytes)} but no Content-Type header, so its "
                            "format has to be guessed."))
    if len({" ".join(v.split()).lower() for v in ct_values}) > 1:
        out.append(_finding("response-duplicate-content-type", "warning", "response", "Content-Type",
                            "The response has more than one Content-Type ("
                            + ", ".join(_shown(v) for v in ct_values) + "); clients may read the body either way."))

    # Content-Length and framing
    if no_content:
        if cl_values:
            out.append(_finding("response-unexpected-content-length", "warning", "response", "Content-Length",
                                f"A {status} response must not carry Content-Length (it has Content-Length: "
                                f"{_shown(', '.join(cl_values))}); some clients then wait for a body that never comes."))
    elif cl_values and chunked:
        out.append(_finding("response-content-length-with-chunked", "warning", "response", "Content-Length",
                            "The response carries both Content-Length and Transfer-Encoding: chunked; Content-Length "
                            "is ignored, and some proxies treat such responses as an attack."))
    elif cl_values:
        length, problem = _lengths(cl_values)
        if problem:
            out.append(_finding("response-content-length-invalid", "error", "response", "Content-Length",
                                f"{problem}, so the end of the body cannot be trusted."))
        elif (length is not None and not is_head and status != 304 and response.wire_bytes is not None
              and length != response.wire_bytes
              and not (response.body_truncated and response.body_path is None and response.wire_bytes < length)):
            shortfall = "the body is incomplete" if response.wire_bytes < length else "more bytes arrived than declared"
            out.append(_finding("response-content-length-mismatch", "error", "response", "Content-Length",
                                f"The response's Content-Length does not match its body (declared "
                                f"{_plural(length)}, received {response.wire_bytes}): {shortfall}."))
    elif not bodiless and response.framing in ("chunked", "close"):
        if response.framing == "chunked":
            out.append(_finding("response-missing-content-length", "info", "response", "Content-Length",
                                "The response body was sent chunked, without Content-Length: its size was only known "
                                "once it had all arrived."))
        else:
            out.append(_finding("response-missing-content-length", "warning", "response", "Content-Length",
                                "The response body was delimited by closing the connection, without Content-Length: "
                                "a dropped connection would look like a complete body."))

    if bodiless and not is_head and body_bytes:
        out.append(_finding("response-body-on-no-content", "warning", "response", "Content-Length",
                            f"A {status} response must not have a body, but {_plural(body_bytes)} arrived."))

    out.extend(_accept_findings(request, response, status, bodiless, body_bytes, ct, catalog))
    out.extend(_retry_findings(response, status, now))
    out.extend(_other_findings(response, status, now))
    return out


def _accept_findings(request: HttpRequest, response: HttpResponse, status: int, bodiless: bool, body_bytes: int,
                     ct: str | None, catalog: _Catalog | None) -> list[Finding]:
    accept_values = [v for v in header_values(request.headers, "Accept") if v.strip()]
    accept = ", ".join(accept_values) if accept_values else None
    mtype = media_type(ct)
    if status == 406:
        answer = _api_answer(406, catalog)
        answer = answer[0].upper() + answer[1:]
        if accept is None:
            detail = ("the request sent no Accept header (which accepts anything), so the server expects a "
                      "specific one; ask which types it produces")
        else:
            detail = f"the request sent Accept: {_shown(accept)}, and the server produces none of those types"
            if mtype and not acceptable(accept, ct):
                detail += f" (this error itself is {mtype})"
        return [_finding("accept-mismatch", "error", "response", "Accept", f"{answer}: {detail}.")]
    if accept is None or mtype is None or not 200 <= status < 300 or status == 204:
        return []  # error and redirect bodies may come in any format; 204/304 have no content
    if not body_bytes and not bodiless:
        return []
    if acceptable(accept, ct):
        return []
    return [_finding("accept-mismatch", "warning", "response", "Accept",
                     f"The response is {mtype}, which the request's Accept header ({_shown(accept)}) does not allow; "
                     f"the server ignored Accept ({_api_answer(406, catalog, describe=False)} when it honours it).")]


def _retry_findings(response: HttpResponse, status: int, now: float) -> list[Finding]:
    raw = next(iter(header_values(response.headers, "Retry-After")), None)
    if raw is None:
        if status == 429:
            return [_finding("response-missing-retry-after", "warning", "response", "Retry-After",
                             "A 429 response came without Retry-After, so there is no telling how long to wait "
                             "before trying again.")]
        return []
    retry = parse_retry_after(raw, now)
    if retry is None:
        return [_finding("retry-after-invalid", "warning", "response", "Retry-After",
                         f'Retry-After: "{_shown(raw)}" is neither a number of seconds nor an HTTP date, so the wait '
                         "is unknown.")]
    target = "the next POST request" if status == 429 else "trying again"
    out = [_finding("retry-after", "info", "response", "Retry-After",
                    f"The server asks to wait {describe_wait(retry.seconds)} (until {iso_utc(retry.until)}) "
                    f"before {target}." if retry.seconds > 0 else
                    f"Retry-After names a time already past: {target} can happen now." if retry.past else
                    f"Retry-After names the moment of the answer itself: {target} can happen now.")]
    if retry.clamped and retry.note:
        out.append(_finding("retry-after-clamped", "warning", "response", "Retry-After", retry.note + "."))
    return out


def _other_findings(response: HttpResponse, status: int, now: float) -> list[Finding]:
    out: list[Finding] = []
    if status == 405:
        allow = header_values(response.headers, "Allow")
        if not allow:
            out.append(_finding("response-missing-allow", "warning", "response", "Allow",
                                "A 405 response should list the allowed methods in an Allow header; this one does "
                                "not, so the right method has to be found elsewhere."))
        else:
            methods = [m.strip().upper() for v in allow for m in v.split(",") if m.strip()]
            text = ("The resource allows: " + ", ".join(methods) + ".") if methods else \
                "The resource allows no methods at the moment (empty Allow header)."
            out.append(_finding("response-allow", "info", "response", "Allow", text))
    if status == 201:
        location = next((v.strip() for v in header_values(response.headers, "Location") if v.strip()), None)
        if location:
            out.append(_finding("response-location", "info", "response", "Location",
                                f"The new resource is at: {location}"))
    info = parse_rate_limit(response.headers, now)
    if info is not None:
        header = "RateLimit" if info.source == "RateLimit" else "X-RateLimit-Remaining"
        out.append(_finding("response-rate-limit", "info", "response", header, info.describe()))
    return out


def all_findings(request: HttpRequest, response: HttpResponse | None, now: float, *,
                 catalog: _Catalog | None = None) -> list[Finding]:
    """Request findings, then response findings (when a response arrived)."""
    out = request_findings(request, catalog=catalog)
    if response is not None:
        out += response_findings(request, response, now, catalog=catalog)
    return out
