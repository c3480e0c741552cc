"""Body formatting for the response view: pretty JSON/XML, text, hex for binary; and the syntax highlighter.

``format_body`` and ``format_raw`` are pure Python (no Qt) so they run on a worker thread; only the
highlighter class at the bottom touches Qt. Truncated bodies (previews of huge downloads) are re-indented
token by token, so even an unfinished JSON document reads well.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat

from app.core.models import media_type

Kind = Literal["json", "xml", "text", "binary", "image"]

HEX_LIMIT = 64 * 1024  # bytes shown as a hex dump at most
# Pretty-printing grows text (indentation); never hand the view more than this many characters.
MAX_TEXT_CHARS = 4 * 1024 * 1024


@dataclass(frozen=True)
class FormattedBody:
    """What the body view shows. ``error`` is a note such as "not valid JSON: line 1 column 9"."""

    text: str
    kind: Kind
    truncated: bool
    error: str | None = None


def charset_of(content_type: str | None) -> str:
    """The charset parameter of ``content_type`` if Python knows it, else utf-8."""
    if content_type:
        m = re.search(r";\s*charset\s*=\s*\"?([\w.:-]+)", content_type, re.I)
        if m:
            try:
                return codecs.lookup(m.group(1)).name
            except LookupError:
                pass
    return "utf-8"


def _is_json_type(mt: str | None) -> bool:
    return bool(mt) and (mt == "application/json" or mt.endswith("+json") or mt.endswith("/json"))


def _is_xml_type(mt: str | None) -> bool:
    return bool(mt) and (mt.endswith("/xml") or mt.endswith("+xml"))


def looks_binary(data: bytes, content_type: str | None) -> bool:
    """True for bytes that are not meant as text (NULs or many control bytes in the first 8 KiB)."""
    mt = media_type(content_type)
    if mt and (mt.startswith("text/") or _is_json_type(mt) or _is_xml_type(mt)
               or mt in ("application/javascript", "application/x-www-form-urlencoded")):
        return False
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if control > len(sample) // 20:
        return True
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as e:
        # a multibyte char cut at the sample's end is fine
        return e.start < len(sample) - 4
    return False


def hex_dump(data: bytes, limit: int = HEX_LIMIT) -> str:
    """Classic 16-bytes-a-line hex dump with an ASCII column."""
    lines = []
    chunk = data[:limit]
    for off in range(0, len(chunk), 16):
        row = chunk[off:off + 16]
        hexpart = " ".join(f"{b:02x}" for b in row)
        asc = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{off:08x}  {hexpart:<47}  {asc}")
    return "\n".join(lines)


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"?|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)


def reindent_json(text: str, indent: int = 2) -> str:
    """Re-indent JSON token by token (works on a truncated or slightly broken document)."""
    out: list[str] = []
    depth = 0
    pad = " " * indent
    prev = ""
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group(0)
        if tok in "{[" and len(tok) == 1:
            out.append(tok)
            depth += 1
            out.append("\n" + pad * depth)
        elif tok in "}]" and len(tok) == 1:
            depth = max(0, depth - 1)
            if prev in ("{", "["):
                # empty container: undo the line break
                out.pop()
            else:
                out.append("\n" + pad * depth)
            out.append(tok)
        elif tok == ",":
            out.append(",\n" + pad * depth)
        elif tok == ":":
            out.append(": ")
        else:
            out.append(tok)
        prev = tok
    return "".join(out)


_XML_TOKEN = re.compile(r"<[^>]*>?|[^<]+", re.S)


def reindent_xml(text: str, indent: int = 2) -> str:
    """Re-indent XML tag by tag without parsing it (no entity expansion, works on truncated input)."""
    out: list[str] = []
    depth = 0
    pad = " " * indent
    pending_text = False
    for m in _XML_TOKEN.finditer(text):
        tok = m.group(0)
        if not tok.startswith("<"):
            stripped = tok.strip()
            if stripped:
                out.append(stripped)
                pending_text = True
            continue
        if tok.startswith("</"):
            depth = max(0, depth - 1)
            if pending_text:
                out.append(tok)
            else:
                out.append("\n" + pad * depth + tok)
            pending_text = False
            continue
        out.append(("\n" if out else "") + pad * depth + tok)
        pending_text = False
        if not (tok.startswith("<?") or tok.startswith("<!") or tok.endswith("/>") or not tok.endswith(">")):
            depth += 1
    return "".join(out).lstrip("\n")


def _decode(data: bytes, content_type: str | None) -> str:
    return data.decode(charset_of(content_type), errors="replace")


def _cap(text: str) -> tuple[str, bool]:
    if len(text) > MAX_TEXT_CHARS:
        return text[:MAX_TEXT_CHARS], True
    return text, False


def format_body(data: bytes, content_type: str | None, limit: int, *, more: bool = False) -> FormattedBody:
    """Format at most ``limit`` bytes of ``data`` for display. Never raises.

    ``more`` says ``data`` itself is only a preview of a larger body (so the result is truncated even
    when ``data`` fits in ``limit``).
    """
    try:
        return _format_body(data, content_type, limit, more)
    except Exception as exc:  # formatting must never cost the user the body
        text, cut = _cap(_decode(data[:limit], content_type))
        return FormattedBody(text, "text", cut or more or len(data) > limit, f"could not format the body: {exc}")


def _format_body(data: bytes, content_type: str | None, limit: int, more: bool) -> FormattedBody:
    mt = media_type(content_type)
    truncated = more or len(data) > limit
    part = data[:limit]
    if mt and mt.startswith("image/"):
        return FormattedBody("", "image", truncated)
    if not part:
        return FormattedBody("", "text", truncated)
    if looks_binary(part, content_type):
        return FormattedBody(hex_dump(part), "binary", truncated or len(part) > HEX_LIMIT)
    text = _decode(part, content_type)
    head = text.lstrip()[:1]
    is_json = _is_json_type(mt) or (not _is_xml_type(mt) and head in ("{", "[") and mt in (None, "text/plain"))
    is_xml = _is_xml_type(mt) or (not is_json and head == "<" and mt in (None, "text/plain", "text/xml"))
    if is_json:
        if truncated:
            pretty, cut = _cap(reindent_json(text))
            return FormattedBody(pretty, "json", True)
        try:
            value = json.loads(text)
        except json.JSONDecodeError as e:
            note = f"not valid JSON: line {e.lineno} column {e.colno} ({e.msg})"
            plain, cut = _cap(text)
            return FormattedBody(plain, "text", cut, note if _is_json_type(mt) else None)
        pretty, cut = _cap(json.dumps(value, indent=2, ensure_ascii=False))
        return FormattedBody(pretty, "json", cut)
    if is_xml:
        pretty, cut = _cap(reindent_xml(text))
        return FormattedBody(pretty, "xml", truncated or cut)
    plain, cut = _cap(text)
    return FormattedBody(plain, "text", truncated or cut)


def format_raw(data: bytes, content_type: str | None, limit: int, *, more: bool = False) -> FormattedBody:
    """The body as received: text with replacement characters, or a hex dump for binary."""
    part = data[:limit]
    truncated = more or len(data) > limit
    if looks_binary(part, content_type):
        return FormattedBody(hex_dump(part), "binary", truncated or len(part) > HEX_LIMIT)
    text, cut = _cap(_decode(part, content_type))
    return FormattedBody(text, "text", truncated or cut)


def human_size(n: int | None) -> str:
    """1536 -> "1.5 KB" (1024-based, short units as users read them)."""
    if n is None:
        return "? B"
    if n < 1024:
        return f"{n} B"
    for unit in ("KB", "MB", "GB"):
        n /= 1024
        if n < 1024 or unit == "GB":
            return f"{n:.1f} {unit}".replace(".0 ", " ")
    return f"{n} B"


class BodyHighlighter(QSyntaxHighlighter):
    """Colours keys, strings, numbers and literals (JSON) or tags and attributes (XML)."""

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
        key, string, number, literal, tag, attr = (
            ("#8ab4f8", "#7ddc8a", "#ffb74d", "#d7aefb", "#8ab4f8", "#ffb74d") if dark else
            ("#1a5fb4", "#1e7b34", "#a35200", "#8e24aa", "#1a5fb4", "#a35200"))
        rules: list[tuple[str, QTextCharFormat]] = []
        if kind == "json":
            rules = [
                (r'"(?:[^"\\]|\\.)*"', self._fmt(string)),
                (r'"(?:[^"\\]|\\.)*"(?=\s*:)', self._fmt(key, bold=True)),
                (r"(?<![\w.])-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b", self._fmt(number)),
                (r"\b(?:true|false|null)\b", self._fmt(literal)),
            ]
        elif kind == "xml":
            rules = [
                (r"</?[\w:.-]+|/?>", self._fmt(tag, bold=True)),
                (r"\b[\w:.-]+(?==)", self._fmt(attr)),
                (r'"[^"]*"|\'[^\']*\'', self._fmt(string)),
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
