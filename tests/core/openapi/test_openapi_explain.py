"""The operation's documented description of a status: code, then range, then default."""

from __future__ import annotations

from app.core.openapi.explain import explain_status, response_key
from app.core.openapi.operations import Operation


def op(**responses) -> Operation:
    return Operation(method="GET", template="/orders/{id}", responses={k.replace("_", ""): v
                                                                        for k, v in responses.items()})


def test_code_beats_range_beats_default():
    o = op(_404={"description": "No such order."}, _4XX={"description": "Your request was refused."},
           default={"description": "Something else."})
    assert response_key(o, 404) == "404" and explain_status(o, 404).description == "No such order."
    d = explain_status(o, 409)
    assert d.description == "Your request was refused." and d.source == "openapi"
    assert d.section == "GET /orders/{id}" and "range 4XX" in d.note
    d = explain_status(o, 503)
    assert d.description == "Something else." and "default response" in d.note
    assert d.provenance == "OpenAPI document · GET /orders/{id}"


def test_nothing_documented_gives_none():
    assert explain_status(op(_200={"description": "ok"}), 500) is None
