"""app/store/secrets.py: consent rule, 0600 plain file, optional keyring, choice of store."""

from __future__ import annotations

import json
import stat
import sys
import types
from pathlib import Path

import pytest

from app.store.secrets import (
    NO_KEYRING_NO_CONSENT,
    KeyringSecrets,
    MemorySecrets,
    PlainFileSecrets,
    SecretStore,
    SecretStoreError,
    choose_secret_store,
)


class _PasswordDeleteError(Exception):
    pass


_PasswordDeleteError.__name__ = "PasswordDeleteError"


def fake_keyring(backend_module: str = "keyring.backends.SecretService", priority: float = 5) -> types.ModuleType:
    """A stand-in for the optional ``keyring`` package (pure logic: the mapping onto its API)."""
    store: dict[tuple[str, str], str] = {}
    backend_cls = type("Keyring", (), {"priority": priority, "__module__": backend_module})
    mod = types.ModuleType("keyring")
    mod.store = store
    mod.get_keyring = lambda: backend_cls()
    mod.get_password = lambda service, user: store.get((service, user))
    mod.set_password = lambda service, user, value: store.__setitem__((service, user), value)

    def delete_password(service, user):
        if (service, user) not in store:
            raise _PasswordDeleteError("Password not found")
        del store[(service, user)]

    mod.delete_password = delete_password
    return mod


@pytest.fixture
def no_keyring(monkeypatch):
    monkeypatch.setitem(sys.modules, "keyring", None)  # makes `import keyring` raise ImportError


def test_plain_file_without_consent_refuses_to_store(tmp_path: Path) -> None:
    store = PlainFileSecrets(tmp_path / "secrets.json", consent=False)
    assert store.available is False
    with pytest.raises(SecretStoreError) as info:
        store.set("env/dev/token", "s3cret")
    assert str(info.value) == NO_KEYRING_NO_CONSENT
    assert not (tmp_path / "secrets.json").exists()
    assert "consent" in store.describe()


def test_plain_file_with_consent_is_0600_and_persists(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    store = PlainFileSecrets(path, consent=True)
    store.set("env/dev/token", "s3cret")
    store.set("env/dev/other", "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["secrets"]["env/dev/token"] == "s3cret"
    again = PlainFileSecrets(path, consent=True)
    assert again.get("env/dev/token") == "s3cret"
    again.delete("env/dev/token")
    again.delete("env/dev/token")  # deleting a missing key is fine
    assert PlainFileSecrets(path, consent=False).get("env/dev/token") is None
    assert PlainFileSecrets(path, consent=False).get("env/dev/other") == "x"  # reading needs no consent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(path) in again.describe() and "plain text" in again.describe()


def test_plain_file_loosened_permissions_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    PlainFileSecrets(path, consent=True).set("k", "v")
    path.chmod(0o644)
    assert PlainFileSecrets(path, consent=True).get("k") == "v"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_plain_file_damaged_is_moved_aside_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    path.write_bytes(b"\xff{not json")
    store = PlainFileSecrets(path, consent=True)
    assert store.get("k") is None
    assert store.note and "moved aside" in store.note
    store.set("k", "v")
    assert store.get("k") == "v"


def test_memory_secrets() -> None:
    store = MemorySecrets()
    assert isinstance(store, SecretStore)
    store.set("a", "1")
    assert store.get("a") == "1"
    store.delete("a")
    store.delete("a")
    assert store.get("a") is None
    assert "this session only" in store.describe()


def test_keyring_absent_is_unavailable_not_an_error(no_keyring) -> None:
    store = KeyringSecrets()
    assert store.available is False
    assert "not installed" in store.describe()
    with pytest.raises(SecretStoreError, match="cannot be used"):
        store.get("x")


@pytest.mark.parametrize("module", ["keyring.backends.fail", "keyring.backends.null"])
def test_keyring_fail_or_null_backend_counts_as_unavailable(monkeypatch, module: str) -> None:
    monkeypatch.setitem(sys.modules, "keyring", fake_keyring(module, priority=0))
    store = KeyringSecrets()
    assert store.available is False
    assert "no system keyring service" in store.describe()


def test_keyring_with_real_backend_maps_calls(monkeypatch) -> None:
    fake = fake_keyring()
    monkeypatch.setitem(sys.modules, "keyring", fake)
    store = KeyringSecrets()
    assert store.available is True and isinstance(store, SecretStore)
    store.set("env/dev/token", "t")
    assert fake.store == {("request-inspector", "env/dev/token"): "t"}
    assert store.get("env/dev/token") == "t"
    store.delete("env/dev/token")
    store.delete("env/dev/token")  # PasswordDeleteError is swallowed
    assert store.get("env/dev/token") is None
    assert "system keyring" in store.describe()


def test_keyring_backend_error_becomes_a_sentence(monkeypatch) -> None:
    fake = fake_keyring()

    def locked(service, user, value):
        raise RuntimeError("collection is locked")

    fake.set_password = locked
    monkeypatch.setitem(sys.modules, "keyring", fake)
    with pytest.raises(SecretStoreError, match="Could not store the secret 'k' in the system keyring"):
        KeyringSecrets().set("k", "value")


def test_choose_prefers_keyring(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "keyring", fake_keyring())
    assert isinstance(choose_secret_store(tmp_path, consent_plain=True), KeyringSecrets)


def test_choose_plain_file_only_with_consent(no_keyring, tmp_path: Path) -> None:
    store = choose_secret_store(tmp_path, consent_plain=True)
    assert isinstance(store, PlainFileSecrets)
    store.set("k", "v")
    assert (tmp_path / "secrets.json").exists()


def test_choose_memory_without_keyring_or_consent(no_keyring, tmp_path: Path) -> None:
    store = choose_secret_store(tmp_path, consent_plain=False)
    assert isinstance(store, MemorySecrets)
    assert "session only" in store.describe() and "No system keyring" in store.describe()
    store.set("k", "v")
    assert list(tmp_path.iterdir()) == []
