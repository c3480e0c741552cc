"""The one-line summary on top of a comparison: "415 instead of 201: the request lost its Content-Type header".

The status change comes first, then the most likely cause among the request's differences (method, URL, a header
lost, gained or changed, the query, the body), else the findings that appeared; when the status is the same, the
parts that differ are named.
"""

from __future__ import annotations

from app.core.compare.model import Change, Comparison, SideStatus


def _status(side: SideStatus) -> str:
    return side.status_line.split(" · ")[0]


def _short(side: SideStatus) -> str:
    return str(side.status_code) if side.status_code is not None else _status(side).lower()


def _header_cause(changes: tuple[Change, ...]) -> str | None:
    for kind, words in (("removed", "the request lost its {} header"), ("added", "the request gained a {} header"),
                        ("changed", "the request's {} header changed")):
        names = [c.name for c in changes if c.kind == kind]
        if names:
            text = words.format(names[0])
            return text + (f" (and {len(names) - 1} more)" if len(names) > 1 else "")
    return None


def _query_cause(changes: tuple[Change, ...]) -> str | None:
    if not changes:
        return None
    c = changes[0]
    verb = {"added": "was added", "removed": "was removed", "changed": "changed"}[c.kind]
    return f"the query parameter {c.name} {verb}" + (f" (and {len(changes) - 1} more)" if len(changes) > 1 else "")


def _cause(c: Comparison) -> str | None:
    if c.method is not None:
        return f"the method changed from {c.method.old} to {c.method.new}"
    if c.url is not None:
        return f"the URL changed to {c.url.new}"
    cause = _header_cause(c.request_headers) or _query_cause(c.query)
    if cause:
        return cause
    if not c.request_body.same:
        return "the request body changed"
    if c.findings_added:
        return f"new finding: {c.findings_added[0].text}"
    return None


def _differing_parts(c: Comparison) -> list[str]:
    parts = []
    if c.findings_added or c.findings_removed:
        parts.append(f"findings (+{len(c.findings_added)} −{len(c.findings_removed)})")
    if c.request_changed:
        parts.append("the request")
    if c.response_headers:
        parts.append(f"response headers ({len(c.response_headers)})")
    if not c.body.same:
        extra = f" ({c.body.total_changes} JSON change{'s' * (c.body.total_changes != 1)})" \
            if c.body.kind == "json" else ""
        parts.append("the response body" + extra)
    return parts


def summarize(c: Comparison) -> str:
    """One sentence for the top of the comparison."""
    if c.status_changed:
        head = f"{_short(c.b)} instead of {_short(c.a)}"
        cause = _cause(c)
        return f"{head}: {cause}" if cause else f"{head}, and the request was the same"
    if c.same:
        return f"No difference: {_status(c.b)} both times"
    cause = _cause(c)
    differing = ", ".join(_differing_parts(c))
    return f"Both {_status(c.b)}; different: {differing}" + (f" ({cause})" if cause else "")
