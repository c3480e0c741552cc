"""The one presentation of a diagnosis, over the real diagnosis engine and the shipped catalog."""

from __future__ import annotations

import json
import time

import pytest

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.humanize import human_moment
from app.core.models import Exchange, Finding, HttpRequest, HttpResponse, Timing, TransportError
from app.core.presentation import (
    REQUEST_ONLY,
    countdown_sentence,
    ordered_findings,
    present,
)
from app.core.rate_limit import RateLimitInfo

URL = "http://127.0.0.1:8080/orders"
NOW = 1_700_000_000.0
TIMING = Timing(connect=0.002, request_sent=0.001, first_byte=0.03, download=0.005, total=0.038)


@pytest.fixture(scope="module")
def catalog():
    return load_default_catalog()


def diag(catalog, status, reason="", headers=(), body=b"", *, request=None, started_at=NOW, error=None, **kw):
    resp = HttpResponse(status, reason, headers=tuple(headers), body=body, **kw)
    req = request or HttpRequest("POST", URL, (("Content-Length", "2"),), b"{}")
    ex = Exchange(req, resp, TIMING, error=error, started_at=started_at)
    return diagnose(ex, catalog, NOW, received_at=NOW)


def test_415_status_line_explanation_message_and_findings(catalog):
    body = json.dumps({"Message": "No media type."}).encode()
    v = present(diag(catalog, 415, "Unsupported Media Type", [("Content-Type", "application/json")], body),
                now=NOW)
    assert v.request_line == f"POST {URL}"
    assert v.status_line == f"415 Unsupported Media Type · 38 ms · {len(body)} B · HTTP/1.1"
    assert v.status_code == 415 and v.answered
    assert v.explanation.endswith("Content-Type header is missing or wrong.")
    assert v.provenance == "API documentation · Client"
    assert v.explanation_line == f"{v.explanation}   (API documentation · Client)"
    assert v.documented_as == "415 Unsupported Media Type" and v.section == "Client"
    assert v.api_message == "No media type." and v.api_message_fields
    assert v.findings[0].id == "request-missing-content-type"
    assert v.timings == (("Connect", "2.0 ms"), ("Request sent", "1.0 ms"), ("Waiting (first byte)", "30 ms"),
                         ("Download", "5.0 ms"), ("Total", "38 ms"))
    assert v.size == f"{len(body)} B" and v.http_version == "HTTP/1.1"


def test_the_documented_name_is_said_only_when_it_differs_from_the_reason(catalog):
    v = present(diag(catalog, 429, "Too Many Requests", [("Content-Type", "text/plain")], b"x"), now=NOW)
    assert not v.explanation.startswith("“")  # same words, other case
    v = present(diag(catalog, 429, "Slow Down", [("Content-Type", "text/plain")], b"x"), now=NOW)
    assert v.explanation.startswith("“Too many requests”: ")
    v = present(diag(catalog, 429, "", [("Content-Type", "text/plain")], b"x", http_version="HTTP/2"), now=NOW)
    assert v.status_line.startswith("429 Too many requests · ")  # HTTP/2 sends no reason


def test_undocumented_status_says_so(catalog):
    v = present(diag(catalog, 418, "I'm a Teapot", [("Content-Type", "text/plain")], b"x"), now=NOW)
    assert v.provenance == "not in the API documentation · HTTP standard meaning"
    assert v.section == "HTTP standard" and v.api_message is None


def test_no_response_incomplete_body_and_request_only(catalog):
    ex = Exchange(HttpRequest("GET", URL), None, Timing(total=0.003),
                  error=TransportError("refused", "The server refused the connection.", "Errno 111"))
    v = present(diagnose(ex, catalog, NOW), now=NOW)
    assert v.status_line == "No response · 3.0 ms" and v.status_code is None and not v.answered
    assert v.explanation_line == "The server refused the connection." and v.error_detail == "Errno 111"
    stopped = TransportError("incomplete", "The body was cut short.")
    v = present(diag(catalog, 200, "OK", [("Content-Type", "text/plain")], b"012", error=stopped), now=NOW)
    assert v.status_line.endswith("· stopped: incomplete") and v.status_code is None
    assert v.error == "The body was cut short." and v.error_detail == "incomplete"
    v = present(diagnose(Exchange(HttpRequest("GET", URL), None), catalog, NOW), now=NOW)
    assert v.status_line == "No response" and v.explanation == REQUEST_ONLY and v.timings == ()


def test_retry_after_and_rate_limit_read_as_moments(catalog):
    d = diag(catalog, 429, "Too Many Requests",
             [("Retry-After", "120"), ("RateLimit-Limit", "5"), ("RateLimit-Remaining", "0"),
              ("RateLimit-Reset", "40")], b"")
    v = present(d, now=NOW)
    at = human_moment(NOW + 120, now=NOW)
    assert v.retry is not None and v.retry.raw == "120" and v.retry.until == at
    assert v.retry.sentence == f"POST allowed again at {at} (a wait of 2:00 from the answer)"
    reset = human_moment(NOW + 0.038 + 40, now=NOW)
    assert v.rate_limit == f"0 of 5 requests left; the limit resets at {reset}."
    utc = present(d, now=NOW, utc=True)
    assert utc.retry.until == "2023-11-14 22:15:20 UTC" and utc.started == "2023-11-14 22:13:20 UTC"


def test_rate_limit_reset_without_a_known_answer_time_stays_relative(catalog):
    d = diag(catalog, 200, "OK", [("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", "0"),
                                  ("X-RateLimit-Reset", "40")], b"", started_at=None)
    assert present(d, now=NOW).rate_limit == "0 of 5 requests left; the limit resets in 40 s."
    # the same sentence the response-rate-limit finding (and so diagnose --json) carries
    info = RateLimitInfo(5, 0, 40.0, None, "X-RateLimit")
    assert info.describe() == present(d, now=NOW).rate_limit


def test_findings_most_severe_first_request_before_response():
    fs = [Finding("a", "info", "request", "X", "."), Finding("b", "warning", "response", "X", "."),
          Finding("c", "warning", "request", "X", "."), Finding("d", "error", "response", "X", ".")]
    assert [f.id for f in ordered_findings(fs)] == ["d", "c", "b", "a"]


def test_countdown_sentence_matches_the_story():
    until = time.mktime((2024, 5, 6, 14, 5, 31, 0, 0, -1))  # local time
    assert countdown_sentence(42, until) == "POST allowed again in 0:42 (at 14:05:31)"
    assert countdown_sentence(41.2, None) == "POST allowed again in 0:42"


def test_moments_beyond_the_calendar_and_absurd_sizes_read_as_words(catalog):
    """A Date in year 9999 plus a wait, a HAR time of 1e300 ms: short words, no "at after", no 300-digit numbers."""
    end_of_time = 253402300799.0  # 9999-12-31 23:59:59 UTC
    resp = HttpResponse(429, "Too Many Requests", headers=(("Retry-After", "120"), ("RateLimit-Remaining", "0"),
                                                          ("RateLimit-Reset", "60")), body=b"x" * 3,
                        decoded_bytes=10**300)
    ex = Exchange(HttpRequest("POST", URL), resp, Timing(total=1e297, first_byte=float("inf")), started_at=None)
    v = present(diagnose(ex, catalog, NOW, received_at=end_of_time), now=NOW)
    assert v.retry is not None and v.retry.sentence.startswith("POST allowed again after 9999-12-31 23:59:59")
    assert "more than 1024 PB" in v.status_line and "more than 10,000 days" in v.status_line
    assert all(len(value) < 40 for _, value in v.timings) and "inf" not in str(v.timings)
    assert v.rate_limit is not None and "at after" not in v.rate_limit
    assert countdown_sentence(30, 1e300) == "POST allowed again in 0:30 (after 9999-12-31 23:59:59)"


def test_a_finding_headline_is_its_first_clause_and_the_status_the_api_answers():
    from app.core.presentation import finding_headline

    long = ('The request has a body of 18 bytes but no Content-Type header; this API answers 415 "Unsupported '
            'Media Type" ("Content-Type header is missing or wrong") when Content-Type is missing. Add one.')
    assert finding_headline(long) == "The request has a body of 18 bytes but no Content-Type header. This API answers 415."
    assert finding_headline("Short; x") == "Short; x"  # too short to cut
