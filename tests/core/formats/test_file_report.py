"""The report of a whole HAR file: a summary of every entry, each failing entry's sections, redacted throughout."""

from __future__ import annotations

import time
from pathlib import Path

from app.core.catalog import load_default_catalog
from app.core.formats import file_report
from app.core.formats.file_report import file_report_html, file_report_markdown
from app.core.formats.har import to_har
from app.core.models import Exchange, HttpRequest, HttpResponse
from app.core.triage import load_triage

CHROME = Path(__file__).parent / "fixtures" / "chrome_export.har"


def _rows(data: bytes, name: str = "chrome_export.har"):
    return load_triage(data, name, load_default_catalog(), time.time()).rows


def test_summary_lists_every_entry_and_details_only_the_failures() -> None:
    md = file_report_markdown("chrome_export.har", _rows(CHROME.read_bytes()))
    assert md.startswith("# Request Inspector — report of chrome\\_export.har")
    assert "| \\# | Method | Path | Status | Documented status | Findings |" in md
    for row in ("| 2 | GET | /pixel.png | 200 | OK | 0 |", "| 4 | POST | /v1/login | 204 | No Content | 0 |",
                "| 3 | GET | /collect?id=1 | — | No response (browser) | 0 |"):
        assert row in md, row
    assert "4 entries, 2 failed" in md
    assert "## Entry \\#1: POST /v1/orders" in md and "## Entry \\#3: GET /collect" in md
    assert "## Entry \\#2" not in md and "## Entry \\#4" not in md  # successes are in the table only
    assert md.count("### Request") == 2 and md.count("## Redacted") == 1 and md.count("Summary") == 1


def test_whole_file_report_is_redacted_like_the_single_one() -> None:
    rows = _rows(CHROME.read_bytes())
    for text in (file_report_markdown("c.har", rows), file_report_html("c.har", rows)):
        assert "tok_1" not in text  # in the URL, the summary's path and HTTP/2's :path pseudo-header
        assert "access_token (query)" in text.replace("\\_", "_") and "authorization (request header)" in text
    kept = file_report_markdown("c.har", rows, keep=frozenset({"access_token"}))
    assert "tok_1" in kept


def test_html_escapes_what_the_file_says() -> None:
    ex = Exchange(HttpRequest("GET", "http://api.test/<script>?q=1"),
                  HttpResponse(500, "<b>Boom</b>", headers=(("Content-Type", "text/html"),), body=b"<img src=x>"))
    page = file_report_html("<evil>.har", _rows(to_har([ex]).encode(), "<evil>.har"))
    assert "<script>" not in page and "<b>Boom" not in page and "<img" not in page and "<evil>" not in page
    assert "<table " in page and "<td>" in page and "&lt;evil&gt;.har" in page


def test_many_failures_are_listed_but_only_the_first_written_out(monkeypatch) -> None:
    monkeypatch.setattr(file_report, "MAX_DETAILED", 3)
    exs = [Exchange(HttpRequest("GET", f"http://api.test/items/{n}"), HttpResponse(404, "Not Found"))
           for n in range(5)]
    md = file_report_markdown("many.har", _rows(to_har(exs).encode(), "many.har"))
    assert md.count("| GET | /items/") == 5 and md.count("## Entry") == 3
    assert "the other 2 are in the table only" in md


def test_a_file_without_failures_says_so() -> None:
    ex = Exchange(HttpRequest("GET", "http://api.test/ok"), HttpResponse(200, "OK"))
    md = file_report_markdown("ok.har", _rows(to_har([ex]).encode(), "ok.har"))
    assert "No entry failed" in md and "## Entry" not in md
