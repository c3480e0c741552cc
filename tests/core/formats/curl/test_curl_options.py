"""The option table and the option reader alone (the request they lead to is test_curl.py's subject)."""

from __future__ import annotations

import pytest

from app.core.formats.curl import options
from app.core.formats.curl.options import read_options
from app.core.formats.curl.tokens import Token
from app.core.formats.errors import FormatError


def read(*words: str, read_file=None) -> options.ParsedOptions:
    tokens = [Token(w, i) for i, w in enumerate(words)]
    return read_options(" ".join(words), tokens, read_file, [])


def test_every_spelling_has_a_handler_entry():
    assert set(options.VALUE_OPTIONS.values()) <= set(options.VALUE_HANDLERS)
    assert set(options.FLAG_OPTIONS.values()) <= set(options.FLAG_HANDLERS)
    assert not set(options.VALUE_OPTIONS) & set(options.FLAG_OPTIONS)


def test_every_handler_is_reachable():
    assert set(options.VALUE_HANDLERS) == set(options.VALUE_OPTIONS.values())
    assert set(options.FLAG_HANDLERS) == set(options.FLAG_OPTIONS.values())


def test_short_cluster_with_attached_value():
    st = read("-sSLkXPUT", "http://h/")
    assert st.location and st.insecure and st.method == "PUT" and st.url == "http://h/"


def test_short_cluster_takes_the_next_word_as_value_and_keeps_unknown_letters():
    st = read("-vqH", "A: b", "-W")
    assert st.headers == [("A", "b")] and st.unknown == ["-W"]


def test_no_flag_is_known_and_unknown_long_options_are_kept():
    st = read("--no-compressed", "--frobnicate", "--max-time", "5", "u")
    assert st.unknown == ["--frobnicate"] and not st.compressed and st.url == "u"


def test_header_forms():
    st = read("-H", "A: 1", "-H", "Empty;", "-H", "Accept:", "-H", "noColon", "-H", ": v")
    assert st.headers == [("A", "1"), ("Empty", "")]
    assert st.removed == {"accept"}
    assert st.warnings == ["Ignored the header 'noColon': it has no colon.",
                           "Ignored the header ': v': it has no name."]


def test_files_go_through_read_file_and_failures_are_warnings():
    def reader(path: str) -> bytes:
        if path == "bad":
            raise OSError("no such file")
        return b"a\r\nb"

    st = read("-d", "@f", "--data-binary", "@f", "-d", "@bad", read_file=reader)
    assert st.data[:2] == [b"ab", b"a\r\nb"] and st.data[2] == b"<content of bad>"
    assert st.warnings == ["Could not read the file 'bad' named by --data @: no such file. "
                           "A placeholder is used instead."]


def test_missing_value_names_the_option():
    with pytest.raises(FormatError) as info:
        read_options("curl -H", [Token("-H", 5)], None, [])
    assert str(info.value) == "The option -H needs a value after it (line 1, column 6)."


def test_second_url_is_a_warning():
    st = read("http://a/", "--url", "http://b/")
    assert st.url == "http://a/" and st.warnings == ["Only the first URL is used; ignored 'http://b/'."]
