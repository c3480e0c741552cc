"""Request shaping: header checks, typed Content-Length / Transfer-Encoding, redirect rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core.models import HttpRequest, TransportError
from app.core.rate_limit import origin_of
from app.net.prepare import Prepared, is_secret_header, prepare, redirect_request

URL = "http://127.0.0.1:8000/a"


def ok(request: HttpRequest) -> Prepared:
    result = prepare(request)
    assert isinstance(result, Prepared), result
    return result


def test_matching_content_length_is_kept_in_place():
    p = ok(HttpRequest("POST", URL, (("A", "1"), ("Content-Length", "3"), ("B", "2")), b"abc"))
    assert p.headers == [(b"A", b"1"), (b"Content-Length", b"3"), (b"B", b"2")] and p.notes == []


def test_wrong_content_length_replaced_in_place_with_note():
    p = ok(HttpRequest("POST", URL, (("Content-Length", "100"), ("B", "2")), b"hello world!"))
    assert p.headers == [(b"Content-Length", b"12"), (b"B", b"2")]
    assert p.notes == ["You typed Content-Length: 100 but the body is 12 bytes; the HTTP library cannot send a "
                       "wrong length, so 12 was sent."]


def test_content_length_without_body_and_duplicates():
    p = ok(HttpRequest("GET", URL, (("Content-Length", "5"), ("Content-Length", "5"))))
    assert p.headers == [(b"Content-Length", b"0")] and len(p.notes) == 2
    assert "there is no body" in p.notes[0]


def test_latin1_value_is_sent_as_latin1_bytes():
    p = ok(HttpRequest("GET", URL, (("X-Name", "José"),)))
    assert p.headers == [(b"X-Name", "José".encode("latin-1"))]


def test_unsupported_transfer_encoding_is_left_out():
    p = ok(HttpRequest("POST", URL, (("Transfer-Encoding", "gzip"),), b"x"))
    assert p.headers == [] and not p.chunked and "gzip" in p.notes[0]


@given(st.text(min_size=1, max_size=30))
def test_any_header_value_either_prepares_or_gives_invalid_header(value):
    result = prepare(HttpRequest("GET", URL, (("X-Any", value),)))
    if isinstance(result, TransportError):
        assert result.kind == "invalid-header" and "X-Any" in result.text
    else:
        (name, sent), = result.headers
        assert b"\r" not in sent and b"\n" not in sent and sent == value.strip(" \t").encode("latin-1")


def test_invalid_method():
    err = prepare(HttpRequest("GE T", URL))
    assert isinstance(err, TransportError) and err.kind == "invalid-method"


def test_secret_header_names():
    for name in ("Authorization", "cookie", "Proxy-Authorization", "X-Api-Key", "Api-Key", "X-Auth-Token",
                 "X-Client-Secret", "apikey"):
        assert is_secret_header(name), name
    for name in ("Accept", "X-Monkey", "Content-Type", "X-Request-Id", "Keyboard"):
        assert not is_secret_header(name), name


def test_origin_defaults_ports():
    assert origin_of("http://Host:80/a") == origin_of("http://host/")
    assert origin_of("https://host:443/") == origin_of("https://HOST/b")
    assert origin_of("http://host/") != origin_of("https://host/")


def test_cross_origin_redirect_drops_secrets_and_host():
    prev = HttpRequest("GET", "http://a.test/x", (("Host", "a.test"), ("Authorization", "B x"), ("X-Api-Key", "k"),
                                                   ("Accept", "*/*")))
    nxt, notes = redirect_request(prev, 302, "https://b.test/y#frag")
    assert nxt.url == "https://b.test/y" and nxt.headers == (("Accept", "*/*"),)
    assert notes == ["Authorization, X-Api-Key were not sent to https://b.test because it is a different origin "
                     "than http://a.test."]


def test_scheme_downgrade_counts_as_another_origin():
    prev = HttpRequest("GET", "https://a.test/x", (("Cookie", "s=1"),))
    nxt, _ = redirect_request(prev, 301, "http://a.test/x")
    assert nxt.headers == ()


def test_307_keeps_method_and_body_relative_location():
    prev = HttpRequest("PUT", "http://a.test/dir/x", (("Content-Type", "text/plain"),), b"data")
    nxt, notes = redirect_request(prev, 307, "../y")
    assert (nxt.method, nxt.url, nxt.body, nxt.headers) == ("PUT", "http://a.test/y", b"data",
                                                           (("Content-Type", "text/plain"),))
    assert notes == []


def test_302_post_becomes_get_without_body_headers():
    prev = HttpRequest("POST", "http://a.test/x", (("Content-Type", "a/b"), ("Content-Length", "4")), b"data")
    nxt, notes = redirect_request(prev, 302, "/y")
    assert (nxt.method, nxt.body, nxt.headers) == ("GET", None, ())
    assert "POST into GET" in notes[0]
