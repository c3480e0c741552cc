"""HAR 1.2 import/export: a Chrome DevTools export, failures, big files, round trip, garbage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.errors import FormatError
from app.core.formats.har import parse_har, to_har
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing, TransportError
from app.core.redact import REDACTED

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def chrome():  # type: ignore[no-untyped-def]
    return parse_har((FIX / "chrome_export.har").read_bytes())


def test_creator_and_entries(chrome) -> None:  # type: ignore[no-untyped-def]
    assert chrome.creator == "WebInspector 537.36"
    assert [e.index for e in chrome.entries] == [0, 1, 2, 3]
    assert {e.page for e in chrome.entries} == {"https://app.example.com/orders"}


def test_rate_limited_post(chrome) -> None:  # type: ignore[no-untyped-def]
    e = chrome.entries[0]
    ex = e.exchange
    assert ex.request.method == "POST" and ex.request.url.endswith("access_token=tok_1")
    assert (":method", "POST") in ex.request.headers  # HTTP/2 pseudo-headers kept as the browser recorded them
    assert ex.request.body == b'{"sku":"A-1","qty":3}'
    r = ex.response
    assert r is not None and r.status == 429 and r.http_version == "HTTP/2" and r.header("retry-after") == "30"
    assert r.wire_bytes == 47 and r.framing == "content-length"
    assert ex.started_at == pytest.approx(1715678999.812)
    assert e.received_at == pytest.approx(1715678999.812 + 0.1875)
    t = ex.timing
    assert t.tls == pytest.approx(0.0302) and t.connect == pytest.approx(0.0302)  # HAR connect includes ssl
    assert t.first_byte == pytest.approx(0.12) and t.total == pytest.approx(0.1875)


def test_base64_body_decoded(chrome) -> None:  # type: ignore[no-untyped-def]
    r = chrome.entries[1].exchange.response
    assert r.body.startswith(b"\x89PNG\r\n\x1a\n") and len(r.body) == 33
    assert chrome.entries[1].exchange.timing.connect is None


def test_blocked_request_is_a_browser_error(chrome) -> None:  # type: ignore[no-untyped-def]
    ex = chrome.entries[2].exchange
    assert ex.response is None
    assert ex.error is not None and ex.error.kind == "browser" and "ERR_BLOCKED_BY_CLIENT" in ex.error.detail


def test_form_params_become_body(chrome) -> None:  # type: ignore[no-untyped-def]
    ex = chrome.entries[3].exchange
    assert ex.request.body == b"user=ann&password=hunter%202"
    assert ex.response is not None and ex.response.status == 204 and ex.response.body == b""


def test_minimal_entry_tolerated() -> None:
    log = parse_har('{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/"}}]}}')
    ex = log.entries[0].exchange
    assert log.creator == "" and ex.response is None and ex.error is not None and ex.started_at is None
    log = parse_har('{"log": {"entries": [{"request": {"method": "GET", "url": "https://h/"},'
                    '"response": {"status": 200, "content": {"size": 5000}}}]}}')
    r = log.entries[0].exchange.response
    assert r is not None and r.body_truncated and log.entries[0].exchange.notes


@pytest.mark.parametrize("text, match", [
    ("", "empty"),
    ("{", "not valid JSON.*line 1, column 2"),
    ("[]", "no \"log\" object"),
    ('{"log": {}}', "log.entries"),
    ('{"log": {"entries": [{"request": {"method": "GET"}}]}}', r"log.entries\[0\].request.url"),
    ('{"log": {"entries": [{"request": {"method": "GET", "url": 5}}]}}', "should be text but is a number"),
    ('{"log": {"entries": [{"request": {"method": "GET", "url": "u", "headers": [{"name": "a", "value": []}]}}]}}',
     r"headers\[0\].value"),
    ('{"log": {"entries": [{"request": {"method": "GET", "url": "u"}, "response": {"status": 2.5}}]}}',
     "status code"),
    ('{"log": {"entries": [{"request": {"method": "GET", "url": "u"}, "response": {"status": 200, '
     '"content": {"text": "@@@", "encoding": "base64"}}}]}}', "not valid base64"),
])
def test_errors_name_the_field(text: str, match: str) -> None:
    with pytest.raises(FormatError, match=match):
        parse_har(text)


def test_not_utf8() -> None:
    with pytest.raises(FormatError, match="not UTF-8"):
        parse_har(b'{"log": "\xff"}')


def test_large_har_parses() -> None:
    body = "x" * 20_000
    entry = {"startedDateTime": "2024-05-14T09:30:00Z", "time": 1,
             "request": {"method": "GET", "url": "https://h/item", "headers": [{"name": "a", "value": "b"}] * 10},
             "response": {"status": 200, "content": {"size": len(body), "text": body}, "headers": []}}
    doc = json.dumps({"log": {"entries": [entry] * 1000}})
    assert len(doc) > 20_000_000
    log = parse_har(doc)
    assert len(log.entries) == 1000 and len(log.entries[-1].exchange.response.body) == 20_000  # type: ignore[union-attr]


def test_export_is_har_and_redacted() -> None:
    ex = Exchange(HttpRequest("POST", "https://h/x?token=t1", (("Authorization", "Bearer s3"),), b"a=1"),
                  HttpResponse(200, "OK", headers=(("Content-Type", "application/json"),), body=b"\xff\x00"),
                  Timing(connect=0.01, tls=0.02, total=0.1), started_at=1715679000.5)
    doc = json.loads(to_har([ex]))
    assert doc["log"]["version"] == "1.2" and doc["log"]["creator"]["name"] == "Request Inspector"
    entry = doc["log"]["entries"][0]
    assert entry["startedDateTime"] == "2024-05-14T09:30:00.500Z"
    assert entry["timings"]["connect"] == 30.0 and entry["timings"]["ssl"] == 20.0
    text = json.dumps(doc, ensure_ascii=False)
    assert "s3" not in text and "t1" not in text and REDACTED in text
    back = parse_har(to_har([ex], redact=False)).entries[0].exchange
    assert back.response.body == b"\xff\x00" and back.timing.connect == pytest.approx(0.01)  # type: ignore[union-attr]


def test_export_error_exchange() -> None:
    ex = Exchange(HttpRequest("GET", "https://h/"), None, error=TransportError("timeout", "No answer in 30 s."))
    back = parse_har(to_har([ex])).entries[0].exchange
    assert back.response is None and back.error is not None and back.error.kind == "browser"


_hname = st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True)


@st.composite
def exchanges(draw: st.DrawFn) -> Exchange:
    req = HttpRequest(draw(st.sampled_from(["GET", "POST", "DELETE"])),
                      draw(st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9/]{0,10}", fullmatch=True)),
                      tuple(draw(st.lists(st.tuples(_hname, st.text(max_size=15)), max_size=4))),
                      draw(st.one_of(st.none(), st.binary(max_size=30))))
    resp = HttpResponse(draw(st.integers(100, 599)), draw(st.text(max_size=10)),
                        headers=tuple(draw(st.lists(st.tuples(_hname, st.text(max_size=15)), max_size=4))),
                        body=draw(st.binary(max_size=40)))
    return Exchange(req, resp)


@settings(max_examples=100, deadline=None)
@given(st.lists(exchanges(), max_size=3))
def test_round_trip(exs: list[Exchange]) -> None:
    back = parse_har(to_har(exs, redact=False)).entries
    assert len(back) == len(exs)
    for b, ex in zip(back, exs):
        got = b.exchange
        unrecorded = got.request.unrecorded_body_bytes is not None  # no body but a Content-Length: not recorded
        assert (got.request.method, got.request.url, got.request.headers, got.request.body) == \
            (ex.request.method, ex.request.url, ex.request.headers, None if unrecorded else ex.request.body)
        assert got.response is not None and ex.response is not None
        cached_copy = ex.response.status == 304  # a 304's HAR body is the browser's cached copy: no body
        assert (got.response.status, got.response.headers, got.response.body) == \
            (ex.response.status, ex.response.headers, b"" if cached_copy else ex.response.body)


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(
                         ["log", "entries", "request", "response", "method", "url", "headers", "name", "value",
                          "status", "content", "text", "encoding", "postData", "params", "timings", "pages",
                          "startedDateTime", "time", "bodySize", "creator"]), c, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=100), st.text(max_size=100), _json.map(json.dumps),
                 _json.map(lambda j: json.dumps({"log": {"entries": [{"request": {"method": "GET", "url": "u"},
                                                                      "response": j}]}}))))
def test_garbage_raises_only_format_error(data: str | bytes) -> None:
    try:
        parse_har(data)
    except FormatError:
        pass


def test_implausible_times_and_sizes_are_left_out_with_a_note() -> None:
    """time: 1e300 ms and sizes of 1e300 bytes are damage: left out (with a note), never rendered as 300 digits."""
    doc = {"log": {"entries": [{
        "startedDateTime": "9999-12-31T23:59:59Z", "time": 1e300,
        "request": {"method": "GET", "url": "http://x/"},
        "response": {"status": 200, "bodySize": 1e300, "content": {"size": 1e300, "text": "hi"}},
        "timings": {"wait": 1e300, "receive": 2}}]}}
    e = parse_har(json.dumps(doc)).entries[0]
    ex = e.exchange
    assert ex.timing.total is None and ex.timing.first_byte is None and ex.timing.download == pytest.approx(0.002)
    assert ex.response is not None and ex.response.wire_bytes is None and ex.response.decoded_bytes is None
    assert ex.started_at == 253402300799.0 and e.time_ms is None
    assert any("not a plausible duration" in n for n in ex.notes)
    for status in (float("inf"), 1e300, -1):
        bad = {"log": {"entries": [{"request": {"method": "GET", "url": "http://x/"}, "response": {"status": status}}]}}
        with pytest.raises(FormatError, match="status should be an HTTP status code"):
            parse_har(json.dumps(bad))


@pytest.fixture(scope="module")
def quirks():  # type: ignore[no-untyped-def]
    return parse_har((FIX / "browser_quirks.har").read_bytes()).entries


def test_a_304_holding_the_cached_copy_has_no_body(quirks) -> None:  # type: ignore[no-untyped-def]
    ex = quirks[0].exchange
    assert ex.response is not None and ex.response.status == 304 and ex.response.body == b""
    assert ex.response.wire_bytes is None and ex.response.decoded_bytes is None
    assert any("cached copy of the body (37 bytes)" in n for n in ex.notes)


def test_safari_size_zero_beside_real_text_is_not_an_empty_body(quirks) -> None:  # type: ignore[no-untyped-def]
    resp = quirks[1].exchange.response
    assert resp is not None and resp.body == b'{"id": 1, "sku": "A-1"}' and resp.decoded_bytes is None


def test_a_request_body_the_browser_did_not_record(quirks) -> None:  # type: ignore[no-untyped-def]
    ex = quirks[2].exchange
    assert ex.request.body is None and ex.request.unrecorded_body_bytes == 25
    assert any("did not record the request body (25 bytes" in n for n in ex.notes)


def test_pseudo_headers_are_kept_as_recorded(quirks) -> None:  # type: ignore[no-untyped-def]
    req, resp = quirks[0].exchange.request, quirks[0].exchange.response
    assert req.headers[:4] == ((":method", "GET"), (":authority", "api.example.com"), (":scheme", "https"),
                               (":path", "/orders"))
    assert resp is not None and resp.header(":status") == "304"


def test_a_recorded_empty_body_is_still_empty() -> None:
    doc = {"log": {"entries": [{"request": {"method": "POST", "url": "http://x/", "bodySize": 0,
                                            "postData": {"mimeType": "text/plain", "text": ""}},
                                "response": {"status": 204}}]}}
    req = parse_har(json.dumps(doc)).entries[0].exchange.request
    assert req.body == b"" and req.unrecorded_body_bytes is None


def test_an_unrecorded_body_survives_export_and_import() -> None:
    req = HttpRequest("POST", "https://api.example.com/orders", (("Content-Length", "25"),), None,
                      unrecorded_body_bytes=25)
    back = parse_har(to_har([Exchange(req, HttpResponse(201))])).entries[0].exchange.request
    assert back.body is None and back.unrecorded_body_bytes == 25


def test_entries_are_read_one_at_a_time_in_any_key_order() -> None:
    """The walker reads log and its entries piece by piece: pages after entries still name them; other keys,
    a second "log" and trailing space behave as json.loads does."""
    doc = ('{"x": [1, {"y": 2}], "log": {"entries": [{"pageref": "p1", "request": {"method": "GET", '
           '"url": "http://x/"}, "response": {"status": 200}}], "comment": "c", '
           '"pages": [{"id": "p1", "title": "Orders"}], "creator": {"name": "Firefox", "version": "111"}}}  \n')
    log = parse_har(doc)
    assert log.creator == "Firefox 111" and [e.page for e in log.entries] == ["Orders"]
    with pytest.raises(FormatError, match='no "log" object'):
        parse_har('{"log": {"entries": []}, "log": 3}')
    with pytest.raises(FormatError, match='no "log" object'):
        parse_har('[{"log": {"entries": []}}]')
    with pytest.raises(FormatError, match=r"not valid JSON: Extra data \(line 1, column 26\)"):
        parse_har('{"log": {"entries": []}} x')
    with pytest.raises(FormatError, match=r"not valid JSON: Expecting ',' delimiter \(line 2, column 1\)") as err:
        parse_har('{"log": {"entries": [{"request": {"method": "GET", "url": "http://x/"}}\n{}]}}')
    assert (err.value.line, err.value.column) == (2, 1)
    with pytest.raises(FormatError, match=r"log.entries should be a list but is an object"):
        parse_har('{"log": {"entries": {}}}')
    with pytest.raises(FormatError, match=r"no log.entries field"):
        parse_har('{"log": {"entries": null}}')


def test_a_har_over_the_cap_is_refused_with_a_sentence(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import app.core.formats.har as har

    monkeypatch.setattr(har, "MAX_HAR_BYTES", 1024)
    with pytest.raises(FormatError, match=r"The HAR file is 2 KB; the most this reader takes is 1 KB"):
        parse_har(b" " * 2048 + b'{"log": {"entries": []}}')
    with pytest.raises(FormatError, match=r"longer than 1 KB"):
        parse_har(" " * 2048 + '{"log": {"entries": []}}')


def test_nested_too_deeply_is_a_sentence() -> None:
    with pytest.raises(FormatError, match="nested too deeply"):
        parse_har('{"log": {"entries": [' + "[" * 100_000 + "]" * 100_000 + "]}}")
    with pytest.raises(FormatError, match="nested too deeply"):
        parse_har("[" * 100_000 + "]" * 100_000)


def _encoded_entry(body: bytes, coding: str, body_size: int | None = None) -> dict:
    import base64
    return {"request": {"method": "GET", "url": "https://h/"},
            "response": {"status": 200, "headers": [{"name": "Content-Encoding", "value": coding}],
                         "bodySize": -1 if body_size is None else body_size,
                         "content": {"text": base64.b64encode(body).decode(), "encoding": "base64"}}}


def test_bodies_recorded_still_encoded_are_decoded_br_zstd_and_stacked() -> None:
    import brotli

    from app.core.content_coding import zstd
    data = b'{"Message": "Too many requests"}'
    wire = brotli.compress(zstd.compress(data))
    har = {"log": {"entries": [_encoded_entry(wire, "zstd, br", len(wire)), _encoded_entry(zstd.compress(data), "zstd"),
                               _encoded_entry(data, "br")]}}  # the last: recorded decoded, as browsers do
    entries = parse_har(json.dumps(har)).entries
    for e in entries:
        r = e.exchange.response
        assert r is not None and r.body == data and not e.exchange.notes
    first = entries[0].exchange.response
    assert first is not None and first.wire_bytes == len(wire) and first.decoded_bytes == len(data)
    second = entries[1].exchange.response
    assert second is not None and second.wire_bytes == len(zstd.compress(data))  # bodySize -1: the recorded size


def test_a_har_of_many_bombs_decodes_within_one_total(monkeypatch) -> None:
    from app.core.content_coding import RecordedBudget, zstd
    from app.core.formats import har
    monkeypatch.setattr(har, "RecordedBudget", lambda: RecordedBudget(3 * 1024 * 1024))
    bomb = zstd.compress(bytes(2 * 1024 * 1024))
    entries = parse_har(json.dumps({"log": {"entries": [_encoded_entry(bomb, "zstd")] * 4}})).entries
    sizes = [len(e.exchange.response.body) for e in entries]  # type: ignore[union-attr]
    assert sizes[0] == 2 * 1024 * 1024 and sizes[1] == 1024 * 1024 and sizes[2] == sizes[3] == len(bomb)
    assert "expands to more than" in entries[1].exchange.notes[0]
    assert "not decoded" in entries[3].exchange.notes[0]


def test_text_the_caller_already_decoded_is_read_instead_of_decoding_again() -> None:
    """Import detection decodes the file once; a 100 MB HAR decoded a second time held the GIL ~70 ms more."""
    doc = {"log": {"entries": [{"request": {"method": "GET", "url": "https://h/é"},
                                "response": {"status": 200, "content": {"text": "naïve ☃"}}}]}}
    for data in (json.dumps(doc).encode(), b"\xef\xbb\xbf" + json.dumps(doc, ensure_ascii=False).encode()):
        decoded = data.decode("utf-8", "replace")
        assert parse_har(data, decoded) == parse_har(data)
    # the caller's text is what is read (here deliberately not the bytes' own text, to show no second decoding)
    assert parse_har(b"not read", json.dumps(doc)).entries[0].exchange.request.url == "https://h/é"
    with pytest.raises(FormatError, match=r"not UTF-8 text \(byte 10"):  # replaced bytes: the real decoder says where
        parse_har(b'{"log": "\xff"}', b'{"log": "\xff"}'.decode("utf-8", "replace"))
    for blank in (b" \n\t", "\u3000\n".encode()):  # emptiness as strip() judged it, without copying the text
        with pytest.raises(FormatError, match="empty"):
            parse_har(blank, blank.decode("utf-8", "replace"))
