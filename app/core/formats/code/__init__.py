"""Code that sends a request: curl (bash, Windows cmd), Python (httpx, requests), JavaScript fetch, HTTPie, PowerShell.

Each target is a pure generator (one module each) from a :class:`Plan`: method, URL, headers in order and the
body, where the content of a file the user chose is a :class:`FileRef` so the code reads the file rather than
holding its bytes (where the target can; otherwise the bytes are written out). Every generator writes exactly
the request the app would send: no header its library would add silently (a body without Content-Type keeps
none), strings quoted so no value can break out of them. Secrets are redacted unless asked otherwise, by the
same table as every other export (app.core.redact); ``keep`` names what the user deliberately includes.
"""

from __future__ import annotations

import importlib

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.formats.code.plan import CodeError, FileRef, Piece, Plan, body_pieces, plan_of
from app.core.models import HttpRequest

if TYPE_CHECKING:  # imported where used: `request-inspector diagnose` lists the targets without loading drafts
    from app.core.draft import RequestDraft


@dataclass(frozen=True)
class Generator:
    """One target: its menu label and the module (in this package) that writes its code. The module is imported
    when code is first written: the window lists the targets at start-up without loading seven generators."""

    label: str
    module: str

    def write(self, plan: Plan) -> str:
        return importlib.import_module(f"{__name__}.{self.module}").generate(plan)


TARGETS: dict[str, Generator] = {
    "curl": Generator("curl (bash)", "curl"),
    "curl-cmd": Generator("curl (Windows cmd)", "curl_cmd"),
    "python-httpx": Generator("Python httpx", "python_httpx"),
    "python-requests": Generator("Python requests", "python_requests"),
    "javascript-fetch": Generator("JavaScript fetch", "fetch"),
    "httpie": Generator("HTTPie", "httpie"),
    "powershell": Generator("PowerShell Invoke-RestMethod", "powershell"),
}


class UnknownTarget(ValueError):
    """A target name not in :data:`TARGETS` (its message lists the known ones)."""


def to_code(request: HttpRequest, target: str, redact: bool = True, keep: frozenset[str] = frozenset(),
            files: Sequence[tuple[str, bytes]] = ()) -> str:
    """Code in ``target``'s language that sends ``request``.

    ``files`` are the (path, bytes) of files read into the body (a binary body, multipart file parts, in order):
    the code reads them from their paths. Secret values are replaced unless ``redact=False`` or their
    (lower-case) name is in ``keep``.
    """
    generator = TARGETS.get(target)
    if generator is None:
        raise UnknownTarget(f"There is no code target {target!r}; choose one of {', '.join(TARGETS)}.")
    if redact:
        from app.core.redact import redact_request

        before = request.body
        request = redact_request(request, keep)[0]
        if request.body != before:  # a redacted body no longer holds the files' bytes as read
            files = [(p, d) for p, d in files if d and d in (request.body or b"")]
    return generator.write(plan_of(request, files))


def build_with_files(draft: RequestDraft, read_file: Callable[[str], bytes]
                     ) -> tuple[HttpRequest, tuple[tuple[str, bytes], ...]]:
    """``build_request(draft)`` and the files it read, (path, bytes) in order: ``files`` for :func:`to_code`.
    Raises BuildError (a sentence) like build_request."""
    from app.core.draft import build_request

    read: list[tuple[str, bytes]] = []

    def recording(path: str) -> bytes:
        read.append((path, read_file(path)))
        return read[-1][1]

    return build_request(draft, read_file=recording), tuple(read)


__all__ = ["TARGETS", "CodeError", "FileRef", "Generator", "Piece", "Plan", "UnknownTarget", "body_pieces", "build_with_files",
           "to_code"]
