"""The .http saved-request format: parse, render, variables, errors, round trip, garbage."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.errors import FormatError
from app.core.formats.http_file import HttpFile, HttpFileRequest, expand, parse_http_file, render_http_file, unresolved

SAMPLE = """\
@host = https://api.example.com
@token = abc123
# a comment before anything

### List orders
GET {{host}}/orders?page=1 HTTP/1.1
    &sort=desc
Authorization: Bearer {{token}}
// header comment
Accept: application/json

###
# @name createOrder
POST {{host}}/orders
Content-Type: application/json

{
  "sku": "A-1",

  "qty": 2
}


### just a URL
{{host}}/health
"""


def test_sample() -> None:
    f = parse_http_file(SAMPLE)
    assert f.variables == {"host": "https://api.example.com", "token": "abc123"}
    a, b, c = f.requests
    assert a == HttpFileRequest("List orders", "GET", "{{host}}/orders?page=1&sort=desc",
                                (("Authorization", "Bearer {{token}}"), ("Accept", "application/json")), None)
    assert b.name == "createOrder" and b.method == "POST"
    assert b.body == '{\n  "sku": "A-1",\n\n  "qty": 2\n}'
    assert c == HttpFileRequest("just a URL", "GET", "{{host}}/health")


def test_crlf_and_bom() -> None:
    f = parse_http_file("\ufeffGET https://h/x\r\nA: 1\r\n\r\nbody\r\n")
    assert f.requests == (HttpFileRequest(None, "GET", "https://h/x", (("A", "1"),), "body"),)


def test_render_then_parse() -> None:
    f = parse_http_file(SAMPLE)
    assert parse_http_file(render_http_file(f)) == f


def test_expand_and_unresolved() -> None:
    v = {"host": "https://h", "base": "{{host}}/v1", "id": "7"}
    assert expand("{{base}}/items/{{ id }}?k={{key}}", v) == "https://h/v1/items/7?k={{key}}"
    assert unresolved("{{base}}/{{key}}/{{$guid}}/{{key}}", v) == ["key", "$guid"]
    assert expand("{{a}}", {"a": "{{a}}"}) == "{{a}}"  # self-reference terminates


@pytest.mark.parametrize("text, line", [
    ("GET https://h/x\nnot a header\n", 2),
    ("###\nGET a b c d\n", 2),
])
def test_errors_name_the_line(text: str, line: int) -> None:
    with pytest.raises(FormatError) as info:
        parse_http_file(text)
    assert info.value.line == line and f"Line {line}" in str(info.value)


def test_empty_file() -> None:
    assert parse_http_file("") == HttpFile({}, ())


# ---------------------------------------------------------------- properties

_line = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20)
_body = st.lists(_line.filter(lambda s: not s.startswith("###")), min_size=1, max_size=4).map("\n".join).filter(
    lambda b: b.split("\n")[0].strip() != "" and b.split("\n")[-1].strip() != "")


@st.composite
def http_files(draw: st.DrawFn) -> HttpFile:
    variables = draw(st.dictionaries(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True),
                                     _line.map(str.strip), max_size=3))
    reqs = []
    for _ in range(draw(st.integers(0, 3))):
        name = draw(st.one_of(st.none(), _line.map(str.strip).filter(bool)))
        method = draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH"]))
        url = draw(st.from_regex(r"(https://|\{\{host\}\}/)[A-Za-z0-9/?=&{}._-]{0,20}", fullmatch=True))
        headers = tuple(draw(st.lists(st.tuples(st.from_regex(r"[A-Za-z][A-Za-z0-9-]{0,10}", fullmatch=True),
                                                _line.map(str.strip)), max_size=3)))
        body = draw(st.one_of(st.none(), _body))
        reqs.append(HttpFileRequest(name, method, url, headers, body))
    return HttpFile(variables, tuple(reqs))


@settings(max_examples=200, deadline=None)
@given(http_files())
def test_round_trip(f: HttpFile) -> None:
    assert parse_http_file(render_http_file(f)) == f


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200),
                 st.lists(st.sampled_from(["###", "### x", "@a = 1", "GET", " https://h", "\n", "A: b", "# @name n",
                                           "//", "{{x}}", "\r\n", "    &q=1", ":", "POST a b"]),
                          max_size=15).map("".join)))
def test_garbage_raises_only_format_error(text: str) -> None:
    try:
        parse_http_file(text)
    except FormatError:
        pass
