"""Header findings: each id with a case that raises it and a neighbouring case that must not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.catalog import StatusCatalog, load_default_catalog
from app.core.findings import acceptable, all_findings, parse_accept, request_findings, response_findings
from app.core.models import Finding, HttpRequest, HttpResponse

NOW = 1_700_000_000.0
URL = "http://127.0.0.1:8080/orders"
JSON = (("Content-Type", "application/json"),)


def req(method: str = "POST", headers=(), body: bytes | None = None, chunked: bool = False) -> HttpRequest:
    return HttpRequest(method, URL, tuple(headers), body, chunked)


def resp(status: int = 200, headers=(), body: bytes = b"", wire: int | None = None, framing="unknown",
         **kw) -> HttpResponse:
    return HttpResponse(status, headers=tuple(headers), body=body, wire_bytes=wire, framing=framing, **kw)


def ids(findings: list[Finding]) -> list[str]:
    return [f.id for f in findings]


def by_id(findings: list[Finding], id_: str) -> Finding:
    matches = [f for f in findings if f.id == id_]
    assert len(matches) == 1, ids(findings)
    return matches[0]


@pytest.fixture(scope="module")
def catalog() -> StatusCatalog:
    return load_default_catalog()


# --------------------------------------------------------------------------- request side
REQUEST_CASES = [
    # (id, request that raises it, neighbouring request that must not)
    ("request-missing-content-type", req(body=b'{"a": 1}'), req(headers=JSON, body=b'{"a": 1}')),
    ("request-missing-content-type", req(headers=(("Content-Type", " "),), body=b"x"), req(body=b"")),
    ("request-missing-content-type", req(body=b"x"), req(body=None)),
    ("request-content-type-invalid", req(headers=(("Content-Type", "json"),), body=b"{}"),
     req(headers=(("Content-Type", "application/vnd.api+json; charset=utf-8"),), body=b"{}")),
    ("request-content-type-mismatch", req(headers=JSON, body=b'{"a": 1, oops}'), req(headers=JSON, body=b'{"a": 1}')),
    ("request-content-type-mismatch", req(headers=(("Content-Type", "application/problem+json"),), body=b"{'a': 1}"),
     req(headers=(("Content-Type", "application/problem+json"),), body=b'{"a": 1}')),
    ("request-content-type-mismatch", req(headers=JSON, body=b"NaN"), req(headers=JSON, body=b"1.5")),
    ("request-content-type-mismatch", req(headers=JSON, body=b"\xff{}"), req(headers=JSON, body=b"\xef\xbb\xbf{}")),
    ("request-content-type-mismatch", req(headers=(("Content-Type", "text/plain"),), body=b'{"name": "x"}'),
     req(headers=(("Content-Type", "text/plain"),), body=b"{not json, just braces}")),
    ("request-content-type-mismatch",
     req(headers=(("Content-Type", "application/x-www-form-urlencoded"),), body=b' [1, 2] '),
     req(headers=(("Content-Type", "application/x-www-form-urlencoded"),), body=b"a=1&b=%5B2%5D")),
    ("request-content-type-mismatch", req(headers=(("Content-Type", "text/plain"),), body=b"name=Ann&age=3"),
     req(headers=(("Content-Type", "text/plain"),), body=b"a=b is a sentence & so is this")),
    ("request-content-type-mismatch", req(headers=JSON, body=b"name=Ann&age=3"),
     req(headers=(("Content-Type", "application/octet-stream"),), body=b"name=Ann&age=3")),
    ("request-content-type-mismatch", req(headers=(("Content-Type", "multipart/form-data; boundary=x"),),
                                          body=b"a=1&b=2"),
     req(headers=(("Content-Type", "text/plain"),), body=b"a=1")),  # one pair is not "clearly" a form
    ("request-duplicate-content-type", req(headers=JSON + (("content-type", "text/plain"),), body=b"{}"),
     req(headers=JSON + (("Content-Type", "application/json"),), body=b"{}")),
    ("request-content-length-mismatch", req(headers=JSON + (("Content-Length", "100"),), body=b"{}"),
     req(headers=JSON + (("Content-Length", "2"),), body=b"{}")),
    ("request-content-length-mismatch", req(headers=JSON + (("Content-Length", "abc"),), body=b"{}"),
     req(headers=JSON + (("Content-Length", " 2 "),), body=b"{}")),
    ("request-content-length-mismatch", req(headers=JSON + (("Content-Length", "-2"),), body=b"{}"),
     req(headers=JSON + (("Content-Length", "2, 2"),), body=b"{}")),
    ("request-content-length-mismatch", req(headers=JSON + (("Content-Length", "2"), ("Content-Length", "3")),
                                            body=b"{}"),
     req(headers=JSON + (("Content-Length", "2"), ("Content-Length", "2")), body=b"{}")),
    ("request-content-length-mismatch", req("GET", headers=(("Content-Length", "5"),)),
     req("GET", headers=(("Content-Length", "0"),))),
    ("request-content-length-mismatch", req(headers=(("Content-Length", "9" * 5000),), body=b""),
     req(headers=(("Content-Length", "0"),), body=b"")),
    ("request-missing-content-length", req(headers=JSON, body=b"{}", chunked=True), req(headers=JSON, body=b"{}")),
    ("request-missing-content-length", req(headers=JSON + (("Transfer-Encoding", "gzip, Chunked"),), body=b"{}"),
     req(headers=JSON + (("Transfer-Encoding", "gzip"),), body=b"{}")),
    ("request-content-length-with-chunked",
     req(headers=JSON + (("Transfer-Encoding", "chunked"), ("Content-Length", "2")), body=b"{}"),
     req(headers=JSON + (("Transfer-Encoding", "chunked"),), body=b"{}")),
    ("request-body-on-get", req("get", headers=JSON, body=b"{}"), req("GET", body=b"")),
    ("request-body-on-get", req("HEAD", headers=JSON, body=b"{}"), req("DELETE", headers=JSON, body=b"{}")),
]


@pytest.mark.parametrize(("id_", "positive", "negative"), REQUEST_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(REQUEST_CASES)])
def test_request_finding_and_its_negative(id_: str, positive: HttpRequest, negative: HttpRequest) -> None:
    found = request_findings(positive)
    assert id_ in ids(found)
    f = by_id(found, id_)
    assert f.side == "request" and f.text.endswith(".") and f.header[0].isupper()
    assert id_ not in ids(request_findings(negative))


def test_clean_requests_have_no_findings() -> None:
    assert request_findings(req("GET")) == []
    assert request_findings(req("POST", JSON + (("Content-Length", "8"),), b'{"a": 1}')) == []
    assert request_findings(req("POST", (("Content-Type", "application/x-www-form-urlencoded"),), b"a=1&b=2")) == []
    assert request_findings(req("PUT", (("Content-Type", "text/plain; charset=utf-8"),), b"hello")) == []


def test_json_error_says_where(catalog) -> None:
    f = by_id(request_findings(req(headers=JSON, body=b'{"a": 1, oops}'), catalog=catalog),
              "request-content-type-mismatch")
    assert "line 1, column 10" in f.text
    assert '415 "Unsupported Media Type"' in f.text and f.severity == "error"
    f = by_id(request_findings(req(headers=JSON, body=b'{\n  "a": ,\n}')), "request-content-type-mismatch")
    assert "line 2, column 8" in f.text


def test_texts_quote_the_api_page_when_a_catalog_is_given(catalog) -> None:
    f = by_id(request_findings(req(body=b"{}"), catalog=catalog), "request-missing-content-type")
    assert 'this API answers 415 "Unsupported Media Type"' in f.text
    assert "Content-Type header is missing or wrong" in f.text
    f = by_id(request_findings(req(headers=JSON + (("Content-Length", "9"),), body=b"{}"), catalog=catalog),
              "request-content-length-mismatch")
    assert 'this API answers 411 "Length Required"' in f.text
    assert "Content-Length says 9 bytes but the body is 2 bytes" in f.text


def test_without_catalog_texts_name_the_standard_phrase() -> None:
    f = by_id(request_findings(req(body=b"{}", chunked=True, headers=JSON)), "request-missing-content-length")
    assert '411 "Length Required"' in f.text and "this API" not in f.text
    assert "chunked" in f.text


def test_another_apis_page_without_411_falls_back_to_the_standard() -> None:
    other = StatusCatalog.from_markdown("# Errors\n\n| Code | Status | Description |\n|---|---|---|\n| 400 | Bad | x |\n")
    f = by_id(request_findings(req(headers=JSON + (("Content-Length", "9"),), body=b"{}"), catalog=other),
              "request-content-length-mismatch")
    assert "this API" not in f.text and '411 "Length Required"' in f.text


# --------------------------------------------------------------------------- response side
OK_JSON = (("Content-Type", "application/json"), ("Content-Length", "2"))
GET = req("GET")
HEAD = req("HEAD")

RESPONSE_CASES = [
    # (id, request, positive response, negative response)
    ("response-missing-content-type", GET, resp(200, (("Content-Length", "2"),), b"{}", 2, "content-length"),
     resp(200, OK_JSON, b"{}", 2, "content-length")),
    ("response-missing-content-type", GET, resp(200, (), b"", 5, "close"), resp(200, (), b"", 0, "none")),
    ("response-duplicate-content-type", GET, resp(200, OK_JSON + (("Content-Type", "text/html"),), b"{}", 2),
     resp(200, OK_JSON, b"{}", 2)),
    ("response-missing-content-length", GET, resp(200, (("Content-Type", "text/plain"),), b"hi", 2, "chunked"),
     resp(200, (("Content-Type", "text/plain"), ("Content-Length", "2")), b"hi", 2, "content-length")),
    ("response-missing-content-length", GET, resp(200, (("Content-Type", "text/plain"),), b"hi", 2, "close"),
     resp(200, (), b"", 0, "none")),
    ("response-missing-content-length", GET, resp(500, (("Content-Type", "text/plain"),), b"", 0, "close"),
     resp(200, (("Content-Type", "text/plain"),), b"hi", None, "unknown")),
    ("response-content-length-mismatch", GET, resp(200, (("Content-Type", "text/plain"), ("Content-Length", "100")),
                                                   b"0123456789", 10, "close"),
     resp(200, (("Content-Type", "text/plain"), ("Content-Length", "100")), b"0123456789", None, "unknown")),
    ("response-content-length-mismatch", GET, resp(200, (("Content-Type", "text/plain"), ("Content-Length", "1")),
                                                   b"0123456789", 10),
     resp(200, (("Content-Type", "text/plain"), ("Content-Length", "10")), b"0123456789", 10)),
    ("response-content-length-invalid", GET, resp(200, (("Content-Type", "text/plain"), ("Content-Length", "ten")),
                                                  b"0123456789", 10),
     resp(200, (("Content-Type", "text/plain"), ("Content-Length", "10, 10")), b"0123456789", 10)),
    ("response-content-length-with-chunked", GET, resp(200, (("Content-Type", "text/plain"), ("Content-Length", "5"),
                                                             ("Transfer-Encoding", "chunked")), b"hi", 2, "chunked"),
     resp(200, (("Content-Type", "text/plain"), ("Transfer-Encoding", "chunked")), b"hi", 2, "chunked")),
    ("response-unexpected-content-length", GET, resp(204, (("Content-Length", "0"),), wire=0, framing="none"),
     resp(204, (), wire=0, framing="none")),
    ("response-unexpected-content-length", GET, resp(101, (("Content-Length", "0"),)), resp(304, (("Content-Length", "50"),))),
    ("response-body-on-no-content", GET, resp(204, (), b"oops", 4, "close"), resp(204, (), b"", 0, "none")),
    ("accept-mismatch", req("GET", (("Accept", "text/html"),)), resp(200, OK_JSON, b"{}", 2),
     resp(200, (("Content-Type", "text/html; charset=utf-8"),), b"<p>", 3)),
    ("accept-mismatch", req("GET", (("Accept", "application/json"),)), resp(406, OK_JSON, b"{}", 2),
     resp(200, OK_JSON, b"{}", 2)),
    ("accept-mismatch", req("GET", (("Accept", "text/*;q=0, */*"),)), resp(200, (("Content-Type", "text/csv"),), b"a", 1),
     resp(200, OK_JSON, b"{}", 2)),
    ("retry-after-invalid", GET, resp(429, (("Retry-After", "soon"),)), resp(429, (("Retry-After", "10"),))),
    ("retry-after-invalid", GET, resp(503, (("Retry-After", "-1"),)),
     resp(503, (("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT"),))),
    ("retry-after", GET, resp(429, (("Retry-After", "30"),)), resp(429)),
    ("retry-after-clamped", GET, resp(429, (("Retry-After", "10000000"),)), resp(429, (("Retry-After", "86400"),))),
    ("response-missing-retry-after", GET, resp(429), resp(429, (("Retry-After", "1"),))),
    ("response-allow", req("DELETE"), resp(405, (("Allow", "GET, post"),)), resp(405)),
    ("response-missing-allow", req("DELETE"), resp(405), resp(405, (("Allow", "GET"),))),
    ("response-missing-allow", req("DELETE"), resp(405), resp(404)),
    ("response-location", req("POST", JSON, b"{}"), resp(201, (("Location", "/orders/7"),)),
     resp(200, (("Location", "/orders/7"),))),
    ("response-rate-limit", GET, resp(200, (("RateLimit", '"default";r=50;t=30'),)), resp(200)),
]


@pytest.mark.parametrize(("id_", "request_", "positive", "negative"), RESPONSE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(RESPONSE_CASES)])
def test_response_finding_and_its_negative(id_, request_, positive, negative) -> None:
    found = response_findings(request_, positive, NOW)
    assert id_ in ids(found)
    f = by_id(found, id_)
    assert f.side == "response" and f.text and f.header[0].isupper()
    assert id_ not in ids(response_findings(request_, negative, NOW))


def test_response_content_length_mismatch_text() -> None:
    r = resp(200, (("Content-Type", "text/plain"), ("Content-Length", "100")), b"0123456789", 10, "close")
    f = by_id(response_findings(GET, r, NOW), "response-content-length-mismatch")
    assert "declared 100 bytes, received 10" in f.text and f.severity == "error"


def test_response_missing_content_length_says_how_it_was_framed() -> None:
    chunked = by_id(response_findings(GET, resp(200, (("Content-Type", "text/plain"),), b"hi", 2, "chunked"), NOW),
                    "response-missing-content-length")
    close = by_id(response_findings(GET, resp(200, (("Content-Type", "text/plain"),), b"hi", 2, "close"), NOW),
                  "response-missing-content-length")
    assert "sent chunked" in chunked.text
    assert "delimited by closing the connection" in close.text


def test_truncated_preview_is_not_a_length_mismatch() -> None:
    r = resp(200, (("Content-Type", "text/plain"), ("Content-Length", "1000000")), b"x" * 100, 100, "content-length",
             body_truncated=True)
    assert "response-content-length-mismatch" not in ids(response_findings(GET, r, NOW))


def test_406_quotes_the_api(catalog) -> None:
    f = by_id(response_findings(req("GET", (("Accept", "text/html"),)), resp(406, OK_JSON, b"{}", 2), NOW,
                                catalog=catalog), "accept-mismatch")
    assert f.severity == "error"
    assert "406" in f.text and "Content generated is not matched with the Accept header" in f.text
    assert "Accept: text/html" in f.text and "application/json" in f.text


def test_406_without_accept_says_none_was_sent() -> None:
    f = by_id(response_findings(GET, resp(406), NOW), "accept-mismatch")
    assert "no Accept header" in f.text and '406 "Not Acceptable"' in f.text


def test_retry_after_findings_texts() -> None:
    f = by_id(response_findings(req("POST"), resp(429, (("Retry-After", "30"),)), NOW), "retry-after")
    assert f.severity == "info" and "30 s" in f.text and "POST" in f.text
    f = by_id(response_findings(req("POST"), resp(429, (("Retry-After", "10000000"),)), NOW), "retry-after-clamped")
    assert "10000000 s; clamped to 1 day" in f.text
    f = by_id(response_findings(req("POST"), resp(429, (("Retry-After", "1.5"),)), NOW), "retry-after-invalid")
    assert '"1.5"' in f.text


def test_allow_text_lists_methods() -> None:
    f = by_id(response_findings(req("DELETE"), resp(405, (("Allow", "GET, post"), ("Allow", "PUT"))), NOW),
              "response-allow")
    assert f.text == "The resource allows: GET, POST, PUT."


def test_location_text() -> None:
    f = by_id(response_findings(req("POST"), resp(201, (("Location", "http://x/orders/7"),)), NOW), "response-location")
    assert "http://x/orders/7" in f.text


# --------------------------------------------------------------------------- no false alarms
def test_head_has_no_false_alarms() -> None:
    # HEAD: Content-Length describes the GET body, no body arrives, framing says none.
    r = resp(200, OK_JSON[:1] + (("Content-Length", "5000"),), b"", 0, "none")
    assert response_findings(req("HEAD", (("Accept", "application/json"),)), r, NOW) == []
    # HEAD answered without Content-Length, as if chunked: nothing to report either.
    r = resp(200, (("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")), b"", 0, "chunked")
    assert response_findings(HEAD, r, NOW) == []


def test_204_has_no_false_alarms() -> None:
    assert response_findings(req("DELETE", (("Accept", "application/json"),)), resp(204, (), b"", 0, "none"), NOW) == []
    assert response_findings(GET, resp(204, (), b"", None, "unknown"), NOW) == []


def test_304_has_no_false_alarms() -> None:
    r = resp(304, (("Content-Type", "text/html"), ("Content-Length", "5000"), ("ETag", '"x"')), b"", 0, "none")
    assert response_findings(req("GET", (("Accept", "application/json"),)), r, NOW) == []


def test_clean_exchange_has_no_findings() -> None:
    request = req("POST", (("Accept", "application/json"),) + JSON + (("Content-Length", "2"),), b"{}")
    response = resp(200, OK_JSON, b"{}", 2, "content-length")
    assert all_findings(request, response, NOW) == []


def test_error_bodies_in_another_format_are_not_accept_noise() -> None:
    r = resp(500, OK_JSON, b"{}", 2, "content-length")
    assert "accept-mismatch" not in ids(response_findings(req("GET", (("Accept", "text/csv"),)), r, NOW))


def test_empty_response_without_content_type_has_no_accept_finding() -> None:
    r = resp(200, (("Content-Length", "0"),), b"", 0, "content-length")
    assert response_findings(req("GET", (("Accept", "application/json"),)), r, NOW) == []


def test_all_findings_order_and_none_response() -> None:
    request = req(body=b"{}")
    assert ids(all_findings(request, None, NOW)) == ["request-missing-content-type"]
    both = all_findings(request, resp(429), NOW)
    assert ids(both) == ["request-missing-content-type", "response-missing-retry-after"]


# --------------------------------------------------------------------------- Accept
@pytest.mark.parametrize(
    ("accept", "content_type", "ok"),
    [
        (None, "application/json", True),
        ("", "application/json", True),
        ("*/*", "image/png", True),
        ("*", "image/png", True),
        ("application/json", "application/json; charset=utf-8", True),
        ("Application/JSON", "application/json", True),
        ("text/html", "application/json", False),
        ("text/*", "text/csv", True),
        ("text/*", "application/json", False),
        ("application/json;q=0", "application/json", False),
        ("application/json;q=0, */*", "application/json", False),  # the more specific q=0 wins
        ("*/*;q=0.1, application/json;q=0", "application/json", False),
        ("text/*;q=0, text/plain", "text/plain", True),
        ("text/*;q=0, text/plain", "text/html", False),
        ("application/json", "application/problem+json", True),  # structured suffix falls back to its base
        ("application/xml", "application/problem+json", False),
        ("text/html;level=1", "text/html", False),
        ("text/html;level=1", "text/html;level=1", True),
        ("application/json;q=bogus", "application/json", True),
        ("garbage, ;;;", "application/json", True),  # nothing readable: accepts anything
        ("application/json", None, True),
        ("text/html,\n application/xhtml+xml, application/xml;q=0.9, */*;q=0.8", "application/json", True),
    ],
)
def test_acceptable(accept, content_type, ok) -> None:
    assert acceptable(accept, content_type) is ok


def test_parse_accept_q_values() -> None:
    ranges = parse_accept("text/html;level=1;q=0.5;ext=1, */*;q=2")
    assert [(r.type, r.subtype, r.params, r.q) for r in ranges] == [
        ("text", "html", (("level", "1"),), 0.5),
        ("*", "*", (), 1.0),
    ]


def test_several_accept_headers_combine() -> None:
    request = req("GET", (("Accept", "text/html"), ("Accept", "application/json")))
    assert response_findings(request, resp(200, OK_JSON, b"{}", 2), NOW) == []


# --------------------------------------------------------------------------- robustness
_names = st.sampled_from(["Content-Type", "Content-Length", "Transfer-Encoding", "Accept", "Retry-After", "Allow",
                          "Location", "RateLimit", "RateLimit-Policy", "X-RateLimit-Reset", "X-Other"])
_headers = st.lists(st.tuples(_names, st.text(max_size=40)), max_size=6).map(tuple)
_methods = st.sampled_from(["GET", "HEAD", "POST", "put", "", " x "])


@settings(max_examples=300, deadline=None)
@given(_methods, _headers, st.none() | st.binary(max_size=80), st.booleans(),
       st.integers(min_value=-5, max_value=1200), _headers, st.binary(max_size=80),
       st.none() | st.integers(min_value=0, max_value=10**6),
       st.sampled_from(["content-length", "chunked", "close", "none", "unknown"]), st.booleans(),
       st.floats(allow_nan=True, allow_infinity=True))
def test_findings_never_raise(method, req_headers, body, chunked, status, resp_headers, resp_body, wire, framing,
                              truncated, now) -> None:
    request = HttpRequest(method, URL, req_headers, body, chunked)
    response = HttpResponse(status, headers=resp_headers, body=resp_body, wire_bytes=wire, framing=framing,
                            body_truncated=truncated)
    for f in all_findings(request, response, now):
        assert f.id != "findings-unavailable", f.text
        assert f.severity in ("error", "warning", "info") and f.side in ("request", "response") and f.text


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", "a/b+json"]),
       st.text(max_size=100))
def test_content_type_checks_never_raise_on_text_bodies(ctype, text) -> None:
    findings = request_findings(req(headers=(("Content-Type", ctype),), body=text.encode()))
    assert "findings-unavailable" not in ids(findings)


@pytest.mark.timeout(10)
def test_deeply_nested_and_large_bodies_are_handled() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert "findings-unavailable" not in ids(request_findings(req(headers=JSON, body=deep)))
    big_form = b"&".join(b"k%d=v" % i for i in range(50_000))
    assert "request-content-type-mismatch" in ids(request_findings(req(headers=(("Content-Type", "text/plain"),),
                                                                       body=big_form)))


def test_retry_after_equal_to_the_date_is_now() -> None:
    date = "Tue, 14 Nov 2023 22:13:20 GMT"  # == NOW
    f = by_id(response_findings(req("POST"), resp(429, (("Date", date), ("Retry-After", date))), NOW), "retry-after")
    assert "moment of the answer" in f.text and "already past" not in f.text
    f = by_id(response_findings(req("POST"), resp(429, (("Retry-After", date),)), NOW + 5), "retry-after")
    assert "already past" in f.text


def test_a_body_the_capture_left_out_is_not_a_length_mismatch() -> None:
    """A browser HAR without the request body: Content-Length 25 matches the 25 bytes sent; no Content-Type is
    still missing; the body's content is not guessed at."""
    sent = HttpRequest("POST", URL, (("Content-Length", "25"),), None, unrecorded_body_bytes=25)
    found = request_findings(sent)
    assert ids(found) == ["request-missing-content-type", "request-body-not-recorded"]
    assert "25 bytes" in by_id(found, "request-missing-content-type").text
    typed = HttpRequest("POST", URL, (("Content-Type", "application/json"), ("Content-Length", "25")), None,
                        unrecorded_body_bytes=25)
    assert ids(request_findings(typed)) == ["request-body-not-recorded"]
    wrong = HttpRequest("POST", URL, (("Content-Type", "application/json"), ("Content-Length", "30")), None,
                        unrecorded_body_bytes=25)
    assert "request-content-length-mismatch" in ids(request_findings(wrong))
