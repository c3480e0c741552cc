"""Shared data: header lookup and where an explanation comes from."""

from __future__ import annotations

from app.core.models import DocumentedStatus, header_value, header_values


def test_header_lookup_is_case_insensitive_and_keeps_wire_order():
    headers = (("Set-Cookie", "a=1"), ("content-type", "text/plain"), ("set-cookie", "b=2"))
    assert header_value(headers, "Content-Type") == "text/plain"
    assert header_values(headers, "SET-COOKIE") == ["a=1", "b=2"]
    assert header_value(headers, "Content-Length") is None


def test_provenance_names_the_source_the_same_way_everywhere():
    documented = DocumentedStatus(415, "Unsupported Media Type", "Content-Type header is missing or wrong.",
                                  "Client", "api-docs")
    standard = DocumentedStatus(418, "I'm a Teapot", "Server refuses to brew coffee.", "HTTP standard",
                                "http-standard")
    assert documented.provenance == "API documentation · Client"
    assert DocumentedStatus(200, "OK", "x", "", "api-docs").provenance == "API documentation"
    assert standard.provenance == "not in the API documentation · HTTP standard meaning"
