"""What the main window keeps in the settings file (open tabs' drafts, current tab, geometry, splitter sizes,
the last practice-server base), checked value by value when it is read back.

A settings file edited by hand or damaged on disk can hold anything JSON can: a draft whose ``headers`` is a
number, a geometry string with non-ASCII characters, a splitter size of 10**29. Each value is checked on its
own; a wrong one is dropped (its default is used) and the rest is kept, and ``WindowState.note`` says once,
in one sentence, what was reset. Nothing here raises for what the file holds.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from app.core.draft import RequestDraft

MAX_DRAFTS = 200
MAX_GEOMETRY_CHARS = 4096
MAX_SPLITTER_SIZE = 100_000
_DRAFT_LIST_FIELDS = ("params", "headers", "form", "multipart")
_DRAFT_OBJECT_FIELDS = ("auth", "options")


@dataclass
class WindowState:
    """The window's saved state, every value checked; ``note`` is None when nothing had to be reset."""

    drafts: list[RequestDraft] = field(default_factory=list)
    current_tab: int | None = None
    geometry: bytes | None = None
    splitter: tuple[int, int] | None = None
    demo_base: str | None = None
    reset: list[str] = field(default_factory=list)  # what was wrong, in words ("open tab 2", "the window size")

    @property
    def note(self) -> str | None:
        if not self.reset:
            return None
        return ("Some saved window settings were damaged and were reset to their defaults: "
                + ", ".join(self.reset) + ".")


def _draft(raw: Any) -> RequestDraft | None:
    """A draft from its saved JSON, or None when its shape is wrong (a field of the wrong type)."""
    if not isinstance(raw, dict):
        return None
    for key in _DRAFT_LIST_FIELDS:
        if key in raw and not isinstance(raw[key], list):
            return None
    for key in _DRAFT_OBJECT_FIELDS:
        if key in raw and not isinstance(raw[key], dict):
            return None
    try:
        return RequestDraft.from_json(raw)
    except (TypeError, ValueError, AttributeError, OverflowError, RecursionError):
        return None


def read_drafts(raw: Any, state: WindowState) -> list[RequestDraft]:
    """The drafts of a saved list; broken ones are left out and named in ``state.reset``."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        state.reset.append("the open tabs")
        return []
    drafts: list[RequestDraft] = []
    for number, item in enumerate(raw[:MAX_DRAFTS], start=1):
        draft = _draft(item)
        if draft is None:
            state.reset.append(f"open tab {number}")
        else:
            drafts.append(draft)
    if len(raw) > MAX_DRAFTS:
        state.reset.append(f"{len(raw) - MAX_DRAFTS} open tabs over {MAX_DRAFTS}")
    return drafts


def _geometry(raw: Any) -> bytes | None:
    if not isinstance(raw, str) or not raw or len(raw) > MAX_GEOMETRY_CHARS or not raw.isascii():
        raise ValueError
    try:
        return base64.b64decode(raw.encode("ascii"), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError from None


def _splitter(raw: Any) -> tuple[int, int]:
    if (isinstance(raw, list) and len(raw) == 2
            and all(type(s) is int and 0 < s <= MAX_SPLITTER_SIZE for s in raw)):
        return raw[0], raw[1]
    raise ValueError


def _current_tab(raw: Any) -> int:
    if type(raw) is int and 0 <= raw < MAX_DRAFTS:
        return raw
    raise ValueError


def _text(raw: Any) -> str:
    if isinstance(raw, str) and raw.isprintable() and len(raw) <= MAX_GEOMETRY_CHARS:
        return raw
    raise ValueError


# settings key -> (checker, WindowState attribute, words for the note)
_SCALARS = {
    "current_tab": (_current_tab, "current_tab", "the current tab"),
    "geometry": (_geometry, "geometry", "the window size and position"),
    "splitter": (_splitter, "splitter", "the request/response panel sizes"),
    "demo_base": (_text, "demo_base", "the practice server address"),
}


def read_window_state(values: dict[str, Any], drafts: Any = None) -> WindowState:
    """Check the window's values from ``Settings.all()``; ``drafts`` is the list to use (default: ``values``)."""
    state = WindowState()
    state.drafts = read_drafts(values.get("drafts") if drafts is None else drafts, state)
    for key, (check, attr, words) in _SCALARS.items():
        raw = values.get(key)
        if raw is None:
            continue
        try:
            setattr(state, attr, check(raw))
        except ValueError:
            state.reset.append(words)
    return state


def checked_text(values: dict[str, Any], key: str) -> str | None:
    """A text setting (a path), or None when it is missing or not text."""
    try:
        return _text(values.get(key))
    except ValueError:
        return None
