"""Finding the API's own explanation (Message / Description, problem details) in response bodies."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.message import MAX_PARSE_BYTES, MAX_VALUE_CHARS, ApiMessage, extract_message


def j(obj: object) -> bytes:
    return json.dumps(obj).encode("utf-8")


# ------------------------------------------------------------------ JSON
@pytest.mark.parametrize("key", ["Message", "message", "MESSAGE"])
def test_json_message_any_case(key: str) -> None:
    assert extract_message(j({key: "Widget not found"}), "application/json") == ApiMessage(
        "Widget not found", ((key, "Widget not found"),)
    )


def test_json_description_alone() -> None:
    got = extract_message(j({"description": "Content-Type header is missing"}), "application/json; charset=utf-8")
    assert got == ApiMessage("Content-Type header is missing", (("description", "Content-Type header is missing"),))


def test_json_message_and_description_both_shown() -> None:
    got = extract_message(j({"Description": "Field 'name' is required", "Message": "Validation failed"}), "application/json")
    assert got is not None
    assert got.text == "Validation failed — Field 'name' is required"
    assert got.fields == (("Message", "Validation failed"), ("Description", "Field 'name' is required"))


def test_json_equal_message_and_description_shown_once() -> None:
    got = extract_message(j({"Message": "Not found", "Description": "not found"}), "application/json")
    assert got is not None and got.text == "Not found"
    assert len(got.fields) == 2


def test_json_nested_object_and_list() -> None:
    got = extract_message(j({"status": 400, "error": {"code": 7, "Message": "Bad input"}}), "application/json")
    assert got == ApiMessage("Bad input", (("error.Message", "Bad input"),))
    got = extract_message(j({"errors": [{"message": "first"}, {"message": "second"}]}), "application/json")
    assert got == ApiMessage("first", (("errors[0].message", "first"),))
    got = extract_message(j([{"description": "top-level list"}]), "application/json")
    assert got == ApiMessage("top-level list", (("[0].description", "top-level list"),))


def test_json_top_level_wins_over_nested() -> None:
    got = extract_message(j({"error": {"message": "inner"}, "message": "outer"}), "application/json")
    assert got is not None and got.text == "outer"


def test_json_two_levels_down_is_not_searched() -> None:
    assert extract_message(j({"a": {"b": {"message": "deep"}}}), "application/json") is None


def test_json_numbers_become_text_objects_ignored() -> None:
    assert extract_message(j({"message": 42}), "application/json") == ApiMessage("42", (("message", "42"),))
    assert extract_message(j({"message": {"x": 1}, "description": ["a"]}), "application/json") is None
    assert extract_message(j({"message": True}), "application/json") is None
    assert extract_message(j({"message": None}), "application/json") is None
    assert extract_message(j({"message": "   "}), "application/json") is None


def test_problem_json() -> None:
    body = j({"type": "https://example.invalid/probs/out-of-credit", "title": "Out of credit", "status": 403,
              "detail": "Your balance is 30, the cost is 50."})
    got = extract_message(body, "application/problem+json")
    assert got == ApiMessage(
        "Out of credit — Your balance is 30, the cost is 50.",
        (("title", "Out of credit"), ("detail", "Your balance is 30, the cost is 50.")),
    )
    # the same shape served as plain JSON is still recognised
    assert extract_message(body, "application/json") == got
    # problem+json with only a title
    assert extract_message(j({"title": "Not Found"}), "application/problem+json") == ApiMessage(
        "Not Found", (("title", "Not Found"),)
    )


def test_title_alone_in_plain_json_is_not_a_message() -> None:
    assert extract_message(j({"title": "My document", "body": "..."}), "application/json") is None


def test_fallback_keys_when_no_message() -> None:
    assert extract_message(j({"detail": "Not Found"}), "application/json") == ApiMessage("Not Found", (("detail", "Not Found"),))
    got = extract_message(j({"error": "invalid_grant", "error_description": "Code expired"}), "application/json")
    assert got is not None and got.text == "Code expired"


def test_json_sniffed_without_content_type() -> None:
    assert extract_message(b'  {"Message": "sniffed"}', None) == ApiMessage("sniffed", (("Message", "sniffed"),))
    assert extract_message(b'{"Message": "sniffed"}', "text/plain") is not None


def test_charset_is_honoured() -> None:
    body = '{"message": "Überlastet"}'.encode("latin-1")
    assert extract_message(body, "application/json; charset=ISO-8859-1").text == "Überlastet"  # type: ignore[union-attr]
    assert extract_message(body, 'application/json; charset="latin-1"').text == "Überlastet"  # type: ignore[union-attr]
    assert extract_message(body, "application/json").text == "\ufffdberlastet"  # type: ignore[union-attr]
    assert extract_message(body, "application/json; charset=no-such-codec").text == "\ufffdberlastet"  # type: ignore[union-attr]
    utf16 = '{"message": "wide"}'.encode("utf-16")
    assert extract_message(utf16, "application/json").text == "wide"  # type: ignore[union-attr]


def test_long_values_are_clipped() -> None:
    got = extract_message(j({"message": "x" * 10_000}), "application/json")
    assert got is not None and len(got.text) == MAX_VALUE_CHARS and got.text.endswith("…")


def test_body_beyond_cap_is_not_parsed() -> None:
    body = j({"message": "early", "padding": "p" * MAX_PARSE_BYTES})
    assert extract_message(body, "application/json") is None
    assert extract_message(j({"message": "early", "padding": "p" * 1000}), "application/json") is not None


def test_deeply_nested_json_does_not_crash() -> None:
    assert extract_message(b"[" * 100_000 + b"]" * 100_000, "application/json") is None
    assert extract_message(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json") is None


# ------------------------------------------------------------------ XML
def test_xml_message_and_description_any_namespace() -> None:
    body = (
        b'<?xml version="1.0" encoding="utf-8"?>'
        b'<e:Error xmlns:e="urn:example"><e:Code>7</e:Code><e:Message>Bad input</e:Message>'
        b'<description xmlns="urn:other">Field <b>name</b> is required</description></e:Error>'
    )
    got = extract_message(body, "application/xml")
    assert got == ApiMessage(
        "Bad input — Field name is required",
        (("Error.Message", "Bad input"), ("Error.description", "Field name is required")),
    )


def test_xml_sniffed_and_declared_encoding() -> None:
    body = '<?xml version="1.0" encoding="ISO-8859-1"?><r><MESSAGE>Überlastet</MESSAGE></r>'.encode("latin-1")
    assert extract_message(body, None) == ApiMessage("Überlastet", (("r.MESSAGE", "Überlastet"),))
    assert extract_message(body, "text/xml; charset=iso-8859-1").text == "Überlastet"  # type: ignore[union-attr]


def test_xml_without_message_elements() -> None:
    assert extract_message(b"<r><status>500</status></r>", "application/xml") is None


def test_xml_too_deep_is_ignored() -> None:
    deep = b"<a>" * 40 + b"<Message>deep</Message>" + b"</a>" * 40
    assert extract_message(deep, "application/xml") is None
    shallow = b"<a>" * 5 + b"<Message>ok</Message>" + b"</a>" * 5
    assert extract_message(shallow, "application/xml").text == "ok"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<Message>&lol2;</Message>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Message>&xxe;</Message>',
        b'<!DOCTYPE Message SYSTEM "http://127.0.0.1:9/x.dtd"><Message>plain</Message>',
    ],
    ids=["billion-laughs", "external-entity", "external-dtd"],
)
def test_xml_with_doctype_is_refused(body: bytes) -> None:
    assert extract_message(body, "application/xml") is None


def test_broken_xml_and_html() -> None:
    assert extract_message(b"<Message>unclosed", "application/xml") is None
    assert extract_message(b"<html><body><p>Oops<br></body></html>", "text/html") is None


# ------------------------------------------------------------------ nothing to say
@pytest.mark.parametrize(
    ("body", "ctype"),
    [
        (b"", None),
        (b"", "application/json"),
        (b"   \r\n", "application/json"),
        (b"Internal Server Error", "text/plain"),
        (b"\x00\xff\xfe garbage \x80\x81", None),
        (b"\x00\xff\xfe garbage \x80\x81", "application/json"),
        (b"{not json", "application/json"),
        (b'"just a string"', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b"null", "application/json"),
    ],
)
def test_no_message(body: bytes, ctype: str | None) -> None:
    assert extract_message(body, ctype) is None


def test_not_bytes_does_not_crash() -> None:
    assert extract_message(None, "application/json") is None  # type: ignore[arg-type]
    assert extract_message('{"message": "str body"}', None).text == "str body"  # type: ignore[arg-type,union-attr]


# ------------------------------------------------------------------ properties
_ctypes = st.none() | st.sampled_from(
    ["application/json", "application/problem+json", "application/xml", "text/xml; charset=utf-16", "text/plain",
     "application/json; charset=bogus", "application/json; charset=utf-32", ";;;", "xml; charset="]
) | st.text(max_size=40)


@given(st.binary(max_size=600), _ctypes)
@settings(max_examples=400, deadline=None)
def test_arbitrary_bytes_never_raise(body: bytes, ctype: str | None) -> None:
    got = extract_message(body, ctype)
    assert got is None or (isinstance(got.text, str) and got.text and got.fields)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.sampled_from(["message", "Description", "error", "errors", "title", "detail", "type", "x"]) | st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(_json_values, st.sampled_from(["application/json", "application/problem+json", None]))
@settings(max_examples=300, deadline=None)
def test_arbitrary_json_never_raises_and_text_comes_from_fields(doc: object, ctype: str | None) -> None:
    got = extract_message(json.dumps(doc).encode(), ctype)
    if got is not None:
        values = [v for _path, v in got.fields]
        assert got.text in (values[0], " — ".join(values))
