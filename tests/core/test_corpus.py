"""Real files from public projects (tests/data/README.md names each source and licence) through triage.

Each file: how many requests it holds, and one request checked by hand against the file (method, URL, headers,
body; the response where the file has one). Every file also goes through ``load_triage`` whole (the support
person's command line and the window's triage list) without an exception other than FormatError.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.core.catalog import load_default_catalog
from app.core.triage import TriageLoad, load_triage

DATA = Path(__file__).resolve().parents[1] / "data"
NOW = time.time()


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_default_catalog()


def triage(catalog, path: str) -> TriageLoad:  # type: ignore[no-untyped-def]
    return load_triage((DATA / path).read_bytes(), Path(path).name, catalog, NOW)


def row(load: TriageLoad, number: int):  # type: ignore[no-untyped-def]
    return next(r for r in load.rows if r.number == number)


def ids(r) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.id for f in r.diagnosis.findings}


# (file, request count, 1-based request to check, method, URL, headers that must be there, body or None)
CASES = [
    ("har/chrome.har", 3, 1, "GET", "https://mitmproxy.org/",
     ((":method", "GET"), (":path", "/"), ("if-none-match", 'W/"a1550c2bd25c5bcfef789d730f5bbddf"')), None),
    ("har/postdata.har", 1, 1, "POST", "https://signal-metrics-collector-beta.s-onetag.com/metrics",
     ((":method", "POST"), ("content-type", "text/plain;charset=UTF-8")), b'{"metadata":{"pageViewId":'),
    ("har/with-bom.har", 1, 1, "POST", "https://signal-metrics-collector-beta.s-onetag.com/metrics",
     ((":method", "POST"),), b'{"metadata":{"pageViewId":'),
    ("har/charles.har", 1, 1, "GET", "https://mitmproxy.org/?=", (("User-Agent", "Charles/4.6.3"),), None),
    ("har/insomnia.har", 1, 1, "GET", "http://mitm.it/", (), None),
    ("har/head-content-length.har", 1, 1, "HEAD",
     "https://files.pythonhosted.org/packages/00/e5/f12a80907d0884e6dff9c16d0c0114d81b8cd07dc3ae54c5e962cc83037e/"
     "tqdm-4.66.1-py3-none-any.whl", (("user-agent", "puffin"),), None),
    ("har/firefox-excerpt.har", 4, 1, "GET", "https://mitmproxy.org/", (("Host", "mitmproxy.org"),), None),
    ("har/safari-excerpt.har", 4, 3, "GET", "https://mitmproxy.org/clipboard.min.js", (), None),
    ("postman/collection-v2.json", 7, 2, "POST", "http://echo.getpostman.com/post",
     (("Content-Type", "application/json"),), b"yo=mate"),
    ("postman/nested-v2-collection.json", 6, 1, "GET", "https://postman-echo.com/get", (), None),
    ("http/1.basic.http", 6, 3, "POST", "https://httpbin.org/post", (("Content-Type", "application/json"),),
     b'{\n  "name": "John Doe",\n  "email": "john@example.com"\n}'),
    ("http/5.script.http", 7, 1, "POST", "https://httpbin.org/post", (("Content-Type", "application/json"),),
     b'{\n  "username": "demo",\n  "password": "demo123",\n  "timestamp": "{{TIMESTAMP}}",\n  "nonce": "{{NONCE}}"\n}'),
    ("http/advanced_E.http", 3, 1, "POST", "https://httpbin.org/advanced_e1?foo=bar&baz=bax",
     (("Accept", "application/json"), ("Content-Type", "application/json")), None),
    ("curl/multiple_commands.sh", 3, 2, "GET", "http://localhost:28139/second", (), None),
    ("curl/bash_redirect_heredoc.sh", 1, 1, "POST",
     "http://localhost:28139/api/servers/00000000000/shared_servers/",
     (("Authorization", "Bearer 000000000000000-0000"), ("Content-Type", "application/json")),
     b'{"server_id": "00000000000",\n                   "shared_server": {"library_section_ids": 00000000000,\n'
     b'                                     "invited_id": 00000000000}\n                   }'),
    ("curl/post_with_browser_headers.sh", 1, 1, "POST", "http://localhost:28139/ajax/demo_post.asp",
     (("Origin", "http://www.w3schools.com"), ("Content-Length", "0")), None),
    ("curl/multiline_post_with_data.sh", 1, 1, "GET", "http://localhost:28139/echo/html/",
     (("Origin", "http://fiddle.jshell.net"), ("Content-Type", "application/x-www-form-urlencoded")),
     b"msg1=value1&msg2=value2"),
    ("curl/post_json_multiple_headers.sh", 1, 1, "POST", "http://localhost:28139/rest/login-sessions",
     (("Content-Type", "application/json"), ("X-API-Version", "200")),
     b'{"userName":"username123","password":"password123", "authLoginDomain":"local"}'),
    ("raw/test1.txt", 1, 1, "GET", "(request not included)", (), None),
    ("raw/test1594.txt", 1, 1, "GET", "(request not included)", (), None),
    ("raw/test1001.txt", 1, 1, "GET", "(request not included)", (), None),
    ("raw/test1116.txt", 1, 1, "GET", "(request not included)", (), None),
]


def test_every_corpus_file_is_covered() -> None:
    on_disk = {str(p.relative_to(DATA)) for kind in ("har", "postman", "http", "curl", "raw")
               for p in (DATA / kind).iterdir()}
    assert on_disk == {case[0] for case in CASES}
    assert all(p.stat().st_size < 200_000 for kind in ("har", "postman", "http", "curl", "raw")
               for p in (DATA / kind).iterdir())


@pytest.mark.parametrize("path, count, number, method, url, headers, body", CASES, ids=[c[0] for c in CASES])
def test_request_count_and_a_spot_checked_request(catalog, path, count, number, method, url, headers, body):
    load = triage(catalog, path)
    assert len(load.rows) == count
    req = row(load, number).imported.exchange.request
    assert (req.method, req.url) == (method, url)
    for header in headers:
        assert header in req.headers
    if body is not None:
        assert req.body is not None and req.body.startswith(body)


# ------------------------------------------------------------------ what browsers write (issue: HAR as written)
def test_chrome_and_firefox_304s_hold_the_cached_copy_not_a_body(catalog) -> None:  # type: ignore[no-untyped-def]
    for path, numbers in (("har/chrome.har", (1,)), ("har/firefox-excerpt.har", (1, 3, 4))):
        load = triage(catalog, path)
        for n in numbers:
            r = row(load, n)
            resp = r.imported.exchange.response
            assert resp is not None and resp.status == 304 and resp.body == b""
            assert "response-body-on-no-content" not in ids(r)
            assert any("cached copy" in note for note in r.imported.exchange.notes)


def test_safari_size_zero_is_not_an_empty_body(catalog) -> None:  # type: ignore[no-untyped-def]
    from app.core.presentation import present

    r = row(triage(catalog, "har/safari-excerpt.har"), 3)
    resp = r.imported.exchange.response
    assert resp is not None and len(resp.body) == 10453  # content.size says 0
    assert "10.2 KB" in present(r.diagnosis, now=NOW).status_line


def test_firefox_says_when_it_left_the_response_body_out(catalog) -> None:  # type: ignore[no-untyped-def]
    r = row(triage(catalog, "har/firefox-excerpt.har"), 2)
    assert "The HAR file does not include the response body." in r.imported.exchange.notes


# ------------------------------------------------------------------ raw exchanges from curl's own tests
def test_curl_test_replies_read_as_sent(catalog) -> None:  # type: ignore[no-untyped-def]
    resp = row(triage(catalog, "raw/test1.txt"), 1).imported.exchange.response
    assert resp is not None and resp.status == 200 and resp.body == b"-foo-\n" and resp.header("Funny-head") == "yesyes"
    r = row(triage(catalog, "raw/test1594.txt"), 1)
    assert r.diagnosis.retry_after is not None and r.diagnosis.retry_after.seconds == 22  # counted from its Date
    r = row(triage(catalog, "raw/test1001.txt"), 1)
    assert r.imported.exchange.response is not None and r.imported.exchange.response.status == 401
    assert any("100 Continue" in w for w in r.imported.warnings)
    resp = row(triage(catalog, "raw/test1116.txt"), 1).imported.exchange.response
    assert resp is not None and resp.framing == "chunked"
    assert resp.body == b"a" * 64 + b"b" * 48 + b"c" * 32 + b"\n"  # the 0x21-byte chunk ends in its line break


# ------------------------------------------------------------------ .http scripts and curl heredocs
def test_http_file_scripts_are_kept_out_of_bodies(catalog) -> None:  # type: ignore[no-untyped-def]
    load = triage(catalog, "http/5.script.http")
    for r in load.rows:
        body = r.imported.exchange.request.body or b""
        assert b"{%" not in body and b"%}" not in body and b"post-request.js" not in body
    assert any("not run" in w for w in load.warnings)


def test_a_curl_heredoc_body_is_the_heredoc(catalog) -> None:  # type: ignore[no-untyped-def]
    req = row(triage(catalog, "curl/bash_redirect_heredoc.sh"), 1).imported.exchange.request
    assert req.body is not None and req.body.endswith(b"}\n") and b"DATA" not in req.body  # bash keeps the last \n
