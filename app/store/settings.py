"""A small JSON key/value store for preferences (API-docs path, last request draft, window geometry, ...).

Every ``set`` writes the whole file atomically. A damaged file never crashes the app: it is moved aside,
defaults are used, and ``note`` holds a sentence saying what happened.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.store.atomic import atomic_write_json, set_aside_damaged

FILE_NAME = "settings.json"


class SettingsError(Exception):
    """A setting could not be stored; the message is a sentence for the user."""


class Settings:
    """Preferences in ``path`` (default ``data_home()/settings.json``). Values are JSON values."""

    def __init__(self, path: str | os.PathLike[str] | None = None, defaults: Mapping[str, Any] | None = None) -> None:
        if path is None:
            from app.paths import data_home

            path = data_home() / FILE_NAME
        self.path = Path(path)
        self.defaults: dict[str, Any] = dict(defaults or {})
        self.note: str | None = None
        self._lock = threading.Lock()
        self._values: dict[str, Any] = self._load()

    def get(self, key: str, default: Any = None) -> Any:
        """The stored value (a copy), else ``default``, else the constructor's default for ``key``."""
        with self._lock:
            if key in self._values:
                return copy.deepcopy(self._values[key])
        if default is not None:
            return default
        return copy.deepcopy(self.defaults.get(key))

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` (must be JSON: str, int, float, bool, None, lists and dicts of those)."""
        self.update({key: value})

    def update(self, values: Mapping[str, Any]) -> None:
        """Store several values with one write."""
        for key, value in values.items():
            if not isinstance(key, str):
                raise SettingsError(f"Setting names must be text, not {type(key).__name__}.")
            try:
                json.dumps(value, allow_nan=False)
            except (TypeError, ValueError) as exc:
                raise SettingsError(f"The setting '{key}' cannot be saved: its value is not plain data ({exc}).") from exc
        with self._lock:
            new = {**self._values, **copy.deepcopy(dict(values))}
            self._write(new)
            self._values = new

    def delete(self, key: str) -> None:
        with self._lock:
            if key not in self._values:
                return
            new = {k: v for k, v in self._values.items() if k != key}
            self._write(new)
            self._values = new

    def all(self) -> dict[str, Any]:
        """Defaults overlaid with stored values (a copy)."""
        with self._lock:
            return copy.deepcopy({**self.defaults, **self._values})

    def _write(self, values: dict[str, Any]) -> None:
        try:
            atomic_write_json(self.path, {"version": 1, "settings": values})
        except OSError as exc:
            raise SettingsError(f"Could not save the settings file {self.path}: {exc.strerror or exc}.") from exc

    def _load(self) -> dict[str, Any]:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            self.note = f"Could not read the settings file {self.path} ({exc}); default settings are used."
            if isinstance(exc, UnicodeDecodeError):
                self._move_aside()
            return {}
        try:
            data = json.loads(raw)
            values = data["settings"]
            if not isinstance(values, dict):
                raise ValueError("settings is not an object")
            return values
        except (ValueError, KeyError, TypeError):
            self._move_aside()
            return {}

    def _move_aside(self) -> None:
        self.note = set_aside_damaged(self.path, "settings file", "default settings are used")
