"""Raw HTTP/1.x text as pasted from a log: a request, a response, or a request followed by its response.

URL rule for an origin-form request ("POST /x HTTP/1.1" + "Host: h"): the URL is ``scheme://<Host as written>/x``
where scheme is ``http`` when the Host names port 80, 8000 or 8080, or names a loopback host (localhost, 127.x,
[::1]) on any port but 443; otherwise ``https``. Callers that know better pass ``scheme=``. An absolute-form target
("GET http://h/x HTTP/1.1") is used as written. HTTP/2 pseudo-headers (:method, :scheme, :authority, :path), as
browsers display them, are understood too.

Bodies: chunked bodies are decoded (``framing="chunked"``, ``wire_bytes`` = the chunked bytes as pasted). With a
Content-Length, a *response* keeps the whole body as pasted (so a lying Content-Length shows) except trailing line
breaks beyond the declared length, and ``wire_bytes`` = that body's length. A request body is cut at Content-Length.
Without either, the body runs to the end (``framing="close"``), or up to the response's status line.
A response body in a content coding (gzip, deflate, br, zstd, stacked) is decoded when its bytes really are
encoded (``decoded_bytes`` set, ``wire_bytes`` stays the encoded size); a body logged already decoded is kept.

Linear time on hostile pastes: the reader keeps its line number as it goes (never recounts from the start) and
never copies the rest of the text per message. Limits, each refused with a sentence: ``MAX_RAW_BYTES`` of text and
``MAX_HEADER_LINES`` header lines per message (real servers refuse a few hundred); interim ``1xx`` responses are
skipped with one warning for the lot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.core.content_coding import decode_recorded
from app.core.formats.errors import FormatError, never_other_errors
from app.core.humanize import human_size
from app.core.models import HttpRequest, HttpResponse, header_value

_METHOD = re.compile(rb"^[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*$")
_VERSION = re.compile(rb"^HTTP/\d(\.\d)?$", re.I)
_STATUS_LINE = re.compile(rb"^HTTP/\d(?:\.\d)?[ \t]+\d{3}(?:[ \t]|\r?$)", re.I | re.M)
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_LINE_BREAKS = re.compile(rb"[\r\n]*")
MAX_RAW_BYTES = 64 * 1024 * 1024
MAX_HEADER_LINES = 10_000
_SHOWN_INTERIM = 3  # interim responses named one by one in the warnings; the rest are counted


@dataclass(frozen=True)
class RawImport:
    request: HttpRequest | None
    response: HttpResponse | None
    warnings: tuple[str, ...] = ()


def _to_bytes(text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        return text
    if not isinstance(text, str):
        raise FormatError("Raw HTTP must be text or bytes.")
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace")


def _decode(b: bytes) -> str:
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return b.decode("latin-1")


class _Reader:
    """Walks lines of a byte buffer. ``line`` is the 1-based number of the line at ``pos``, kept as it goes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.line = 1

    def line_no(self, pos: int) -> int:
        """The line number of ``pos`` (counted from the nearest known point: for messages, not for every line)."""
        if pos >= self.pos:
            return self.line + self.data.count(b"\n", self.pos, pos)
        return self.data.count(b"\n", 0, pos) + 1

    def advance(self, n: int) -> None:
        self.line += self.data.count(b"\n", self.pos, self.pos + n)
        self.pos = min(len(self.data), self.pos + n)

    def readline(self) -> bytes | None:
        if self.pos >= len(self.data):
            return None
        end = self.data.find(b"\n", self.pos)
        if end < 0:
            line, self.pos = self.data[self.pos:], len(self.data)
        else:
            line, self.pos = self.data[self.pos:end], end + 1
            self.line += 1
        return line[:-1] if line.endswith(b"\r") else line

    def skip_blank(self) -> None:
        while self.pos < len(self.data):
            end = self.data.find(b"\n", self.pos)
            line = self.data[self.pos:] if end < 0 else self.data[self.pos:end]
            if line.strip():
                return
            self.advance(len(self.data) - self.pos if end < 0 else end + 1 - self.pos)

    def at_status_line(self) -> bool:
        """Whether a status line follows, after any line breaks (without copying the rest of the text)."""
        start = _LINE_BREAKS.match(self.data, self.pos)
        return _STATUS_LINE.match(self.data, start.end() if start else self.pos) is not None


def _headers(r: _Reader) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    folded: dict[int, list[str]] = {}  # continuation lines per header, joined once at the end
    first = r.line
    while True:
        n = r.line
        line = r.readline()
        if line is None or line == b"" or not line.strip():
            return _unfold(headers, folded)
        if n - first >= MAX_HEADER_LINES:
            raise FormatError(f"The headers starting at line {first} run past {MAX_HEADER_LINES:,} lines; real "
                              "servers refuse a few hundred, so they are not read.", line=n)
        if line[:1] in (b" ", b"\t") and headers:  # obsolete line folding
            folded.setdefault(len(headers) - 1, []).append(_decode(line.strip()))
            continue
        text = _decode(line)
        name, colon, value = text[1:].partition(":") if text.startswith(":") else text.partition(":")
        if text.startswith(":"):
            name = ":" + name
        if not colon:
            raise FormatError(f"Line {n} is not a header (expected 'Name: value'): {text[:60]!r}.", line=n)
        name = name.strip() if name.startswith(":") else name.rstrip()
        bare = name[1:] if name.startswith(":") else name
        if not _HEADER_NAME.match(bare):
            raise FormatError(f"Line {n} has an invalid header name {name[:40]!r}.", line=n)
        headers.append((name, value.strip(" \t")))


def _unfold(headers: list[tuple[str, str]], folded: dict[int, list[str]]) -> list[tuple[str, str]]:
    for i, pieces in folded.items():
        name, value = headers[i]
        headers[i] = (name, " ".join([value, *pieces]).strip())
    return headers


def _dechunk(data: bytes, r: _Reader, base: int) -> tuple[bytes, int]:
    """Decode a chunked body at the start of ``data``; return (body, bytes consumed)."""
    out = bytearray()
    pos = 0
    while True:
        end = data.find(b"\n", pos)
        if end < 0:
            raise FormatError(f"The chunked body ends without its final 0-size chunk (line {r.line_no(base + pos)}).",
                              line=r.line_no(base + pos))
        size_line = data[pos:end].strip()
        size_text = size_line.split(b";", 1)[0].strip()
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
            n = r.line_no(base + pos)
            raise FormatError(f"Line {n} should give a chunk size in hex but says {_decode(size_line)[:30]!r}.", line=n)
        size = int(size_text, 16)
        pos = end + 1
        if size == 0:
            while True:  # trailers up to a blank line (or the end)
                end = data.find(b"\n", pos)
                if end < 0:
                    return bytes(out), len(data)
                line = data[pos:end]
                pos = end + 1
                if not line.strip():
                    return bytes(out), pos
        if pos + size > len(data):
            n = r.line_no(base + pos)
            raise FormatError(f"The chunk at line {n} announces {size} bytes but only {len(data) - pos} follow.", line=n)
        out += data[pos:pos + size]
        pos += size
        if data[pos:pos + 2] == b"\r\n":
            pos += 2
        elif data[pos:pos + 1] == b"\n":
            pos += 1
        else:
            n = r.line_no(base + pos)
            raise FormatError(f"The chunk ending at line {n} is longer than its announced size ({size} bytes).", line=n)


def _content_length(headers: list[tuple[str, str]], warnings: list[str]) -> int | None:
    values = [v for k, v in headers if k.lower() == "content-length"]
    if not values:
        return None
    v = values[0].split(",")[0].strip()
    if not v.isdigit():
        warnings.append(f"The Content-Length {values[0]!r} is not a number; it was ignored.")
        return None
    return int(v)


def _is_chunked(headers: list[tuple[str, str]]) -> bool:
    return any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers)


def _scheme_for(host: str) -> str:
    m = re.match(r"^(\[[^\]]*\]|[^:]*)(?::(\d+))?$", host.strip())
    name, port = (m.group(1), m.group(2)) if m else (host, None)
    name = name.lower()
    if port in ("80", "8000", "8080"):
        return "http"
    loopback = name in ("localhost", "[::1]") or name.startswith("127.")
    if loopback and port != "443":
        return "http"
    return "https"


def _parse_request(r: _Reader, warnings: list[str], scheme: str | None) -> HttpRequest:
    n = r.line
    start = r.pos
    first = r.readline() or b""
    pseudo: dict[str, str] = {}
    if first.startswith(b":"):  # HTTP/2 pseudo-header block without a request line
        r.pos, r.line = start, n
        method, target, version = "", "", "HTTP/2"
    else:
        parts = first.split()
        target_ok = len(parts) >= 2 and (parts[1][:1] in (b"/", b"*") or b"://" in parts[1]
                                         or (parts[0].upper() == b"CONNECT" and b":" in parts[1]))
        if len(parts) not in (2, 3) or not _METHOD.match(parts[0]) or not target_ok \
                or (len(parts) == 3 and not _VERSION.match(parts[2])):
            raise FormatError(
                f"Line {n} should be a request line like 'POST /path HTTP/1.1' or a status line like "
                f"'HTTP/1.1 200 OK', but it is {_decode(first)[:60]!r}.", line=n)
        method, target = _decode(parts[0]), _decode(parts[1])
    all_headers = _headers(r)
    headers = []
    for k, v in all_headers:
        if k.startswith(":"):
            pseudo[k.lower()] = v
        else:
            headers.append((k, v))
    method = method or pseudo.get(":method", "")
    if not method:
        raise FormatError(f"The request at line {n} has no method.", line=n)
    target = target or pseudo.get(":path", "/")
    host = pseudo.get(":authority") or next((v for k, v in headers if k.lower() == "host"), None)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", target):
        url = target
    elif host:
        sch = scheme or pseudo.get(":scheme") or _scheme_for(host)
        url = f"{sch}://{host}{target if target.startswith('/') or target == '*' else '/' + target}"
    else:
        url = target
        warnings.append(f"The request at line {n} has no Host header, so its URL has no host: {target!r}.")
    # body: up to the response's status line (if any)
    rest = r.data[r.pos:]
    m = _STATUS_LINE.search(rest)
    region = rest[:m.start()] if m else rest
    chunked = _is_chunked(headers)
    body: bytes | None
    if chunked:
        body, used = _dechunk(region, r, r.pos)
    else:
        cl = _content_length(headers, warnings)
        if cl is not None:
            body = region[:cl]
            if len(body) < cl:
                warnings.append(f"The request's Content-Length says {cl} bytes but only {len(body)} were pasted.")
        else:
            stripped = region.rstrip(b"\r\n")
            body = stripped if stripped.strip() else None
    r.advance(len(region))
    return HttpRequest(method=method, url=url, headers=tuple(headers), body=body, chunked=chunked)


def _parse_response(r: _Reader, warnings: list[str]) -> HttpResponse:
    interim = 0
    while True:
        n = r.line
        first = r.readline() or b""
        m = re.match(rb"^(HTTP/\d(?:\.\d)?)[ \t]+(\d{3})(?:[ \t]+(.*))?$", first.strip(), re.I)
        if not m:
            raise FormatError(f"Line {n} should be a status line like 'HTTP/1.1 200 OK' but it is "
                              f"{_decode(first)[:60]!r}.", line=n)
        version, status, reason = _decode(m.group(1)).upper(), int(m.group(2)), _decode(m.group(3) or b"").strip()
        headers = _headers(r)
        if 100 <= status < 200 and r.at_status_line():
            interim += 1
            if interim <= _SHOWN_INTERIM:
                warnings.append(f"Skipped the interim response '{status} {reason}' at line {n}.")
            r.skip_blank()
            continue
        break
    if interim > _SHOWN_INTERIM:
        warnings.append(f"Skipped {interim - _SHOWN_INTERIM:,} more interim (1xx) responses.")
    headers = [(k, v) for k, v in headers if not k.startswith(":")]
    rest = r.data[r.pos:]
    framing: str
    if _is_chunked(headers):
        body, used = _dechunk(rest, r, r.pos)
        framing, wire = "chunked", used
        tail = rest[used:]
        if tail.strip():
            warnings.append(f"{len(tail.strip())} bytes follow the end of the chunked body; they were ignored.")
    else:
        cl = _content_length(headers, warnings)
        body = rest
        if cl is not None:
            framing = "content-length"
            if len(body) > cl and not body[cl:].strip(b"\r\n"):
                body = body[:cl]
        elif body.strip():
            framing = "close"
        else:
            framing, body = "none", b""
        wire = len(body)
    r.pos = len(r.data)
    rec = decode_recorded(body, header_value(tuple(headers), "Content-Encoding"))  # when the bytes are encoded
    if rec.note:
        warnings.append(rec.note)
    return HttpResponse(status=status, reason=reason, http_version=version, headers=tuple(headers), body=rec.body,
                        wire_bytes=wire, framing=framing,  # type: ignore[arg-type]
                        decoded_bytes=len(rec.body) if rec.decoded else None, body_truncated=rec.truncated)


@never_other_errors("raw HTTP text")
def parse_raw(text: str | bytes, *, scheme: str | None = None) -> RawImport:
    """Read a pasted request, response, or request followed by response."""
    data = _to_bytes(text)
    if len(data) > MAX_RAW_BYTES:
        raise FormatError(f"The raw HTTP text is {human_size(len(data))}; the most this reader takes is "
                          f"{human_size(MAX_RAW_BYTES)}. Paste the part with the request and the response headers.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    r = _Reader(data)
    r.skip_blank()
    if r.pos >= len(data):
        raise FormatError("The raw HTTP text is empty.")
    warnings: list[str] = []
    request = response = None
    if _STATUS_LINE.match(data, r.pos):
        response = _parse_response(r, warnings)
    else:
        request = _parse_request(r, warnings, scheme)
        r.skip_blank()
        if r.pos < len(data):
            response = _parse_response(r, warnings)
    return RawImport(request=request, response=response, warnings=tuple(warnings))


def _encode_chunked(body: bytes) -> bytes:
    return (f"{len(body):x}\r\n".encode() + body + b"\r\n" if body else b"") + b"0\r\n\r\n"


def _body_text(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


def render_raw_request(req: HttpRequest) -> str:
    """The request as HTTP/1.1 text. Origin-form target when the Host header gives back the same URL, else absolute."""
    parts = urlsplit(req.url)
    target = req.url
    host = req.header("Host")
    if parts.scheme and parts.netloc and host is not None and host == parts.netloc and not parts.fragment:
        origin = (parts.path or "/") + (f"?{parts.query}" if parts.query or req.url.endswith("?") else "")
        if parts.scheme == _scheme_for(host) and f"{parts.scheme}://{host}{origin}" == req.url:
            target = origin
    lines = [f"{req.method} {target} HTTP/1.1"] + [f"{k}: {v}" for k, v in req.headers]
    head = "\r\n".join(lines) + "\r\n\r\n"
    if req.body is None:
        return head
    body = _encode_chunked(req.body) if req.chunked else req.body
    return head + _body_text(body)


def render_raw_response(resp: HttpResponse) -> str:
    """The response as HTTP text (chunked bodies re-encoded when the headers say chunked)."""
    status = f"{resp.http_version} {resp.status}" + (f" {resp.reason}" if resp.reason else "")
    lines = [status] + [f"{k}: {v}" for k, v in resp.headers]
    body = _encode_chunked(resp.body) if _is_chunked(list(resp.headers)) else resp.body
    return "\r\n".join(lines) + "\r\n\r\n" + _body_text(body)
