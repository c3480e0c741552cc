"""A comparison laid out for people: terminal text (the CLI) and report sections (Markdown / HTML pages).

Both read the same :class:`Comparison` in the same order (summary, status, findings, request, response headers,
timings, body), so the terminal and the report cannot tell different stories.
"""

from __future__ import annotations

from app.core.compare.model import BodyDiff, Change, Comparison
from app.core.formats.report import Block, Bullets, Fields, Paragraph, Preformatted, Section, document_html, \
    document_markdown
from app.core.humanize import human_size

TITLE = "Request Inspector — comparison"
MAX_TEXT_DIFF_LINES = 400  # shown; the JSON output has them all


def change_line(c: Change) -> str:
    """'+ X-Trace: abc', '- Content-Type: application/json', '~ Accept: a → b (a different secret value)'."""
    if c.kind == "added":
        text = f"+ {c.name}: {c.new}"
    elif c.kind == "removed":
        text = f"- {c.name}: {c.old}"
    else:
        text = f"~ {c.name}: {c.old} → {c.new}"
    return text + (f" ({c.note})" if c.note else "")


def body_lines(b: BodyDiff) -> list[str]:
    """The body difference as lines (no heading)."""
    sizes = f"{human_size(b.old_size)} → {human_size(b.new_size)}"
    if b.kind == "none":
        out = ["No body on either side."]
    elif b.kind == "same":
        out = [f"Same body ({human_size(b.new_size)})."]
    elif b.kind == "json":
        out = [f"JSON, {b.total_changes} change{'s' * (b.total_changes != 1)} ({sizes}):"]
        out += [f"  {change_line(c)}" for c in b.changes]
        if b.total_changes > len(b.changes):
            out.append(f"  … and {b.total_changes - len(b.changes)} more")
    elif b.kind == "text":
        out = [f"Text ({sizes}):"]
        for d in b.lines[:MAX_TEXT_DIFF_LINES]:
            old = "" if d.old_no is None else str(d.old_no)
            new = "" if d.new_no is None else str(d.new_no)
            out.append(f"  {old:>5} {new:>5} {d.mark} {d.text}")
        if len(b.lines) > MAX_TEXT_DIFF_LINES:
            out.append(f"  … and {len(b.lines) - MAX_TEXT_DIFF_LINES} more lines")
    else:
        out = [f"Binary: A {b.old_size:,} bytes sha256 {b.old_sha256[:16]}…, B {b.new_size:,} bytes sha256 "
               f"{b.new_sha256[:16]}…"]
    return out + list(b.notes)


def _request_lines(c: Comparison) -> list[str]:
    lines: list[str] = []
    if c.method is not None:
        lines.append(f"  method: {c.method.old} → {c.method.new}")
    if c.url is not None:
        lines.append(f"  URL: {c.url.old} → {c.url.new}")
    lines += [f"  query {change_line(q)}" for q in c.query]
    lines += [f"  header {change_line(h)}" for h in c.request_headers]
    if not c.request_body.same:
        lines += [f"  body: {line}" for line in body_lines(c.request_body)]
    return lines


def render_text(c: Comparison) -> str:
    """What ``request-inspector compare`` prints: A is the reference, B the exchange being explained."""
    lines = [c.summary, "", f"A  {c.a.request_line}", f"   {c.a.status_line}", f"   {c.a.explanation}",
             f"B  {c.b.request_line}", f"   {c.b.status_line}", f"   {c.b.explanation}"]
    if c.findings_added or c.findings_removed:
        lines.append("Findings:")
        lines += [f"  + {f.text}  [{f.id}]" for f in c.findings_added]
        lines += [f"  - {f.text}  [{f.id}]" for f in c.findings_removed]
    request = _request_lines(c)
    lines += ["Request:"] + request if request else ["Request: the same."]
    lines.append("Response headers:" if c.response_headers else "Response headers: the same.")
    lines += [f"  {change_line(h)}" for h in c.response_headers]
    if c.volatile_headers:
        lines.append("  (not counted, they change on every answer: "
                     + ", ".join(dict.fromkeys(h.name for h in c.volatile_headers)) + ")")
    if c.timings:
        lines.append("Timing:")
        lines += [f"  {t.phase:<22} {t.old_text:>10} → {t.new_text:>10}  {t.change}".rstrip() for t in c.timings]
    lines.append("Body:")
    lines += [f"  {line}" for line in body_lines(c.body)]
    if not c.redacted:
        lines.append("Secrets are shown (--show-secrets).")
    return "\n".join(lines)


def comparison_sections(c: Comparison) -> list[Section]:
    """The comparison as report sections (Markdown / HTML), in the terminal's order."""
    status = Fields((("A", f"{c.a.status_line} — {c.a.explanation}"), ("B", f"{c.b.status_line} — {c.b.explanation}")))
    out = [Section("Summary", (Paragraph(c.summary),)),
           Section("Status", (Fields((("A request", c.a.request_line), ("B request", c.b.request_line))), status))]
    found = [f"appeared: {f.text} [{f.id}]" for f in c.findings_added]
    found += [f"disappeared: {f.text} [{f.id}]" for f in c.findings_removed]
    out.append(Section("Findings", (Bullets(tuple(found)),) if found else (Paragraph("The same findings."),)))
    request = _request_lines(c)
    out.append(Section("Request", (Preformatted("\n".join(r.strip() for r in request)),) if request
                       else (Paragraph("The same request."),)))
    blocks: list[Block] = [Bullets(tuple(change_line(h) for h in c.response_headers))] if c.response_headers \
        else [Paragraph("The same response headers.")]
    out.append(Section("Response headers", tuple(blocks)))
    if c.timings:
        out.append(Section("Timings", (Fields(tuple((t.phase, f"{t.old_text} → {t.new_text} {t.change}".strip())
                                                    for t in c.timings)),)))
    out.append(Section("Body", (Preformatted("\n".join(body_lines(c.body))),)))
    return out


def comparison_markdown(c: Comparison) -> str:
    return document_markdown(TITLE, comparison_sections(c))


def comparison_html(c: Comparison) -> str:
    return document_html(TITLE, comparison_sections(c))
