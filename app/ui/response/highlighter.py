"""The body view's syntax highlighter: keys, strings, numbers and literals (JSON); tags, attributes, comments and
declarations (XML and HTML). ``HIGHLIGHTED_KINDS`` are the formatted kinds it colours.

The formatting it colours is pure and lives in app/core/body_format.py (it runs on a worker thread); this is the
only part that needs Qt, because a QSyntaxHighlighter paints on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat

HIGHLIGHTED_KINDS = ("json", "xml", "html")  # app.core.body_format's kinds that get colours


class BodyHighlighter(QSyntaxHighlighter):
    """Colours keys, strings, numbers and literals (JSON) or tags, attributes and comments (XML, HTML)."""

    def __init__(self, document, kind: str = "text", dark: bool = False) -> None:
        super().__init__(document)
        self._rules: list[tuple[QRegularExpression, QTextCharFormat]] = []
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
        rules: list[tuple[str, QTextCharFormat]] = []
        if kind == "json":
            rules = [
                (r'"(?:[^"\\]|\\.)*"', self._fmt(string)),
                (r'"(?:[^"\\]|\\.)*"(?=\s*:)', self._fmt(key, bold=True)),
                (r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b", self._fmt(number)),
                (r"\b(?:true|false|null)\b", self._fmt(literal)),
            ]
        elif kind in ("xml", "html"):
            rules = [
                (r"</?[\w:.-]+|/?>", self._fmt(tag, bold=True)),
                (r"\b[\w:.-]+(?==)", self._fmt(attr)),
                (r'"[^"]*"|\'[^\']*\'', self._fmt(string)),
                (r"<![A-Za-z][^>]*>?|<\?[^>]*>?", self._fmt(literal)),  # <!DOCTYPE …>, <?xml …?>
                (r"<!--.*?(?:-->|$)", self._fmt(comment)),
            ]
        self._rules = [(QRegularExpression(p), f) for p, f in rules]
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt name)
        if len(text) > 10000:
            return  # a giant line: leave it plain rather than stall
        for expr, fmt in self._rules:
            it = expr.globalMatch(text)
            while it.hasNext():
                m = it.next()
                self.setFormat(m.capturedStart(), m.capturedLength(), fmt)
