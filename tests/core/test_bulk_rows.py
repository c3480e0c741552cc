"""Bulk text for headers and params: round trip, switched-off rows, a sentence for a line that is not a row."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.bulk_rows import HEADERS, PARAMS, BulkTextError, rows_to_text, text_to_rows
from app.core.draft import Row

_name = st.from_regex(r"[A-Za-z][A-Za-z0-9\-_.]{0,15}", fullmatch=True)
_value = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30).map(str.strip)


@given(st.lists(st.builds(Row, _name, _value, st.booleans()), max_size=8), st.sampled_from([HEADERS, PARAMS]))
def test_rows_survive_a_round_trip(rows, kind):
    assert text_to_rows(rows_to_text(rows, kind), kind) == tuple(rows)


@given(st.text(max_size=200), st.sampled_from([HEADERS, PARAMS]))
def test_any_text_gives_rows_or_a_sentence(text, kind):
    try:
        rows = text_to_rows(text, kind)
    except BulkTextError as exc:
        assert str(exc).startswith(f"Line {exc.line}: ")
    else:
        assert all(isinstance(r, Row) and r.name for r in rows)


def test_headers_text():
    text = "Accept: application/json\n\n# X-Debug: 1\n// Authorization: Bearer abc:def\nHost:example.com:8080\n"
    assert text_to_rows(text, HEADERS) == (
        Row("Accept", "application/json"), Row("X-Debug", "1", False),
        Row("Authorization", "Bearer abc:def", False), Row("Host", "example.com:8080"))


def test_params_take_equals_or_colon_and_a_bare_name():
    assert text_to_rows("q=coffee\ntime=12:30\nnext: a=b\nflag\n#page=2", PARAMS) == (
        Row("q", "coffee"), Row("time", "12:30"), Row("next", "a=b"), Row("flag", ""), Row("page", "2", False))


@pytest.mark.parametrize("text, line, words", [
    ("Accept: */*\nContent-Type application/json", 2, "has no colon"),
    (": value", 1, "header name is missing"),
    ("Content Type: text/plain", 1, "is not a header name"),
])
def test_a_line_that_is_not_a_header_says_which_and_why(text, line, words):
    with pytest.raises(BulkTextError) as info:
        text_to_rows(text, HEADERS)
    assert info.value.line == line and words in str(info.value)
