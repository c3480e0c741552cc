"""Raw HTTP text import: requests, responses, both; framing; URL rule; errors; round trip."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.errors import FormatError
from app.core.formats.raw_http import (
    MAX_HEADER_LINES,
    MAX_RAW_BYTES,
    parse_raw,
    render_raw_request,
    render_raw_response,
)
from app.core.models import HttpRequest, HttpResponse

FIX = Path(__file__).parent / "fixtures"


def test_log_exchange_fixture() -> None:
    imp = parse_raw((FIX / "exchange_log.txt").read_text())
    assert imp.request is not None and imp.response is not None
    assert imp.request.url == "https://api.example.com/v1/orders?dry_run=1"
    assert imp.request.body == b'{"sku":"A-1","password":"x"}'
    assert imp.response.status == 429 and imp.response.reason == "Too Many Requests"
    assert imp.response.header("Retry-After") == "120"
    assert imp.response.framing == "content-length" and imp.response.wire_bytes == 71
    assert imp.warnings == ()


def test_crlf_and_bytes_input() -> None:
    raw = b"\r\n\r\nGET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"
    imp = parse_raw(raw)
    assert imp.request == HttpRequest("GET", "https://example.com/a?b=1", (("Host", "example.com"), ("Accept", "*/*")))
    assert imp.response is None


@pytest.mark.parametrize("host, scheme", [
    ("example.com", "https"), ("example.com:443", "https"), ("example.com:80", "http"),
    ("example.com:8080", "http"), ("127.0.0.1:5000", "http"), ("localhost", "http"), ("[::1]:9000", "http"),
    ("example.com:8443", "https"),
])
def test_scheme_rule(host: str, scheme: str) -> None:
    req = parse_raw(f"GET / HTTP/1.1\nHost: {host}\n\n").request
    assert req is not None and req.url == f"{scheme}://{host}/"


def test_scheme_override_and_absolute_form() -> None:
    assert parse_raw("GET /x HTTP/1.1\nHost: h\n", scheme="http").request.url == "http://h/x"  # type: ignore[union-attr]
    assert parse_raw("GET http://p/x HTTP/1.1\nHost: h\n").request.url == "http://p/x"  # type: ignore[union-attr]


def test_missing_host_is_a_warning() -> None:
    imp = parse_raw("DELETE /x HTTP/1.1\n\n")
    assert imp.request is not None and imp.request.url == "/x" and "Host" in imp.warnings[0]


def test_http2_pseudo_headers() -> None:
    imp = parse_raw(":method: POST\n:scheme: https\n:authority: api.h\n:path: /v1?x=1\naccept: */*\n\n{}")
    assert imp.request == HttpRequest("POST", "https://api.h/v1?x=1", (("accept", "*/*"),), b"{}")


def test_response_alone_http2() -> None:
    imp = parse_raw("HTTP/2 200\ncontent-type: application/json\n\n{\"ok\":true}\n")
    assert imp.request is None and imp.response is not None
    assert imp.response.http_version == "HTTP/2" and imp.response.reason == ""
    assert imp.response.framing == "close" and imp.response.body == b'{"ok":true}\n'


def test_lying_content_length_shows() -> None:
    resp = parse_raw("HTTP/1.1 200 OK\nContent-Length: 100\n\nshort body").response
    assert resp is not None and resp.body == b"short body" and resp.wire_bytes == 10
    resp = parse_raw("HTTP/1.1 200 OK\nContent-Length: 2\n\nlonger body").response
    assert resp is not None and resp.body == b"longer body"
    # line breaks pasted after the declared length are not part of the body
    resp = parse_raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\n\r\n").response
    assert resp is not None and resp.body == b"ok" and resp.wire_bytes == 2


def test_chunked_response_decoded() -> None:
    wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n"
    resp = parse_raw(wire).response
    assert resp is not None and resp.body == b"hello world" and resp.framing == "chunked"
    assert resp.wire_bytes == len("5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")


def test_chunked_errors_name_the_line() -> None:
    with pytest.raises(FormatError, match="Line 4 should give a chunk size"):
        parse_raw("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nzz\nhello\n0\n\n")
    with pytest.raises(FormatError, match="longer than its announced size"):
        parse_raw("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nhello\n0\n\n")


def test_interim_100_continue_skipped() -> None:
    imp = parse_raw("HTTP/1.1 100 Continue\n\nHTTP/1.1 201 Created\nContent-Length: 0\n\n")
    assert imp.response is not None and imp.response.status == 201 and imp.response.framing == "content-length"


def test_chunked_request_then_response() -> None:
    imp = parse_raw("POST /u HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\nHTTP/1.1 204 No Content\n\n")
    assert imp.request is not None and imp.request.body == b"abc" and imp.request.chunked
    assert imp.response is not None and imp.response.status == 204 and imp.response.framing == "none"


def test_request_without_length_stops_at_status_line() -> None:
    imp = parse_raw("POST /u HTTP/1.1\nHost: h\n\na=1\n\nHTTP/1.1 400 Bad request\n\n")
    assert imp.request is not None and imp.request.body == b"a=1"
    assert imp.response is not None and imp.response.status == 400


@pytest.mark.parametrize("text, match", [
    ("", "empty"),
    ("hello world\n", "Line 1 should be a request line"),
    ("GET / HTTP/1.1\nHost h\n\n", "Line 2 is not a header"),
    ("GET / HTTP/1.1\nBad Name: x\n\n", "Line 2 has an invalid header name"),
    ("HTTP/1.1 2xx OK\n", "status line like"),
])
def test_errors(text: str, match: str) -> None:
    with pytest.raises(FormatError, match=match):
        parse_raw(text)


def test_render_response() -> None:
    resp = HttpResponse(429, "Too Many Requests", headers=(("Retry-After", "5"),), body=b"slow down")
    assert render_raw_response(resp) == "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 5\r\n\r\nslow down"
    assert parse_raw(render_raw_response(resp)).response.body == b"slow down"  # type: ignore[union-attr]


def test_render_request_uses_origin_form_when_host_matches() -> None:
    req = HttpRequest("GET", "https://h.example/x?y=1", (("Host", "h.example"),))
    assert render_raw_request(req).startswith("GET /x?y=1 HTTP/1.1\r\n")
    req = HttpRequest("GET", "http://h.example/x", (("Host", "h.example"),))  # scheme rule would say https
    assert render_raw_request(req).startswith("GET http://h.example/x HTTP/1.1\r\n")


# ---------------------------------------------------------------- properties

_name = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,12}", fullmatch=True).filter(
    lambda n: n.lower() not in ("content-length", "transfer-encoding", "host"))
_value = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=20)


@st.composite
def requests(draw: st.DrawFn) -> HttpRequest:
    host = draw(st.from_regex(r"[a-z]{1,8}\.example(:[0-9]{2,4})?", fullmatch=True))
    path = draw(st.from_regex(r"/[A-Za-z0-9/._~%-]{0,15}(\?[A-Za-z0-9=&]{0,10})?", fullmatch=True))
    scheme = draw(st.sampled_from(["http", "https"]))
    headers = list(draw(st.lists(st.tuples(_name, _value), max_size=4)))
    if draw(st.booleans()):
        headers.insert(0, ("Host", host))
    body = draw(st.one_of(st.none(), st.binary(max_size=50)))
    chunked = body is not None and draw(st.booleans())
    if body is not None:
        headers.append(("Transfer-Encoding", "chunked") if chunked else ("Content-Length", str(len(body))))
    method = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PURGE"]))
    return HttpRequest(method, f"{scheme}://{host}{path}", tuple(headers), body, chunked)


@settings(max_examples=200, deadline=None)
@given(requests())
def test_render_parse_round_trip(req: HttpRequest) -> None:
    imp = parse_raw(render_raw_request(req))
    assert imp.request == req and imp.response is None


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200),
                 st.lists(st.sampled_from(["GET / HTTP/1.1\n", "HTTP/1.1 200 OK\r\n", "Host: h\n", "\n", "\r\n",
                                           "Content-Length: 5\n", "Transfer-Encoding: chunked\n", "ff\n", "0\n",
                                           ":path: /\n", "x", "HTTP/2 99", "Content-Length: -1\n"]),
                          max_size=15).map("".join)))
def test_garbage_raises_only_format_error(data: str | bytes) -> None:
    try:
        parse_raw(data)
    except FormatError:
        pass


def test_fifty_thousand_interim_responses_read_in_linear_time() -> None:
    """50,000 '100 Continue' blocks took over a minute (the rest of the text copied per block); now well under."""
    data = b"HTTP/1.1 100 Continue\r\n\r\n" * 50_000 + b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    t0 = time.perf_counter()
    raw = parse_raw(data)
    assert time.perf_counter() - t0 < 3.0
    assert raw.response is not None and raw.response.status == 200 and raw.response.body == b"ok"
    assert len(raw.warnings) == 4 and raw.warnings[-1] == "Skipped 49,997 more interim (1xx) responses."
    assert raw.warnings[1] == "Skipped the interim response '100 Continue' at line 3."


def test_too_many_header_lines_are_refused_quickly_with_a_sentence() -> None:
    many = b"HTTP/1.1 200 OK\r\n" + b"X-A: 1\r\n" * (MAX_HEADER_LINES + 1) + b"\r\n"
    t0 = time.perf_counter()
    with pytest.raises(FormatError, match=r"headers starting at line 2 run past 10,000 lines") as err:
        parse_raw(many)
    assert time.perf_counter() - t0 < 2.0 and err.value.line == MAX_HEADER_LINES + 2
    folded = b"HTTP/1.1 200 OK\r\nX-A: 1\r\n" + b" more\r\n" * MAX_HEADER_LINES + b"\r\n"
    with pytest.raises(FormatError, match="run past"):
        parse_raw(folded)
    ok = parse_raw(b"GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n" + b" b\r\n" * 5_000 + b"\r\n")
    assert ok.request is not None and ok.request.header("X-A") == "1" + " b" * 5_000


def test_text_over_the_size_cap_is_refused_with_a_sentence() -> None:
    with pytest.raises(FormatError, match=r"is 64 MB; the most this reader takes is 64 MB"):
        parse_raw(b"HTTP/1.1 200 OK\r\n\r\n" + b"x" * MAX_RAW_BYTES)


def test_line_numbers_stay_right_after_skipped_blocks() -> None:
    data = b"\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nBad header line\r\n\r\n"
    with pytest.raises(FormatError, match="Line 6 is not a header") as err:
        parse_raw(data)
    assert err.value.line == 6
    chunked = b"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\nzz\r\n"
    with pytest.raises(FormatError, match="Line 7 should give a chunk size"):
        parse_raw(chunked)


def test_a_pasted_response_in_br_zstd_or_stacked_codings_is_decoded() -> None:
    import brotli

    from app.core.content_coding import zstd
    data = b'{"Message": "Rate limit exceeded"}'
    for coding, wire in (("br", brotli.compress(data)), ("zstd", zstd.compress(data)),
                         ("gzip, br", brotli.compress(gzip.compress(data)))):
        raw = (f"HTTP/1.1 429 Too Many Requests\r\nContent-Encoding: {coding}\r\n"
               f"Content-Length: {len(wire)}\r\n\r\n").encode() + wire
        imp = parse_raw(raw)
        r = imp.response
        assert r is not None and r.body == data and r.wire_bytes == len(wire) and r.decoded_bytes == len(data)
        assert not imp.warnings


def test_a_pasted_response_logged_already_decoded_is_kept() -> None:
    imp = parse_raw('HTTP/1.1 200 OK\r\nContent-Encoding: br\r\nContent-Type: application/json\r\n\r\n{"ok": true}')
    assert imp.response is not None and imp.response.body == b'{"ok": true}' and not imp.warnings
    assert imp.response.decoded_bytes is None
