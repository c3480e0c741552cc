"""The typed result of comparing two exchanges, most important part first (see app.core.compare).

Every value here is already what may be shown: secrets masked (unless the caller asked to see them), durations and
sizes as words. Side "a" is the reference (the older or the working exchange), side "b" the one being explained.
``to_json`` is the machine contract of ``request-inspector compare --json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.core.models import Finding

ChangeKind = Literal["added", "removed", "changed"]
BodyKind = Literal["same", "json", "text", "binary", "none"]


@dataclass(frozen=True)
class Change:
    """One named thing that differs: a header, a query parameter, a JSON path. None means absent on that side."""

    name: str
    old: str | None
    new: str | None
    note: str = ""  # e.g. "a different secret value" when both sides show the same mask

    @property
    def kind(self) -> ChangeKind:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"

    def to_json(self) -> dict:
        out = {"name": self.name, "kind": self.kind, "old": self.old, "new": self.new}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class SideStatus:
    """One side's status line and what the API's documentation says about it (app.core.presentation's texts)."""

    status_line: str
    status_code: int | None
    documented_as: str | None
    explanation: str
    request_line: str

    def to_json(self) -> dict:
        return {"status_line": self.status_line, "status": self.status_code, "documented_as": self.documented_as,
                "explanation": self.explanation, "request": self.request_line}


@dataclass(frozen=True)
class TimingChange:
    phase: str
    old: float | None  # seconds
    new: float | None
    old_text: str
    new_text: str
    change: str  # "+120 ms", "−5.0 ms", "" when a side lacks the phase

    def to_json(self) -> dict:
        return {"phase": self.phase, "old_s": self.old, "new_s": self.new, "change": self.change}


@dataclass(frozen=True)
class DiffLine:
    """A line of a text diff: its numbers on each side (None where it does not exist) and ' ', '-', '+'."""

    old_no: int | None
    new_no: int | None
    mark: Literal[" ", "-", "+"]
    text: str


@dataclass(frozen=True)
class BodyDiff:
    kind: BodyKind
    old_size: int
    new_size: int
    old_sha256: str = ""
    new_sha256: str = ""
    changes: tuple[Change, ...] = ()  # JSON: path -> old/new (JSON texts)
    total_changes: int = 0  # all JSON changes, when more than ``changes`` holds
    lines: tuple[DiffLine, ...] = ()  # text: the hunks with line numbers
    notes: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return self.kind in ("same", "none")

    def to_json(self) -> dict:
        out: dict = {"kind": self.kind, "old_size": self.old_size, "new_size": self.new_size, "notes": list(self.notes)}
        if self.kind == "json":
            out.update(changes=[c.to_json() for c in self.changes], total_changes=self.total_changes)
        elif self.kind == "text":
            out["diff"] = [{"old_line": d.old_no, "new_line": d.new_no, "mark": d.mark, "text": d.text}
                           for d in self.lines]
        elif self.kind == "binary":
            out.update(old_sha256=self.old_sha256, new_sha256=self.new_sha256)
        return out


@dataclass(frozen=True)
class Comparison:
    """What differs between exchange ``a`` and exchange ``b``, most important first."""

    summary: str
    a: SideStatus
    b: SideStatus
    findings_added: tuple[Finding, ...]  # in b, not in a (by id)
    findings_removed: tuple[Finding, ...]  # in a, not in b
    method: Change | None
    url: Change | None  # scheme, host and path (the query is listed apart)
    query: tuple[Change, ...]
    request_headers: tuple[Change, ...]
    request_body: BodyDiff
    response_headers: tuple[Change, ...]
    volatile_headers: tuple[Change, ...]  # Date, Age, request ids: differ on every answer, not counted
    timings: tuple[TimingChange, ...]
    body: BodyDiff
    redacted: bool = True

    @property
    def status_changed(self) -> bool:
        return (self.a.status_code, self.a.status_line.split(" · ")[0]) != \
            (self.b.status_code, self.b.status_line.split(" · ")[0])

    @property
    def request_changed(self) -> bool:
        return bool(self.method or self.url or self.query or self.request_headers or not self.request_body.same)

    @property
    def same(self) -> bool:
        """True when every compared part is the same (timings and volatile headers are not counted)."""
        return not (self.status_changed or self.findings_added or self.findings_removed or self.request_changed
                    or self.response_headers or not self.body.same)

    def to_json(self) -> dict:
        changes = lambda cs: [c.to_json() for c in cs]  # noqa: E731
        return {
            "summary": self.summary,
            "same": self.same,
            "status": {"a": self.a.to_json(), "b": self.b.to_json(), "changed": self.status_changed},
            "findings": {"added": [f.to_json() for f in self.findings_added],
                         "removed": [f.to_json() for f in self.findings_removed]},
            "request": {"method": None if self.method is None else self.method.to_json(),
                        "url": None if self.url is None else self.url.to_json(),
                        "query": changes(self.query), "headers": changes(self.request_headers),
                        "body": self.request_body.to_json()},
            "response": {"headers": changes(self.response_headers), "volatile_headers": changes(self.volatile_headers)},
            "timing": [t.to_json() for t in self.timings],
            "body": self.body.to_json(),
            "redacted": self.redacted,
        }
