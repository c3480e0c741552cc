"""Header tables for the response view: response headers marked by findings, and the request as sent.

Every marked row carries colour + icon + tooltip (never colour alone). A finding about a header that is
absent gets a placeholder row ("Content-Type — missing") so the absence is visible. Column 0's
``Qt.UserRole`` holds the list of finding ids marking the row (empty list when unmarked).
Values of secret headers (Authorization, Cookie, Set-Cookie, keys, tokens) are shown masked until
``set_secrets_shown(True)``; column 1's ``VALUE_ROLE`` keeps the real value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from app.core.models import Finding, HttpRequest, HttpResponse
from app.ui.widgets.plain_text import plain_tip
from app.ui.widgets.secret_mask import masked_value
from app.ui.style import severity_background, severity_color, severity_icon, worst_severity

ADDED_NOTE = "added by the client"
PLACEHOLDER_ROLE = Qt.ItemDataRole.UserRole + 1  # True on placeholder rows
VALUE_ROLE = Qt.ItemDataRole.UserRole + 2  # the real header value (column 1), whatever is shown


def _matches(finding_header: str, name: str) -> bool:
    f, n = finding_header.lower(), name.lower()
    return n == f or n.startswith(f + "-") or n.startswith("x-" + f + "-")


class HeaderTable(QTableWidget):
    """Name · Value · Note, read-only, keyboard navigable."""

    def __init__(self, object_name: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible)
        self.setHorizontalHeaderLabels(["Name", "Value", "Note"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        h = self.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        self.setColumnWidth(1, 320)
        self._secrets_shown = False

    # -- secrets ------------------------------------------------------------------------------
    def secrets_shown(self) -> bool:
        return self._secrets_shown

    def set_secrets_shown(self, shown: bool) -> None:
        self._secrets_shown = bool(shown)
        for r in range(self.rowCount()):
            name, value = self.item(r, 0), self.item(r, 1)
            if name is not None and value is not None:
                value.setText(self._shown(name.text(), value.data(VALUE_ROLE) or ""))

    def _shown(self, name: str, value: str) -> str:
        return value if self._secrets_shown else masked_value(name, value)

    # -- rows ---------------------------------------------------------------------------------
    def _add_row(self, name: str, value: str, note: str, findings: Sequence[Finding],
                 placeholder: bool = False, italic: bool = False) -> int:
        row = self.rowCount()
        self.insertRow(row)
        items = [QTableWidgetItem(name), QTableWidgetItem(self._shown(name, value)), QTableWidgetItem(note)]
        items[1].setData(VALUE_ROLE, value)
        ids = [f.id for f in findings]
        items[0].setData(Qt.ItemDataRole.UserRole, ids)
        items[0].setData(PLACEHOLDER_ROLE, placeholder)
        sev = worst_severity(f.severity for f in findings)
        tip = "\n".join(f"{f.severity.capitalize()}: {f.text}" for f in findings)
        if not tip and note:
            tip = note
        for it in items:
            if tip:
                it.setToolTip(plain_tip(tip))
            if sev in ("error", "warning"):  # info rows keep an icon and a note, no tint
                it.setBackground(severity_background(sev, self.palette()))
            if placeholder or italic:
                font = QFont(it.font())
                font.setItalic(True)
                it.setFont(font)
        if sev:
            items[0].setIcon(severity_icon(sev))
            items[2].setForeground(severity_color(sev, self.palette()))
            items[0].setData(Qt.ItemDataRole.AccessibleDescriptionRole, tip)
        for col, it in enumerate(items):
            self.setItem(row, col, it)
        return row

    def clear_rows(self) -> None:
        self.setRowCount(0)

    def warning_rows(self) -> int:
        """How many rows carry an error or warning finding (the tab title counts these)."""
        n = 0
        for r in range(self.rowCount()):
            it = self.item(r, 0)
            if it.background().style() != Qt.BrushStyle.NoBrush:
                n += 1
        return n

    def marked_rows(self) -> dict[str, list[str]]:
        """Row name -> finding ids (for tests and the accessibility tree)."""
        out: dict[str, list[str]] = {}
        for r in range(self.rowCount()):
            it = self.item(r, 0)
            ids = it.data(Qt.ItemDataRole.UserRole) or []
            if ids:
                out[it.text()] = list(ids)
        return out

    # -- response -----------------------------------------------------------------------------
    def show_response(self, response: HttpResponse | None, findings: Iterable[Finding]) -> None:
        """Response headers in wire order; response-side findings mark rows or add placeholders."""
        self.clear_rows()
        if response is None:
            return
        mine = [f for f in findings if f.side == "response"]
        used: set[int] = set()
        for name, value in response.headers:
            hits = [f for f in mine if _matches(f.header, name)]
            used.update(id(f) for f in hits)
            note = "; ".join(self._short(f, response) for f in hits)
            self._add_row(name, value, note, hits)
        # findings about headers that are not there: one placeholder row per header name
        missing: dict[str, list[Finding]] = {}
        for f in mine:
            if id(f) not in used and f.header:
                missing.setdefault(f.header, []).append(f)
        for header, fs in missing.items():
            label = f"{header} — missing"
            if header.lower() == "content-length" and response.framing == "chunked":
                label += " (chunked)"
            self._add_row(label, "", "; ".join(self._short(f, response) for f in fs), fs, placeholder=True)

    @staticmethod
    def _short(f: Finding, response: HttpResponse) -> str:
        if f.id == "response-content-length-mismatch":
            declared = response.header("Content-Length")
            received = response.wire_bytes if response.wire_bytes is not None else len(response.body)
            return f"declared {declared} bytes, received {received}"
        return f.text

    # -- request as sent ----------------------------------------------------------------------
    def show_sent(self, sent: HttpRequest | None, typed: HttpRequest | None,
                  findings: Iterable[Finding] = ()) -> None:
        """The request's headers as they went on the wire; those the user did not type are marked as added."""
        self.clear_rows()
        if sent is None:
            return
        typed_names = {k.lower() for k, _ in typed.headers} if typed is not None else None
        mine = [f for f in findings if f.side == "request"]
        for name, value in sent.headers:
            hits = [f for f in mine if _matches(f.header, name)]
            added = typed_names is not None and name.lower() not in typed_names
            notes = [ADDED_NOTE] if added else []
            notes += [f.text for f in hits]
            self._add_row(name, value, "; ".join(notes), hits, italic=added)
