"""A read-only table model over a list of row objects: the shared part of the history and HAR lists.

URLs in the lists are shown through ``screen_url``: tokens and passwords masked until ``set_secrets_shown(True)``
(the lists' "Show secrets" eye button), like the header tables.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.ui.widgets.secret_mask import masked_url


class RowsModel(QAbstractTableModel):
    """Subclasses set ``columns`` (header titles) and implement ``data()`` over ``self.rows``."""

    columns: tuple[str, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []
        self.secrets_shown = False

    def set_secrets_shown(self, shown: bool) -> None:
        """URLs' secrets in clear text (True) or masked (False); every cell is repainted."""
        self.secrets_shown = bool(shown)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))

    def screen_url(self, url: str) -> str:
        """``url`` as the list shows it: secret query/fragment values and a password masked unless shown."""
        return url if self.secrets_shown else masked_url(url)

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None
