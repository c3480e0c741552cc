"""What a customer sent, turned into exchanges to diagnose without resending: HAR, raw HTTP or a curl command.

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

Kind = Literal["har", "raw", "curl"]


@dataclass(frozen=True)
class Imported:
    """One exchange from a pasted or opened file, with when its response arrived (Retry-After counts from it)."""

    exchange: Exchange
    received_at: float | None
    label: str
    warnings: tuple[str, ...] = ()


def detect_format(data: bytes) -> Kind:
    """The format by ``detect_kind`` (the content, not the file name: tickets rename attachments).

    JSON that is not a HAR is refused with a sentence; everything else that is not a HAR or curl is read as raw
    HTTP, whose reader says what is wrong with it.
    """
    text = data.decode("utf-8", errors="replace")
    kind = detect_kind(text)
    if kind is ImportKind.HAR:
        return "har"
    if kind is ImportKind.CURL:
        return "curl"
    if text.lstrip(BLANK).startswith("{"):
        if kind is None:
            try:
                json.loads(text.lstrip(BLANK))
            except (ValueError, RecursionError):
                raise FormatError("The file looks like JSON but does not parse, so it is not a HAR file.") from None
        raise FormatError("The JSON file has no \"log\" object, so it is not a HAR file.")
    return "raw"


def _date_of(exchange: Exchange) -> float | None:
    resp = exchange.response
    date = resp.header("Date") if resp is not None else None
    return parse_http_date(date) if date else None


def load_exchanges(data: bytes, name: str = "") -> list[Imported]:
    """Every exchange in ``data`` (a HAR holds many; raw HTTP and curl hold one)."""
    kind = detect_format(data)
    if kind == "har":
        from app.core.formats.har import parse_har

        log = parse_har(data)
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
    if kind == "curl":
        from app.core.formats.curl import parse_curl

        imported = parse_curl(data.decode("utf-8", errors="replace"))
        warnings = imported.warnings + tuple(f"unknown curl option {f}" for f in imported.unknown_flags)
        return [Imported(Exchange(imported.request, None), None, "curl command", warnings)]
    from app.core.formats.raw_http import parse_raw

    raw = parse_raw(data)
    if raw.request is None and raw.response is None:
        raise FormatError(f"{name or 'The text'} holds neither an HTTP request nor a response.")
    from app.core.models import HttpRequest

    request = raw.request or HttpRequest("GET", "(request not included)")
    exchange = Exchange(request, raw.response)
    return [Imported(exchange, _date_of(exchange), "raw HTTP", raw.warnings)]


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


def load_triage(data: bytes, name: str, catalog: StatusCatalog, now: float) -> TriageLoad:
    """Parse ``data`` (HAR, raw HTTP or curl) and diagnose every exchange. Pure; raises FormatError only."""
    imported = load_exchanges(data, name)
    rows = []
    warnings: list[str] = []
    for i, imp in enumerate(imported):
        d = diagnose(imp.exchange, catalog, now, received_at=imp.received_at)
        rows.append(TriageRow(i + 1, imp, d))
        warnings.extend(imp.warnings)
    rows.sort(key=lambda r: (not r.failed, r.number))  # failures first, then file order
    return TriageLoad(name, tuple(rows), tuple(warnings))
