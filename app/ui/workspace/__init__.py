"""The workspace around the request tabs, composed of one small part per concern:

- ``history`` (workspace/history.py): every finished exchange stored, listed, reopened;
- ``saved`` (workspace/saved.py): saved requests as .http files;
- ``environments`` (workspace/environments.py): ``{{var}}`` values and where secrets live;
- ``importing`` (workspace/importing.py): File → Import, HAR / raw HTTP triage, paste exchange;
- ``handback`` (workspace/handback.py): copy as curl, copy as code, save as HAR, triage report;
- ``compare`` (workspace/compare.py): two exchanges side by side, or an answer against the last success;
- ``run`` (workspace/run.py): saved requests sent and checked against their ``??`` expectations;
- ``tasks`` (app/ui/tasks.py): the one group that spawns and awaits their background work.

The window hands the workspace what it needs (its tabs, services, settings, status line, catalog holder) and
places what the workspace builds (sidebar dock, toolbar, menu actions); nothing here patches the window.
The stores (sqlite history, collection folder, environments + keyring) open on a worker thread after the
first paint; work that needs them awaits ``ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QSplitter, QToolBar, QWidget

from app.ui.sidebar.collection_panel import CollectionPanel
from app.ui.sidebar.environment_bar import EnvironmentBar
from app.ui.sidebar.history_panel import HistoryPanel

if TYPE_CHECKING:
    from app.core.draft import RequestDraft
    from app.ui.services import TabServices


class TabHost(Protocol):
    """What the workspace's parts may do with the window's tabs."""

    def new_tab(self, draft: RequestDraft | None = None): ...

    def current_tab(self): ...

    def current_view(self): ...

    def add_view(self, widget: QWidget, title: str) -> None: ...


@dataclass(frozen=True)
class WorkspaceActions:
    """The workspace's menu entries, grouped by the menu the window puts them in."""

    file: tuple[QAction, ...]
    edit: tuple[QAction, ...]
    request: tuple[QAction, ...]  # holds the "Copy as code" submenu's action
    code: tuple[QAction, ...] = ()  # that submenu's entries: one per target, then "Include secrets"


@dataclass
class OpenedStores:
    history: object | None
    history_note: str | None
    collection: object | None
    environments: object


def open_stores(plain_consent: bool) -> OpenedStores:
    """Open history, saved requests and environments (disk, sqlite, keyring: call on a worker thread)."""
    from app.paths import data_home
    from app.store.collection import Collection
    from app.store.environments import Environments
    from app.store.history import History
    from app.store.secrets import choose_secret_store
    from app.store.vault import open_vault

    home = data_home()
    note = None
    try:  # secrets in the history are sealed with a key kept like the environments' secrets
        history, note = History.open_or_recover(home / "history.sqlite3", vault=open_vault(home, plain_consent))
    except Exception as exc:  # HistoryError: a sentence
        history, note = None, f"History is off for this session: {exc}"
    try:
        collection = Collection(home / "collection")
    except Exception as exc:  # CollectionError / OSError: a sentence
        collection, note = None, (note or "") + f" Saved requests are unavailable: {exc}"
    environments = Environments(home / "environments.json", choose_secret_store(home, plain_consent))
    return OpenedStores(history, note, collection, environments)


def _size_sidebar(split: QSplitter, saved: QWidget, empty: bool) -> None:
    """Nothing saved: the Saved part takes only its heading and hint; something saved: about two fifths."""
    total = max(sum(split.sizes()), split.height(), 400)
    top = saved.sizeHint().height() if empty else total * 2 // 5
    split.setSizes([top, total - top])


class Workspace(QObject):
    """Built in two stages, like the window: what the first paint shows (sidebar dock with its panels, toolbar
    with its entries) at once; the parts behind them (and their modules, asyncio among them) in ``attach()``,
    which the constructor calls itself unless ``staged``."""

    def __init__(self, window: QWidget, tabs: TabHost, services: TabServices, settings,
                 status: Callable[[str], None], window_alive: Callable[[], bool], staged: bool = False) -> None:
        super().__init__(window)
        self.status = status
        self._window, self._tabs, self._services, self._settings = window, tabs, services, settings
        self._window_alive = window_alive
        self._stores_open = None  # an asyncio.Event once attached
        self.attached = False
        self.dock, self.history_panel, self.collection_panel = self._build_sidebar(window)
        self.toolbar, self.env_bar, self._toolbar_actions = self._build_toolbar(window)
        if not staged:
            self.attach()

    def attach(self) -> None:
        """The second stage: task group, dialogs, and one part per concern wired to the panels. Idempotent."""
        if self.attached:
            return
        import asyncio

        from app.ui.dialogs.prompts import Prompts
        from app.ui.tasks import TaskGroup
        from app.ui.workspace.compare import ComparePart
        from app.ui.workspace.environments import EnvironmentsPart
        from app.ui.workspace.handback import HandBackPart
        from app.ui.workspace.history import HistoryPart
        from app.ui.workspace.importing import ImportPart
        from app.ui.workspace.run import RunPart
        from app.ui.workspace.saved import SavedRequestsPart

        self.attached = True
        window, tabs, services, settings, status = self._window, self._tabs, self._services, self._settings, \
            self.status
        self.tasks = TaskGroup(self._window_alive)
        self._stores_open = asyncio.Event()
        self.prompts = Prompts(window)
        ready = self._stores_open.wait
        self.environments = EnvironmentsPart(self.env_bar, settings, status, window)
        self.history = HistoryPart(self.history_panel, self.tasks, status, services.catalogs, services.clock,
                                   tabs.new_tab, ready)
        self.saved = SavedRequestsPart(self.collection_panel, self.tasks, status, self.prompts, tabs,
                                       self.environments.secret_values, self.environments.keep_saved_secrets, ready)
        self.compare = ComparePart(self.history_panel, self.tasks, status, services.catalogs, services.clock,
                                   tabs.add_view, lambda: self.history.store, ready, self.prompts)
        self.importing = ImportPart(tabs, services, self.tasks, status, self.prompts, self.saved, ready,
                                    compare=self.compare.compare_diagnoses, environments=self.environments)
        self.handback = HandBackPart(tabs, self.tasks, status, self.prompts, self.environments.expand)
        self.run = RunPart(self.tasks, status, services, tabs, self.environments.expand, self.history.record,
                           lambda: self.saved.store, ready)
        self.collection_panel.run_requested.connect(lambda rel: self.tasks.spawn(self.run.run(rel)))
        self.actions = self._build_actions(window)

    @property
    def ready(self) -> bool:
        """The stores have been opened (or failed to, with a note)."""
        return self._stores_open is not None and self._stores_open.is_set()

    # ------------------------------------------------------------------ building
    def _build_sidebar(self, window: QWidget) -> tuple[QDockWidget, HistoryPanel, CollectionPanel]:
        dock = QDockWidget("Saved · History", window)
        dock.setObjectName("sidebarDock")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        split = QSplitter(Qt.Orientation.Vertical, dock)
        split.setObjectName("sidebarSplitter")
        collection_panel = CollectionPanel(split)
        history_panel = HistoryPanel([], split)
        split.addWidget(collection_panel)
        split.addWidget(history_panel)
        split.setSizes([260, 420])
        collection_panel.emptied.connect(lambda empty: _size_sidebar(split, collection_panel, empty))
        dock.setWidget(split)
        dock.toggleViewAction().setText("&Saved · History sidebar")
        return dock, history_panel, collection_panel

    def _build_toolbar(self, window: QWidget) -> tuple[QToolBar, EnvironmentBar, tuple[QAction, ...]]:
        """The toolbar as the first paint shows it; its entries reach the parts only once they are attached."""
        bar = QToolBar("Workspace", window)
        bar.setObjectName("workspaceToolbar")
        bar.setMovable(False)
        env_bar = EnvironmentBar(bar)
        bar.addWidget(env_bar)
        bar.addSeparator()
        import_action = QAction("&Import…", window, triggered=lambda: self.importing.ask_import())
        import_action.setToolTip("Import a curl command, raw HTTP, a .http file or a Postman collection")
        open_har = QAction("Open &HAR…", window, triggered=lambda: self.importing.ask_open_har())
        report = QAction("&Triage report…", window, triggered=lambda: self.handback.show_report(),
                         shortcut=QKeySequence("Ctrl+Shift+R"))
        copy_curl = QAction("Copy as cur&l", window, triggered=lambda: self.handback.copy_as_curl(),
                            shortcut=QKeySequence("Ctrl+Shift+C"))
        for a in (import_action, open_har, report, copy_curl):
            bar.addAction(a)
        return bar, env_bar, (import_action, open_har, report, copy_curl)

    def _build_actions(self, w: QWidget) -> WorkspaceActions:
        imp, handback = self.importing, self.handback
        import_action, open_har, report, copy_curl = self._toolbar_actions
        save_har = QAction("Save as H&AR…", w, triggered=handback.ask_save_har)
        save = QAction("&Save request…", w, shortcut=QKeySequence.StandardKey.Save,
                       triggered=self.saved.ask_save_current)
        open_raw = QAction("Open &raw HTTP…", w, triggered=imp.ask_open_raw)
        paste = QAction("&Paste exchange (raw HTTP / curl / HAR)", w, shortcut=QKeySequence("Ctrl+Shift+V"),
                        triggered=imp.paste_exchange)
        environments = QAction("&Environments…", w, triggered=self.environments.show_editor)
        last_success = QAction("Compare with the last &success", w, shortcut=QKeySequence("Ctrl+Shift+D"),
                               triggered=lambda: self.tasks.spawn(
                                   self.compare.compare_with_last_success(handback.current_diagnosis())))
        last_success.setToolTip("What changed since it worked: this answer beside the last 2xx of the same request")
        self.code_menu, code = self._build_code_menu(w)
        return WorkspaceActions(file=(save, import_action, open_har, open_raw),
                                edit=(paste, environments, self.dock.toggleViewAction()),
                                request=(copy_curl, self.code_menu.menuAction(), save_har, report, last_success),
                                code=code)

    def _build_code_menu(self, w: QWidget) -> tuple[QMenu, tuple[QAction, ...]]:
        """Request → Copy as code ▸ one entry per language, and "Include secrets" (off: they are redacted)."""
        from app.core.formats.code import TARGETS

        menu = QMenu("Copy as &code", w)
        menu.setObjectName("copyAsCodeMenu")
        include = QAction("Include &secrets", w, checkable=True)
        include.setToolTip("Off: Authorization, cookies, API keys and tokens are copied as •••redacted•••")
        targets = tuple(QAction(g.label, w, triggered=lambda _=False, t=name:
                                self.handback.copy_as_code(t, include.isChecked()))
                        for name, g in TARGETS.items())
        for action, name in zip(targets, TARGETS):
            action.setObjectName(f"copyAsCode:{name}")
        menu.addActions(list(targets))
        menu.addSeparator()
        menu.addAction(include)
        return menu, targets + (include,)

    # ------------------------------------------------------------------ life
    def start(self) -> None:
        """Open the stores (worker thread), then fill the lists."""
        if self.attached and not self.tasks.closed:
            self.tasks.spawn(self._open_stores())

    async def _open_stores(self) -> None:
        import asyncio

        from app.ui import workers

        stores = await workers.run(open_stores, self.environments.plain_consent)
        if self.tasks.closed:  # the window closed while they opened
            if stores.history is not None:
                stores.history.close()
            return
        self.history.attach(stores.history, stores.history_note)
        self.saved.attach(stores.collection)
        self.environments.attach(stores.environments)
        self._stores_open.set()
        await asyncio.gather(self.history.refresh(), self.saved.refresh())

    def tab_opened(self, tab) -> None:
        """Every exchange a request tab diagnoses goes into the history; its URL bar's menu offers Copy as code."""
        tab.diagnosed.connect(lambda d: self.tasks.spawn(self.history.record(d)))
        tab.add_url_menu(self.code_menu)

    def close(self) -> None:
        """Close the history once the writes still running are done."""
        if not self.attached or self.tasks.closed:
            return
        self.tasks.closed = True
        history = self.history.store
        if history is not None:
            self.tasks.when_idle(history.close)
