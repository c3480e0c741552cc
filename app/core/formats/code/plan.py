"""What every code generator works from: the request as the app would send it, its body cut into pieces.

A body is bytes, except where a part of it is the content of a file the user chose (a binary body, a multipart
file part): that part is a :class:`FileRef`, so the generated code reads the file instead of holding its bytes.
The pieces joined with the files' contents are exactly the body the app sends.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.models import Headers, HttpRequest


class CodeError(ValueError):
    """A request a target's language cannot hold (a sentence naming what and why)."""


@dataclass(frozen=True)
class FileRef:
    """The whole content of the file at ``path``, as one piece of a body."""

    path: str


Piece = bytes | FileRef


@dataclass(frozen=True)
class Plan:
    """Method, URL, headers in order and body pieces (None: no body at all) of one request."""

    method: str
    url: str
    headers: Headers
    body: tuple[Piece, ...] | None
    data: bytes | None = None  # the whole body's bytes, for targets that cannot read a file part

    @property
    def content_type_missing(self) -> bool:
        """A body goes out without Content-Type: the generated code must not let its library add one."""
        return self.body is not None and not any(n.lower() == "content-type" for n, _ in self.headers)

    @property
    def whole_file(self) -> FileRef | None:
        """The file whose content is the whole body, if it is one."""
        if self.body is not None and len(self.body) == 1 and isinstance(self.body[0], FileRef):
            return self.body[0]
        return None

    @property
    def inline(self) -> bytes | None:
        """The body when it holds no file piece (None when there is no body or a file piece)."""
        if self.body is None or any(isinstance(p, FileRef) for p in self.body):
            return None
        return b"".join(p for p in self.body if isinstance(p, bytes))


def body_pieces(body: bytes | None, files: Sequence[tuple[str, bytes]] = ()) -> tuple[Piece, ...] | None:
    """``body`` with the contents of ``files`` (path, bytes read), in order, replaced by references to them.

    A file that is the whole body is one reference; a multipart file part is found right after its part's head
    (a blank line) and before the next boundary. A file whose bytes are not found there stays inline.
    """
    if body is None:
        return None
    if len(files) == 1 and files[0][1] == body and body:
        return (FileRef(files[0][0]),)
    pieces: list[Piece] = []
    cursor = 0
    for path, data in files:
        if not data:
            continue
        at = body.find(b"\r\n\r\n" + data + b"\r\n--", cursor)
        if at < 0:
            continue
        start = at + 4
        pieces += [body[cursor:start], FileRef(path)]
        cursor = start + len(data)
    pieces.append(body[cursor:])
    return tuple(p for p in pieces if p != b"") or (b"",)


def plan_of(request: HttpRequest, files: Sequence[tuple[str, bytes]] = ()) -> Plan:
    return Plan(request.method, request.url, request.headers, body_pieces(request.body, files), request.body)


def as_text(data: bytes) -> str | None:
    """``data`` as text when it is UTF-8 without NUL (fits a string literal on every target), else None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def shell_feed(pieces: tuple[Piece, ...]) -> str:
    """bash words that write the body to standard output: ``base64 -d`` for bytes (a NUL cannot be in a shell word),
    ``cat`` for files."""
    from app.core.formats.curl.export import bash_quote

    feeds = [f"cat {bash_quote(p.path)}" if isinstance(p, FileRef)
             else f"base64 -d <<< {base64.b64encode(p).decode()}" for p in pieces]
    return feeds[0] if len(feeds) == 1 else "{ " + "; ".join(feeds) + "; }"
