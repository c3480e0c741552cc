"""Failure mapping: exception chains as httpx/httpcore build them -> kind + sentence + detail (pure logic)."""

from __future__ import annotations

import socket
import ssl

import h11
import httpcore
import httpx
import pytest

from app.net import errors
from app.net.errors import ErrorContext, map_exception


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
