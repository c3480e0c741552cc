"""The query-parameter table (kept in sync with the URL by the request editor)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.widgets.kv_table import KeyValueTable


class ParamsTable(KeyValueTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Parameter", "Value", parent)
        self.setObjectName("paramsTable")
        self.setAccessibleName("Query parameters")
        self.setToolTip("Query parameters, as typed in the URL. Untick a row to keep it out of the URL.")
