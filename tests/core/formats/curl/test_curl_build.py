"""The request builder alone: curl's default headers, what removes them, and the method it picks."""

from __future__ import annotations

import pytest

from app.core.formats.curl.build import CURL_ACCEPT_ENCODING, build
from app.core.formats.curl.options import ParsedOptions
from app.core.formats.errors import FormatError


def test_defaults_in_curl_order():
    st = ParsedOptions(url="h/x", data=[b"a=1"], user="u:p", cookies=["c=1"], user_agent="UA", referer="r",
                       compressed=True)
    imp = build(st)
    assert [k for k, _ in imp.request.headers] == ["Content-Type", "Authorization", "Cookie", "User-Agent", "Referer",
                                                   "Accept-Encoding"]
    assert imp.request.url == "http://h/x" and imp.request.method == "POST"
    assert imp.request.header("Accept-Encoding") == CURL_ACCEPT_ENCODING
    assert imp.warnings == ("The URL has no scheme; curl assumes http://, and so does the import.",)


def test_removed_header_gets_no_default():
    imp = build(ParsedOptions(url="http://h/", data=[b"x"], removed={"content-type"}, user="u"))
    assert imp.request.header("Content-Type") is None
    assert imp.warnings == ("-u names no password; curl would ask for one. The import uses an empty password.",)


def test_get_moves_data_to_the_query():
    imp = build(ParsedOptions(url="http://h/?a=1", data=[b"b=2", b"c=3"], get=True, url_query=["d=4"]))
    assert imp.request.url == "http://h/?a=1&b=2&c=3&d=4" and imp.request.body is None
    assert imp.request.method == "GET"


@pytest.mark.parametrize("kw,method", [
    ({"method": "PATCH", "head": True}, "PATCH"), ({"head": True}, "HEAD"), ({"upload": True, "data": [b"x"]}, "PUT"),
    ({"data": [b"x"]}, "POST"), ({}, "GET"),
])
def test_method(kw, method):
    assert build(ParsedOptions(url="http://h/", **kw)).request.method == method


def test_no_url():
    with pytest.raises(FormatError, match="The curl command has no URL."):
        build(ParsedOptions())
