"""Named variable sets ("dev", "prod", ...) in one JSON file; secret values live in a ``SecretStore``.

File format (secret values are NEVER written here, only the fact that a variable is secret)::

    {"version": 1, "active": "dev",
     "environments": {"dev": {"base_url": {"value": "http://127.0.0.1:8000"}, "token": {"secret": true}}}}

Secrets are stored under the key ``env/<environment>/<variable>``. ``variables(name)`` expands ``{{other}}``
references between variables of the same environment (the ``.http`` file syntax). A damaged file gives
empty environments plus ``note`` (the broken file is moved aside), never a crash.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.store.atomic import atomic_write_json, set_aside_damaged
from app.store.secrets import SecretStore

FILE_NAME = "environments.json"
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\}")


class EnvironmentsError(Exception):
    """An environment problem explained in one sentence."""


@dataclass(frozen=True)
class Variable:
    """One variable as the editor shows it; ``value`` is None for a secret (fetch it with ``get``)."""

    name: str
    value: str | None
    secret: bool


def secret_key(env: str, var: str) -> str:
    return f"env/{env}/{var}"


class Environments:
    """Environments in ``path_json`` (default ``data_home()/environments.json``), secrets in ``secrets``."""

    def __init__(self, path_json: str | os.PathLike[str] | None, secrets: SecretStore) -> None:
        if path_json is None:
            from app.paths import data_home

            path_json = data_home() / FILE_NAME
        self.path = Path(path_json)
        self.secrets = secrets
        self.note: str | None = None
        self._lock = threading.RLock()
        self._envs: dict[str, dict[str, dict[str, Any]]] = {}
        self._active: str | None = None
        self._load()

    # --- reading ------------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Environment names, sorted case-insensitively."""
        with self._lock:
            return sorted(self._envs, key=lambda n: (n.casefold(), n))

    def entries(self, name: str) -> list[Variable]:
        """The variables of ``name`` for an editor: secret values are not fetched (``value`` None)."""
        with self._lock:
            env = self._env(name)
            return [
                Variable(var, None if spec.get("secret") else str(spec.get("value", "")), bool(spec.get("secret")))
                for var, spec in sorted(env.items())
            ]

    def is_secret(self, env: str, var: str) -> bool:
        with self._lock:
            return bool(self._env(env).get(var, {}).get("secret"))

    def get(self, name: str) -> dict[str, str]:
        """All variables of ``name`` with secret values fetched from the secret store.

        A secret the store no longer has (e.g. session-only memory after a restart) is left out; see
        ``missing_secrets``.
        """
        with self._lock:
            env = {var: dict(spec) for var, spec in self._env(name).items()}
        result: dict[str, str] = {}
        for var, spec in env.items():
            if spec.get("secret"):
                value = self.secrets.get(secret_key(name, var))
                if value is not None:
                    result[var] = value
            else:
                result[var] = str(spec.get("value", ""))
        return result

    def missing_secrets(self, name: str) -> list[str]:
        """Secret variables of ``name`` whose value the secret store does not have."""
        with self._lock:
            secret_vars = [var for var, spec in self._env(name).items() if spec.get("secret")]
        return sorted(var for var in secret_vars if self.secrets.get(secret_key(name, var)) is None)

    def variables(self, name: str) -> dict[str, str]:
        """``get(name)`` with ``{{other}}`` references between its variables expanded (cycles are left as text)."""
        raw = self.get(name)
        resolved: dict[str, str] = {}

        def resolve(var: str, stack: tuple[str, ...]) -> str:
            if var in resolved:
                return resolved[var]

            def replace(match: re.Match[str]) -> str:
                ref = match.group(1)
                if ref not in raw or ref in stack:
                    return match.group(0)
                return resolve(ref, (*stack, ref))

            value = _REFERENCE.sub(replace, raw[var])
            resolved[var] = value
            return value

        for var in raw:
            resolve(var, (var,))
        return resolved

    @property
    def active(self) -> str | None:
        with self._lock:
            return self._active

    @active.setter
    def active(self, name: str | None) -> None:
        with self._lock:
            if name is not None:
                self._env(name)
            self._commit(self._envs, name)

    # --- writing ------------------------------------------------------------------------------

    def add(self, name: str) -> None:
        name = self._check_env_name(name)
        with self._lock:
            if name in self._envs:
                raise EnvironmentsError(f"An environment called '{name}' already exists.")
            self._commit({**self._envs, name: {}}, self._active)

    def remove(self, name: str) -> None:
        """Delete an environment and its secrets."""
        with self._lock:
            env = self._env(name)
            secret_vars = [var for var, spec in env.items() if spec.get("secret")]
            envs = {k: v for k, v in self._envs.items() if k != name}
            self._commit(envs, None if self._active == name else self._active)
        for var in secret_vars:
            self._forget_secret(name, var)

    def rename(self, old: str, new: str) -> None:
        """Rename an environment (its secrets move to the new name; the active choice follows)."""
        new = self._check_env_name(new)
        with self._lock:
            env = self._env(old)
            if new == old:
                return
            if new in self._envs:
                raise EnvironmentsError(f"An environment called '{new}' already exists.")
            secret_vars = [var for var, spec in env.items() if spec.get("secret")]
            # Copy secrets first: if the store fails, nothing has changed yet.
            for var in secret_vars:
                value = self.secrets.get(secret_key(old, var))
                if value is not None:
                    self.secrets.set(secret_key(new, var), value)
            envs = {(new if k == old else k): v for k, v in self._envs.items()}
            self._commit(envs, new if self._active == old else self._active)
        for var in secret_vars:
            self._forget_secret(old, var)

    def set_var(self, env: str, name: str, value: str, secret: bool = False) -> None:
        """Set a variable. A secret's value goes to the secret store only; the file records ``secret: true``."""
        if not isinstance(name, str) or not _VAR_NAME.match(name):
            raise EnvironmentsError(
                f"'{name}' is not a valid variable name; use letters, digits, '_', '-' or '.', starting with a letter."
            )
        if not isinstance(value, str):
            raise EnvironmentsError(f"The value of '{name}' must be text.")
        with self._lock:
            variables = dict(self._env(env))
            was_secret = bool(variables.get(name, {}).get("secret"))
            if secret:
                self.secrets.set(secret_key(env, name), value)  # may raise SecretStoreError: file unchanged
                variables[name] = {"secret": True}
            else:
                variables[name] = {"value": value}
            self._commit({**self._envs, env: variables}, self._active)
        if was_secret and not secret:
            self._forget_secret(env, name)

    def delete_var(self, env: str, name: str) -> None:
        with self._lock:
            variables = dict(self._env(env))
            if name not in variables:
                raise EnvironmentsError(f"The environment '{env}' has no variable '{name}'.")
            spec = variables.pop(name)
            self._commit({**self._envs, env: variables}, self._active)
        if spec.get("secret"):
            self._forget_secret(env, name)

    # --- internals ----------------------------------------------------------------------------

    def _forget_secret(self, env: str, var: str) -> None:
        try:
            self.secrets.delete(secret_key(env, var))
        except Exception:  # a leftover secret in the keyring is harmless; the file is already right
            pass

    def _env(self, name: str) -> dict[str, dict[str, Any]]:
        try:
            return self._envs[name]
        except KeyError:
            raise EnvironmentsError(f"There is no environment called '{name}'.") from None

    @staticmethod
    def _check_env_name(name: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise EnvironmentsError("An environment needs a name.")
        name = name.strip()
        if "/" in name or any(ord(c) < 32 for c in name):
            raise EnvironmentsError(f"The environment name '{name}' may not contain '/' or control characters.")
        return name

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.note = f"Could not read the environments file {self.path} ({exc.strerror}); starting with none."
            return
        try:
            data = json.loads(raw.decode("utf-8"))  # UnicodeDecodeError is a ValueError
            envs_in = data["environments"]
            if not isinstance(envs_in, dict):
                raise ValueError("environments is not an object")
            envs: dict[str, dict[str, dict[str, Any]]] = {}
            for env_name, variables in envs_in.items():
                if not isinstance(variables, dict):
                    raise ValueError(f"environment {env_name!r} is not an object")
                envs[str(env_name)] = {
                    str(var): ({"secret": True} if isinstance(spec, dict) and spec.get("secret")
                               else {"value": str(spec.get("value", "")) if isinstance(spec, dict) else str(spec)})
                    for var, spec in variables.items()
                }
            active = data.get("active")
            self._envs = envs
            self._active = active if active in envs else None
        except (ValueError, KeyError, TypeError, AttributeError):
            self.note = set_aside_damaged(self.path, "environments file", "no environments are loaded")

    def _commit(self, envs: dict[str, dict[str, dict[str, Any]]], active: str | None) -> None:
        """Write the new state atomically, then adopt it (a failed write changes nothing in memory either)."""
        data = {"version": 1, "active": active, "environments": envs}
        try:
            atomic_write_json(self.path, data)
        except OSError as exc:
            raise EnvironmentsError(f"Could not save the environments file {self.path}: {exc.strerror}.") from exc
        self._envs = envs
        self._active = active
