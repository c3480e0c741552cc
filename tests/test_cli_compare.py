"""`request-inspector compare A B` on real exchanges with the practice server: a request made to fail by dropping a
header between two sends, compared from a HAR file and from the history."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.cli import main
from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.formats.har import to_har
from app.core.models import HttpRequest
from app.net.transport import Transport
from app.store.history import History

BODY = b'{"item": "coffee", "quantity": 2}'


def _send(*requests: HttpRequest):
    async def go():
        transport = Transport()
        try:
            return [await transport.send(r) for r in requests]
        finally:
            await transport.aclose()

    return asyncio.run(go())


@pytest.fixture(scope="module")
def exchanges(demo):
    """The same POST sent twice: with its Content-Type, then without it."""
    ok = HttpRequest("POST", f"{demo}/orders", (("Content-Type", "application/json"),), BODY)
    lost = HttpRequest("POST", f"{demo}/orders", (), BODY)
    return _send(ok, lost)


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_a_dropped_header_is_named_from_a_har_file(exchanges, tmp_path, capsys):
    har = tmp_path / "capture.har"
    har.write_text(to_har(exchanges, redact=False))
    code, out = _run(capsys, "compare", f"{har}#1", f"{har}#2", "--json")
    result = json.loads(out)
    assert code == 3
    assert result["summary"] == "415 instead of 201: the request lost its Content-Type header"
    assert [(h["name"], h["kind"]) for h in result["request"]["headers"]] == [("Content-Type", "removed")]
    assert "request-missing-content-type" in [f["id"] for f in result["findings"]["added"]]
    assert result["status"]["a"]["documented_as"] == "201 Created"
    assert result["body"]["kind"] == "json" and result["timing"]


def test_the_same_exchange_twice_exits_0_and_text_output_leads_with_the_summary(exchanges, tmp_path, capsys):
    har = tmp_path / "capture.har"
    har.write_text(to_har(exchanges, redact=False))
    code, out = _run(capsys, "diff", f"{har}#2", f"{har}#2")
    assert code == 0 and out.startswith("No difference: 415")


def test_history_entries_compare_too(exchanges, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REQUEST_INSPECTOR_HOME", str(tmp_path))
    catalog = load_default_catalog()
    with History(tmp_path / "history.sqlite3") as history:
        ids = []
        for ex in exchanges:
            d = diagnose(ex, catalog, 0.0)
            ids.append(history.add(ex, documented=d.documented, findings=d.findings, message=None))
    code, out = _run(capsys, "compare", f"history:{ids[0]}", f"history:{ids[1]}")
    assert code == 3
    assert out.splitlines()[0] == "415 instead of 201: the request lost its Content-Type header"
    assert "header - Content-Type: application/json" in out


def test_usage_errors_are_sentences_with_exit_1(exchanges, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REQUEST_INSPECTOR_HOME", str(tmp_path))
    har = tmp_path / "capture.har"
    har.write_text(to_har(exchanges, redact=False))
    assert main(["compare", str(har), f"{har}#1"]) == 1
    assert "holds 2 exchanges; name one as capture.har#N" in capsys.readouterr().err
    assert main(["compare", f"{har}#9", f"{har}#1"]) == 1
    assert "has no entry #9" in capsys.readouterr().err
    assert main(["compare", "history:77", f"{har}#1"]) == 1
    assert "History entry 77 does not exist" in capsys.readouterr().err
    assert main(["compare", str(tmp_path / "missing.txt"), f"{har}#1"]) == 1
    assert "Could not read" in capsys.readouterr().err


@pytest.mark.parametrize("spec", ["history:99999999999999999999999", "history:²", "history:٣", "history:-1",
                                  "history:"])
def test_a_history_number_that_is_no_plain_number_is_a_sentence(spec, tmp_path, monkeypatch, capsys):
    """history:<20 digits> raised OverflowError from sqlite, history:² a ValueError (str.isdigit accepts it)."""
    monkeypatch.setenv("REQUEST_INSPECTOR_HOME", str(tmp_path))
    assert main(["compare", spec, spec]) == 1
    err = capsys.readouterr().err
    assert "should name a history entry by its number" in err and "Traceback" not in err
