"""The View menu's layout choice: side by side on a wide window, stacked on a narrow one, or fixed; remembered."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from app.store.window_state import read_window_state
from app.ui.layout_switch import SIDE_BY_SIDE_MIN_WIDTH
from tests.ui.workspace_support import make_window  # noqa: F401 (fixture)

H, V = Qt.Orientation.Horizontal, Qt.Orientation.Vertical


def _view_action(w, text: str):
    menu = next(a.menu() for a in w.menuBar().actions() if a.text().replace("&", "") == "View")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def _orientations(w):
    return {t.splitter.orientation() for t in w.request_tabs()}


def test_automatic_follows_the_width(qtbot, make_window, ri_home):  # noqa: F811
    w = make_window(settings_path=ri_home / "settings.json")
    w.resize(1400, 900)
    qtbot.waitUntil(lambda: w.tabs.width() >= SIDE_BY_SIDE_MIN_WIDTH and _orientations(w) == {H})
    tab = w.current_tab()
    request, response = tab.splitter.sizes()
    assert 0.38 < request / (request + response) < 0.5  # about 45/55, the response a little wider
    bar = tab.editor.url_bar  # side by side, the URL bar spans both halves
    assert bar.isVisible() and bar.parentWidget() is tab and bar.width() > tab.splitter.width() * 0.9
    w.resize(1000, 700)
    qtbot.waitUntil(lambda: _orientations(w) == {V})
    # stacked: the request takes what its content needs, the response the rest (once the layout has settled)
    qtbot.waitUntil(lambda: tab.splitter.sizes()[0] < tab.splitter.sizes()[1] and tab.splitter.height() > 500)
    assert tab.editor.url_bar.parentWidget() is tab.editor  # the URL bar is back in the request half
    qtbot.waitUntil(lambda: w.minimumSizeHint().width() <= 900)  # once the stacked layout has settled


def test_menu_choice_holds_and_is_remembered_across_a_restart(qtbot, make_window, ri_home):  # noqa: F811
    path = ri_home / "settings.json"
    w = make_window(settings_path=path)
    w.resize(1200, 700)  # Automatic stacks here (a tabs area under 1000 px)
    qtbot.waitUntil(lambda: _orientations(w) == {V})
    _view_action(w, "Side by side").trigger()
    qtbot.waitUntil(lambda: _orientations(w) == {H})
    w.new_tab()
    assert _orientations(w) == {H}  # a new tab follows the choice
    _view_action(w, "Stacked").trigger()
    w.resize(1600, 900)
    qtbot.wait(50)
    assert _orientations(w) == {V}  # a fixed choice ignores the width
    _view_action(w, "Side by side").trigger()
    w.shutdown()
    assert json.loads(path.read_text(encoding="utf-8"))["settings"]["layout"] == "side_by_side"
    again = make_window(settings_path=path)
    again.resize(1200, 700)
    qtbot.waitUntil(lambda: _orientations(again) == {H})
    assert _view_action(again, "Side by side").isChecked()
    assert not _view_action(again, "Automatic").isChecked()
    again.resize(900, 700)  # too narrow for both halves: stacked, so the window never has to be wider
    qtbot.waitUntil(lambda: _orientations(again) == {V})
    qtbot.waitUntil(lambda: again.minimumSizeHint().width() <= 900)


def test_a_damaged_layout_value_is_reset_with_a_note():
    state = read_window_state({"layout": "diagonal"})
    assert state.layout is None and "layout" in (state.note or "")
    assert read_window_state({"layout": "stacked"}).layout == "stacked"
