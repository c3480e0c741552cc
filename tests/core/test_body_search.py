"""Whole-body search in chunks agrees with a plain search over the whole bytes, for any chunk size."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.body_search import SearchResult, find_all, find_in_text, line_start, needle_bytes, utf8_boundary


def reader(data: bytes):
    return lambda off, n: data[off:off + n]


def reference(data: bytes, needle: bytes, case_sensitive: bool) -> list[int]:
    flags = 0 if case_sensitive else re.IGNORECASE
    return [m.start() for m in re.finditer(re.escape(needle), data, flags)]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300).map(lambda b: b.replace(b"\x00", b"a")), st.sampled_from([b"a", b"ab", b"aAa", b"xyz!"]),
       st.integers(1, 17), st.booleans())
def test_chunked_search_finds_what_a_whole_search_finds(data, needle, chunk, case_sensitive):
    got = find_all(reader(data), len(data), needle, case_sensitive=case_sensitive, chunk=chunk)
    assert list(got.offsets) == reference(data, needle, case_sensitive)


def test_a_match_across_a_chunk_border_is_found_once():
    data = b"....needle...." * 3
    got = find_all(reader(data), len(data), b"NEEDLE", chunk=7)
    assert got.offsets == (4, 18, 32) and got.length == 6 and not got.capped


def test_the_cap_and_cancelling_stop_the_search():
    data = b"ab" * 1000
    capped = find_all(reader(data), len(data), b"a", max_matches=10)
    assert capped.capped and len(capped.offsets) == 10 and capped.summary(2) == "3 of 10+"
    stopped = find_all(reader(data), len(data), b"a", chunk=100, cancelled=lambda: True)
    assert stopped.cancelled and stopped.offsets == ()


def test_text_search_and_summaries():
    r = find_in_text("Id id ID", "id")
    assert r.offsets == (0, 3, 6) and r.summary() == "3 matches" and r.summary(0) == "1 of 3"
    assert find_in_text("Id", "id", case_sensitive=True).summary() == "No matches"
    assert SearchResult((5,), 1).summary() == "1 match"


def test_line_start_and_utf8_boundary():
    data = b"first\nsecond\nthird"
    assert line_start(reader(data), 9) == 6 and line_start(reader(data), 0) == 0
    assert line_start(reader(b"x" * 100), 90, lookback=10) == 90  # a long line: start where asked
    euro = "€".encode()
    assert utf8_boundary(b"a" + euro, 2) == 4 and utf8_boundary(b"a" + euro, 1) == 1
    assert needle_bytes("€", "latin-1") == "€".encode("utf-8", "replace")
