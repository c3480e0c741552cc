"""JsonWalker: stepping into objects and arrays gives what json.loads gives, errors at the same place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.json_stream import JsonWalker

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=4),
                     max_leaves=20)


def walk(w: JsonWalker) -> Any:
    """Step into every object and array (the opposite of decoding whole)."""
    nxt = w.peek()
    if nxt == "{":
        return {key: walk(w) for key in w.members()}
    if nxt == "[":
        return [walk(w) for _ in w.items()]
    return w.value()


@settings(max_examples=200, deadline=None)
@given(_json, st.sampled_from([None, 1, 2]))
def test_walking_equals_json_loads(doc: Any, indent: int | None) -> None:
    text = json.dumps(doc, indent=indent)
    w = JsonWalker(text)
    assert walk(w) == json.loads(text)
    w.end()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[],:"ab1 \n', max_size=30))
def test_broken_json_fails_like_json_loads(text: str) -> None:
    try:
        expected = json.loads(text)
    except json.JSONDecodeError:
        expected = None
    w = JsonWalker(text)
    try:
        got = walk(w)
        w.end()
    except json.JSONDecodeError as exc:
        assert expected is None, (text, exc)
        assert 0 <= exc.pos <= len(text)
        return
    assert got == expected


@pytest.mark.parametrize("text, message", [('{"a" 1}', "Expecting ':' delimiter"), ("[1 2]", "Expecting ',' delimiter"),
                                           ("{1: 2}", "Expecting property name"), ("[] []", "Extra data")])
def test_error_messages_match_the_standard_decoder(text: str, message: str) -> None:
    w = JsonWalker(text)
    with pytest.raises(json.JSONDecodeError, match=message) as err:
        walk(w)
        w.end()
    with pytest.raises(json.JSONDecodeError) as std:
        json.loads(text)
    assert err.value.pos == std.value.pos
