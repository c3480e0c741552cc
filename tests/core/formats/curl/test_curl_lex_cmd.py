"""The Windows cmd lexer alone: telling the flavour apart, cmd.exe's ^ pass, the C runtime's quoting rules."""

from __future__ import annotations

import pytest

from app.core.formats.curl.lex_cmd import cmd_unescape, is_cmd_flavour, tokenize_cmd
from app.core.formats.errors import FormatError


@pytest.mark.parametrize("text,cmd", [
    ('curl ^"http://h/^" ^\n  -H ^"A: b^"', True),
    ("curl http://h/ ^\n -k", True),
    ('curl "http://h/" -d "{""a"":1}"', True),
    ("curl 'http://h/' \\\n -H 'A: b'", False),
    ("curl http://h/ -H 'X: ^\"'", True),
    ("curl http://h/", False),
])
def test_flavour(text, cmd):
    assert is_cmd_flavour(text) is cmd


def test_caret_pass_keeps_offsets():
    line, offs = cmd_unescape('a^"b "^x" ^\nc')
    assert line == 'a"b "^x" c'
    assert len(offs) == len(line)
    assert offs[1] == 2  # the quote after the caret
    assert offs[-1] == 12  # "c" after the continuation


def test_caret_newline_newline_is_a_newline():
    assert cmd_unescape("a^\n\nb")[0] == "a\nb"


@pytest.mark.parametrize("text,words", [
    ('curl "a b" c', ["curl", "a b", "c"]),
    ('curl "say ""hi"""', ["curl", 'say "hi"']),
    ('curl a\\\\\\"b', ["curl", 'a\\"b']),
    ('curl a\\\\"b c"', ["curl", "a\\b c"]),
    ("curl a\\b", ["curl", "a\\b"]),
])
def test_c_runtime_rules(text, words):
    assert [t.text for t in tokenize_cmd(text, [])] == words


def test_unclosed_quote_names_where_in_the_pasted_text():
    with pytest.raises(FormatError) as info:
        tokenize_cmd('curl ^\n "open', [])
    assert str(info.value) == "The double quote that starts here is never closed (line 2, column 2)."
