"""FormatError helpers: positions in text and the parsers' safety net."""

from __future__ import annotations

import pytest

from app.core.formats.errors import FormatError, at, line_col, never_other_errors


def test_line_col_is_one_based_and_counts_from_the_last_newline():
    assert line_col("ab\ncd", 0) == (1, 1)
    assert line_col("ab\ncd", 4) == (2, 2)


def test_at_ends_the_sentence_with_the_position():
    err = at("ab\ncd", 3, "Unexpected quote")
    assert str(err) == "Unexpected quote (line 2, column 1)."
    assert (err.line, err.column) == (2, 1)


def test_safety_net_turns_an_unexpected_error_into_a_sentence():
    @never_other_errors("HAR file")
    def parse(_data):
        raise KeyError("log")

    with pytest.raises(FormatError) as info:
        parse(b"{}")
    text = str(info.value)
    assert text.startswith("The HAR file could not be read")
    assert text.endswith(".")


def test_safety_net_lets_precise_format_errors_through_unchanged():
    @never_other_errors("curl command")
    def parse(_data):
        raise FormatError("The curl command has no URL.")

    with pytest.raises(FormatError, match=r"^The curl command has no URL\.$"):
        parse("curl")


def test_safety_net_names_deep_nesting():
    @never_other_errors("Postman collection")
    def parse(_data):
        raise RecursionError

    with pytest.raises(FormatError, match="nested too deeply"):
        parse("{}")
