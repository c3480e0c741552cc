"""Raw-socket helpers for byte-exact framing checks against the practice server."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


def address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or 80


def exchange(url: str, request: bytes, *, shut_write: bool = False, timeout: float = 5.0) -> bytes:
    """Send ``request`` bytes, read until the server closes the connection, return everything received."""
    with socket.create_connection(address(url), timeout=timeout) as sock:
        sock.sendall(request)
        if shut_write:
            sock.shutdown(socket.SHUT_WR)
        return read_until_close(sock)


def read_until_close(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        data = sock.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def request(method: str, target: str, headers: list[tuple[str, str]] | None = None, body: bytes = b"",
            close: bool = True) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers or []]
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class RawResponse:
    status_line: str
    headers: list[tuple[str, str]]
    body: bytes  # everything after the blank line, exactly as received

    @property
    def status(self) -> int:
        return int(self.status_line.split(" ")[1])

    def values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def header(self, name: str) -> str | None:
        found = self.values(name)
        return found[0] if found else None


def parse(raw: bytes) -> RawResponse:
    head, sep, body = raw.partition(b"\r\n\r\n")
    assert sep, f"no end of headers in {raw[:200]!r}"
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    return RawResponse(lines[0], headers, body)


def dechunk(body: bytes) -> bytes:
    """Decode a chunked body; asserts it ends with the zero chunk."""
    out = []
    rest = body
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            assert rest.startswith(b"\r\n"), rest[:20]
            return b"".join(out)
        out.append(rest[:size])
        assert rest[size:size + 2] == b"\r\n"
        rest = rest[size + 2:]
