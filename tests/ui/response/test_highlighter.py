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


def test_highlighter_colours_html_tags_attributes_and_comments(qapp):
    from PySide6.QtGui import QTextDocument

    from app.core.body_format import reindent_html
    from app.ui.response.highlighter import HIGHLIGHTED_KINDS

    assert "html" in HIGHLIGHTED_KINDS
    doc = QTextDocument()
    doc.setPlainText(reindent_html('<html><body><!-- nav --><a href="/x">go</a></body></html>'))
    hl = BodyHighlighter(doc, "html")
    hl.rehighlight()
    lines = doc.toPlainText().split("\n")
    comment = doc.findBlockByNumber(lines.index("    <!-- nav -->")).layout().formats()
    link = doc.findBlockByNumber(lines.index('    <a href="/x">go</a>')).layout().formats()
    colours = {f.format.foreground().color().name() for f in link}
    assert len(colours) >= 3  # tag, attribute name, attribute value
    whole = [f for f in comment if f.length == len("<!-- nav -->")]
    assert whole and whole[0].format.foreground().color().name() == "#6b6b6b"
    hl.set_kind("text")
    assert not doc.findBlockByNumber(lines.index('    <a href="/x">go</a>')).layout().formats()
