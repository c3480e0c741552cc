"""What of a history row or a tab's draft is secret, split off so that only its redacted form is kept in clear.

Which values are secret is app.core.redact's table (headers, query parameters, URL passwords, form and JSON
fields): this module only applies it to stored columns. A history row becomes
- *clear* columns: URL, headers, bodies redacted; every other text (notes, error details, findings, the API's
  message) with secret URLs redacted and every secret value found above replaced wherever it appears (a server
  that echoes the request puts the token in the response body too);
- the *originals* of the columns that changed, sealed together by app.store.vault.
Listing and searching read the clear columns only; reading an entry back puts the originals over them when the
vault can open them (same key), else the entry is shown redacted.
A draft (app.core.draft JSON) is split the same way: secret headers, query values, auth fields, form and JSON
body fields are blanked to the redaction mark in the clear copy; the whole draft list is sealed.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from app.core.redact import REDACTED, is_secret_header, is_secret_param, redact_body, redact_headers, redact_url
from app.store.vault import Vault

TEXT_COLUMNS = ("url", "req_headers", "resp_headers", "reason", "notes", "error_text", "error_detail", "message",
                "findings")
BODY_COLUMNS = ("req_body", "resp_body")
MIN_PIECE = 4  # shorter secret fragments are not searched for in other text (they would match everywhere)
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s\"'<>\]\)]+")
_SPLIT = re.compile(r"[\s&?#=;,:/@\"'{}\[\]()<>\\]+")


def _pieces(original: str, redacted: str) -> set[str]:
    """Fragments of ``original`` that redaction removed (the secret values), long enough to look for elsewhere."""
    if original == redacted:
        return set()
    kept = set(_SPLIT.split(redacted))
    found = {p for p in _SPLIT.split(original) if len(p) >= MIN_PIECE and p not in kept and REDACTED not in p}
    whole = original.strip()
    if len(whole) >= MIN_PIECE and whole not in redacted:
        found.add(whole)
    return found


def _headers(text: Any) -> list[tuple[str, str]] | None:
    try:
        pairs = json.loads(text) if isinstance(text, str) and text else None
        return [(str(k), str(v)) for k, v in pairs] if isinstance(pairs, list) else None
    except (ValueError, TypeError):
        return None


def _content_type(headers: list[tuple[str, str]] | None) -> str | None:
    return next((v for k, v in headers or () if k.strip().lower() == "content-type"), None)


def _scrub(text: str, pieces: list[str]) -> str:
    text = _URL_IN_TEXT.sub(lambda m: redact_url(m.group(0))[0], text)
    for piece in pieces:
        text = text.replace(piece, REDACTED)
    return text


def split_row(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(clear, originals)`` for the columns of one history row (``originals`` empty: nothing secret)."""
    clear = dict(row)
    pieces: set[str] = set()
    if isinstance(row.get("url"), str):
        clear["url"] = redact_url(row["url"])[0]
        pieces |= _pieces(row["url"], clear["url"])
    parsed: dict[str, list[tuple[str, str]] | None] = {}
    for column in ("req_headers", "resp_headers"):
        headers = parsed[column] = _headers(row.get(column))
        if headers is None:
            continue
        redacted, _ = redact_headers(tuple(headers), "request header")
        for (_, value), (_, shown) in zip(headers, redacted):
            pieces |= _pieces(value, shown)
        clear[column] = json.dumps([list(pair) for pair in redacted], ensure_ascii=False)
    for column, headers in (("req_body", parsed["req_headers"]), ("resp_body", parsed["resp_headers"])):
        body = row.get(column)
        if isinstance(body, (bytes, bytearray, memoryview)) and body:
            shown, _ = redact_body(bytes(body), _content_type(headers))
            clear[column] = shown
            pieces |= _pieces(bytes(body).decode("utf-8", "replace"), (shown or b"").decode("utf-8", "replace"))
    ordered = sorted(pieces, key=len, reverse=True)
    for column in TEXT_COLUMNS:
        if isinstance(clear.get(column), str):
            clear[column] = _scrub(clear[column], ordered)
    for column in BODY_COLUMNS:
        body = clear.get(column)
        if isinstance(body, (bytes, bytearray, memoryview)) and body and ordered:
            for piece in ordered:
                body = bytes(body).replace(piece.encode("utf-8"), REDACTED.encode("utf-8"))
            clear[column] = body
    originals = {k: row[k] for k in (*TEXT_COLUMNS, *BODY_COLUMNS)
                 if k in row and _comparable(clear.get(k)) != _comparable(row[k])}
    return clear, originals


def _comparable(value: Any) -> Any:
    return bytes(value) if isinstance(value, (bytes, bytearray, memoryview)) else value


def seal_row(row: dict[str, Any], vault: Vault) -> tuple[dict[str, Any], bytes | None]:
    """The clear columns to store, and the sealed originals (None when nothing was secret)."""
    clear, originals = split_row(row)
    if not originals:
        return clear, None
    data = {k: ({"b64": base64.b64encode(bytes(v)).decode("ascii")} if isinstance(v, (bytes, bytearray, memoryview))
                else v) for k, v in originals.items()}
    return clear, vault.seal(json.dumps(data, ensure_ascii=False).encode("utf-8"))


def open_row(row: dict[str, Any], sealed: bytes | None, vault: Vault) -> tuple[dict[str, Any], bool]:
    """``row`` with its sealed originals put back; the flag is True when they could not be opened (shown redacted)."""
    if not sealed:
        return row, False
    raw = vault.open(bytes(sealed))
    try:
        data = json.loads(raw) if raw is not None else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return row, True
    out = dict(row)
    for key, value in data.items():
        if key in TEXT_COLUMNS and (value is None or isinstance(value, str)):
            out[key] = value
        elif key in BODY_COLUMNS and isinstance(value, dict) and isinstance(value.get("b64"), str):
            out[key] = base64.b64decode(value["b64"])
    return out, False


# ---------------------------------------------------------------------------------------------- drafts

def _clear_rows(rows: Any, secret) -> Any:
    if not isinstance(rows, list):
        return rows
    out = []
    for r in rows:
        if isinstance(r, dict) and isinstance(r.get("name"), str) and secret(r["name"]) and r.get("value"):
            r = {**r, "value": REDACTED}
        out.append(r)
    return out


def clear_draft(draft: dict[str, Any]) -> dict[str, Any]:
    """A draft's JSON with every secret value replaced by the redaction mark (what may be written in clear)."""
    if not isinstance(draft, dict):
        return draft
    out = dict(draft)
    if isinstance(out.get("url"), str):
        out["url"] = redact_url(out["url"])[0]
    out["params"] = _clear_rows(out.get("params"), is_secret_param)
    out["form"] = _clear_rows(out.get("form"), is_secret_param)
    out["multipart"] = _clear_rows(out.get("multipart"), is_secret_param)
    out["headers"] = _clear_rows(out.get("headers"), is_secret_header)
    auth = out.get("auth")
    if isinstance(auth, dict):
        out["auth"] = {k: (REDACTED if k in ("password", "token", "key_value") and v else v) for k, v in auth.items()}
    raw = out.get("raw_text")
    if isinstance(raw, str) and raw:
        kind = out.get("body_kind")
        ctype = "application/json" if kind == "json" else out.get("raw_content_type")
        shown, _ = redact_body(raw.encode("utf-8"), ctype if isinstance(ctype, str) else None)
        out["raw_text"] = (shown or b"").decode("utf-8", "replace")
    return {k: v for k, v in out.items() if k in draft}


def seal_drafts(drafts: list[dict[str, Any]], vault: Vault) -> tuple[list[dict[str, Any]], str | None]:
    """(the drafts to write in clear, the sealed full list or None when no draft holds a secret)."""
    clear = [clear_draft(d) for d in drafts]
    if clear == drafts:
        return clear, None
    return clear, vault.seal(json.dumps(drafts, ensure_ascii=False).encode("utf-8")).decode("ascii")


def open_drafts(sealed: Any, vault: Vault) -> list[Any] | None:
    """The full draft list sealed by ``seal_drafts``; None when it cannot be opened here."""
    if not isinstance(sealed, str) or not sealed:
        return None
    raw = vault.open(sealed)
    try:
        data = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    return data if isinstance(data, list) else None
