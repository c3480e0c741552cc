"""What a customer sent, turned into exchanges to diagnose without resending: every kind the window imports (HAR,
raw HTTP, curl commands, a Postman collection, a .http file), told apart by ``detect_kind``. Requests that were never
sent (curl, Postman, .http) are exchanges without a response: their diagnosis is the request-side findings.

Pure: takes the file's bytes (the caller reads the file), returns exchanges; raises only FormatError.
``load_triage(data, name, catalog, now)`` also diagnoses every exchange: the rows of the triage list (failures first)
and the CLI's ``triage`` command (which prints them in file order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from app.core.catalog import StatusCatalog
from app.core.diagnosis import Diagnosis, diagnose
from app.core.formats.detect import BLANK, ImportKind, detect_kind
from app.core.formats.errors import FormatError
from app.core.models import Exchange
from app.core.retry_after import parse_http_date

Kind = Literal["har", "raw", "curl", "postman", "http"]
_KIND_NAMES: dict[ImportKind, Kind] = {ImportKind.HAR: "har", ImportKind.CURL: "curl", ImportKind.POSTMAN: "postman",
                                       ImportKind.HTTP_FILE: "http"}
# kinds whose file may hold several requests: the CLI's --json prints a list for them whatever the count
MANY_KINDS = frozenset({ImportKind.HAR, ImportKind.CURL, ImportKind.POSTMAN, ImportKind.HTTP_FILE})


@dataclass(frozen=True)
class Imported:
    """One exchange from a pasted or opened file, with when its response arrived (Retry-After counts from it)."""

    exchange: Exchange
    received_at: float | None
    label: str
    warnings: tuple[str, ...] = ()


def _kind(text: str, name: str) -> ImportKind | None:
    """The kind by ``detect_kind``: the content decides (tickets rename attachments), a .http/.rest name only breaks
    a tie. JSON that is none of the JSON kinds is refused with a sentence; other unknown text goes to the raw reader,
    which says what is wrong with it (None)."""
    kind = detect_kind(text, name or None)
    if kind is ImportKind.OPENAPI:
        raise FormatError(f"{name or 'The file'} is an OpenAPI document: it describes operations and holds no exchanges "
                          "to triage. Pass it with --api-docs to explain exchanges by it (or import it in the window "
                          "with File → Import to get its requests).")
    if kind is None and text.lstrip(BLANK).startswith("{"):
        try:
            json.loads(text.lstrip(BLANK))
        except (ValueError, RecursionError):
            raise FormatError("The file looks like JSON but does not parse, so it is not a HAR file.") from None
        raise FormatError("The JSON file has no \"log\" object, so it is not a HAR file, and it is not a Postman "
                          "collection either.")
    return kind


def detect_format(data: bytes, name: str = "") -> Kind:
    """The format's short name ("har", "curl", "postman", "http", else "raw")."""
    kind = _kind(data.decode("utf-8", errors="replace"), name)
    return _KIND_NAMES.get(kind, "raw") if kind is not None else "raw"


def _date_of(exchange: Exchange) -> float | None:
    resp = exchange.response
    date = resp.header("Date") if resp is not None else None
    return parse_http_date(date) if date else None


def _har(data: bytes, text: str, name: str) -> list[Imported]:
    from app.core.formats.har import parse_har

    log = parse_har(data, text)  # the text decoded once for detection, not decoded again (~70 ms a 100 MB)
    if not log.entries:
        raise FormatError(f"{name or 'The HAR file'} has no entries.")
    return [
        Imported(
            entry.exchange,
            _date_of(entry.exchange) or entry.received_at,
            f"#{entry.index + 1} {entry.exchange.request.method} {entry.exchange.request.url}",
        )
        for entry in log.entries
    ]


def _curl(data: bytes, text: str, name: str) -> list[Imported]:
    """One request per curl command, each with the warnings the window shows (placeholders, ignored options)."""
    from app.core.formats.curl import parse_curl_commands

    out = []
    for n, imp in enumerate(parse_curl_commands(text.lstrip("\ufeff")), start=1):
        warnings = imp.warnings + tuple(f"unknown curl option {f} (ignored)" for f in imp.unknown_flags)
        if imp.insecure:
            warnings += ("The command had --insecure: TLS verification is off for this request.",)
        out.append(Imported(Exchange(imp.request, None), None, f"curl command {n}", warnings))
    return out


def _http_file_requests(hf, notes: list[str]) -> list[Imported]:
    """Requests of a .http file (or a converted Postman collection), file variables filled in; never sent."""
    from app.core.models import HttpRequest
    from app.core.variables import expand

    out = []
    for n, r in enumerate(hf.requests, start=1):
        url = expand(r.url, hf.variables, notes)
        headers = tuple((k, expand(v, hf.variables, notes)) for k, v in r.headers)
        body = expand(r.body, hf.variables, notes).encode("utf-8") if r.body is not None else None
        label = r.name or f"#{n} {r.method} {url}"
        out.append(Imported(Exchange(HttpRequest(r.method, url, headers, body), None), None, label))
    return _with_file_notes(out, notes)


def _with_file_notes(items: list[Imported], notes: list[str]) -> list[Imported]:
    """The notes about the file as a whole go with its first request (printed once)."""
    if items and notes:
        first = items[0]
        items[0] = Imported(first.exchange, first.received_at, first.label,
                            tuple(dict.fromkeys(notes)) + first.warnings)
    return items


def _http_file(data: bytes, text: str, name: str) -> list[Imported]:
    from app.core.formats.http_file import parse_http_file

    hf = parse_http_file(text)
    if not hf.requests:
        raise FormatError(f"{name or 'The .http file'} holds no request.")
    return _http_file_requests(hf, list(hf.notes))


def _postman(data: bytes, text: str, name: str) -> list[Imported]:
    from app.core.formats.postman import parse_postman, postman_to_http_file

    collection = parse_postman(data)
    if not collection.items:
        raise FormatError(f"{name or 'The Postman collection'} holds no request.")
    notes = [f"{' / '.join(it.path + (it.name,))}: {note}" for it in collection.items for note in it.notes]
    return _http_file_requests(postman_to_http_file(collection), notes)


def _raw(data: bytes, text: str, name: str) -> list[Imported]:
    from app.core.formats.raw_http import parse_raw
    from app.core.models import HttpRequest

    raw = parse_raw(data)
    if raw.request is None and raw.response is None:
        raise FormatError(f"{name or 'The text'} holds neither an HTTP request nor a response.")
    request = raw.request or HttpRequest("GET", "(request not included)")
    exchange = Exchange(request, raw.response)
    return [Imported(exchange, _date_of(exchange), "raw HTTP", raw.warnings)]


_LOADERS = {ImportKind.HAR: _har, ImportKind.CURL: _curl, ImportKind.HTTP_FILE: _http_file,
            ImportKind.POSTMAN: _postman}


def _load(data: bytes, name: str) -> tuple[ImportKind | None, list[Imported]]:
    text = data.decode("utf-8", errors="replace")
    kind = _kind(text, name)
    return kind, _LOADERS.get(kind, _raw)(data, text, name)  # type: ignore[arg-type]


def load_exchanges(data: bytes, name: str = "") -> list[Imported]:
    """Every exchange in ``data``: a HAR, a Postman collection, a .http file or several curl commands hold many
    (never-sent requests have no response); a raw HTTP exchange holds one."""
    return _load(data, name)[1]


@dataclass(frozen=True)
class TriageRow:
    """One diagnosed entry of a triaged file."""

    number: int  # 1-based position in the file
    imported: Imported
    diagnosis: Diagnosis

    @property
    def failed(self) -> bool:
        ex = self.imported.exchange
        return ex.response is None or ex.error is not None or ex.response.status >= 400

    @property
    def path(self) -> str:
        parts = urlsplit(self.imported.exchange.request.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    @property
    def host(self) -> str:
        return urlsplit(self.imported.exchange.request.url).netloc


@dataclass(frozen=True)
class TriageLoad:
    """A triaged file: its name, its rows (failures first, then file order) and the notes made while reading it."""

    name: str
    rows: tuple[TriageRow, ...]
    warnings: tuple[str, ...] = ()
    kind: ImportKind | None = None  # what the file was read as (None: raw HTTP by default)


def load_triage(data: bytes, name: str, catalog: StatusCatalog, now: float) -> TriageLoad:
    """Parse ``data`` (any import kind) and diagnose every exchange. Pure; raises FormatError only."""
    kind, imported = _load(data, name)
    rows = []
    warnings: list[str] = []
    for i, imp in enumerate(imported):
        d = diagnose(imp.exchange, catalog, now, received_at=imp.received_at)
        rows.append(TriageRow(i + 1, imp, d))
        warnings.extend(imp.warnings)
    rows.sort(key=lambda r: (not r.failed, r.number))  # failures first, then file order
    return TriageLoad(name, tuple(rows), tuple(warnings), kind)
