"""A request tab's draft <-> a saved ``.http`` file (pure: text in, text out; the caller does the file I/O).

``draft_to_http_text(draft, name, secrets)`` renders one request as a .http file; any value of a secret environment
variable that appears in it is put back as ``{{name}}``, so secrets never reach the file.
``drafts_from_http_text(text)`` gives the drafts of a file (file variables filled in, environment placeholders
kept; they expand when sending); ``read_http_text`` also gives the reader's notes.
``safe_file_name(name)`` is the file name a request is saved under.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from app.core.draft import RequestDraft, auth_headers, content_type_added, request_draft
from app.core.formats.http_file import HttpFile, HttpFileRequest, parse_http_file, render_http_file
from app.core.models import HttpRequest
from app.core.redact import REDACTED, redact_text
from app.core.variables import expand

# Placeholders for secrets lifted out of a saved file: {{secret_<name>_<hash>}}; their values live in the secret store.
SECRET_VARIABLE_PREFIX = "secret_"
_SENTINEL = "\x00"
_PLACEHOLDER_ONLY = re.compile(r"\{\{[^{}]+\}\}")


def _draft_headers(d: RequestDraft) -> list[tuple[str, str]]:
    headers = [(r.name.strip(), r.value) for r in d.headers if r.enabled and r.name.strip()]
    headers += auth_headers(d)
    ctype = content_type_added(d)
    if ctype is not None and d.body_kind in ("raw", "json", "form"):
        headers.append(("Content-Type", ctype))
    return headers


def _draft_body(d: RequestDraft) -> str | None:
    if d.body_kind in ("raw", "json"):
        return d.raw_text
    if d.body_kind == "form":
        return urlencode([(r.name, r.value) for r in d.form if r.enabled and r.name])
    return None


def hide_secrets(text: str, secrets: dict[str, str]) -> str:
    """Every secret value in ``text`` replaced by ``{{name}}`` (longest values first)."""
    for name, value in sorted(secrets.items(), key=lambda kv: -len(kv[1] or "")):
        if value and len(value) >= 3:
            text = text.replace(value, "{{" + name + "}}")
    return text


def draft_to_http_text(draft: RequestDraft, name: str, secrets: dict[str, str] | None = None) -> str:
    """The .http file for one request. File bodies (multipart/binary) are not embedded."""
    url = draft.url.strip()
    a = draft.auth
    if a.kind == "apikey" and a.key_in == "query" and a.key_name.strip():
        url += ("&" if "?" in url else "?") + f"{a.key_name.strip()}={a.key_value}"
    req = HttpFileRequest(name=name or None, method=(draft.method.strip().upper() or "GET"), url=url,
                          headers=tuple(_draft_headers(draft)), body=_draft_body(draft))
    return hide_secrets(render_http_file(HttpFile(requests=(req,))), secrets or {})


def lift_secrets(text: str) -> tuple[str, dict[str, str]]:
    """``text`` (a rendered .http file) with every value the one redaction table calls secret (Authorization,
    API-key headers, ``access_token`` query values, JSON passwords, bearer tokens, ...) replaced by a
    ``{{secret_<name>_<hash>}}`` placeholder, and those values by placeholder name, for the secret store.
    Placeholders already in the text stay. When a value cannot be told apart from its surroundings it is
    replaced by the redaction mark instead (lost from the file rather than written in clear)."""
    masked, found = redact_text(text, mask=_SENTINEL)
    if _SENTINEL not in masked or _SENTINEL in text:
        return text, {}
    pieces = masked.split(_SENTINEL)
    out, lifted, pos = [pieces[0]], {}, len(pieces[0])
    if not text.startswith(pieces[0]):
        return redact_text(text)[0], {}
    for i, piece in enumerate(pieces[1:]):
        end = text.find(piece, pos + 1) if piece else len(text)
        if end == -1 or (not piece and i < len(pieces) - 2):
            return redact_text(text)[0], {}  # cannot align: keep the file safe, lose the value
        value = text[pos:end]
        if _PLACEHOLDER_ONLY.fullmatch(value.strip()) or value == REDACTED:
            out.append(value)
        else:
            label = found[i].name if len(found) == len(pieces) - 1 else "value"
            name = (SECRET_VARIABLE_PREFIX + re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")
                    + "_" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:8])
            lifted[name] = value
            out.append("{{" + name + "}}")
        out.append(piece)
        pos = end + len(piece)
    lifted_text = "".join(out)
    return (lifted_text, lifted) if pos == len(text) else (redact_text(text)[0], {})


def drafts_from_http_text(text: str) -> list[tuple[str | None, RequestDraft]]:
    """(name, draft) for every request in a .http file; file variables are expanded, env placeholders kept."""
    return read_http_text(text)[0]


def read_http_text(text: str) -> tuple[list[tuple[str | None, RequestDraft]], list[str]]:
    """``drafts_from_http_text`` and the notes made while reading: blocks skipped, scripts not run, variables too
    large or too deep to fill in (each note names its line or variable)."""
    saved, notes = read_saved_requests(text)
    return [(r.name, r.draft) for r in saved], notes


@dataclass(frozen=True)
class SavedRequest:
    """One request of a saved file: its name, the draft to send, and its ``??`` expectation lines."""

    name: str | None
    draft: RequestDraft
    expectations: tuple[str, ...] = ()


def read_saved_requests(text: str) -> tuple[list[SavedRequest], list[str]]:
    """Every request of a .http file with its expectations (file variables filled in, environment placeholders
    kept), and the notes made while reading."""
    f = parse_http_file(text)
    notes = list(f.notes)
    out = []
    for r in f.requests:
        url = expand(r.url, f.variables, notes)
        headers = tuple((k, expand(v, f.variables, notes)) for k, v in r.headers)
        body = expand(r.body, f.variables, notes).encode("utf-8") if r.body is not None else None
        out.append(SavedRequest(r.name, request_draft(HttpRequest(r.method, url, headers, body)), r.assertions))
    return out, list(dict.fromkeys(notes))


def safe_file_name(name: str) -> str:
    """A file name for a saved request: unsafe characters become "-", at most 80 of them, ending in .http."""
    keep = "".join(c if c.isalnum() or c in " -_." else "-" for c in name).strip(" .-") or "request"
    return keep[:80] + ("" if keep.lower().endswith((".http", ".rest")) else ".http")
