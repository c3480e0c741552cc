"""Request and response side by side on a wide window, stacked on a narrow one, or fixed either way.

The View menu's three choices ("Automatic", "Side by side", "Stacked") are one exclusive action group; the choice is
stored in the settings under ``layout`` (checked on the way back by app.store.window_state). In Automatic, the
request tabs' area decides: at ``SIDE_BY_SIDE_MIN_WIDTH`` pixels or more the request goes beside the response,
below it one above the other (a 1000 px window with the sidebar leaves ~700 px: side by side, both halves would
be cramped). "Side by side" still stacks them below ``SIDE_BY_SIDE_FLOOR`` pixels, where the two halves' own minimum
widths would force the window wider than the screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QWidget

from app.store.window_state import LAYOUTS

SETTING = "layout"
SIDE_BY_SIDE_MIN_WIDTH = 1000
SIDE_BY_SIDE_FLOOR = 760
_LABELS = {"auto": "&Automatic", "side_by_side": "&Side by side", "stacked": "S&tacked"}
_SHORTCUTS = {"auto": "Ctrl+Alt+0", "side_by_side": "Ctrl+Alt+1", "stacked": "Ctrl+Alt+2"}


class LayoutSwitch(QObject):
    """Owns the layout choice; ``apply(tab)`` arranges one request tab (anything with ``set_orientation``)."""

    def __init__(self, area: QWidget, settings, tabs: Callable[[], Iterable], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._area = area
        self._settings = settings
        self._tabs = tabs
        self.mode = "auto"
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.actions: dict[str, QAction] = {}
        for mode in LAYOUTS:
            action = QAction(_LABELS[mode], self, checkable=True, shortcut=QKeySequence(_SHORTCUTS[mode]))
            action.setObjectName(f"layout_{mode}")
            action.triggered.connect(lambda _checked=False, m=mode: self.set_mode(m))
            self.group.addAction(action)
            self.actions[mode] = action
        self.actions["auto"].setToolTip("Side by side when the window is wide, stacked when it is narrow")
        self.actions["side_by_side"].setToolTip("Request beside the response (stacked only when the window is too "
                                                "narrow for both)")
        self.actions["auto"].setChecked(True)
        # after a resize, once the tabs inside have their new size (the filter sees the event before they do)
        self._after_resize = QTimer(self, singleShot=True, interval=0)
        self._after_resize.timeout.connect(self.arrange)
        area.installEventFilter(self)

    def set_mode(self, mode: str, save: bool = True) -> None:
        """Use ``mode`` (one of app.store.window_state.LAYOUTS) for every request tab; remembered unless told."""
        if mode not in LAYOUTS:
            return
        self.mode = mode
        self.actions[mode].setChecked(True)
        if save:
            try:
                self._settings.set(SETTING, mode)
            except Exception:
                pass  # a full disk: the choice still holds for this session
        self.arrange()

    def orientation(self) -> Qt.Orientation:
        """The orientation the current mode asks for at the area's current width."""
        wide_enough = {"auto": SIDE_BY_SIDE_MIN_WIDTH, "side_by_side": SIDE_BY_SIDE_FLOOR}.get(self.mode)
        if wide_enough is not None and self._area.width() >= wide_enough:
            return Qt.Orientation.Horizontal
        return Qt.Orientation.Vertical

    def apply(self, tab) -> None:
        tab.set_orientation(self.orientation())

    def arrange(self) -> None:
        for tab in self._tabs():
            self.apply(tab)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if obj is self._area and event.type() == QEvent.Type.Resize and self.mode != "stacked":
            self._after_resize.start()
        return False
