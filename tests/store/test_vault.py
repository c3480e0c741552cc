"""app/store/vault.py: Fernet sealing with a key kept in a secret store (keyring, consented file, or memory)."""

from __future__ import annotations

from app.store.secrets import MemorySecrets, PlainFileSecrets, SecretStoreError
from app.store.vault import KEY_NAME, Vault, open_vault, session_vault


class KeptSecrets(MemorySecrets):
    """Stands for the system keyring: persistent, outlives the Vault objects."""

    persistent = True


class BrokenKeyring(KeptSecrets):
    def get(self, key: str) -> str | None:
        raise SecretStoreError("Could not read the secret from the system keyring (locked).")


def test_seal_and_open_round_trip_and_no_clear_text() -> None:
    vault = Vault(KeptSecrets())
    token = vault.seal(b"Bearer s3cr3t-value")
    assert b"s3cr3t" not in token
    assert vault.open(token) == b"Bearer s3cr3t-value"
    assert vault.open(token.decode("ascii")) == b"Bearer s3cr3t-value"


def test_the_key_is_kept_in_the_store_and_reused() -> None:
    store = KeptSecrets()
    token = Vault(store).seal(b"x")
    assert store.get(KEY_NAME)
    assert Vault(store).open(token) == b"x"  # a later session with the same keyring reads it
    assert vault_persistent(store)


def vault_persistent(store) -> bool:
    return Vault(store).persistent


def test_another_key_or_damaged_token_opens_to_none() -> None:
    token = Vault(KeptSecrets()).seal(b"x")
    assert Vault(KeptSecrets()).open(token) is None
    assert Vault(KeptSecrets()).open(b"not a token") is None
    assert Vault(KeptSecrets()).open(None) is None


def test_a_failing_keyring_falls_back_to_this_session_with_a_note() -> None:
    vault = Vault(BrokenKeyring())
    token = vault.seal(b"x")
    assert vault.open(token) == b"x"
    assert not vault.persistent
    assert "locked" in vault.note and "this session only" in vault.note


def test_no_keyring_without_consent_is_session_only_and_with_consent_is_the_plain_file(tmp_path) -> None:
    session = open_vault(tmp_path, False)
    assert not session.persistent and "session only" in session.describe()
    assert session_vault().open(session.seal(b"y")) == b"y"  # one session key for the whole process
    consented = open_vault(tmp_path, True)
    assert isinstance(consented.secrets, PlainFileSecrets) and consented.persistent
    token = consented.seal(b"z")
    assert Vault(PlainFileSecrets(tmp_path / "secrets.json", consent=True)).open(token) == b"z"
