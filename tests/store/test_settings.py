"""app/store/settings.py with a real JSON file in a tmp dir."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

import app.store.atomic as atomic
from app.store.settings import Settings, SettingsError


def test_set_get_and_reload(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    s = Settings(path)
    geometry = base64.b64encode(bytes(range(64))).decode()
    draft = {"method": "POST", "url": "http://127.0.0.1:8000/users", "headers": [["Accept", "*/*"]], "body": "é"}
    s.set("window/geometry", geometry)
    s.set("api_docs_path", "/home/u/errors.md")
    s.set("last_draft", draft)
    again = Settings(path)
    assert again.get("window/geometry") == geometry
    assert again.get("last_draft") == draft
    assert again.get("missing", 42) == 42
    assert again.note is None
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_get_returns_copies(tmp_path: Path) -> None:
    s = Settings(tmp_path / "s.json")
    s.set("list", [1, 2])
    s.get("list").append(3)
    assert s.get("list") == [1, 2]


def test_defaults_and_delete(tmp_path: Path) -> None:
    s = Settings(tmp_path / "s.json", defaults={"timeout": 30})
    assert s.get("timeout") == 30
    s.set("timeout", 5)
    assert s.get("timeout") == 5
    s.delete("timeout")
    s.delete("timeout")
    assert s.get("timeout") == 30
    assert s.all() == {"timeout": 30}


def test_not_json_value_is_refused_with_a_sentence(tmp_path: Path) -> None:
    s = Settings(tmp_path / "s.json")
    with pytest.raises(SettingsError, match="not plain data"):
        s.set("x", object())
    with pytest.raises(SettingsError, match="not plain data"):
        s.set("x", float("nan"))
    assert not (tmp_path / "s.json").exists()


@pytest.mark.parametrize("content", [b"", b"{oops", b"[]", b'{"settings": 3}', b"\xff\x00garbage"])
def test_corrupt_file_gives_defaults_and_a_note(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    s = Settings(path, defaults={"theme": "light"})
    assert s.get("theme") == "light"
    assert s.note and "default settings are used" in s.note
    assert [p.read_bytes() for p in tmp_path.glob("settings.json.broken-*")] == [content]
    s.set("theme", "dark")
    assert json.loads(path.read_text())["settings"] == {"theme": "dark"}


def test_failed_write_keeps_old_file_and_memory(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "s.json"
    s = Settings(path)
    s.set("a", 1)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(SettingsError, match="Could not save the settings file"):
        s.set("a", 2)
    monkeypatch.undo()
    assert s.get("a") == 1
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]
