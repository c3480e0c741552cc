"""Loading documents: JSON and YAML, references within and across files, cycles, and clear errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from app.core.openapi.load import OpenApiError, RefError, load_document, parse_text
from app.core.openapi.operations import read_operations

from tests.core.openapi.openapi_support import DATA, catalog


def test_petstore_yaml_loads_with_its_three_operations():
    c = catalog("petstore.yaml")
    assert c.document.version.startswith("3.0")
    assert sorted(op.label for op in c.operations) == ["createPets", "listPets", "showPetById"]
    assert c.skipped == ()


def test_references_to_other_files_resolve_relative_to_the_file_that_holds_them():
    c = catalog("petstore-separate/spec/openapi.yaml")
    op = next(o for o in c.operations if o.operation_id == "listPets")
    schema, file = c.document.deref(op.responses["200"]["content"]["application/json"]["schema"], op.file)
    assert file == "schemas/Pets.yaml" and schema["type"] == "array"
    error, file = c.document.deref(op.responses["default"]["content"]["application/json"]["schema"], op.file)
    assert file == "../common/schemas/Error.yaml" and "message" in error["required"]


def test_other_files_without_a_reader_are_a_sentence_naming_the_reference():
    data = (DATA / "petstore-separate/spec/openapi.yaml").read_bytes()
    doc = load_document(data, "openapi.yaml")
    with pytest.raises(RefError, match="schemas/Pets.yaml"):
        doc.deref({"$ref": "schemas/Pets.yaml"})


def test_network_references_are_refused():
    doc = load_document(b'{"openapi": "3.1.0", "paths": {}}', "a.json")
    with pytest.raises(RefError, match="network"):
        doc.deref({"$ref": "https://example.com/x.json#/a"}, where="/paths")


def test_a_31_document_with_reference_cycles_loads_and_skips_only_its_broken_operations():
    c = catalog("cycles-3.1.json")
    labels = {op.label for op in c.operations}
    assert {"getTree", "getNodeAs", "getLatestTree"} <= labels
    assert "loop" not in labels and "broken" not in labels
    assert any("/paths/~1loop/get" in s and "leads back to itself" in s for s in c.skipped)
    assert any("/paths/~1broken/post/responses/200" in s and "Nope" in s for s in c.skipped)
    assert c.notes[0].startswith("cycles-3.1.json: 2 operation(s)")
    # a schema that contains itself is followed on demand, not inlined
    node, _ = c.document.deref({"$ref": "#/components/schemas/Node/properties/parent"})
    assert node["type"] == "object"


@pytest.mark.parametrize("data, place, problem", [
    (b'{"openapi": "3.0.0",\n "paths": {,}}', "line 2", "not valid JSON"),
    (b"openapi: 3.0.0\npaths:\n  /a: [\n", "line 4", "not valid YAML"),
    (b'{"swagger": "2.0", "paths": {}}', "/swagger", "Swagger 2.0"),
    (b'{"openapi": "2.5", "paths": {}}', "/openapi", "not 3.0 or 3.1"),
    (b'{"info": {}}', "/openapi", "missing"),
    (b'{"openapi": "3.1.0", "paths": []}', "/paths", "must be an object"),
    (b"- just\n- a list\n", "/", "not an object"),
    (b"\xff\xfe\x00garbage", "byte 0", "not UTF-8"),
])
def test_a_bad_document_is_one_sentence_naming_file_place_and_problem(data, place, problem):
    with pytest.raises(OpenApiError) as info:
        load_document(data, "api.yaml")
    text = str(info.value)
    assert text.startswith("api.yaml: ") and place in text and problem in text


def test_yaml_integer_status_keys_are_read_as_codes():
    doc = load_document(b"openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        200:\n"
                        b"          description: fine\n", "a.yaml")
    ops, skipped = read_operations(doc)
    assert not skipped and ops[0].responses["200"]["description"] == "fine"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_garbage_never_escapes_as_anything_but_an_openapi_error(data):
    try:
        doc = load_document(data, "x.yaml")
        read_operations(doc)
    except OpenApiError:
        pass


def test_parse_text_reads_json_without_yaml():
    assert parse_text(b'  {"a": [1, 2]}', "x") == {"a": [1, 2]}


def _laughs(levels: int) -> bytes:
    lines = ["openapi: 3.0.3", "info: {title: T, version: '1'}", 'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    lines += ["paths:", "  /a:", "    post:", "      requestBody:", "        content:", "          application/json:",
              f"            schema: {{type: object, properties: {{p: {{enum: *a{levels - 1}}}}}}}",
              f"            example: *a{levels - 1}", "      responses: {'200': {description: ok}}"]
    return "\n".join(lines).encode()


def test_a_billion_laughs_yaml_document_is_refused_with_a_sentence_at_once():
    """Nine aliases of nine aliases... of a list: 3.4 billion strings once written out. It loaded in 40 ms and then
    hung the import's json.dumps of the example and the checks' enum error message."""
    import time

    start = time.monotonic()
    with pytest.raises(OpenApiError, match=r"x\.yaml: its YAML aliases .*billion laughs"):
        parse_text(_laughs(10), "x.yaml")
    assert time.monotonic() - start < 2


def test_aliases_that_add_little_and_recursive_aliases_still_load():
    doc = load_document(_laughs(4), "x.yaml")  # 9**4 strings written out
    assert len(doc.root["x3"]) == 9
    recursive = b"openapi: 3.0.3\npaths: {}\nx: &s {type: object, properties: {x: *s}}\nmedia: '*/*'\n"
    root = parse_text(recursive, "r.yaml")
    assert root["x"]["properties"]["x"] is root["x"]


def test_the_import_of_an_alias_heavy_document_under_the_limit_finishes():
    from app.core.openapi.catalog import OpenApiCatalog
    from app.core.openapi.to_http import to_http_files

    imported = to_http_files(OpenApiCatalog.from_bytes(_laughs(5), "x.yaml"))
    assert len(imported.files) == 1
