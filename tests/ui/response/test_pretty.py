"""Body formatting (pure functions) and the highlighter."""

from __future__ import annotations

import json

from hypothesis import given, strategies as st

from app.ui.response.pretty import (
    BodyHighlighter,
    charset_of,
    format_body,
    format_raw,
    human_size,
    reindent_json,
    reindent_xml,
)

LIMIT = 1 << 20


def test_json_is_pretty_printed():
    fb = format_body(b'{"Message":"No","n":[1,2]}', "application/json", LIMIT)
    assert fb.kind == "json" and not fb.truncated and fb.error is None
    assert fb.text == json.dumps({"Message": "No", "n": [1, 2]}, indent=2)


def test_invalid_json_is_shown_raw_with_a_note():
    fb = format_body(b'{"a": 1,, }', "application/json; charset=utf-8", LIMIT)
    assert fb.text == '{"a": 1,, }'
    assert fb.error is not None and fb.error.startswith("not valid JSON: line 1 column 9")


def test_truncated_json_is_reindented_and_marked():
    data = json.dumps([{"id": i, "name": "x" * 10} for i in range(1000)]).encode()
    fb = format_body(data, "application/json", 500)
    assert fb.truncated and fb.kind == "json"
    assert fb.text.startswith('[\n  {\n    "id": 0,\n    "name": "xxxxxxxxxx"\n  },')


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=4),
                    max_leaves=20))
def test_reindent_matches_json_dumps(value):
    compact = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    assert reindent_json(compact) == json.dumps(value, indent=2, ensure_ascii=False)


def test_xml_reindent_without_parsing():
    xml = '<?xml version="1.0"?><Error><Message>No type</Message><Empty/></Error>'
    fb = format_body(xml.encode(), "application/xml", LIMIT)
    assert fb.kind == "xml"
    assert fb.text == '<?xml version="1.0"?>\n<Error>\n  <Message>No type</Message>\n  <Empty/>\n</Error>'
    # entities are never expanded
    assert "&lol;" in reindent_xml('<!DOCTYPE x [<!ENTITY lol "lol">]><x>&lol;</x>')


def test_binary_gets_a_hex_dump_and_images_are_images():
    fb = format_body(bytes(range(256)), "application/octet-stream", LIMIT)
    assert fb.kind == "binary" and fb.text.startswith("00000000  00 01 02")
    assert format_body(b"\x89PNG\r\n", "image/png", LIMIT).kind == "image"


def test_raw_keeps_text_with_replacement_chars():
    fb = format_raw(b"caf\xe9 ok", "text/plain", LIMIT)
    assert fb.text == "caf\ufffd ok"
    fb = format_raw(b"caf\xe9", "text/plain; charset=latin-1", LIMIT)
    assert fb.text == "café"
    assert charset_of("text/plain; charset=nonsense") == "utf-8"


def test_preview_flag_marks_truncation_and_empty_bodies():
    assert format_body(b"hello", "text/plain", LIMIT, more=True).truncated
    assert format_body(b"", None, LIMIT).text == ""


def test_human_size():
    assert human_size(96) == "96 B"
    assert human_size(1536) == "1.5 KB"
    assert human_size(100 * 1024 * 1024) == "100 MB"


def test_highlighter_colours_json_keys(qapp):
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setPlainText('{\n  "Message": "x",\n  "n": 1\n}')
    hl = BodyHighlighter(doc, "json")
    hl.rehighlight()
    block = doc.findBlockByNumber(1)
    formats = block.layout().formats()
    assert formats, "the key line got no formatting"
