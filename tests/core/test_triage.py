"""Detecting and loading what a customer sent (HAR, raw HTTP, curl) for offline diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.formats.errors import FormatError
from app.core.triage import TriageLoad, detect_format, load_exchanges, load_triage

FIXTURES = Path(__file__).parent / "formats" / "fixtures"


def test_formats_are_told_apart_by_content():
    assert detect_format((FIXTURES / "chrome_export.har").read_bytes()) == "har"
    assert detect_format((FIXTURES / "chrome_bash.txt").read_bytes()) == "curl"
    assert detect_format((FIXTURES / "exchange_log.txt").read_bytes()) == "raw"


def test_a_pasted_429_counts_retry_after_from_its_date_header():
    data = (
        b"HTTP/1.1 429 Too Many Requests\r\n"
        b"Date: Tue, 14 May 2024 09:30:00 GMT\r\n"
        b"Retry-After: 120\r\n"
        b"Content-Type: application/json\r\n"
        b"Content-Length: 27\r\n\r\n"
        b'{"Message": "Slow down..."}'
    )
    [item] = load_exchanges(data)
    diag = diagnose(item.exchange, load_default_catalog(), now=2_000_000_000.0, received_at=item.received_at)
    assert diag.documented.status == "Too many requests"
    assert diag.message.text == "Slow down..."
    # 09:30:00 + 120 s, whatever "now" is: the response's own Date is the reference
    assert diag.to_json()["retry_after"]["until"] == "2024-05-14T09:32:00Z"


def test_har_gives_one_exchange_per_entry_with_its_received_time():
    items = load_exchanges((FIXTURES / "chrome_export.har").read_bytes())
    assert len(items) >= 3
    assert all(i.label.startswith("#") for i in items)
    assert any(i.exchange.response is None for i in items)  # the blocked request stays visible


def test_a_curl_command_is_a_request_without_response():
    [item] = load_exchanges(b"curl 'https://api.example.com/x' -X POST --data-raw '{\"a\":1}'")
    assert item.exchange.response is None
    assert item.exchange.request.method == "POST"


@pytest.mark.parametrize("data", [b"", b"{", b'{"nolog": 1}', b"\x00\x01\x02", b"hello there"])
def test_garbage_gives_a_sentence(data):
    with pytest.raises(FormatError) as err:
        load_exchanges(data)
    assert str(err.value)


def test_json_that_is_not_a_har_says_why():
    with pytest.raises(FormatError, match="no \"log\" object.*not a Postman collection"):
        load_exchanges(b'{"nolog": 1}')
    with pytest.raises(FormatError, match="does not parse"):
        load_exchanges(b"{" * 100_000)  # nested deeper than the JSON reader goes: still a sentence


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_load_or_raise_format_error_only(data):
    try:
        load_exchanges(data)
    except FormatError:
        pass


def test_load_triage_diagnoses_every_entry_failures_first_then_file_order():
    result = load_triage((FIXTURES / "chrome_export.har").read_bytes(), "chrome_export.har", load_default_catalog(),
                         now=2_000_000_000.0)
    assert isinstance(result, TriageLoad) and result.name == "chrome_export.har" and result.warnings == ()
    assert [(r.number, r.failed) for r in result.rows] == [(1, True), (3, True), (2, False), (4, False)]
    first, blocked = result.rows[0], result.rows[1]
    assert (first.host, first.path) == ("api.example.com", "/v1/orders?access_token=tok_1")
    assert first.diagnosis.documented.status == "Too many requests"
    assert blocked.imported.exchange.response is None and blocked.diagnosis.exchange is blocked.imported.exchange


def test_load_triage_of_a_request_only_file_is_one_failed_row_and_keeps_the_reader_notes():
    result = load_triage(b"curl 'https://h.test' --frobnicate", "c.txt", load_default_catalog(), now=0.0)
    [row] = result.rows
    assert row.failed and row.path == "/" and row.host == "h.test"
    assert result.warnings and all(isinstance(w, str) for w in result.warnings)
    with pytest.raises(FormatError):
        load_triage(b"hello there", "x.txt", load_default_catalog(), now=0.0)


def test_every_kind_the_window_imports_loads_for_triage():
    assert detect_format((FIXTURES / "orders.postman_collection.json").read_bytes()) == "postman"
    assert detect_format((FIXTURES / "orders.http").read_bytes()) == "http"
    postman = load_exchanges((FIXTURES / "orders.postman_collection.json").read_bytes())
    http = load_exchanges((FIXTURES / "orders.http").read_bytes(), "orders.http")
    assert postman and http and all(i.exchange.response is None for i in postman + http)


def test_never_sent_requests_get_request_side_findings():
    data = b"curl https://api.example.com/orders -X POST --data-binary '{\"a\": 1}' -H 'Content-Type:'"
    result = load_triage(data, "x.sh", load_default_catalog(), now=2_000_000_000.0)
    [row] = result.rows
    assert row.diagnosis.exchange.response is None
    assert "request-missing-content-type" in {f.id for f in row.diagnosis.findings}


def test_a_http_file_with_a_variable_bomb_loads_quickly_with_a_note():
    import time

    start = time.perf_counter()
    [item] = load_exchanges((FIXTURES / "variable_bomb.http").read_bytes(), "bomb.http")
    assert time.perf_counter() - start < 2.0
    assert any("'a'" in w and "not filled in" in w for w in item.warnings)


def test_an_openapi_document_is_refused_with_a_pointer_to_api_docs():
    with pytest.raises(FormatError) as info:
        load_exchanges(b'{"openapi": "3.1.0", "info": {"title": "x"}, "paths": {}}', "api.json")
    assert "OpenAPI document" in str(info.value) and "--api-docs" in str(info.value)
