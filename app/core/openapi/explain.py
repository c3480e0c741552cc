"""What an operation documents for a status: its own code, else the range (``4XX``), else ``default``.

CONTRACT:
    def response_key(op: Operation, code: int) -> str | None        # "404" | "4XX" | "default" | None
    def explain_status(op: Operation, code: int) -> DocumentedStatus | None
        # source "openapi", section the operation's id or "METHOD /path"; None when the operation documents
        # neither the code, its range nor a default (the caller then reports response-status-undocumented)
"""

from __future__ import annotations

from http import HTTPStatus

from app.core.models import DocumentedStatus
from app.core.openapi.operations import Operation


def response_key(op: Operation, code: int) -> str | None:
    for key in (str(code), f"{code // 100}XX", "default"):
        if key in op.responses:
            return key
    return None


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Unknown status"


def explain_status(op: Operation, code: int) -> DocumentedStatus | None:
    """The operation's documented description of ``code``; the note says when a range or default answered."""
    key = response_key(op, code)
    if key is None:
        return None
    response = op.responses[key]
    description = " ".join(str(response.get("description") or "").split()) or "(no description in the document)"
    note = None
    if key != str(code):
        what = "its default response" if key == "default" else f"the range {key}"
        note = f"{op.label} does not list {code} itself; this is {what}."
    return DocumentedStatus(code=code, status=_phrase(code), description=description, section=op.label,
                            source="openapi", note=note)
