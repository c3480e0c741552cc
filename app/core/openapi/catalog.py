"""An OpenAPI document in the place of the markdown status catalog: explanations and checks per operation.

CONTRACT (the app.core.api_docs.ApiDocs face, plus what only a document has):
    class OpenApiCatalog:
        source_name: str; notes: tuple[str, ...]       # notes: operations skipped as broken, document remarks
        general_text: tuple[str, ...]; entries: tuple[CatalogEntry, ...]   # one entry per status documented anywhere
        document: Document; operations: tuple[Operation, ...]; servers: list
        @classmethod from_bytes(cls, data: bytes, name: str, read_file=None) -> OpenApiCatalog   # OpenApiError
        def lookup(self, code, reason=None) -> DocumentedStatus   # no operation known: the HTTP standard's meaning
        def match(self, method: str, url: str) -> Match
        def explain(self, request: HttpRequest, response: HttpResponse | None) -> Explanation
    def looks_like_openapi(data: bytes) -> bool      # the first KiB names 'openapi:' / "openapi" (or swagger)

``explain`` never raises: a failure inside a check becomes an info finding saying the check could not run.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.core.api_docs import Explanation
from app.core.catalog import CatalogEntry, standard_status
from app.core.models import DocumentedStatus, Finding, HttpRequest, HttpResponse
from app.core.openapi import checks
from app.core.openapi.explain import explain_status, response_key
from app.core.openapi.load import Document, load_document
from app.core.openapi.match import Match, Matcher
from app.core.openapi.operations import Operation, read_operations

_SNIFF = re.compile(rb"""(^|[\s{,])["']?(openapi|swagger)["']?\s*:""", re.MULTILINE)


def looks_like_openapi(data: bytes) -> bool:
    """True when the start of ``data`` declares an OpenAPI (or Swagger) version: the file is meant as one."""
    return _SNIFF.search(data[:4096]) is not None


class OpenApiCatalog:
    """The operations of one OpenAPI document, indexed for matching requests."""

    def __init__(self, document: Document, operations: list[Operation], skipped: list[str]) -> None:
        self.document = document
        self.source_name = document.name
        self.operations = tuple(operations)
        info = document.root.get("info") if isinstance(document.root.get("info"), dict) else {}
        title = str(info.get("title") or "")
        self.general_text = tuple(t for t in (title, str(info.get("description") or "").strip()) if t)
        servers = document.root.get("servers")
        self.servers = servers if isinstance(servers, list) else []
        self._matcher = Matcher(self.operations, self.servers)
        notes = []
        if skipped:
            notes.append(f"{document.name}: {len(skipped)} operation(s) could not be read and are left out.")
            notes.extend(skipped[:20])
        self.notes = tuple(notes)
        self.skipped = tuple(skipped)
        self.entries = self._entries()

    def __repr__(self) -> str:
        return f"OpenApiCatalog({self.source_name!r}, {len(self.operations)} operations)"

    @classmethod
    def from_bytes(cls, data: bytes, name: str, read_file: Callable[[str], bytes] | None = None) -> OpenApiCatalog:
        document = load_document(data, name, read_file)
        operations, skipped = read_operations(document)
        return cls(document, operations, skipped)

    def _entries(self) -> tuple[CatalogEntry, ...]:
        seen: dict[int, CatalogEntry] = {}
        for op in self.operations:
            for key, response in op.responses.items():
                if key.isdigit() and int(key) not in seen:
                    std = standard_status(int(key))
                    seen[int(key)] = CatalogEntry(int(key), std.status, str(response.get("description") or ""),
                                                  op.label)
        return tuple(sorted(seen.values(), key=lambda e: e.code))

    def lookup(self, code: int, reason: str | None = None) -> DocumentedStatus:
        """Without a request there is no operation: the HTTP standard's meaning."""
        return standard_status(code)

    def match(self, method: str, url: str) -> Match:
        return self._matcher.match(method, url)

    def explain(self, request: HttpRequest, response: HttpResponse | None) -> Explanation:
        """The operation's explanation of the response and the document's findings. Never raises."""
        try:
            return self._explain(request, response)
        except Exception as exc:  # a surprise in a check must not cost the diagnosis
            return Explanation(None if response is None else self.lookup(response.status), (_broken(exc),))

    def _explain(self, request: HttpRequest, response: HttpResponse | None) -> Explanation:
        found = self._matcher.match(request.method, request.url)
        op = found.operation
        if op is None:
            documented = None if response is None else _with_note(standard_status(response.status), found.note)
            return Explanation(documented, ())
        findings: list[Finding] = checks.request_checks(self.document, op, request, found.path_params)
        if response is None:
            return Explanation(None, tuple(findings))
        documented = explain_status(op, response.status)
        if documented is None:
            findings.append(checks.status_undocumented(op, response.status))
            documented = standard_status(response.status)
        documented = _with_note(documented, found.note)
        key = response_key(op, response.status)
        message = None
        if key is not None:
            findings.extend(checks.response_checks(self.document, op, key, response))
            message = checks.schema_message(self.document, op, key, response)
        return Explanation(documented, tuple(findings), message)


def _with_note(documented: DocumentedStatus, note: str | None) -> DocumentedStatus:
    if not note:
        return documented
    from dataclasses import replace

    return replace(documented, note=f"{documented.note} {note}" if documented.note else note)


def _broken(exc: Exception) -> Finding:
    return Finding(id="findings-unavailable", severity="info", side="response", header="",
                   text=f"The OpenAPI document could not be applied to this exchange ({type(exc).__name__}).")
