"""The practice server's own OpenAPI document explains its answers, and every OpenAPI finding fires against it,
through the CLI (`diagnose` and `triage` with --api-docs), in process and once as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from app.cli import main
from app.core.openapi.catalog import OpenApiCatalog

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api_docs(demo, tmp_path_factory) -> Path:
    """The document exactly as the server serves it, saved where --api-docs can read it."""
    with urllib.request.urlopen(f"{demo}/openapi.json", timeout=10) as resp:
        assert resp.headers["Content-Type"] == "application/json"
        data = resp.read()
    path = tmp_path_factory.mktemp("docs") / "practice.json"
    path.write_bytes(data)
    return path


def diagnose(capsys, api_docs: Path, *argv: str) -> dict:
    code = main(["diagnose", "--api-docs", str(api_docs), *argv, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def ids(result: dict) -> set[str]:
    return {f["id"] for f in result["findings"]}


def test_the_served_document_is_a_valid_openapi_31_document_naming_the_server(api_docs, demo):
    c = OpenApiCatalog.from_bytes(api_docs.read_bytes(), api_docs.name)
    assert c.document.version == "3.1.0" and c.skipped == ()
    assert c.servers[0]["url"] == demo
    assert {op.operation_id for op in c.operations} >= {"createOrder", "getOrder", "answerStatus", "openapi"}


def test_the_document_explains_the_servers_own_answers_per_operation(api_docs, demo, capsys):
    r = diagnose(capsys, api_docs, f"{demo}/orders/999")
    assert r["response"]["status"] == 404
    assert r["documented"] == {"code": 404, "status": "Not Found", "description": "No order has this id.",
                               "section": "getOrder", "source": "openapi", "note": None}
    assert ids(r).isdisjoint({"response-status-undocumented", "response-schema-mismatch",
                              "response-content-type-undocumented"})
    r = diagnose(capsys, api_docs, f"{demo}/status/418")
    assert r["documented"]["section"] == "answerStatus" and "default response" in r["documented"]["note"]
    r = diagnose(capsys, api_docs, "-H", "Content-Type: application/json", "-d", '{"item": "tea"}', f"{demo}/orders")
    assert r["response"]["status"] == 201 and r["documented"]["section"] == "createOrder"
    assert not ids(r) & {"response-schema-mismatch", "request-content-type-undocumented"}


def test_request_content_type_undocumented(api_docs, demo, capsys):
    r = diagnose(capsys, api_docs, "-H", "Content-Type: text/plain", "-d", "tea", f"{demo}/orders")
    assert r["response"]["status"] == 415 and r["documented"]["description"].startswith("The body is not sent")
    assert "request-content-type-undocumented" in ids(r)


def test_request_parameter_missing(api_docs, demo, capsys):
    r = diagnose(capsys, api_docs, f"{demo}/redirect")
    (f,) = [f for f in r["findings"] if f["id"] == "request-parameter-missing"]
    assert f["header"] == "to" and "redirect requires the query parameter to" in f["text"]
    assert "request-parameter-missing" not in ids(diagnose(capsys, api_docs, f"{demo}/redirect?to=/orders"))


def test_response_status_undocumented(api_docs, demo, capsys):
    r = diagnose(capsys, api_docs, f"{demo}/forbidden?misbehave=no-such-mode")
    assert r["response"]["status"] == 400 and "response-status-undocumented" in ids(r)
    assert r["documented"]["source"] == "http-standard"


def test_response_content_type_undocumented(api_docs, demo, capsys):
    r = diagnose(capsys, api_docs, f"{demo}/orders/999?misbehave=wrong-content-type")
    (f,) = [f for f in r["findings"] if f["id"] == "response-content-type-undocumented"]
    assert "getOrder documents application/json for 404, not text/html" in f["text"]


def test_response_schema_mismatch(api_docs, demo, capsys):
    r = diagnose(capsys, api_docs, f"{demo}/orders/999?misbehave=problem")
    (f,) = [f for f in r["findings"] if f["id"] == "response-schema-mismatch"]
    assert "the rule 'required' fails: 'Message' is a required property" in f["text"]


def test_another_host_matches_below_the_base_path_and_says_so(api_docs, demo, capsys):
    local = demo.replace("127.0.0.1", "localhost")
    r = diagnose(capsys, api_docs, f"{local}/orders/999")
    assert r["documented"]["section"] == "getOrder" and "is not one of the document's servers" in \
        r["documented"]["note"]


def test_triage_uses_the_document_too(api_docs, demo, tmp_path, capsys):
    raw = tmp_path / "capture.txt"
    host = demo.split("//", 1)[1]
    raw.write_bytes(f"POST /orders HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml\r\nContent-Length: 3\r\n\r\n<a>"
                    "\r\n\r\nHTTP/1.1 415 Unsupported Media Type\r\nContent-Type: application/json\r\n"
                    'Content-Length: 13\r\n\r\n{"error": 1}\n'.encode())
    assert main(["triage", "--api-docs", str(api_docs), str(raw), "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["documented"]["section"] == "createOrder"
    assert {"request-content-type-undocumented", "response-schema-mismatch"} <= ids(r)


def test_a_bad_document_is_one_sentence_and_exit_code_1(tmp_path, demo, capsys):
    bad = tmp_path / "broken.yaml"
    bad.write_text("openapi: 3.1.0\npaths:\n  /a: [\n")
    assert main(["diagnose", "--api-docs", str(bad), f"{demo}/"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("broken.yaml: line 4") and "Traceback" not in err


def test_round_trip_as_a_real_command(api_docs, demo):
    proc = subprocess.run([sys.executable, "-m", "app", "diagnose", "--api-docs", str(api_docs),
                           f"{demo}/forbidden"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Signed in, but not allowed to use this resource." in proc.stdout
    assert "OpenAPI document · forbidden" in proc.stdout
