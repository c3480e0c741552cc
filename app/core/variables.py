"""``{{var}}`` placeholders filled in: in a text (``expand``, ``unresolved``) and in a request draft when sending
(``expand_draft``; the tab keeps the placeholders). Pure.

Variables may use variables, and a file may define ``@a = {{a}}{{a}}{{a}}``: filling in stops after ``MAX_DEPTH``
rounds and before a text grows by more than ``MAX_GROWTH`` characters, leaving the placeholder as written and a
sentence naming the variable (``expand(..., notes)``, ``expand_draft_with_notes``).

``expand_draft(draft, variables)`` -> (the draft with the URL, params, headers, body, form, multipart and auth
filled in, the names left unresolved in first-seen order).
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.core.draft import RequestDraft, Row

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
MAX_DEPTH = 10  # variables that use variables: how many rounds of filling in
MAX_GROWTH = 1 << 20  # characters a text may grow by when its variables are filled in


class _TooLarge(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _fill_once(text: str, variables: dict[str, str], limit: int) -> str:
    out: list[str] = []
    size = last = 0
    for m in _PLACEHOLDER.finditer(text):
        value = variables.get(m.group(1))
        if value is None:
            continue
        out += (text[last:m.start()], value)
        size += m.start() - last + len(value)
        last = m.end()
        if size > limit:
            raise _TooLarge(m.group(1))
    out.append(text[last:])
    return "".join(out)


def expand(text: str, variables: dict[str, str], notes: list[str] | None = None) -> str:
    """Replace ``{{name}}`` with its value (variables may use other variables); unknown ones stay as written.

    A text never grows by more than ``MAX_GROWTH`` characters nor fills in more than ``MAX_DEPTH`` rounds: past
    either cap the placeholders stay as written and ``notes`` (when given) gets a sentence naming the variable.
    """
    limit = len(text) + MAX_GROWTH
    for _ in range(MAX_DEPTH):
        try:
            new = _fill_once(text, variables, limit)
        except _TooLarge as big:
            if notes is not None:
                notes.append(f"The variable {big.name!r} was not filled in: its value would grow the text past "
                             f"{MAX_GROWTH // 1024} KiB (does it use itself?).")
            return text
        if new == text:
            return new
        text = new
    left = [m.group(1) for m in _PLACEHOLDER.finditer(text) if m.group(1) in variables]
    if left and notes is not None:
        notes.append(f"The variable {left[0]!r} was not filled in completely: it uses itself, or variables nest "
                     f"deeper than {MAX_DEPTH} levels.")
    return text


def unresolved(text: str, variables: dict[str, str]) -> list[str]:
    """Names of placeholders that :func:`expand` leaves in ``text``, in order, each once."""
    return list(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(expand(text, variables))))


def expand_draft(draft: RequestDraft, variables: dict[str, str]) -> tuple[RequestDraft, list[str]]:
    """``draft`` with ``{{var}}`` filled in from ``variables``; also the names left unresolved."""
    out, left, _notes = expand_draft_with_notes(draft, variables)
    return out, left


def expand_draft_with_notes(draft: RequestDraft, variables: dict[str, str]
                            ) -> tuple[RequestDraft, list[str], list[str]]:
    """``expand_draft``, and the sentences about variables too large or too deep to fill in."""
    left: list[str] = []
    notes: list[str] = []

    def fill(text: str) -> str:
        if "{{" not in text:
            return text
        filled = expand(text, variables, notes)
        left.extend(m.group(1) for m in _PLACEHOLDER.finditer(filled))
        return filled

    def fill_rows(rows: tuple[Row, ...]) -> tuple[Row, ...]:
        return tuple(replace(r, name=fill(r.name), value=fill(r.value)) for r in rows)

    a = draft.auth
    out = replace(
        draft,
        url=fill(draft.url),
        params=fill_rows(draft.params),
        headers=fill_rows(draft.headers),
        raw_text=fill(draft.raw_text),
        form=fill_rows(draft.form),
        multipart=tuple(replace(p, name=fill(p.name), value=fill(p.value)) for p in draft.multipart),
        binary_path=fill(draft.binary_path),
        auth=replace(a, username=fill(a.username), password=fill(a.password), token=fill(a.token),
                     key_name=fill(a.key_name), key_value=fill(a.key_value)),
    )
    return out, list(dict.fromkeys(left)), list(dict.fromkeys(notes))
