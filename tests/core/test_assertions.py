import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.assertions import AssertionSyntaxError, check, parse_assertion
from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.formats.http_file import HttpFile, HttpFileRequest, parse_http_file, render_http_file
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing

CATALOG = load_default_catalog()


def _diag(status=201, body=b'{"id": 7, "items": [{"name": "coffee"}, {"name": "tea"}]}',
          headers=(("Content-Type", "application/json; charset=utf-8"), ("Location", "/orders/7")), total=0.12,
          request=HttpRequest("POST", "http://h/orders", (("Content-Type", "application/json"),), b"{}")):
    return diagnose(Exchange(request, HttpResponse(status, headers=headers, body=body), Timing(total=total)),
                    CATALOG, 0.0)


@pytest.mark.parametrize("line, passed", [
    ("?? status == 201", True), ("?? status < 400", True), ("?? status >= 500", False), ("?? status != 201", False),
    ("?? header content-type includes json", True), ("?? header Content-Type includes xml", False),
    ("?? header location exists", True), ("?? header retry-after missing", True),
    ("?? header x-none == a", False), ("?? header x-none != a", True),
    ("?? duration < 500", True), ("?? duration < 100", False),
    ("?? body $.id exists", True), ("?? body $.nope exists", False), ("?? body $.nope missing", True),
    ('?? body $.items[0].name == "coffee"', True), ('?? body $.items[1].name == "coffee"', False),
    ("?? body $.id == 7", True), ("?? body $.id > 3", True), ('?? body $.id == "7"', False),
    ("?? body $.items[*].name includes tea", True),
    ("?? findings none", True), ("?? findings lacks request-missing-content-type", True),
    ("?? findings has request-missing-content-type", False),
])
def test_each_kind_of_assertion(line, passed):
    result = check(parse_assertion(line), _diag())
    assert result.passed is passed, result


def test_failed_assertions_say_expected_and_actual():
    result = check(parse_assertion('?? body $.items[0].name == "milk"'), _diag())
    assert (result.expected, result.actual) == ('== "milk"', '"coffee"')
    result = check(parse_assertion("?? status == 200"), _diag())
    assert (result.expected, result.actual) == ("== 200", "201")


def test_findings_name_what_was_found():
    bad = _diag(request=HttpRequest("POST", "http://h/orders", (), b"{}"), status=415)
    none = check(parse_assertion("?? findings none"), bad)
    assert not none.passed and "request-missing-content-type" in none.actual
    assert not check(parse_assertion("?? findings lacks request-missing-content-type"), bad).passed


def test_a_missing_response_fails_and_a_non_json_body_is_said():
    no_answer = diagnose(Exchange(HttpRequest("GET", "http://h/"), None), CATALOG, 0.0)
    assert check(parse_assertion("?? status < 400"), no_answer).actual == "no response"
    text = _diag(body=b"<html>", headers=(("Content-Type", "text/html"),))
    result = check(parse_assertion("?? body $.id exists"), text)
    assert not result.passed and result.actual == "the body is not JSON"


@pytest.mark.parametrize("line, words", [
    ("?? status", "needs one of"), ("?? status == abc", "compares with a number"), ("?? color red", "unknown"),
    ("?? body $[[ exists", "cannot be read"), ("?? findings maybe", "findings none"), ("?? header", "header name"),
    ("?? body $.id ==", "needs a value"), ("?? header a exists now", "nothing may follow"),
])
def test_unreadable_lines_are_sentences(line, words):
    with pytest.raises(AssertionSyntaxError, match=words):
        parse_assertion(line)


@given(st.text(max_size=40))
def test_any_line_parses_or_raises_the_one_error(text):
    try:
        parse_assertion("??" + text)
    except AssertionSyntaxError:
        pass


def test_http_file_keeps_assertion_lines_with_their_request_not_in_the_body():
    text = ('### create\nPOST http://h/orders\nContent-Type: application/json\n\n{"item": "coffee"}\n\n'
            "?? status == 201\n?? body $.id exists\n\n### list\nGET http://h/orders\n?? status < 400\n")
    f = parse_http_file(text)
    assert [r.body for r in f.requests] == ['{"item": "coffee"}', None]
    assert [r.assertions for r in f.requests] == [("?? status == 201", "?? body $.id exists"), ("?? status < 400",)]
    assert f.notes == ()  # expectations are not scripts: no "not run" note
    assert parse_http_file(render_http_file(f)) == f
    body = HttpFile(requests=(HttpFileRequest("b", "POST", "http://h/", body="a\n?? status == 1\nb"),))
    assert parse_http_file(render_http_file(body)).requests[0].body == "a\n?? status == 1\nb"


SECRET = "S3CRETv4lue9"
LEAKY = _diag(status=200, headers=(("Content-Type", "application/json"), ("Set-Cookie", f"sid={SECRET}; Path=/"),
                                   ("X-Note", f"Bearer {SECRET}")),
              body=b'{"access_token": "%s", "user": {"password": ["%s"], "name": "ann"}, "id": 7}'
              % (SECRET.encode(), SECRET.encode()))


@pytest.mark.parametrize("line, kept", [
    ("?? header set-cookie includes nothing-here", "sid=•••redacted•••; Path=/"),
    ("?? header set-cookie == sid=S3CRETv4lue9", "sid=•••redacted•••"),
    ("?? header x-note == a", "Bearer •••redacted•••"),  # not a secret header, but a credential-shaped value
    ('?? body $.access_token == "x"', "•••redacted•••"),
    ("?? body $..password[0] == 1", "•••redacted•••"),  # under a secret key, found by descent
    ("?? body $.* == 1", '"ann"'),  # several values: those under secret keys hidden, the rest kept
    ("?? body $ == 1", '"id": 7'),
    ("?? body $.user == 1", '"name": "ann"'),
    ('?? body $.access_token == "S3CRETv4lue9"', "•••redacted•••"),  # the expectation's own value too
])
def test_redacted_results_hide_quoted_secrets_and_keep_the_rest(line, kept):
    result = check(parse_assertion(line), LEAKY)
    assert not result.passed or "==" in line
    shown = result.redacted()
    text = " ".join(str(v) for v in shown.to_json().values())
    assert SECRET not in text and kept in text
    assert result.assertion.text in line  # the result itself keeps what it read (for --show-secrets)


def test_redacted_results_keep_harmless_values_as_they_are():
    for line in ("?? body $.id == 8", "?? header content-type == text/html", "?? body $.missing exists",
                 "?? header authorization exists", "?? status == 201"):
        result = check(parse_assertion(line), LEAKY)
        assert result.redacted() == result, line


def test_a_deep_or_huge_literal_is_a_sentence_not_a_recursion_error():
    """`?? body $.a == [[[[…` 100,000 deep raised RecursionError out of `run` as a traceback."""
    with pytest.raises(AssertionSyntaxError, match="longer than 100,000 characters"):
        parse_assertion("?? body $.a == " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(AssertionSyntaxError, match="nested too deeply"):
        parse_assertion("?? body $.a == " + "[" * 5_000 + "]" * 5_000)


def test_a_backtracking_regex_in_a_path_is_refused_before_it_runs():
    """`$[?match(@,'(a+)+')]` on "aaa…!" hung `run` (python-jsonpath uses re without a time limit)."""
    with pytest.raises(AssertionSyntaxError, match="JSONPath is refused: the pattern '\\(a\\+\\)\\+' is refused"):
        parse_assertion("?? body $[?match(@,'(a+)+')] exists")
    with pytest.raises(AssertionSyntaxError, match="3 descendant segments"):
        parse_assertion("?? body $..[?@..[?@..*]] exists")


def test_a_regex_from_the_body_or_a_huge_body_fails_the_check_with_a_sentence():
    body = b'[{"a": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "p": "(a+)+"}]'
    result = check(parse_assertion("?? body $[?match(@.a,@.p)] exists"), _diag(body=body))
    assert not result.passed and result.actual.startswith("not checked: the pattern '(a+)+' is refused")
    big = b'{"a": "' + b"x" * (8 * 2**20) + b'"}'
    result = check(parse_assertion("?? body $.a exists"), _diag(body=big))
    assert not result.passed and "the body is too large to query" in result.actual
