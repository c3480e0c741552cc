"""Decoding in steps gives what json.loads gives, and fails where it fails."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.json_steps import loads_in_steps

values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                      lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=3), kids, max_size=4),
                      max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(values, st.integers(0, 4), st.sampled_from([None, 2]))
def test_the_same_value_as_json_loads(value, depth, indent):
    text = json.dumps(value, indent=indent)
    assert loads_in_steps(text, depth) == json.loads(text)


def test_duplicate_keys_and_errors_match_json_loads():
    assert loads_in_steps('{"a": 1, "a": {"b": [2]}}') == {"a": {"b": [2]}}
    for bad in ('{"a": 1,, }', '[1, 2', '{"a": 1} x', ""):
        with pytest.raises(json.JSONDecodeError):
            loads_in_steps(bad)
