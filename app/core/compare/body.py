"""Two bodies compared the way a person reads them: JSON by structure, text line by line, anything else by hash.

- JSON (both sides parse): path -> old/new, the order of object keys ignored, arrays compared index by index;
  walked with an explicit stack, so a deeply nested document cannot exhaust the recursion limit.
- Text (both sides UTF-8): a unified diff whose lines carry their numbers on each side; the common first and last
  lines are trimmed in linear time and difflib (quadratic) sees only the differing middle, up to MAX_DIFF_LINES.
- Anything else: size and SHA-256 of each side.
Pure: bytes in, a :class:`BodyDiff` out.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from typing import Any, Iterator

from app.core.compare.model import BodyDiff, Change, DiffLine
from app.core.models import media_type
from app.core.redact import REDACTED, is_secret_param, redact_body, redact_text

MAX_JSON_CHANGES = 500  # kept for display; the total is still counted
MAX_VALUE_CHARS = 200  # a changed subtree is shown up to this many characters
MAX_TEXT_LINES = 1_000_000  # beyond this a text diff gives way to size and hash
MAX_DIFF_LINES = 1_000  # the differing middle (common start and end trimmed) difflib may see: see _numbered
CONTEXT_LINES = 3
_MISSING = object()


def _json_text(value: Any, redact: bool = False) -> str:
    """``value`` as sorted-key JSON cut to MAX_VALUE_CHARS. Written piece by piece and stopped once long enough, so
    a changed 20 MB subtree costs what its first characters cost. With ``redact``, every non-empty value under a
    secret-like key is the mask (as app.core.redact hides JSON fields) and credential-shaped text is hidden."""
    pieces: list[str] = []
    size = 0
    frames: list[tuple[Iterator[tuple[int, tuple[str | None, Any, bool]]], str]] = []

    def put(v: Any, secret: bool) -> None:
        nonlocal size
        if isinstance(v, dict):
            piece = "{"
            frames.append((enumerate((k, v[k], secret or (redact and is_secret_param(k))) for k in sorted(v)), "}"))
        elif isinstance(v, list):
            piece = "["
            frames.append((enumerate((None, x, secret) for x in v), "]"))
        elif secret and v not in (None, ""):
            piece = json.dumps(REDACTED, ensure_ascii=False)
        else:
            piece = json.dumps(v[:MAX_VALUE_CHARS + 1] if isinstance(v, str) else v, ensure_ascii=False)
        pieces.append(piece)
        size += len(piece)

    put(value, False)
    while frames and size <= MAX_VALUE_CHARS:
        items, close = frames[-1]
        step = next(items, None)
        if step is None:
            frames.pop()
            pieces.append(close)
            size += 1
            continue
        i, (key, child, secret) = step
        lead = (", " if i else "") + ("" if key is None else json.dumps(key, ensure_ascii=False) + ": ")
        pieces.append(lead)
        size += len(lead)
        put(child, secret)
    text = "".join(pieces)
    text = text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"
    return redact_text(text)[0] if redact else text


def _key_path(path: str, key: str) -> str:
    plain = key.isidentifier()
    return f"{path}.{key}" if plain else f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _same_leaf(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b  # True == 1 in Python, but not in JSON


def _change(path: str, a: Any, b: Any, secret: bool, redact: bool) -> Change:
    def shown(v: Any) -> str | None:
        return None if v is _MISSING else (REDACTED if secret else _json_text(v, redact))

    old, new = shown(a), shown(b)
    return Change(path, old, new, "a different secret value" if secret and old and new else "")


def json_changes(old: Any, new: Any, limit: int = MAX_JSON_CHANGES, *, redact: bool = False
                 ) -> tuple[list[Change], int]:
    """(the first ``limit`` changes, how many there are) between two parsed JSON documents. With ``redact``, values
    under a secret-like key (app.core.redact's table) show as the mask, and secret fields inside shown subtrees too."""
    out: list[Change] = []
    total = 0
    stack: list[tuple[str, Any, Any, bool]] = [("$", old, new, False)]
    while stack:
        path, a, b, secret = stack.pop()
        if a is b or (type(a) is type(b) and isinstance(a, (dict, list)) and a == b):
            continue  # an unchanged subtree, skipped at C speed (inside it Python's True == 1 holds)
        if isinstance(a, dict) and isinstance(b, dict):
            keys = list(a) + [k for k in b if k not in a]
            for key in reversed(sorted(keys)):
                hide = secret or (redact and is_secret_param(key))
                stack.append((_key_path(path, key), a.get(key, _MISSING), b.get(key, _MISSING), hide))
            continue
        if isinstance(a, list) and isinstance(b, list):
            for i in reversed(range(max(len(a), len(b)))):
                stack.append((f"{path}[{i}]", a[i] if i < len(a) else _MISSING, b[i] if i < len(b) else _MISSING,
                              secret))
            continue
        if a is not _MISSING and b is not _MISSING and _same_leaf(a, b):
            continue
        total += 1
        if len(out) < limit:
            out.append(_change(path, a, b, secret, redact))
    return out, total


def _parse_json(body: bytes, content_type: str | None) -> Any:
    mt = media_type(content_type) or ""
    if not (mt.endswith("json") or body.lstrip()[:1] in (b"{", b"[")):
        return _MISSING
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return _MISSING


def _common_ends(old: list[str], new: list[str]) -> tuple[int, int]:
    """(lines the two share at the start, lines they share at the end after those): linear, and usually all of a
    long body but a few lines, so only the middle needs difflib."""
    start, most = 0, min(len(old), len(new))
    while start < most and old[start] == new[start]:
        start += 1
    end = 0
    while end < most - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return start, end


def _numbered(old: list[str], new: list[str]) -> tuple[tuple[DiffLine, ...], str | None]:
    """(the unified diff with line numbers, None) or, when the differing middle is over MAX_DIFF_LINES on a side
    (difflib is quadratic in it), (its first line on each side, a sentence saying where and how much differs)."""
    start, end = _common_ends(old, new)
    old_end, new_end = len(old) - end, len(new) - end
    if max(old_end - start, new_end - start) > MAX_DIFF_LINES:
        first = [DiffLine(start + 1, None, "-", old[start])] if start < old_end else []
        first += [DiffLine(None, start + 1, "+", new[start])] if start < new_end else []
        return tuple(first), (f"{max(old_end, new_end) - start:,} lines differ (from line {start + 1} to line "
                              f"{old_end} before, to line {new_end} after), a region too large to diff line by "
                              f"line (more than {MAX_DIFF_LINES:,}); its first line is shown.")
    lo = max(0, start - CONTEXT_LINES)
    a, b = old[lo:old_end + CONTEXT_LINES], new[lo:new_end + CONTEXT_LINES]
    lines: list[DiffLine] = []
    # autojunk: from 200 lines on, a line that is over 1% of one side (blank, "}") does not anchor a match. Without
    # it difflib is cubic on repeated lines: 400 lines of "x" against "x"/"y" took 2 s, 2,000 took 166 s.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=True)
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [DiffLine(lo + i + 1, lo + j1 + k + 1, " ", a[i]) for k, i in enumerate(range(i1, i2))]
                continue
            lines += [DiffLine(lo + i + 1, None, "-", a[i]) for i in range(i1, i2)]
            lines += [DiffLine(None, lo + j + 1, "+", b[j]) for j in range(j1, j2)]
    return tuple(lines), None


def _sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def compare_bodies(old: bytes | None, new: bytes | None, old_type: str | None = None,
                   new_type: str | None = None, notes: tuple[str, ...] = (), *, redact: bool = False) -> BodyDiff:
    """How body ``new`` differs from body ``old`` (None: no body at all). With ``redact``, secrets are masked on
    both sides (JSON: per changed value; forms: app.core.redact.redact_body before the text diff)."""
    a, b = old or b"", new or b""
    if old is None and new is None:
        return BodyDiff("none", 0, 0, notes=notes)
    if a == b:
        return BodyDiff("same", len(a), len(b), notes=notes)
    ja, jb = _parse_json(a, old_type), _parse_json(b, new_type)
    if ja is not _MISSING and jb is not _MISSING:
        changes, total = json_changes(ja, jb, redact=redact)
        if not total:  # the same document written differently (spacing, key order)
            return BodyDiff("same", len(a), len(b), notes=notes + ("Same JSON, written differently.",))
        return BodyDiff("json", len(a), len(b), changes=tuple(changes), total_changes=total, notes=notes)
    if redact:
        a, b = redact_body(a, old_type)[0] or b"", redact_body(b, new_type)[0] or b""
    try:
        ta, tb = a.decode("utf-8"), b.decode("utf-8")
    except UnicodeDecodeError:
        ta = tb = None
    if redact and ta is not None and tb is not None:  # text bodies: free-text secrets (k=v, bearer tokens, JWTs)
        ta, tb = redact_text(ta)[0], redact_text(tb)[0]
    if ta is not None and tb is not None:
        la, lb = ta.splitlines(), tb.splitlines()
        if max(len(la), len(lb)) <= MAX_TEXT_LINES:
            lines, too_wide = _numbered(la, lb)
            if too_wide:
                notes += (too_wide,)
            elif not lines:
                notes += ("The lines are the same; only line endings or the final newline differ.",)
            return BodyDiff("text", len(a), len(b), lines=lines, notes=notes)
        notes += (f"Too many lines to compare line by line (more than {MAX_TEXT_LINES:,}); compared by hash.",)
    return BodyDiff("binary", len(a), len(b), _sha(a), _sha(b), notes=notes)
