"""The triage report handed back to a customer: Markdown and a self-contained HTML page.

Both take a :class:`~app.core.diagnosis.Diagnosis` and the redactions the caller already made. Unless
``redact=False`` the whole diagnosis is redacted again here (app.core.redact.redact_diagnosis: request, response,
notes, error, findings, the API's message), except the names in ``keep``, so no secret slips through. The wording is the window's and
the CLI's (:mod:`app.core.presentation`), with moments in UTC: a report is read elsewhere and later. The report is
a list of typed :class:`Section` s whose blocks each know how to write themselves as Markdown and as HTML.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from typing import Sequence, Union

from app.core.diagnosis import Diagnosis
from app.core.models import Exchange, Headers
from app.core.presentation import DiagnosisView, present
from app.core.redact import Redaction, merge_redactions, redact_diagnosis

BODY_EXCERPT_CHARS = 2000
TITLE = "Request Inspector — triage report"


def md_inline(s: str) -> str:
    s = " ".join(str(s).split())
    for ch in "\\`*_[]<>|#":
        s = s.replace(ch, "\\" + ch)
    return s


def _fence(text: str) -> str:
    longest, run = 0, 0
    for c in text:
        run = run + 1 if c == "`" else 0
        longest = max(longest, run)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text}\n{ticks}"


@dataclass(frozen=True)
class Paragraph:
    """A sentence, or (``preformatted``) text shown as received: fenced in Markdown, <pre> in HTML."""

    text: str
    preformatted: bool = False

    def markdown(self) -> list[str]:
        return [_fence(self.text) if self.preformatted else md_inline(self.text)]

    def html(self) -> str:
        tag = "pre" if self.preformatted else "p"
        return f"<{tag}>{html.escape(self.text)}</{tag}>"


def Preformatted(text: str) -> Paragraph:  # noqa: N802 (reads as the block it makes)
    """Headers and bodies as received."""
    return Paragraph(text, preformatted=True)


@dataclass(frozen=True)
class Fields:
    """Labelled values: a Markdown list of "**Label:** value", an HTML definition list."""

    rows: tuple[tuple[str, str], ...]

    def markdown(self) -> list[str]:
        return [f"- **{md_inline(k)}:** {md_inline(v)}" for k, v in self.rows]

    def html(self) -> str:
        e = html.escape
        return "<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in self.rows) + "</dl>"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]

    def markdown(self) -> list[str]:
        return [f"- {md_inline(item)}" for item in self.items]

    def html(self) -> str:
        return "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in self.items) + "</ul>"


Block = Union[Paragraph, Fields, Bullets]


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]


def _excerpt(body: bytes | None) -> str | None:
    if body is None:
        return None
    if not body:
        return ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return f"({len(body)} bytes of binary data)"
    if len(text) > BODY_EXCERPT_CHARS:
        return text[:BODY_EXCERPT_CHARS] + f"\n… ({len(text) - BODY_EXCERPT_CHARS} more characters)"
    return text


def _headers_and_body(headers: Headers, body: bytes | None, empty: str | None) -> list[Block]:
    blocks: list[Block] = []
    text = "\n".join(f"{k}: {v}" for k, v in headers)
    if text or empty:
        blocks.append(Preformatted(text or empty or ""))
    excerpt = _excerpt(body)
    if excerpt:
        blocks += [Paragraph("Body (excerpt):"), Preformatted(excerpt)]
    return blocks


def _response(v: DiagnosisView) -> Section:
    blocks: list[Block] = [Fields((("Status", v.status_line),))]
    if not v.answered or v.error:
        blocks.append(Paragraph(v.error or v.explanation))
    if v.error_detail:
        blocks.append(Fields((("Detail", v.error_detail),)))
    if v.documented_as is not None:
        rows = [("Documented status", v.documented_as), ("Explanation", v.description or ""),
                ("Source", v.provenance)]
        rows += [("Documentation note", v.doc_note)] if v.doc_note else []
        blocks.append(Fields(tuple(rows)))
    if v.api_message:
        blocks.append(Fields((("Message from the API", v.api_message),)))
    return Section("Response", tuple(blocks))


# Statuses where a missing Retry-After is worth a line: the API asks to wait on these.
WAIT_STATUSES = frozenset({429, 503})


def _waiting(d: Diagnosis, v: DiagnosisView) -> list[Section]:
    """Retry-After only where it matters: a header was sent, or the status is one that asks to wait (a 404 with
    "Retry-After: none" read as if the customer had been rate-limited)."""
    resp = d.exchange.response
    out: list[Section] = []
    if v.retry is not None:
        rows = (("Header value", v.retry.raw),) + ((("Note", v.retry.note),) if v.retry.note else ())
        out = [Section("Retry-After", (Paragraph(v.retry.sentence), Fields(rows)))]
    elif resp is not None and (resp.status in WAIT_STATUSES or resp.header("Retry-After") is not None):
        out = [Section("Retry-After", (Paragraph("The response has no usable Retry-After header."),))]
    rl = d.rate_limit
    if rl is not None and v.rate_limit:
        rows = tuple((label, str(value)) for label, value in (
            ("Limit", rl.limit), ("Remaining", rl.remaining), ("Resets in (seconds)", rl.reset_seconds),
            ("Policy", rl.policy), ("Headers", rl.source)) if value is not None)
        out.append(Section("Rate limit", (Paragraph(v.rate_limit), Fields(rows))))
    return out


def sections(d: Diagnosis, redactions: Sequence[Redaction], now: float) -> list[Section]:
    """The report of ``d`` (already redacted as wanted), listing ``redactions`` at the end."""
    ex: Exchange = d.exchange
    v = present(d, now=now, utc=True)
    out = [Section("Request", (Fields((("Request", v.request_line),)),
                               *_headers_and_body(ex.request.headers, ex.request.body, None))),
           _response(v)]
    findings = [f"{f.severity.upper()} ({f.side}, {f.header}): {f.text}" for f in v.findings]
    out.append(Section("Findings", (Bullets(tuple(findings)),) if findings else (Paragraph("No findings."),)))
    out += _waiting(d, v)
    timing: list[Block] = [Fields((("Started", v.started),))] if v.started else []
    timing.append(Fields(v.timings) if v.timings else Paragraph("No timings were recorded for this exchange."))
    out.append(Section("Timings", tuple(timing)))
    if ex.response is not None:
        blocks = _headers_and_body(ex.response.headers, ex.response.body, "(no headers)")
        out.append(Section("Response headers and body", tuple(blocks)))
    if v.notes:
        out.append(Section("Notes", (Bullets(v.notes),)))
    red = ", ".join(r.label() for r in redactions)
    out.append(Section("Redacted", (Paragraph(red if red else "Nothing was redacted."),)))
    return out


def _prepare(d: Diagnosis, redactions: Sequence[Redaction], redact: bool, now: float | None,
             keep: frozenset[str] = frozenset()) -> list[Section]:
    extra: tuple[Redaction, ...] = ()
    if redact:
        d, extra = redact_diagnosis(d, keep)
    if now is None:
        now = d.exchange.started_at if d.exchange.started_at is not None else time.time()
    return sections(d, merge_redactions(tuple(redactions), extra), now)


def document_markdown(title: str, parts: Sequence[Section]) -> str:
    """A Markdown document: the title, then each section's blocks (the triage report, a comparison)."""
    lines = [f"# {title}", ""]
    for section in parts:
        lines += [f"## {section.title}", ""]
        for block in section.blocks:
            lines += block.markdown() + [""]
    return "\n".join(lines).rstrip() + "\n"


def triage_report_markdown(diagnosis: Diagnosis, redactions: Sequence[Redaction] = (), *, redact: bool = True,
                           now: float | None = None, keep: frozenset[str] = frozenset()) -> str:
    return document_markdown(TITLE, _prepare(diagnosis, redactions, redact, now, keep))


CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:1.6rem}
pre{background:#f5f5f5;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
dt{font-weight:600}dd{margin:0 0 .4rem 1rem}"""


def document_html(title: str, doc_sections: Sequence[Section]) -> str:
    """A self-contained HTML page: the title, then each section's blocks (the triage report, a comparison)."""
    t = html.escape(title)
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', f"<title>{t}</title>",
             f"<style>{CSS}</style></head><body>", f"<h1>{t}</h1>"]
    for section in doc_sections:
        parts.append(f"<section><h2>{html.escape(section.title)}</h2>")
        parts += [block.html() for block in section.blocks]
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def triage_report_html(diagnosis: Diagnosis, redactions: Sequence[Redaction] = (), *, redact: bool = True,
                       now: float | None = None, keep: frozenset[str] = frozenset()) -> str:
    return document_html(TITLE, _prepare(diagnosis, redactions, redact, now, keep))
