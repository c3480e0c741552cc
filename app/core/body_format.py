"""Response bodies made readable, as pure functions: pretty JSON/XML/HTML, text, a hex dump for binary.

No Qt here, so the window formats big bodies on a worker thread (app.ui.workers) and tests call these directly.
Truncated bodies (previews of huge downloads) are re-indented token by token, so even an unfinished JSON document
reads well. Output is bounded: indentation stops growing past ``MAX_INDENT_DEPTH`` levels and no formatter returns
more than ``MAX_TEXT_CHARS`` characters (2 MB of ``[[[[`` must not become terabytes of spaces).
The syntax highlighter that colours the result lives in app/ui/response/highlighter.py.
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass
from typing import Literal

from app.core.models import media_type

Kind = Literal["json", "xml", "html", "text", "binary", "image"]

HEX_LIMIT = 64 * 1024  # bytes shown as a hex dump at most
# Pretty-printing grows text (indentation); never hand the view more than this many characters.
MAX_TEXT_CHARS = 4 * 1024 * 1024
LONG_LINE = 4096  # longer lines are broken for display (a text view lays a long line out at ~1 ms per KiB)
MAX_INDENT_DEPTH = 64  # deeper nesting is not indented further (keeps the output linear in the input)


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


class _Output:
    """Pieces of re-indented text that stop being collected once ``max_chars`` is passed."""

    def __init__(self, max_chars: int) -> None:
        self.pieces: list[str] = []
        self.size = 0
        self.max_chars = max_chars

    def add(self, piece: str) -> bool:
        """Append ``piece``; False once the output is full (the caller stops)."""
        self.pieces.append(piece)
        self.size += len(piece)
        return self.size <= self.max_chars

    def replace_last(self, piece: str) -> None:
        self.size += len(piece) - len(self.pieces[-1])
        self.pieces[-1] = piece

    def text(self) -> str:
        return "".join(self.pieces)[:self.max_chars]


def _newline(depth: int, indent: int) -> str:
    return "\n" + " " * (indent * min(depth, MAX_INDENT_DEPTH))


def reindent_json(text: str, indent: int = 2, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Re-indent JSON token by token (works on a truncated or slightly broken document). Never raises.

    At most ``max_chars`` characters come back; nesting deeper than ``MAX_INDENT_DEPTH`` is not indented further.
    """
    out = _Output(max_chars)
    depth = 0
    prev = ""
    for m in _JSON_TOKEN.finditer(text):
        tok = m.group(0)
        piece = tok
        if tok in ("{", "["):
            depth += 1
            piece = tok + _newline(depth, indent)
        elif tok in ("}", "]"):
            depth = max(0, depth - 1)
            if prev in ("{", "["):  # empty container: undo the line break
                out.replace_last(prev)
            else:
                piece = _newline(depth, indent) + tok
        elif tok == ",":
            piece = "," + _newline(depth, indent)
        elif tok == ":":
            piece = ": "
        prev = tok
        if not out.add(piece):
            break
    return out.text()


_XML_TOKEN = re.compile(r"<[^>]*>?|[^<]+", re.S)


def reindent_xml(text: str, indent: int = 2, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Re-indent XML tag by tag without parsing it (no entity expansion, works on truncated input). Never raises.

    At most ``max_chars`` characters come back; nesting deeper than ``MAX_INDENT_DEPTH`` is not indented further.
    """
    out = _Output(max_chars)
    depth = 0
    pending_text = False  # text since the last tag: a closing tag stays on its line
    for m in _XML_TOKEN.finditer(text):
        tok = m.group(0)
        if not tok.startswith("<"):
            piece = tok.strip()
            pending_text = pending_text or bool(piece)
        elif tok.startswith("</"):
            depth = max(0, depth - 1)
            piece = tok if pending_text else _newline(depth, indent) + tok
            pending_text = False
        else:
            piece = _newline(depth, indent) + tok if out.pieces else tok
            pending_text = False
            if not (tok.startswith("<?") or tok.startswith("<!") or tok.endswith("/>") or not tok.endswith(">")):
                depth += 1
        if piece and not out.add(piece):
            break
    return out.text().lstrip("\n")


# Elements with no end tag, and elements whose content is kept exactly as received.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})
_VERBATIM = frozenset({"pre", "textarea", "script", "style"})
_SIBLINGS = frozenset({"li", "p", "tr", "td", "th", "option", "dt", "dd"})  # <li>a<li>b: the first ends at the second
_CLOSE_SEARCH = 64  # an end tag closes an open element among the innermost 64 (linear on stray end tags)


# One token of HTML: a comment (to its end or the end of the text), a tag or declaration (to its ">" or the end),
# text (with any "<" that starts no tag), or a lone "<". Each pattern consumes what it scans, so tokenizing is linear even on "</a</a</a…" (the standard
# library's html.parser took 170 s on 1 MB of that, and 7 s on "<!x<!x…").
_HTML_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<[!?/]?[A-Za-z][^>]*>?|<[!?][^>]*>?|(?:[^<]|<(?![A-Za-z!?/]))+|<",
                         re.S)
_TAG_NAME = re.compile(r"</?([A-Za-z][\w:.-]*)")
_RAW_END = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in _VERBATIM}


class _HtmlIndenter:
    """Each tag, comment and run of text on its own line, indented by the open elements; an element holding only
    text stays on one line (``<title>Orders</title>``). Tags are written as received (attributes, quotes and
    entities untouched); the content of pre/textarea/script/style is kept verbatim."""

    def __init__(self, out: _Output, indent: int) -> None:
        self.out, self.indent = out, indent
        self.open: list[str] = []
        self.inline: str | None = None  # the element whose start tag ends the output so far (text may follow it)

    def add(self, piece: str, same_line: bool = False) -> bool:
        """Write ``piece``; False once the output is full."""
        if same_line and self.out.pieces:
            self.out.replace_last(self.out.pieces[-1] + piece)
            return self.out.size <= self.out.max_chars
        return self.out.add(_newline(len(self.open), self.indent) + piece)

    def text(self, text: str, verbatim: bool = False) -> bool:
        words = text if verbatim else " ".join(text.split())
        if not words.strip():
            return True
        joined = self.inline is not None or verbatim
        if not joined:
            self.inline = ""  # text on a line of its own: nothing may join it
        return self.add(words, same_line=joined)

    def start(self, tag: str, raw: str) -> bool:
        if tag in _SIBLINGS and self.open and self.open[-1] == tag:
            self.open.pop()
        ok = self.add(raw)
        self.inline = None
        if tag not in _VOID and not raw.endswith("/>"):
            self.open.append(tag)
            self.inline = tag
        return ok

    def end(self, tag: str, raw: str) -> bool:
        inner = self.open[-_CLOSE_SEARCH:]
        if tag in inner:
            del self.open[len(self.open) - 1 - inner[::-1].index(tag):]
        ok = self.add(raw, same_line=self.inline == tag)
        self.inline = None
        return ok

    def markup(self, raw: str) -> bool:
        ok = self.add(raw)
        self.inline = None
        return ok


def reindent_html(text: str, indent: int = 2, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Re-indent HTML tag by tag without parsing it into a tree (unclosed tags, stray end tags and truncated input
    are fine). Linear in the input; at most ``max_chars`` characters come back. Never raises."""
    out = _Output(max_chars)
    w = _HtmlIndenter(out, indent)
    pos, n = 0, len(text)
    words: list[str] = []  # text tokens ("1 ", "<", " 2") joined before they are written
    while pos < n:
        m = _HTML_TOKEN.match(text, pos)
        tok = m.group(0)  # the pattern matches any character, so there is always a token
        pos = m.end()
        name = _TAG_NAME.match(tok) if tok.startswith("<") and not tok.startswith(("<!", "<?")) else None
        if name is None and not tok.startswith(("<!", "<?")):
            words.append(tok)
            continue
        ok = w.text("".join(words)) if words else True
        words = []
        if not ok:
            break
        if name is None:
            ok = w.markup(tok)
        elif tok.startswith("</"):
            ok = w.end(name.group(1).lower(), tok)
        else:
            tag = name.group(1).lower()
            ok = w.start(tag, tok)
            if ok and tag in _VERBATIM and not tok.endswith("/>"):
                close = _RAW_END[tag].search(text, pos)
                stop = close.start() if close else n
                ok = w.text(text[pos:stop], verbatim=True)
                pos = stop
        if not ok:
            break
    else:
        if words:
            w.text("".join(words))
    return out.text().lstrip("\n")


def _looks_html(mt: str | None, text: str) -> bool:
    if mt == "text/html":
        return True
    head = text.lstrip()[:15].lower()
    return mt in (None, "text/plain") and head.startswith(("<!doctype html", "<html"))


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
    if _looks_html(mt, text):
        pretty, cut = _cap(reindent_html(text))
        return FormattedBody(pretty, "html", truncated or cut)
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


def break_long_lines(text: str, width: int = LONG_LINE) -> tuple[str, bool]:
    """Insert line breaks into lines longer than ``width`` (display only); True when anything was broken."""
    if len(text) <= width or all(len(line) <= width for line in text.split("\n")):
        return text, False
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
        else:
            out.extend(line[i:i + width] for i in range(0, len(line), width))
    return "\n".join(out), True
