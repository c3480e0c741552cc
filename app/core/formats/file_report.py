"""The report of a whole triaged file (a HAR with many entries): a summary table of every entry, then the full
sections of each failing entry, in Markdown and as a self-contained HTML page.

Each entry is redacted as the one-entry report is (app.core.redact.redact_diagnosis, except the names in ``keep``);
the summary's paths come from the redacted URLs, and one "Redacted" list closes the report. The sections of an entry
are the one-entry report's (app.core.formats.report.sections), so both reports read alike. At most
``MAX_DETAILED`` failing entries get their sections; the table still lists every entry.
"""

from __future__ import annotations

import html
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from app.core.diagnosis import Diagnosis
from app.core.formats.report import CSS, Paragraph, Section, md_inline, sections
from app.core.redact import Redaction, merge_redactions, redact_diagnosis

MAX_DETAILED = 200  # failing entries written out in full; a HAR of thousands of failures stays readable
TITLE = "Request Inspector — report of"
COLUMNS = ("#", "Method", "Path", "Status", "Documented status", "Findings")


class Entry(Protocol):
    """One entry of the file as the report needs it (app.core.triage.TriageRow is one)."""

    number: int
    diagnosis: Diagnosis

    @property
    def failed(self) -> bool: ...


@dataclass(frozen=True)
class Table:
    """A table block: a Markdown pipe table, an HTML <table>."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def markdown(self) -> list[str]:
        def line(cells) -> str:
            return "| " + " | ".join(md_inline(c) or " " for c in cells) + " |"

        return [line(self.header), "|" + "---|" * len(self.header)] + [line(r) for r in self.rows]

    def html(self) -> str:
        e = html.escape
        head = "".join(f"<th>{e(c)}</th>" for c in self.header)
        body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in self.rows)
        # cellpadding: Qt's rich text (the dialog's preview) ignores CSS padding on cells
        return f"<table cellpadding=\"4\" cellspacing=\"0\"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _row(number: int, d: Diagnosis) -> tuple[str, ...]:
    """The summary line of an entry (``d`` already redacted): the triage list's columns."""
    ex, doc = d.exchange, d.documented
    resp = ex.response
    if doc is None:
        documented = "No response" + (f" ({ex.error.kind})" if ex.error else "")
    else:
        documented = doc.status if doc.source != "http-standard" else f"{doc.status} (not in API docs)"
    return (str(number), ex.request.method, _path(ex.request.url), str(resp.status) if resp is not None else "—",
            documented, str(len(d.findings)))


def _entry_title(number: int, d: Diagnosis) -> str:
    resp = d.exchange.response
    status = f"{resp.status} {resp.reason}".strip() if resp is not None else "no response"
    return f"Entry #{number}: {d.exchange.request.method} {_path(d.exchange.request.url)} — {status}"


def file_sections(name: str, entries: Sequence[Entry], keep: frozenset[str] = frozenset()
                  ) -> tuple[list[tuple[str, list[Section]]], tuple[Redaction, ...]]:
    """(groups of (heading, sections), redactions made): the summary group first, then each failing entry."""
    reds: tuple[Redaction, ...] = ()
    rows, detailed = [], []
    failing = [e for e in entries if e.failed]
    for e in sorted(entries, key=lambda e: e.number):
        d, found = redact_diagnosis(e.diagnosis, keep)
        reds = merge_redactions(reds, found)
        rows.append(_row(e.number, d))
        if e.failed and len(detailed) < MAX_DETAILED:
            now = d.exchange.started_at if d.exchange.started_at is not None else time.time()
            detailed.append((_entry_title(e.number, d), sections(d, (), now)[:-1]))  # one "Redacted" at the end
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}, {len(failing)} failed"
    summary: list = [Paragraph(f"{name}: {count}."), Table(COLUMNS, tuple(rows))]
    if len(failing) > MAX_DETAILED:
        summary.append(Paragraph(f"The first {MAX_DETAILED} failing entries are written out below; the other "
                                 f"{len(failing) - MAX_DETAILED} are in the table only."))
    elif not failing:
        summary.append(Paragraph("No entry failed, so no entry is written out below."))
    red = ", ".join(r.label() for r in reds)
    closing = [Section("Redacted", (Paragraph(red if red else "Nothing was redacted."),))]
    return [("Summary", [Section("Summary", tuple(summary))])] + detailed + [("Redacted", closing)], reds


def file_report_texts(name: str, entries: Sequence[Entry], keep: frozenset[str] = frozenset()
                      ) -> tuple[str, str, tuple[Redaction, ...]]:
    """(markdown, html, redactions made): both reports from one pass of redaction (the report dialog's need)."""
    groups, reds = file_sections(name, entries, keep)
    return _markdown(name, groups), _html(name, groups), reds


def file_report_markdown(name: str, entries: Sequence[Entry], keep: frozenset[str] = frozenset()) -> str:
    return _markdown(name, file_sections(name, entries, keep)[0])


def file_report_html(name: str, entries: Sequence[Entry], keep: frozenset[str] = frozenset()) -> str:
    return _html(name, file_sections(name, entries, keep)[0])


def _markdown(name: str, groups) -> str:
    lines = [f"# {TITLE} {md_inline(name)}", ""]
    for heading, secs in groups:
        lines += [f"## {md_inline(heading)}", ""]
        for section in secs:
            if section.title != heading:
                lines += [f"### {md_inline(section.title)}", ""]
            for block in section.blocks:
                lines += block.markdown() + [""]
    return "\n".join(lines).rstrip() + "\n"


def _html(name: str, groups) -> str:
    t = html.escape(f"{TITLE} {name}")
    css = CSS + "\ntable{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', f"<title>{t}</title>",
             f"<style>{css}</style></head><body>", f"<h1>{t}</h1>"]
    for heading, secs in groups:
        parts.append(f"<section><h2>{html.escape(heading)}</h2>")
        for section in secs:
            if section.title != heading:
                parts.append(f"<h3>{html.escape(section.title)}</h3>")
            parts += [block.html() for block in section.blocks]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
