"""The findings list: one row per finding with severity icon, side, header and the sentence."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.core.models import Finding
from app.core.presentation import ordered_findings
from app.ui.style import severity_color, severity_icon
from app.ui.widgets.plain_text import plain_tip


class FindingsList(QListWidget):
    """Items hold the finding id in ``Qt.UserRole``; most severe first, request side before response side."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsList")
        self.setAccessibleName("Findings")
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)

    def set_findings(self, findings: Iterable[Finding]) -> None:
        self.clear()
        ordered = ordered_findings(findings)
        for f in ordered:
            side = "Request" if f.side == "request" else "Response"
            item = QListWidgetItem(severity_icon(f.severity), f"{side} · {f.header}: {f.text}")
            item.setData(Qt.ItemDataRole.UserRole, f.id)
            item.setToolTip(plain_tip(f"{f.severity.capitalize()} ({f.id})\n{f.text}"))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{f.severity}: {side} header {f.header}: {f.text}")
            if f.severity == "error":
                item.setForeground(severity_color("error", self.palette()))
            self.addItem(item)
        if not ordered:
            empty = QListWidgetItem("No findings: the headers look right.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(empty)

    def finding_ids(self) -> list[str]:
        ids = []
        for i in range(self.count()):
            v = self.item(i).data(Qt.ItemDataRole.UserRole)
            if v:
                ids.append(v)
        return ids
