"""Transport against real loopback servers (tests/net/servers.py), one behaviour per test."""

from __future__ import annotations

import asyncio
import json
import os
import time
import zlib
from pathlib import Path

import pytest

from app.core.models import HttpRequest, header_value, header_values
from app.net.transport import USER_AGENT, SendOptions, Transport
import servers as S  # tests/net/servers.py (pytest puts this folder on sys.path, like tests/demo/demo_wire.py)

FAST = SendOptions(timeout=5.0, deadline=15.0)


def send(handler, request_for, options: SendOptions = FAST, tmp: Path | None = None, progress=None, **server_kw):
    """Start a server with ``handler``, send ``request_for(server)``, return (exchange, server)."""

    async def body():
        transport = Transport(str(tmp) if tmp else None)
        try:
            async with S.RawServer(handler, **server_kw) as srv:
                ex = await transport.send(request_for(srv), options, progress)
                return ex, srv
        finally:
            await transport.aclose()

    return S.run(body())


def echoed(ex) -> dict:
    assert ex.error is None, ex.error
    return json.loads(ex.response.body)


# --- what goes on the wire ------------------------------------------------------------------------------


def test_sent_headers_are_the_wire_headers_in_order_including_httpx_defaults():
    ex, srv = send(S.echo, lambda s: HttpRequest("GET", s.url("/x?q=1"), (("X-Trace", "abc"),)))
    got = echoed(ex)
    wire = [tuple(h) for h in got["headers"]]
    assert list(ex.request.headers) == wire
    names = [k.lower() for k, _ in ex.request.headers]
    for added in ("host", "accept", "accept-encoding", "connection", "user-agent"):
        assert added in names
    assert ex.request.header("User-Agent") == USER_AGENT
    assert ex.request.header("Accept-Encoding") == "gzip, deflate, br, zstd"
    assert ex.request.header("Connection") == "keep-alive"  # we add no "close"
    assert ex.request.header("Content-Type") is None and ex.request.header("Content-Length") is None
    assert got["framing"] == "none" and got["raw_body"] == ""
    assert got["target"] == "/x?q=1"


def test_typed_user_agent_and_accept_encoding_win():
    ex, _ = send(S.echo, lambda s: HttpRequest(
        "GET", s.url(), (("User-Agent", "curl/8.0"), ("Accept-Encoding", "identity"))))
    got = echoed(ex)
    assert [v for k, v in got["headers"] if k.lower() == "user-agent"] == ["curl/8.0"]
    assert [v for k, v in got["headers"] if k.lower() == "accept-encoding"] == ["identity"]


def test_no_content_type_is_ever_added():
    ex, _ = send(S.echo, lambda s: HttpRequest("POST", s.url(), (), b'{"a": 1}'))
    got = echoed(ex)
    assert not [k for k, _ in got["headers"] if k.lower() == "content-type"]
    assert got["body"] == '{"a": 1}'
    assert header_value(tuple(map(tuple, got["headers"])), "Content-Length") == "8"


def test_wrong_typed_content_length_sends_real_length_with_a_note():
    ex, _ = send(S.echo, lambda s: HttpRequest("POST", s.url(), (("Content-Length", "100"),), b"hello world!"))
    got = echoed(ex)
    assert header_values(tuple(map(tuple, got["headers"])), "content-length") == ["12"]
    assert got["body"] == "hello world!"
    assert ex.request.header("Content-Length") == "12"
    assert ("You typed Content-Length: 100 but the body is 12 bytes; the HTTP library cannot send a wrong "
            "length, so 12 was sent.") in ex.notes


def test_right_typed_content_length_is_sent_as_typed_without_note():
    ex, _ = send(S.echo, lambda s: HttpRequest("PUT", s.url(), (("content-length", "3"),), b"abc"))
    got = echoed(ex)
    assert ["content-length", "3"] in got["headers"]
    assert ex.notes == ()


def test_typed_transfer_encoding_chunked_really_goes_chunked():
    ex, _ = send(S.echo, lambda s: HttpRequest("POST", s.url(), (("Transfer-Encoding", "chunked"),), b"hello world!"))
    got = echoed(ex)
    assert got["framing"] == "chunked"
    assert got["raw_body"] == "c\r\nhello world!\r\n0\r\n\r\n"
    assert not [k for k, _ in got["headers"] if k.lower() == "content-length"]
    assert ex.request.chunked is True


def test_chunked_flag_sends_chunked_and_drops_typed_content_length():
    body = os.urandom(200_000)
    ex, srv = send(S.echo, lambda s: HttpRequest("POST", s.url(), (("Content-Length", "5"),), body, chunked=True))
    got = echoed(ex)
    assert got["framing"] == "chunked"
    assert srv.received[0].body == body
    assert ex.request.header("Transfer-Encoding") == "chunked"
    assert any("chunked" in n and "Content-Length" in n for n in ex.notes)


# --- response framing, bodies, caps ------------------------------------------------------------------------


def test_content_length_response():
    ex, _ = send(S.fixed(200, "OK", [("Content-Length", "5")], b"hello"), lambda s: HttpRequest("GET", s.url()))
    r = ex.response
    assert (r.status, r.reason, r.body, r.wire_bytes, r.decoded_bytes, r.framing) == (
        200, "OK", b"hello", 5, 5, "content-length")
    assert ex.error is None
    t = ex.timing
    assert t.connect is not None and t.tls is None and t.first_byte is not None and t.total is not None
    assert t.total >= t.connect


def test_chunked_response():
    ex, _ = send(S.chunked([b"abc", b"defg"]), lambda s: HttpRequest("GET", s.url()))
    assert ex.response.body == b"abcdefg" and ex.response.framing == "chunked" and ex.error is None


def test_close_delimited_response():
    ex, _ = send(S.close_delimited(b"until close"), lambda s: HttpRequest("GET", s.url()))
    assert ex.response.body == b"until close" and ex.response.framing == "close"


@pytest.mark.parametrize("method,status", [("HEAD", 200), ("GET", 204), ("GET", 304)])
def test_no_body_framing(method, status):
    handler = S.fixed(status, "X", [("Content-Length", "5")] if method == "HEAD" else [])
    ex, _ = send(handler, lambda s: HttpRequest(method, s.url()))
    assert ex.response.framing == "none" and ex.response.body == b"" and ex.error is None


def test_gzip_and_deflate_bodies_are_decoded_and_wire_bytes_counted_before_decoding():
    data = b"the quick brown fox " * 5000
    gz = S.gzipped(data)
    ex, _ = send(S.encoded(gz, "gzip"), lambda s: HttpRequest("GET", s.url()))
    r = ex.response
    assert r.body == data and r.wire_bytes == len(gz) and r.decoded_bytes == len(data)
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    df = raw_deflate.compress(data) + raw_deflate.flush()
    ex, _ = send(S.encoded(df, "deflate"), lambda s: HttpRequest("GET", s.url()))
    assert ex.response.body == data and ex.response.wire_bytes == len(df)


def test_unknown_encoding_is_kept_as_received_with_a_note():
    ex, _ = send(S.encoded(b"\x1f\x9d\x90hi", "compress"), lambda s: HttpRequest("GET", s.url()))
    assert ex.response.body == b"\x1f\x9d\x90hi" and ex.error is None
    assert any("compress" in n and "cannot decode" in n for n in ex.notes)


def test_corrupt_gzip_is_a_decode_error_with_the_response():
    ex, _ = send(S.encoded(b"not gzip at all", "gzip"), lambda s: HttpRequest("GET", s.url()))
    assert ex.error.kind == "decode-error" and ex.response.status == 200


def test_big_body_spills_to_temp_file_with_exact_wire_bytes_and_progress(tmp_path):
    size = 5 * 1024 * 1024 + 123
    calls: list[tuple[int, int | None]] = []
    opts = SendOptions(timeout=5, deadline=20, memory_body_limit=1024 * 1024)
    ex, _ = send(S.big(size), lambda s: HttpRequest("GET", s.url()), opts, tmp_path,
                 progress=lambda n, total: calls.append((n, total)))
    r = ex.response
    assert ex.error is None
    assert r.wire_bytes == size and r.decoded_bytes == size
    assert r.body_truncated and len(r.body) == 1024 * 1024
    assert r.body_path and Path(r.body_path).parent == tmp_path
    on_disk = Path(r.body_path).read_bytes()
    assert len(on_disk) == size and on_disk[: len(r.body)] == r.body
    assert on_disk[:512] == bytes(range(256)) * 2
    assert calls and calls[-1] == (size, size)
    assert [n for n, _ in calls] == sorted(n for n, _ in calls)
    assert len(calls) <= size // (64 * 1024) + 2


def test_small_body_stays_in_memory(tmp_path):
    ex, _ = send(S.big(1000), lambda s: HttpRequest("GET", s.url()), FAST, tmp_path)
    assert ex.response.body_path is None and not ex.response.body_truncated and len(ex.response.body) == 1000
    assert list(tmp_path.iterdir()) == []


def test_declared_too_large_is_not_downloaded():
    opts = SendOptions(timeout=5, deadline=15, max_body_bytes=1024 * 1024)
    ex, _ = send(S.big(3 * 1024 * 1024), lambda s: HttpRequest("GET", s.url()), opts)
    assert ex.error.kind == "too-large" and ex.response.status == 200
    assert ex.response.wire_bytes == 0 and ex.response.body_truncated
    assert "1048576" in ex.error.text


def test_streamed_too_large_stops_reading():
    payload = b"y" * (300 * 1024)
    opts = SendOptions(timeout=5, deadline=15, max_body_bytes=100 * 1024)
    ex, _ = send(S.chunked([payload[i:i + 16384] for i in range(0, len(payload), 16384)]),
                 lambda s: HttpRequest("GET", s.url()), opts)
    assert ex.error.kind == "too-large"
    assert 100 * 1024 < ex.response.wire_bytes < len(payload) + 16384
    assert ex.response.body_truncated


def test_gzip_bomb_stops_at_max_decoded_bytes():
    bomb = S.gzip_bytes(50 * 1024 * 1024)
    opts = SendOptions(timeout=5, deadline=15, max_decoded_bytes=1024 * 1024)
    ex, _ = send(S.encoded(bomb, "gzip"), lambda s: HttpRequest("GET", s.url()), opts)
    assert ex.error.kind == "decompression-bomb"
    r = ex.response
    assert r.status == 200 and r.decoded_bytes == 1024 * 1024 and r.body_truncated
    assert r.wire_bytes <= len(bomb)
    assert set(r.body) == {0}


# --- failures -----------------------------------------------------------------------------------------


def test_short_content_length_keeps_the_partial_response_and_says_so():
    ex, _ = send(S.short_body(100, 10), lambda s: HttpRequest("GET", s.url()))
    assert ex.error.kind == "incomplete-body"
    assert ex.error.text == "The server promised 100 bytes (Content-Length) but closed the connection after 10."
    assert ex.response.status == 200 and ex.response.body == b"x" * 10 and ex.response.wire_bytes == 10
    assert "RemoteProtocolError" in ex.error.detail


def test_unfinished_chunked_body_is_incomplete():
    ex, _ = send(S.chunked([b"abc"], finish=False), lambda s: HttpRequest("GET", s.url()))
    assert ex.error.kind == "incomplete-body" and "chunked" in ex.error.text
    assert ex.response.body == b"abc"


def test_garbage_status_line_is_protocol():
    ex, _ = send(S.garbage(), lambda s: HttpRequest("GET", s.url()))
    assert ex.response is None and ex.error.kind == "protocol"
    assert "HELLO" in ex.error.text and ex.error.detail


def test_reset_is_connection_reset():
    ex, _ = send(S.reset(), lambda s: HttpRequest("GET", s.url()))
    assert ex.error.kind == "connection-reset" and ex.response is None


def test_close_without_answer_is_connection_reset():
    ex, _ = send(S.garbage(b""), lambda s: HttpRequest("GET", s.url()))
    assert ex.error.kind == "connection-reset" and "without sending an answer" in ex.error.text


def test_refused():
    port = S.free_port()
    ex = S.run(Transport().send(HttpRequest("GET", f"http://127.0.0.1:{port}/"), FAST))
    assert ex.error.kind == "refused" and f"127.0.0.1:{port}" in ex.error.text and ex.response is None
    assert ex.request.header("Host") == f"127.0.0.1:{port}"


@pytest.mark.parametrize("url", ["ftp://example.com/", "example.com/x", "http://", "", "http://a b/"])
def test_invalid_url(url):
    ex = S.run(Transport().send(HttpRequest("GET", url), FAST))
    assert ex.error.kind == "invalid-url" and ex.response is None
    assert ex.request.url == url


@pytest.mark.parametrize("name,value", [("X-A", "a\r\nInjected: 1"), ("X-A", "price €"), ("Bad Name", "1"),
                                        ("X-A:", "1"), ("X-A", "bell\x07")])
def test_invalid_header_is_refused_before_connecting(name, value):
    ex, srv = send(S.echo, lambda s: HttpRequest("GET", s.url(), ((name, value),)))
    assert ex.error.kind == "invalid-header" and srv.connections == 0
    assert name.strip(":") in ex.error.text


def test_read_timeout():
    opts = SendOptions(timeout=0.3, deadline=10)
    ex, _ = send(S.silent(), lambda s: HttpRequest("GET", s.url()), opts)
    assert ex.error.kind == "timeout" and "0.3 seconds" in ex.error.text


def test_trickling_server_is_cut_at_the_deadline():
    opts = SendOptions(timeout=5, deadline=1.0)
    start = time.monotonic()
    ex, _ = send(S.trickle(0.1), lambda s: HttpRequest("GET", s.url()), opts)
    elapsed = time.monotonic() - start
    assert elapsed < 1.0 + 2.0
    assert ex.error.kind == "timeout" and "deadline of 1 second" in ex.error.text
    assert ex.response.status == 200 and ex.response.wire_bytes and ex.response.body_truncated


def test_default_deadline():
    assert SendOptions(timeout=10).effective_deadline == 50
    assert SendOptions(timeout=10, deadline=3).effective_deadline == 3


# --- TLS ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_context(tmp_path_factory):
    ctx = S.self_signed_context(tmp_path_factory.mktemp("tls"))
    if ctx is None:
        pytest.skip("openssl is not available to make a self-signed certificate")
    return ctx


def test_self_signed_certificate_is_tls_error(tls_context):
    ex, _ = send(S.echo, lambda s: HttpRequest("GET", s.url()), ssl_context=tls_context)
    assert ex.error.kind == "tls" and "certificate" in ex.error.text and "self-signed" in ex.error.text


def test_verify_off_talks_to_self_signed_and_times_tls(tls_context):
    opts = SendOptions(timeout=5, deadline=15, verify=False)
    ex, _ = send(S.echo, lambda s: HttpRequest("GET", s.url()), opts, ssl_context=tls_context)
    assert ex.error is None and ex.response.status == 200
    assert ex.timing.tls is not None and ex.timing.connect is not None


def test_https_to_plain_http_server_is_tls_error():
    handler = S.garbage(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    ex, _ = send(handler, lambda s: HttpRequest("GET", s.url(scheme="https")), read=False)
    assert ex.error.kind == "tls" and "http://" in ex.error.text


# --- redirects ----------------------------------------------------------------------------------------

SECRETS = (("Authorization", "Bearer s3cret"), ("Cookie", "sid=1"), ("X-Api-Key", "k"), ("X-Auth-Token", "t"),
           ("X-Client-Secret", "c"), ("X-Plain", "visible"))


def test_redirects_are_not_followed_by_default():
    ex, srv = send(S.redirect("/elsewhere"), lambda s: HttpRequest("GET", s.url()))
    assert ex.response.status == 302 and ex.response.header("Location") == "/elsewhere"
    assert len(srv.received) == 1


def test_cross_origin_redirect_withholds_secret_headers():
    async def body():
        transport = Transport()
        async with S.RawServer(S.echo) as other:
            async with S.RawServer(S.redirect(other.url("/landed"))) as first:
                ex = await transport.send(HttpRequest("GET", first.url("/start"), SECRETS),
                                          SendOptions(timeout=5, deadline=15, follow_redirects=True))
                await transport.aclose()
                return ex, first, other

    ex, first, other = S.run(body())
    got = echoed(ex)
    names = {k.lower() for k, _ in got["headers"]}
    assert "x-plain" in names
    for secret, _ in SECRETS[:-1]:
        assert secret.lower() not in names
        assert first.received[0].header(secret) is not None  # the first origin did get them
    assert got["target"] == "/landed"
    assert any("Redirect 1: 302" in n for n in ex.notes)
    assert any("were not sent to http://127.0.0.1:%d" % other.port in n for n in ex.notes)
    assert ex.request.url == other.url("/landed")


def test_same_origin_redirect_keeps_headers_and_303_turns_post_into_get():
    handler = S.routes({"/a": S.redirect("/b", 303), "/b": S.echo})
    opts = SendOptions(timeout=5, deadline=15, follow_redirects=True)
    ex, srv = send(handler, lambda s: HttpRequest("POST", s.url("/a"), SECRETS + (("Content-Type", "text/plain"),),
                                                  b"data"), opts)
    got = echoed(ex)
    assert got["method"] == "GET" and got["body"] == "" and got["target"] == "/b"
    names = {k.lower() for k, _ in got["headers"]}
    assert "authorization" in names and "x-api-key" in names and "content-type" not in names
    assert srv.received[0].body == b"data"


def test_redirect_to_another_scheme_is_not_followed():
    opts = SendOptions(timeout=5, deadline=15, follow_redirects=True)
    ex, srv = send(S.redirect("ftp://127.0.0.1/file"), lambda s: HttpRequest("GET", s.url()), opts)
    assert ex.error is None and ex.response.status == 302 and len(srv.received) == 1
    assert any("was not followed" in n for n in ex.notes)


def test_redirect_loop_stops_after_ten():
    opts = SendOptions(timeout=5, deadline=15, follow_redirects=True)
    ex, srv = send(S.redirect("/again"), lambda s: HttpRequest("GET", s.url()), opts)
    assert ex.error.kind == "too-many-redirects" and ex.response.status == 302
    assert len(srv.received) == 11


# --- cancellation, client reuse -------------------------------------------------------------------------


def test_cancel_propagates_and_closes_the_connection():
    async def body():
        transport = Transport()
        async with S.RawServer(S.silent()) as srv:
            before = asyncio.all_tasks()
            task = asyncio.create_task(transport.send(HttpRequest("GET", srv.url()), FAST))
            await asyncio.wait_for(srv.request_seen.wait(), 5)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.wait_for(srv.connection_closed.wait(), 5)  # the client closed its socket
            await transport.aclose()
            for _ in range(5):
                await asyncio.sleep(0)
            leftover = [t for t in asyncio.all_tasks() - before if t is not task]
            return srv, leftover

    srv, leftover = S.run(body())
    assert srv.closed_connections == 1
    assert leftover == []


def test_client_is_reused_but_every_send_uses_a_fresh_connection():
    async def body():
        transport = Transport()
        async with S.RawServer(S.keep_alive) as srv:
            for _ in range(3):
                ex = await transport.send(HttpRequest("GET", srv.url()), FAST)
                assert ex.error is None and ex.timing.connect is not None
            clients = dict(transport._clients)
            await transport.aclose()
            return srv, clients

    srv, clients = S.run(body())
    assert srv.connections == 3 and len(clients) == 1


# --- environment: proxies and certificates ----------------------------------------------------------------


def test_env_proxy_does_not_apply_to_loopback(monkeypatch):
    dead_proxy = f"http://127.0.0.1:{S.free_port()}"
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    ex, srv = send(S.echo, lambda s: HttpRequest("GET", s.url()))
    assert ex.error is None and len(srv.received) == 1 and srv.received[0].target == "/"


def test_missing_ssl_cert_file_falls_back_to_certifi_with_a_note(monkeypatch, tmp_path, tls_context):
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    ex, _ = send(S.echo, lambda s: HttpRequest("GET", s.url()), ssl_context=tls_context)
    assert ex.error.kind == "tls"  # certifi does not know our self-signed cert, but nothing crashed
    assert any("SSL_CERT_FILE" in n and "certifi" in n for n in ex.notes)
    ex, _ = send(S.echo, lambda s: HttpRequest("GET", s.url()))
    assert ex.error is None and ex.notes == ()  # plain http: the certificate note is not noise there


@pytest.mark.parametrize("content_length,framing", [(True, "content-length"), (False, "unknown")])
def test_http2(tmp_path, content_length, framing):
    ctx = S.self_signed_context(tmp_path, alpn=["h2"])
    if ctx is None:
        pytest.skip("openssl is not available to make a self-signed certificate")
    opts = SendOptions(timeout=5, deadline=15, verify=False, http2=True)
    ex, _ = send(S.h2_answer(b"over h2", content_length=content_length), lambda s: HttpRequest("GET", s.url()),
                 opts, ssl_context=ctx, read=False)
    assert ex.error is None, ex.error
    r = ex.response
    assert (r.http_version, r.status, r.body, r.wire_bytes, r.framing) == ("HTTP/2", 200, b"over h2", 7, framing)
    assert ex.timing.tls is not None and ex.timing.first_byte is not None
    assert ex.request.header("User-Agent") == USER_AGENT


def test_latin1_header_value_arrives_as_latin1():
    ex, srv = send(S.echo, lambda s: HttpRequest("GET", s.url(), (("X-Name", "José"),)))
    assert ex.error is None and srv.received[0].header("X-Name") == "José"
    assert ex.request.header("X-Name") == "José"


# --- cookies: none but the typed ones ----------------------------------------------------------------------

FOLLOW = SendOptions(timeout=5, deadline=15, follow_redirects=True)


def _cookie_redirect(location: str, *cookies: str, status: int = 302) -> S.Handler:
    return S.fixed(status, "Found", [("Location", location), *[("Set-Cookie", c) for c in cookies],
                                     ("Content-Length", "0")])


def test_a_cookie_set_by_one_send_is_never_sent_by_a_later_send():
    """Two tabs share the transport: one tab's Set-Cookie must not reach the other tab's request."""
    async def body():
        transport = Transport()
        sets = S.fixed(200, "OK", [("Set-Cookie", "sid=TAB1; Path=/"), ("Content-Length", "0")])
        async with S.RawServer(sets) as first, S.RawServer(S.echo) as other:
            await transport.send(HttpRequest("GET", first.url("/login")), FAST)
            later_same = await transport.send(HttpRequest("GET", first.url("/again")), FAST)
            later_other = await transport.send(HttpRequest("GET", other.url("/x")), FAST)
            await transport.aclose()
            return first, later_same, later_other

    first, later_same, later_other = S.run(body())
    assert first.received[1].header("Cookie") is None
    assert later_same.request.header("Cookie") is None
    assert header_value(tuple(map(tuple, echoed(later_other)["headers"])), "Cookie") is None


def test_redirect_cookie_never_goes_to_another_origin_and_the_notes_say_so():
    async def body():
        transport = Transport()
        async with S.RawServer(S.echo) as other:
            async with S.RawServer(_cookie_redirect(other.url("/landed"), "sid=S1; Path=/", "lang=en")) as first:
                ex = await transport.send(HttpRequest("GET", first.url("/start"), (("Cookie", "typed=T1"),)), FOLLOW)
                await transport.aclose()
                return ex, first, other

    ex, first, other = S.run(body())
    assert other.received[0].header("Cookie") is None
    assert first.received[0].header("Cookie") == "typed=T1"
    notes = " ".join(ex.notes)
    assert f"Cookie was not sent to {other.url('')}" in notes  # the typed one, withheld: true now
    assert f"Cookies sid, lang set by the 302 response of {first.url('')} were not sent to" in notes
    assert "S1" not in notes and "T1" not in notes  # names, never values


def test_redirect_cookie_follows_within_the_same_origin_honouring_path_and_secure():
    handler = S.routes({
        "/login": _cookie_redirect("/app/home", "sid=S2; Path=/", "admin=A1; Path=/admin", "tls=X; Secure",
                                   "gone=1; Max-Age=0"),
        "/app/home": S.echo,
    })
    ex, srv = send(handler, lambda s: HttpRequest("GET", s.url("/login"), (("Cookie", "typed=T2"),)), FOLLOW)
    assert srv.received[1].header("Cookie") == "typed=T2; sid=S2"
    assert ex.request.header("Cookie") == "typed=T2; sid=S2"
    assert any(n.startswith("Cookie sid set by a redirect response of") and "(the same origin)" in n
               for n in ex.notes)


def test_redirect_cookie_returns_to_its_origin_but_skips_the_one_in_between():
    async def body():
        transport = Transport()
        async with S.RawServer(S.routes({"/start": S.echo, "/back": S.echo})) as home:
            async with S.RawServer(_cookie_redirect(home.url("/back"), "b=B1")) as middle:
                home.handler = S.routes({"/start": _cookie_redirect(middle.url("/m"), "h=H1"), "/back": S.echo})
                ex = await transport.send(HttpRequest("GET", home.url("/start")), FOLLOW)
                await transport.aclose()
                return ex, home, middle

    ex, home, middle = S.run(body())
    assert middle.received[0].header("Cookie") is None
    assert home.received[1].header("Cookie") == "h=H1"
    assert echoed(ex)["target"] == "/back"


@pytest.mark.parametrize("name", ["Token", "Authentication", "Api_Key", "Proxy-Authorization", "X-Session-Token"])
def test_secret_headers_from_the_one_table_are_not_forwarded_to_another_origin(name):
    async def body():
        transport = Transport()
        async with S.RawServer(S.echo) as other:
            async with S.RawServer(S.redirect(other.url("/landed"))) as first:
                ex = await transport.send(HttpRequest("GET", first.url("/"), ((name, "SECRET-V"),)), FOLLOW)
                await transport.aclose()
                return ex, first, other

    ex, first, other = S.run(body())
    assert first.received[0].header(name) == "SECRET-V"
    assert other.received[0].header(name) is None
    assert any(f"{name} was not sent to" in n for n in ex.notes)
