"""The syntax highlighter colours a formatted JSON body (the formatting itself: tests/core/test_body_format.py)."""

from __future__ import annotations

from app.ui.response.highlighter import BodyHighlighter


def test_highlighter_colours_json_keys(qapp):
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setPlainText('{\n  "Message": "x",\n  "n": 1\n}')
    hl = BodyHighlighter(doc, "json")
    hl.rehighlight()
    block = doc.findBlockByNumber(1)
    formats = block.layout().formats()
    assert formats, "the key line got no formatting"
