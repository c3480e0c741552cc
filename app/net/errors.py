"""Every failure of a send, as a TransportError: a short stable ``kind``, a sentence, and the technical detail.

httpx wraps httpcore's exceptions, which wrap anyio/OS/ssl/h11 ones (``__cause__``), e.g.
``httpx.ConnectError <- httpcore.ConnectError <- OSError <- ConnectionRefusedError``. The mapping walks a table of
exception classes, most specific first (the way httpx maps httpcore's exceptions onto its own), and takes the first
row that some exception of the whole chain is an instance of; so it also works for the raw exceptions (h11 errors,
ssl.SSLError, socket.gaierror) when they escape. A row may add a condition on structured attributes (an ``errno``,
an ``ssl.SSLError.reason``, what lies underneath); a row whose condition fails lets the next rows try.

Messages of h11 carry the offending bytes as a Python repr (``bytearray(b'zz\\r\\n')``): sentences and details show
them decoded (``'zz'``), never as a repr.
"""

from __future__ import annotations

import ast
import errno
import re
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args
from urllib.parse import urlsplit

import h11
import httpcore
import httpx

from app.core.models import TransportError

ErrorKind = Literal[
    "invalid-url", "invalid-method", "invalid-header", "dns", "refused", "tls", "timeout", "protocol",
    "incomplete-body", "too-large", "decompression-bomb", "decode-error", "connection-reset", "too-many-redirects",
    "unknown",
]
ERROR_KINDS: tuple[ErrorKind, ...] = get_args(ErrorKind)


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
    """The technical detail: each exception of the chain as ``module.Class: message`` (byte reprs decoded)."""
    parts = []
    for item in exception_chain(exc):
        cls = type(item)
        name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
        parts.append(f"{name}: {readable(str(item))}" if str(item) else name)
    return "\n  caused by ".join(parts)


def host_of(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or url
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return url


# --- byte reprs -> readable text --------------------------------------------------------------------------

_BYTES_LITERAL = r"""b'(?:[^'\\]|\\.)*'|b"(?:[^"\\]|\\.)*\""""
_BYTES_REPR = re.compile(rf"bytearray\(({_BYTES_LITERAL})\)|(?<![\w'\"])({_BYTES_LITERAL})")


def _quoted(data: bytes, *, strip_line_end: bool) -> str:
    """``data`` as quoted text: decoded, control characters (and a backslash) escaped, never ``b'...'``."""
    text = data.decode("utf-8", "backslashreplace")
    if strip_line_end:
        text = text.removesuffix("\n").removesuffix("\r")
    escaped = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
    return f"'{escaped}'"


def readable(message: str, *, strip_line_end: bool = False) -> str:
    """``message`` with every ``b'...'`` / ``bytearray(b'...')`` repr replaced by the quoted text it stands for."""

    def decode(match: re.Match[str]) -> str:
        literal = match.group(1) or match.group(2)
        try:
            data = ast.literal_eval(literal)
        except (ValueError, SyntaxError):
            return match.group(0)
        return _quoted(data, strip_line_end=strip_line_end)

    return _BYTES_REPR.sub(decode, message)


# --- what h11 says only in words ---------------------------------------------------------------------------

# h11 raises one class per side (RemoteProtocolError) for every malformed or cut-short message; its only attribute,
# error_status_hint, is 400 for all of them. What went wrong is therefore only in its fixed wording (h11/_readers.py),
# and these two helpers are the one place that reads it.

_H11_PHRASES = {  # h11's "<what>: <bytes repr>" -> how the sentence names the bad piece
    "illegal chunk header": "the server sent an invalid chunk size line",
    "illegal status line": "the server sent an invalid status line",
    "illegal header line": "the server sent an invalid header line",
    "malformed chunk footer": "a chunk of the body did not end where its size line said",
}


def _h11_early_close(message: str) -> Literal["length", "chunked"] | None:
    """Whether h11's message says the peer closed before the body was complete, and which framing it was reading.

    h11's ContentLengthReader/ChunkedReader.read_eof raise a plain RemoteProtocolError worded
    "peer closed connection without sending complete message body (...)" - no type or attribute tells it apart
    from a framing error, so the fixed wording is the last resort.
    """
    if "without sending complete message body" not in message:
        return None
    return "chunked" if "incomplete chunked read" in message else "length"


def _reword_h11_message(message: str) -> str:
    """h11's message as part of a sentence: known ``what: <bytes repr>`` shapes reworded, byte reprs decoded."""
    what, sep, rest = message.partition(": ")
    phrase = _H11_PHRASES.get(what)
    if sep and phrase:
        return f"{phrase} {readable(rest, strip_line_end=True)}"
    return readable(message, strip_line_end=True)


# --- the table ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """One failure being mapped: the exception, its chain, what the transport knew, and the detail text."""

    exc: BaseException
    chain: list[BaseException]
    ctx: ErrorContext
    detail: str

    @property
    def host(self) -> str:
        return host_of(self.ctx.url) if self.ctx.url else "the server"

    @property
    def limit(self) -> str:
        return _seconds(self.ctx.timeout)

    def innermost_reason(self) -> str:
        """The innermost non-empty message (h11 says it best), reworded for a sentence."""
        for item in reversed(self.chain):
            if str(item):
                return _reword_h11_message(str(item))
        return type(self.chain[0]).__name__


Sentence = Callable[[Failure, BaseException], str]  # (failure, the chain member that matched the row) -> text
Condition = Callable[[Failure, BaseException], bool]


@dataclass(frozen=True)
class Rule:
    """One row: a chain member of class ``types`` (and meeting ``when``) means ``kind``, said by ``sentence``."""

    types: type[BaseException] | tuple[type[BaseException], ...]
    kind: ErrorKind
    sentence: Sentence
    when: Condition | None = None

    def matches(self, failure: Failure) -> BaseException | None:
        for item in failure.chain:
            if isinstance(item, self.types) and (self.when is None or self.when(failure, item)):
                return item
        return None


def _seconds(value: float | None) -> str:
    if value is None:
        return "the time limit"
    return f"{value:g} second" + ("" if value == 1 else "s")


def _read_timeout(f: Failure, _: BaseException) -> str:
    if f.ctx.response_started:
        return f"The server stopped sending the body for more than {f.limit} (after {f.ctx.wire_bytes} bytes)."
    return f"The server {f.host} accepted the request but sent no answer within {f.limit}."


def _certificate(f: Failure, tls: BaseException) -> str:
    reason = getattr(tls, "verify_message", "") or "certificate verify failed"
    return (f"The certificate of {f.host} could not be verified ({reason}). Turn off certificate "
            "verification only if you trust this server.")


# OpenSSL's reason codes when the other end answers a ClientHello with something that is not TLS (plain HTTP).
_NOT_TLS_REASONS = frozenset({"WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "PACKET_LENGTH_TOO_LONG",
                              "HTTP_REQUEST", "UNKNOWN_PROTOCOL"})


def _ssl_reason(_: Failure, exc: BaseException) -> str:
    return str(getattr(exc, "reason", "") or "")


def _dns(f: Failure, _: BaseException) -> str:
    name = urlsplit(f.ctx.url).hostname if f.ctx.url else None
    return (f"Could not find the server '{name or f.host}': the name does not resolve (check the spelling "
            "of the host, your network or VPN).")


def _os_reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or readable(str(exc))


def _refused(f: Failure, _: BaseException) -> str:
    return (f"The server {f.host} refused the connection: nothing is listening on that port "
            "(is the server running, is the port right?).")


def _reset(f: Failure, _: BaseException) -> str:
    if f.ctx.response_started:
        return f"The connection to {f.host} was reset while the body was arriving (after {f.ctx.wire_bytes} bytes)."
    return f"The connection to {f.host} was reset before an answer arrived."


def _incomplete(f: Failure, exc: BaseException) -> str:
    got = f.ctx.wire_bytes
    if f.ctx.declared_length is not None:
        return (f"The server promised {f.ctx.declared_length} bytes (Content-Length) but closed the connection "
                f"after {got}.")
    if _h11_early_close(str(exc)) == "chunked":
        return f"The server closed the connection in the middle of a chunked body, after {got} bytes."
    return f"The server closed the connection before the body was complete, after {got} bytes."


def _disconnected_before_answer(f: Failure, exc: BaseException) -> bool:
    """httpcore raised it itself, with words and nothing underneath: its "Server disconnected..." (HTTP/1.1 and
    HTTP/2). Errors it relays carry the h11 error as their cause, or an h2 event as their argument."""
    return bool(exc.args) and isinstance(exc.args[0], str) and exc.__cause__ is None and exc.__context__ is None


_REMOTE_PROTOCOL = (httpx.RemoteProtocolError, httpcore.RemoteProtocolError, h11.RemoteProtocolError)
_LOCAL_PROTOCOL = (httpx.LocalProtocolError, httpcore.LocalProtocolError, h11.LocalProtocolError)

RULES: tuple[Rule, ...] = (
    # URL problems
    Rule(httpx.UnsupportedProtocol, "invalid-url", lambda f, e: "The URL must start with http:// or https://."),
    Rule(httpx.InvalidURL, "invalid-url", lambda f, e: f"The URL is not valid: {readable(str(f.exc))}."),
    # timeouts, per phase
    Rule(httpx.ConnectTimeout, "timeout", lambda f, e: (
        f"Connecting to {f.host} took longer than {f.limit}; the server did not accept the connection in time.")),
    Rule(httpx.WriteTimeout, "timeout", lambda f, e: f"Sending the request to {f.host} took longer than {f.limit}."),
    Rule(httpx.PoolTimeout, "timeout", lambda f, e: f"No connection to {f.host} became free within {f.limit}."),
    Rule(httpx.TimeoutException, "timeout", _read_timeout),
    # TLS
    Rule(ssl.SSLCertVerificationError, "tls", _certificate),
    Rule(ssl.SSLError, "tls", _certificate, when=lambda f, e: _ssl_reason(f, e) == "CERTIFICATE_VERIFY_FAILED"),
    Rule(ssl.SSLError, "tls", lambda f, e: (
        f"The secure (TLS) handshake with {f.host} failed: the server does not seem to speak HTTPS on this port "
        "(try http://)."), when=lambda f, e: _ssl_reason(f, e) in _NOT_TLS_REASONS),
    Rule(ssl.SSLError, "tls", lambda f, e: (
        f"The secure (TLS) connection to {f.host} failed: {str(e) or readable(str(f.exc))}.")),
    # DNS, refused, reset
    Rule(socket.gaierror, "dns", _dns),
    Rule(ConnectionRefusedError, "refused", _refused),
    Rule(OSError, "refused", _refused, when=lambda f, e: getattr(e, "errno", None) == errno.ECONNREFUSED),
    Rule((ConnectionResetError, BrokenPipeError, ConnectionAbortedError), "connection-reset", _reset),
    # protocol-level trouble (h11 errors, wrapped or raw)
    Rule(_REMOTE_PROTOCOL, "incomplete-body", _incomplete,
         when=lambda f, e: _h11_early_close(str(e)) is not None),
    Rule(httpcore.RemoteProtocolError, "connection-reset", lambda f, e: (
        f"The server {f.host} closed the connection without sending an answer."),
         when=_disconnected_before_answer),
    Rule(_REMOTE_PROTOCOL, "protocol",
         lambda f, e: f"The answer from {f.host} is not valid HTTP: {f.innermost_reason()}."),
    Rule(_LOCAL_PROTOCOL, "protocol",
         lambda f, e: f"The request could not be put on the wire: {f.innermost_reason()}."),
    # other httpx failures
    Rule(httpx.WriteError, "connection-reset",
         lambda f, e: f"The connection to {f.host} broke while sending the request."),
    Rule((httpx.ReadError, httpx.CloseError), "connection-reset",
         lambda f, e: f"The connection to {f.host} broke while reading the answer."),
    Rule(httpx.ConnectError, "refused",
         lambda f, e: f"Could not connect to {f.host}: {readable(str(e)) or 'the connection failed'}."),
    Rule(httpx.TooManyRedirects, "too-many-redirects", lambda f, e: f"Too many redirects: {readable(str(e))}."),
    # only when it is the failure itself, not something underneath
    Rule(UnicodeError, "invalid-header", lambda f, e: "A header or the URL contains characters that cannot be sent.",
         when=lambda f, e: e is f.exc),
    Rule(OSError, "unknown", lambda f, e: f"A network error stopped the request: {_os_reason(e)}.",
         when=lambda f, e: e is f.exc and getattr(e, "errno", None) is not None),
)


def map_exception(exc: BaseException, ctx: ErrorContext | None = None) -> TransportError:
    """One failure -> kind + sentence + detail. Never raises."""
    failure = Failure(exc=exc, chain=exception_chain(exc), ctx=ctx or ErrorContext(), detail=describe(exc))
    for rule in RULES:
        matched = rule.matches(failure)
        if matched is not None:
            return _error(rule.kind, rule.sentence(failure, matched), failure.detail)
    name = type(exc).__name__
    message = readable(str(exc))
    return _error(
        "unknown",
        f"The request failed unexpectedly ({name}: {message})." if message else f"The request failed unexpectedly ({name}).",
        f"{failure.detail}\n{exc!r}",
    )


def _error(kind: ErrorKind, text: str, detail: str) -> TransportError:
    return TransportError(kind=kind, text=text, detail=detail)


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
