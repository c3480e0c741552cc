"""The body view's syntax highlighter: keys, strings, numbers and literals (JSON); tags, attributes, comments and
declarations (XML and HTML). ``HIGHLIGHTED_KINDS`` are the formatted kinds it colours.

The formatting it colours is pure and lives in app/core/body_format.py (it runs on a worker thread); this is the
only part that needs Qt, because a QSyntaxHighlighter paints on the GUI thread.

Each line is read once by one Python pattern (an alternation: the first kind of token that starts at a place wins),
about twice as fast as one QRegularExpression per kind. Given the text view it colours (``view``), the highlighter
is lazy: the lines on screen are coloured at once (``colour_visible``, called when a window of text is shown) and
the rest of the window a few milliseconds per event-loop turn, nearest to the screen first, so putting a 16 KB
window of JSON (1,300 lines) in the view never holds the window's loop for the whole window's colouring.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat

HIGHLIGHTED_KINDS = ("json", "xml", "html")  # app.core.body_format's kinds that get colours
MAX_LINE = 10000  # longer lines are left plain rather than stall
SLICE_S = 0.004  # colouring done per event-loop turn in lazy mode
RANGE = 48  # lines coloured per call into Qt

# An unterminated string is coloured to the end of its line (a JSON line broken for display, or a broken body):
# it also keeps the pattern linear on a line of many escaped quotes.
_JSON = re.compile(r'(?P<string>"(?:[^"\\]|\\.)*+(?:"|$))(?P<key>\s*:)?'
                   r"|(?P<number>(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)"
                   r"|(?P<literal>\b(?:true|false|null)\b)")
_MARKUP = re.compile(r"(?P<comment><!--.*?(?:-->|$))"
                     r"|(?P<literal><![A-Za-z][^>]*>?|<\?[^>]*>?)"  # <!DOCTYPE …>, <?xml …?>
                     r"|(?P<tag></?[\w:.-]+|/?>)"
                     r"|(?P<string>\"[^\"]*\"|'[^']*')"
                     r"|(?P<attr>\b[\w:.-]+(?==))")


class BodyHighlighter(QSyntaxHighlighter):
    """Colours keys, strings, numbers and literals (JSON) or tags, attributes and comments (XML, HTML).

    ``view``: the QPlainTextEdit showing the document; with it, colouring is lazy (see the module's notes).
    Block states record which lines are coloured: ``self._stamp`` or ``self._stamp + 1`` for the current kind
    (the two values let a range be re-coloured: Qt goes on to the next line only when a line's state changes).
    """

    def __init__(self, document, kind: str = "text", dark: bool = False, view=None) -> None:
        super().__init__(document)
        self._view = view
        self._pattern: re.Pattern[str] | None = None
        self._formats: dict[str, QTextCharFormat] = {}
        self._stamp = 0
        self._until = -1  # while colouring a range on purpose: its last line; -1 while Qt asks on its own
        self._pending: set[int] = set()  # lazy: lines Qt asked about, not coloured yet
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._colour_some)
        self.set_kind(kind, dark)

    @staticmethod
    def _fmt(color: str, bold: bool = False) -> QTextCharFormat:
        f = QTextCharFormat()
        f.setForeground(QColor(color))
        if bold:
            f.setFontWeight(QFont.Weight.Bold)
        return f

    def set_kind(self, kind: str, dark: bool = False) -> None:
        key, string, number, literal, tag, attr, comment = (
            ("#8ab4f8", "#7ddc8a", "#ffb74d", "#d7aefb", "#8ab4f8", "#ffb74d", "#9aa0a6") if dark else
            ("#1a5fb4", "#1e7b34", "#a35200", "#8e24aa", "#1a5fb4", "#a35200", "#6b6b6b"))
        if kind == "json":
            self._pattern = _JSON
            self._formats = {"string": self._fmt(string), "key": self._fmt(key, bold=True),
                             "number": self._fmt(number), "literal": self._fmt(literal)}
        elif kind in ("xml", "html"):
            self._pattern = _MARKUP
            self._formats = {"tag": self._fmt(tag, bold=True), "attr": self._fmt(attr), "string": self._fmt(string),
                             "literal": self._fmt(literal), "comment": self._fmt(comment)}
        else:
            self._pattern, self._formats = None, {}
        self._stamp += 2  # every line is to be coloured again
        self._pending.clear()
        self.rehighlight()
        self.colour_visible()

    def setDocument(self, doc) -> None:  # noqa: N802 (Qt name)
        self._pending.clear()
        self._timer.stop()
        self._stamp += 2  # detaching cleared the old document's colours; its lines' states no longer say coloured
        super().setDocument(doc)

    # -- colouring ------------------------------------------------------------------------------
    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt name)
        if self._pattern is None:
            return
        state = self.currentBlockState()
        coloured = state >> 1 == self._stamp >> 1
        if self._view is not None:
            number = self.currentBlock().blockNumber()
            if self._until < 0:  # Qt's own pass (new text, new kind): keep what is coloured, the rest comes later
                if not coloured:
                    self._pending.add(number)
                    if not self._timer.isActive():
                        self._timer.start()
                    return
            elif number > self._until and not coloured:
                return  # past the range and never coloured: nothing to keep, and Qt stops here
            elif number < self._until:
                self.setCurrentBlockState(state ^ 1 if coloured else self._stamp)  # changed: Qt goes on
            elif not coloured:
                self.setCurrentBlockState(self._stamp)
            self._pending.discard(number)
        if len(text) > MAX_LINE:
            return
        formats, set_format = self._formats, self.setFormat
        for m in self._pattern.finditer(text):
            kind = m.lastgroup
            if kind == "key":  # a string followed by a colon: the string is the key
                set_format(m.start(), m.end("string") - m.start(), formats["key"])
            else:
                set_format(m.start(), m.end() - m.start(), formats[kind])  # type: ignore[index]

    def _colour_range(self, first: int, last: int) -> None:
        """Colour lines ``first``..``last`` now (one call into Qt: each line's changed state makes it go on)."""
        doc = self.document()
        block = doc.findBlockByNumber(first) if doc is not None else None
        if block is None or not block.isValid():
            return
        self._until = last
        try:
            self.rehighlightBlock(block)
        finally:
            self._until = -1

    def _visible(self) -> tuple[int, int]:
        """The first and last line numbers on screen (the last one generously: one line a block)."""
        view = self._view
        top = max(0, self.document().findBlockByLineNumber(view.verticalScrollBar().value()).blockNumber())
        rows = view.viewport().height() // max(1, view.fontMetrics().lineSpacing())
        return top, top + rows + 1  # a QPlainTextEdit's bar counts lines, wrapped ones too

    def colour_visible(self) -> None:
        """Colour the lines on screen now (lazy mode; the rest follows a slice per event-loop turn)."""
        doc = self.document()
        if self._view is None or self._pattern is None or doc is None:
            return
        top, bottom = self._visible()
        block = doc.findBlockByNumber(top)
        while block.isValid() and block.blockNumber() <= bottom:  # Qt may not have asked about new text yet
            if block.userState() >> 1 != self._stamp >> 1:
                self._colour_range(top, bottom)
                break
            block = block.next()
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def _colour_some(self) -> None:
        """One turn's slice: lines on screen first, then below the screen, then above it."""
        doc = self.document()
        if doc is None or self._pattern is None:
            self._pending.clear()
            return
        count = doc.blockCount()
        self._pending = {n for n in self._pending if n < count}
        deadline = time.perf_counter() + SLICE_S
        while self._pending and time.perf_counter() < deadline:
            top, bottom = self._visible()
            on_screen = [n for n in self._pending if top <= n <= bottom]
            below = [n for n in self._pending if n > bottom]
            if on_screen:
                first = min(on_screen)
            elif below:
                first = min(below)
            else:
                first = max(0, max(self._pending) - RANGE + 1)
            before = len(self._pending)
            self._colour_range(first, first + RANGE - 1)
            if len(self._pending) == before:  # nothing got coloured (cannot happen): never spin
                self._pending.discard(first)
        if self._pending:
            self._timer.start()

    def pending(self) -> int:
        """How many lines of the document are still to be coloured (0: all done)."""
        return len(self._pending)
