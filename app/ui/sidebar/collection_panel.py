"""Saved requests: a tree of ``.http`` files (objectName ``collectionTree``).

The panel only shows the tree and emits what the user asked for; the workspace does the file I/O off the GUI thread
and the draft <-> .http conversion is ``app.core.http_text``.

Signals: ``open_requested(str)``, ``run_requested(str)``, ``rename_requested(str)``, ``duplicate_requested(str)``,
``delete_requested(str)``, ``new_folder_requested()``, ``emptied(bool)`` (whether there is nothing saved, on every
change of that: the sidebar gives an empty list little room). With nothing saved, a wrapped hint takes the tree's place.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

PATH_ROLE = Qt.ItemDataRole.UserRole
DIR_ROLE = Qt.ItemDataRole.UserRole + 1


class CollectionPanel(QWidget):
    open_requested = Signal(str)
    rename_requested = Signal(str)
    duplicate_requested = Signal(str)
    delete_requested = Signal(str)
    new_folder_requested = Signal()
    save_requested = Signal()
    run_requested = Signal(str)  # a saved file or folder to run as checks ("" = everything)
    emptied = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("collectionPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        head.addWidget(QLabel("<b>Saved requests</b>", self), 1)
        self.save_button = QPushButton("Save current", self)
        self.save_button.setObjectName("saveRequestButton")
        self.save_button.setToolTip("Save the current request as a .http file (Ctrl+S)")
        head.addWidget(self.save_button)
        layout.addLayout(head)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("collectionTree")
        self.tree.setAccessibleName("Saved requests")
        self.tree.setHeaderHidden(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        layout.addWidget(self.tree, 1)
        self.empty_hint = QLabel("No saved requests yet. Ctrl+S saves the current request here; each one is a "
                                 ".http file in the folder below.", self)
        self.empty_hint.setObjectName("collectionEmptyHint")
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)
        self._empty: bool | None = None
        self.folder_label = QLabel(self)
        self.folder_label.setTextFormat(Qt.TextFormat.PlainText)  # a path
        self.folder_label.setObjectName("collectionFolder")
        self.folder_label.setWordWrap(True)
        self.folder_label.setEnabled(False)  # quiet: the palette's disabled text colour, readable light and dark
        layout.addWidget(self.folder_label)

        self.save_button.clicked.connect(self.save_requested)
        self.tree.itemActivated.connect(self._activated)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        for key, signal in ((QKeySequence.StandardKey.Delete, self.delete_requested), (QKeySequence("F2"), self.rename_requested)):
            act = QAction(self.tree)
            act.setShortcut(QKeySequence(key))
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            act.triggered.connect(lambda *_, s=signal: self._emit_current(s))
            self.tree.addAction(act)

    def set_tree(self, nodes, folder: str = "") -> None:
        self.tree.clear()

        def add(parent, node) -> None:
            item = QTreeWidgetItem([node.name])
            item.setData(0, PATH_ROLE, node.rel_path)
            item.setData(0, DIR_ROLE, node.is_dir)
            item.setToolTip(0, node.rel_path)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            for child in node.children:
                add(item, child)

        for n in nodes:
            add(None, n)
        self.tree.expandAll()
        if folder:
            self.folder_label.setText(f"Folder: {folder}")
        empty = not nodes
        self.tree.setVisible(not empty)
        self.empty_hint.setVisible(empty)
        if empty != self._empty:
            self._empty = empty
            self.emptied.emit(empty)

    def is_empty(self) -> bool:
        return bool(self._empty)

    def paths(self) -> list[str]:
        out = []

        def walk(item) -> None:
            p = item.data(0, PATH_ROLE)
            if p and not item.data(0, DIR_ROLE):
                out.append(p)
            for i in range(item.childCount()):
                walk(item.child(i))

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return out

    def _activated(self, item, _col=0) -> None:
        p = item.data(0, PATH_ROLE)
        if p and not item.data(0, DIR_ROLE):
            self.open_requested.emit(p)

    def _emit_current(self, signal) -> None:
        item = self.tree.currentItem()
        if item is not None and item.data(0, PATH_ROLE):
            signal.emit(item.data(0, PATH_ROLE))

    def _context_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        menu = QMenu(self)
        p = item.data(0, PATH_ROLE) if item is not None else None
        if p:
            if not item.data(0, DIR_ROLE):
                menu.addAction("Open", lambda: self.open_requested.emit(p))
                menu.addAction("Duplicate", lambda: self.duplicate_requested.emit(p))
            menu.addAction("Run" if not item.data(0, DIR_ROLE) else "Run every request in it",
                           lambda: self.run_requested.emit(p))
            menu.addAction("Rename…", lambda: self.rename_requested.emit(p))
            menu.addAction("Delete", lambda: self.delete_requested.emit(p))
            menu.addSeparator()
        menu.addAction("Run all saved requests", lambda: self.run_requested.emit(""))
        menu.addAction("Save current request…", self.save_requested.emit)
        menu.addAction("New folder…", self.new_folder_requested.emit)
        menu.popup(self.tree.viewport().mapToGlobal(pos))
