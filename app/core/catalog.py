"""The status catalog: the API's markdown error page parsed into entries (owner: catalog helper).

CONTRACT (other modules call exactly this):
    class CatalogError(ValueError)             # message names the file and says what is wrong
    @dataclass(frozen=True) class CatalogEntry: code: int; status: str; description: str; section: str
    class StatusCatalog:
        entries: tuple[CatalogEntry, ...]
        source_name: str                        # file name shown in the UI ("errors.md")
        notes: tuple[str, ...]                  # documentation notes found while parsing (the 204 erratum ...)
        general_text: tuple[str, ...]           # paragraphs outside tables (e.g. "Most error responses ...")
        @classmethod from_markdown(cls, text: str, source_name: str = "<text>") -> StatusCatalog
        @classmethod from_file(cls, path: str | os.PathLike) -> StatusCatalog
        def lookup(self, code: int, reason: str | None = None) -> DocumentedStatus
        def explain(self, request, response) -> Explanation   # the app.core.api_docs.ApiDocs face
    def load_default_catalog() -> StatusCatalog  # resources/api-docs/errors.md via app.paths

Rules (documented here because the UI and the CLI show their results):
- A usable table has a *code* column (the first header containing "code", else "status", whose cells are all
  three-digit codes: in "Code | HTTP Status" with codes like E1001 it is "HTTP Status"), and a *status* column
  ("status", "phrase", "reason", "name", "title") and/or a *description* column ("description", "meaning", "detail",
  "explanation", "notes", "comment", "message"); without a status column the standard phrase is used. Extra columns
  and any column order are fine. Cells are read as plain text (bold, code, links -> their text; escaped pipes -> "|").
- ``section`` is the text of the nearest heading above the table, whatever its level ("Success", "Client",
  "Server errors" on the shipped page); "" when no heading precedes the table.
- ``entries`` are the page's rows exactly as written (page order, page codes). ``lookup`` answers with corrections:
  a code listed twice whose row's status is the standard phrase of *another* code that the page does not list
  (the page's "200 | No Content") answers for that other code (204), with a note. Other duplicates: first row wins.
- Codes the page does not list fall back to ``http.HTTPStatus`` (section "HTTP standard"); codes HTTP does not define
  get their class meaning. ``lookup`` never raises.
"""

from __future__ import annotations

import http
import os
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from app.core.api_docs import Explanation
from app.core.models import DocumentedStatus, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from markdown_it.token import Token

MAX_PAGE_BYTES = 5 * 1024 * 1024  # an error page is a few KiB; refuse to parse a mistakenly chosen huge file
STANDARD_SECTION = "HTTP standard"

_CODE_WORDS = ("code",)
_STATUS_WORDS = ("status", "phrase", "reason", "name", "title")
_DESCRIPTION_WORDS = ("description", "meaning", "detail", "explanation", "notes", "comment", "message")

_CLASS_NAMES = {
    1: "Informational response (1xx)",
    2: "Success (2xx)",
    3: "Redirection (3xx)",
    4: "Client error (4xx)",
    5: "Server error (5xx)",
}


class CatalogError(ValueError):
    """The documentation page cannot be used; the message names the file and says why."""


@dataclass(frozen=True)
class CatalogEntry:
    """One row of a status table, as the page writes it."""

    code: int
    status: str
    description: str
    section: str


@dataclass(frozen=True)
class _Resolved:
    entry: CatalogEntry
    code: int  # the code this row answers for (differs from entry.code for an erratum row)
    note: str | None


def _norm_phrase(text: str) -> str:
    """'Method not allowed' and 'Method Not Allowed' compare equal; '-' and spacing are ignored."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


_STANDARD_BY_PHRASE: dict[str, int] = {}
for _s in http.HTTPStatus:
    _STANDARD_BY_PHRASE.setdefault(_norm_phrase(_s.phrase), int(_s))


def _standard(code: int) -> http.HTTPStatus | None:
    try:
        return http.HTTPStatus(code)
    except ValueError:
        return None


def _inline_text(token: Token) -> str:
    """Plain text of an inline token: markup dropped, code/alt text kept, breaks become spaces."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _parse_code(cell: str) -> tuple[int | None, str]:
    """'429' / '429 ' / '`429`' -> 429; '429 Too Many Requests' -> (429, 'Too Many Requests')."""
    words = cell.split()
    if not words:
        return None, ""
    first = words[0].strip("*_`'\".:;,()[]")
    if len(first) == 3 and first.isdigit() and first.isascii() and first[0] != "0":
        return int(first), " ".join(words[1:]).lstrip("-–—: ")
    return None, ""


def _find_column(headers: list[str], words: tuple[str, ...], taken: set[int]) -> int | None:
    for i, header in enumerate(headers):
        low = header.lower()
        if i not in taken and any(w in low for w in words):
            return i
    return None


@dataclass
class _Table:
    section: str
    headers: list[str]
    rows: list[list[str]]


class StatusCatalog:
    """The status tables of one API documentation page, with lookup by code."""

    def __init__(
        self,
        entries: tuple[CatalogEntry, ...],
        source_name: str = "<text>",
        notes: tuple[str, ...] = (),
        general_text: tuple[str, ...] = (),
    ) -> None:
        self.entries = tuple(entries)
        self.source_name = source_name
        self.general_text = tuple(general_text)
        self._by_code, resolve_notes = self._resolve(self.entries, source_name)
        self.notes = tuple(notes) + resolve_notes

    def __repr__(self) -> str:
        return f"StatusCatalog({self.source_name!r}, {len(self.entries)} entries)"

    # ----------------------------------------------------------------- building
    @classmethod
    def from_markdown(cls, text: str, source_name: str = "<text>") -> StatusCatalog:
        """Parse a markdown page; CatalogError naming ``source_name`` when it has no usable status table."""
        if not isinstance(text, str):
            raise CatalogError(f"{source_name} is not text.")
        from markdown_it import MarkdownIt  # imported here: ~45 ms that start-up need not pay before first paint

        try:
            tokens = MarkdownIt("commonmark").enable("table").parse(text.lstrip("\ufeff"))
        except Exception as exc:  # markdown-it is robust; this is a last line of defence
            raise CatalogError(f"{source_name} could not be read as markdown ({type(exc).__name__}).") from exc
        tables, paragraphs = _walk(tokens)
        entries: list[CatalogEntry] = []
        notes: list[str] = []
        for table in tables:
            entries.extend(_table_entries(table, source_name, notes))
        if not entries:
            detail = " (its tables have no column of three-digit status codes)" if tables else ""
            raise CatalogError(f"{source_name} has no table with code, status and description columns{detail}.")
        return cls(tuple(entries), source_name, tuple(notes), tuple(paragraphs))

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> StatusCatalog:
        """Read a UTF-8 markdown file (BOM tolerated); every failure is a CatalogError naming the file."""
        p = Path(path)
        name = p.name or str(p)
        try:
            with p.open("rb") as fh:
                data = fh.read(MAX_PAGE_BYTES + 1)
        except FileNotFoundError:
            raise CatalogError(f"The API documentation file {p} does not exist.") from None
        except IsADirectoryError:
            raise CatalogError(f"{p} is a folder, not an API documentation file.") from None
        except PermissionError:
            raise CatalogError(f"The API documentation file {p} cannot be read (permission denied).") from None
        except OSError as exc:
            raise CatalogError(f"The API documentation file {p} cannot be read: {exc.strerror or exc}.") from None
        if len(data) > MAX_PAGE_BYTES:
            raise CatalogError(
                f"{name} is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MiB; an API error page is expected to be small."
            )
        notes: tuple[str, ...] = ()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("utf-8-sig", errors="replace")
            notes = (f"{name} is not valid UTF-8; unreadable characters are shown as \ufffd.",)
        if "\x00" in text:
            raise CatalogError(f"{name} is not a text file (it contains NUL bytes).")
        catalog = cls.from_markdown(text, name)
        if notes:
            catalog.notes = notes + catalog.notes
        return catalog

    @staticmethod
    def _resolve(
        entries: tuple[CatalogEntry, ...], source_name: str
    ) -> tuple[dict[int, list[_Resolved]], tuple[str, ...]]:
        """Map each code to the rows that answer for it; apply the erratum rule; report duplicates."""
        listed: dict[int, list[CatalogEntry]] = {}
        for e in entries:
            listed.setdefault(e.code, []).append(e)
        by_code: dict[int, list[_Resolved]] = {}
        notes: list[str] = []
        for e in entries:
            target, note = e.code, None
            if len(listed[e.code]) > 1:
                named = _STANDARD_BY_PHRASE.get(_norm_phrase(e.status))
                if named is not None and named != e.code and named not in listed:
                    target = named
                    note = f"The API page lists '{e.status}' under {e.code}; it is HTTP {named}."
                    notes.append(f"{source_name}: {note}")
            by_code.setdefault(target, []).append(_Resolved(e, target, note))
        for code, rows in by_code.items():
            if len(rows) > 1:
                phrases = ", ".join(f"'{r.entry.status}'" for r in rows)
                notes.append(
                    f"{source_name}: {code} is listed {len(rows)} times ({phrases}); the first row is used "
                    "unless the response's reason phrase matches another."
                )
        return by_code, tuple(notes)

    # ----------------------------------------------------------------- asking
    def documented(self) -> tuple[DocumentedStatus, ...]:
        """One answer per code the page documents (corrections applied), in page order."""
        return tuple(self._answer(rows[0]) for rows in self._by_code.values())

    def lookup(self, code: int, reason: str | None = None) -> DocumentedStatus:
        """What the page (else the HTTP standard, else the status class) says about ``code``. Never raises.

        ``reason`` (the response's reason phrase) only chooses between rows: among the rows the page lists under
        this code, or that answer for it, one whose status matches the phrase wins.
        """
        try:
            code = int(code)
        except (TypeError, ValueError, OverflowError):
            return DocumentedStatus(
                code=-1,
                status="Unknown status",
                description=f"{code!r} is not an HTTP status code.",
                section=STANDARD_SECTION,
                source="http-standard",
            )
        rows = self._by_code.get(code, [])
        if reason and reason.strip():
            want = _norm_phrase(reason)
            candidates = rows + [
                _Resolved(r.entry, r.entry.code, r.note)
                for other in self._by_code.values()
                for r in other
                if r.entry.code == code and r.code != code
            ]
            for r in candidates:
                if _norm_phrase(r.entry.status) == want:
                    return self._answer(r)
        if rows:
            return self._answer(rows[0])
        return standard_status(code)

    def explain(self, request: HttpRequest, response: HttpResponse | None) -> Explanation:
        """The page's answer for the response's status (a markdown page says nothing per operation)."""
        documented = None if response is None else self.lookup(response.status, response.reason or None)
        return Explanation(documented)

    @staticmethod
    def _answer(r: _Resolved) -> DocumentedStatus:
        return DocumentedStatus(
            code=r.code,
            status=r.entry.status,
            description=r.entry.description,
            section=r.entry.section,
            source="api-docs",
            note=r.note,
        )


def standard_status(code: int) -> DocumentedStatus:
    """The HTTP standard's meaning of ``code``, or its class meaning when HTTP does not define it."""
    std = _standard(code)
    if std is not None:
        return DocumentedStatus(
            code=code,
            status=std.phrase,
            description=std.description or f"{_class_meaning(code)}; the HTTP standard gives no further description.",
            section=STANDARD_SECTION,
            source="http-standard",
        )
    return DocumentedStatus(
        code=code,
        status="Unknown status",
        description=f"{_class_meaning(code)} not described by the API or the HTTP standard.",
        section=STANDARD_SECTION,
        source="http-standard",
    )


def _class_meaning(code: int) -> str:
    name = _CLASS_NAMES.get(code // 100) if 100 <= code <= 599 else None
    return name or f"Status {code} is outside the HTTP status classes (100-599) and"


def _walk(tokens: list[Token]) -> tuple[list[_Table], list[str]]:
    """Tables (with the nearest heading above each) and paragraphs outside tables, in page order."""
    tables: list[_Table] = []
    paragraphs: list[str] = []
    heading = ""
    current: _Table | None = None
    row: list[str] | None = None
    in_head = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.type == "heading_open" and nxt is not None and nxt.type == "inline":
            heading = _inline_text(nxt)
        elif tok.type == "paragraph_open" and current is None and nxt is not None and nxt.type == "inline":
            text = _inline_text(nxt)
            if text:
                paragraphs.append(text)
        elif tok.type == "table_open":
            current = _Table(heading, [], [])
        elif tok.type == "table_close":
            if current is not None:
                tables.append(current)
            current = None
        elif current is not None:
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "tr_close" and row is not None:
                if in_head:
                    current.headers = row
                else:
                    current.rows.append(row)
                row = None
            elif tok.type in ("th_open", "td_open") and row is not None:
                row.append(_inline_text(nxt) if nxt is not None and nxt.type == "inline" else "")
        i += 1
    return tables, paragraphs


def _table_entries(table: _Table, source_name: str, notes: list[str]) -> list[CatalogEntry]:
    headers = table.headers

    def all_codes(col: int) -> bool:
        cells = [r[col] for r in table.rows if col < len(r) and r[col].strip()]
        return bool(cells) and all(_parse_code(c)[0] is not None for c in cells)

    # The code column: a "code" header, else a "status" header ("HTTP Status"), whose cells are all status codes;
    # failing that the first "code" header (its bad rows are then reported in the notes).
    candidates = [i for i, h in enumerate(headers) if any(w in h.lower() for w in _CODE_WORDS)]
    candidates += [i for i, h in enumerate(headers) if any(w in h.lower() for w in _STATUS_WORDS) and i not in candidates]
    code_col = next((i for i in candidates if all_codes(i)), None)
    if code_col is None:
        code_col = _find_column(headers, _CODE_WORDS, set())
    if code_col is None:
        return []
    status_col = _find_column(headers, _STATUS_WORDS, {code_col})
    desc_col = _find_column(headers, _DESCRIPTION_WORDS, {code_col} | ({status_col} if status_col is not None else set()))
    if status_col is None and desc_col is None:
        return []
    where = f"under '{table.section}'" if table.section else "before the first heading"
    entries: list[CatalogEntry] = []
    for row in table.rows:
        cell = row[code_col] if code_col < len(row) else ""
        code, rest = _parse_code(cell)
        if code is None:
            if any(c.strip() for c in row):
                notes.append(f"{source_name}: a row {where} has no three-digit status code ('{cell}'); skipped.")
            continue
        status = row[status_col] if status_col is not None and status_col < len(row) else ""
        description = row[desc_col] if desc_col is not None and desc_col < len(row) else ""
        if not status:
            std = _standard(code)
            status = rest or (std.phrase if std is not None else "")
        entries.append(CatalogEntry(code, status, description, table.section))
    return entries


def load_default_catalog() -> StatusCatalog:
    """The catalog of the shipped page (resources/api-docs/errors.md): its parse kept in app.core.catalog_snapshot
    when the file is byte for byte that page (no markdown-it import), else the file parsed."""
    from app.paths import default_api_docs

    path = default_api_docs()
    return _from_snapshot(path) or StatusCatalog.from_file(path)


def _from_snapshot(path: Path) -> StatusCatalog | None:
    """What ``StatusCatalog.from_file(path)`` returns, from the snapshot; None unless the file is the stored page."""
    from app.core import catalog_snapshot as snapshot

    if path.name != snapshot.SOURCE_NAME:
        return None
    try:
        with path.open("rb") as fh:
            data = fh.read(len(snapshot.PAGE) + 1)
    except OSError:
        return None  # from_file says what is wrong
    if data != snapshot.PAGE:
        return None
    entries = tuple(CatalogEntry(*row) for row in snapshot.ENTRIES)
    return StatusCatalog(entries, snapshot.SOURCE_NAME, snapshot.NOTES, snapshot.GENERAL_TEXT)
