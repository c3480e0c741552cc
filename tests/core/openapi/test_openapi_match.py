"""Matching a request to its operation: servers with variables, base paths, template specificity, large documents."""

from __future__ import annotations

import time

from app.core.openapi.match import Matcher
from app.core.openapi.operations import Operation

from tests.core.openapi.openapi_support import catalog


def ops(*pairs: tuple[str, str]) -> list[Operation]:
    return [Operation(method=m, template=t, operation_id=f"{m} {t}") for m, t in pairs]


def test_the_most_specific_template_wins_whatever_the_order_in_the_document():
    m = Matcher(ops(("GET", "/pets/{id}"), ("GET", "/pets/mine"), ("GET", "/pets/{id}.json"),
                    ("GET", "/{kind}/{id}/toys")), [{"url": "/"}])
    assert m.match("GET", "http://h/pets/mine").operation.template == "/pets/mine"
    assert m.match("GET", "http://h/pets/7.json").operation.template == "/pets/{id}.json"
    hit = m.match("GET", "http://h/pets/7")
    assert hit.operation.template == "/pets/{id}" and hit.path_params == {"id": "7"}
    assert m.match("GET", "http://h/pets/7/toys").path_params == {"kind": "pets", "id": "7"}


def test_a_literal_dead_end_falls_back_to_the_variable_branch():
    m = Matcher(ops(("GET", "/a/b/c"), ("GET", "/a/{x}/d")), None)
    assert m.match("GET", "http://h/a/b/d").operation.template == "/a/{x}/d"


def test_server_variables_with_an_enum_and_a_base_path():
    c = catalog("cycles-3.1.json")
    hit = c.match("GET", "https://us.trees.example/api/v2/trees/oak")
    assert hit.operation.operation_id == "getTree" and hit.note is None
    assert hit.path_params == {"treeId": "oak"}
    assert c.match("GET", "https://us.trees.example/api/v2/trees/latest").operation.operation_id == "getLatestTree"
    hit = c.match("GET", "https://us.trees.example/api/v2/trees/oak/nodes/n1.xml")
    assert hit.operation.operation_id == "getNodeAs" and hit.path_params == {"treeId": "oak", "nodeId": "n1",
                                                                            "format": "xml"}


def test_another_host_is_matched_below_a_servers_base_path_and_says_so():
    c = catalog("petstore.yaml")
    hit = c.match("GET", "http://localhost:8080/v1/pets/5")
    assert hit.operation.operation_id == "showPetById"
    assert "localhost:8080 is not one of the document's servers" in hit.note and "below /v1" in hit.note
    hit = c.match("GET", "http://staging.local/pets")
    assert hit.operation.operation_id == "listPets" and "matched the whole path /pets" in hit.note


def test_a_documented_path_with_another_method_and_an_unknown_path_are_notes():
    c = catalog("petstore.yaml")
    miss = c.match("DELETE", "http://petstore.swagger.io/v1/pets")
    assert miss.operation is None and "/pets for GET, POST, not DELETE" in miss.note
    miss = c.match("GET", "http://petstore.swagger.io/v1/owners")
    assert miss.operation is None and "no operation for GET /v1/owners" in miss.note


def test_head_is_answered_by_get():
    c = catalog("petstore.yaml")
    assert c.match("HEAD", "http://petstore.swagger.io/v1/pets").operation.operation_id == "listPets"


def test_thousands_of_operations_match_quickly_in_a_large_real_document():
    c = catalog("github.json.gz")
    assert len(c.operations) > 1000
    hit = c.match("GET", "https://api.github.com/repos/octo/hello/issues/42")
    assert hit.operation.operation_id == "issues/get" and hit.path_params["issue_number"] == "42"
    assert c.match("GET", "https://api.github.com/repos/octo/hello/issues/comments").operation.operation_id == \
        "issues/list-comments-for-repo"  # the literal beats {issue_number}
    start = time.perf_counter()
    for op in c.operations:
        assert c.match(op.method, "https://api.github.com" + op.template.replace("{", "").replace("}", "")
                       ).operation is not None
    assert (time.perf_counter() - start) / len(c.operations) < 0.001


def test_stripe_document_matches_with_its_trailing_slash_server():
    c = catalog("stripe.json.gz")
    hit = c.match("POST", "https://api.stripe.com/v1/customers/cus_123")
    assert hit.operation.template == "/v1/customers/{customer}" and hit.path_params == {"customer": "cus_123"}
