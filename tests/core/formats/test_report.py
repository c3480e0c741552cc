"""Triage reports (Markdown and HTML): contents, redaction, escaping, and one run over the real diagnosis."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from app.core.formats.report import triage_report_html, triage_report_markdown
from app.core.models import DocumentedStatus, Exchange, Finding, HttpRequest, HttpResponse, Timing, TransportError
from app.core.redact import REDACTED, Redaction

FIX = Path(__file__).parent / "fixtures"


def _diag(**over):  # type: ignore[no-untyped-def]
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
        message=SimpleNamespace(text="Too many requests"),
        findings=(Finding("retry-after-present", "info", "response", "Retry-After", "Wait 120 s before a POST."),),
        retry_after=SimpleNamespace(seconds=120.0, until=1715679120.0, raw="120", note=None),
        rate_limit=SimpleNamespace(limit=100, remaining=0, reset_seconds=60.0, policy=None, source="X-RateLimit"),
    )
    base.update(over)
    return SimpleNamespace(**base)


def test_markdown_contents() -> None:
    md = triage_report_markdown(_diag(), (Redaction("request header", "Authorization"),))
    assert md.startswith("# Request Inspector — triage report")
    for text in ("POST https://api.example.com/v1/orders", "429 Too Many Requests", "Too many requests within",
                 "Client", "API documentation", "Too many requests", "Wait 120 s before a POST", "2024-05-14 09:32:00 UTC",
                 "Remaining:** 0", "Total:** 150.0 ms", "Retry-After: 120", "imported from a HAR file",
                 '{"sku": "A-1"}'):
        assert text in md, text
    assert "s3cr3t" not in md and "t0k" not in md and REDACTED in md
    assert "Authorization (request header), token (query)" in md


def test_markdown_escapes_inline_but_not_code() -> None:
    md = triage_report_markdown(_diag(message=SimpleNamespace(text="use *bold* <b>x</b> | pipe")))
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
    assert "No response arrived. No answer within 30 s." in md and "No findings." in md
    assert "No timings were recorded" in md
    doc = DocumentedStatus(418, "I'm a Teapot", "Teapot.", "HTTP standard", "http-standard", note="erratum: 204")
    md = triage_report_markdown(_diag(documented=doc))
    assert "HTTP standard (not in the API documentation)" in md and "erratum: 204" in md


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
