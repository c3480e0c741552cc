"""Findings the document makes possible, and a diagnosis explained by an OpenAPI document."""

from __future__ import annotations

import json

from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse

from tests.core.openapi.openapi_support import catalog

PETS = "http://petstore.swagger.io/v1/pets"
JSON = (("Content-Type", "application/json"),)


def ids(explanation) -> set[str]:
    return {f.id for f in explanation.findings}


def test_an_undocumented_status_is_a_finding_and_the_standard_meaning_follows():
    c = catalog("cycles-3.1.json")
    e = c.explain(HttpRequest("GET", "https://eu.trees.example/api/v2/trees/latest"), HttpResponse(503))
    assert ids(e) == {"response-status-undocumented"}
    assert "getLatestTree does not document 503 (it documents 200)" in e.findings[0].text
    assert e.documented.source == "http-standard" and e.documented.status == "Service Unavailable"


def test_a_request_body_type_the_operation_does_not_take():
    c = catalog("petstore-variables.yaml")
    url = "http://petstore.swagger.io/v2/pets/7/photo"  # server variable {version} with enum v1, v2
    req = HttpRequest("POST", url, (("Content-Type", "application/xml"),), b"<p/>")
    found = c.explain(req, None)
    assert [f.id for f in found.findings] == ["request-content-type-undocumented"]
    assert "createPetPhotoById takes image/*, not application/xml" in found.findings[0].text
    assert c.explain(HttpRequest("POST", url, (("Content-Type", "image/png"),), b"\x89PNG"), None).findings == ()
    assert c.explain(HttpRequest("POST", url), None).findings == ()  # no body, nothing to say


def test_a_required_header_query_or_cookie_parameter_missing():
    c = catalog("cycles-3.1.json")
    e = c.explain(HttpRequest("GET", "https://eu.trees.example/api/v2/trees/oak"), None)
    assert [(f.id, f.header) for f in e.findings] == [("request-parameter-missing", "X-Tenant")]
    present = HttpRequest("GET", "https://eu.trees.example/api/v2/trees/oak", (("x-tenant", "t1"),))
    assert c.explain(present, None).findings == ()
    c2 = catalog("petstore-variables.yaml")
    e = c2.explain(HttpRequest("GET", "http://petstore.swagger.io/v1/pets?page=2"), None)
    assert [(f.id, f.header) for f in e.findings] == [("request-parameter-missing", "limit")]
    assert "listPets requires the query parameter limit" in e.findings[0].text
    assert c2.explain(HttpRequest("GET", "http://petstore.swagger.io/v1/pets?limit="), None).findings == ()
    post = HttpRequest("POST", "http://petstore.swagger.io/v1/pets", (("Cookie", "userdata=1"),))
    assert [f.header for f in c2.explain(post, None).findings] == ["api-key", "user"]


def test_a_body_that_breaks_the_schema_names_the_pointer_and_the_rule():
    c = catalog("cycles-3.1.json")
    req = HttpRequest("GET", "https://eu.trees.example/api/v2/trees/oak", (("X-Tenant", "t"),))
    body = {"name": "root", "note": None, "children": [{"name": "a", "children": [{"name": 7}]}]}
    e = c.explain(req, HttpResponse(200, "OK", headers=JSON, body=json.dumps(body).encode()))
    (f,) = e.findings
    assert f.id == "response-schema-mismatch"
    assert "at /children/0/children/0/name the rule 'type' fails: 7 is not of type 'string'" in f.text
    good = {"name": "root", "children": [{"name": "a", "parent": {"name": "root"}}]}
    assert c.explain(req, HttpResponse(200, "OK", headers=JSON, body=json.dumps(good).encode())).findings == ()
    e = c.explain(req, HttpResponse(200, "OK", headers=JSON, body=b"{not json"))
    assert "it is not JSON" in e.findings[0].text


def test_30_nullable_is_honoured_and_multi_file_schemas_are_checked():
    c = catalog("petstore-separate/spec/openapi.yaml")
    bad = HttpResponse(200, "OK", headers=JSON, body=b'[{"id": 1}]')
    (f,) = c.explain(HttpRequest("GET", PETS), bad).findings
    assert "at /0 the rule 'required' fails: 'name' is a required property" in f.text
    assert c.explain(HttpRequest("GET", PETS), HttpResponse(200, "OK", headers=JSON, body=b'[{"id": 1, "name": "Rex"}]')
                     ).findings == ()


def test_a_response_type_not_documented_for_the_status():
    c = catalog("petstore.yaml")
    e = c.explain(HttpRequest("GET", PETS), HttpResponse(200, "OK", headers=(("Content-Type", "text/html"),), body=b"<h1>hi"))
    assert ids(e) == {"response-content-type-undocumented"}
    assert "listPets documents application/json for 200, not text/html" in e.findings[0].text


def test_the_error_message_comes_from_the_documented_schemas_fields():
    c = catalog("cycles-3.1.json")
    req = HttpRequest("GET", "https://eu.trees.example/api/v2/trees/oak", (("X-Tenant", "t"),))
    resp = HttpResponse(403, "Forbidden", headers=JSON, body=b'{"reason_text": "Tenant t may not read oak.", "code": 12}')
    d = diagnose(Exchange(req, resp), c, 0.0)
    assert d.message.text == "Tenant t may not read oak." and d.message.fields[0][0] == "reason_text"
    assert d.documented.source == "openapi" and d.documented.section == "getTree"
    assert d.documented.description == "The tree request was refused." and "range 4XX" in d.documented.note
    assert d.to_json()["documented"]["source"] == "openapi"


def test_a_body_with_message_keeps_the_usual_reading():
    c = catalog("petstore.yaml")
    resp = HttpResponse(500, "Internal Server Error", headers=JSON, body=b'{"code": 5, "message": "Database down."}')
    d = diagnose(Exchange(HttpRequest("GET", PETS), resp), c, 0.0)
    assert d.message.text == "Database down." and d.documented.description == "unexpected error"
    assert {f.id for f in d.findings}.isdisjoint({"response-schema-mismatch", "response-status-undocumented"})


def test_an_unmatched_request_is_explained_by_the_standard_with_a_note():
    c = catalog("petstore.yaml")
    d = diagnose(Exchange(HttpRequest("GET", "http://petstore.swagger.io/v1/owners"), HttpResponse(404)), c, 0.0)
    assert d.documented.source == "http-standard" and "no operation for GET /v1/owners" in d.documented.note


def test_real_large_documents_check_without_errors():
    c = catalog("github.json.gz")
    req = HttpRequest("GET", "https://api.github.com/repos/o/r/issues/1")
    resp = HttpResponse(404, "Not Found", headers=JSON, body=b'{"message": "Not Found", "documentation_url": "https://x"}')
    d = diagnose(Exchange(req, resp), c, 0.0)
    assert d.documented.section == "issues/get" and d.documented.source == "openapi"
    assert not [f for f in d.findings if f.id in ("findings-unavailable", "response-schema-mismatch")]
    bad = HttpResponse(404, "Not Found", headers=JSON, body=b'{"message": 404}')
    assert "response-schema-mismatch" in {f.id for f in c.explain(req, bad).findings}


def test_openapi_30_nullable_allows_null_and_only_there():
    from app.core.openapi.catalog import OpenApiCatalog

    doc = {"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": {
            "maybe": {"type": "string", "nullable": True}, "never": {"type": "string"}}}}}}}}}}}
    c = OpenApiCatalog.from_bytes(json.dumps(doc).encode(), "a.json")
    req = HttpRequest("GET", "http://h/a")
    assert c.explain(req, HttpResponse(200, "OK", headers=JSON, body=b'{"maybe": null}')).findings == ()
    (f,) = c.explain(req, HttpResponse(200, "OK", headers=JSON, body=b'{"never": null}')).findings
    assert "at /never the rule 'type' fails" in f.text


def test_schema_findings_name_pointer_and_rule_without_quoting_values_that_may_be_secrets():
    """jsonschema quotes the body's value ('S3CRETv4lue9' is too long) as a Python repr that text redaction cannot
    see; a finding is printed, exported and shown, so only values that cannot be credentials are quoted."""
    from app.core.openapi.catalog import OpenApiCatalog

    secret = "S3CRETv4lue9"
    props = {"access_token": {"type": "string", "maxLength": 8}, "note": {"type": "string", "pattern": "^a"},
             "pin": {"type": "string", "maxLength": 2}, "n": {"type": "integer", "maximum": 3},
             "nested": {"type": "array"}, "tag": {"enum": ["a", "b"]}}
    doc = {"openapi": "3.0.3", "paths": {"/a": {"get": {"responses": {"200": {
        "description": "ok", "content": {"application/json": {"schema": {"type": "object", "properties": props}}}}}}}}}
    c = OpenApiCatalog.from_bytes(json.dumps(doc).encode(), "a.json")
    req = HttpRequest("GET", "http://h/a")

    def finding(body: dict) -> str:
        (f,) = c.explain(req, HttpResponse(200, "OK", headers=JSON, body=json.dumps(body).encode())).findings
        assert f.id == "response-schema-mismatch"
        return f.text

    text = finding({"access_token": secret})
    assert secret not in text
    assert "at /access_token the rule 'maxLength' fails: the value is longer than 8 characters." in text
    assert secret not in finding({"note": f"token {secret}"}) and "does not match the pattern '^a'" in \
        finding({"note": f"token {secret}"})
    assert "1234" not in finding({"pin": "1234"})  # short, but under a secret-named key
    assert secret not in finding({"nested": {"password": secret}})  # a whole object is never quoted
    assert "the value is not of type 'array'" in finding({"nested": {"password": secret}})
    assert secret not in finding({"tag": secret}) and "the value is not one of ['a', 'b']" in finding({"tag": secret})
    assert "at /n the rule 'maximum' fails: 7 is greater than the maximum of 3" in finding({"n": 7})  # harmless
    assert "'x' is not one of ['a', 'b']" in finding({"tag": "x"})


def test_an_enum_error_message_stays_short_however_large_the_enum():
    """jsonschema writes the whole enum into its message: an enum YAML aliases expand to millions of strings hung
    the checks. The enum (and const) is written with a bounded repr."""
    from app.core.openapi.catalog import OpenApiCatalog
    from app.core.openapi.checks import _validator

    enum = [[f"v{i}-{j}" for j in range(100)] for i in range(2000)]
    doc = {"openapi": "3.1.0", "paths": {}}
    c = OpenApiCatalog.from_bytes(json.dumps(doc).encode(), "a.json")
    (err,) = _validator(c.document, "a.json", {"enum": enum}).iter_errors("zz")
    assert len(err.message) < 1000 and err.message.startswith("'zz' is not one of [[")
    (err,) = _validator(c.document, "a.json", {"const": {"k": enum}}).iter_errors("zz")
    assert len(err.message) < 1000
