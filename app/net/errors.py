"""Every failure of a send, as a TransportError: a short stable ``kind``, a sentence, and the technical detail.

Kinds: invalid-url, invalid-method, invalid-header, dns, refused, tls, timeout, protocol, incomplete-body,
too-large, decompression-bomb, decode-error, connection-reset, too-many-redirects, unknown.

httpx wraps httpcore's exceptions, which wrap anyio/OS/ssl/h11 ones (``__cause__``), e.g.
``httpx.ConnectError <- httpcore.ConnectError <- OSError <- ConnectionRefusedError``. The mapping looks at the
whole chain, so it also works for the raw exceptions (h11 errors, ssl.SSLError, socket.gaierror) when they escape.
"""

from __future__ import annotations

import errno
import re
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import h11
import httpx

from app.core.models import TransportError


@dataclass(frozen=True)
class ErrorContext:
    """What the transport knew when the failure happened (for a precise sentence)."""

    url: str = ""
    timeout: float | None = None
    declared_length: int | None = None  # the response's Content-Length, when it had one
    wire_bytes: int = 0  # response body bytes received before the failure
    response_started: bool = False  # status line and headers had arrived


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and its causes/contexts, outermost first (no cycles)."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def describe(exc: BaseException) -> str:
    """The technical detail: each exception of the chain as ``module.Class: message``."""
    parts = []
    for item in exception_chain(exc):
        cls = type(item)
        name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
        parts.append(f"{name}: {item}" if str(item) else name)
    return "\n  caused by ".join(parts)


def host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or url
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return url


def _find(chain: list[BaseException], kind: type | tuple[type, ...]) -> BaseException | None:
    for item in chain:
        if isinstance(item, kind):
            return item
    return None


def _seconds(value: float | None) -> str:
    if value is None:
        return "the time limit"
    return f"{value:g} second" + ("" if value == 1 else "s")


def map_exception(exc: BaseException, ctx: ErrorContext | None = None) -> TransportError:
    """One failure -> kind + sentence + detail. Never raises."""
    ctx = ctx or ErrorContext()
    detail = describe(exc)
    chain = exception_chain(exc)
    messages = " | ".join(str(e) for e in chain)
    host = host_of(ctx.url) if ctx.url else "the server"

    def err(kind: str, text: str) -> TransportError:
        return TransportError(kind=kind, text=text, detail=detail)

    # URL problems
    if _find(chain, (httpx.InvalidURL, httpx.UnsupportedProtocol)) is not None:
        if "missing an 'http://' or 'https://'" in messages or "unsupported protocol" in messages.lower():
            return err("invalid-url", "The URL must start with http:// or https://.")
        return err("invalid-url", f"The URL is not valid: {exc}.")

    # Timeouts (httpx per phase)
    if isinstance(exc, httpx.TimeoutException) or _find(chain, httpx.TimeoutException) is not None:
        limit = _seconds(ctx.timeout)
        if _find(chain, httpx.ConnectTimeout):
            return err("timeout", f"Connecting to {host} took longer than {limit}; the server did not accept the connection in time.")
        if _find(chain, httpx.WriteTimeout):
            return err("timeout", f"Sending the request to {host} took longer than {limit}.")
        if _find(chain, httpx.PoolTimeout):
            return err("timeout", f"No connection to {host} became free within {limit}.")
        if ctx.response_started:
            return err("timeout", f"The server stopped sending the body for more than {limit} (after {ctx.wire_bytes} bytes).")
        return err("timeout", f"The server {host} accepted the request but sent no answer within {limit}.")

    # TLS
    tls = _find(chain, ssl.SSLError)
    if tls is not None or "[SSL" in messages:
        if isinstance(tls, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in messages:
            reason = getattr(tls, "verify_message", "") or "certificate verify failed"
            return err(
                "tls",
                f"The certificate of {host} could not be verified ({reason}). Turn off certificate "
                "verification only if you trust this server.",
            )
        if "WRONG_VERSION_NUMBER" in messages or "record layer failure" in messages or "PACKET_LENGTH_TOO_LONG" in messages:
            return err("tls", f"The secure (TLS) handshake with {host} failed: the server does not seem to speak "
                              "HTTPS on this port (try http://).")
        return err("tls", f"The secure (TLS) connection to {host} failed: {tls or exc}.")

    # DNS
    if _find(chain, socket.gaierror) is not None or re.search(
        r"Name or service not known|nodename nor servname|getaddrinfo failed|No address associated|"
        r"Temporary failure in name resolution", messages
    ):
        name = urlsplit(ctx.url).hostname if ctx.url else None
        return err("dns", f"Could not find the server '{name or host}': the name does not resolve (check the spelling "
                          "of the host, your network or VPN).")

    # Connection refused / reset
    if _find(chain, ConnectionRefusedError) is not None or _errno_in(chain, errno.ECONNREFUSED):
        return err("refused", f"The server {host} refused the connection: nothing is listening on that port "
                              "(is the server running, is the port right?).")
    if _find(chain, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)) is not None:
        if ctx.response_started:
            return err("connection-reset", f"The connection to {host} was reset while the body was arriving "
                                           f"(after {ctx.wire_bytes} bytes).")
        return err("connection-reset", f"The connection to {host} was reset before an answer arrived.")

    # Protocol-level trouble (h11 errors, wrapped or raw)
    if isinstance(exc, httpx.RemoteProtocolError) or _find(chain, (h11.RemoteProtocolError,)) is not None:
        if "without sending complete message body" in messages:
            return _incomplete(ctx, detail)
        if "Server disconnected" in messages:
            return err("connection-reset", f"The server {host} closed the connection without sending an answer.")
        return err("protocol", f"The answer from {host} is not valid HTTP: {_h11_reason(chain)}.")
    if isinstance(exc, httpx.LocalProtocolError) or _find(chain, h11.LocalProtocolError) is not None:
        return err("protocol", f"The request could not be put on the wire: {_h11_reason(chain)}.")
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.CloseError)):
        phase = "sending the request" if isinstance(exc, httpx.WriteError) else "reading the answer"
        return err("connection-reset", f"The connection to {host} broke while {phase}.")
    if isinstance(exc, httpx.ConnectError):
        return err("refused", f"Could not connect to {host}: {exc or 'the connection failed'}.")
    if isinstance(exc, httpx.TooManyRedirects):
        return err("too-many-redirects", f"Too many redirects: {exc}.")
    if isinstance(exc, UnicodeError):
        return err("invalid-header", "A header or the URL contains characters that cannot be sent.")
    if isinstance(exc, OSError) and exc.errno is not None:
        return err("unknown", f"A network error stopped the request: {exc.strerror or exc}.")

    name = type(exc).__name__
    return TransportError(
        kind="unknown",
        text=f"The request failed unexpectedly ({name}: {exc})." if str(exc) else f"The request failed unexpectedly ({name}).",
        detail=f"{detail}\n{exc!r}",
    )


def _incomplete(ctx: ErrorContext, detail: str) -> TransportError:
    got = ctx.wire_bytes
    if ctx.declared_length is not None:
        text = (f"The server promised {ctx.declared_length} bytes (Content-Length) but closed the connection "
                f"after {got}.")
    elif "chunked" in detail:
        text = f"The server closed the connection in the middle of a chunked body, after {got} bytes."
    else:
        text = f"The server closed the connection before the body was complete, after {got} bytes."
    return TransportError(kind="incomplete-body", text=text, detail=detail)


def _h11_reason(chain: list[BaseException]) -> str:
    for item in reversed(chain):  # innermost first: h11 says it best
        if str(item):
            return str(item)
    return type(chain[0]).__name__


def _errno_in(chain: list[BaseException], code: int) -> bool:
    return any(isinstance(e, OSError) and e.errno == code for e in chain)


def deadline_error(deadline: float, ctx: ErrorContext) -> TransportError:
    """The overall deadline ran out (asyncio.timeout around the whole exchange)."""
    where = f" (after {ctx.wire_bytes} body bytes)" if ctx.response_started else ""
    return TransportError(
        kind="timeout",
        text=f"The exchange was stopped at the overall deadline of {_seconds(deadline)}{where}.",
        detail=f"deadline={deadline}s url={ctx.url}",
    )


def too_large(limit: int, ctx: ErrorContext, declared: int | None = None) -> TransportError:
    if declared is not None and ctx.wire_bytes == 0:
        text = (f"The server announced a body of {declared} bytes, more than the limit of {limit} bytes; "
                "it was not downloaded.")
    else:
        text = f"The body is larger than the limit of {limit} bytes; reading stopped after {ctx.wire_bytes} bytes."
    return TransportError(kind="too-large", text=text, detail=f"max_body_bytes={limit} declared={declared}")


def decompression_bomb(limit: int, wire_bytes: int) -> TransportError:
    return TransportError(
        kind="decompression-bomb",
        text=(f"The compressed body expands to more than {limit} bytes (from {wire_bytes} bytes received); "
              "decoding stopped to protect memory and disk."),
        detail=f"max_decoded_bytes={limit} wire_bytes={wire_bytes}",
    )


def decode_error(coding: str, exc: BaseException, wire_bytes: int) -> TransportError:
    return TransportError(
        kind="decode-error",
        text=f"The body says it is {coding}-encoded but could not be decoded (after {wire_bytes} bytes received).",
        detail=describe(exc),
    )
