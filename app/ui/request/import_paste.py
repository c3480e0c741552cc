"""Pasting a curl command or a raw HTTP request into the URL bar turns it into the tab's request.

``draft_from_text(text)`` is the pure part (curl in bash or cmd flavour, or "POST /x HTTP/1.1" text; what the text
is comes from ``app.core.formats.detect.detect_kind``); a text of several curl commands gives them all, and the URL
bar takes the first with a note saying so (Edit → Paste exchange and File → Import open each in its own tab);
``PasteImporter`` watches one URL edit: Ctrl+V (and the context-menu / middle-click paste, seen as a text jump)
with such text replaces the tab's request; a plain URL pastes as usual.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLineEdit

from app.core.draft import RequestDraft, request_draft


def _paste_kinds():
    """What a paste into the URL bar imports: a request (an exchange gives its request; a response alone, or an
    exchange that does not read, pastes as text). The detector (a dozen regexes) loads at the first paste."""
    from app.core.formats.detect import ImportKind

    return (ImportKind.CURL, ImportKind.RAW_REQUEST, ImportKind.RAW_EXCHANGE)


@dataclass(frozen=True)
class PasteResult:
    """What a pasted text became: a draft (None when it could not be read) and notes for the status bar."""

    draft: RequestDraft | None
    kind: str  # "curl" or "raw"
    notes: tuple[str, ...] = ()
    more: tuple[RequestDraft, ...] = ()  # the requests of the text's further curl commands, in order


def importable(text: str) -> bool:
    from app.core.formats.detect import detect_kind

    return detect_kind(text) in _paste_kinds()


def _curl_draft(imp) -> tuple[RequestDraft, list[str]]:
    """The draft of one curl import, and its notes."""
    notes = list(imp.warnings)
    if imp.unknown_flags:
        notes.append("Ignored curl options: " + ", ".join(imp.unknown_flags) + ".")
    if imp.insecure:
        notes.append("The command had --insecure: TLS verification is off for this request.")
    draft = request_draft(imp.request)
    draft = replace(draft, options=replace(draft.options, follow_redirects=imp.follow_redirects,
                                           verify_tls=not imp.insecure))
    return draft, notes


def draft_from_text(text: str) -> PasteResult | None:
    """A draft from a curl command or raw HTTP request text; None when ``text`` is neither (a plain URL, a response
    alone). Several curl commands give the first as ``draft`` and the others in ``more`` (never a mix of them)."""
    from app.core.formats.detect import ImportKind, detect_kind
    from app.core.formats.errors import FormatError

    kind = detect_kind(text)
    if kind is ImportKind.CURL:
        from app.core.formats.curl import parse_curl_commands

        try:
            imports = parse_curl_commands(text.strip())
        except FormatError as exc:
            return PasteResult(None, "curl", (f"This curl command could not be read: {exc}",))
        drafts = [_curl_draft(imp) for imp in imports]
        notes = [note for _draft, more_notes in drafts for note in more_notes]
        return PasteResult(drafts[0][0], "curl", tuple(dict.fromkeys(notes)), tuple(d for d, _ in drafts[1:]))
    if kind in (ImportKind.RAW_REQUEST, ImportKind.RAW_EXCHANGE):
        from app.core.formats.raw_http import parse_raw

        try:
            raw = parse_raw(text.lstrip())
        except FormatError as exc:
            if kind is ImportKind.RAW_EXCHANGE:
                return None  # not a request to import: it pastes as text
            return PasteResult(None, "raw", (f"This HTTP request text could not be read: {exc}",))
        if raw.request is None:
            if kind is ImportKind.RAW_EXCHANGE:
                return None
            return PasteResult(None, "raw", ("The pasted text holds no HTTP request.",))
        return PasteResult(request_draft(raw.request), "raw", tuple(raw.warnings))
    return None


def describe(result: PasteResult, all_opened: bool = False) -> str:
    """One status-bar sentence for an import; ``all_opened``: every request of the text got its own tab."""
    what = "curl command" if result.kind == "curl" else "HTTP request text"
    if result.draft is None:
        return " ".join(result.notes)
    d = result.draft
    text = f"Imported the pasted {what}: {d.method} {d.url}."
    if result.more and all_opened:
        text = f"Imported {len(result.more) + 1} curl commands, each in its own tab (the first: {d.method} {d.url})."
    elif result.more:
        text += (f" The text holds {len(result.more) + 1} curl commands; only the first is in this tab "
                 f"(Edit → Paste exchange opens each in its own tab).")
    if result.notes:
        text += " " + " ".join(result.notes)
    return text


class PasteImporter(QObject):
    """Watches ``edit`` (a tab's urlEdit); calls ``apply(result)`` when a curl/raw request lands in it."""

    def __init__(self, edit: QLineEdit, apply: Callable[[PasteResult], None]) -> None:
        super().__init__(edit)
        self.edit = edit
        self._apply = apply
        self._last = edit.text()
        edit.installEventFilter(self)
        edit.textChanged.connect(self._text_changed)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if obj is self.edit and event.type() == QEvent.Type.KeyPress and event.matches(QKeySequence.StandardKey.Paste):
            text = QGuiApplication.clipboard().text()
            if importable(text) and self.import_text(text) is not None:
                return True  # imported (or a sentence said why not); a response alone pastes as text
        return False

    def _text_changed(self, text: str) -> None:
        jumped = len(text) - len(self._last) > 1  # a paste or setText, not typing "curl " by hand
        self._last = text
        if not jumped or "curl" not in text.lower():  # detect_kind says CURL only for text naming curl
            return
        from app.core.formats.detect import ImportKind, detect_kind

        if detect_kind(text) is ImportKind.CURL:
            QTimer.singleShot(0, lambda t=text: self._maybe_import(t))

    def _maybe_import(self, text: str) -> None:
        if self.edit.text() == text:
            self.import_text(text)

    def import_text(self, text: str) -> PasteResult | None:
        result = draft_from_text(text)
        if result is not None:
            self._apply(result)
            self._last = self.edit.text()
        return result


# Headers the HTTP client writes itself: a draft that keeps them would send stale values after an edit.
_CLIENT_HEADERS = frozenset({"host", "content-length", "connection", "transfer-encoding"})


def editable_draft(request) -> RequestDraft:
    """A draft to edit and resend from a request as it was sent (history, HAR): client-managed headers dropped."""
    from app.core.models import HttpRequest

    headers = tuple((k, v) for k, v in request.headers if k.lower() not in _CLIENT_HEADERS and not k.startswith(":"))
    return request_draft(HttpRequest(request.method, request.url, headers, request.body))
