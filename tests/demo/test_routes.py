"""Pure helpers of the endpoints: the Accept check and the order validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.demo.routes import _accepts_json, _order_problem


@pytest.mark.parametrize("accept, ok", [
    (None, True), ("", True), ("*/*", True), ("application/json", True), ("application/*", True),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
    ("text/csv", False), ("application/xml", False), ("application/json;q=0", False),
    ("application/json;q=0, */*", False), ("*/*;q=0", False), ("application/json;q=bogus", False),
    ("APPLICATION/JSON", True),
])
def test_accepts_json(accept, ok):
    assert _accepts_json(accept) is ok


@given(st.text())
def test_accept_parser_never_raises(text):
    assert _accepts_json(text) in (True, False)


@pytest.mark.parametrize("data, problem", [
    ({"item": "tea"}, None), ({"item": "tea", "quantity": 3}, None),
    ({}, "required"), ({"item": 5}, "non-empty"), ({"item": "tea", "quantity": True}, "quantity"),
    ({"item": "tea", "quantity": 1.5}, "quantity"),
])
def test_order_problem(data, problem):
    found = _order_problem(data)
    assert (found is None) if problem is None else (problem in found)
