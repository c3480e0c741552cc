"""Copy as code, each generator on its own: quoting that no value can break out of, file bodies read from their
paths, a missing Content-Type kept missing, redaction. The wire itself is checked in test_code_wire.py."""

from __future__ import annotations

import ast
import json
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.code import TARGETS, FileRef, UnknownTarget, body_pieces, to_code
from app.core.formats.code.powershell import ps
from app.core.models import HttpRequest
from app.core.redact import REDACTED

HOSTILE = ["it's", 'say "hi"', "back\\slash", "$HOME and ${PATH}", "`id`", "a\nb\r\nc", "100%", "^&|<>", "‘curly’",
           "=starts with equals", "@starts-with-at", "tab\there", "\u2028line sep", ""]
MULTIPART = (b'--B\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n'
             b'--B\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n\x00\x01\xff\r\n--B--\r\n')


def _call(code: str, function: str) -> ast.Call:
    calls = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call) and ast.unparse(n.func) == function]
    assert len(calls) == 1
    return calls[0]


def _keyword(call: ast.Call, name: str):
    return next(k.value for k in call.keywords if k.arg == name)


header_values = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None)
@given(name=st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,15}\Z"), value=header_values, body=st.binary(max_size=60),
       path=st.text(max_size=20))
def test_generated_python_parses_and_holds_the_exact_values(name: str, value: str, body: bytes, path: str) -> None:
    request = HttpRequest("POST", "http://127.0.0.1:1/echo?q=" + value, ((name, value),), body)
    for target, function in (("python-httpx", "httpx.request"), ("python-requests", "requests.request")):
        code = to_code(request, target, redact=False)
        call = _call(code, function)  # ast.parse succeeded: nothing broke out of a literal
        assert ast.literal_eval(call.args[0]) == "POST"
        assert ast.literal_eval(call.args[1]) == request.url
        assert ast.literal_eval(_keyword(call, "data" if target == "python-requests" else "content")) == body
        headers = ast.literal_eval(_keyword(call, "headers"))
        pairs = list(headers.items()) if isinstance(headers, dict) else headers
        got = [(n, v.decode("latin-1") if isinstance(v, bytes) else v) for n, v in pairs]
        assert got == [(name, value)]


@settings(max_examples=150, deadline=None)
@given(value=header_values, body=st.binary(max_size=60))
def test_fetch_strings_are_json_literals_that_hold_the_exact_values(value: str, body: bytes) -> None:
    code = to_code(HttpRequest("PUT", "http://h/x", (("X-A", value),), body), "javascript-fetch", redact=False)
    header_line = next(line for line in code.splitlines() if line.startswith('    ["X-A"'))
    assert json.loads(header_line.strip().rstrip(",")) == ["X-A", value]
    assert "\n" not in header_line and "\u2028" not in code  # no raw line break inside a JavaScript string


@given(st.text(max_size=40))
def test_powershell_single_quoted_strings_read_back_exactly(text: str) -> None:
    quoted = ps(text)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == "'"
    for q in "'\u2018\u2019\u201a\u201b":  # every quote PowerShell ends a string on comes doubled
        assert inner.replace(q + q, "").count(q) == 0
    assert _ps_unquote(quoted) == text


def _ps_unquote(quoted: str) -> str:
    out, i, inner = [], 0, quoted[1:-1]
    while i < len(inner):
        out.append(inner[i])
        i += 2 if inner[i] in "'\u2018\u2019\u201a\u201b" else 1
    return "".join(out)


@pytest.mark.parametrize("value", HOSTILE)
def test_httpie_words_reach_http_exactly_through_bash(value: str) -> None:
    request = HttpRequest("POST", "http://h/x?a=$b", (("X-A", value), ("Content-Type", "text/plain")),
                          ("body " + value).encode())
    code = to_code(request, "httpie", redact=False)
    words = _bash_words(code, "http")
    item = "X-A;" if not value else "X-A:" + ("\\" if value[0] in "=@" else "") + value
    assert words == ["POST", "http://h/x?a=$b", item, "Content-Type:text/plain", "--raw", "body " + value]


def _bash_words(code: str, command: str) -> list[str]:
    """The words bash hands ``command`` when it runs ``code`` (the command replaced by a printer)."""
    script = f"{command}() {{ printf '%s\\0' \"$@\"; }}\n{code}"
    out = subprocess.run(["bash", "-c", script], capture_output=True, check=True).stdout
    return out.decode("utf-8", "surrogateescape").split("\0")[:-1]


@pytest.mark.parametrize("value", [v for v in HOSTILE if "\n" not in v])
def test_curl_words_reach_curl_exactly_through_bash(value: str) -> None:
    request = HttpRequest("PUT", "http://h/x", (("X-A", value),), value.encode())
    words = _bash_words(to_code(request, "curl", redact=False), "curl")
    header = f"X-A: {value}" if value else "X-A;"
    assert words == ["-X", "PUT", "http://h/x", "-H", header, "-H", "Content-Type:",
                     "--data-raw" if value.startswith("@") else "--data-binary", value]


def test_a_file_body_is_read_from_its_path_by_every_target() -> None:
    request = HttpRequest("PUT", "http://h/up", (("Content-Type", "application/octet-stream"),), b"\x00\x01")
    path = "/tmp/it's a file.bin"
    expected = {"curl": "--data-binary $'@/tmp/it\\'s a file.bin'",
                "curl-cmd": "--data-binary ^\"@/tmp/it's a file.bin^\"",
                "python-httpx": f"Path({path!r}).read_bytes()",
                "python-requests": f"Path({path!r}).read_bytes()", "javascript-fetch": f"readFile({json.dumps(path)})",
                "httpie": "< $'/tmp/it\\'s a file.bin'", "powershell": "-InFile '/tmp/it''s a file.bin'"}
    for target in TARGETS:
        code = to_code(request, target, files=[(path, b"\x00\x01")])
        assert expected[target] in code, target
        assert "\\x00" not in code and "AAE" not in code, target  # the bytes themselves are not written out


def test_multipart_file_parts_become_references_between_the_literal_parts() -> None:
    pieces = body_pieces(MULTIPART, [("a.bin", b"\x00\x01\xff")])
    assert pieces == (MULTIPART[: MULTIPART.index(b"\x00")], FileRef("a.bin"), b"\r\n--B--\r\n")
    assert body_pieces(MULTIPART, [("other.bin", b"not in it")]) == (MULTIPART,)
    assert body_pieces(None, [("a", b"x")]) is None and body_pieces(b"", []) == (b"",)
    code = to_code(HttpRequest("POST", "http://h/", (("Content-Type", "multipart/form-data; boundary=B"),),
                               MULTIPART), "httpie", files=[("a.bin", b"\x00\x01\xff")])
    assert code.startswith("{ base64 -d <<< ") and "; cat a.bin; " in code


@pytest.mark.parametrize("target,unset", [("curl", "-H Content-Type:"), ("httpie", "  Content-Type: \\\n"),
                                          ("powershell", "PowerShell adds application/x-www-form-urlencoded")])
def test_a_missing_content_type_stays_missing(target: str, unset: str) -> None:
    code = to_code(HttpRequest("POST", "http://h/", (), b"plain"), target)
    assert unset in code, code
    with_type = to_code(HttpRequest("POST", "http://h/", (("Content-Type", "text/plain"),), b"plain"), target)
    assert unset not in with_type


def test_python_and_fetch_bodies_are_bytes_so_no_library_adds_a_content_type() -> None:
    request = HttpRequest("POST", "http://h/", (), b'{"a": 1}')
    assert "content=b'{\"a\": 1}'" in to_code(request, "python-httpx")
    assert "data=b'{\"a\": 1}'" in to_code(request, "python-requests")
    assert "json=" not in to_code(request, "python-requests")
    assert "body: new TextEncoder().encode(" in to_code(request, "javascript-fetch")


SECRET = HttpRequest("POST", "http://h/x?access_token=tok123&page=2",
                     (("Authorization", "Bearer s3cr3t"), ("X-Api-Key", "k3y"), ("Content-Type", "application/json")),
                     b'{"password": "hunter2", "user": "ann"}')


@pytest.mark.parametrize("target", list(TARGETS))
def test_secrets_are_redacted_unless_included_deliberately(target: str) -> None:
    code = to_code(SECRET, target)
    for secret in ("tok123", "s3cr3t", "k3y", "hunter2"):
        assert secret not in code
    assert "ann" in code and "page=2" in code
    kept = to_code(SECRET, target, keep=frozenset({"authorization"}))
    assert "s3cr3t" in kept and "k3y" not in kept
    assert all(s in to_code(SECRET, target, redact=False) for s in ("tok123", "s3cr3t", "k3y"))
    assert REDACTED in code or json.dumps(REDACTED)[1:-1] in code


def test_requests_joins_repeated_headers_and_says_so() -> None:
    code = to_code(HttpRequest("GET", "http://h/", (("X-A", "1"), ("x-a", "2"), ("Cookie", "a=1"), ("Cookie", "b=2"))),
                   "python-requests", redact=False)
    headers = ast.literal_eval(_keyword(_call(code, "requests.request"), "headers"))
    assert headers == {"X-A": "1, 2", "Cookie": "a=1; b=2"}
    assert "# requests sends one header per name" in code


def test_powershell_uses_custom_method_and_content_type_parameter() -> None:
    code = to_code(HttpRequest("PURGE", "http://h/", (("Content-Type", "text/plain"), ("X-A", "1")), b"x"),
                   "powershell")
    assert "-CustomMethod 'PURGE'" in code and "-ContentType 'text/plain'" in code
    assert "'X-A' = '1'" in code and "'Content-Type' =" not in code
    assert "UTF8.GetBytes('x')" in code


def test_an_unknown_target_is_a_sentence() -> None:
    with pytest.raises(UnknownTarget, match="choose one of curl, curl-cmd, python-httpx"):
        to_code(SECRET, "cobol")


cmd_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF, include_characters="\n\t",
                                 exclude_characters="\x7f"), max_size=30)


@settings(max_examples=150, deadline=None)
@given(value=cmd_text.filter(lambda v: "\n" not in v and "\t" not in v and v == v.strip()), body=cmd_text)
def test_curl_for_cmd_reads_back_as_the_same_request(value: str, body: str) -> None:
    """Read back by the importer's cmd.exe + C runtime lexer (tests/core/formats/curl/test_curl_lex_cmd.py)."""
    from app.core.formats.curl import parse_curl

    request = HttpRequest("PATCH", "http://h/x?q=%PATH%&a=b", (("X-A", value), ("Content-Type", "text/plain")),
                          body.encode())
    assert parse_curl(to_code(request, "curl-cmd", redact=False)).request == request


def test_curl_for_cmd_reads_a_body_it_cannot_hold_from_a_file() -> None:
    multipart = HttpRequest("POST", "http://h/", (("Content-Type", "multipart/form-data; boundary=B"),), MULTIPART)
    code = to_code(multipart, "curl-cmd")
    assert code.startswith("REM cmd.exe cannot hold this body's bytes")
    assert code.endswith('--data-binary ^"@body.bin^"\n')
    code = to_code(HttpRequest("PUT", "http://h/", (), b"\x00"), "curl-cmd", files=[("C:\\data\\a b.bin", b"\x00")])
    assert '--data-binary ^"@C:\\data\\a b.bin^"' in code and "REM" not in code


def test_cmd_refuses_a_request_whose_url_or_headers_hold_a_control_character():
    """A carriage return from an imported capture, pasted into cmd.exe, ends the command and runs the rest."""
    from app.core.formats.code import CodeError, to_code
    from app.core.models import HttpRequest

    for request in (HttpRequest("GET", "http://example.com/a\r\ncalc.exe", ()),
                    HttpRequest("GET", "http://example.com/a", (("X-A", "v\rcalc.exe\r"),))):
        with pytest.raises(CodeError, match="cmd.exe cannot hold"):
            to_code(request, "curl-cmd")
        assert "curl" in to_code(request, "curl")  # bash quoting holds it
