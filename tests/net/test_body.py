"""The preview/temp-file sink (the capped decoders are tested in tests/core/test_content_coding.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.net.body import BodySink


def test_sink_keeps_small_bodies_in_memory():
    sink = BodySink(10)
    sink.write(b"hello")
    sink.close()
    assert (sink.preview, sink.truncated, sink.path, sink.size) == (b"hello", False, None, 5)


def test_sink_spills_whole_body_to_temp_file(tmp_path):
    sink = BodySink(10, str(tmp_path / "bodies"))
    for part in (b"0123456", b"789abc", b"defgh"):
        sink.write(part)
    sink.close()
    assert sink.preview == b"0123456789" and sink.truncated and sink.size == 18
    assert Path(sink.path).read_bytes() == b"0123456789abcdefgh"
    sink.discard()
    assert sink.path is None and list((tmp_path / "bodies").iterdir()) == []


# --- temp files: removed when nobody needs them, never filling the disk -------------------------------------


def test_a_spill_that_would_fill_the_disk_is_refused(tmp_path: Path) -> None:
    import shutil

    from app.net.body import DiskReserveError

    free = shutil.disk_usage(tmp_path).free
    sink = BodySink(memory_limit=10, temp_dir=str(tmp_path), disk_reserve=free + 1)  # no room at all
    with pytest.raises(DiskReserveError) as info:
        sink.write(b"x" * 100)
    assert info.value.folder == str(tmp_path)
    sink.discard()
    assert list(tmp_path.iterdir()) == []
    sink.write(b"y" * 100)  # after discard nothing is spilled again
    assert sink.path is None and list(tmp_path.iterdir()) == []


def test_a_decompression_bomb_leaves_no_file_and_no_false_content_length_finding(tmp_path: Path) -> None:
    from app.core.catalog import load_default_catalog
    from app.core.diagnosis import diagnose
    from app.core.models import HttpRequest
    from app.net.transport import SendOptions
    from tests.net import servers as S
    from tests.net.test_transport import send

    bomb = S.gzip_bytes(1500 * 1024 * 1024)  # ~1.5 MB on the wire, 1.5 GB decoded
    opts = SendOptions(timeout=5, deadline=30, memory_body_limit=64 * 1024, max_decoded_bytes=8 * 1024 * 1024)
    ex, _ = send(S.encoded(bomb, "gzip"), lambda s: HttpRequest("GET", s.url()), opts, tmp=tmp_path)
    assert ex.error.kind == "decompression-bomb" and "expands to more than" in ex.error.text
    assert ex.response.body_path is None and list(tmp_path.iterdir()) == []
    assert len(ex.response.body) == 64 * 1024 and ex.response.body_truncated
    d = diagnose(ex, load_default_catalog(), 0)
    assert "response-content-length-mismatch" not in [f.id for f in d.findings]


def test_the_cli_removes_its_spilled_body_when_it_exits(demo, tmp_path: Path, monkeypatch, capsys) -> None:
    import tempfile

    from app.cli import main

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    created = []
    real_mkstemp = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", lambda *a, **k: created.append(real_mkstemp(*a, **k)) or created[-1])
    assert main(["diagnose", f"{demo}/bytes/{6 * 1024 * 1024}"]) == 0
    assert created, "the 6 MB body was not spilled to a temp file"
    assert not Path(created[0][1]).exists()
    assert "200" in capsys.readouterr().out
