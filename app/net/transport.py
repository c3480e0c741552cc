"""Sending one request with httpx (owner: transport helper).

CONTRACT:
    @dataclass(frozen=True) class SendOptions:
        timeout: float = 30.0            # httpx per-phase timeouts
        deadline: float | None = None    # overall wall-clock limit for the whole exchange (defaults to 2 * timeout + 30)
        follow_redirects: bool = False
        verify: bool = True
        http2: bool = False
        memory_body_limit: int = 4 MiB   # bigger bodies spill to a temp file (response.body_path), body = preview
        max_body_bytes: int = 1 GiB      # wire bytes cap -> TransportError kind "too-large"
        max_decoded_bytes: int = 1 GiB   # decoding cap -> TransportError kind "decompression-bomb"
    Progress = Callable[[int, int | None], None]   # (wire bytes so far, expected total or None)
    class Transport:
        def __init__(self, temp_dir: str | None = None)      # builds AsyncClients lazily, reused (no keep-alive)
        async def send(self, request: HttpRequest, options: SendOptions = SendOptions(),
                       progress: Progress | None = None) -> Exchange
            # never raises for network trouble: Exchange.error is a TransportError with a plain sentence.
            # asyncio.CancelledError propagates (the caller cancelled).
            # Exchange.request = the request as actually sent (every header on the wire, incl. those httpx added).
            # A typed Content-Length that cannot be sent -> real length sent, Exchange.notes says so.
        async def aclose(self) -> None

Decisions (documented here, tested in tests/net/test_transport.py):
- One httpx.AsyncClient per (verify, http2), built in a worker thread on first use (30-90 ms), with
  ``Limits(max_keepalive_connections=0)``: every send opens a fresh connection; no ``Connection: close`` is added.
- ``trust_env=True``: HTTP(S)_PROXY/ALL_PROXY/NO_PROXY apply like in curl, except for loopback (127.0.0.1, localhost,
  [::1]), which always goes direct. Certificates: SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's bundle; an
  SSL_CERT_FILE naming a missing file falls back to certifi (with a note) instead of breaking every send.
- Default headers: ``User-Agent: request-inspector/<version>`` unless typed; ``Accept-Encoding: gzip, deflate, br,
  zstd`` (what app.net.body can decode with caps, as a browser offers) unless typed; httpx's Accept and Connection
  stay. All appear in the sent headers.
- The deadline defaults to ``2 * timeout + 30`` seconds and covers the whole exchange, redirects included.
- Failures after the response head arrived (incomplete body, too-large, decompression-bomb, decode-error, timeout,
  reset) return an Exchange with BOTH ``response`` (status, headers, partial body, wire_bytes as received) and ``error``.
- Redirects (when followed) are followed here, not by httpx, at most 10: every hop is a note; secret headers
  (Authorization, Cookie, Proxy-Authorization, *-Key, *-Token, *-Secret, ...) never go to another origin; the
  Exchange is the last hop's (its request, response and timing) with ``total`` timing of the whole chain.
- No cookie jar: the clients refuse to store cookies (httpx would keep every Set-Cookie and send it to later
  requests of any tab), so only the typed Cookie header is sent. Cookies set by redirect responses of one send go
  on only to their own origin (app.net.cookies), with a note.
- Body temp files (``body_path``) are created in ``temp_dir`` (None: the system temp folder) and are never deleted
  here (the caller/history owns them), except those of redirect hops (not read at all), of a cancelled send, of
  a decompression bomb (its output is kept only as the in-memory preview) and of a body that would fill the disk.
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit

import httpx

from app.core.models import Exchange, Framing, HttpRequest, HttpResponse, Timing, TransportError, header_value
from app.net import errors
from app.net.contract import GiB, MiB, Progress, SendOptions  # noqa: F401 (SendOptions: part of this module's surface)
from app.net.body import SUPPORTED_ENCODINGS, BodySink, ChainDecoder, DecodeError, DiskReserveError
from app.net.cookies import NoCookieJar, RedirectCookies
from app.net.prepare import REDIRECT_STATUSES, Prepared, prepare, redirect_request
from app.net.trace import TraceRecorder

MAX_REDIRECTS = 10
PROGRESS_EVERY = 64 * 1024
_LOOPBACK_MOUNTS = ("all://127.0.0.1", "all://localhost", "all://[::1]")

# httpx/httpcore import these on the first send; importing them with this module (which the GUI does on a worker
# thread) keeps that ~55 ms off the event loop's first request.
_FIRST_SEND_MODULES = ("anyio._backends._asyncio", "anyio._core._synchronization", "anyio._core._sockets",
                       "anyio.streams.tls", "httpcore._async.http11", "httpcore._async.connection")


def _preload_first_send_modules() -> None:
    import importlib

    for name in _FIRST_SEND_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # an optional speed-up only
            pass


_preload_first_send_modules()


def user_agent() -> str:
    """``request-inspector/<version>``, the default User-Agent; read when the first client is built (the version
    comes from importlib.metadata, ~8 ms that importing this module need not pay)."""
    from app import __version__

    return f"request-inspector/{__version__}"


def __getattr__(name: str) -> str:
    if name == "USER_AGENT":  # the default User-Agent, as a module attribute (computed when first asked for)
        return user_agent()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class _Hop:
    """Everything known about one request/response so far (what a deadline or error must still report)."""

    request: HttpRequest
    prepared: Prepared | None = None
    trace: TraceRecorder = field(default_factory=TraceRecorder)
    sent_headers: tuple[tuple[str, str], ...] | None = None
    response: httpx.Response | None = None
    sink: BodySink | None = None
    wire_bytes: int = 0
    notes: list[str] = field(default_factory=list)
    error: TransportError | None = None
    stopped_early: bool = False  # we stopped reading a body that had more (caps, deadline)

    def declared_length(self) -> int | None:
        if self.response is None:
            return None
        value = self.response.headers.get("content-length")
        try:
            return int(value) if value is not None else None
        except ValueError:
            return None

    def context(self) -> errors.ErrorContext:
        return errors.ErrorContext(
            url=self.request.url,
            declared_length=self.declared_length(),
            wire_bytes=self.wire_bytes,
            response_started=self.response is not None,
        )


READ_PIECE = MiB


def _read_bigger_pieces() -> None:
    """HTTP/1.1 bodies are read up to 1 MiB per socket read instead of httpcore's 64 KiB (its class attribute
    ``READ_NUM_BYTES``; the asyncio stack costs the same per piece whatever its size). Measured with
    tests/bench/bench_receive.py: 1 GB in 2.11 s -> 1.47 s, against 1.46 s for a plain (synchronous) httpx script."""
    try:
        from httpcore._async.http11 import AsyncHTTP11Connection
    except ImportError:  # another httpcore layout: its own default stays
        return
    if getattr(AsyncHTTP11Connection, "READ_NUM_BYTES", 0) < READ_PIECE:
        AsyncHTTP11Connection.READ_NUM_BYTES = READ_PIECE


class Transport:
    """Sends HttpRequests with httpx; one client per (verify, http2), fresh connection per send."""

    def __init__(self, temp_dir: str | None = None) -> None:
        self.temp_dir = temp_dir
        self._clients: dict[tuple[bool, bool], httpx.AsyncClient] = {}
        self._lock: asyncio.Lock | None = None
        self._client_notes: list[str] = []

    # --- clients ---------------------------------------------------------------------------------------

    async def _client(self, options: SendOptions) -> httpx.AsyncClient:
        key = (bool(options.verify), bool(options.http2))
        client = self._clients.get(key)
        if client is not None:
            return client
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = await asyncio.to_thread(self._build_client, *key)
                self._clients[key] = client
        return client

    def _ssl_context(self, verify: bool) -> ssl.SSLContext | bool:
        if not verify:
            return False
        cafile = os.environ.get("SSL_CERT_FILE")
        if cafile:
            if os.path.isfile(cafile):
                return ssl.create_default_context(cafile=cafile)
            self._client_notes.append(
                f"SSL_CERT_FILE names '{cafile}', which does not exist; certifi's certificate bundle was used instead."
            )
        capath = os.environ.get("SSL_CERT_DIR")
        if capath and os.path.isdir(capath):
            return ssl.create_default_context(capath=capath)
        import certifi

        return ssl.create_default_context(cafile=certifi.where())

    def _build_client(self, verify: bool, http2: bool) -> httpx.AsyncClient:
        _read_bigger_pieces()
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
        return httpx.AsyncClient(
            verify=self._ssl_context(verify),
            http2=http2,
            limits=limits,
            trust_env=True,
            follow_redirects=False,
            cookies=NoCookieJar(),
            headers={"User-Agent": user_agent(), "Accept-Encoding": ", ".join(SUPPORTED_ENCODINGS)},
            mounts={pattern: None for pattern in _LOOPBACK_MOUNTS},  # loopback never through a proxy
        )

    async def warm(self, options: SendOptions | None = None) -> None:
        """Build the client for ``options`` now (httpx client, TLS context), so the first send does not pay for it."""
        await self._client(options or SendOptions())

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()

    # --- sending ---------------------------------------------------------------------------------------

    async def send(
        self, request: HttpRequest, options: SendOptions = SendOptions(), progress: Progress | None = None
    ) -> Exchange:
        try:  # built once per (verify, http2) and cached: its cost is not part of this request's time
            await self._client(options)
        except Exception:
            pass  # _send_hop meets the same failure again and reports it as a sentence
        started_at = time.time()
        t0 = time.perf_counter()
        deadline = options.effective_deadline
        chain_notes: list[str] = []
        hop = _Hop(request=request)
        cookies = RedirectCookies()
        try:
            async with asyncio.timeout(deadline):
                current = request
                for number in range(MAX_REDIRECTS + 1):
                    hop = _Hop(request=current)
                    follow = options.follow_redirects and number < MAX_REDIRECTS
                    await self._send_hop(hop, options, progress, follow_redirects=follow)
                    location = _redirect_location(hop, options)
                    if location is None:
                        break
                    if number == MAX_REDIRECTS:
                        hop.error = TransportError(
                            "too-many-redirects",
                            f"The server redirected more than {MAX_REDIRECTS} times; the last redirect was not followed.",
                            f"last Location: {location}",
                        )
                        break
                    status = hop.response.status_code if hop.response is not None else 0
                    next_request, notes = redirect_request(current, status, location)
                    set_cookies = hop.response.headers.get_list("set-cookie") if hop.response is not None else []
                    notes += cookies.remember(current.url, status, set_cookies, next_request.url)
                    next_request, cookie_notes = cookies.apply(next_request)
                    chain_notes.extend(hop.notes)
                    chain_notes.append(f"Redirect {number + 1}: {status} from {current.url} to {next_request.url}.")
                    chain_notes.extend(notes + cookie_notes)
                    current = next_request
        except TimeoutError:
            hop.error = errors.deadline_error(deadline, hop.context())
            hop.stopped_early = hop.response is not None
        except asyncio.CancelledError:
            if hop.sink is not None:
                hop.sink.discard()  # nobody will see this exchange: its spilled body goes too
            raise
        except Exception as exc:  # a bug of ours or an unforeseen library error: still a sentence
            hop.error = errors.map_exception(exc, hop.context())
        total = time.perf_counter() - t0
        return self._exchange(hop, started_at, chain_notes, total)

    async def _send_hop(
        self, hop: _Hop, options: SendOptions, progress: Progress | None, *, follow_redirects: bool
    ) -> None:
        prepared = prepare(hop.request)
        if isinstance(prepared, TransportError):
            hop.error = prepared
            return
        hop.prepared = prepared
        hop.notes.extend(prepared.notes)
        response: httpx.Response | None = None
        try:
            client = await self._client(options)
            content = prepared.body_stream() if prepared.chunked else prepared.content
            built = client.build_request(
                prepared.method,
                prepared.url,
                headers=prepared.headers,
                content=content,
                timeout=httpx.Timeout(options.timeout),
                extensions={"trace": hop.trace},
            )
            hop.sent_headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in built.headers.raw)
            hop.trace.mark_start()
            response = await client.send(built, stream=True)
            hop.response = response
            if follow_redirects and _redirect_location(hop, options) is not None:
                return  # the body of a followed redirect is not read
            await self._read_body(hop, response, options, progress)
        except Exception as exc:
            hop.error = errors.map_exception(exc, replace(hop.context(), timeout=options.timeout))
            hop.stopped_early = hop.response is not None and hop.error.kind == "timeout"
        finally:
            hop.trace.mark_end()
            if hop.sink is not None:
                hop.sink.close()
            if response is not None:
                await response.aclose()

    async def _read_body(
        self, hop: _Hop, response: httpx.Response, options: SendOptions, progress: Progress | None
    ) -> None:
        sink = BodySink(options.memory_body_limit, self.temp_dir)
        hop.sink = sink
        declared = hop.declared_length()
        if declared is not None and declared > options.max_body_bytes:
            hop.error = errors.too_large(options.max_body_bytes, hop.context(), declared)
            hop.stopped_early = True
            return
        coding = response.headers.get("content-encoding")
        decoder = ChainDecoder(coding)
        if decoder.unknown:
            hop.notes.append(
                f"The body is encoded with {', '.join(decoder.unknown)}, which this app cannot decode; it is shown as received."
            )
        reported = 0
        async for raw in response.aiter_raw():
            hop.wire_bytes += len(raw)
            if hop.wire_bytes > options.max_body_bytes:
                hop.error = errors.too_large(options.max_body_bytes, hop.context())
                hop.stopped_early = True
                return
            if not self._decode_into(hop, decoder, decoder.feed, raw, options, coding):
                return
            if progress is not None and hop.wire_bytes - reported >= PROGRESS_EVERY:
                reported = hop.wire_bytes
                progress(hop.wire_bytes, declared)
        self._decode_into(hop, decoder, None, b"", options, coding)
        if progress is not None and hop.wire_bytes != reported:
            progress(hop.wire_bytes, declared)

    def _decode_into(self, hop: _Hop, decoder: ChainDecoder, feed, raw: bytes, options: SendOptions,
                     coding: str | None) -> bool:
        """Decode ``raw`` (or flush when ``feed`` is None) into the sink; False when a cap or bad data stopped it."""
        sink = hop.sink
        assert sink is not None
        try:
            pieces = feed(raw) if feed is not None else decoder.flush()
            for piece in pieces:
                if sink.size + len(piece) > options.max_decoded_bytes:
                    sink.write(piece[: max(0, options.max_decoded_bytes - sink.size)])
                    hop.error = errors.decompression_bomb(options.max_decoded_bytes, hop.wire_bytes)
                    hop.stopped_early = True
                    sink.discard()  # a bomb's output is not worth disk space: the in-memory preview stays
                    return False
                sink.write(piece)
        except DiskReserveError as exc:
            hop.error = TransportError(
                "too-large", f"Reading stopped after {sink.size} bytes: the rest of the body would have filled the "
                f"disk holding {exc.folder}.", f"disk_reserve={sink.disk_reserve} wire_bytes={hop.wire_bytes}")
            hop.stopped_early = True
            sink.discard()
            return False
        except DecodeError as exc:
            hop.error = errors.decode_error(coding or "compressed", exc, hop.wire_bytes)
            return False
        return True

    # --- result ----------------------------------------------------------------------------------------

    def _exchange(self, hop: _Hop, started_at: float, chain_notes: list[str], total: float) -> Exchange:
        sent = _sent_request(hop)
        response = _http_response(hop) if hop.response is not None else None
        timing = hop.trace.timing() if hop.trace.start is not None else Timing()
        timing = replace(timing, total=total)
        if hop.trace.http_version == "HTTP/2" and hop.prepared is not None and hop.prepared.chunked:
            hop.notes.append("HTTP/2 has no chunked encoding: the body went out in DATA frames, without Content-Length.")
        tls_notes = tuple(self._client_notes) if sent.url.lower().startswith("https:") else ()
        notes = tls_notes + tuple(chain_notes) + tuple(hop.notes)
        return Exchange(request=sent, response=response, timing=timing, error=hop.error, started_at=started_at,
                        notes=tuple(dict.fromkeys(notes)))


def _redirect_location(hop: _Hop, options: SendOptions) -> str | None:
    if not options.follow_redirects or hop.error is not None or hop.response is None:
        return None
    if hop.response.status_code not in REDIRECT_STATUSES:
        return None
    location = (hop.response.headers.get("location") or "").strip()
    if not location:
        return None
    target = urljoin(hop.request.url, location)
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        note = f"The redirect to '{location}' was not followed: only http:// and https:// can be followed."
        if note not in hop.notes:
            hop.notes.append(note)
        return None
    return location


def _sent_request(hop: _Hop) -> HttpRequest:
    """The request as it went out: the trace's wire headers, else httpx's built headers, else what was typed."""
    req = hop.request
    prepared = hop.prepared
    headers = hop.trace.sent_headers or hop.sent_headers
    if prepared is None or headers is None:
        return req
    return HttpRequest(method=prepared.method, url=prepared.url, headers=headers, body=prepared.content,
                       chunked=prepared.chunked)


def _http_response(hop: _Hop) -> HttpResponse:
    r = hop.response
    assert r is not None
    sink = hop.sink
    headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in r.headers.raw)
    reason = r.extensions.get("reason_phrase", b"")
    reason_text = reason.decode("latin-1", "replace") if isinstance(reason, bytes) else str(reason or "")
    return HttpResponse(
        status=r.status_code,
        reason=reason_text,
        http_version=r.http_version,
        headers=headers,
        body=sink.preview if sink else b"",
        wire_bytes=hop.wire_bytes,
        framing=_framing(hop.request.method, r.status_code, r.http_version, headers, hop.wire_bytes),
        body_truncated=(sink.truncated if sink else False) or hop.stopped_early,
        body_path=sink.path if sink else None,
        decoded_bytes=sink.size if sink else 0,
    )


def _framing(method: str, status: int, version: str, headers, wire_bytes: int) -> Framing:
    """How the body was delimited: see HttpResponse.framing."""
    if method.upper() == "HEAD" or status < 200 or status in (204, 304):
        return "none"
    te = header_value(headers, "transfer-encoding")
    if te and te.lower().split(",")[-1].strip() == "chunked":
        return "chunked"
    if header_value(headers, "content-length") is not None:
        return "content-length"
    if wire_bytes == 0:
        return "none"
    return "unknown" if version.upper().startswith("HTTP/2") else "close"
