"""The one exception every importer raises: a sentence a support person understands, naming where."""

from __future__ import annotations

import functools
from typing import Callable, TypeVar

T = TypeVar("T")


class FormatError(ValueError):
    """Input that cannot be imported. ``str(err)`` is a plain sentence naming the line/column/field.

    ``line`` and ``column`` are 1-based when known; ``field`` names a JSON path such as ``log.entries[3].request.url``.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.field = field


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset`` in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def at(text: str, offset: int, message: str) -> FormatError:
    """A FormatError whose sentence ends with "(line L, column C)"."""
    line, col = line_col(text, offset)
    return FormatError(f"{message} (line {line}, column {col}).", line=line, column=col)


def never_other_errors(what: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Safety net for parsers: any unexpected exception becomes a FormatError about ``what``.

    Parsers raise precise FormatErrors themselves; this only guarantees nothing else escapes.
    """

    def wrap(fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def inner(*args, **kwargs):  # type: ignore[no-untyped-def]
            try:
                return fn(*args, **kwargs)
            except FormatError:
                raise
            except RecursionError:
                raise FormatError(f"The {what} is nested too deeply to read.") from None
            except (ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeError, OverflowError,
                    MemoryError) as exc:
                raise FormatError(f"The {what} could not be read ({type(exc).__name__}: {exc}).") from exc

        return inner

    return wrap
