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


def _spans(block) -> list[tuple[str, str, bool]]:
    """(text, colour, bold) of each coloured span of ``block``."""
    from PySide6.QtGui import QFont

    text = block.text()
    return [(text[f.start:f.start + f.length], f.format.foreground().color().name(),
             f.format.fontWeight() == QFont.Weight.Bold) for f in block.layout().formats()]


def test_json_tokens_are_read_once_left_to_right(qapp):
    """One pass: a key is the key colour (bold) up to its closing quote, a number or literal inside a string stays
    the string's colour, and a string cut by a display line break is coloured to the end of its line."""
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setPlainText('  "name": "item 12 true",\n  "n": -1.5e3, "ok": null,\n  "cut": "a very long te')
    hl = BodyHighlighter(doc, "json")
    first, second, third = (doc.findBlockByNumber(n) for n in range(3))
    assert _spans(first) == [('"name"', "#1a5fb4", True), ('"item 12 true"', "#1e7b34", False)]
    assert ("-1.5e3", "#a35200", False) in _spans(second) and ("null", "#8e24aa", False) in _spans(second)
    assert _spans(third)[-1] == ('"a very long te', "#1e7b34", False)
    doc.setPlainText("  " + '\\"' * 3000)  # escaped quotes only: one string to the end, not a retry at each quote
    hl.rehighlight()
    assert [len(t) for t, _c, _b in _spans(doc.firstBlock())] == [6000 - 1]
    hl.setDocument(None)


def test_given_its_view_the_highlighter_colours_the_screen_first_and_the_rest_later(qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    view = QPlainTextEdit()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    hl = BodyHighlighter(view.document(), "json", view=view)
    view.setPlainText("\n".join(f'  "key{n}": {n},' for n in range(3000)))
    hl.colour_visible()
    doc = view.document()
    assert doc.firstBlock().layout().formats() and not doc.lastBlock().layout().formats()
    assert hl.pending() > 2000
    qtbot.waitUntil(lambda: hl.pending() == 0, timeout=5000)
    assert all(doc.findBlockByNumber(n).layout().formats() for n in range(0, 3000, 7))
    view.verticalScrollBar().setValue(2000)  # already coloured: scrolling has nothing left to do
    assert doc.findBlockByNumber(2001).layout().formats()
    hl.set_kind("text")
    assert not doc.findBlockByNumber(5).layout().formats() and hl.pending() == 0
