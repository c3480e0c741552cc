"""curl import/export: browser "Copy as cURL" shapes, curl's option semantics, garbage, round trip."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.curl import MULTIPART_BOUNDARY, parse_curl, to_curl
from app.core.formats.errors import FormatError
from app.core.models import HttpRequest
from app.core.redact import REDACTED

FIX = Path(__file__).parent / "fixtures"


def test_chrome_bash_copy() -> None:
    imp = parse_curl((FIX / "chrome_bash.txt").read_text())
    r = imp.request
    assert r.method == "POST"
    assert r.url == "https://api.example.com/v1/orders?page=2&access_token=tok_live_123"
    assert r.header("sec-ch-ua") == '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"'
    assert r.header("Cookie") == "session=9f8e7d6c; theme=dark"
    assert r.body == b'{"note":"it\'s urgent!","lines":["a\\tb"],"qty":2}'
    assert imp.unknown_flags == () and imp.warnings == ()


def test_chrome_cmd_copy() -> None:
    text = (FIX / "chrome_cmd.txt").read_bytes().decode()
    assert "\r\n" in text
    r = parse_curl(text).request
    assert r.url == "https://api.example.com/v1/orders?page=2&sort=desc"
    assert r.header("sec-ch-ua") == '"Chromium";v="124", "Google Chrome";v="124"'
    assert r.header("authorization") == "Bearer abc.def.ghi"
    assert r.body == b'{"note":"100% sure <ok>","qty":2}'
    assert r.method == "POST"


def test_cmd_caret_newline_newline_is_a_literal_newline() -> None:
    r = parse_curl('curl ^"https://h/x^" --data-raw ^"a^\n\nb^"').request
    assert r.body == b"a\nb"


def test_old_chrome_cmd_with_plain_quotes() -> None:
    r = parse_curl('curl "https://h/x" -H "Accept: */*" --data-binary "{""a"":1}" --compressed').request
    assert r.body == b'{"a":1}'
    assert r.header("Accept-Encoding")


def test_firefox_copy() -> None:
    imp = parse_curl((FIX / "firefox.txt").read_text())
    assert imp.request.method == "POST"
    assert imp.request.header("X-Api-Key") == "k_live_abcdef"
    assert imp.request.body == b'{"sku":"A-1","qty":3}'
    assert len(imp.request.headers) == 13


def test_ansi_c_escapes() -> None:
    r = parse_curl(r"curl https://h --data-binary $'a\nb\tc\'d\\e\x41\u00e9\x80'").request
    assert r.body == b"a\nb\tc'd\\eA" + "é".encode() + b"\x80"


def test_method_defaults_and_overrides() -> None:
    assert parse_curl("curl https://h").request.method == "GET"
    assert parse_curl("curl https://h -d a=1").request.method == "POST"
    assert parse_curl("curl -I https://h").request.method == "HEAD"
    assert parse_curl("curl -X PATCH https://h -d a=1").request.method == "PATCH"
    assert parse_curl("curl -XDELETE https://h").request.method == "DELETE"


def test_data_joined_and_default_content_type() -> None:
    r = parse_curl("curl https://h -d a=1 --data b=2 --data-urlencode 'q=hello world&x'").request
    assert r.body == b"a=1&b=2&q=hello%20world%26x"
    assert r.header("Content-Type") == "application/x-www-form-urlencoded"


def test_get_moves_data_to_query() -> None:
    r = parse_curl("curl -G https://h/s?x=1 -d q=a -d n=2").request
    assert r.method == "GET" and r.url == "https://h/s?x=1&q=a&n=2" and r.body is None


def test_data_file_placeholder_and_reader() -> None:
    imp = parse_curl("curl https://h -d @body.json")
    assert imp.request.body == b"<content of body.json>"
    assert any("body.json" in w for w in imp.warnings)
    imp = parse_curl("curl https://h --data-binary @body.json", read_file=lambda p: b'{"x":\n1}')
    assert imp.request.body == b'{"x":\n1}' and imp.warnings == ()
    # -d strips newlines from files, as curl does
    assert parse_curl("curl https://h -d @f", read_file=lambda p: b"a\nb").request.body == b"ab"


def test_reader_failure_is_a_warning() -> None:
    def boom(path: str) -> bytes:
        raise OSError("no such file")

    imp = parse_curl("curl https://h -d @missing", read_file=boom)
    assert "no such file" in imp.warnings[0]


def test_user_cookie_agent_referer_flags() -> None:
    imp = parse_curl("curl -sSLk --compressed -u ann:s3cret -b 'a=1' -A 'Agent/1' -e https://ref/ https://h --http2 -v")
    r = imp.request
    assert r.header("Authorization") == "Basic " + base64.b64encode(b"ann:s3cret").decode()
    assert r.header("Cookie") == "a=1"
    assert r.header("User-Agent") == "Agent/1"
    assert r.header("Referer") == "https://ref/"
    assert imp.insecure and imp.follow_redirects and imp.compressed
    assert imp.unknown_flags == ()


def test_unknown_flags_are_reported_not_fatal() -> None:
    imp = parse_curl("curl --frobnicate -Z9 https://h")
    assert "--frobnicate" in imp.unknown_flags
    assert imp.request.url == "https://h"


def test_multipart_form() -> None:
    imp = parse_curl("curl https://h/up -F name=ann -F 'file=@photo.jpg;type=image/jpeg'")
    r = imp.request
    assert r.method == "POST"
    assert r.header("Content-Type") == f"multipart/form-data; boundary={MULTIPART_BOUNDARY}"
    assert r.body is not None
    assert b'Content-Disposition: form-data; name="name"\r\n\r\nann\r\n' in r.body
    assert b'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n<content of photo.jpg>' in r.body
    assert r.body.endswith(f"--{MULTIPART_BOUNDARY}--\r\n".encode())
    assert any("photo.jpg" in w for w in imp.warnings)


def test_header_forms() -> None:
    imp = parse_curl("curl https://h -H 'X-Empty;' -H 'Accept:' -H 'nocolon' -d x")
    r = imp.request
    assert ("X-Empty", "") in r.headers
    assert r.header("Accept") is None
    assert any("nocolon" in w for w in imp.warnings)
    # "Content-Type:" removes curl's default form type
    assert parse_curl("curl https://h -H 'Content-Type:' -d x").request.header("Content-Type") is None


def test_url_without_scheme_and_url_option() -> None:
    imp = parse_curl("curl --url example.com/x")
    assert imp.request.url == "http://example.com/x" and imp.warnings


def test_pipe_is_cut_with_warning() -> None:
    imp = parse_curl("curl -s https://h/x | jq .")
    assert imp.request.url == "https://h/x"
    assert "jq" in imp.warnings[0]


@pytest.mark.parametrize("text, where", [
    ("wget https://h", "not a curl command"),
    ("", "empty"),
    ("curl -H", "needs a value"),
    ("curl 'https://h", "never closed"),
    ("curl -s", "no URL"),
])
def test_errors_are_sentences(text: str, where: str) -> None:
    with pytest.raises(FormatError, match=where):
        parse_curl(text)


def test_error_names_line_and_column() -> None:
    with pytest.raises(FormatError) as info:
        parse_curl("curl https://h \\\n  -H 'unterminated")
    assert info.value.line == 2 and info.value.column == 6


def test_to_curl_redacts_by_default() -> None:
    req = HttpRequest("GET", "https://h/x?token=abc", (("Authorization", "Bearer xyz"),))
    out = to_curl(req)
    assert "xyz" not in out and "abc" not in out and REDACTED in out and "Bearer" in out
    assert "xyz" in to_curl(req, redact=False)


def test_to_curl_shape() -> None:
    req = HttpRequest("PUT", "https://h/x", (("Content-Type", "text/plain"),), b"it's\n")
    out = to_curl(req, redact=False)
    assert out.splitlines()[0] == "curl -X PUT https://h/x \\"
    assert "--data-binary $'it\\'s\\n'" in out


# ---------------------------------------------------------------- properties

_token = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-!#$%&'*+.^_`|~", min_size=1,
                 max_size=12).filter(lambda s: s.lower() not in ("content-type", "transfer-encoding"))
_value = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip)
_url = st.builds(lambda host, path, q: f"https://{host}.example/{path}" + (f"?{q}" if q else ""),
                 st.from_regex(r"[a-z0-9]{1,10}", fullmatch=True), st.from_regex(r"[A-Za-z0-9/._~-]{0,15}", fullmatch=True),
                 st.from_regex(r"[A-Za-z0-9=&%._-]{0,20}", fullmatch=True))


@st.composite
def requests(draw: st.DrawFn) -> HttpRequest:
    body = draw(st.one_of(st.none(), st.binary(max_size=40), st.text(max_size=40).map(lambda s: s.encode())))
    method = draw(st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]))
    headers = tuple(draw(st.lists(st.tuples(_token, _value), max_size=5)))
    return HttpRequest(method, draw(_url), headers, body)


@settings(max_examples=150, deadline=None)
@given(requests())
def test_to_curl_round_trip(req: HttpRequest) -> None:
    assert parse_curl(to_curl(req, redact=False)).request == req


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.text(max_size=200).map(lambda s: "curl " + s),
                 st.lists(st.sampled_from(["curl", "-H", "-d", "^", "\\\n", "'", '"', "$'", "\\x", "-F", "a=@b", "-u",
                                           "--url", "-G", "|", "^\"", "-XPOST", "x", " "]), max_size=20).map("".join)))
def test_garbage_raises_only_format_error(text: str) -> None:
    try:
        parse_curl(text)
    except FormatError:
        pass


def test_bash_continuation_wins_over_cmd_lookalikes() -> None:
    req = HttpRequest("POST", "https://h/x", (("X-Odd", 'a""b ^"c'),), b"x")
    assert parse_curl(to_curl(req, redact=False)).request == req
