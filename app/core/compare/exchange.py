"""Compare two diagnosed exchanges: what a person asks when "it worked yesterday; what is different now?".

``compare(a, b, now=...)`` returns a :class:`Comparison` of reference ``a`` and exchange ``b``: the status and the
API's documented meaning on each side (app.core.presentation's texts, the same the window shows), findings that
appeared or disappeared, request differences (method, URL, query, headers as sent: case-insensitive, in order),
response headers, timings per phase, and the bodies (app.core.compare.body). Secrets are masked on both sides with
app.core.redact unless ``show_secrets``; a secret that changed still shows as changed ("a different secret value")
without its value. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence
from urllib.parse import unquote_plus

from app.core.compare.body import compare_bodies
from app.core.compare.model import BodyDiff, Change, Comparison, SideStatus, TimingChange
from app.core.diagnosis import Diagnosis
from app.core.humanize import human_duration, human_size
from app.core.models import Exchange, Headers, HttpResponse
from app.core.presentation import TIMING_PHASES, DiagnosisView, present
from app.core.redact import REDACTED, is_secret_param, mask_header_value, redact_diagnosis, redact_url

# Response headers that differ on every answer: listed apart and not counted as a difference.
VOLATILE_HEADERS = frozenset({"date", "age", "expires", "x-request-id", "request-id", "x-correlation-id",
                              "traceparent", "tracestate", "server-timing", "x-runtime", "x-response-time",
                              "cf-ray", "x-amzn-requestid", "x-amz-request-id", "x-amz-id-2"})

Shown = Callable[[str, str], str]


def pair_changes(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]], shown: Shown) -> list[Change]:
    """Added / removed / changed names (case-insensitive) in order of first appearance; repeated names compared
    value by value in wire order. ``shown(name, value)`` is what a value looks like on screen (masked)."""
    order: list[str] = []
    groups: tuple[dict[str, tuple[str, list[str]]], dict[str, tuple[str, list[str]]]] = ({}, {})
    for side, pairs in zip(groups, (old, new)):
        for name, value in pairs:
            low = name.lower()
            if low not in groups[0] and low not in groups[1]:
                order.append(low)
            side.setdefault(low, (name, []))[1].append(value)
    out: list[Change] = []
    for low in order:
        a_name, a_values = groups[0].get(low, ("", []))
        b_name, b_values = groups[1].get(low, ("", []))
        name = b_name or a_name
        for i in range(max(len(a_values), len(b_values))):
            o = a_values[i] if i < len(a_values) else None
            n = b_values[i] if i < len(b_values) else None
            if o == n:
                continue
            so = None if o is None else shown(name, o)
            sn = None if n is None else shown(name, n)
            note = "a different secret value" if so is not None and so == sn else ""
            out.append(Change(name, so, sn, note))
    return out


def _split_url(url: str) -> tuple[str, list[tuple[str, str]]]:
    """(the URL up to the query, the query's name/value pairs as typed); the fragment is never sent."""
    base, _, query = url.partition("#")[0].partition("?")
    pairs = [(p.partition("=")[0], p.partition("=")[2]) for p in query.split("&") if p]
    return base, pairs


def _query_value(show_secrets: bool) -> Shown:
    """Query values as shown: secret ones masked, judged by the decoded name (access%5Ftoken is access_token), as
    redact_url judges them."""
    return (lambda _n, v: v) if show_secrets else (
        lambda n, v: REDACTED if is_secret_param(unquote_plus(n)) and v else v)


def _header_value(show_secrets: bool) -> Shown:
    return (lambda _n, v: v) if show_secrets else mask_header_value


def _side(v: DiagnosisView) -> SideStatus:
    explanation = v.explanation_line if v.answered else v.explanation
    return SideStatus(v.status_line, v.status_code, v.documented_as, explanation, v.request_line)


def _timings(a: Exchange, b: Exchange) -> tuple[TimingChange, ...]:
    out = []
    for attr, label in (*TIMING_PHASES, ("total", "Total")):
        old, new = getattr(a.timing, attr), getattr(b.timing, attr)
        if old is None and new is None:
            continue
        change = ""
        if old is not None and new is not None:
            delta = new - old
            change = ("+" if delta >= 0 else "−") + human_duration(abs(delta))
        out.append(TimingChange(label, old, new, human_duration(old), human_duration(new), change))
    return tuple(out)


def _kept_note(resp: HttpResponse | None, side: str) -> tuple[str, ...]:
    if resp is None or not resp.body_truncated:
        return ()
    return (f"Only the first {human_size(len(resp.body))} of {side}'s body were kept; the rest is not compared.",)


def _response_body(a: Exchange, b: Exchange, redact: bool) -> BodyDiff:
    ra, rb = a.response, b.response
    if ra is None or rb is None:
        notes = ("One side has no response.",) if (ra is None) != (rb is None) else ()
        return compare_bodies(None if ra is None else ra.body, None if rb is None else rb.body, notes=notes,
                              redact=redact)
    notes = _kept_note(ra, "A") + _kept_note(rb, "B")
    return compare_bodies(ra.body, rb.body, ra.header("Content-Type"), rb.header("Content-Type"), notes,
                          redact=redact)


def _without_bodies(d: Diagnosis) -> Diagnosis:
    """``d`` for its status line and texts: bodies dropped (their size kept), so redacting it costs nothing even
    for a body of tens of MB (the bodies are compared, and masked, apart)."""
    ex, resp = d.exchange, d.exchange.response
    if resp is not None:
        resp = replace(resp, body=b"", decoded_bytes=resp.decoded_bytes if resp.decoded_bytes is not None
                       else len(resp.body))
    return replace(d, exchange=replace(ex, request=replace(ex.request, body=None), response=resp))


def _response_headers(a: Exchange, b: Exchange, shown: Shown) -> tuple[list[Change], list[Change]]:
    ha: Headers = a.response.headers if a.response is not None else ()
    hb: Headers = b.response.headers if b.response is not None else ()
    changes = pair_changes(ha, hb, shown)
    return ([c for c in changes if c.name.lower() not in VOLATILE_HEADERS],
            [c for c in changes if c.name.lower() in VOLATILE_HEADERS])


def compare(a: Diagnosis, b: Diagnosis, *, now: float, show_secrets: bool = False) -> Comparison:
    """How exchange ``b`` differs from reference ``a``, most important first."""
    from app.core.compare.summary import summarize

    light_a, light_b = _without_bodies(a), _without_bodies(b)
    if not show_secrets:
        light_a, light_b = redact_diagnosis(light_a)[0], redact_diagnosis(light_b)[0]
    va, vb = present(light_a, now=now), present(light_b, now=now)
    ids_a, ids_b = {f.id for f in a.findings}, {f.id for f in b.findings}
    qa, qb = a.exchange.request, b.exchange.request
    method = None if qa.method.upper() == qb.method.upper() else Change("method", qa.method, qb.method)
    (base_a, query_a), (base_b, query_b) = _split_url(qa.url), _split_url(qb.url)
    url = None
    if base_a != base_b:
        url = Change("url", *(u if show_secrets else redact_url(u)[0] for u in (base_a, base_b)))
    headers = _header_value(show_secrets)
    response_headers, volatile = _response_headers(a.exchange, b.exchange, headers)
    ea, eb, redact = a.exchange, b.exchange, not show_secrets
    parts = dict(
        a=_side(va), b=_side(vb),
        findings_added=tuple(f for f in vb.findings if f.id not in ids_a),
        findings_removed=tuple(f for f in va.findings if f.id not in ids_b),
        method=method, url=url,
        query=tuple(pair_changes(query_a, query_b, _query_value(show_secrets))),
        request_headers=tuple(pair_changes(qa.headers, qb.headers, headers)),
        request_body=compare_bodies(ea.request.body, eb.request.body, ea.request.header("Content-Type"),
                                    eb.request.header("Content-Type"), redact=redact),
        response_headers=tuple(response_headers), volatile_headers=tuple(volatile),
        timings=_timings(a.exchange, b.exchange), body=_response_body(ea, eb, redact), redacted=redact,
    )
    draft = Comparison(summary="", **parts)
    return Comparison(summary=summarize(draft), **parts)
