"""The Saved part of the sidebar: with nothing saved, a wrapped hint and little room; with requests, the tree."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter

from app.store.collection import CollectionNode as Node
from app.ui.sidebar.collection_panel import CollectionPanel
from tests.ui.workspace_support import make_window  # noqa: F401 (fixture)


def test_empty_hint_wraps_and_is_not_cut(qtbot):
    panel = CollectionPanel()
    qtbot.addWidget(panel)
    panel.resize(230, 300)
    panel.show()
    said = []
    panel.emptied.connect(said.append)
    panel.set_tree([], "/tmp/collection")
    assert panel.empty_hint.isVisible() and not panel.tree.isVisible() and said == [True]
    hint = panel.empty_hint
    assert hint.wordWrap() and hint.width() <= panel.width()
    assert hint.height() >= hint.heightForWidth(hint.width())  # every wrapped line has its room
    panel.set_tree([Node("a.http", "a.http", False, ())], "/tmp/collection")
    assert panel.tree.isVisible() and not hint.isVisible() and said == [True, False]
    assert panel.paths() == ["a.http"]


def test_sidebar_gives_an_empty_saved_list_little_room(qtbot, make_window):  # noqa: F811
    w = make_window()
    w.resize(1000, 700)
    split = w.findChild(QSplitter, "sidebarSplitter")
    qtbot.waitUntil(lambda: w.workspace.collection_panel.is_empty(), timeout=5000)
    qtbot.waitUntil(lambda: split.sizes()[0] * 3 < split.sizes()[1], timeout=5000)
    w.workspace.collection_panel.set_tree([Node("a.http", "a.http", False, ())])
    qtbot.waitUntil(lambda: split.sizes()[0] * 3 > split.sizes()[1], timeout=5000)
