"""One presentation of a diagnosis: the texts the window, the CLI's text output and the triage report all show.

``present(diagnosis, now=...)`` builds a :class:`DiagnosisView` once; each face only lays its texts out (labels,
lines, Markdown/HTML), so the three cannot drift apart again. ``Diagnosis.to_json`` stays the machine contract;
this is the human one. Pure Python: no Qt, no I/O.

Wordings decided here (and nowhere else):
- status line "415 Unsupported Media Type · 38 ms · 96 B · HTTP/1.1" (the reason falls back to the documented
  status, HTTP/2 sends none; "· stopped: incomplete" when the body did not arrive whole);
- the explanation with its provenance (``DocumentedStatus.provenance``);
- the rate-limit sentence (``RateLimitInfo.describe``), with the reset as a moment when the answer's time is known;
- the Retry-After sentence "POST allowed again at 14:05:31 (a wait of 2:00 from the answer)", and the live
  countdown's "POST allowed again in 0:42 (at 14:05:31)";
- findings most severe first, request side before response side; timing phases and their labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from app.core.humanize import clock_duration, human_duration, human_moment, human_size, wall_clock
from app.core.models import Exchange, Finding
from app.core.retry_after import parse_http_date

if TYPE_CHECKING:  # a type only: the request editor's warning bar imports this module before the first paint
    from app.core.diagnosis import Diagnosis

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
TIMING_PHASES = (
    ("connect", "Connect"),
    ("tls", "TLS handshake"),
    ("request_sent", "Request sent"),
    ("first_byte", "Waiting (first byte)"),
    ("download", "Download"),
)
FREE_NOTICE = "POST allowed again"
REQUEST_ONLY = "A request only: nothing was sent, so there is no response to diagnose."


@dataclass(frozen=True)
class RetryView:
    """The response's Retry-After, as read at the moment of the answer."""

    raw: str  # the header value as sent
    seconds: float
    until: str  # the moment, e.g. "14:05:31" or "2024-05-14 09:32:00 UTC"
    sentence: str  # "POST allowed again at 14:05:31 (a wait of 2:00 from the answer)"
    note: str | None  # e.g. "The server asked to wait …; clamped to 1 day"


@dataclass(frozen=True)
class DiagnosisView:
    """What every face shows about one diagnosis. Texts are final; faces add only layout and marks."""

    request_line: str  # "POST https://api.example.com/orders"
    status_line: str  # "415 Unsupported Media Type · 38 ms · 96 B · HTTP/1.1" | "No response · 3.0 ms"
    status_code: int | None  # for colour: None when no whole response arrived
    answered: bool  # a response arrived (perhaps incomplete)
    explanation: str  # "“Too many requests”: Too many …" | the failure sentence | REQUEST_ONLY
    provenance: str  # "API documentation · Client" | "not in the API documentation · HTTP standard meaning" | ""
    documented_as: str | None  # "429 Too many requests"
    description: str | None  # the documentation's own sentence, without the status name
    section: str  # "Client" | "HTTP standard" | ""
    doc_note: str | None  # a documentation remark (the page's 204 erratum)
    api_message: str | None  # the body's Message/Description
    api_message_fields: tuple[tuple[str, str], ...]  # (path, value) it came from
    error: str | None  # the transport failure sentence
    error_detail: str  # the technical detail behind it ("" when none)
    retry: RetryView | None
    rate_limit: str | None  # "2 of 5 requests left; the limit resets at 14:05:31."
    findings: tuple[Finding, ...]  # most severe first, request before response
    notes: tuple[str, ...]
    started: str | None  # when the request was sent
    timings: tuple[tuple[str, str], ...]  # (phase, "38 ms") for measured phases, ("Total", …) last
    size: str | None  # the body's size, "1.5 KB"
    http_version: str | None

    @property
    def explanation_line(self) -> str:
        """The explanation followed by where it comes from."""
        return f"{self.explanation}   ({self.provenance})" if self.provenance else self.explanation


def ordered_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Most severe first, request side before response side; otherwise in the order found."""
    return tuple(sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.side != "request")))


def _at(moment: str) -> str:
    """ "at 14:05:31", but "after 9999-12-31 23:59:59" as it is (a moment beyond the calendar)."""
    return moment if moment.startswith(("after ", "before ", "unknown")) else f"at {moment}"


def countdown_sentence(remaining_s: float, until_epoch: float | None) -> str:
    """The live countdown: "POST allowed again in 0:42 (at 14:05:31)" (local time; "(at …)" only when known)."""
    text = f"{FREE_NOTICE} in {clock_duration(remaining_s)}"
    if until_epoch is not None:
        text += f" ({_at(wall_clock(until_epoch))})"
    return text


def answered_at(ex: Exchange, now: float) -> float | None:
    """When the response arrived (epoch seconds): the send's start plus its duration, else the Date header."""
    if ex.started_at is not None:
        return ex.started_at + (ex.timing.total or 0.0)
    date = ex.response.header("Date") if ex.response is not None else None
    return parse_http_date(date, now) if date else None


def _timings(ex: Exchange) -> tuple[tuple[str, str], ...]:
    t = ex.timing
    rows = [(label, human_duration(getattr(t, attr))) for attr, label in TIMING_PHASES
            if getattr(t, attr) is not None]
    if t.total is not None:
        rows.append(("Total", human_duration(t.total)))
    return tuple(rows)


def _retry(d: Diagnosis, now: float, utc: bool) -> RetryView | None:
    ra = d.retry_after
    if ra is None:
        return None
    until = human_moment(ra.until, now=now, utc=utc)
    sentence = f"{FREE_NOTICE} {_at(until)} (a wait of {clock_duration(ra.seconds)} from the answer)"
    return RetryView(ra.raw, ra.seconds, until, sentence, ra.note)


def _rate_limit(d: Diagnosis, now: float, utc: bool) -> str | None:
    rl = d.rate_limit
    if rl is None:
        return None
    at = answered_at(d.exchange, now)
    moment = None
    if at is not None and rl.reset_seconds is not None:
        moment = human_moment(at + rl.reset_seconds, now=now, utc=utc)
        if _at(moment) == moment:  # beyond the calendar: "resets in 30 s" reads better than "at after 9999-…"
            moment = None
    return rl.describe(reset_moment=moment)


def _head(d: Diagnosis) -> dict:
    """The status line and the explanation under it."""
    ex, resp, doc = d.exchange, d.exchange.response, d.documented
    total = human_duration(ex.timing.total) if ex.timing.total is not None else None
    if resp is None:
        err = ex.error
        return {"status_line": " · ".join(["No response"] + ([total] if total else [])), "status_code": None,
                "explanation": err.text if err else REQUEST_ONLY, "provenance": ""}
    reason = resp.reason or (doc.status if doc else "")
    size = resp.decoded_bytes if resp.decoded_bytes is not None else len(resp.body)
    parts = [f"{resp.status} {reason}".strip()] + ([total] if total else []) + [human_size(size), resp.http_version]
    if ex.error is not None:  # a response whose body did not arrive whole must not look like a clean 200
        parts.append(f"stopped: {ex.error.kind.replace('-', ' ')}")
    explanation, provenance = "", ""
    if doc is not None:
        named = doc.source == "api-docs" and doc.status.lower() != reason.lower()
        explanation = (f"“{doc.status}”: " if named else "") + doc.description
        provenance = doc.provenance
    return {"status_line": " · ".join(parts), "status_code": None if ex.error is not None else resp.status,
            "explanation": explanation, "provenance": provenance}


def present(diagnosis: Diagnosis, *, now: float, utc: bool = False) -> DiagnosisView:
    """The view of ``diagnosis``; moments are local (same-day ones as "14:05:31") or, with ``utc``, full UTC."""
    d = diagnosis
    ex, resp, doc, msg, err = d.exchange, d.exchange.response, d.documented, d.message, d.exchange.error
    size = None if resp is None else (resp.decoded_bytes if resp.decoded_bytes is not None else len(resp.body))
    return DiagnosisView(
        request_line=f"{ex.request.method} {ex.request.url}",
        answered=resp is not None,
        documented_as=None if doc is None else f"{doc.code} {doc.status}",
        description=None if doc is None else doc.description,
        section="" if doc is None else (doc.section or "HTTP standard"),
        doc_note=None if doc is None else doc.note,
        api_message=msg.text if msg is not None and msg.text else None,
        api_message_fields=() if msg is None else tuple(msg.fields),
        error=None if err is None else err.text,
        error_detail="" if err is None else (err.detail or err.kind),
        retry=_retry(d, now, utc),
        rate_limit=_rate_limit(d, now, utc),
        findings=ordered_findings(d.findings),
        notes=tuple(ex.notes),
        started=None if ex.started_at is None else human_moment(ex.started_at, now=now, utc=utc),
        timings=_timings(ex),
        size=None if size is None else human_size(size),
        http_version=None if resp is None else resp.http_version,
        **_head(d),
    )


def finding_headline(text: str) -> str:
    """A finding's sentence cut to its first clause, keeping the status the API answers for it ("… no Content-Type
    header. This API answers 415."), for places that show many at once (a warning bar, a table row); the whole
    sentence stays one hover or one click away."""
    for stop in ("; ", ". "):
        head, sep, rest = text.partition(stop)
        if sep and len(head) >= 20:
            answers = re.search(r"(this API answers|the server may answer) (\d{3})", rest)
            return head.rstrip(".") + "." + (f" {answers.group(1)[0].upper()}{answers.group(1)[1:]} "
                                             f"{answers.group(2)}." if answers else "")
    return text
