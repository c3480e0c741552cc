"""Misbehaving on request: ``?misbehave=mode[,mode...]`` turns a correct answer into a faulty one."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

from .reply import NO_BODY_STATUSES, Reply, dump_json

MODES: dict[str, str] = {
    "no-content-type": "send the body without a Content-Type header",
    "wrong-content-type": "label the JSON body text/html",
    "xml": "send the error body as XML (<Error><Message/><Description/></Error>)",
    "problem": "send the error as application/problem+json (title/detail)",
    "bad-retry-after": "send 'Retry-After: soon' (not a number nor a date)",
    "huge-retry-after": "send 'Retry-After: 99999999'",
    "chunked": "chunked framing, no Content-Length",
    "close": "no Content-Length: the body ends when the server closes the connection (HTTP/1.0 style)",
    "wrong-length": "Content-Length larger than the body, then close the connection",
    "short-length": "Content-Length smaller than the body (extra bytes follow), then close",
    "length-on-204": "a 204 No Content that carries 'Content-Length: 5' (only on 204 answers)",
}

# When several framing modes are asked for, the first in this order wins.
_FRAMING_ORDER = ("length-on-204", "wrong-length", "short-length", "close", "chunked")
WRONG_LENGTH_EXTRA = 10
SHORT_LENGTH_MISSING = 5


class UnknownMode(ValueError):
    pass


def parse_modes(values: list[str]) -> list[str]:
    """``["xml,close", "chunked"]`` -> ``["xml", "close", "chunked"]``; unknown names raise UnknownMode (a sentence)."""
    modes: list[str] = []
    for value in values:
        for part in value.split(","):
            name = part.strip().lower()
            if not name:
                continue
            if name not in MODES:
                raise UnknownMode(f"Unknown misbehave mode '{name}'. Known modes: {', '.join(MODES)}.")
            if name not in modes:
                modes.append(name)
    return modes


def apply(reply: Reply, modes: list[str]) -> Reply:
    """Rewrite ``reply`` in place according to ``modes`` and return it."""
    if not modes:
        return reply
    data = reply.data
    if data is not None and reply.status not in NO_BODY_STATUSES and reply.stream is None:
        if "xml" in modes:
            reply.body = _xml(data)
            reply.set_header("Content-Type", "application/xml; charset=utf-8")
        elif "problem" in modes:
            reply.body = dump_json(_problem(reply, data))
            reply.set_header("Content-Type", "application/problem+json")
    if "wrong-content-type" in modes and reply.header("Content-Type") is not None:
        reply.set_header("Content-Type", "text/html; charset=utf-8")
    if "no-content-type" in modes:
        reply.remove_header("Content-Type")
    if "bad-retry-after" in modes:
        reply.set_header("Retry-After", "soon")
    elif "huge-retry-after" in modes:
        reply.set_header("Retry-After", "99999999")
    for mode in _FRAMING_ORDER:
        if mode not in modes:
            continue
        if mode == "length-on-204" and reply.status != 204:
            continue
        reply.framing = mode  # type: ignore[assignment]
        break
    return reply


def _xml(data: dict) -> bytes:
    parts = ["<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<Error>"]
    for key in ("Message", "Description"):
        if key in data:
            parts.append(f"  <{key}>{escape(str(data[key]))}</{key}>")
    for key, value in data.items():
        if key not in ("Message", "Description") and key.isidentifier():
            text = value if isinstance(value, str) else json.dumps(value)
            parts.append(f"  <{key}>{escape(text)}</{key}>")
    parts.append("</Error>")
    return ("\n".join(parts) + "\n").encode("utf-8")


def _problem(reply: Reply, data: dict) -> dict:
    problem: dict = {
        "type": "about:blank",
        "title": reply.reason or str(reply.status),
        "status": reply.status,
    }
    if "Message" in data:
        problem["detail"] = data["Message"]
    if "Description" in data:
        problem["description"] = data["Description"]
    return problem
