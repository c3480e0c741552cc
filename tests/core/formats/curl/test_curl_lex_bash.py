"""The bash lexer alone: words and where they start, quotes, $'...' escapes, continuations, operators."""

from __future__ import annotations

import pytest

from app.core.formats.curl.lex_bash import tokenize_bash
from app.core.formats.curl.tokens import to_bytes
from app.core.formats.errors import FormatError


def words(text: str) -> list[str]:
    return [t.text for t in tokenize_bash(text, [])]


def test_words_and_offsets():
    tokens = tokenize_bash("curl  -H 'A: b' \\\n  http://h/", [])
    assert [(t.text, t.offset) for t in tokens] == [("curl", 0), ("-H", 6), ("A: b", 9), ("http://h/", 20)]


@pytest.mark.parametrize("text,word", [
    ("'it'\\''s'", "it's"),
    ('"a \\"b\\" \\$x $y"', 'a "b" $x $y'),
    ("$'tab\\there\\nq\\'s'", "tab\there\nq's"),
    ("$'\\x41\\101\\u00e9\\cA'", "AAé\x01"),
    ("a\\ b", "a b"),
    ('$"x"', "x"),
])
def test_quotes_and_escapes(text, word):
    assert words(text) == [word]


def test_ansi_c_raw_bytes_survive_as_bytes():
    [word] = words("$'\\xff\\x00\\377'")
    assert to_bytes(word) == b"\xff\x00\xff"


def test_comment_and_operator_end_the_command():
    warnings: list[str] = []
    assert [t.text for t in tokenize_bash("curl x # note\n | grep y", warnings)] == ["curl", "x"]
    assert warnings == ["Ignored what follows the curl command: '| grep y'."]


@pytest.mark.parametrize("text,message", [
    ("curl 'open", "The single quote that starts here is never closed (line 1, column 6)."),
    ('curl\n "open', "The double quote that starts here is never closed (line 2, column 2)."),
    ("curl $'open", "The $'...' quote that starts here is never closed (line 1, column 6)."),
    ("curl $'\\U00110000'", "The escape \\U00110000 is not a valid character (line 1, column 18)."),
])
def test_unclosed_quotes_name_where(text, message):
    with pytest.raises(FormatError) as info:
        tokenize_bash(text, [])
    assert str(info.value) == message
