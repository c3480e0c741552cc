"""Where secret variable values (tokens, passwords) live: the system keyring, a consented plain file, or memory.

``choose_secret_store`` picks, in order: the system keyring (python ``keyring`` package with a real backend),
a 0600 plain-text JSON file when the user agreed to that, else memory for this session only.
Every store's ``describe()`` is a sentence the settings dialog can show as-is.
``keyring`` is optional: without it installed, ``KeyringSecrets().available`` is simply False.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from app.store.atomic import atomic_write_json, set_aside_damaged

SERVICE = "request-inspector"
PLAIN_FILE_NAME = "secrets.json"
NO_KEYRING_NO_CONSENT = (
    "No system keyring is available on this machine; storing secrets in plain text needs your consent."
)


class SecretStoreError(Exception):
    """A secret could not be stored, read or deleted; the message is a sentence for the user."""


def saved_secret_key(name: str) -> str:
    """The secret-store key of a value lifted out of a saved request (its ``{{secret_…}}`` placeholder name)."""
    return "saved/" + name


@runtime_checkable
class SecretStore(Protocol):
    """Key/value store for secrets. Keys are short strings such as ``"env/dev/token"``."""

    available: bool
    persistent: bool  # False: kept for this session only

    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def describe(self) -> str: ...


class MemorySecrets:
    """Secrets kept in this process only (tests, or session-only when nothing better is allowed)."""

    available = True
    persistent = False

    def __init__(self, reason: str | None = None) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()
        self._reason = reason

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._values[key] = value

    def delete(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)

    def describe(self) -> str:
        text = "Secrets are kept in memory for this session only and are forgotten when the app closes."
        return f"{self._reason} {text}" if self._reason else text


class KeyringSecrets:
    """The system keyring (Secret Service, macOS Keychain, Windows Credential Locker) via ``keyring``."""

    persistent = True

    def __init__(self, service: str = SERVICE) -> None:
        self.service = service
        self._keyring: Any = None
        self._backend_name = ""
        self.available = False
        self._why_not = "the 'keyring' Python package is not installed"
        try:
            import keyring  # optional dependency
        except Exception:  # ImportError, or a broken install
            return
        try:
            backend = keyring.get_keyring()
        except Exception as exc:  # a misconfigured backend must not stop the app
            self._why_not = f"the system keyring could not be loaded ({exc})"
            return
        self._backend_name = f"{type(backend).__module__}.{type(backend).__name__}"
        if _is_real_backend(backend):
            self._keyring = keyring
            self.available = True
        else:
            self._why_not = "no system keyring service is running (for example GNOME Keyring or KWallet)"

    def _require(self) -> Any:
        if not self.available:
            raise SecretStoreError(f"The system keyring cannot be used: {self._why_not}.")
        return self._keyring

    def get(self, key: str) -> str | None:
        kr = self._require()
        try:
            return kr.get_password(self.service, key)
        except Exception as exc:
            raise SecretStoreError(f"Could not read the secret '{key}' from the system keyring ({exc}).") from exc

    def set(self, key: str, value: str) -> None:
        kr = self._require()
        try:
            kr.set_password(self.service, key, value)
        except Exception as exc:
            raise SecretStoreError(f"Could not store the secret '{key}' in the system keyring ({exc}).") from exc

    def delete(self, key: str) -> None:
        kr = self._require()
        try:
            kr.delete_password(self.service, key)
        except Exception as exc:
            if type(exc).__name__ == "PasswordDeleteError":  # it was not there: nothing to do
                return
            raise SecretStoreError(f"Could not delete the secret '{key}' from the system keyring ({exc}).") from exc

    def describe(self) -> str:
        if self.available:
            return f"Secrets are stored in the system keyring ({self._backend_name})."
        return f"The system keyring is not available: {self._why_not}."


def _is_real_backend(backend: Any) -> bool:
    """False for keyring's fail/null backends (and anything with priority <= 0)."""
    module = type(backend).__module__
    if module in ("keyring.backends.fail", "keyring.backends.null"):
        return False
    try:
        priority = float(backend.priority)
    except Exception:
        return True
    return priority > 0


class PlainFileSecrets:
    """Secrets in a JSON file readable only by the user (mode 0600). Storing needs the user's ``consent``."""

    available: bool
    persistent = True

    def __init__(self, path: str | os.PathLike[str], *, consent: bool) -> None:
        self.path = Path(path)
        self.consent = consent
        self.available = consent
        self.note: str | None = None
        self._lock = threading.Lock()
        self._values: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._values is not None:
            return self._values
        values: dict[str, str] = {}
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raw = None
        except OSError as exc:
            raise SecretStoreError(f"Could not read the secrets file {self.path}: {exc.strerror}.") from exc
        if raw is not None:
            try:
                data = json.loads(raw.decode("utf-8"))  # UnicodeDecodeError is a ValueError
                if not isinstance(data, dict):
                    raise ValueError("not an object")
                values = {str(k): str(v) for k, v in data.get("secrets", {}).items()}
                if (self.path.stat().st_mode & 0o077) != 0:
                    os.chmod(self.path, 0o600)  # tighten a file someone loosened
            except (ValueError, AttributeError):
                self.note = set_aside_damaged(self.path, "secrets file", "secrets must be entered again")
        self._values = values
        return values

    def _save(self, values: dict[str, str]) -> None:
        try:
            atomic_write_json(self.path, {"version": 1, "secrets": values}, mode=0o600)
        except OSError as exc:
            raise SecretStoreError(f"Could not write the secrets file {self.path}: {exc.strerror}.") from exc

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._load().get(key)

    def set(self, key: str, value: str) -> None:
        if not self.consent:
            raise SecretStoreError(NO_KEYRING_NO_CONSENT)
        with self._lock:
            values = dict(self._load())
            values[key] = value
            self._save(values)
            self._values = values

    def delete(self, key: str) -> None:
        with self._lock:
            values = dict(self._load())
            if key not in values:
                return
            del values[key]
            self._save(values)
            self._values = values

    def describe(self) -> str:
        if not self.consent:
            return NO_KEYRING_NO_CONSENT
        return f"Secrets are stored in plain text in {self.path} (readable only by your user account)."


def choose_secret_store(data_home: str | os.PathLike[str], consent_plain: bool) -> SecretStore:
    """The best store allowed: system keyring, else plain file (with consent), else memory for this session."""
    keyring_store = KeyringSecrets()
    if keyring_store.available:
        return keyring_store
    if consent_plain:
        return PlainFileSecrets(Path(data_home) / PLAIN_FILE_NAME, consent=True)
    return MemorySecrets(reason="No system keyring is available and plain-text storage was not allowed.")
