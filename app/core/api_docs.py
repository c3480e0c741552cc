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

Why a protocol and not a flag on diagnose(): the window, the CLI and triage already pass "the catalog" around; an
OpenAPI document chosen in its place then explains per operation without any caller knowing which kind it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
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
