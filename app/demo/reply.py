"""What a handler answers: status, headers, body (bytes or a stream), and how to frame it on the wire."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Literal

from app.core.models import header_value

# content-length: h11 with a Content-Length header; chunked: h11 chunked; the raw ones bypass h11 and close:
# close (no length, body ends when the connection closes), wrong-length (Content-Length larger than the body),
# short-length (Content-Length smaller than the body), length-on-204 (a 204 carrying Content-Length: 5).
WireFraming = Literal["content-length", "chunked", "close", "wrong-length", "short-length", "length-on-204"]
RAW_FRAMINGS = frozenset({"close", "wrong-length", "short-length", "length-on-204"})
NO_BODY_STATUSES = frozenset({204, 304})

BodyStream = Callable[[], AsyncIterator[bytes]]


def reason_phrase(code: int) -> str:
    """The standard reason phrase for ``code`` ("" for codes the standard does not name)."""
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return ""


@dataclass
class Reply:
    """One answer. ``body`` is bytes; ``stream`` (a factory of an async iterator) replaces it for large bodies.

    ``length`` is the Content-Length to announce for a stream (None: unknown, so chunked framing).
    ``data`` keeps the JSON object behind a JSON body so misbehaviours can re-render it (XML, problem+json).
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    stream: BodyStream | None = None
    length: int | None = None
    framing: WireFraming = "content-length"
    data: dict | None = None
    close: bool = False

    def header(self, name: str) -> str | None:
        return header_value(self.headers, name)

    def set_header(self, name: str, value: str) -> None:
        self.remove_header(name)
        self.headers.append((name, value))

    def remove_header(self, name: str) -> None:
        low = name.lower()
        self.headers = [(k, v) for k, v in self.headers if k.lower() != low]

    @property
    def reason(self) -> str:
        return reason_phrase(self.status)


def dump_json(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def json_reply(status: int, data: dict | list, headers: list[tuple[str, str]] | None = None) -> Reply:
    """A JSON answer (no body at all for 204/304, as HTTP requires)."""
    hdrs = list(headers or [])
    if status in NO_BODY_STATUSES:
        return Reply(status, hdrs)
    hdrs.insert(0, ("Content-Type", "application/json"))
    return Reply(status, hdrs, dump_json(data), data=data if isinstance(data, dict) else None)
