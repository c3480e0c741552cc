"""Failure mapping: exception chains as httpx/httpcore build them -> kind + sentence + detail.

Mostly pure logic on hand-built chains; a few checks send to a misbehaving loopback server (tests/net/servers.py)
so the chain is the one the libraries really build.
"""

from __future__ import annotations

import errno
import socket
import ssl
from typing import get_args

import h11
import httpcore
import httpx
import pytest

import servers as S  # tests/net/servers.py (pytest puts this folder on sys.path)
from app.core.models import HttpRequest
from app.net import errors
from app.net.errors import ErrorContext, ErrorKind, map_exception
from app.net.transport import SendOptions, Transport


def wrapped(outer: BaseException, *inner: BaseException) -> BaseException:
    """``outer`` caused by inner[0], caused by inner[1]... (the shape httpx's mapping produces)."""
    current = outer
    for exc in inner:
        current.__cause__ = exc
        current = exc
    return outer


def test_dns_from_a_gaierror_chain():
    gai = socket.gaierror(-2, "Name or service not known")
    exc = wrapped(httpx.ConnectError("[Errno -2] Name or service not known"), httpcore.ConnectError(gai), gai)
    err = map_exception(exc, ErrorContext(url="http://nope.invalid/x"))
    assert err.kind == "dns"
    assert err.text.startswith("Could not find the server 'nope.invalid'")
    assert "socket.gaierror" in err.detail and "httpx.ConnectError" in err.detail


def test_raw_gaierror_is_dns_too():
    assert map_exception(socket.gaierror(-3, "Temporary failure in name resolution")).kind == "dns"


def test_refused_chain():
    refused = ConnectionRefusedError(111, "Connect call failed")
    exc = wrapped(httpx.ConnectError("All connection attempts failed"), OSError("All connection attempts failed"),
                  refused)
    err = map_exception(exc, ErrorContext(url="http://127.0.0.1:9/"))
    assert err.kind == "refused" and "127.0.0.1:9" in err.text


def test_certificate_error():
    cert = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    cert.verify_message = "certificate has expired"
    err = map_exception(wrapped(httpx.ConnectError(str(cert)), cert), ErrorContext(url="https://h.example/"))
    assert err.kind == "tls" and "certificate has expired" in err.text and "h.example" in err.text


@pytest.mark.parametrize("cls,words", [
    (httpx.ConnectTimeout, "Connecting to"),
    (httpx.ReadTimeout, "sent no answer within 2 seconds"),
    (httpx.WriteTimeout, "Sending the request"),
    (httpx.PoolTimeout, "No connection"),
])
def test_timeouts(cls, words):
    err = map_exception(cls("timed out"), ErrorContext(url="http://h/", timeout=2))
    assert err.kind == "timeout" and words in err.text


def test_read_timeout_during_body_says_how_far():
    err = map_exception(httpx.ReadTimeout(""), ErrorContext(url="http://h/", timeout=1, wire_bytes=7,
                                                            response_started=True))
    assert err.kind == "timeout" and "after 7 bytes" in err.text


def test_h11_errors_that_escape_httpx_are_protocol():
    assert map_exception(h11.RemoteProtocolError("illegal status line: b'HELLO'")).kind == "protocol"
    local = map_exception(h11.LocalProtocolError("Too much data for declared Content-Length"))
    assert local.kind == "protocol" and "Too much data" in local.text


def test_incomplete_body_sentence():
    exc = httpx.RemoteProtocolError("peer closed connection without sending complete message body "
                                    "(received 10 bytes, expected 100)")
    err = map_exception(exc, ErrorContext(declared_length=100, wire_bytes=10, response_started=True))
    assert err.kind == "incomplete-body"
    assert err.text == "The server promised 100 bytes (Content-Length) but closed the connection after 10."


def test_reset_and_broken_pipe():
    reset = ConnectionResetError(104, "Connection reset by peer")
    assert map_exception(wrapped(httpx.ReadError(""), reset)).kind == "connection-reset"
    assert map_exception(BrokenPipeError(32, "Broken pipe")).kind == "connection-reset"
    assert map_exception(httpx.WriteError("")).kind == "connection-reset"


@pytest.mark.parametrize("exc", [httpx.UnsupportedProtocol("Request URL is missing an 'http://' or 'https://' protocol."),
                                 httpx.InvalidURL("Invalid port")])
def test_invalid_url(exc):
    assert map_exception(exc).kind == "invalid-url"


def test_unknown_is_still_a_sentence_with_repr_detail():
    err = map_exception(RuntimeError("boom"))
    assert err.kind == "unknown" and "boom" in err.text and "RuntimeError('boom')" in err.detail


def test_cyclic_chain_does_not_loop():
    a, b = ValueError("a"), ValueError("b")
    a.__context__, b.__context__ = b, a
    assert [str(e) for e in errors.exception_chain(a)] == ["a", "b"]
    assert map_exception(a).kind == "unknown"


def test_helpers_name_their_limits():
    assert "deadline of 1.5 seconds" in errors.deadline_error(1.5, ErrorContext()).text
    assert "after 3 body bytes" in errors.deadline_error(2, ErrorContext(wire_bytes=3, response_started=True)).text
    assert errors.too_large(10, ErrorContext(), declared=99).kind == "too-large"
    assert "99" in errors.too_large(10, ErrorContext(), declared=99).text
    assert errors.decompression_bomb(1024, 5).kind == "decompression-bomb"


# --- the table ----------------------------------------------------------------------------------------------


def test_every_kind_in_the_table_is_an_error_kind():
    kinds = set(get_args(ErrorKind))
    assert kinds == set(errors.ERROR_KINDS)
    assert {rule.kind for rule in errors.RULES} <= kinds
    helpers = [errors.deadline_error(1, ErrorContext()), errors.too_large(1, ErrorContext()),
               errors.decompression_bomb(1, 1), errors.decode_error("gzip", ValueError("x"), 1),
               map_exception(RuntimeError("x"))]
    assert {e.kind for e in helpers} <= kinds


def test_table_puts_subclasses_before_their_base_classes():
    """Most specific first: a row never follows a row that would already catch every one of its classes."""
    def classes(rule):
        return rule.types if isinstance(rule.types, tuple) else (rule.types,)

    for i, later in enumerate(errors.RULES):
        for earlier in errors.RULES[:i]:
            if earlier.when is None:
                shadowed = [c for c in classes(later) if issubclass(c, classes(earlier))]
                assert not shadowed, f"{later} is hidden by {earlier}"


def test_ssl_reason_attribute_decides_not_the_message():
    plain = ssl.SSLError(1, "something else entirely")
    plain.reason = "WRONG_VERSION_NUMBER"
    assert "try http://" in map_exception(plain, ErrorContext(url="https://h/")).text
    verify = ssl.SSLError(1, "no words")
    verify.reason = "CERTIFICATE_VERIFY_FAILED"
    assert "could not be verified" in map_exception(verify).text
    other = ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] the words alone do not decide")
    assert "try http://" not in map_exception(other).text and map_exception(other).kind == "tls"


def test_refused_by_errno_without_the_refused_class():
    exc = wrapped(httpx.ConnectError("failed"), OSError(errno.ECONNREFUSED, "whatever the text"))
    assert map_exception(exc).kind == "refused"


def test_server_disconnected_is_known_by_shape():
    inner = httpcore.RemoteProtocolError("any words")  # raised by httpcore itself: nothing underneath
    assert map_exception(wrapped(httpx.RemoteProtocolError("any words"), inner)).kind == "connection-reset"
    relayed = wrapped(httpx.RemoteProtocolError("x"), httpcore.RemoteProtocolError("x"), h11.RemoteProtocolError("x"))
    assert map_exception(relayed).kind == "protocol"


def test_only_the_failure_itself_counts_for_the_last_rows():
    under = wrapped(RuntimeError("boom"), OSError(errno.EIO, "I/O error"))
    assert map_exception(under).text.startswith("The request failed unexpectedly (RuntimeError: boom)")
    assert map_exception(OSError(errno.EIO, "I/O error")).text == "A network error stopped the request: I/O error."


# --- readable details ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("message,text", [
    ("illegal chunk header: bytearray(b'zz\\r\\n')", "illegal chunk header: 'zz\\r\\n'"),
    ("illegal status line: b'HELLO'", "illegal status line: 'HELLO'"),
    ('got b"it\'s" and b\'\\xc3\\xa9\'', "got 'it's' and 'é'"),
    ("bad byte b'\\x00'", "bad byte '\\x00'"),
    ("a b'' end", "a '' end"),
    ("no bytes here: 'b'", "no bytes here: 'b'"),
])
def test_readable_decodes_byte_reprs(message, text):
    assert errors.readable(message) == text


def test_h11_errors_read_as_sentences():
    err = map_exception(h11.RemoteProtocolError("illegal chunk header: bytearray(b'zz\\r\\n')"))
    assert err.text == "The answer from the server is not valid HTTP: the server sent an invalid chunk size line 'zz'."
    assert "bytearray" not in err.detail and "b'" not in err.detail


def test_bad_chunk_size_line_from_a_real_server_reads_without_a_repr():
    async def body():
        transport = Transport()
        try:
            async with S.RawServer(S.bad_chunk_size(b"zz")) as srv:
                return await transport.send(HttpRequest("GET", srv.url()), SendOptions(timeout=5)), srv
        finally:
            await transport.aclose()

    ex, srv = S.run(body())
    assert ex.error.kind == "protocol"
    assert ex.error.text == (f"The answer from 127.0.0.1:{srv.port} is not valid HTTP: "
                             "the server sent an invalid chunk size line 'zz'.")
    assert "bytearray" not in ex.error.detail and "b'" not in ex.error.detail
    assert "illegal chunk header: 'zz\\r\\n'" in ex.error.detail  # h11's own words, readable
