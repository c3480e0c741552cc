"""`request-inspector diagnose --json` against the real practice server on loopback."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.catalog import load_default_catalog
from app.demo.server import DemoServerThread

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_demo():
    """A server of its own, for tests that use up the rate limit."""
    server = DemoServerThread(rate_limit=2, rate_window=60.0)
    url = server.start()
    yield url
    server.stop()


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["diagnose", *argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def ids(result: dict) -> set[str]:
    return {f["id"] for f in result["findings"]}


def documented_rows() -> list[tuple[int, str]]:
    """The page's rows read independently of the catalog: every `| 3-digit |` table line of the shipped page."""
    rows = []
    for line in (ROOT / "resources" / "api-docs" / "errors.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and cells[0].isdigit():
            rows.append((int(cells[0]), cells[1]))
    return rows


def test_every_documented_status_is_explained_in_the_apis_words(demo, capsys):
    rows = documented_rows()
    assert len(rows) >= 15
    catalog = load_default_catalog()
    for code, status in rows:
        if status == "No Content":  # the page's erratum: listed under 200, it is the 204 response
            code = 204
        exit_code, result = run_json(capsys, f"{demo}/status/{code}")
        assert exit_code == 0
        assert result["response"]["status"] == code
        doc = result["documented"]
        assert doc["source"] == "api-docs", code
        assert doc["code"] == code
        assert doc["status"] == status
        assert doc["description"] == catalog.lookup(code).description
        if code >= 400:
            # "Most error responses ... include a Message or Description property"
            assert result["message"], code


def test_204_matches_the_no_content_row_and_200_matches_ok(demo, capsys):
    _, r204 = run_json(capsys, f"{demo}/status/204")
    assert r204["documented"]["status"] == "No Content"
    assert r204["documented"]["section"] == "Success"
    assert r204["response"]["body_bytes"] == 0
    assert not {i for i in ids(r204) if i.startswith("response-")} - {"response-location"}
    _, r200 = run_json(capsys, f"{demo}/status/200")
    assert r200["documented"]["status"] == "OK"


def test_undocumented_status_falls_back_to_the_http_standard(demo, capsys):
    _, result = run_json(capsys, f"{demo}/status/418")
    assert result["documented"]["source"] == "http-standard"
    assert result["documented"]["code"] == 418


def test_post_without_content_type_gets_415_and_the_finding_says_so_before_and_after(demo, capsys):
    code, result = run_json(capsys, "-X", "POST", "-d", '{"item": "coffee"}', f"{demo}/orders")
    assert code == 0
    assert result["response"]["status"] == 415
    assert result["documented"]["status"] == "Unsupported Media Type"
    assert "request-missing-content-type" in ids(result)
    # what is typed is what is sent: no Content-Type was added by the tool
    sent = {k.lower() for k, _ in result["request"]["headers"]}
    assert "content-type" not in sent and "content-length" in sent


def test_create_gets_201_with_location(fresh_demo, capsys):
    _, result = run_json(
        capsys, "-H", "Content-Type: application/json", "-d", '{"item": "tea"}', f"{fresh_demo}/orders"
    )
    assert result["response"]["status"] == 201
    assert "response-location" in ids(result)
    assert any(k.lower() == "location" for k, _ in result["response"]["headers"])


def test_chunked_body_gets_411(demo, capsys):
    _, result = run_json(
        capsys, "-H", "Content-Type: application/json", "-H", "Transfer-Encoding: chunked",
        "-d", '{"item": "tea"}', f"{demo}/orders",
    )
    assert result["response"]["status"] == 411
    assert result["documented"]["status"] == "Length Required"
    assert "request-missing-content-length" in ids(result)
    sent = {k.lower(): v for k, v in result["request"]["headers"]}
    assert sent.get("transfer-encoding", "").lower() == "chunked" and "content-length" not in sent


def test_typed_wrong_content_length_is_reported_and_the_real_length_sent(demo, capsys):
    _, result = run_json(
        capsys, "-H", "Content-Type: application/json", "-H", "Content-Length: 100",
        "-d", '{"item": "x"}', f"{demo}/headers",
    )
    assert "request-content-length-mismatch" in ids(result)
    sent = {k.lower(): v for k, v in result["request"]["headers"]}
    assert sent["content-length"] == str(len(b'{"item": "x"}'))
    assert result["notes"], "the output must say the typed length could not be sent"


def test_unacceptable_accept_gets_406(demo, capsys):
    _, result = run_json(
        capsys, "-H", "Accept: text/csv", "-H", "Content-Type: application/json",
        "-d", '{"item": "x"}', f"{demo}/orders",
    )
    assert result["response"]["status"] == 406
    assert "accept-mismatch" in ids(result)


def test_wrong_method_gets_405_with_allow(demo, capsys):
    _, result = run_json(capsys, "-X", "PUT", f"{demo}/orders")
    assert result["response"]["status"] == 405
    assert "response-allow" in ids(result)


def test_declared_json_that_does_not_parse(demo, capsys):
    _, result = run_json(capsys, "-H", "Content-Type: application/json", "-d", "{item: x", f"{demo}/orders")
    assert "request-content-type-mismatch" in ids(result)
    assert result["response"]["status"] == 400
    assert result["message"]


def test_rate_limit_answers_429_with_retry_after(fresh_demo, capsys):
    statuses = []
    for _ in range(4):
        _, result = run_json(
            capsys, "-H", "Content-Type: application/json", "-d", '{"item": "x"}', f"{fresh_demo}/orders"
        )
        statuses.append(result["response"]["status"])
    assert statuses[:2] == [201, 201] and statuses[-1] == 429
    ra = result["retry_after"]
    assert ra is not None and 0 < ra["seconds"] <= 60 and ra["raw"].isdigit()
    assert result["documented"]["status"] == "Too many requests"


@pytest.mark.parametrize(
    "path, finding",
    [
        ("/status/200?misbehave=no-content-type", "response-missing-content-type"),
        ("/status/200?misbehave=chunked", "response-missing-content-length"),
        ("/status/200?misbehave=close", "response-missing-content-length"),
        ("/status/200?misbehave=wrong-length", "response-content-length-mismatch"),
        ("/status/204?misbehave=length-on-204", "response-unexpected-content-length"),
        ("/status/429?misbehave=bad-retry-after", "retry-after-invalid"),
    ],
)
def test_misbehaving_responses_produce_their_findings(demo, capsys, path, finding):
    code, result = run_json(capsys, demo + path)
    assert code == 0, result["error"]
    assert finding in ids(result), result["findings"]


def test_message_from_xml_and_problem_json(demo, capsys):
    _, xml = run_json(capsys, f"{demo}/status/400?misbehave=xml")
    assert xml["message"]
    _, problem = run_json(capsys, f"{demo}/status/403?misbehave=problem")
    assert problem["message"]


def test_no_response_exits_2_with_a_sentence(capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, result = run_json(capsys, f"http://127.0.0.1:{port}/")
    assert code == 2
    assert result["response"] is None and result["error"]["kind"] == "refused"
    assert result["error"]["text"].endswith(".")


def test_usage_errors_exit_1(capsys):
    assert main(["diagnose", "-H", "no colon here", "http://127.0.0.1:1/"]) == 1
    assert main(["diagnose", "--data-binary", "@/nonexistent/file", "http://127.0.0.1:1/"]) == 1
    assert main(["diagnose"]) == 1
    assert "not of the form" in capsys.readouterr().err


def test_secrets_are_redacted_unless_asked(demo, capsys):
    _, hidden = run_json(capsys, "-H", "Authorization: Bearer s3cr3t-token", f"{demo}/headers")
    assert "s3cr3t-token" not in json.dumps(hidden)
    _, shown = run_json(capsys, "-H", "Authorization: Bearer s3cr3t-token", "--show-secrets", f"{demo}/headers")
    assert "s3cr3t-token" in json.dumps(shown)


def test_human_output_leads_with_the_documented_verdict(demo, capsys):
    assert main(["diagnose", "-X", "POST", "-d", "{}", f"{demo}/orders"]) == 0
    out = capsys.readouterr().out
    assert "415" in out and "Content-Type header is missing or wrong." in out
    assert "request-missing-content-type" in out


def test_installed_entry_point_prints_one_json_object(demo):
    """The console script a user types, as a real process."""
    exe = Path(sys.executable).with_name("request-inspector")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "app"]
    proc = subprocess.run(
        [*cmd, "diagnose", "--json", f"{demo}/status/503"],
        capture_output=True, text=True, timeout=60, env={**os.environ},
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["documented"]["status"] == "Service unavailable"
    assert result["retry_after"]["seconds"] > 0


def test_demo_server_command_prints_its_url_and_serves():
    import re
    import urllib.request

    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "demo-server", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line + proc.stderr.read() if proc.poll() is not None else line
        with urllib.request.urlopen(match.group(0) + "/", timeout=10) as resp:
            assert resp.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


FIXTURES = ROOT / "tests" / "core" / "formats" / "fixtures"


def test_triage_of_a_har_prints_a_list_in_the_diagnose_shape(capsys):
    assert main(["triage", str(FIXTURES / "chrome_export.har"), "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert isinstance(results, list) and len(results) >= 3
    assert set(results[0]) >= {"request", "response", "documented", "message", "findings", "retry_after", "timing", "error"}
    statuses = [r["documented"]["status"] for r in results if r["documented"]]
    assert "Too many requests" in statuses and "No Content" in statuses


def test_triage_of_a_raw_exchange_is_one_object_and_redacted(tmp_path, capsys):
    f = tmp_path / "ticket.txt"
    f.write_bytes(
        b"POST /orders HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer tok-123456\r\n"
        b"Content-Length: 2\r\n\r\n{}\r\n\r\n"
        b"HTTP/1.1 415 Unsupported Media Type\r\nContent-Type: application/json\r\nContent-Length: 21\r\n\r\n"
        b'{"Message": "No CT."}'
    )
    assert main(["triage", str(f), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["documented"]["status"] == "Unsupported Media Type"
    assert "request-missing-content-type" in ids(result)
    assert "tok-123456" not in json.dumps(result)


def test_triage_of_garbage_is_a_usage_error_with_a_sentence(tmp_path, capsys):
    f = tmp_path / "broken.har"
    f.write_text('{"log": {"entries": "nope"}}')
    assert main(["triage", str(f)]) == 1
    assert "broken.har" in capsys.readouterr().err


def test_text_output_is_the_shared_presentation():
    """`diagnose` without --json prints the texts the window and the report show (app.core.presentation)."""
    from app.cli import render_text
    from app.core.diagnosis import diagnose
    from app.core.models import Exchange, HttpRequest, HttpResponse, Timing
    from app.core.presentation import present

    now = 1_700_000_000.0
    resp = HttpResponse(429, "Too Many Requests", headers=(
        ("Content-Type", "application/json"), ("Retry-After", "120"), ("RateLimit-Limit", "5"),
        ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "40")), body=b'{"Message": "Slow down."}')
    ex = Exchange(HttpRequest("POST", "http://h/orders", body=b"{}"), resp, Timing(connect=0.002, total=0.038), started_at=now)
    diag = diagnose(ex, load_default_catalog(), now, received_at=now)
    view = present(diag, now=now)
    lines = render_text(diag, now=now).splitlines()
    assert lines[:2] == ["POST http://h/orders", "→ 429 Too Many Requests · 38 ms · 25 B · HTTP/1.1"]
    assert f"  {view.explanation_line}" in lines and "  API says: “Slow down.”" in lines
    assert f"⏱ Retry-After: 120 → {view.retry.sentence}" in lines
    assert f"  Rate limit: {view.rate_limit}" in lines
    assert lines[-1] == "Timing: Connect 2.0 ms, Total 38 ms"
    findings = [line for line in lines if line.endswith("]")]
    assert [line.rsplit("[", 1)[1][:-1] for line in findings] == [f.id for f in view.findings]  # most severe first


def test_text_output_of_a_request_only_file_says_nothing_was_sent(tmp_path, capsys):
    f = tmp_path / "only.txt"
    f.write_text("curl -X POST https://api.example.com/orders -d '{}'\n")
    assert main(["triage", str(f)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "→ No response"
    assert out[2] == "  A request only: nothing was sent, so there is no response to diagnose."


# --- hostile servers: redirect notes redacted, control characters escaped ----------------------------------

HOSTILE_MESSAGE = "\x1b]0;pwned\x07\x1b[2J\rAll good\nfake: line"


@pytest.fixture
def two_origins():
    """Two origins on 127.0.0.1 (different ports): the first redirects to the second, which answers with a Message
    full of terminal controls. Returns (first origin, second origin)."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Landing(BaseHTTPRequestHandler):
        def do_GET(self):
            body = json.dumps({"Message": HOSTILE_MESSAGE}).encode()
            self.send_response(400, "Bad \x1b[31mRequest")
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Evil", "\x1b]2;title\x07")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    second = ThreadingHTTPServer(("127.0.0.1", 0), Landing)

    class Redirecting(Landing):
        def do_GET(self):
            self.send_response(307, "Temporary Redirect")
            self.send_header("Location", f"http://127.0.0.1:{second.server_port}/land?token=LOCTOKEN9#access_token=F9")
            self.send_header("Content-Length", "0")
            self.end_headers()

    first = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in (first, second)]
    for t in threads:
        t.start()
    yield f"http://127.0.0.1:{first.server_port}", f"http://127.0.0.1:{second.server_port}"
    for s in (first, second):
        s.shutdown()
        s.server_close()


SECRETS_IN_URL = ("PASS@W7", "ACCESS8", "LOCTOKEN9")


def test_redirect_notes_are_redacted_in_text_and_json(two_origins, capsys):
    first, _ = two_origins
    url = first.replace("http://", "http://ann:PASS@W7@") + "/start?access_token=ACCESS8"
    assert main(["diagnose", "-L", url]) == 0
    text = capsys.readouterr().out
    assert "Redirect 1: 307 from" in text
    code, result = run_json(capsys, "-L", url)
    assert code == 0 and any(n.startswith("Redirect 1: 307") for n in result["notes"])
    for secret in SECRETS_IN_URL:
        assert secret not in text and secret not in json.dumps(result)
    code, shown = run_json(capsys, "-L", "--show-secrets", url)
    assert "LOCTOKEN9" in json.dumps(shown)  # asked for: shown


def test_text_output_escapes_control_characters_from_the_server(two_origins, capsys):
    _, second = two_origins
    assert main(["diagnose", second + "/x"]) == 0
    out = capsys.readouterr().out
    assert not any(c in out for c in "\x1b\x07\r")
    assert "\\x1b]0;pwned\\x07" in out and "\\rAll good\\nfake: line" in out
    assert not any(line.startswith("fake: line") for line in out.splitlines())


def test_triage_text_output_escapes_control_characters_from_the_file(tmp_path, capsys):
    f = tmp_path / "ticket.txt"
    body = json.dumps({"Message": HOSTILE_MESSAGE}).encode()
    f.write_bytes(b"GET /x HTTP/1.1\r\nHost: h\r\n\r\nHTTP/1.1 400 Bad\x1b[2J\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    assert main(["triage", str(f)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\r" not in out and "\\x1b" in out


def test_usage_error_messages_escape_control_characters(tmp_path, capsys):
    f = tmp_path / "bad\x1b]0;x\x07.har"
    f.write_text('{"log": {"entries": "nope"}}')
    assert main(["triage", str(f)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b" in err


# ---------------------------------------------------------------- triage takes every kind the window imports


def _triage_json(path, capsys) -> list | dict:
    assert main(["triage", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_triage_of_a_postman_collection_lists_every_request_with_request_side_findings(capsys):
    results = _triage_json(FIXTURES / "support_cases.postman_collection.json", capsys)
    assert [r["request"]["method"] for r in results] == ["GET", "POST", "POST", "POST"]
    assert all(r["response"] is None for r in results)  # never sent
    assert results[0]["request"]["url"] == "https://api.example.com/orders"  # collection variables filled in
    assert not any(k.lower() == "content-type" for k, _ in results[0]["request"]["headers"])  # empty formdata
    assert "tok-live-1" not in json.dumps(results)  # the bearer token from the collection is redacted


def test_triage_of_a_jetbrains_http_file_skips_the_broken_block_and_says_so(capsys):
    results = _triage_json(FIXTURES / "jetbrains_httpyac.http", capsys)
    assert [r["request"]["method"] for r in results] == ["POST", "GET", "DELETE", "POST"]
    assert results[1]["request"]["url"] == "https://api.example.com/orders/search?status=open&page=2"
    notes = results[0]["import_notes"]
    assert any("line 39" in n for n in notes) and any("not run" in n for n in notes)


def test_triage_of_several_curl_commands_is_a_list_one_per_command(capsys):
    results = _triage_json(FIXTURES / "curl_two_commands.sh", capsys)
    assert [(r["request"]["method"], r["request"]["url"]) for r in results] == [
        ("DELETE", "https://api.example.com/orders/41"), ("GET", "https://api.example.com/orders?status=open")]


def test_triage_of_one_curl_command_is_still_a_list(tmp_path, capsys):
    f = tmp_path / "one.sh"
    f.write_text("curl -X POST https://api.example.com/orders -d '{}'\n")
    results = _triage_json(f, capsys)
    assert isinstance(results, list) and len(results) == 1


def test_triage_of_curl_with_files_and_unknown_options_prints_the_windows_warnings(capsys):
    f = FIXTURES / "curl_with_files.sh"
    assert main(["triage", str(f)]) == 0
    out = capsys.readouterr().out
    notes = [line for line in out.splitlines() if line.startswith("⚠ Import note: ")]
    text = "\n".join(notes)
    assert "/etc/passwd" in text and "placeholder" in text
    assert "-K" in text and "-H @headers.txt" in text and "-b cookies.txt" in text and "--frobnicate" in text
    [result] = _triage_json(f, capsys)
    assert any("placeholder" in n for n in result["import_notes"])


# ------------------------------------------------------------------ what each command imports (start-up cost)
# Qt, the history (sqlite, the vault's cryptography, the keyring) and the OpenAPI readers (yaml, jsonschema) cost
# tens of ms each at start-up; `diagnose` and `triage` of plain inputs need none of them, nor markdown-it (the shipped
# page's parse is kept in app.core.catalog_snapshot), nor h2/hpack without --http2 (httpcore would load them
# whenever they are installed, as it does for a plain httpx script: app.cli._h2_hidden_unless).
NEVER_FOR_DIAGNOSE = {"PySide6", "shiboken6", "qasync", "sqlite3", "_sqlite3", "keyring", "cryptography", "yaml",
                      "jsonschema", "markdown_it", "platformdirs", "h2", "hpack", "hyperframe"}
NOT_FOR_A_PLAIN_DIAGNOSE = {"app.ui", "app.store", "app.cli_run", "app.cli_compare", "app.core.formats",
                            "app.core.openapi", "app.core.draft"}
IMPORTED = ("import sys; from app.cli import main; code = main({argv!r}); "
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] in {top!r} or "
            "any(m == p or m.startswith(p + '.') for p in {inner!r})))")


def imported_by(argv: list[str], top: set[str], inner: set[str]) -> tuple[int, list[str]]:
    """Run ``main(argv)`` in a fresh interpreter; its exit code and the modules of ``top``/``inner`` it imported."""
    code = IMPORTED.format(argv=argv, top=sorted(top), inner=sorted(inner))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    exit_code, modules = proc.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(exit_code), eval(modules)  # a printed list of str


@pytest.mark.parametrize("extra", [[], ["--json"]], ids=["text", "json"])
def test_diagnose_imports_no_gui_history_or_docs_library(demo, extra):
    code, modules = imported_by(["diagnose", *extra, f"{demo}/status/415"], NEVER_FOR_DIAGNOSE, NOT_FOR_A_PLAIN_DIAGNOSE)
    assert code == 0
    assert modules == []


def test_triage_of_a_small_har_imports_no_network_gui_history_or_docs_library():
    har = ROOT / "tests" / "data" / "har" / "insomnia.har"
    network = {"httpx", "httpcore", "h11", "h2", "anyio", "asyncio", "ssl"}
    code, modules = imported_by(["triage", str(har)], NEVER_FOR_DIAGNOSE | network,
                                NOT_FOR_A_PLAIN_DIAGNOSE - {"app.core.formats"} | {"app.net", "app.core.formats.code"})
    assert code == 0
    assert modules == []


def test_the_window_path_imports_no_command_code(tmp_path):
    """No command given (or only --smoke / --api-docs): main hands argv to app.ui.launch.run_gui without building the
    commands' arguments (no code generators, no run/compare modules)."""
    record = tmp_path / "calls.txt"
    fake_ui = (
        "import sys, types; ui = types.ModuleType('app.ui'); launch = types.ModuleType('app.ui.launch'); "
        "ui.__path__ = []; ui.launch = launch; sys.modules['app.ui'] = ui; sys.modules['app.ui.launch'] = launch; "
        f"launch.run_gui = lambda argv, *, smoke, api_docs: open({str(record)!r}, 'a').write("
        "repr((argv, smoke, api_docs)) + chr(10)) and 0; "
    )
    inner = {"app.core.formats", "app.cli_run", "app.cli_compare", "app.net", "app.core.diagnosis"}
    for argv in ([], ["--smoke"], ["--api-docs", "docs.md"], ["--api-docs=docs.md", "--smoke"]):
        code = fake_ui + IMPORTED.format(argv=argv, top=["httpx", "markdown_it"], inner=sorted(inner))
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip().endswith("[]"), (argv, proc.stdout)
    calls = [eval(line) for line in record.read_text().splitlines()]
    assert calls == [([], False, None), (["--smoke"], True, None), (["--api-docs", "docs.md"], False, "docs.md"),
                     (["--api-docs=docs.md", "--smoke"], True, "docs.md")]


@pytest.mark.parametrize("argv, command", [
    ([], None),
    (["--smoke"], None),
    (["--api-docs", "diagnose"], None),  # the docs file is called "diagnose"
    (["--api", "x.md"], None),  # an abbreviation of --api-docs takes its value too
    (["--api-docs=x.md", "triage", "f.har"], "triage"),
    (["--api-docs", "x.md", "diagnose", "http://h/"], "diagnose"),
    (["diff", "a.har#1", "a.har#2"], "diff"),
    (["--", "run", "folder"], "run"),  # argparse (3.11) then takes "--" itself as the command: an error either way
    (["-h"], None),
    (["--smoke", "demo-server", "--port", "0"], "demo-server"),
])
def test_command_of_finds_the_word_argparse_takes_as_the_command(argv, command):
    from app.cli import UsageError, _build_parser, command_of

    def outcome(parser):
        try:
            return parser.parse_args(argv)
        except (SystemExit, UsageError) as exc:  # -h; a usage error
            return type(exc), str(exc)

    assert command_of(argv) == command
    full = outcome(_build_parser())
    assert outcome(_build_parser(command)) == full  # the parser with only this command's arguments reads the same
    if isinstance(full, argparse.Namespace):
        assert full.command == command


def test_help_lists_every_command(capsys):
    from app.cli import COMMANDS

    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for name, aliases, help_text in COMMANDS:
        assert name in out and help_text in out
        for alias in aliases:
            assert alias in out
    assert [c[0] for c in COMMANDS] == ["diagnose", "triage", "compare", "run", "demo-server"]


@pytest.mark.parametrize("command", ["diagnose", "triage", "compare", "diff", "run", "demo-server"])
def test_each_command_help_shows_its_own_arguments(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith(f"usage: request-inspector {'compare' if command == 'diff' else command} [-h]")
    expected = {"diagnose": "--as-code TARGET", "triage": "FILE", "compare": "--markdown", "diff": "--markdown",
                "run": "--junit FILE", "demo-server": "--port PORT"}[command]
    assert expected in out
    if command == "diagnose":
        assert "curl, curl-cmd, python-httpx, python-requests, javascript-fetch, httpie, powershell" in out


def test_http2_still_works_in_a_process_whose_diagnose_loaded_httpcore_without_h2(demo, tmp_path):
    """`diagnose` without --http2 loads httpcore with h2 hidden (app.cli._h2_hidden_unless); httpcore imports its
    HTTP/2 connection again where it uses it, so a later HTTP/2 exchange in the same process still works."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests" / "net")!r})
from app.cli import main
assert main(["diagnose", "--json", {demo + "/status/200"!r}]) == 0
assert "h2" not in sys.modules and "httpcore" in sys.modules
import servers as S
from pathlib import Path
from app.core.models import HttpRequest
from app.net.transport import SendOptions, Transport
ctx = S.self_signed_context(Path({str(tmp_path)!r}), alpn=["h2"])
if ctx is None:
    print("no openssl"); raise SystemExit(0)
async def body():
    t = Transport()
    try:
        async with S.RawServer(S.h2_answer(b"over h2", content_length=True), ssl_context=ctx, read=False) as srv:
            return await t.send(HttpRequest("GET", srv.url()), SendOptions(timeout=5, deadline=15, verify=False,
                                                                          http2=True))
    finally:
        await t.aclose()
ex = S.run(body())
print(ex.error, ex.response.http_version, ex.response.body)
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    if last == "no openssl":
        pytest.skip("openssl is not available to make a self-signed certificate")
    assert last == "None HTTP/2 b'over h2'"
