"""Walk a JSON document's objects and arrays one member at a time, so a reader can keep only what it needs.

``json.loads`` of a 64 MB HAR builds the whole tree (about ten times the text in memory) before a reader looks at
it. :class:`JsonWalker` goes through the same text once, with the standard library's decoder for each value
(``raw_decode``), and lets the reader step into the objects and arrays it wants to read piece by piece (a HAR's
``log`` and its ``entries``) while every other value is decoded whole as usual.

Errors are ``json.JSONDecodeError`` with the position in the whole text, as ``json.loads`` gives them (its
``lineno``/``colno`` are right); deep nesting raises ``RecursionError`` as in ``json.loads``.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class JsonWalker:
    """A cursor over JSON ``text``: ``peek``, ``value``, ``members`` (of an object), ``items`` (of an array)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip_space(self) -> None:
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos

    def _error(self, message: str) -> json.JSONDecodeError:
        return json.JSONDecodeError(message, self.text, self.pos)

    def peek(self) -> str:
        """The next non-space character ("" at the end)."""
        self._skip_space()
        return self.text[self.pos:self.pos + 1]

    def value(self) -> Any:
        """Decode the next value whole."""
        self._skip_space()
        value, self.pos = _DECODER.raw_decode(self.text, self.pos)
        return value

    def _take(self, char: str, message: str) -> None:
        if self.peek() != char:
            raise self._error(message)
        self.pos += 1

    def _more(self, close: str) -> bool:
        """After a member or item: True when a comma follows, False at the closing bracket."""
        nxt = self.peek()
        if nxt == ",":
            self.pos += 1
            return True
        if nxt == close:
            self.pos += 1
            return False
        raise self._error("Expecting ',' delimiter")

    def members(self) -> Iterator[str]:
        """The keys of the object that starts here; after each key the caller reads its value (``value``, or
        ``members``/``items`` to step in) before asking for the next."""
        self._take("{", "Expecting '{'")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self._error("Expecting property name enclosed in double quotes")
            key = self.value()
            self._take(":", "Expecting ':' delimiter")
            yield key
            if not self._more("}"):
                return

    def items(self) -> Iterator[int]:
        """The positions of the array that starts here; after each the caller reads the item."""
        self._take("[", "Expecting '['")
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            yield index
            index += 1
            if not self._more("]"):
                return

    def end(self) -> None:
        """Only space may follow the document."""
        if self.peek():
            raise self._error("Extra data")
