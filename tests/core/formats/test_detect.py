"""One import-kind detector: the content decides, the .http/.rest suffix only breaks ties; never raises, linear time."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.detect import ImportKind, detect_kind

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(("name", "kind"), [
    ("chrome_bash.txt", ImportKind.CURL),
    ("chrome_cmd.txt", ImportKind.CURL),
    ("firefox.txt", ImportKind.CURL),
    ("chrome_export.har", ImportKind.HAR),
    ("exchange_log.txt", ImportKind.RAW_EXCHANGE),
    ("raw_request.txt", ImportKind.RAW_REQUEST),
    ("orders.postman_collection.json", ImportKind.POSTMAN),
    ("orders.http", ImportKind.HTTP_FILE),
])
def test_every_fixture_is_recognised_by_content_whatever_its_name(name, kind):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert detect_kind(text) is kind
    assert detect_kind(text, name) is kind
    assert detect_kind(text, "attachment.txt") is kind  # tickets rename attachments
    assert detect_kind("\ufeff\r\n  " + text) is kind  # a byte-order mark and blank lines first


def test_a_misleading_suffix_does_not_override_the_content():
    for name in ("chrome_export.har", "exchange_log.txt", "chrome_bash.txt", "orders.postman_collection.json"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        assert detect_kind(text, "saved.http") is detect_kind(text)


def test_the_suffix_breaks_the_raw_request_or_http_file_tie():
    text = "POST https://api.example.com/orders HTTP/1.1\nContent-Type: application/json\n\n{}"
    assert detect_kind(text) is ImportKind.RAW_REQUEST
    assert detect_kind(text, "orders.http") is ImportKind.HTTP_FILE
    assert detect_kind(text, "ORDERS.REST") is ImportKind.HTTP_FILE
    # a second request after ### is a .http file by content alone
    assert detect_kind(text + "\n\n###\nGET https://api.example.com/x\n") is ImportKind.HTTP_FILE


def test_raw_http():
    assert detect_kind("GET /x HTTP/1.1\r\nHost: h\r\n\r\n") is ImportKind.RAW_REQUEST
    assert detect_kind("get /x HTTP/2\nHost: h") is ImportKind.RAW_REQUEST
    assert detect_kind("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 5\r\n\r\n") is ImportKind.RAW_EXCHANGE
    assert detect_kind("HTTP/2 204\n") is ImportKind.RAW_EXCHANGE
    exchange = "GET /x HTTP/1.1\nHost: h\n\nHTTP/1.1 200 OK\nContent-Length: 0\n\n"
    assert detect_kind(exchange) is ImportKind.RAW_EXCHANGE
    assert detect_kind(exchange, "x.http") is ImportKind.RAW_EXCHANGE  # a response line: content decides
    assert detect_kind("GET /x HTTP/1.1") is None  # a request line alone is not a request to import


def test_curl():
    assert detect_kind("curl https://h/x") is ImportKind.CURL
    assert detect_kind("  CURL.EXE\t'https://h/x'") is ImportKind.CURL
    assert detect_kind("curl \\\n  'https://h/x'") is ImportKind.CURL
    assert detect_kind("curl\n'https://h/x'") is None  # a space or tab after curl, as a shell needs
    assert detect_kind("curl") is None
    assert detect_kind("curly braces") is None
    assert detect_kind("https://example.com/curl something") is None


def test_http_file_by_its_markers():
    assert detect_kind("### one\nGET https://h/x\n") is ImportKind.HTTP_FILE
    assert detect_kind("@base = https://h\n\nGET {{base}}/x\n") is ImportKind.HTTP_FILE
    assert detect_kind("// note\nPOST {{base}}/x\n\n{}") is ImportKind.HTTP_FILE
    assert detect_kind("GET https://h/x HTTP/1.1") is ImportKind.HTTP_FILE
    assert detect_kind("### just a url\nhttps://h/x") is ImportKind.HTTP_FILE  # method optional after a marker
    assert detect_kind("https://h/x") is None  # a plain URL is not a file to import
    assert detect_kind("https://h/x", "one.http") is ImportKind.HTTP_FILE
    assert detect_kind("# Notes\n\nSome prose.") is None


def test_text_nothing_recognises_is_left_to_the_http_reader_when_the_name_says_http():
    for text in ("\ufffd\ufffd garbage", "### nothing here\n# only comments\n", '{"a": 1}', "GET /x HTTP/1.1"):
        assert detect_kind(text) is None
        assert detect_kind(text, "saved.http") is ImportKind.HTTP_FILE
        assert detect_kind(text, "saved.txt") is None
    assert detect_kind("  \n", "empty.http") is None  # nothing at all to import


def test_json():
    assert detect_kind('{"log": {"entries": []}}') is ImportKind.HAR
    assert detect_kind('{"info": {"name": "c"}, "item": []}') is ImportKind.POSTMAN
    assert detect_kind('{"collection": {"info": {}, "item": []}}') is ImportKind.POSTMAN  # the API's wrapper
    # not collections, but Postman's: its reader says what to export instead
    assert detect_kind('{"name": "dev", "values": [], "_postman_variable_scope": "environment"}') is ImportKind.POSTMAN
    assert detect_kind('{"id": "1", "name": "old", "order": [], "requests": []}') is ImportKind.POSTMAN
    for text in ('{"log": 1}', '{"nolog": 1}', "{", "[1, 2]", '{"info": {}}', "{" * 100_000):
        assert detect_kind(text) is None, text[:20]


def test_nothing_to_recognise():
    for text in ("", "   \n\t", "\ufeff", "hello there", "\x00\x01\x02", "<html><body>502</body></html>"):
        assert detect_kind(text) is None
    assert detect_kind(None) is None  # type: ignore[arg-type]


@settings(max_examples=500, deadline=None)
@given(st.text(), st.none() | st.text(max_size=20))
def test_never_raises_on_arbitrary_text(text, filename):
    assert detect_kind(text, filename) is None or isinstance(detect_kind(text, filename), ImportKind)


_PIECES = ["curl", " ", "\t", "\n", "\r\n", "GET", "/x", "HTTP/1.1", "HTTP/1.1 200", "###", "#", "//", "@a=", "{{",
           "}}", "https://", "{", "}", "[", '"log":', '"info":', "a", "0"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6))
def test_time_grows_linearly_with_the_length(pieces):
    """A run of any few pieces, repeated: 10x the text may take about 10x the time, not 100x (no backtracking blow-up)."""
    unit = "".join(pieces)

    def seconds(n: int) -> float:
        text = unit * (n // len(unit) + 1)
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            detect_kind(text, "x.http")
            best = min(best, time.perf_counter() - t0)
        return best

    small, large = seconds(20_000), seconds(200_000)
    assert large < 40 * small + 0.05, (unit, small, large)


@pytest.mark.parametrize("text", [
    "GET " + "a " * 200_000,
    "GET /x " + " " * 400_000 + "HTTP/1.1x",
    "curl" + " " * 400_000,
    "HTTP/1.1" + " \t" * 200_000,
    "GET /x HTTP/1.1\n" + "HTTP/1.1 " * 100_000,
    "#\n" * 200_000 + "GET " + "{{" * 100_000,
    "@a=\n" * 200_000,
    '{"log": ' + "[" * 50_000 + "]" * 50_000 + "}",
    "{" + " " * 400_000,
])
def test_crafted_worst_cases_finish_quickly(text):
    t0 = time.perf_counter()
    detect_kind(text, "x.rest")
    assert time.perf_counter() - t0 < 1.0


def test_the_json_fixture_files_are_what_they_claim():
    """Guard for the fixtures themselves: valid JSON, so a detection failure is the detector's."""
    for name in ("chrome_export.har", "orders.postman_collection.json"):
        json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_curl_after_shell_comments_or_a_prompt():
    assert detect_kind((FIXTURES / "curl_heredoc.sh").read_text()) is ImportKind.CURL
    assert detect_kind("# list orders\n\ncurl https://h/x") is ImportKind.CURL
    assert detect_kind("$ curl https://h/x") is ImportKind.CURL
    assert detect_kind("# a note\nGET https://h/x") is ImportKind.HTTP_FILE  # comments then a request line
    assert detect_kind("# only notes\n# and more\n") is None


def test_http_file_starting_with_a_block_comment_or_a_script():
    assert detect_kind((FIXTURES / "jetbrains_httpyac.http").read_text(), "attachment.txt") is ImportKind.HTTP_FILE
    assert detect_kind("< {%\n  x()\n%}\nGET https://h/x") is ImportKind.HTTP_FILE
    assert detect_kind("/* not closed\nGET https://h/x") is None


def test_an_openapi_document_is_told_apart_in_json_and_yaml_but_not_inside_an_exchange():
    from pathlib import Path

    yaml_doc = (Path(__file__).resolve().parents[2] / "data" / "openapi" / "petstore.yaml").read_text()
    assert detect_kind(yaml_doc, "api.yaml") is ImportKind.OPENAPI
    assert detect_kind('{"openapi": "3.1.0", "paths": {}}') is ImportKind.OPENAPI
    assert detect_kind("# comment\n---\nopenapi: '3.0.3'\ninfo: {}\n") is ImportKind.OPENAPI
    assert detect_kind("HTTP/1.1 200 OK\nContent-Type: text/yaml\n\nopenapi: 3.0.0\n") is ImportKind.RAW_EXCHANGE
    assert detect_kind('{"openapi": "2.0"}') is None and detect_kind("swagger: '2.0'\n") is None
    assert detect_kind("info:\n  openapi: 3.0.0\n") is None  # not a top-level key


def test_a_har_nested_too_deep_is_still_a_har_so_its_reader_can_say_why():
    import time

    from app.core.catalog import load_default_catalog
    from app.core.formats.errors import FormatError
    from app.core.triage import load_triage

    for head in ('{"log": {"entries": ', '{"meta": 1, "log": {"entries": '):
        deep = head + "[" * 100_000 + "]" * 100_000 + "}}"
        assert detect_kind(deep) is ImportKind.HAR
        with pytest.raises(FormatError, match="nested too deeply"):
            load_triage(deep.encode(), "deep.har", load_default_catalog(), time.time())
