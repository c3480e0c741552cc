"""Environment variables in a request draft: ``{{var}}`` filled in when sending (pure; the tab keeps the placeholders).

``expand_draft(draft, variables)`` -> (the draft with the URL, params, headers, body, form, multipart and auth
filled in, the names left unresolved in first-seen order).
"""

from __future__ import annotations

from dataclasses import replace

from app.core.draft import RequestDraft, Row
from app.core.formats.http_file import expand, unresolved


def expand_draft(draft: RequestDraft, variables: dict[str, str]) -> tuple[RequestDraft, list[str]]:
    """``draft`` with ``{{var}}`` filled in from ``variables``; also the names left unresolved."""
    left: list[str] = []

    def fill(text: str) -> str:
        if "{{" not in text:
            return text
        left.extend(unresolved(text, variables))
        return expand(text, variables)

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
    return out, list(dict.fromkeys(left))
