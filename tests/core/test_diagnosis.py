"""The one diagnosis function behind the GUI, the CLI and the importers (pure: exchanges built by hand)."""

from __future__ import annotations

import json

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing, TransportError

CATALOG = load_default_catalog()
JSON_415 = b'{"Message": "Unsupported media type", "Description": "Send application/json."}'


def response(status=415, headers=(("Content-Type", "application/json"),), body=JSON_415, **kw) -> HttpResponse:
    hdrs = tuple(headers) + (("Content-Length", str(len(body))),)
    return HttpResponse(status, "x", "HTTP/1.1", hdrs, body, wire_bytes=len(body), framing="content-length", **kw)


def test_json_shape_is_the_contract():
    ex = Exchange(HttpRequest("POST", "http://h/orders", (("Content-Length", "2"),), b"{}"), response(), Timing(total=0.1))
    out = diagnose(ex, CATALOG, 1000.0).to_json()
    assert set(out) >= {"request", "response", "documented", "message", "findings", "retry_after", "timing", "error"}
    assert set(out["request"]) == {"method", "url", "headers"}
    assert set(out["response"]) == {"status", "reason", "http_version", "headers", "body_bytes"}
    assert set(out["documented"]) >= {"code", "status", "description", "section", "source"}
    assert out["documented"]["source"] == "api-docs" and out["documented"]["status"] == "Unsupported Media Type"
    assert out["message"].startswith("Unsupported media type")
    assert {"id", "severity", "side", "header", "text"} == set(out["findings"][0])
    json.dumps(out)  # serialisable as is


def test_request_findings_are_about_what_was_typed():
    typed = HttpRequest("POST", "http://h/x", (("Content-Type", "application/json"), ("Content-Length", "100")), b"{}")
    sent = HttpRequest("POST", "http://h/x", (("Content-Type", "application/json"), ("Content-Length", "2")), b"{}")
    ex = Exchange(sent, response(201, body=b"{}"))
    ids_typed = {f.id for f in diagnose(ex, CATALOG, 0.0, typed_request=typed).findings}
    ids_sent = {f.id for f in diagnose(ex, CATALOG, 0.0).findings}
    assert "request-content-length-mismatch" in ids_typed
    assert "request-content-length-mismatch" not in ids_sent


def test_no_response_means_no_documented_status_but_the_error_and_request_findings():
    req = HttpRequest("POST", "http://h/x", (), b'{"a": 1}')
    ex = Exchange(req, None, error=TransportError("refused", "The server refused the connection."))
    d = diagnose(ex, CATALOG, 0.0)
    assert d.documented is None and d.message is None and d.retry_after is None
    assert d.to_json()["error"] == {"kind": "refused", "text": "The server refused the connection."}
    assert [f.id for f in d.findings] == ["request-missing-content-type"]


def test_imported_response_counts_retry_after_from_its_date_but_a_live_one_from_now():
    headers = (("Content-Type", "application/json"), ("Retry-After", "60"), ("Date", "Tue, 14 May 2024 09:30:00 GMT"))
    resp = response(429, headers=headers)
    imported = diagnose(Exchange(HttpRequest("POST", "http://h/x"), resp), CATALOG, now=2e9)
    assert imported.to_json()["retry_after"]["until"] == "2024-05-14T09:31:00Z"
    live = diagnose(Exchange(HttpRequest("POST", "http://h/x"), resp, started_at=2e9), CATALOG, now=2e9)
    assert live.retry_after.until == 2e9 + 60


def test_the_204_erratum_travels_with_the_diagnosis():
    resp = HttpResponse(204, "No Content", "HTTP/1.1", (), b"", wire_bytes=0, framing="none")
    d = diagnose(Exchange(HttpRequest("DELETE", "http://h/orders/1"), resp), CATALOG, 0.0)
    assert d.documented.status == "No Content" and d.documented.note
    assert not [f for f in d.findings if f.severity != "info"]


def test_the_api_message_does_not_repeat_the_documentation_line():
    body = b'{"Message": "No Content-Type; send application/json.", "Description": "Content-Type header is missing or wrong."}'
    d = diagnose(Exchange(HttpRequest("POST", "http://h/x"), response(body=body)), CATALOG, 0.0)
    assert d.message.text == "No Content-Type; send application/json."
    assert len(d.message.fields) == 2  # where each part came from is kept
    other = b'{"Message": "Bad type.", "Description": "Use JSON."}'
    d = diagnose(Exchange(HttpRequest("POST", "http://h/x"), response(body=other)), CATALOG, 0.0)
    assert d.message.text == "Bad type. — Use JSON."
