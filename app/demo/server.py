"""The practice server: behaves like the documented API, and misbehaves on request (owner: demo helper).

CONTRACT:
    class DemoServer:
        def __init__(self, host="127.0.0.1", port=0, *, rate_limit: int = 5, rate_window: float = 60.0,
                     catalog: StatusCatalog | None = None)
        async def start(self) -> str        # returns base URL "http://127.0.0.1:PORT"
        async def stop(self) -> None
        url: str
    class DemoServerThread:                 # the same server on its own thread + event loop (GUI, sync tests)
        def __init__(self, **kwargs)        # kwargs as DemoServer
        def start(self) -> str              # blocks until listening, returns base URL
        def stop(self) -> None
        url: str
    def serve_forever(host: str, port: int, on_ready: Callable[[str], None]) -> None   # used by `demo-server`

Extras: DemoServer also takes ``clock`` (an app.core.clock.Clock; rate limits and Date use it), ``idle_timeout``
(seconds a keep-alive connection may sit idle, default 30) and ``max_body`` (bytes of a request body kept).
The wire is written with h11; answers h11 would refuse (a lying Content-Length, a close-delimited body on
HTTP/1.1, a 204 with a length) are written as raw bytes, then the connection is closed.
Endpoints and misbehave modes: app/demo/routes.py and app/demo/misbehave.py (and ``GET /`` on a running server).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
from collections.abc import Callable
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

import h11

from app.core.clock import Clock

from .reply import NO_BODY_STATUSES, RAW_FRAMINGS, Reply, reason_phrase
from .misbehave import SHORT_LENGTH_MISSING, WRONG_LENGTH_EXTRA
from .request import DemoRequest
from .routes import DemoApp

if TYPE_CHECKING:
    from app.core.catalog import StatusCatalog

log = logging.getLogger("app.demo")

SERVER_NAME = "request-inspector-demo"
READ_SIZE = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024
DEFAULT_MAX_BODY = 16 * 1024 * 1024
DEFAULT_IDLE_TIMEOUT = 30.0

__all__ = ["DemoServer", "DemoServerThread", "serve_forever"]


class _ClientGone(Exception):
    """The client closed or went idle: end the connection without answering."""


class _IncompleteBody(Exception):
    def __init__(self, expected: int | None, received: int) -> None:
        super().__init__(f"expected {expected}, received {received}")
        self.expected = expected
        self.received = received


class DemoServer:
    """The practice API on an asyncio server. ``await start()`` returns the base URL."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rate_limit: int = 5,
        rate_window: float = 60.0,
        catalog: StatusCatalog | None = None,
        clock: Clock | None = None,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_body: int = DEFAULT_MAX_BODY,
        max_delay: float | None = None,
    ) -> None:
        self.host = host
        self.port = port
        extra: dict[str, Any] = {} if max_delay is None else {"max_delay": max_delay}
        self.app = DemoApp(rate_limit=rate_limit, rate_window=rate_window, catalog=catalog, clock=clock, **extra)
        self.clock = self.app.clock
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        self.url = ""
        self._server: asyncio.base_events.Server | None = None
        self._connections: set[asyncio.Task] = set()

    async def start(self) -> str:
        if self._server is not None:
            return self.url
        self._server = await asyncio.start_server(self._serve_connection, self.host, self.port)
        sock = self._server.sockets[0]
        self.port = sock.getsockname()[1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{host}:{self.port}"
        log.info("practice server listening on %s", self.url)
        return self.url

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.close()
        tasks = list(self._connections)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await server.wait_closed()

    async def __aenter__(self) -> DemoServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- one connection -------------------------------------------------------------------------------------------
    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._connections.add(task)
        peer = writer.get_extra_info("peername")
        client = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEADER_BYTES)
        try:
            while True:
                keep_open = await self._one_exchange(conn, reader, writer, client)
                if not keep_open or conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                    break
                conn.start_next_cycle()
        except (_ClientGone, ConnectionError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass
        except Exception:  # one bad client must never take the server down
            log.exception("practice server: connection from %s failed", client)
        finally:
            if task is not None:
                self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _one_exchange(self, conn: h11.Connection, reader: asyncio.StreamReader,
                            writer: asyncio.StreamWriter, client: str) -> bool:
        """Read one request, answer it. Returns False when the connection must close."""
        try:
            event = await self._next_event(conn, reader, idle_ok=True)
        except h11.RemoteProtocolError as exc:
            status = exc.error_status_hint if 400 <= exc.error_status_hint < 600 else 400
            reply = self.app.error(status, f"The request could not be read as HTTP/1.1: {exc}.")
            reply.close = True
            await self._send(conn, writer, None, reply)
            return False
        if isinstance(event, h11.ConnectionClosed):
            return False
        assert isinstance(event, h11.Request), event
        req = DemoRequest(
            method=event.method.decode("ascii", "replace"),
            target=event.target.decode("latin-1"),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in event.headers.raw_items()],
            http_version=event.http_version.decode("ascii", "replace"),
            client=client,
        )
        cl = req.header("Content-Length")
        req.content_length = int(cl) if cl is not None and cl.strip().isdigit() else None
        req.chunked = "chunked" in (req.header("Transfer-Encoding") or "").lower()
        if conn.they_are_waiting_for_100_continue:
            writer.write(conn.send(h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")))
        try:
            await self._read_body(conn, reader, req)
        except _IncompleteBody as exc:
            expected = f"{exc.expected} bytes" if exc.expected is not None else "a chunked body"
            if exc.expected is not None:
                reply = self.app.error(411, f"The Content-Length header announced {expected} but the connection "
                                            f"ended after {exc.received}.")
            else:
                reply = self.app.error(400, f"The request announced {expected} but the connection ended after "
                                            f"{exc.received} bytes, before the body was complete.")
            reply.close = True
            await self._send(conn, writer, req, reply)
            return False
        try:
            reply = await self.app.handle(req)
        except Exception as exc:
            log.exception("practice server: %s %s failed", req.method, req.target)
            reply = self.app.error(500, f"The practice server failed while answering: {type(exc).__name__}: {exc}")
        log.info("%s %s %s -> %s", client, req.method, req.target, reply.status)
        return await self._send(conn, writer, req, reply)

    async def _next_event(self, conn: h11.Connection, reader: asyncio.StreamReader, *, idle_ok: bool = False) -> Any:
        while True:
            event = conn.next_event()
            if event is not h11.NEED_DATA:
                return event
            try:
                data = await asyncio.wait_for(reader.read(READ_SIZE), self.idle_timeout)
            except (TimeoutError, asyncio.TimeoutError):
                raise _ClientGone("idle") from None
            conn.receive_data(data)

    async def _read_body(self, conn: h11.Connection, reader: asyncio.StreamReader, req: DemoRequest) -> None:
        kept: list[bytes] = []
        kept_len = 0
        while True:
            try:
                event = await self._next_event(conn, reader)
            except h11.RemoteProtocolError:
                raise _IncompleteBody(req.content_length, req.body_length) from None
            if isinstance(event, h11.Data):
                req.body_length += len(event.data)
                room = self.max_body - kept_len
                if room > 0:
                    kept.append(bytes(event.data[:room]))
                    kept_len += min(room, len(event.data))
                if len(event.data) > room:
                    req.body_truncated = True
            elif isinstance(event, h11.EndOfMessage):
                break
            elif isinstance(event, h11.ConnectionClosed):
                raise _IncompleteBody(req.content_length, req.body_length)
        req.body = b"".join(kept)

    # -- writing --------------------------------------------------------------------------------------------------
    def _final_headers(self, reply: Reply) -> list[tuple[str, str]]:
        headers = [("Date", formatdate(self.clock.now(), usegmt=True)), ("Server", SERVER_NAME)]
        headers += [(k, v) for k, v in reply.headers if k.lower() not in ("content-length", "transfer-encoding")]
        if reply.close:
            headers.append(("Connection", "close"))
        return headers

    async def _send(self, conn: h11.Connection, writer: asyncio.StreamWriter, req: DemoRequest | None,
                    reply: Reply) -> bool:
        head_only = req is not None and req.method == "HEAD"
        if reply.framing in RAW_FRAMINGS:
            await self._send_raw(writer, reply, head_only)
            return False
        headers = self._final_headers(reply)
        has_body = reply.status not in NO_BODY_STATUSES
        if has_body and reply.framing == "content-length":
            length = len(reply.body) if reply.stream is None else reply.length
            if length is not None:
                headers.append(("Content-Length", str(length)))
        # chunked (or a stream of unknown length): no Content-Length, h11 adds Transfer-Encoding: chunked.
        response = h11.Response(status_code=reply.status, headers=[(k.encode("latin-1"), v.encode("latin-1"))
                                                                  for k, v in headers],
                                reason=reply.reason.encode("ascii"))
        try:
            writer.write(conn.send(response))
            if has_body and not head_only:
                if reply.stream is not None:
                    async for piece in reply.stream():
                        if piece:
                            writer.write(conn.send(h11.Data(data=piece)))
                            await writer.drain()
                elif reply.body:
                    writer.write(conn.send(h11.Data(data=reply.body)))
            writer.write(conn.send(h11.EndOfMessage()))
            await writer.drain()
        except h11.LocalProtocolError as exc:
            log.warning("practice server: could not send %s: %s", reply.status, exc)
            return False
        return not reply.close

    async def _send_raw(self, writer: asyncio.StreamWriter, reply: Reply, head_only: bool) -> None:
        """Bytes h11 would refuse to write: framing that lies. The connection is closed afterwards."""
        framing = reply.framing
        if reply.stream is not None and reply.length is None and framing in ("wrong-length", "short-length"):
            framing = "close"  # a lie about a length needs a length: never buffer a stream to learn it
        headers = self._final_headers(reply)
        headers = [(k, v) for k, v in headers if k.lower() != "connection"] + [("Connection", "close")]
        known = len(reply.body) if reply.stream is None else (reply.length or 0)
        length: int | None
        if framing == "length-on-204":
            length = 5
        elif framing == "wrong-length":
            length = known + WRONG_LENGTH_EXTRA
        elif framing == "short-length":
            length = max(0, known - SHORT_LENGTH_MISSING)
        else:  # close-delimited
            length = None
        if length is not None:
            headers.append(("Content-Length", str(length)))
        head = f"HTTP/1.1 {reply.status} {reply.reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        writer.write(head.encode("latin-1"))
        if not head_only and reply.status not in NO_BODY_STATUSES and framing != "length-on-204":
            if reply.stream is not None:
                async for piece in reply.stream():
                    writer.write(piece)
                    await writer.drain()
            else:
                writer.write(reply.body)
        await writer.drain()
        with contextlib.suppress(Exception):
            writer.write_eof()


class DemoServerThread:
    """The same server on its own thread with its own event loop (for the GUI and synchronous tests)."""

    def __init__(self, **kwargs: Any) -> None:
        self._kwargs = kwargs
        self._server: DemoServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None
        self.url = ""

    @property
    def server(self) -> DemoServer | None:
        return self._server

    def start(self) -> str:
        """Start listening; blocks until the server accepts connections and returns its base URL."""
        if self._thread is not None:
            return self.url
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._main(ready, failure))
            finally:
                ready.set()
                loop.close()

        self._thread = threading.Thread(target=run, name="demo-server", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self.url

    async def _main(self, ready: threading.Event, failure: list[BaseException]) -> None:
        self._stopped = asyncio.Event()
        try:
            self._server = DemoServer(**self._kwargs)
            self.url = await self._server.start()
        except BaseException as exc:
            failure.append(exc)
            return
        ready.set()
        try:
            await self._stopped.wait()
        finally:
            await self._server.stop()

    def stop(self) -> None:
        """Close the server and join its thread (calling it twice is fine)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended
                loop.call_soon_threadsafe(stopped.set)
        thread.join(timeout=10)

    def __enter__(self) -> DemoServerThread:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(host: str, port: int, on_ready: Callable[[str], None], **kwargs: Any) -> None:
    """Run the practice server until Ctrl+C or SIGTERM; ``on_ready(url)`` is called once it listens.

    Extra keyword arguments go to DemoServer (rate_limit, rate_window, ...).
    """

    async def main() -> None:
        server = DemoServer(host, port, **kwargs)
        url = await server.start()
        done = asyncio.Event()
        loop = asyncio.get_running_loop()
        installed = []
        for sig in (signal.SIGTERM, getattr(signal, "SIGINT", None)):
            if sig is None:
                continue
            try:
                loop.add_signal_handler(sig, done.set)
                installed.append(sig)
            except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
                pass
        try:
            on_ready(url)
            await done.wait()
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)
            await server.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
