"""The request header table: on/off rows, header-name completion, and request-side findings shown in place.

A finding marks the row of its header (tint + icon + tooltip with the sentence). A finding about a header that is
not sent (absent, or only switched off) adds a read-only placeholder row at the top: "Content-Type — missing".
Double-clicking a placeholder adds a real row for that header.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QLineEdit, QTableWidgetItem, QWidget

from app.core.draft import Row
from app.core.models import Finding
from app.core.presentation import finding_headline
from app.ui.widgets.kv_table import KIND_ROLE, KeyValueTable, MaskingDelegate

COMMON_HEADERS = (
    "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control", "Connection",
    "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Length", "Content-Type", "Cookie", "Date",
    "Expect", "Forwarded", "From", "Host", "If-Match", "If-Modified-Since", "If-None-Match", "If-Range",
    "If-Unmodified-Since", "Idempotency-Key", "Origin", "Pragma", "Prefer", "Range", "Referer", "TE",
    "Transfer-Encoding", "Upgrade", "User-Agent", "Via", "X-API-Key", "X-Correlation-ID", "X-Forwarded-For",
    "X-Request-ID", "X-Requested-With",
)
COMMON_VALUES = ("application/json", "application/xml", "text/plain", "application/x-www-form-urlencoded",
                 "multipart/form-data", "*/*", "gzip, deflate", "no-cache", "chunked", "Bearer ")

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


class _CompletingDelegate(MaskingDelegate):
    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QWidget:  # noqa: N802 (Qt name)
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            words = COMMON_HEADERS if index.column() == 1 else COMMON_VALUES
            completer = QCompleter(list(words), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains if index.column() == 1 else Qt.MatchFlag.MatchStartsWith)
            editor.setCompleter(completer)
        return editor


def _colors():
    try:  # B's palette-aware colours and standard icons
        from app.ui import style

        return style.severity_color, style.severity_background, style.severity_icon
    except ImportError:  # pragma: no cover - fallback while style.py is missing
        from PySide6.QtGui import QColor, QIcon

        base = {"error": "#b3261e", "warning": "#a35200", "info": "#1a5fb4"}

        def color(sev, palette=None):
            return QColor(base.get(sev, "#555555"))

        def background(sev, palette=None):
            c = color(sev)
            c.setAlpha(48)
            return c

        return color, background, lambda sev: QIcon()


class HeaderTable(KeyValueTable):
    mask_secrets = True  # Authorization, Cookie, *-Key, *-Token ... painted masked until "Show secrets"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Header", "Value", parent)
        self.setObjectName("requestHeadersTable")
        self.setAccessibleName("Request headers")
        self.setAccessibleDescription("Headers sent with the request. Untick a row to keep it without sending it; Delete removes "
                        "the selected rows.\nSecret values (Authorization, Cookie, keys, tokens) are masked until "
                        "you edit the cell or press Show secrets.")
        self.setItemDelegate(_CompletingDelegate(self))
        self._findings: tuple[Finding, ...] = ()
        self._suggest: Callable[[str], str] = lambda header: {"content-type": "application/json"}.get(
            header.lower(), "")
        self.itemDoubleClicked.connect(self._adopt_placeholder)

    def set_value_suggester(self, suggest: Callable[[str], str]) -> None:
        """What a missing header gets when it is added (the editor knows the body: JSON, form, text)."""
        self._suggest = suggest

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Enter or Space on a "— missing" row adds that header, as a double-click does."""
        item = self.currentItem()
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and item is not None
                and item.data(KIND_ROLE) == "placeholder"):
            self._adopt_placeholder(item)
            return
        super().keyPressEvent(event)

    def add_missing(self, header: str) -> None:
        """Add (or switch back on) ``header`` with the suggested value: the fix button of the warning bar."""
        for r in range(self.rowCount()):
            item = self.item(r, 1)
            if item is not None and item.data(KIND_ROLE) == "placeholder" and \
                    str(item.data(Qt.ItemDataRole.UserRole + 3)).lower() == header.lower():
                self._adopt_placeholder(item)
                return
        self._adopt(header)

    # ------------------------------------------------------------------ findings
    def findings(self) -> tuple[Finding, ...]:
        return self._findings

    def set_rows(self, rows) -> None:
        super().set_rows(rows)
        self._apply_findings()

    def set_findings(self, findings) -> None:
        """Mark rows for request-side findings; add placeholder rows for headers that are not sent."""
        self._findings = tuple(f for f in findings if f.side == "request")
        self._apply_findings()

    def placeholder_rows(self) -> list[tuple[str, str]]:
        """(header, text) of each placeholder row, top to bottom (tests, accessibility)."""
        return [(self._text(r, 1), self._text(r, 2)) for r in range(self.rowCount()) if self._kind(r) == "placeholder"]

    def marked_rows(self) -> dict[int, str]:
        """Row index -> tooltip of every user row carrying a finding."""
        out = {}
        for r in range(self.rowCount()):
            item = self.item(r, 1)
            if self._kind(r) == "row" and item is not None and item.data(Qt.ItemDataRole.UserRole + 2):
                out[r] = item.toolTip()
        return out

    def reveal_first_mark(self) -> int | None:
        """Scroll so the first placeholder or marked row is in view (a pasted request can bring 15 headers)."""
        rows = [r for r in range(self.rowCount()) if self._kind(r) == "placeholder"] or sorted(self.marked_rows())
        if not rows:
            return None
        item = self.item(rows[0], 1)
        if item is not None:
            self.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)
        return rows[0]

    def _apply_findings(self) -> None:
        color, background, icon = _colors()
        self._loading = True
        try:
            for r in range(self.rowCount() - 1, -1, -1):
                if self._kind(r) == "placeholder":
                    self.removeRow(r)
            by_header: dict[str, list[Finding]] = {}
            for f in self._findings:
                by_header.setdefault(f.header.strip().lower(), []).append(f)
            sent = {r.name.strip().lower() for r in self.rows() if r.enabled}
            for r in range(self.rowCount()):
                name = self._text(r, 1).strip().lower()
                hits = by_header.get(name, []) if name else []
                self._mark(r, hits, color, background, icon)
            placeholders = [(h, fs) for h, fs in by_header.items() if h and h not in sent]
            placeholders.sort(key=lambda p: min(_SEVERITY_RANK.get(f.severity, 3) for f in p[1]))
            for i, (_, fs) in enumerate(placeholders):
                self._insert_placeholder(i, fs, color, background, icon)
        finally:
            self._loading = False

    def _mark(self, r: int, hits: list[Finding], color, background, icon) -> None:
        for c in (1, 2):
            item = self.item(r, c)
            if item is None:
                continue
            if hits:
                worst = min(hits, key=lambda f: _SEVERITY_RANK.get(f.severity, 3))
                item.setBackground(QBrush(background(worst.severity)))
                item.setToolTip("\n".join(f.text for f in hits))
                item.setData(Qt.ItemDataRole.UserRole + 2, worst.severity)
                if c == 1:
                    item.setIcon(icon(worst.severity))
            else:
                item.setBackground(QBrush())
                item.setToolTip("")
                item.setData(Qt.ItemDataRole.UserRole + 2, None)
                if c == 1:
                    from PySide6.QtGui import QIcon

                    item.setIcon(QIcon())

    def _insert_placeholder(self, r: int, fs: list[Finding], color, background, icon) -> None:
        worst = min(fs, key=lambda f: _SEVERITY_RANK.get(f.severity, 3))
        header = fs[0].header
        self.insertRow(r)
        blank = QTableWidgetItem()
        blank.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.setItem(r, 0, blank)
        tip = "\n".join(f.text for f in fs) + "\n(Double-click, Enter or Space adds this header.)"
        name = QTableWidgetItem(f"{header} — missing")
        value = QTableWidgetItem(finding_headline(fs[0].text))  # the whole sentence is in the tooltip
        for item in (name, value):
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setData(KIND_ROLE, "placeholder")
            item.setData(Qt.ItemDataRole.UserRole + 3, header)
            item.setToolTip(tip)
            item.setBackground(QBrush(background(worst.severity)))
            item.setForeground(QBrush(color(worst.severity)))
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
        name.setIcon(icon(worst.severity))
        name.setText(header)
        name.setText(f"{header} — missing")
        self.setItem(r, 1, name)
        self.setItem(r, 2, value)

    def _kind(self, r: int) -> str:
        item = self.item(r, 1)
        return (item.data(KIND_ROLE) if item is not None else None) or "row"

    def _adopt_placeholder(self, item: QTableWidgetItem) -> None:
        if item.data(KIND_ROLE) != "placeholder":
            return
        self._adopt(str(item.data(Qt.ItemDataRole.UserRole + 3)))

    def _adopt(self, header: str) -> None:
        suggestion = self._suggest(header)
        rows = list(self.rows())
        for i, row in enumerate(rows):  # a switched-off row for it: switch it back on
            if row.name.strip().lower() == str(header).lower():
                rows[i] = Row(row.name, row.value, True)
                break
        else:
            rows.append(Row(str(header), suggestion))
        super().set_rows(rows)
        self._apply_findings()
        self.edited.emit()
