"""Misbehave modes: parsing the query value and rewriting an answer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.demo import misbehave
from app.demo.reply import json_reply


def test_parse_modes_splits_dedups_and_lowercases():
    assert misbehave.parse_modes(["XML, close", "xml", ""]) == ["xml", "close"]


def test_unknown_mode_is_a_sentence_naming_the_known_ones():
    with pytest.raises(misbehave.UnknownMode, match="Unknown misbehave mode 'boom'.*no-content-type"):
        misbehave.parse_modes(["boom"])


@given(st.lists(st.text(max_size=20), max_size=4))
def test_parse_modes_only_raises_unknown_mode(values):
    try:
        modes = misbehave.parse_modes(values)
    except misbehave.UnknownMode:
        return
    assert set(modes) <= set(misbehave.MODES)


def test_xml_escapes_and_problem_keeps_the_words():
    reply = misbehave.apply(json_reply(400, {"Message": "a < b & c", "Description": "d"}), ["xml"])
    assert b"<Message>a &lt; b &amp; c</Message>" in reply.body
    reply = misbehave.apply(json_reply(400, {"Message": "m", "Description": "d"}), ["problem"])
    assert json.loads(reply.body) == {"type": "about:blank", "title": "Bad Request", "status": 400,
                                      "detail": "m", "description": "d"}


def test_framing_precedence_and_length_on_204_only_on_204():
    assert misbehave.apply(json_reply(500, {"Message": "m"}), ["chunked", "wrong-length"]).framing == "wrong-length"
    assert misbehave.apply(json_reply(200, {"Message": "m"}), ["length-on-204"]).framing == "content-length"
    assert misbehave.apply(json_reply(204, {}), ["length-on-204"]).framing == "length-on-204"
