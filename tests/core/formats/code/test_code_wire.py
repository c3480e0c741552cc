"""Copy as code on the wire: the generated Python (httpx and requests), curl and JavaScript fetch are run against
the practice server's /echo, and what the server received is compared with what the app itself sends
(app.net.transport): method, path and query, headers in order, body bytes.

Headers each client adds of its own accord are left out of the comparison (listed in LIBRARY_HEADERS); the body's
length is compared through the body itself.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.draft import Part, RequestDraft, Row, build_request
from app.core.formats.code import to_code
from app.core.formats.curl import bash_quote
from app.core.models import HttpRequest
from app.net.transport import Transport

# Added by the app (httpx) or by the generated code's client, never typed in these requests.
LIBRARY_HEADERS = frozenset({"host", "user-agent", "accept", "accept-encoding", "connection", "content-length"})
FETCH_HEADERS = frozenset({"accept-language", "sec-fetch-mode"})  # what Node's fetch (undici) adds besides
HOSTILE = 'it\'s "q" $HOME `id` \\ %PATH% ^&|'


def _echo_of(body: bytes) -> dict:
    return json.loads(body)


def _seen(echo: dict, fold_case: bool = False) -> tuple:
    added = LIBRARY_HEADERS | (FETCH_HEADERS if fold_case else frozenset())
    headers = [(n.lower() if fold_case else n, v) for n, v in echo["headers"] if n.lower() not in added]
    body = base64.b64decode(echo["body"]) if echo["body_encoding"] == "base64" else echo["body"].encode()
    return echo["method"], echo["target"], headers, body


def _app_sends(request: HttpRequest) -> dict:
    async def send():
        transport = Transport()
        try:
            return await transport.send(request)
        finally:
            await transport.aclose()

    exchange = asyncio.run(send())
    assert exchange.response is not None, exchange.error
    return _echo_of(exchange.response.body)


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}  # loopback, direct


def _run(target: str, code: str, tmp_path: Path) -> dict:
    if target.startswith("python"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(), timeout=60)
        text = out.stdout.decode().split("\n", 1)[1]  # first line: status and reason
    elif target == "curl":
        out = subprocess.run(["bash", "-c", code.replace("curl ", "curl -sS ", 1)], capture_output=True, env=_env(),
                             timeout=60, cwd=tmp_path)
        text = out.stdout.decode()
    else:
        script = tmp_path / "send.mjs"
        script.write_text(code)
        out = subprocess.run(["node", str(script)], capture_output=True, env=_env(), timeout=60)
        text = out.stdout.decode().split("\n", 1)[1]
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(text)


def _cases(demo: str, tmp_path: Path) -> dict[str, tuple[HttpRequest, list[tuple[str, bytes]]]]:
    blob = bytes(range(256)) * 3
    (tmp_path / "blob.bin").write_bytes(blob)
    (tmp_path / "note's.txt").write_bytes(b"a file's text\r\nline 2\n")
    read: list[tuple[str, bytes]] = []

    def read_file(path: str) -> bytes:
        read.append((path, Path(path).read_bytes()))
        return read[-1][1]

    multipart = build_request(RequestDraft(method="POST", url=f"{demo}/echo?kind=multipart", body_kind="multipart",
                                           headers=(Row("X-Before", "1"),),
                                           multipart=(Part("title", HOSTILE),
                                                      Part("blob", "", str(tmp_path / "blob.bin")),
                                                      Part("note", "", str(tmp_path / "note's.txt")))),
                              read_file=read_file)
    return {
        "json with its type": (HttpRequest("POST", f"{demo}/echo?a=1&b=two%20words&c=%24x", (
            ("X-First", "1"), ("Content-Type", "application/json"), ("X-Quote", HOSTILE), ("X-Empty", ""),
            ("X-Last", "z")), json.dumps({"q": HOSTILE, "n": [1, 2]}).encode()), []),
        "text without Content-Type": (HttpRequest("POST", f"{demo}/echo", (("X-A", "1"),), b"plain text\n"), []),
        "binary file": (HttpRequest("PUT", f"{demo}/echo", (("Content-Type", "application/octet-stream"),), blob),
                        [(str(tmp_path / "blob.bin"), blob)]),
        "multipart with files": (multipart, read),
        "get without body": (HttpRequest("GET", f"{demo}/echo?x=1", (("X-A", "1"), ("X-B", "2"))), []),
        "delete with inline bytes": (HttpRequest("DELETE", f"{demo}/echo", (("X-A", "1"),), b"\x00\xff\r\n"), []),
    }


TARGETS = ["python-httpx", "python-requests", "curl"] + (["javascript-fetch"] if shutil.which("node") else [])


@pytest.mark.parametrize("target", TARGETS)
def test_generated_code_sends_what_the_app_sends(demo: str, tmp_path: Path, target: str) -> None:
    fold = target == "javascript-fetch"  # fetch (undici) writes header names in lower case and adds two
    for name, (request, files) in _cases(demo, tmp_path).items():
        expected = _seen(_app_sends(request), fold)
        code = to_code(request, target, redact=False, files=files)
        if files:
            # read from the file, not inlined (the path as it is, or quoted for bash)
            assert all(path in code or bash_quote(path) in code for path, _ in files), (name, code)
        got = _seen(_run(target, code, tmp_path), fold)
        assert got == expected, (name, code)


def test_the_comparison_sees_a_content_type_a_library_adds(demo: str, tmp_path: Path) -> None:
    """requests' json= adds Content-Type: the comparison above would catch a generator that used it."""
    request = HttpRequest("POST", f"{demo}/echo", (), b'{"a": 1}')
    code = to_code(request, "python-requests", redact=False).replace("data=b'{\"a\": 1}'", "json={'a': 1}")
    got = _seen(_run("python-requests", code, tmp_path))
    assert ("Content-Type", "application/json") in got[2]
    assert got != _seen(_app_sends(request))
