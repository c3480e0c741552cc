"""Name/value rows as editable text and back: ``Name: value`` lines for headers, ``name=value`` (or
``name: value``) lines for query parameters. A line starting with ``#`` or ``//`` is a switched-off row; blank
lines are skipped. A line that cannot be read raises ``BulkTextError`` with its line number and a sentence.

Pure: the request editor's "Bulk edit" mode shows ``rows_to_text`` and reads the text back with ``text_to_rows``.
"""

from __future__ import annotations

import re

from app.core.draft import Row

HEADERS = "headers"
PARAMS = "params"
_OFF = ("#", "//")
# RFC 9110 token characters, plus {{var}} braces the environments fill in
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z{}]+")


class BulkTextError(ValueError):
    """A line of bulk text that is not a row; ``line`` counts from 1, the message is a sentence."""

    def __init__(self, line: int, sentence: str) -> None:
        super().__init__(f"Line {line}: {sentence}")
        self.line = line


def rows_to_text(rows, kind: str) -> str:
    """One line per row; switched-off rows start with ``# ``."""
    sep = ": " if kind == HEADERS else "="
    return "".join(f"{'' if r.enabled else '# '}{r.name}{sep}{r.value}\n" for r in rows)


def _split(body: str, kind: str) -> tuple[str, str] | None:
    """``(name, value)`` of a line's text, or None when it has no separator where one is needed."""
    if kind == HEADERS:
        name, colon, value = body.partition(":")
        return (name, value) if colon else None
    cuts = [i for i in (body.find("="), body.find(":")) if i >= 0]
    if not cuts:
        return body, ""  # ?flag: a parameter with no value
    return body[:min(cuts)], body[min(cuts) + 1:]


def _row(line: str, number: int, kind: str) -> Row | None:
    text = line.strip()
    if not text:
        return None
    enabled = True
    for mark in _OFF:
        if text.startswith(mark):
            enabled, text = False, text[len(mark):].strip()
            break
    parts = _split(text, kind)
    if parts is None:
        raise BulkTextError(number, f"“{text[:60]}” has no colon; write a header as Name: value.")
    name, value = parts[0].strip(), parts[1].strip()
    if not name:
        what = "header" if kind == HEADERS else "parameter"
        raise BulkTextError(number, f"the {what} name is missing before the "
                                    f"{'colon' if kind == HEADERS else 'separator'}.")
    if kind == HEADERS and not _HEADER_NAME.fullmatch(name):
        raise BulkTextError(number, f"“{name[:60]}” is not a header name (letters, digits and - _ . only, "
                                    "no spaces).")
    return Row(name, value, enabled)


def text_to_rows(text: str, kind: str) -> tuple[Row, ...]:
    """The rows of ``text``; raises ``BulkTextError`` at the first line that is not one."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        row = _row(line, number, kind)
        if row is not None:
            rows.append(row)
    return tuple(rows)
