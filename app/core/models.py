"""Plain data shared by every layer: a request as sent, a response as received, findings.

Pure Python: no Qt, no httpx. Everything here is immutable so it can cross threads and be
compared in tests. Header lists keep their order and duplicates (they are what went on the wire).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Headers = tuple[tuple[str, str], ...]
Severity = Literal["error", "warning", "info"]
Side = Literal["request", "response"]
# How a response body was delimited on the wire.
Framing = Literal["content-length", "chunked", "close", "none", "unknown"]


def header_values(headers: Headers, name: str) -> list[str]:
    """All values of header ``name`` (case-insensitive), in wire order."""
    low = name.lower()
    return [v for k, v in headers if k.lower() == low]


def header_value(headers: Headers, name: str) -> str | None:
    """The first value of header ``name`` (case-insensitive), or None when absent."""
    values = header_values(headers, name)
    return values[0] if values else None


def media_type(content_type: str | None) -> str | None:
    """``'application/json; charset=utf-8'`` -> ``'application/json'`` (lower-cased), None stays None."""
    if content_type is None:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


@dataclass(frozen=True)
class HttpRequest:
    """A request as it will be sent (editor) or as it was sent (transport, imported exchange).

    ``body`` is None when the request has no body at all; ``b""`` is an empty body.
    ``chunked`` is True when the body goes out with ``Transfer-Encoding: chunked`` (no Content-Length).
    ``headers`` are exactly the headers on the wire when this describes a sent request.
    ``unrecorded_body_bytes``: a body of that many bytes was sent but its bytes were not recorded (browsers often
    leave a request body out of a HAR); ``body`` is then None.
    """

    method: str
    url: str
    headers: Headers = ()
    body: bytes | None = None
    chunked: bool = False
    unrecorded_body_bytes: int | None = None

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)


@dataclass(frozen=True)
class HttpResponse:
    """A response as received.

    ``body`` is the decoded body as far as it is kept in memory (it may be a truncated preview;
    then ``body_truncated`` is True and ``body_path`` may name a temp file with the whole of it).
    ``wire_bytes`` is the number of body bytes received on the wire before content decoding,
    or None when unknown (a pasted response). ``framing`` says how the body was delimited.
    """

    status: int
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: Headers = ()
    body: bytes = b""
    wire_bytes: int | None = None
    framing: Framing = "unknown"
    body_truncated: bool = False
    body_path: str | None = None
    decoded_bytes: int | None = None

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)


@dataclass(frozen=True)
class Finding:
    """One observation about a header. ``id`` is a stable contract (see app/core/findings.py)."""

    id: str
    severity: Severity
    side: Side
    header: str
    text: str

    def to_json(self) -> dict:
        return {"id": self.id, "severity": self.severity, "side": self.side, "header": self.header, "text": self.text}


@dataclass(frozen=True)
class DocumentedStatus:
    """What the API's documentation page (or, failing that, the HTTP standard) says about a status code.

    ``source`` is ``"api-docs"`` (a markdown page), ``"openapi"`` (an OpenAPI document; ``section`` is then the
    operation's id or "METHOD /path") or ``"http-standard"``. ``note`` carries a documentation remark such as
    the page's erratum (204 listed as 200 "No Content").
    """

    code: int
    status: str
    description: str
    section: str
    source: Literal["api-docs", "openapi", "http-standard"]
    note: str | None = None

    @property
    def provenance(self) -> str:
        """Where the explanation comes from, as shown to people: 'API documentation · Client' or the standard."""
        if self.source == "openapi":
            return f"OpenAPI document · {self.section}"
        if self.source == "api-docs":
            return f"API documentation · {self.section}" if self.section else "API documentation"
        return "not in the API documentation · HTTP standard meaning"

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "status": self.status,
            "description": self.description,
            "section": self.section,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True)
class Timing:
    """Phase durations in seconds (None when the phase did not happen, e.g. TLS on http://)."""

    connect: float | None = None
    tls: float | None = None
    request_sent: float | None = None
    first_byte: float | None = None
    download: float | None = None
    total: float | None = None

    def to_json(self) -> dict:
        return {k: (None if v is None else round(v, 6)) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class TransportError:
    """A request that got no (complete) response. ``kind`` is a short stable word, ``text`` a plain sentence."""

    kind: str
    text: str
    detail: str = ""

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class Exchange:
    """One request/response pair, as the transport produced it or as an importer rebuilt it."""

    request: HttpRequest
    response: HttpResponse | None
    timing: Timing = field(default_factory=Timing)
    error: TransportError | None = None
    started_at: float | None = None  # epoch seconds
    notes: tuple[str, ...] = ()  # e.g. "typed Content-Length could not be sent; sent the real length"
