"""Import: an OpenAPI document's operations as .http files, its first server as base_url, secrets as placeholders."""

from __future__ import annotations

import json

from app.core.http_text import lift_secrets, read_http_text
from app.core.openapi.catalog import OpenApiCatalog
from app.core.openapi.sample import sample
from app.core.openapi.to_http import EnvVariable, to_http_files

from tests.core.openapi.openapi_support import catalog


def _only_request(text: str):
    drafts, notes = read_http_text(text)
    assert len(drafts) == 1, notes
    return drafts[0][1]


def test_petstore_becomes_one_file_per_operation_in_a_folder_per_tag():
    imp = to_http_files(catalog("petstore.yaml"))
    assert imp.title == "Swagger Petstore"
    assert sorted(imp.files) == ["pets/createPets.http", "pets/listPets.http", "pets/showPetById.http"]
    assert imp.variables == (EnvVariable("base_url", "http://petstore.swagger.io/v1"),)
    text = imp.files["pets/showPetById.http"]
    assert "GET {{base_url}}/pets/{{petId}}" in text and "@petId = " in text
    draft = _only_request(text)
    assert draft.method == "GET" and draft.url == "{{base_url}}/pets/"  # the file's @petId is empty until edited


def test_github_every_operation_parses_back_and_a_body_comes_from_the_example():
    cat = catalog("github.json.gz")
    imp = to_http_files(cat)
    assert len(imp.files) == len(cat.operations) == 1078
    assert all(len(read_http_text(t)[0]) == 1 for t in imp.files.values())
    draft = _only_request(imp.files["repos/repos-create-in-org.http"])
    assert (draft.method, draft.url) == ("POST", "{{base_url}}/orgs//repos")
    assert json.loads(draft.raw_text)["name"] == "Hello-World"  # the operation's own example
    assert imp.variables[0] == EnvVariable("base_url", "https://api.github.com")


def test_stripe_basic_auth_is_a_secret_placeholder_and_form_bodies_are_generated():
    cat = catalog("stripe.json.gz")
    imp = to_http_files(cat)
    assert len(imp.files) == len(cat.operations) == 588
    assert EnvVariable("basic_credentials", "", secret=True) in imp.variables
    text = imp.files["untagged/PostAccountLinks.http"]
    assert "Authorization: Basic {{basic_credentials}}" in text
    assert lift_secrets(text) == (text, {})  # a placeholder is not a secret to lift
    body = text.split("\n\n")[-1]
    assert "type=account_onboarding" in body and "Content-Type: application/x-www-form-urlencoded" in text
    assert "GET {{base_url}}/v1/account\n" in imp.files["untagged/GetAccount.http"]  # its empty optional body: none
    assert any("multipart/form-data" in n for n in imp.notes)


def test_cycles_are_bounded_and_skipped_operations_are_named():
    imp = to_http_files(catalog("cycles-3.1.json"))
    assert sum("Skipped" in n for n in imp.notes) == 2
    text = imp.files["untagged/getNodeAs.http"]
    assert "@nodeId = " in text and "@format = " in text  # template variables the document did not declare


DOC = {
    "openapi": "3.1.0", "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://{region}.shop.example/v{major}",
                 "variables": {"region": {"default": "eu"}, "major": {"default": "2"}}}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                            "key": {"type": "apiKey", "in": "query", "name": "key"},
                            "hdr": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        "schemas": {"Node": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "id": {"type": "integer", "readOnly": True},
            "when": {"type": ["string", "null"], "format": "date-time"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}},
    "security": [{"bearer": []}],
    "paths": {
        "/nodes/{id}": {"put": {"operationId": "putNode", "tags": ["nodes"],
                                "parameters": [{"name": "id", "in": "path", "required": True, "example": 7},
                                               {"name": "dry-run", "in": "query", "required": True,
                                                "schema": {"type": "boolean", "default": False}},
                                               {"name": "page", "in": "query", "schema": {"type": "integer"}}],
                                "requestBody": {"content": {"application/json": {
                                    "schema": {"$ref": "#/components/schemas/Node"}}}},
                                "responses": {"200": {"description": "ok"}}}},
        "/keys": {"get": {"operationId": "keys", "security": [{"key": [], "hdr": []}],
                          "responses": {"200": {"description": "ok"}}},
                  "post": {"operationId": "open", "security": [], "responses": {"200": {"description": "ok"}}}},
    },
}


def test_parameters_auth_and_a_generated_body_from_a_recursive_schema():
    imp = to_http_files(OpenApiCatalog.from_bytes(json.dumps(DOC).encode(), "shop.json"))
    assert imp.variables == (EnvVariable("base_url", "https://eu.shop.example/v2"),
                             EnvVariable("token", "", True), EnvVariable("api_key", "", True),
                             EnvVariable("api_key_hdr", "", True))
    draft = _only_request(imp.files["nodes/putNode.http"])
    assert draft.url == "{{base_url}}/nodes/7?dry-run=false"
    assert ("Authorization", "Bearer {{token}}") in [(h.name, h.value) for h in draft.headers]
    body = json.loads(draft.raw_text)
    assert body == {"name": "string", "when": "2024-01-01T00:00:00Z", "children": []}  # cycle cut, readOnly id out
    keys = imp.files["untagged/keys.http"]
    assert "GET {{base_url}}/keys?key={{api_key}}" in keys and "X-Api-Key: {{api_key_hdr}}" in keys
    assert "Authorization" not in imp.files["untagged/open.http"]  # security: [] opts out


def test_sample_is_deterministic_and_never_raises_on_a_broken_reference():
    cat = OpenApiCatalog.from_bytes(json.dumps(DOC).encode(), "shop.json")
    node = {"$ref": "#/components/schemas/Node"}
    assert sample(cat.document, node) == sample(cat.document, node)
    assert sample(cat.document, {"$ref": "#/components/schemas/Gone"}) is None
    assert sample(cat.document, {"allOf": [{"properties": {"a": {"enum": ["x"]}}}, {"properties": {"b": {}}}]}) == {
        "a": "x", "b": None}
