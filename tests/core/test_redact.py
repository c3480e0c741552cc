"""Redaction: secret headers, query, userinfo, form and JSON fields; keep-list; nothing else touched."""

from __future__ import annotations

import json

import pytest

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, TransportError
from app.core.redact import (REDACTED, Redaction, is_secret_header, is_secret_param, redact_diagnosis,
                             redact_exchange, redact_request, redact_response, redact_text, redact_url)


@pytest.mark.parametrize("name, secret", [
    ("Authorization", True), ("proxy-authorization", True), ("COOKIE", True), ("Set-Cookie", True),
    ("X-Api-Key", True), ("Api-Key", True), ("X-Auth-Token", True), ("X-Client-Secret", True), ("Stripe-Key", True),
    ("Content-Type", False), ("Accept", False), ("X-Request-Id", False), ("Keep-Alive", False),
])
def test_is_secret_header(name: str, secret: bool) -> None:
    assert is_secret_header(name) is secret


@pytest.mark.parametrize("name, secret", [
    ("token", True), ("access_token", True), ("accessToken", True), ("API_KEY", True), ("apikey", True),
    ("client_secret", True), ("password", True), ("passwd", True), ("sig", True), ("session", True),
    ("refresh-token", True), ("page", False), ("sort", False), ("user", False), ("monkey", False),
])
def test_is_secret_param(name: str, secret: bool) -> None:
    assert is_secret_param(name) is secret


def test_request_redaction_everywhere() -> None:
    req = HttpRequest("POST", "https://ann:pw@h/x?page=2&token=abc&api_key=k#frag",
                      (("Authorization", "Bearer eyJ.x.y"), ("Cookie", "sid=1; theme=dark"), ("Accept", "*/*"),
                       ("Content-Type", "application/x-www-form-urlencoded")),
                      b"user=ann&password=hunter2&n=1")
    out, reds = redact_request(req)
    assert out.url == f"https://ann:{REDACTED}@h/x?page=2&token={REDACTED}&api_key={REDACTED}#frag"
    assert out.header("Authorization") == f"Bearer {REDACTED}"
    assert out.header("Cookie") == f"sid={REDACTED}; theme={REDACTED}"
    assert out.header("Accept") == "*/*"
    assert out.body == f"user=ann&password={REDACTED}&n=1".encode()
    assert [r.label() for r in reds] == ["ann (url credentials)", "token (query)", "api_key (query)",
                                         "Authorization (request header)", "Cookie (request header)",
                                         "password (form field)"]


def test_json_body_nested() -> None:
    body = json.dumps({"user": {"name": "ann", "password": "x", "tokens": [{"refresh_token": "r"}]}, "n": 1}).encode()
    req = HttpRequest("POST", "https://h", (("Content-Type", "application/json"),), body)
    out, reds = redact_request(req)
    data = json.loads(out.body or b"")
    assert data == {"user": {"name": "ann", "password": REDACTED, "tokens": [{"refresh_token": REDACTED}]}, "n": 1}
    assert Redaction("json field", "password") in reds


def test_non_json_and_binary_bodies_untouched() -> None:
    for body in (b"\xff\xfe password=1", b"{not json", b"plain text password=x"):
        req = HttpRequest("POST", "https://h", (("Content-Type", "text/plain"),), body)
        assert redact_request(req)[0].body == body


def test_keep_list() -> None:
    req = HttpRequest("GET", "https://h/?token=t", (("Authorization", "Basic abc"), ("X-Api-Key", "k")))
    out, reds = redact_request(req, keep=frozenset({"authorization", "TOKEN"}))
    assert out.url == "https://h/?token=t" and out.header("Authorization") == "Basic abc"
    assert out.header("X-Api-Key") == REDACTED and reds == (Redaction("request header", "X-Api-Key"),)


def test_response_and_exchange() -> None:
    resp = HttpResponse(200, headers=(("Set-Cookie", "sid=abc; Path=/; HttpOnly"), ("Content-Type", "application/json")),
                        body=b'{"access_token": "zzz", "expires_in": 3600}')
    out, reds = redact_response(resp)
    assert out.header("Set-Cookie") == f"sid={REDACTED}; Path=/; HttpOnly"
    assert b"zzz" not in out.body and b"3600" in out.body
    ex, all_reds = redact_exchange(Exchange(HttpRequest("GET", "https://h/?sig=1"), resp))
    assert ex.request.url == f"https://h/?sig={REDACTED}"
    assert {r.where for r in all_reds} == {"query", "response header", "json field"}


def test_url_without_secrets_is_unchanged() -> None:
    for url in ("https://h/x?a=1&b", "https://h", "https://user@h/p?q=%20", "not a url ? token"):
        assert redact_url(url) == (url, ())


# --- the one table, from both sides ---------------------------------------------------------------------------

MUST_REDACT_HEADERS = ("Authorization", "Proxy-Authorization", "Authentication", "Token", "Api_Key", "API-KEY",
                       "X-Api-Key", "x_auth_token", "Cookie", "Set-Cookie", "X-Amz-Security-Token", "Private-Token")
MUST_NOT_REDACT_HEADERS = ("Access-Control-Allow-Credentials", "Access-Control-Allow-Headers",
                           "Access-Control-Expose-Headers", "Access-Control-Request-Headers", "Sec-WebSocket-Key",
                           "Idempotency-Key", "WWW-Authenticate", "Content-Type", "X-Request-Id", "Cache-Control")


@pytest.mark.parametrize("name", MUST_REDACT_HEADERS)
def test_must_redact_header(name: str) -> None:
    assert is_secret_header(name)
    out, reds = redact_response(HttpResponse(200, headers=((name, "sid=s3cr3t-value"),)))
    assert "s3cr3t-value" not in out.headers[0][1] and reds


@pytest.mark.parametrize("name", MUST_NOT_REDACT_HEADERS)
def test_must_not_redact_header(name: str) -> None:
    value = "true" if name.endswith("Credentials") else "Authorization, X-Api-Key, Token"
    assert not is_secret_header(name)
    out, reds = redact_response(HttpResponse(200, headers=((name, value),)))
    assert out.headers == ((name, value),) and reds == ()


@pytest.mark.parametrize("url, hidden, kept", [
    ("https://h/cb#access_token=AT123&token_type=bearer", "AT123", "token_type=bearer"),
    ("https://user:p@ss@h/x", "p@ss", "user:"),  # the last "@" ends the userinfo
    ("https://user:p%40ss:x@h:8443/x?q=1", "p%40ss", "h:8443/x?q=1"),
    ("https://h/x?refresh-token=RT&page=2", "RT", "page=2"),
])
def test_url_secret_parts_hidden(url: str, hidden: str, kept: str) -> None:
    out, reds = redact_url(url)
    assert hidden not in out and kept in out and reds


@pytest.mark.parametrize("header", ["Location", "Content-Location", "Referer"])
def test_url_headers_lose_secret_query_values_only(header: str) -> None:
    resp = HttpResponse(302, headers=((header, "https://h/cb?state=xyz&access_token=AT1&token=T2#id_token=IT3"),))
    out, reds = redact_response(resp)
    value = out.header(header) or ""
    assert "AT1" not in value and "T2" not in value and "IT3" not in value
    assert value.startswith("https://h/cb?state=xyz&access_token=")
    assert {r.name for r in reds} == {"access_token", "token", "id_token"}


def test_referer_of_a_request_is_redacted() -> None:
    out, _ = redact_request(HttpRequest("GET", "https://h/", (("Referer", "/back?token=RT9"),)))
    assert "RT9" not in (out.header("Referer") or "")


def test_json_secrets_inside_lists_and_objects() -> None:
    body = json.dumps({"password": ["pw1", "pw2"], "credentials": {"user": "u1", "n": 3}, "ids": [1, 2]}).encode()
    out, reds = redact_request(HttpRequest("POST", "https://h", (("Content-Type", "application/json"),), body))
    data = json.loads(out.body or b"")
    assert data == {"password": [REDACTED, REDACTED], "credentials": {"user": REDACTED, "n": REDACTED}, "ids": [1, 2]}


def test_multipart_fields_named_like_secrets() -> None:
    body = (b"--B1\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\nann\r\n"
            b"--B1\r\nContent-Disposition: form-data; name=\"client_secret\"\r\n\r\nCS-42\r\n"
            b"--B1\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n\xff\x00\r\n--B1--\r\n")
    req = HttpRequest("POST", "https://h", (("Content-Type", 'multipart/form-data; boundary="B1"'),), body)
    out, reds = redact_request(req)
    assert b"CS-42" not in (out.body or b"") and b"ann" in (out.body or b"") and b"\xff\x00" in (out.body or b"")
    assert reds == (Redaction("form field", "client_secret"),)
    assert (out.body or b"").count(b"--B1") == 4  # the framing is intact


@pytest.mark.parametrize("text, secret", [
    ("Redirect 1: 307 from http://ann:pw9@127.0.0.1:8080/a?access_token=AT7 to http://127.0.0.1:9/b.", "AT7"),
    ("Redirect 1: 307 from http://ann:pw9@127.0.0.1:8080/a to /b.", "pw9"),
    ("last Location: /again?token=TK1", "TK1"),
    ("X-Api-Key: 'KEY-1\\n'", "KEY-1"),
    ('The server said {"password": "hunter2"}', "hunter2"),
    ("sent Authorization: Bearer abcdef123456", "abcdef123456"),
    ("a token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl in text", "eyJzdWIiOiIxIn0"),
])
def test_free_text_must_redact(text: str, secret: str) -> None:
    out, reds = redact_text(text)
    assert secret not in out and reds


@pytest.mark.parametrize("text", [
    "Redirect 1: 302 from http://127.0.0.1:8080/a?page=2 to http://127.0.0.1:8080/b.",
    "Access-Control-Allow-Headers: Authorization, X-Api-Key",
    "Access-Control-Allow-Credentials: true",
    "You typed Content-Length: 100 but the body is 12 bytes; the HTTP library cannot send a wrong length.",
    "Authorization, Cookie were not sent to http://127.0.0.1:9 because it is a different origin.",
    "Cookies sid, lang set by the 302 response of http://a.test were not sent to http://b.test: a cookie from a "
    "redirect goes back only to the origin that set it.",
])
def test_free_text_must_not_redact(text: str) -> None:
    assert redact_text(text) == (text, ())


def test_exchange_notes_and_error_are_redacted() -> None:
    ex = Exchange(HttpRequest("GET", "https://h/?token=Q1"), None,
                  error=TransportError("too-many-redirects", "Too many.", "last Location: /x?access_token=Q2"),
                  notes=("Redirect 1: 302 from https://u:Q3@h/ to https://h/?sig=Q4.",))
    out, reds = redact_exchange(ex)
    shown = repr(out)
    for secret in ("Q1", "Q2", "Q3", "Q4"):
        assert secret not in shown
    assert any(r.where == "note" for r in reds)


def test_keep_applies_to_notes_too() -> None:
    ex = Exchange(HttpRequest("GET", "https://h/"), None, notes=("to https://h/?token=Q5",))
    out, _ = redact_exchange(ex, keep=frozenset({"token"}))
    assert out.notes == ("to https://h/?token=Q5",)


def test_diagnosis_message_and_findings_are_redacted() -> None:
    resp = HttpResponse(201, headers=(("Location", "/orders/1?access_token=LOC1"), ("Content-Type", "application/json")),
                        body=b'{"Message": "retry with token=MSG1"}')
    d = diagnose(Exchange(HttpRequest("POST", "https://h/orders"), resp), load_default_catalog(), 0.0)
    out, _ = redact_diagnosis(d)
    shown = json.dumps(out.to_json()) + repr(out.findings) + repr(out.message)
    assert "LOC1" not in shown and "MSG1" not in shown


@pytest.mark.parametrize("body", [
    b'{"access_token": "S3CRETv4lue9", "n": 2',  # cut short
    b'{"n": 1}\n{"password": "S3CRETv4lue9"}\n',  # NDJSON
    b'[{"note": "Authorization: Bearer S3CRETv4lue9"},',
])
def test_json_that_does_not_parse_is_redacted_as_text(body) -> None:
    for ctype in ("application/json", None):
        headers = (("Content-Type", ctype),) if ctype else ()
        out, reds = redact_response(HttpResponse(200, "OK", headers=headers, body=body))
        assert b"S3CRETv4lue9" not in out.body and REDACTED.encode() in out.body and reds
    untouched = b'{"n": 1, "note": "x"'
    assert redact_response(HttpResponse(200, headers=(("Content-Type", "application/json"),), body=untouched)
                           )[0].body == untouched


@pytest.mark.parametrize("unit", ["a-", "a.", "a+"])
def test_redact_text_is_linear_on_long_runs_of_scheme_characters(unit):
    """A 120 KB `Link: a-a-a-…` header took 26 s: at every letter the URL scheme scanned to the end of the run."""
    import time

    def cost(n: int) -> float:
        text = "Link: " + unit * n
        best = float("inf")
        for _ in range(3):  # the best of three: a GC pause or a busy machine must not read as quadratic growth
            start = time.perf_counter()
            assert redact_text(text)[0] == text
            best = min(best, time.perf_counter() - start)
        return best

    small = cost(20_000)  # 40 KB: 3 s when it was quadratic, so the 400 KB run (5 minutes then) is not tried
    assert small < 0.5, small
    large = cost(200_000)
    assert large < small * 30 + 0.1, (small, large)  # 10x the text: about 10x the time; quadratic would be 100x


def test_urls_after_a_non_scheme_character_or_with_a_long_scheme_are_still_read():
    text = "see(https://u:pw@h/a?access_token=abc) _ftp://h/?api_key=k x-y.https://h/?token=t"
    out, _ = redact_text(text)
    assert "pw@" not in out and "abc" not in out and "=k" not in out and "=t" not in out


def test_a_body_that_echoes_the_request_is_redacted_too():
    """An echo server's answer (the practice server's /echo, httpbin's /anything) repeats the request's secrets as
    header pairs, a target URL and the body as a string: a saved HAR and the triage report carried them all."""
    import json as json_module

    echoed = json_module.dumps({
        "target": "/echo?access_token=QRYtok7x1m4p&page=1",
        "headers": [["Authorization", "Bearer HDRtok9f3k2q"], ["Cookie", "sid=CKEtok5v8n2w"],
                    ["X-Api-Key", "KEYtok2j7h4r"], ["Accept", "application/json"]],
        "body": json_module.dumps({"user": "ann", "password": "PWDtok3c6b9z"}),
    }).encode()
    from app.core.redact import redact_body

    out, found = redact_body(echoed, "application/json")
    for secret in (b"QRYtok7x1m4p", b"HDRtok9f3k2q", b"CKEtok5v8n2w", b"KEYtok2j7h4r", b"PWDtok3c6b9z"):
        assert secret not in out, secret
    doc = json_module.loads(out)
    assert doc["headers"][3] == ["Accept", "application/json"] and "page=1" in doc["target"]  # the rest stays
    assert "ann" in doc["body"] and found
