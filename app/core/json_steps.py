"""``json.loads`` in steps: the top levels of a document are walked member by member, deeper values decoded whole.

A body of tens of MB decoded by one ``json.loads`` call holds the GIL for the whole parse (a second or more), so
the window's thread stalls although the work runs on a worker. Walking the top ``depth`` levels of containers with
:class:`app.core.formats.json_stream.JsonWalker` makes each C call decode one deeper value, and the GIL changes
hands between them. The result equals ``json.loads`` (last duplicate key wins, same errors).
"""

from __future__ import annotations

from typing import Any

from app.core.formats.json_stream import JsonWalker

STEP_DEPTH = 2  # levels walked: {"items": [ {...}, ... ]} decodes one item at a time


def loads_in_steps(text: str, depth: int = STEP_DEPTH) -> Any:
    """The value of JSON ``text``; raises ``json.JSONDecodeError`` like ``json.loads``."""
    walker = JsonWalker(text)
    value = _value(walker, depth)
    walker.end()
    return value


def _value(walker: JsonWalker, depth: int) -> Any:
    head = walker.peek()
    if depth <= 0 or head not in ("{", "["):
        return walker.value()
    if head == "{":
        out = {}
        for key in walker.members():
            out[key] = _value(walker, depth - 1)
        return out
    return [_value(walker, depth - 1) for _ in walker.items()]
