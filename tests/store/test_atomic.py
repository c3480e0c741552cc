"""app/store/atomic.py on real files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import app.store.atomic as atomic
from app.store.atomic import atomic_write_bytes, atomic_write_json, is_temp_name, move_aside


def test_write_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.bin"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two" * 10_000)
    assert target.read_bytes() == b"two" * 10_000
    assert os.listdir(target.parent) == ["f.bin"]


def test_mode_is_set_before_the_file_appears_and_kept_on_replace(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    atomic_write_json(target, {"a": 1}, mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    atomic_write_json(target, {"a": 2})  # no mode given: keeps the existing one
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("failing", ["replace", "write", "fsync"])
def test_failure_leaves_old_content_and_no_temp_file(tmp_path: Path, monkeypatch, failing: str) -> None:
    target = tmp_path / "f.txt"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, failing, boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["f.txt"]


def test_move_aside_names_are_unique(tmp_path: Path) -> None:
    a = tmp_path / "x.db"
    a.write_text("1")
    first = move_aside(a, now=0)
    a.write_text("2")
    second = move_aside(a, now=0)
    assert first != second and first.read_text() == "1" and second.read_text() == "2"
    assert ".broken-" in first.name and not a.exists()


def test_is_temp_name() -> None:
    assert is_temp_name(".f.http.abc123.tmp")
    assert not is_temp_name("f.http")


def test_a_damaged_file_is_set_aside_with_a_sentence(tmp_path):
    from app.store.atomic import set_aside_damaged

    broken = tmp_path / "settings.json"
    broken.write_text("{not json")
    note = set_aside_damaged(broken, "settings file", "default settings are used")
    assert not broken.exists() and "{not json" in next(tmp_path.glob("settings.json.broken-*")).read_text()
    assert note.startswith(f"The settings file {broken} was damaged; it was moved aside to ")
    assert note.endswith(" and default settings are used.")
    gone = set_aside_damaged(tmp_path / "missing.json", "settings file", "default settings are used")
    assert "it was left in place" in gone  # a file that cannot be moved: still a sentence, never an exception
