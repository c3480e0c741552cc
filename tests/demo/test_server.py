"""The practice server on loopback: documented statuses, /orders rules, misbehaviour on the wire, streams."""

from __future__ import annotations

import base64
import gzip
import json
import socket
import subprocess
import sys
import time
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path

import httpx
import pytest

from app.core.catalog import load_default_catalog
from app.demo.server import DemoServer, DemoServerThread
from demo_wire import address, dechunk, exchange, parse, read_until_close, request

ROOT = Path(__file__).resolve().parents[2]

CATALOG = load_default_catalog()


def documented_codes() -> list[int]:
    codes = []
    for entry in CATALOG.entries:
        code = 204 if entry.status.lower() == "no content" else entry.code  # the page lists No Content under 200
        if code not in codes:
            codes.append(code)
    return codes


def post_order(client: httpx.Client, body: object = None, **kwargs) -> httpx.Response:
    return client.post("/orders", json={"item": "coffee"} if body is None else body, **kwargs)


# -- /status/{code} ----------------------------------------------------------------------------------------------
def test_every_documented_status_answers_with_message_and_the_pages_description(client):
    codes = documented_codes()
    assert {200, 201, 204, 400, 401, 403, 404, 405, 406, 411, 415, 429, 500, 502, 503} <= set(codes)
    for code in codes:
        r = client.get(f"/status/{code}")
        assert r.status_code == code
        assert r.reason_phrase == HTTPStatus(code).phrase  # the standard phrase on the wire, not the page's
        if code == 204:
            assert r.content == b""
            continue
        assert r.headers["content-type"] == "application/json"
        assert int(r.headers["content-length"]) == len(r.content)
        data = r.json()
        assert data["Message"].endswith("."), code
        assert data["Description"] == CATALOG.lookup(code).description


def test_304_has_no_body(client):
    r = client.get("/status/304")
    assert r.status_code == 304 and r.content == b"" and "content-type" not in r.headers


def test_204_has_no_body_and_no_length_and_keeps_the_connection(demo_url):
    two = request("GET", "/status/204", close=False) + request("GET", "/status/404")
    raw = exchange(demo_url, two)
    first, _, rest = raw.partition(b"\r\n\r\n")
    assert first.startswith(b"HTTP/1.1 204 No Content\r\n")
    assert b"content-length" not in first.lower()
    assert rest.startswith(b"HTTP/1.1 404 Not Found\r\n")  # nothing between the two answers


def test_undocumented_code_gets_standard_phrase_and_fallback_description(client):
    r = client.get("/status/418")
    assert r.status_code == 418
    assert r.reason_phrase == "I'm a Teapot"
    assert r.json()["Description"] == CATALOG.lookup(418).description


@pytest.mark.parametrize("code", ["100", "101", "199", "600", "42", "abc"])
def test_impossible_codes_are_refused_with_a_sentence(client, code):
    r = client.get(f"/status/{code}")
    assert r.status_code == 400
    message = r.json()["Message"]
    assert "200 and 599" in message
    if code.startswith("1") and len(code) == 3:
        assert "1xx" in message


def test_429_and_503_carry_retry_after(client):
    assert client.get("/status/429").headers["retry-after"] == "30"
    assert client.get("/status/503").headers["retry-after"] == "30"
    assert client.get("/status/429?retry_after=7").headers["retry-after"] == "7"
    r = client.get("/status/429?retry_after=120&retry_after_date=1")
    when = parsedate_to_datetime(r.headers["retry-after"]).timestamp()
    assert abs(when - (time.time() + 120)) < 5
    assert client.get("/status/429?retry_after=-1").status_code == 400


def test_retry_after_date_follows_the_injected_clock(fresh, fresh_client, clock):
    r = fresh_client.get("/status/503?retry_after=90&retry_after_date=1")
    assert parsedate_to_datetime(r.headers["retry-after"]).timestamp() == clock.now() + 90
    assert parsedate_to_datetime(r.headers["date"]).timestamp() == clock.now()


def test_405_201_401_and_redirect_status_carry_their_headers(client):
    assert client.get("/status/405").headers["allow"] == "GET, HEAD"
    assert client.get("/status/405?allow=GET,%20POST").headers["allow"] == "GET, POST"
    assert client.get("/status/201").headers["location"] == "/orders/1"
    assert client.get("/status/401").headers.get_list("www-authenticate") == ['Bearer realm="demo"',
                                                                              'Basic realm="demo"']
    assert client.get("/status/301").headers["location"] == "/"


def test_any_method_works_on_status(client):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        assert client.request(method, "/status/502").status_code == 502


# -- /orders ------------------------------------------------------------------------------------------------------
def test_post_creates_an_order_with_location(fresh_client):
    r = post_order(fresh_client, {"item": "espresso", "quantity": 2})
    assert r.status_code == 201
    order = r.json()
    assert order["item"] == "espresso" and order["quantity"] == 2
    assert r.headers["location"] == f"/orders/{order['id']}"
    assert fresh_client.get(r.headers["location"]).json() == order
    listed = fresh_client.get("/orders").json()["orders"]
    assert order in listed


def test_rate_limit_429_then_frees_when_the_clock_moves(fresh_client, clock):
    remaining = []
    for i in range(3):
        r = post_order(fresh_client)
        assert r.status_code == 201
        remaining.append(r.headers["x-ratelimit-remaining"])
        assert r.headers["x-ratelimit-limit"] == "3"
        assert r.headers["ratelimit-policy"] == '"orders";q=3;w=60'
        if i == 0:
            clock.advance(10)  # the first slot frees 10 s before the other two
    assert remaining == ["2", "1", "0"]
    assert r.headers["ratelimit"] == '"orders";r=0;t=50'
    assert r.headers["x-ratelimit-reset"] == "50"

    r = post_order(fresh_client)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "50"
    assert r.headers["x-ratelimit-remaining"] == "0"
    body = r.json()
    assert body["Description"]
    assert "50 seconds" in body["Message"]

    clock.advance(20.5)
    r = post_order(fresh_client)
    assert r.status_code == 429
    assert r.headers["retry-after"] == "30"  # ceil(29.5)
    assert r.headers["ratelimit"] == '"orders";r=0;t=30'

    clock.advance(29.5)
    r = post_order(fresh_client)
    assert r.status_code == 201
    assert r.headers["x-ratelimit-remaining"] == "0"  # the two later slots are still held
    r = post_order(fresh_client)
    assert r.status_code == 429 and r.headers["retry-after"] == "10"


def test_retry_after_is_at_least_one_second(fresh_client, clock):
    for _ in range(3):
        post_order(fresh_client)
    clock.advance(59.9)
    r = post_order(fresh_client)
    assert r.status_code == 429 and r.headers["retry-after"] == "1"


def test_get_is_not_rate_limited(fresh_client):
    for _ in range(6):
        assert fresh_client.get("/orders").status_code == 200


def test_chunked_body_gets_411(fresh_client):
    r = fresh_client.post("/orders", content=iter([b'{"item":', b' "tea"}']),
                          headers={"Content-Type": "application/json"})
    assert r.status_code == 411
    assert r.json()["Description"] == "Content-Length header is missing or wrong."
    assert "x-ratelimit-remaining" in r.headers


def test_post_without_any_length_gets_411(fresh):
    raw = exchange(fresh.url, request("POST", "/orders", [("Content-Type", "application/json")]))
    assert parse(raw).status == 411


def test_body_shorter_than_content_length_gets_411(fresh):
    req = request("POST", "/orders", [("Content-Type", "application/json"), ("Content-Length", "40")],
                  b'{"item": "tea"}')
    resp = parse(exchange(fresh.url, req, shut_write=True))
    assert resp.status == 411
    message = json.loads(resp.body)["Message"]
    assert "40 bytes" in message and "15" in message


def test_missing_or_wrong_content_type_gets_415(fresh_client):
    r = fresh_client.post("/orders", content=b'{"item": "tea"}')
    assert r.status_code == 415
    assert "no Content-Type" in r.json()["Message"]
    r = fresh_client.post("/orders", content=b"item=tea", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    r = fresh_client.post("/orders", content=b'{"item": "tea"}', headers={"Content-Type": "application/vnd.demo+json"})
    assert r.status_code == 201


@pytest.mark.parametrize("accept, code", [
    ("text/csv", 406), ("application/xml", 406), ("application/json;q=0, */*", 406),
    ("*/*", 201), ("application/*", 201), ("text/html, application/json;q=0.5", 201),
])
def test_accept_is_checked_before_the_body(fresh_client, accept, code):
    headers = {"Accept": accept, "Content-Type": "application/json"}
    r = fresh_client.post("/orders", content=b"not json", headers=headers)
    assert r.status_code == (code if code == 406 else 400)  # 400: the body was looked at only when Accept passed


@pytest.mark.parametrize("body, words", [
    (b'{"item": ', "line 1, column 10"),
    (b"[1, 2]", "JSON object, not an array"),
    (b'{"name": "tea"}', '"item" is required'),
    (b'{"item": ""}', "non-empty"),
    (b'{"item": "tea", "quantity": 0}', "quantity"),
    (b"", "empty"),
    (b"\xff\xfe", "UTF-8"),
])
def test_bad_bodies_get_400_saying_what_is_wrong(fresh_client, body, words):
    r = fresh_client.post("/orders", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert words in r.json()["Message"]
    assert r.json()["Description"] == "Something in the request is missing or wrong."


def test_order_item_get_delete_and_404(fresh_client):
    created = post_order(fresh_client).json()
    path = f"/orders/{created['id']}"
    assert fresh_client.get(path).status_code == 200
    r = fresh_client.delete(path)
    assert r.status_code == 204 and r.content == b"" and "content-length" not in r.headers
    assert fresh_client.get(path).status_code == 404
    assert fresh_client.get("/orders/nope").status_code == 404
    r = fresh_client.put(path)
    assert r.status_code == 405 and r.headers["allow"] == "GET, DELETE"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_collection_refuses_other_methods_with_allow(client, method):
    r = client.request(method, "/orders")
    assert r.status_code == 405
    assert r.headers["allow"] == "GET, POST"
    assert "Message" in r.json()


def test_unknown_path_is_404_json(client):
    r = client.get("/no/such/thing")
    assert r.status_code == 404
    assert "GET /" in r.json()["Message"]


# -- auth ---------------------------------------------------------------------------------------------------------
def test_secure_needs_credentials(client):
    r = client.get("/secure")
    assert r.status_code == 401
    assert any(v.startswith("Bearer") for v in r.headers.get_list("www-authenticate"))
    r = client.get("/secure", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["www-authenticate"]
    assert client.get("/secure", headers={"Authorization": "Bearer demo-token"}).status_code == 200
    assert client.get("/secure", auth=("demo", "demo")).status_code == 200
    assert client.get("/secure", auth=("demo", "nope")).status_code == 401
    assert client.get("/secure", headers={"Authorization": "Basic !!!"}).status_code == 401
    assert client.get("/forbidden").status_code == 403


def test_orders_with_auth_flag(fresh_client):
    assert post_order(fresh_client, params={"auth": "1"}).status_code == 401
    r = post_order(fresh_client, params={"auth": "1"}, headers={"Authorization": "Bearer demo-token"})
    assert r.status_code == 201


# -- misbehaving on request, checked on the wire --------------------------------------------------------------------
def get_raw(url: str, target: str, method: str = "GET"):
    return parse(exchange(url, request(method, target)))


def test_misbehave_no_content_type(demo_url):
    resp = get_raw(demo_url, "/status/400?misbehave=no-content-type")
    assert resp.status == 400 and resp.header("Content-Type") is None
    assert json.loads(resp.body)["Message"]


def test_misbehave_wrong_content_type(demo_url):
    resp = get_raw(demo_url, "/status/500?misbehave=wrong-content-type")
    assert resp.header("Content-Type") == "text/html; charset=utf-8"
    assert json.loads(resp.body)["Message"]


def test_misbehave_xml(demo_url):
    resp = get_raw(demo_url, "/status/404?misbehave=xml")
    assert resp.header("Content-Type").startswith("application/xml")
    assert b"<Error>" in resp.body and b"<Message>No resource exists at this address.</Message>" in resp.body
    assert int(resp.header("Content-Length")) == len(resp.body)


def test_misbehave_problem_json(demo_url):
    resp = get_raw(demo_url, "/status/403?misbehave=problem")
    assert resp.header("Content-Type") == "application/problem+json"
    data = json.loads(resp.body)
    assert data["title"] == "Forbidden" and data["status"] == 403 and data["detail"]


def test_misbehave_retry_after_values(demo_url):
    resp = get_raw(demo_url, "/status/429?misbehave=bad-retry-after")
    assert resp.values("Retry-After") == ["soon"]
    resp = get_raw(demo_url, "/status/503?misbehave=huge-retry-after")
    assert resp.values("Retry-After") == ["99999999"]


def test_misbehave_chunked(demo_url):
    resp = get_raw(demo_url, "/status/502?misbehave=chunked")
    assert resp.header("Transfer-Encoding") == "chunked" and resp.header("Content-Length") is None
    assert json.loads(dechunk(resp.body))["Message"]


def test_misbehave_close_delimited(demo_url):
    resp = get_raw(demo_url, "/status/500?misbehave=close")
    assert resp.header("Content-Length") is None and resp.header("Transfer-Encoding") is None
    assert resp.header("Connection") == "close"
    assert json.loads(resp.body)["Message"]  # the whole body arrived before the close


def test_misbehave_wrong_length_lies_then_closes(demo_url):
    resp = get_raw(demo_url, "/status/500?misbehave=wrong-length")
    assert int(resp.header("Content-Length")) == len(resp.body) + 10
    assert json.loads(resp.body)["Message"]
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{demo_url}/status/500?misbehave=wrong-length")


def test_misbehave_short_length(demo_url):
    resp = get_raw(demo_url, "/status/500?misbehave=short-length")
    assert int(resp.header("Content-Length")) == len(resp.body) - 5


def test_misbehave_length_on_204(demo_url):
    raw = exchange(demo_url, request("GET", "/status/204?misbehave=length-on-204"))
    resp = parse(raw)
    assert resp.status_line == "HTTP/1.1 204 No Content"
    assert resp.header("Content-Length") == "5" and resp.body == b""


def test_misbehave_combines_and_applies_to_orders(fresh, fresh_client):
    for _ in range(3):
        post_order(fresh_client)
    req = request("POST", "/orders?misbehave=xml,chunked", [("Content-Type", "application/json"),
                                                           ("Content-Length", "15")], b'{"item": "tea"}')
    resp = parse(exchange(fresh.url, req))
    assert resp.status == 429 and resp.header("Retry-After") == "60"
    assert resp.header("Transfer-Encoding") == "chunked"
    assert dechunk(resp.body).startswith(b"<?xml")


def test_lying_lengths_on_streams(demo_url):
    resp = get_raw(demo_url, "/bytes/100?misbehave=wrong-length")
    assert resp.header("Content-Length") == "110" and len(resp.body) == 100
    resp = get_raw(demo_url, "/bytes/100?misbehave=short-length")
    assert resp.header("Content-Length") == "95" and len(resp.body) == 100
    # no length known (chunked stream): the lie falls back to a close-delimited body, never buffering the stream
    resp = get_raw(demo_url, "/bytes/100?chunked=1&misbehave=wrong-length")
    assert resp.header("Content-Length") is None and len(resp.body) == 100


def test_unknown_misbehave_mode_is_named(client):
    r = client.get("/status/200?misbehave=explode")
    assert r.status_code == 400
    assert "explode" in r.json()["Message"] and "wrong-length" in r.json()["Message"]


# -- streams ------------------------------------------------------------------------------------------------------
def test_bytes_exact_length_and_pattern(client):
    r = client.get("/bytes/70000")
    assert r.headers["content-length"] == "70000"
    assert r.content == (bytes(range(256)) * 300)[:70000]


def test_bytes_chunked(demo_url):
    resp = get_raw(demo_url, "/bytes/100000?chunked=1")
    assert resp.header("Transfer-Encoding") == "chunked" and resp.header("Content-Length") is None
    assert len(dechunk(resp.body)) == 100000


@pytest.mark.parametrize("n", [2, 3, 100, 200_003])
def test_bytes_json_is_a_valid_array_of_exactly_n_bytes(client, n):
    r = client.get(f"/bytes/{n}?type=json")
    assert len(r.content) == n == int(r.headers["content-length"])
    assert isinstance(r.json(), list)


def test_bytes_large_body_streams(client):
    n = 30 * 1024 * 1024
    seen = 0
    with client.stream("GET", f"/bytes/{n}") as r:
        for piece in r.iter_raw():
            seen += len(piece)
    assert seen == n


def test_gzip_is_small_on_the_wire_and_decodes(client):
    n = 20_000_000
    with client.stream("GET", f"/gzip?bytes={n}") as r:
        wire = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) == len(wire) < n // 500
    assert gzip.decompress(wire) == bytes(n)
    with client.stream("GET", "/gzip?bytes=3000000&chunked=1") as r:
        wire = b"".join(r.iter_raw())
        assert "content-length" not in r.headers
    assert gzip.decompress(wire) == bytes(3_000_000)


def test_drip_delay_and_redirect(client):
    r = client.get("/drip?bytes=3&delay=0.01")
    assert r.content == b"***"
    assert client.get("/delay/0.01").json()["delay"] == 0.01
    assert client.get("/delay/61").status_code == 400
    assert client.get("/drip?bytes=1000&delay=60").status_code == 400
    r = client.get("/redirect?to=/orders&status=307")
    assert r.status_code == 307 and r.headers["location"] == "/orders"
    assert client.get("/redirect?to=/headers", follow_redirects=True).json()["target"] == "/headers"


def test_headers_echo_in_wire_order_and_case(demo_url):
    req = request("GET", "/headers", [("X-Zeta", "1"), ("accept", "*/*"), ("X-Zeta", "2"), ("X-Alpha", "a b")])
    resp = parse(exchange(demo_url, req))
    echoed = json.loads(resp.body)["headers"]
    assert echoed == [["Host", "127.0.0.1"], ["X-Zeta", "1"], ["accept", "*/*"], ["X-Zeta", "2"],
                      ["X-Alpha", "a b"], ["Connection", "close"]]


def test_echo_body_text_and_binary(client):
    data = client.post("/echo", content=b"hello", headers={"Content-Type": "text/plain"}).json()
    assert data["method"] == "POST" and data["body"] == "hello" and data["body_length"] == 5
    data = client.post("/echo", content=b"\xff\x00").json()
    assert data["body_encoding"] == "base64" and base64.b64decode(data["body"]) == b"\xff\x00"
    data = client.post("/echo", content=iter([b"a", b"b"])).json()
    assert data["chunked"] is True and data["body"] == "ab"


def test_index_lists_the_endpoints(client):
    data = client.get("/").json()
    paths = {e["path"] for e in data["endpoints"]}
    assert {"/status/{code}", "/orders", "/bytes/{n}", "/headers", "/echo", "/gzip"} <= paths
    assert "wrong-length" in data["misbehave"]


# -- HTTP plumbing -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/status/404", "/bytes/1000", "/", "/orders", "/status/429?misbehave=chunked",
                                    "/gzip?bytes=100000", "/bytes/10?chunked=1"])
def test_head_has_get_headers_and_no_body(client, demo_url, target):
    get = client.get(target)
    raw = exchange(demo_url, request("HEAD", target))
    resp = parse(raw)
    assert resp.status == get.status_code
    assert resp.body == b""
    for name in ("content-type", "content-length", "transfer-encoding", "retry-after"):
        assert resp.header(name) == get.headers.get(name), name


def test_keep_alive_serves_several_requests_on_one_connection(demo_url):
    raw = exchange(demo_url, request("GET", "/status/200", close=False) + request("HEAD", "/bytes/10", close=False)
                   + request("GET", "/status/201"))
    assert raw.count(b"HTTP/1.1 ") == 3


def test_expect_100_continue(fresh):
    body = b'{"item": "tea"}'
    req = request("POST", "/orders", [("Content-Type", "application/json"), ("Content-Length", str(len(body))),
                                      ("Expect", "100-continue")])
    with socket.create_connection(("127.0.0.1", fresh.server.port), timeout=5) as sock:
        sock.sendall(req)
        assert sock.recv(100).startswith(b"HTTP/1.1 100 Continue\r\n")
        sock.sendall(body)
        assert parse(read_until_close(sock)).status == 201


@pytest.mark.parametrize("garbage", [b"GARBAGE\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
                                     b"GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n"])
def test_garbage_gets_400_and_the_server_keeps_serving(demo_url, garbage):
    resp = parse(exchange(demo_url, garbage))
    assert resp.status == 400
    assert "could not be read as HTTP/1.1" in json.loads(resp.body)["Message"]
    assert httpx.get(f"{demo_url}/status/200").status_code == 200


def test_idle_connection_is_closed():
    with DemoServerThread(idle_timeout=0.2) as server:
        with socket.create_connection(("127.0.0.1", server.server.port), timeout=5) as sock:
            assert sock.recv(10) == b""  # closed by the server, well before the 5 s socket timeout


def test_client_that_vanishes_mid_stream_does_not_hurt(demo_url):
    with socket.create_connection(address(demo_url), timeout=5) as sock:
        sock.sendall(request("GET", "/bytes/50000000"))
        sock.recv(1000)
    assert httpx.get(f"{demo_url}/status/200").status_code == 200


# -- lifecycle ---------------------------------------------------------------------------------------------------
def test_thread_start_stop_idempotent_and_port_refused_after():
    server = DemoServerThread()
    url = server.start()
    assert url.startswith("http://127.0.0.1:") and url == server.url
    assert server.start() == url
    port = server.server.port
    assert httpx.get(url + "/status/200").status_code == 200
    server.stop()
    server.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_thread_start_raises_when_the_port_is_taken():
    with DemoServerThread() as first:
        with pytest.raises(OSError):
            DemoServerThread(port=first.server.port).start()


def test_async_server_start_stop():
    import asyncio

    async def main() -> int:
        async with DemoServer() as server:
            assert server.url == f"http://127.0.0.1:{server.port}"
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(request("GET", "/status/503"))
            raw = await reader.read()
            writer.close()
            return parse(raw).status

    assert asyncio.run(main()) == 503


def test_serve_forever_stops_on_sigterm():
    code = ("from app.demo.server import serve_forever\n"
            "serve_forever('127.0.0.1', 0, lambda url: print(url, flush=True))\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(url + "/").status_code == 200
        proc.terminate()
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill() if proc.poll() is None else None
