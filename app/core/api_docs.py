"""The one face every kind of API documentation shows the diagnosis: a markdown error page or an OpenAPI document.

CONTRACT:
    @dataclass(frozen=True) class Explanation:
        documented: DocumentedStatus | None     # None when no response arrived
        findings: tuple[Finding, ...]           # what the documentation makes checkable (OpenAPI: per operation)
        message: ApiMessage | None              # the body's message read through the documented schema, if any
    class ApiDocs(Protocol):                    # StatusCatalog and OpenApiCatalog both satisfy it
        source_name: str; notes: tuple[str, ...]; general_text: tuple[str, ...]
        entries: tuple[CatalogEntry, ...]       # the statuses documented anywhere (history filter, counts)
        def lookup(self, code: int, reason: str | None = None) -> DocumentedStatus   # without an operation
        def explain(self, request: HttpRequest, response: HttpResponse | None) -> Explanation
    def read_api_docs(path) -> ApiDocs          # an OpenAPI document (.json/.yaml/.yml or 'openapi:' inside) or a page
    def skipped_sentence(docs, first: int = 3) -> str | None   # "api.json: 2 operation(s) skipped: ..." or None

Why a protocol and not a flag on diagnose(): the window, the CLI and triage already pass "the catalog" around; an
OpenAPI document chosen in its place then explains per operation without any caller knowing which kind it holds.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from app.core.message import ApiMessage
from app.core.models import DocumentedStatus, Finding, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from app.core.catalog import CatalogEntry


@dataclass(frozen=True)
class Explanation:
    documented: DocumentedStatus | None
    findings: tuple[Finding, ...] = ()
    message: ApiMessage | None = None


class ApiDocs(Protocol):
    source_name: str
    notes: tuple[str, ...]
    general_text: tuple[str, ...]
    entries: tuple[CatalogEntry, ...]

    def lookup(self, code: int, reason: str | None = None) -> DocumentedStatus: ...

    def explain(self, request: HttpRequest, response: HttpResponse | None) -> Explanation: ...


OPENAPI_SUFFIXES = (".json", ".yaml", ".yml")
_NOT_REGULAR = "it is not a regular file but a device, a pipe or a folder"


def read_api_docs(path: str | os.PathLike) -> ApiDocs:
    """The documentation in the file at ``path``: an OpenAPI document (by its suffix or its first lines) or a
    markdown status page. Every failure is a CatalogError naming the file; references in an OpenAPI document to
    other files are read relative to it, never from the network."""
    from app.core.catalog import CatalogError, StatusCatalog
    from app.core.openapi.catalog import OpenApiCatalog, looks_like_openapi
    from app.core.openapi.load import MAX_DOCUMENT_BYTES, OpenApiError

    p = Path(path)
    try:
        mode = p.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a FIFO would block the read below forever
            raise CatalogError(f"The API documentation file {p} cannot be read: {_NOT_REGULAR}.")
        with p.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return StatusCatalog.from_file(p)  # its sentences for a missing, unreadable or folder path
    if p.suffix.lower() not in OPENAPI_SUFFIXES and not looks_like_openapi(head):
        return StatusCatalog.from_file(p)
    folder = p.parent.resolve()

    def read_file(relative: str) -> bytes:
        target = (folder / relative).resolve()
        if not target.is_relative_to(folder):
            raise OSError(errno.EACCES, "it points outside the document's folder; references are only followed to "
                                        "files beside the document or in folders below it")
        return _read_regular(target, MAX_DOCUMENT_BYTES)

    try:
        return OpenApiCatalog.from_bytes(_read_regular(p, MAX_DOCUMENT_BYTES), p.name, read_file)
    except OpenApiError as exc:
        raise CatalogError(str(exc)) from None
    except OSError as exc:
        raise CatalogError(f"The API documentation file {p} cannot be read: {exc.strerror or exc}.") from None


def _read_regular(target: Path, limit: int) -> bytes:
    """The bytes of the regular file ``target``, at most ``limit``: a device (``/dev/zero``), a FIFO or a folder
    named by a ``$ref`` would otherwise be read until memory runs out or block the reader forever. Opened
    non-blocking and checked again on the open descriptor, so a path swapped for a pipe is still refused."""
    if not stat.S_ISREG(os.stat(target).st_mode):
        raise OSError(errno.EINVAL, _NOT_REGULAR)
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError(errno.EINVAL, _NOT_REGULAR)
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"it is larger than {limit // 2**20} MiB")
    return data


def skipped_sentence(docs: ApiDocs, first: int = 3) -> str | None:
    """How many operations of an OpenAPI document were left out as broken, with the first reasons (None: none
    were, or the docs are a markdown page). Said once after loading, by the window's status bar and the CLI."""
    skipped = tuple(getattr(docs, "skipped", ()) or ())
    if not skipped:
        return None
    more = f" (and {len(skipped) - first} more)" if len(skipped) > first else ""
    return (f"{docs.source_name}: {len(skipped)} operation(s) could not be read and are left out: "
            + " ".join(skipped[:first]) + more)
