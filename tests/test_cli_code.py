"""``request-inspector diagnose --as-code TARGET``: the code is printed instead of sending, and running it sends what
``diagnose`` itself would send."""

from __future__ import annotations

import json
import subprocess
import sys

from app.cli import EXIT_OK, EXIT_USAGE, main


def test_as_code_prints_code_that_sends_the_typed_request(demo, tmp_path, capsys) -> None:
    upload = tmp_path / "it's.bin"
    upload.write_bytes(b"\x00\x01 bytes")
    argv = ["diagnose", "-X", "PUT", "-H", "X-Trace: 1", "-H", "Authorization: Bearer S3CRET",
            "--data-binary", f"@{upload}", f"{demo}/echo?a=1"]
    assert main([*argv[:1], "--as-code", "python-httpx", *argv[1:]]) == EXIT_OK
    code = capsys.readouterr().out
    assert f"Path({str(upload)!r}).read_bytes()" in code and "S3CRET" not in code

    assert main([*argv[:1], "--as-code", "python-httpx", "--show-secrets", *argv[1:]]) == EXIT_OK
    code = capsys.readouterr().out
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, timeout=60).stdout.decode()
    echo = json.loads(out.split("\n", 1)[1])
    assert echo["method"] == "PUT" and echo["target"] == "/echo?a=1" and echo["body_length"] == 8
    typed = [(n, v) for n, v in echo["headers"] if n in ("X-Trace", "Authorization", "Content-Type")]
    assert typed == [("X-Trace", "1"), ("Authorization", "Bearer S3CRET")]  # no Content-Type added


def test_as_code_sends_nothing_and_an_unknown_target_is_a_usage_error(capsys) -> None:
    assert main(["diagnose", "--as-code", "httpie", "http://127.0.0.1:9/never"]) == EXIT_OK  # nothing listens there
    assert capsys.readouterr().out == "http GET http://127.0.0.1:9/never\n"
    assert main(["diagnose", "--as-code", "cobol", "http://127.0.0.1:9/"]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "invalid choice: 'cobol'" in err and "python-requests" in err and "Traceback" not in err
