"""Encryption of secret values at rest (history rows, open tabs' drafts in the settings file).

The history file and settings.json are plain files anyone with the disk can read; the secret parts of what
they keep (tokens, passwords, API keys: see app.core.redact) are stored only as Fernet tokens
(``cryptography``: AES-128-CBC + HMAC-SHA256, authenticated). The key lives where secret environment values
live (app.store.secrets): the system keyring, or a 0600 plain file the user consented to. Without either,
the key is kept in memory for this session only: what this session writes stays unreadable on disk, and is
simply lost for the next session (listed and shown in its redacted form).

``open_vault(home, consent)`` gives the process's vault for a data folder; ``Vault.open`` never raises for a
token it cannot decrypt (another key, damaged bytes): it returns None and the caller shows the redacted form.
"""

from __future__ import annotations

import os
import threading

from app.store.secrets import MemorySecrets, SecretStore, SecretStoreError, choose_secret_store

KEY_NAME = "at-rest/key"
_SESSION_REASON = "No system keyring is available and plain-text storage was not allowed."
_session_store = MemorySecrets(reason=_SESSION_REASON)  # one per process: every session-only vault shares it
_vaults: dict[tuple[str, bool], Vault] = {}
_vaults_lock = threading.Lock()


class Vault:
    """Seals and opens bytes with a Fernet key kept in ``secrets`` (fetched on first use, created if missing)."""

    def __init__(self, secrets: SecretStore) -> None:
        self.secrets = secrets
        self.note: str | None = None  # a sentence when the key could not be kept where it should have been
        self._fernet = None
        self._lock = threading.Lock()

    @property
    def persistent(self) -> bool:
        """False: sealed values can be read in this session only."""
        return bool(self.secrets.persistent and self.secrets.available) and self.secrets is not _session_store

    def describe(self) -> str:
        if self.persistent:
            return "Secrets in the history and in open tabs are encrypted; the key is kept safe: " \
                   + self.secrets.describe()
        return ("Secrets in the history and in open tabs are encrypted with a key kept for this session only: "
                "after a restart they are shown redacted. " + self.secrets.describe())

    def _cipher(self):
        with self._lock:
            if self._fernet is None:
                from cryptography.fernet import Fernet  # ~70 ms: only when something is sealed or opened

                self._fernet = Fernet(self._key(Fernet))
            return self._fernet

    def _key(self, fernet_class) -> bytes:
        try:
            key = self.secrets.get(KEY_NAME)
            if key is None:
                key = fernet_class.generate_key().decode("ascii")
                self.secrets.set(KEY_NAME, key)
            return key.encode("ascii")
        except (SecretStoreError, UnicodeError) as exc:
            self.note = f"{exc} Secrets are encrypted with a key kept for this session only."
            self.secrets = _session_store
            key = _session_store.get(KEY_NAME)
            if key is None:
                key = fernet_class.generate_key().decode("ascii")
                _session_store.set(KEY_NAME, key)
            return key.encode("ascii")

    def seal(self, data: bytes) -> bytes:
        """``data`` encrypted and authenticated (a Fernet token, ASCII bytes)."""
        return self._cipher().encrypt(data)

    def open(self, token: bytes | str | None) -> bytes | None:  # noqa: A003
        """The bytes sealed in ``token``; None when it cannot be decrypted here (no key, another key, damaged)."""
        if not token:
            return None
        from cryptography.fernet import InvalidToken

        try:
            return self._cipher().decrypt(token if isinstance(token, bytes) else token.encode("ascii"))
        except (InvalidToken, ValueError, TypeError):
            return None


def session_vault() -> Vault:
    """A vault whose key lives in this process only (tests, and the fallback when nothing better is allowed)."""
    with _vaults_lock:
        vault = _vaults.get(("", False))
        if vault is None:
            vault = _vaults[("", False)] = Vault(_session_store)
        return vault


def open_vault(home: str | os.PathLike[str], consent_plain: bool) -> Vault:
    """The process's vault for the data folder ``home``: key in the keyring, a consented plain file, or memory."""
    cache_key = (os.fspath(home), bool(consent_plain))
    with _vaults_lock:
        vault = _vaults.get(cache_key)
    if vault is not None:
        return vault
    store = choose_secret_store(home, consent_plain)
    if not store.persistent:
        store = _session_store
    vault = Vault(store)
    with _vaults_lock:
        return _vaults.setdefault(cache_key, vault)


def command_line_vault() -> Vault:
    """The vault a command-line run uses: the window's data folder and key (the consent to a plain file is the
    plain secrets file existing, as for environments)."""
    from app.paths import data_home
    from app.store.secrets import PLAIN_FILE_NAME

    home = data_home()
    return open_vault(home, (home / PLAIN_FILE_NAME).exists())
