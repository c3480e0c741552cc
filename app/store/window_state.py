"""What the main window keeps in the settings file (open tabs' drafts, current tab, geometry, splitter sizes,
the request/response layout, the last practice-server base), checked value by value when it is read back.

A settings file edited by hand or damaged on disk can hold anything JSON can: a draft whose ``headers`` is a
number, a geometry string with non-ASCII characters, a splitter size of 10**29. Each value is checked on its
own; a wrong one is dropped (its default is used) and the rest is kept, and ``WindowState.note`` says once,
in one sentence, what was reset. Nothing here raises for what the file holds.

Open tabs' drafts may hold secrets (bearer tokens, API keys, ``access_token`` query values, JSON passwords):
``drafts_to_save`` gives them redacted for the file plus the whole list sealed with the vault's key
(app.store.at_rest); ``saved_drafts`` opens them again, or says that this session cannot.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from app.core.draft import RequestDraft
from app.store.at_rest import clear_draft, open_drafts, seal_drafts
from app.store.vault import Vault

MAX_DRAFTS = 200
MAX_GEOMETRY_CHARS = 4096
MAX_SPLITTER_SIZE = 100_000
_DRAFT_LIST_FIELDS = ("params", "headers", "form", "multipart")
_DRAFT_OBJECT_FIELDS = ("auth", "options")
# request and response: beside each other, one above the other, or chosen by the window's width
LAYOUTS = ("auto", "side_by_side", "stacked")


@dataclass
class WindowState:
    """The window's saved state, every value checked; ``note`` is None when nothing had to be reset."""

    drafts: list[RequestDraft] = field(default_factory=list)
    current_tab: int | None = None
    geometry: bytes | None = None
    splitter: tuple[int, int] | None = None
    demo_base: str | None = None
    layout: str | None = None  # one of LAYOUTS
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


def _layout(raw: Any) -> str:
    if isinstance(raw, str) and raw in LAYOUTS:
        return raw
    raise ValueError


# settings key -> (checker, WindowState attribute, words for the note)
_SCALARS = {
    "current_tab": (_current_tab, "current_tab", "the current tab"),
    "geometry": (_geometry, "geometry", "the window size and position"),
    "splitter": (_splitter, "splitter", "the request/response panel sizes"),
    "demo_base": (_text, "demo_base", "the practice server address"),
    "layout": (_layout, "layout", "the request/response layout"),
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


SECRETS_LOST = ("Secrets typed in the open tabs were kept for the last session only (no system keyring, and "
                "plain-text storage was not allowed); they show as •••redacted••• — type them again.")


def drafts_to_save(drafts: list[dict[str, Any]], vault: Vault) -> dict[str, Any]:
    """The settings values for the open tabs: drafts with secrets redacted, and the full list sealed (or None)."""
    clear, sealed = seal_drafts(drafts, vault)
    return {"drafts": clear, "drafts_sealed": sealed}


def saved_drafts(values: dict[str, Any], vault_for) -> tuple[Any, str | None, bool]:
    """``(drafts, note, clear_secrets)``: the draft list to restore (the sealed one when this session can open
    it), a note when it cannot, and whether the file still holds secrets in clear (written by an older version:
    save again to seal them). ``vault_for()`` is only called when something is or must be sealed."""
    raw = values.get("drafts")
    sealed = values.get("drafts_sealed")
    if sealed:
        full = open_drafts(sealed, vault_for())
        return (raw, SECRETS_LOST, False) if full is None else (full, None, False)
    in_clear = isinstance(raw, list) and any(isinstance(d, dict) and clear_draft(d) != d for d in raw)
    return raw, None, in_clear
