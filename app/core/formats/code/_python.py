"""Python literals shared by the httpx and requests generators: repr() of str and bytes is always valid Python,
whatever quotes, backslashes or newlines a header or body holds."""

from __future__ import annotations

from app.core.formats.code.plan import FileRef, Piece


def header_value(value: str) -> str:
    """A str literal, or a bytes literal for Latin-1 values (the app sends them as Latin-1 bytes)."""
    try:
        return repr(value) if value.isascii() else repr(value.encode("latin-1"))
    except UnicodeEncodeError:  # not sendable as it is (a redaction mark): shown as text
        return repr(value)


def body_expression(pieces: tuple[Piece, ...]) -> str:
    """Bytes literals and ``Path(...).read_bytes()`` joined with ``+``: exactly the body's bytes."""
    parts = [f"Path({p.path!r}).read_bytes()" if isinstance(p, FileRef) else repr(p) for p in pieces]
    if len(parts) <= 1:
        return parts[0] if parts else "b''"
    return "(\n        " + "\n        + ".join(parts) + "\n    )"


def imports(module: str, pieces: tuple[Piece, ...] | None) -> list[str]:
    lines = [f"import {module}"]
    if pieces and any(isinstance(p, FileRef) for p in pieces):
        lines.insert(0, "from pathlib import Path")
    return lines + [""]


def call(function: str, method: str, url: str, keywords: list[str]) -> list[str]:
    """``response = function(method, url, keyword=..., ...)`` on indented lines."""
    lines = [f"response = {function}(", f"    {method!r},", f"    {url!r},"]
    lines += [f"    {k}," for k in keywords]
    return lines + [")"]
