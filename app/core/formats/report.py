"""The triage report handed back to a customer: Markdown and a self-contained HTML page.

Both take a :class:`~app.core.diagnosis.Diagnosis` (any object with its attributes works) and the redactions the
caller already made. Unless ``redact=False`` the exchange is redacted again here, so no secret slips through.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from typing import Any, Sequence

from app.core.models import Exchange, Headers
from app.core.redact import Redaction, merge_redactions, redact_exchange

BODY_EXCERPT_CHARS = 2000
_SOURCE = {"api-docs": "API documentation", "http-standard": "HTTP standard (not in the API documentation)"}
_TIMING_LABELS = (("connect", "Connect"), ("tls", "TLS handshake"), ("request_sent", "Request sent"),
                  ("first_byte", "Waiting for first byte"), ("download", "Download"), ("total", "Total"))


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "unknown"
    try:
        return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return str(epoch)


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


def _header_lines(headers: Headers) -> str:
    return "\n".join(f"{k}: {v}" for k, v in headers)


def _prepare(diagnosis: Any, redactions: Sequence[Redaction], redact: bool) -> tuple[Exchange, tuple[Redaction, ...]]:
    ex: Exchange = diagnosis.exchange
    extra: tuple[Redaction, ...] = ()
    if redact:
        ex, extra = redact_exchange(ex)
    return ex, merge_redactions(tuple(redactions), extra)


def _sections(diagnosis: Any, ex: Exchange, reds: tuple[Redaction, ...]) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The report as (title, blocks); a block is ("p", text), ("kv", [(k, v)]), ("pre", text) or ("list", [..])."""
    req, resp = ex.request, ex.response
    out: list[tuple[str, list[tuple[str, Any]]]] = []
    blocks: list[tuple[str, Any]] = [("kv", [("Request", f"{req.method} {req.url}")])]
    if req.headers:
        blocks.append(("pre", _header_lines(req.headers)))
    body = _excerpt(req.body)
    if body:
        blocks += [("p", "Body (excerpt):"), ("pre", body)]
    out.append(("Request", blocks))

    blocks = []
    if resp is None:
        err = ex.error
        blocks.append(("p", "No response arrived." + (f" {err.text}" if err else "")))
        if err is not None and err.detail:
            blocks.append(("kv", [("Detail", err.detail)]))
    else:
        blocks.append(("kv", [("Status", f"{resp.status} {resp.reason}".strip()), ("HTTP version", resp.http_version)]))
    doc = getattr(diagnosis, "documented", None)
    if doc is not None:
        kv = [("Documented status", f"{doc.code} {doc.status}"), ("Explanation", doc.description),
              ("Section", doc.section), ("Source", _SOURCE.get(doc.source, str(doc.source)))]
        if doc.note:
            kv.append(("Documentation note", doc.note))
        blocks.append(("kv", kv))
    msg = getattr(diagnosis, "message", None)
    if msg is not None and getattr(msg, "text", None):
        blocks.append(("kv", [("Message from the API", msg.text)]))
    out.append(("Response", blocks))

    findings = tuple(getattr(diagnosis, "findings", ()) or ())
    out.append(("Findings", [("list", [f"{f.severity.upper()} ({f.side}, {f.header}): {f.text}" for f in findings])]
                if findings else [("p", "No findings.")]))

    ra = getattr(diagnosis, "retry_after", None)
    if ra is not None:
        kv = [("Wait", f"{ra.seconds:g} seconds"), ("Allowed again at", _when(ra.until)), ("Header value", ra.raw)]
        if ra.note:
            kv.append(("Note", ra.note))
        out.append(("Retry-After", [("kv", kv)]))
    else:
        out.append(("Retry-After", [("p", "The response has no usable Retry-After header.")]))
    rl = getattr(diagnosis, "rate_limit", None)
    if rl is not None:
        kv = [(label, str(v)) for label, v in (("Limit", rl.limit), ("Remaining", rl.remaining),
                                               ("Resets in (seconds)", rl.reset_seconds), ("Policy", rl.policy),
                                               ("Headers", rl.source)) if v is not None]
        out.append(("Rate limit", [("kv", kv)]))

    t = ex.timing
    rows = [(label, f"{getattr(t, attr) * 1000:.1f} ms") for attr, label in _TIMING_LABELS
            if getattr(t, attr) is not None]
    tb: list[tuple[str, Any]] = [("kv", [("Started", _when(ex.started_at))])] if ex.started_at is not None else []
    tb.append(("kv", rows) if rows else ("p", "No timings were recorded for this exchange."))
    out.append(("Timings", tb))

    if resp is not None:
        blocks = [("pre", _header_lines(resp.headers) or "(no headers)")]
        body = _excerpt(resp.body)
        if body:
            blocks += [("p", "Body (excerpt):"), ("pre", body)]
        out.append(("Response headers and body", blocks))
    if ex.notes:
        out.append(("Notes", [("list", list(ex.notes))]))
    red = ", ".join(r.label() for r in reds)
    out.append(("Redacted", [("p", red if red else "Nothing was redacted.")]))
    return out


def _md_inline(s: str) -> str:
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


def triage_report_markdown(diagnosis: Any, redactions: Sequence[Redaction] = (), *, redact: bool = True) -> str:
    ex, reds = _prepare(diagnosis, redactions, redact)
    lines = ["# Request Inspector — triage report", ""]
    for title, blocks in _sections(diagnosis, ex, reds):
        lines += [f"## {title}", ""]
        for kind, content in blocks:
            if kind == "p":
                lines.append(_md_inline(content))
            elif kind == "kv":
                lines += [f"- **{_md_inline(k)}:** {_md_inline(v)}" for k, v in content]
            elif kind == "list":
                lines += [f"- {_md_inline(item)}" for item in content]
            elif kind == "pre":
                lines.append(_fence(content))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:1.6rem}
pre{background:#f5f5f5;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
dt{font-weight:600}dd{margin:0 0 .4rem 1rem}"""


def triage_report_html(diagnosis: Any, redactions: Sequence[Redaction] = (), *, redact: bool = True) -> str:
    ex, reds = _prepare(diagnosis, redactions, redact)
    e = html.escape
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
             "<title>Request Inspector — triage report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Request Inspector — triage report</h1>"]
    for title, blocks in _sections(diagnosis, ex, reds):
        parts.append(f"<section><h2>{e(title)}</h2>")
        for kind, content in blocks:
            if kind == "p":
                parts.append(f"<p>{e(str(content))}</p>")
            elif kind == "kv":
                parts.append("<dl>" + "".join(f"<dt>{e(str(k))}</dt><dd>{e(str(v))}</dd>" for k, v in content)
                             + "</dl>")
            elif kind == "list":
                parts.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in content) + "</ul>")
            elif kind == "pre":
                parts.append(f"<pre>{e(str(content))}</pre>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
