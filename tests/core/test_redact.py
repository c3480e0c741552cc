"""Redaction: secret headers, query, userinfo, form and JSON fields; keep-list; nothing else touched."""

from __future__ import annotations

import json

import pytest

from app.core.models import Exchange, HttpRequest, HttpResponse
from app.core.redact import (REDACTED, Redaction, is_secret_header, is_secret_param, redact_exchange, redact_request,
                             redact_response, redact_url)


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
