"""app/store/environments.py with a real JSON file in a tmp dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import app.store.atomic as atomic
from app.store.environments import Environments, EnvironmentsError, Variable
from app.store.secrets import MemorySecrets, PlainFileSecrets, SecretStoreError

TOKEN = "tok-7d1f9c2a-SECRET-value"


@pytest.fixture
def secrets() -> MemorySecrets:
    return MemorySecrets()


@pytest.fixture
def envs(tmp_path: Path, secrets: MemorySecrets) -> Environments:
    e = Environments(tmp_path / "environments.json", secrets)
    e.add("dev")
    e.set_var("dev", "base_url", "http://127.0.0.1:8000")
    e.set_var("dev", "token", TOKEN, secret=True)
    return e


def test_secret_values_never_reach_the_json_file(envs: Environments, tmp_path: Path) -> None:
    envs.add("prod")
    envs.set_var("prod", "password", "hunter2-" + TOKEN, secret=True)
    envs.rename("prod", "production")
    data = (tmp_path / "environments.json").read_bytes()
    assert TOKEN.encode() not in data and b"hunter2" not in data
    parsed = json.loads(data)
    assert parsed["environments"]["dev"]["token"] == {"secret": True}
    assert parsed["environments"]["dev"]["base_url"] == {"value": "http://127.0.0.1:8000"}
    assert envs.get("dev") == {"base_url": "http://127.0.0.1:8000", "token": TOKEN}
    assert envs.get("production")["password"] == "hunter2-" + TOKEN


def test_reload_from_disk_keeps_everything(envs: Environments, tmp_path: Path, secrets: MemorySecrets) -> None:
    envs.active = "dev"
    again = Environments(tmp_path / "environments.json", secrets)
    assert again.names() == ["dev"]
    assert again.active == "dev"
    assert again.get("dev") == {"base_url": "http://127.0.0.1:8000", "token": TOKEN}
    assert again.entries("dev") == [
        Variable("base_url", "http://127.0.0.1:8000", False), Variable("token", None, True)]
    assert again.note is None


def test_secret_lost_by_store_is_reported_missing(envs: Environments, tmp_path: Path) -> None:
    fresh = Environments(tmp_path / "environments.json", MemorySecrets())  # e.g. after a restart, session-only
    assert fresh.get("dev") == {"base_url": "http://127.0.0.1:8000"}
    assert fresh.missing_secrets("dev") == ["token"]
    assert fresh.is_secret("dev", "token")


def test_making_a_secret_plain_deletes_it_from_the_store(envs: Environments, secrets: MemorySecrets) -> None:
    envs.set_var("dev", "token", "public", secret=False)
    assert secrets.get("env/dev/token") is None
    assert envs.get("dev")["token"] == "public"
    envs.set_var("dev", "token", TOKEN, secret=True)
    envs.delete_var("dev", "token")
    assert secrets.get("env/dev/token") is None
    assert "token" not in envs.get("dev")


def test_variables_resolves_references(envs: Environments) -> None:
    envs.set_var("dev", "api", "{{base_url}}/v1")
    envs.set_var("dev", "users", "{{ api }}/users?t={{token}}")
    envs.set_var("dev", "loop_a", "{{loop_b}}")
    envs.set_var("dev", "loop_b", "{{loop_a}}")
    envs.set_var("dev", "unknown", "{{nope}}")
    v = envs.variables("dev")
    assert v["users"] == f"http://127.0.0.1:8000/v1/users?t={TOKEN}"
    assert v["unknown"] == "{{nope}}"
    assert "{{" in v["loop_a"]  # a cycle stays visible instead of hanging


def test_add_remove_rename_and_active(envs: Environments, secrets: MemorySecrets, tmp_path: Path) -> None:
    envs.add("b")
    envs.add("A")
    assert envs.names() == ["A", "b", "dev"]
    with pytest.raises(EnvironmentsError, match="already exists"):
        envs.add("dev")
    envs.active = "dev"
    envs.rename("dev", "local")
    assert envs.active == "local"
    assert secrets.get("env/local/token") == TOKEN and secrets.get("env/dev/token") is None
    with pytest.raises(EnvironmentsError, match="already exists"):
        envs.rename("local", "A")
    envs.remove("local")
    assert envs.active is None
    assert secrets.get("env/local/token") is None
    with pytest.raises(EnvironmentsError, match="no environment called 'local'"):
        envs.active = "local"
    with pytest.raises(EnvironmentsError, match="no environment"):
        envs.get("local")
    assert json.loads((tmp_path / "environments.json").read_text())["active"] is None


def test_bad_names_are_sentences(envs: Environments) -> None:
    with pytest.raises(EnvironmentsError, match="needs a name"):
        envs.add("   ")
    with pytest.raises(EnvironmentsError, match="not a valid variable name"):
        envs.set_var("dev", "has space", "x")
    with pytest.raises(EnvironmentsError, match="has no variable"):
        envs.delete_var("dev", "missing")


def test_secret_store_without_consent_refuses_and_file_is_unchanged(tmp_path: Path) -> None:
    store = PlainFileSecrets(tmp_path / "secrets.json", consent=False)
    envs = Environments(tmp_path / "environments.json", store)
    envs.add("dev")
    before = (tmp_path / "environments.json").read_bytes()
    with pytest.raises(SecretStoreError, match="needs your consent"):
        envs.set_var("dev", "token", TOKEN, secret=True)
    assert (tmp_path / "environments.json").read_bytes() == before
    assert envs.get("dev") == {}


def test_failed_save_changes_nothing(envs: Environments, tmp_path: Path, monkeypatch) -> None:
    before = (tmp_path / "environments.json").read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(EnvironmentsError, match="Could not save"):
        envs.set_var("dev", "base_url", "http://127.0.0.1:9999")
    monkeypatch.undo()
    assert envs.get("dev")["base_url"] == "http://127.0.0.1:8000"
    assert (tmp_path / "environments.json").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["environments.json"]


@pytest.mark.parametrize("content", [b"{broken", b"[1, 2]", b'{"environments": {"dev": 5}}', b"\xff\xfe"])
def test_damaged_file_gives_empty_environments_and_a_note(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "environments.json"
    path.write_bytes(content)
    envs = Environments(path, MemorySecrets())
    assert envs.names() == []
    assert envs.note and "damaged" in envs.note
    moved = list(tmp_path.glob("environments.json.broken-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == content
    envs.add("dev")
    assert Environments(path, MemorySecrets()).names() == ["dev"]
