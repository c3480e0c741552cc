"""One truth, three faces: the diagnosis of an exchange, shared by the GUI, the CLI and the importers.

CONTRACT:
    @dataclass(frozen=True) class Diagnosis:
        exchange: Exchange
        documented: DocumentedStatus | None       # None when no response arrived
        message: ApiMessage | None                # the body's Message/Description (or problem title/detail)
        findings: tuple[Finding, ...]
        retry_after: RetryAfter | None
        rate_limit: RateLimitInfo | None
        def to_json(self) -> dict                 # the `diagnose --json` object (a public contract)
    def diagnose(exchange: Exchange, catalog: ApiDocs, now: float, *,
                 typed_request: HttpRequest | None = None, received_at: float | None = None) -> Diagnosis
        # typed_request: what the user typed (request findings are about it; e.g. a wrong Content-Length the
        #   transport had to correct); defaults to exchange.request.
        # received_at: when the response arrived (Retry-After counts from it); defaults to the response's Date
        #   header for an imported exchange (exchange.started_at is None), else `now`.
        # catalog: a markdown StatusCatalog or an OpenApiCatalog (app.core.api_docs.ApiDocs); the latter explains
        #   per operation, adds its findings, and reads the message through the documented error schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core import retry_after as retry
from app.core.api_docs import ApiDocs
from app.core.findings import request_findings, response_findings
from app.core.message import SEPARATOR, ApiMessage, extract_message
from app.core.models import DocumentedStatus, Exchange, Finding, HttpRequest
from app.core.rate_limit import RateLimitInfo, parse_rate_limit


@dataclass(frozen=True)
class Diagnosis:
    exchange: Exchange
    documented: DocumentedStatus | None
    message: ApiMessage | None
    findings: tuple[Finding, ...]
    retry_after: retry.RetryAfter | None
    rate_limit: RateLimitInfo | None
    typed_request: HttpRequest | None = None

    def to_json(self) -> dict:
        ex = self.exchange
        req = ex.request
        resp = ex.response
        return {
            "request": {
                "method": req.method,
                "url": req.url,
                "headers": [[k, v] for k, v in req.headers],
            },
            "response": None
            if resp is None
            else {
                "status": resp.status,
                "reason": resp.reason,
                "http_version": resp.http_version,
                "headers": [[k, v] for k, v in resp.headers],
                "body_bytes": resp.decoded_bytes if resp.decoded_bytes is not None else len(resp.body),
            },
            "documented": None if self.documented is None else self.documented.to_json(),
            "message": None if self.message is None else self.message.text,
            "findings": [f.to_json() for f in self.findings],
            "retry_after": None if self.retry_after is None else retry.to_json(self.retry_after),
            "timing": ex.timing.to_json(),
            "error": None if ex.error is None else ex.error.to_json(),
            "notes": list(ex.notes),
        }


def _received_at(exchange: Exchange, now: float, received_at: float | None) -> float:
    if received_at is not None:
        return received_at
    resp = exchange.response
    if exchange.started_at is None and resp is not None:
        date = resp.header("Date")
        parsed = retry.parse_http_date(date, now) if date else None
        if parsed is not None:
            return parsed
    return now


def _dedupe(findings: list[Finding]) -> tuple[Finding, ...]:
    seen: set[tuple[str, str, str]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.id, f.side, f.header)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return tuple(out)


def _beyond_the_docs(message: ApiMessage | None, documented: DocumentedStatus) -> ApiMessage | None:
    """The body's words minus a part that only repeats the documentation page (shown right above it anyway)."""
    if message is None or len(message.fields) < 2:
        return message
    doc = documented.description.strip().casefold()
    kept = [value for _, value in message.fields if value.strip().casefold() != doc]
    if not kept or len(kept) == len(message.fields):
        return message
    return ApiMessage(SEPARATOR.join(dict.fromkeys(kept)), message.fields)


def diagnose(
    exchange: Exchange,
    catalog: ApiDocs,
    now: float,
    *,
    typed_request: HttpRequest | None = None,
    received_at: float | None = None,
) -> Diagnosis:
    """Explain an exchange: the documented status, the body's message, header findings, Retry-After state."""
    typed = typed_request if typed_request is not None else exchange.request
    findings: list[Finding] = list(request_findings(typed, catalog=catalog))
    resp = exchange.response
    explained = catalog.explain(typed, resp)
    findings.extend(explained.findings)
    if resp is None or explained.documented is None:
        return Diagnosis(exchange, None, None, _dedupe(findings), None, None, typed_request)

    at = _received_at(exchange, now, received_at)
    findings.extend(response_findings(exchange.request, resp, at, catalog=catalog))
    documented = explained.documented
    found = extract_message(resp.body, resp.header("Content-Type")) or explained.message
    message = _beyond_the_docs(found, documented)
    raw_retry = resp.header("Retry-After")
    retry_after = retry.parse_retry_after(raw_retry, at) if raw_retry is not None else None
    rate_limit = parse_rate_limit(resp.headers, at)
    return Diagnosis(exchange, documented, message, _dedupe(findings), retry_after, rate_limit, typed_request)
