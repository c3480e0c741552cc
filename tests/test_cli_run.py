"""`request-inspector run` on a folder of .http files against the practice server: exit codes, output, JUnit XML
read back with a parser, Retry-After honoured, results in the history."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET

import pytest

from app.cli import main
from app.store.environments import Environments
from app.store.history import History
from app.store.secrets import MemorySecrets

PASSING = """### create
POST {{host}}/orders
Content-Type: application/json

{"item": "coffee", "quantity": 2}

?? status == 201
?? header content-type includes json
?? body $.id exists
?? findings lacks request-missing-content-type

### list
GET {{host}}/orders
?? status < 400
?? duration < 5000
"""
FAILING = """### lost content type
POST {{host}}/orders

{"item": "coffee"}

?? status == 201
?? findings none
"""


@pytest.fixture
def home(tmp_path, monkeypatch, demo):
    """A data home whose environment 'local' points at the practice server."""
    monkeypatch.setenv("REQUEST_INSPECTOR_HOME", str(tmp_path / "home"))
    envs = Environments(tmp_path / "home" / "environments.json", MemorySecrets())
    envs.add("local")
    envs.set_var("local", "host", demo)
    return tmp_path / "home"


def _folder(tmp_path, **files: str):
    root = tmp_path / "checks"
    for name, text in files.items():
        path = root / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_passing_and_failing_requests_exit_3_with_junit(home, tmp_path, capsys):
    root = _folder(tmp_path, **{"a.http": PASSING, "sub__b.http": FAILING})
    junit = tmp_path / "report.xml"
    code = main(["run", str(root), "--env", "local", "--junit", str(junit)])
    out = capsys.readouterr().out.splitlines()
    assert code == 3
    assert out[0].startswith("✔ PASS  create  201 Created") and out[1].startswith("✔ PASS  list  200 OK")
    assert out[2].startswith("✖ FAIL  lost content type  415 Unsupported Media Type")
    assert "    ✖ ?? status == 201: expected == 201, got 415" in out
    assert out[-1].startswith("3 requests: 2 passed, 1 failed")
    root_el = ET.parse(junit).getroot()
    assert root_el.tag == "testsuites" and root_el.get("tests") == "3" and root_el.get("failures") == "1"
    suites = root_el.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a.http", "sub/b.http"]
    failed = suites[1].find("testcase")
    assert failed.get("name") == "lost content type"
    assert failed.find("failure").get("message") == "?? status == 201: expected == 201, got 415"
    assert all(case.find("failure") is None for case in suites[0].findall("testcase"))
    with History(home / "history.sqlite3") as history:
        assert [row.status for row in history.list()] == [415, 200, 201]


def test_all_passing_exits_0_and_json_is_one_object(home, tmp_path, capsys):
    root = _folder(tmp_path, **{"a.http": PASSING})
    assert main(["run", str(root / "a.http"), "--env", "local", "--json", "--no-history"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["passed"], result["failed"]) == (2, 0)
    assert result["results"][0]["assertions"][0] == {"assertion": "status == 201", "passed": True,
                                                     "expected": "== 201", "actual": "201"}
    assert not (home / "history.sqlite3").exists() or History(home / "history.sqlite3").count() == 0


def test_retry_after_is_waited_for_and_capped(home, tmp_path, capsys):
    root = _folder(tmp_path, **{"busy.http": "GET {{host}}/status/503?retry_after=1\n?? status == 503\n"})
    assert main(["run", str(root), "--env", "local", "--no-history"]) == 0
    captured = capsys.readouterr()
    assert "waiting 1 s as Retry-After asks" in captured.err
    assert "waited 1 s (Retry-After) and sent it again" in captured.out
    assert main(["run", str(root), "--env", "local", "--no-history", "--max-wait", "0"]) == 0
    captured = capsys.readouterr()
    assert "more than --max-wait 0 s: not sent again" in captured.out and "waiting" not in captured.err


def test_no_response_exits_2(home, tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = _folder(tmp_path, **{"down.http": f"GET http://127.0.0.1:{port}/\n?? status == 200\n"})
    assert main(["run", str(root), "--no-history", "--timeout", "2"]) == 2
    assert "✖ FAIL" in capsys.readouterr().out


@pytest.mark.parametrize("files, args, words", [
    ({"a.http": PASSING}, [], "no value for {{host}}"),
    ({"a.http": PASSING}, ["--env", "nope"], "no environment called 'nope'"),
    ({"a.http": "GET http://h/\n?? status is 200\n"}, [], "needs one of"),
    ({"notes.txt": "x"}, [], "holds no .http or .rest file"),
])
def test_usage_errors_exit_1_before_anything_is_sent(home, tmp_path, capsys, files, args, words):
    root = _folder(tmp_path, **files)
    assert main(["run", str(root), "--no-history", *args]) == 1
    assert words in capsys.readouterr().err


MISBEHAVING = """### problem body
GET {{host}}/orders/999?misbehave=problem
?? status == 404
?? findings none
"""


def test_api_docs_explain_each_result_and_findings_none_covers_the_documents_findings(home, tmp_path, capsys, demo):
    import urllib.request

    docs = tmp_path / "practice.json"
    with urllib.request.urlopen(f"{demo}/openapi.json", timeout=5) as answer:
        docs.write_bytes(answer.read())
    root = _folder(tmp_path, **{"p.http": MISBEHAVING})
    assert main(["run", str(root), "--env", "local", "--no-history"]) == 0  # the page has nothing to say against it
    capsys.readouterr()
    assert main(["run", str(root), "--env", "local", "--no-history", "--api-docs", str(docs)]) == 3
    out = capsys.readouterr().out
    assert "OpenAPI document · getOrder: No order has this id." in out
    assert "?? findings none: expected no error or warning findings, got response-schema-mismatch" in out
    assert "error response-schema-mismatch:" in out or "warning response-schema-mismatch:" in out
    assert main(["run", str(root), "--env", "local", "--no-history", "--api-docs", str(docs), "--json"]) == 3
    result = json.loads(capsys.readouterr().out)["results"][0]
    assert result["explanation"]["source"] == "openapi" and result["explanation"]["section"] == "getOrder"
    assert "response-schema-mismatch" in {f["id"] for f in result["findings"]}


def test_skipped_operations_of_the_api_docs_are_named_on_stderr(home, tmp_path, capsys):
    from pathlib import Path

    docs = Path(__file__).resolve().parent / "data" / "openapi" / "cycles-3.1.json"
    root = _folder(tmp_path, **{"a.http": "GET {{host}}/status/200\n?? status == 200\n"})
    assert main(["run", str(root), "--env", "local", "--no-history", "--api-docs", str(docs)]) == 0
    err = capsys.readouterr().err
    assert "cycles-3.1.json: 2 operation(s) could not be read and are left out:" in err
    assert "leads back to itself" in err


def test_secret_placeholders_of_files_the_window_saved_are_filled_from_the_secret_store(home, tmp_path, capsys):
    """The window keeps a typed token out of a saved file as {{secret_…}} with its value in the secret store."""
    from app.store.secrets import choose_secret_store, saved_secret_key

    choose_secret_store(home, True).set(saved_secret_key("secret_authorization_0a1b2c3d"), "RUN-TOKEN-7788")
    root = _folder(tmp_path, **{"echo.http": "GET {{host}}/headers\n"
                                              "Authorization: Bearer {{secret_authorization_0a1b2c3d}}\n"
                                              "?? status == 200\n"})
    code = main(["run", str(root), "--env", "local", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert "RUN-TOKEN-7788" not in json.dumps(out)  # the output stays redacted
    from app.store.vault import command_line_vault

    with History(home / "history.sqlite3", vault=command_line_vault()) as history:  # sealed with the window's key
        (row,) = history.list()
        sent = history.get(row.id).exchange.request
    assert sent.header("Authorization") == "Bearer RUN-TOKEN-7788"
    assert b"RUN-TOKEN-7788" not in (home / "history.sqlite3").read_bytes()


RUN_SECRET = "S3CRETv4lue9"


@pytest.fixture
def leaky_server():
    """A loopback server that answers every GET with a session cookie and an access token in its JSON body."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Leaky(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"access_token": RUN_SECRET, "user": {"password": RUN_SECRET}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Set-Cookie", f"sid={RUN_SECRET}; Path=/")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Leaky)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_failed_expectations_and_urls_are_redacted_in_text_json_and_junit(home, tmp_path, capsys, leaky_server):
    Environments(home / "environments.json", MemorySecrets()).set_var("local", "leaky", leaky_server)
    root = _folder(tmp_path, **{"leak.http": f"@key = {RUN_SECRET}\n"
                                              "GET {{leaky}}/login?api_key={{key}}\n"
                                              "?? header set-cookie includes nothing-here\n"
                                              '?? body $.access_token == "x"\n'
                                              "?? body $ == 1\n"})
    junit = tmp_path / "report.xml"
    assert main(["run", str(root), "--env", "local", "--no-history", "--junit", str(junit)]) == 3
    text = capsys.readouterr().out
    assert main(["run", str(root), "--env", "local", "--no-history", "--json"]) == 3
    out = capsys.readouterr().out
    for shown in (text, out, junit.read_text()):
        assert RUN_SECRET not in shown and "sid=•••redacted•••; Path=/" in shown
    assert json.loads(out)["results"][0]["url"].endswith("/login?api_key=•••redacted•••")
    assert "got {\"access_token\": \"•••redacted•••\", \"user\": {\"password\": \"•••redacted•••\"}}" in text
    assert main(["run", str(root), "--env", "local", "--no-history", "--show-secrets"]) == 3
    assert f"got sid={RUN_SECRET}; Path=/" in capsys.readouterr().out  # asked for: shown
