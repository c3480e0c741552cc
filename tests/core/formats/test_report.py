"""Triage reports (Markdown and HTML): contents, redaction, escaping, and one run over the real diagnosis."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.core.diagnosis import Diagnosis
from app.core.formats.report import Bullets, Fields, Paragraph, Preformatted, sections, triage_report_html, \
    triage_report_markdown
from app.core.message import ApiMessage
from app.core.models import DocumentedStatus, Exchange, Finding, HttpRequest, HttpResponse, Timing, TransportError
from app.core.rate_limit import RateLimitInfo
from app.core.redact import REDACTED, Redaction
from app.core.retry_after import RetryAfter

FIX = Path(__file__).parent / "fixtures"


def msg(text: str) -> ApiMessage:
    return ApiMessage(text, (("Message", text),))


def _diag(**over) -> Diagnosis:
    ex = Exchange(
        HttpRequest("POST", "https://api.example.com/v1/orders?token=t0k", (("Authorization", "Bearer s3cr3t"),
                                                                           ("Content-Type", "application/json")),
                    b'{"sku": "A-1"}'),
        HttpResponse(429, "Too Many Requests", headers=(("Retry-After", "120"), ("X-Trace", "<script>x</script>")),
                     body=b'{"Message": "Too many requests"}'),
        Timing(connect=0.01, tls=0.02, first_byte=0.1, total=0.15), started_at=1715679000.0,
        notes=("imported from a HAR file",))
    base = dict(
        exchange=ex,
        documented=DocumentedStatus(429, "Too many requests", "Too many requests within the specified time slot.",
                                    "Client", "api-docs", note=None),
        message=msg("Too many requests"),
        findings=(Finding("retry-after-present", "info", "response", "Retry-After", "Wait 120 s before a POST."),),
        retry_after=RetryAfter(seconds=120.0, until=1715679120.0, raw="120", note=None),
        rate_limit=RateLimitInfo(limit=100, remaining=0, reset_seconds=60.0, policy=None, source="X-RateLimit"),
    )
    base.update(over)
    return Diagnosis(**base)


def test_markdown_contents() -> None:
    md = triage_report_markdown(_diag(), (Redaction("request header", "Authorization"),))
    assert md.startswith("# Request Inspector — triage report")
    for text in ("POST https://api.example.com/v1/orders", "429 Too Many Requests", "Too many requests within",
                 "API documentation · Client", "Too many requests", "Wait 120 s before a POST",
                 "POST allowed again at 2024-05-14 09:32:00 UTC (a wait of 2:00 from the answer)",
                 "0 of 100 requests left; the limit resets at 2024-05-14 09:31:00 UTC.", "Remaining:** 0",
                 "Total:** 150 ms", "Waiting (first byte):** 100 ms", "Started:** 2024-05-14 09:30:00 UTC",
                 "Retry-After: 120", "imported from a HAR file",
                 '{"sku": "A-1"}'):
        assert text in md, text
    assert "s3cr3t" not in md and "t0k" not in md and REDACTED in md
    assert "Authorization (request header), token (query)" in md


def test_markdown_escapes_inline_but_not_code() -> None:
    md = triage_report_markdown(_diag(message=msg("use *bold* <b>x</b> | pipe")))
    assert "use \\*bold\\* \\<b\\>x\\</b\\> \\| pipe" in md
    assert "X-Trace: <script>x</script>" in md  # inside a fenced block


def test_code_fence_longer_than_backticks_in_body() -> None:
    ex = _diag().exchange
    ex = Exchange(ex.request, HttpResponse(500, body=b"```\nnot the end\n```"))
    md = triage_report_markdown(_diag(exchange=ex, retry_after=None, rate_limit=None))
    assert "````text\n```\nnot the end\n```\n````" in md


def test_html_is_escaped_and_self_contained() -> None:
    page = triage_report_html(_diag())
    assert page.startswith("<!DOCTYPE html>") and "<meta charset=\"utf-8\">" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page.replace("https://api.example.com", "") and "<link" not in page and "src=" not in page
    assert "s3cr3t" not in page and "Bearer " + REDACTED in page


def test_redact_false_keeps_secrets() -> None:
    md = triage_report_markdown(_diag(), redact=False)
    assert "s3cr3t" in md and "Nothing was redacted." in md


def test_no_response_and_http_standard_source() -> None:
    ex = Exchange(HttpRequest("GET", "https://h/"), None, error=TransportError("timeout", "No answer within 30 s."))
    md = triage_report_markdown(_diag(exchange=ex, documented=None, message=None, findings=(), retry_after=None,
                                      rate_limit=None))
    assert "Status:** No response" in md and "No answer within 30 s." in md and "No findings." in md
    assert "Detail:** timeout" in md
    assert "No timings were recorded" in md
    doc = DocumentedStatus(418, "I'm a Teapot", "Teapot.", "HTTP standard", "http-standard", note="erratum: 204")
    md = triage_report_markdown(_diag(documented=doc))
    assert "not in the API documentation · HTTP standard meaning" in md and "erratum: 204" in md


def test_with_the_real_diagnosis() -> None:
    from app.core.catalog import load_default_catalog
    from app.core.diagnosis import diagnose
    from app.core.formats.raw_http import parse_raw

    imp = parse_raw((FIX / "exchange_log.txt").read_text())
    assert imp.request is not None
    diag = diagnose(Exchange(imp.request, imp.response), load_default_catalog(), now=1715679000.0)
    md = triage_report_markdown(diag)
    assert "Too many requests within the specified time slot" in md
    assert "Try again in 2 minutes" in md
    assert "eyJhbGciOiJIUzI1NiJ9.secret" not in md
    assert "Authorization (request header)" in md and "password (json field)" in md
    html_page = triage_report_html(diag)
    assert "Too many requests within the specified time slot" in html_page


def test_sections_are_typed_blocks_in_the_order_read() -> None:
    secs = sections(_diag(), (), now=1715679000.0)
    assert [s.title for s in secs] == ["Request", "Response", "Findings", "Retry-After", "Rate limit", "Timings",
                                       "Response headers and body", "Notes", "Redacted"]
    assert all(isinstance(b, (Paragraph, Fields, Bullets)) for s in secs for b in s.blocks)
    response = dict(row for b in secs[1].blocks if isinstance(b, Fields) for row in b.rows)
    assert response["Status"] == "429 Too Many Requests · 150 ms · 32 B · HTTP/1.1"  # the window's status line
    assert response["Source"] == "API documentation · Client"


def test_findings_most_severe_first_as_in_the_window() -> None:
    fs = (Finding("retry-after", "info", "response", "Retry-After", "Info."),
          Finding("request-missing-content-type", "error", "request", "Content-Type", "Error."))
    md = triage_report_markdown(_diag(findings=fs))
    assert md.index("ERROR (request, Content-Type)") < md.index("INFO (response, Retry-After)")


def test_an_incomplete_body_says_so_beside_the_status() -> None:
    ex = dataclasses.replace(_diag().exchange, error=TransportError("incomplete", "The body was cut short."))
    md = triage_report_markdown(_diag(exchange=ex))
    assert "stopped: incomplete" in md and "The body was cut short." in md


def test_redirect_notes_errors_findings_and_messages_are_redacted_in_both_reports() -> None:
    ex = dataclasses.replace(_diag().exchange,
                             notes=("Redirect 1: 307 from https://ann:PW-1@h/a?access_token=AT-2 to https://h/b.",),
                             error=TransportError("too-many-redirects", "Too many.", "last Location: /c?token=TK-3"))
    d = _diag(exchange=ex, message=msg("use sig=SG-4"),
              findings=(Finding("created-location", "info", "response", "Location", "At: /o/1?api_key=AK-5"),))
    for report in (triage_report_markdown(d), triage_report_html(d)):
        for secret in ("PW-1", "AT-2", "TK-3", "SG-4", "AK-5"):
            assert secret not in report
        assert "Redirect 1: 307 from https://ann:" in report


def test_keep_shows_only_the_chosen_value_everywhere() -> None:
    ex = dataclasses.replace(_diag().exchange, notes=("to https://h/b?token=NOTE-T&sig=NOTE-S",))
    report = triage_report_markdown(_diag(exchange=ex), keep=frozenset({"token"}))
    assert "NOTE-T" in report and "t0k" in report and "NOTE-S" not in report and "s3cr3t" not in report


def test_no_retry_after_section_where_the_status_has_nothing_to_do_with_waiting() -> None:
    ex = _diag().exchange
    plain = dataclasses.replace(ex, response=HttpResponse(404, "Not Found", headers=(), body=b"{}"))
    md = triage_report_markdown(_diag(exchange=plain, retry_after=None, rate_limit=None))
    assert "## Retry-After" not in md and "no usable Retry-After" not in md
    busy = dataclasses.replace(ex, response=HttpResponse(503, "Service Unavailable", headers=(), body=b""))
    assert "no usable Retry-After header" in triage_report_markdown(_diag(exchange=busy, retry_after=None))
    odd = dataclasses.replace(ex, response=HttpResponse(404, "Not Found", headers=(("Retry-After", "soon"),)))
    assert "no usable Retry-After header" in triage_report_markdown(_diag(exchange=odd, retry_after=None))
