"""Small misbehaving HTTP servers for the transport tests: raw asyncio sockets on 127.0.0.1, so they can lie.

Each server is an async context manager: ``async with RawServer(handler) as srv: srv.url("/x")``.
A handler is ``async def handler(reader, writer, request)`` where ``request`` is the parsed ``Received``
(the request line, headers in wire order, and the body exactly as it came over the wire, chunk framing included).
"""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import socket
import ssl
import struct
import subprocess
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Received:
    method: str = ""
    target: str = ""
    version: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    raw_body: bytes = b""  # as on the wire (chunk sizes included when chunked)
    body: bytes = b""  # de-chunked
    framing: str = "none"

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter, Received], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> Received | None:
    """Parse one request from the socket; None when the client closed before sending one."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, version = (lines[0].split(" ", 2) + ["", ""])[:3]
    headers = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name, value.strip()))
    rec = Received(method=method, target=target, version=version, headers=headers)
    te = rec.header("Transfer-Encoding")
    cl = rec.header("Content-Length")
    if te and te.lower() == "chunked":
        rec.framing = "chunked"
        raw = bytearray()
        body = bytearray()
        while True:
            size_line = await reader.readuntil(b"\r\n")
            raw += size_line
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                trailer = await reader.readuntil(b"\r\n")
                raw += trailer
                break
            data = await reader.readexactly(size + 2)
            raw += data
            body += data[:-2]
        rec.raw_body, rec.body = bytes(raw), bytes(body)
    elif cl is not None:
        rec.framing = "content-length"
        rec.raw_body = rec.body = await reader.readexactly(int(cl))
    return rec


class RawServer:
    def __init__(self, handler: Handler, *, ssl_context: ssl.SSLContext | None = None, read: bool = True) -> None:
        self.handler = handler
        self.ssl_context = ssl_context
        self.read = read
        self.port = 0
        self.received: list[Received] = []
        self.connections = 0
        self.closed_connections = 0
        self.connection_closed = asyncio.Event()
        self.request_seen = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    def url(self, path: str = "/", scheme: str | None = None) -> str:
        scheme = scheme or ("https" if self.ssl_context else "http")
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._tasks.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            rec = Received()
            if self.read:
                got = await read_request(reader)
                if got is None:
                    return
                rec = got
                self.received.append(rec)
                self.request_seen.set()
            await self.handler(reader, writer, rec)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, asyncio.CancelledError):
            pass  # a test server ends quietly, even when cancelled at shutdown
        finally:
            try:
                writer.close()
            except Exception:
                pass
            self.closed_connections += 1
            self.connection_closed.set()
            self._tasks.discard(asyncio.current_task())  # type: ignore[arg-type]

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.ssl_context)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=2)
        await self._server.wait_closed()


# --- response helpers ------------------------------------------------------------------------------------


def response_head(status: int = 200, reason: str = "OK", headers: list[tuple[str, str]] | None = None,
                  version: str = "HTTP/1.1") -> bytes:
    lines = [f"{version} {status} {reason}"] + [f"{k}: {v}" for k, v in (headers or [])]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def send_and_close(writer: asyncio.StreamWriter, data: bytes) -> None:
    writer.write(data)
    await writer.drain()
    writer.close()


# --- handlers ------------------------------------------------------------------------------------------


async def echo(reader, writer, rec: Received) -> None:
    """200 with a JSON description of what arrived (headers in wire order, raw body, framing)."""
    body = json.dumps({
        "method": rec.method,
        "target": rec.target,
        "headers": rec.headers,
        "raw_body": rec.raw_body.decode("latin-1"),
        "body": rec.body.decode("latin-1"),
        "framing": rec.framing,
    }).encode()
    await send_and_close(writer, response_head(200, "OK", [("Content-Type", "application/json"),
                                                          ("Content-Length", str(len(body)))]) + body)


def fixed(status: int, reason: str, headers: list[tuple[str, str]], body: bytes = b"") -> Handler:
    async def handler(reader, writer, rec) -> None:
        await send_and_close(writer, response_head(status, reason, headers) + body)
    return handler


def short_body(declared: int, sent: int) -> Handler:
    return fixed(200, "OK", [("Content-Length", str(declared))], b"x" * sent)


def chunked(chunks: list[bytes], *, finish: bool = True) -> Handler:
    async def handler(reader, writer, rec) -> None:
        writer.write(response_head(200, "OK", [("Transfer-Encoding", "chunked")]))
        for c in chunks:
            writer.write(b"%x\r\n%s\r\n" % (len(c), c))
            await writer.drain()
        if finish:
            writer.write(b"0\r\n\r\n")
        await writer.drain()
        writer.close()
    return handler


def bad_chunk_size(line: bytes) -> Handler:
    """A chunked answer whose first chunk-size line is ``line`` (e.g. b"zz": not hexadecimal)."""
    async def handler(reader, writer, rec) -> None:
        head = response_head(200, "OK", [("Transfer-Encoding", "chunked")])
        await send_and_close(writer, head + line + b"\r\nabc\r\n0\r\n\r\n")
    return handler


def close_delimited(body: bytes) -> Handler:
    return fixed(200, "OK", [("Content-Type", "text/plain")], body)


def garbage(data: bytes = b"HELLO\r\n\r\n") -> Handler:
    async def handler(reader, writer, rec) -> None:
        await send_and_close(writer, data)
    return handler


def trickle(interval: float, total: int = 10_000) -> Handler:
    """Headers at once, then one body byte every ``interval`` seconds."""
    async def handler(reader, writer, rec) -> None:
        writer.write(response_head(200, "OK", [("Content-Length", str(total))]))
        await writer.drain()
        for _ in range(total):
            await asyncio.sleep(interval)
            writer.write(b"x")
            await writer.drain()
    return handler


def silent() -> Handler:
    """Reads the request, then never answers (until the client goes away)."""
    async def handler(reader, writer, rec) -> None:
        while await reader.read(1024):
            pass
    return handler


def reset() -> Handler:
    """Reads the request, then resets the connection (RST, SO_LINGER 0)."""
    async def handler(reader, writer, rec) -> None:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
    return handler


def redirect(location: str, status: int = 302) -> Handler:
    return fixed(status, "Found", [("Location", location), ("Content-Length", "0")])


def big(size: int, *, chunk: int = 256 * 1024) -> Handler:
    async def handler(reader, writer, rec) -> None:
        writer.write(response_head(200, "OK", [("Content-Length", str(size))]))
        left = size
        block = bytes(range(256)) * (chunk // 256)
        while left:
            part = block[: min(left, len(block))]
            writer.write(part)
            await writer.drain()
            left -= len(part)
        writer.close()
    return handler


def gzip_bytes(data_size: int) -> bytes:
    """gzip of ``data_size`` zero bytes, built in steps (no giant buffer)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    out = bytearray()
    block = b"\0" * (1024 * 1024)
    left = data_size
    while left:
        n = min(left, len(block))
        out += comp.compress(block[:n])
        left -= n
    out += comp.flush()
    return bytes(out)


def encoded(body: bytes, encoding: str) -> Handler:
    return fixed(200, "OK", [("Content-Encoding", encoding), ("Content-Length", str(len(body)))], body)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


# --- TLS -----------------------------------------------------------------------------------------------


def self_signed_context(tmp: Path, alpn: list[str] | None = None) -> ssl.SSLContext | None:
    """A server SSLContext with a fresh self-signed cert for 127.0.0.1, or None when openssl is missing."""
    openssl = shutil.which("openssl")
    if not openssl:
        return None
    key, cert = tmp / "key.pem", tmp / "cert.pem"
    result = subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        capture_output=True, timeout=60,
    )
    if result.returncode != 0:
        return None
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(cert), str(key))
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(coro, timeout: float = 30.0):
    """Run an async test body on a fresh event loop (pytest-asyncio is not used in this project)."""
    async def guarded():
        return await asyncio.wait_for(coro, timeout)
    return asyncio.run(guarded())


def routes(table: dict[str, Handler]) -> Handler:
    """Dispatch on the request path (without query); unknown paths get 404."""
    async def handler(reader, writer, rec) -> None:
        path = rec.target.split("?", 1)[0]
        await table.get(path, fixed(404, "Not Found", [("Content-Length", "0")]))(reader, writer, rec)
    return handler


async def keep_alive(reader, writer, rec: Received) -> None:
    """Answers 200 and keeps the connection open for further requests (so reuse would be visible)."""
    ok = response_head(200, "OK", [("Content-Length", "2"), ("Connection", "keep-alive")]) + b"ok"
    while rec is not None:
        writer.write(ok)
        await writer.drain()
        rec = await read_request(reader)


def h2_answer(body: bytes, *, content_length: bool = True) -> Handler:
    """An HTTP/2 server (use with read=False and an ALPN "h2" TLS context), built on the h2 state machine."""
    async def handler(reader, writer, rec) -> None:
        import h2.config
        import h2.connection
        import h2.events

        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        conn.initiate_connection()
        writer.write(conn.data_to_send())
        await writer.drain()
        while data := await reader.read(65535):
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    headers = [(":status", "200")] + ([("content-length", str(len(body)))] if content_length else [])
                    conn.send_headers(event.stream_id, headers)
                    conn.send_data(event.stream_id, body, end_stream=True)
            writer.write(conn.data_to_send())
            await writer.drain()
    return handler
