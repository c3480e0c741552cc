"""The main window: request tabs, File/Help menus, the shared OriginGate and its 1 Hz countdown, the practice server.

Everything is injectable for tests: ``catalog`` (StatusCatalog), ``clock`` (app.core.clock.Clock), ``transport``
(an app.net.contract.Transport), ``demo_url`` (a running practice server; None starts one in-process after the
first paint), ``settings_path`` (JSON settings file). Building and showing the window opens no modal dialog.

The window is the tabs' TabServices (clock, gate, catalogs, transport, ``{{var}}`` expansion) and the
workspace's TabHost; it places the workspace's sidebar, toolbar and menu entries itself.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QToolButton, QWidget

from app.core.clock import SystemClock
from app.core.draft import RequestDraft, Row
from app.core.rate_limit import OriginGate
from app.ui.request.request_tab import RequestTab
from app.ui.services import CatalogHolder

if TYPE_CHECKING:  # asyncio, httpx's contract and the dialogs load after the first paint
    import asyncio

    from app.core.catalog import StatusCatalog
    from app.net.contract import Transport

# The GUI thread shares the GIL with worker threads (body formatting, history writes, HAR parsing). With
# Python's default 5 ms switch interval, every hand-back of the GIL to the GUI thread can wait 5 ms, and a
# timer tick needs several: measured worst gaps of 50-80 ms while a 100 MB body arrives. 1 ms keeps them
# under ~40 ms at a negligible cost in throughput.
GIL_SWITCH_INTERVAL_S = 0.001

COUNTDOWN_INTERVAL_MS = 1000
# Deferred start-up work runs once the window has painted; a window never shown runs it after this delay.
FIRST_PAINT_FALLBACK_MS = 300
# Before the practice server has a port, first-launch requests name it by this base; it is replaced once it runs.
PENDING_DEMO = "http://127.0.0.1:0"
STATUS_MS = 15000


def first_launch_drafts(base: str) -> list[RequestDraft]:
    """A POST that the practice server answers 415 (JSON body, no Content-Type), and a 429 with Retry-After."""
    post = RequestDraft(method="POST", url=f"{base}/orders", headers=(Row("Accept", "application/json"),),
                        body_kind="raw", raw_text='{"item": "coffee"}', raw_content_type="")
    status = RequestDraft(method="GET", url=f"{base}/status/429")
    return [post, status]


class MainWindow(QMainWindow):
    """Signals: ``demo_ready(str)`` once the in-process practice server listens (its base URL)."""

    demo_ready = Signal(str)

    def __init__(self, catalog: StatusCatalog | None = None, clock=None, transport: Transport | None = None,
                 demo_url: str | None = None, settings_path=None, parent: QWidget | None = None,
                 staged: bool = False) -> None:
        """``staged``: build only what the first paint shows; ``complete()`` builds the rest (app.ui.launch)."""
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL_S))
        self.setObjectName("mainWindow")
        self.setWindowTitle("Request Inspector")
        self.clock = clock or SystemClock()
        self.gate = OriginGate(self.clock)
        self._transport = transport
        self._transport_lock: asyncio.Lock | None = None
        self.warm_task: asyncio.Task | None = None
        self._demo = None
        self.demo_url = demo_url
        self._closed = False
        self._painted = False
        self._painted_at: float | None = None
        self._complete = False
        self._pending_drafts: dict[QWidget, RequestDraft] = {}
        self._sealed: dict | None = None  # settings whose sealed drafts wait for the key store (after the paint)
        # per restored draft, in order: its tab (a place holder until built) and the tab's draft before any edit
        self._as_restored: list[tuple[QWidget, RequestDraft | None]] = []
        self._after_paint: list = []

        from app.store.settings import Settings

        self.settings = Settings(settings_path)
        self._startup_note = self.settings.note
        # The page (markdown-it import + parse, ~70 ms) is read after the first paint unless something asks first.
        configured = self.settings.get("api_docs_path")
        self.catalogs = CatalogHolder(catalog, configured if isinstance(configured, str) and configured else None,
                                      self)
        self.catalogs.changed.connect(self._catalog_changed)
        self.temp_dir = self._temp_dir()

        self.tabs = self._build_tab_bar()
        self.setCentralWidget(self.tabs)
        self.docs_label = QLabel(self)
        self.docs_label.setTextFormat(Qt.TextFormat.PlainText)  # a file name
        self.docs_label.setObjectName("apiDocsLabel")
        self.statusBar().addPermanentWidget(self.docs_label)
        if catalog is not None:
            self._show_docs_name(catalog)

        from app.ui.workspace import Workspace

        # sidebar, environments, import/HAR triage, hand-back
        self.workspace = Workspace(self, tabs=self, services=self, settings=self.settings, status=self.status,
                                   window_alive=lambda: not self._closed, staged=True)
        from app.ui.layout_switch import LayoutSwitch

        self.layout_switch = LayoutSwitch(self.tabs, self.settings, self.request_tabs, self)
        self._place_workspace()
        self._menus = self._build_menu_titles()
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setInterval(COUNTDOWN_INTERVAL_MS)
        self.countdown_timer.timeout.connect(self.refresh_countdowns)
        self._splitter_sizes: list[int] | None = None
        self._restore(staged)
        self.installEventFilter(self)
        if not staged:
            self.complete()

    def complete(self) -> None:
        """The second stage: menus, the tabs not shown yet, the countdown, and the work queued for after the first
        paint (catalog, practice server, stores, httpx warm-up). Idempotent; nothing to do for a window closed
        before it (shutdown saved its tabs)."""
        if self._complete:
            return
        self._complete = True
        if self._closed:
            return
        import asyncio

        from app.ui import workers

        from app.ui.focus_style import install_focus_style

        install_focus_style()  # keyboard focus visible on every cell, tab and button
        self.workspace.attach()
        try:  # whoever made the loop (app.ui.launch, a test, a screenshot script): Python worker threads, not QThreads
            workers.install(asyncio.get_event_loop())
        except RuntimeError:
            pass  # no loop yet: nothing has been handed to a thread
        self._build_menus()
        for tab in self.request_tabs():
            before = tab.draft()
            tab.complete()  # the built pages may word the draft otherwise (an empty row dropped): not an edit
            self._follow_restored(tab, before)
            self.workspace.tab_opened(tab)
        self._build_pending_tabs()
        self.countdown_timer.start()
        # After the first paint (start-up stays near a bare window): catalog, practice server, stores, httpx.
        self.after_first_paint(self._load_catalog_deferred)
        if self.demo_url is None:
            self.after_first_paint(self._start_demo)
        if self._transport is None:
            self.after_first_paint(lambda: QTimer.singleShot(400, self._warm_transport))
        self.after_first_paint(self.workspace.start)  # sqlite, keyring and the store modules
        if self._sealed is not None:
            self.after_first_paint(lambda: self.workspace.tasks.spawn(self._unseal()))
        if self._painted_at is not None:
            self._first_painted()
        else:
            QTimer.singleShot(FIRST_PAINT_FALLBACK_MS, self._first_painted)

    def wait_for_first_paint(self, timeout_s: float = 5.0) -> float | None:
        """Process events until the window has painted once; that moment's time.time() (None: not within
        ``timeout_s``, e.g. never shown). Keys typed meanwhile are delivered once the window is complete."""
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        late = QTimer(self)  # wakes the wait below when nothing else does
        late.setSingleShot(True)
        late.start(int(timeout_s * 1000))
        # Sleeps until an event (no spinning). Keys and clicks stay queued for the complete window: an Enter typed
        # now must send through the event loop, which does not run yet.
        flags = QEventLoop.ProcessEventsFlag.WaitForMoreEvents | QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
        while self._painted_at is None and late.isActive():
            app.processEvents(flags)
        late.stop()
        late.deleteLater()
        return self._painted_at

    def _build_tab_bar(self) -> QTabWidget:
        tabs = QTabWidget(self)
        tabs.setObjectName("requestTabsBar")
        tabs.setDocumentMode(True)
        tabs.setTabsClosable(True)
        tabs.setMovable(True)
        tabs.tabCloseRequested.connect(self.close_tab)
        plus = QToolButton(self)
        plus.setText("+")
        plus.setToolTip("New request tab (Ctrl+T)")
        plus.setAccessibleName("New request tab")
        plus.clicked.connect(lambda: self.new_tab())
        tabs.setCornerWidget(plus, Qt.Corner.TopRightCorner)
        return tabs

    def status(self, text: str) -> None:
        """A sentence in the status bar for a while."""
        self.statusBar().showMessage(text, STATUS_MS)

    # ------------------------------------------------------------------ start-up after the first paint
    def after_first_paint(self, callback) -> None:
        """Run ``callback`` on the event loop once the window has painted (now-ish if it already has)."""
        if self._painted:
            QTimer.singleShot(0, callback)
        else:
            self._after_paint.append(callback)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt name)
        if obj is self and event.type() == QEvent.Type.Paint and self._painted_at is None:
            self._painted_at = time.time()
            if self._complete:
                QTimer.singleShot(0, self._first_painted)
        return False

    def _first_painted(self) -> None:
        if self._painted or not self._complete:
            return
        self._painted = True
        self.removeEventFilter(self)
        pending, self._after_paint = self._after_paint, []
        for callback in pending:  # one per loop turn, so input and timers get in between
            QTimer.singleShot(0, callback)

    def _load_catalog_deferred(self) -> None:
        if self._closed:
            return
        if self.catalogs.loaded() is None:  # read on a worker; _catalog_changed announces it
            self.workspace.tasks.spawn(self.catalogs.load_configured())
        elif self._startup_note:
            self.status(self._startup_note)

    def _catalog_changed(self, catalog: StatusCatalog) -> None:
        """Docs label and the start-up note; tabs and the history filter listen to the holder themselves."""
        self._show_docs_name(catalog)
        note = " ".join(n for n in (self._startup_note, self.catalogs.note) if n)
        self._startup_note = self.catalogs.note = None
        if note:
            self.status(note)

    # ------------------------------------------------------------------ services for tabs (TabServices)
    async def get_transport(self) -> Transport:
        """The window's one Transport, created on first use (httpx is imported only then, on a worker)."""
        import asyncio

        from app.ui import workers

        if self._transport is None:
            if self._transport_lock is None:
                self._transport_lock = asyncio.Lock()
            async with self._transport_lock:
                if self._transport is None:
                    module = await workers.run(importlib.import_module, "app.net.transport")
                    self._transport = module.Transport(str(self.temp_dir) if self.temp_dir else None)
        return self._transport

    def _warm_transport(self) -> None:
        """Import httpx and build the client soon after start-up, so the first send does not stall the GUI."""
        if self._closed:
            return
        import asyncio

        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:
            return
        if not loop.is_running():
            return

        async def warm() -> None:
            try:
                await (await self.get_transport()).warm()
            except Exception:
                pass  # the first send will try again and report any real problem as a sentence

        self.warm_task = asyncio.ensure_future(warm())

    def expand_draft(self, draft: RequestDraft) -> RequestDraft:
        """The draft to send: ``{{var}}`` filled in from the active environment."""
        return self.workspace.environments.expand(draft)

    def refresh_countdowns(self) -> None:
        """The 1 Hz slot: every tab's countdown, Send button text and armed auto-send."""
        for tab in self.request_tabs():
            tab.refresh_countdown()

    def _temp_dir(self) -> Path | None:
        from app.paths import data_home

        path = data_home() / "bodies"
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return path

    # ------------------------------------------------------------------ tabs (TabHost)
    def current_tab(self) -> RequestTab | None:
        w = self.tabs.currentWidget()
        return w if isinstance(w, RequestTab) else None

    def current_view(self):
        """The current tab's page (a RequestTab or a triage view): both answer ``current_diagnosis()``."""
        return self.tabs.currentWidget()

    def request_tabs(self) -> list[RequestTab]:
        return [self.tabs.widget(i) for i in range(self.tabs.count()) if isinstance(self.tabs.widget(i), RequestTab)]

    def new_tab(self, draft: RequestDraft | None = None, index: int | None = None, show: bool = True) -> RequestTab:
        """A request tab for ``draft`` (a fresh GET by default), at ``index`` (last by default); ``show`` makes it
        the current tab with the URL bar focused."""
        if draft is None:
            base = self.demo_url or PENDING_DEMO
            draft = RequestDraft(method="GET", url=f"{base}/status/200" if self.demo_url else "")
        tab = RequestTab(self, draft, self.tabs, lazy=not self._complete)
        self.layout_switch.apply(tab)
        if index is None:
            index = self.tabs.addTab(tab, tab.title())
        else:
            index = self.tabs.insertTab(index, tab, tab.title())
        self.tabs.setTabToolTip(index, tab.tooltip())
        tab.title_changed.connect(lambda text, t=tab: self._retitle(t, text))
        tab.notice.connect(self.status)
        if self._complete:
            self.workspace.tab_opened(tab)
        if show:
            self.tabs.setCurrentIndex(index)
            tab.editor.url.setFocus()
        tab.refresh_countdown()
        return tab

    def _add_pending_tab(self, draft: RequestDraft) -> None:
        """A tab's place (its title and tooltip) until ``complete()`` builds the request tab itself."""
        from app.ui.request.request_tab import tab_title
        from app.ui.widgets.secret_mask import masked_url

        holder = QWidget(self.tabs)
        self._pending_drafts[holder] = draft
        i = self.tabs.addTab(holder, tab_title(draft))
        self.tabs.setTabToolTip(i, masked_url(draft.url))

    def _build_pending_tabs(self) -> None:
        """Each place holder becomes its request tab, at the same index; the tab shown stays shown."""
        shown = self.tabs.currentWidget()
        for holder, draft in list(self._pending_drafts.items()):
            i = self.tabs.indexOf(holder)
            del self._pending_drafts[holder]
            if i < 0:
                continue
            tab = self.new_tab(draft, index=i, show=False)
            self._as_restored = [(tab, tab.draft()) if w is holder else (w, d) for w, d in self._as_restored]
            self._size_splitters([tab])
            self.tabs.removeTab(self.tabs.indexOf(holder))
            holder.deleteLater()
            if shown is holder:
                shown = tab
        if shown is not None:
            self.tabs.setCurrentWidget(shown)

    def add_view(self, widget: QWidget, title: str) -> None:
        """Add a page that is not a request tab (a triage view) and show it."""
        i = self.tabs.addTab(widget, title)
        self.tabs.setTabToolTip(i, title)
        self.tabs.setCurrentIndex(i)

    def _retitle(self, tab: RequestTab, text: str) -> None:
        i = self.tabs.indexOf(tab)
        if i >= 0:
            self.tabs.setTabText(i, text)
            self.tabs.setTabToolTip(i, tab.tooltip())

    def close_tab(self, index: int | None = None) -> None:
        if index is None or isinstance(index, bool):
            index = self.tabs.currentIndex()
        tab = self.tabs.widget(index)
        if tab is None:
            return
        if isinstance(tab, RequestTab):
            tab.cancel()
        from app.ui.response.jsonpath_filter import release_parsed_bodies

        release_parsed_bodies(tab)  # a parsed JSON body kept frozen out of the collector goes with its tab
        self.tabs.removeTab(index)
        tab.deleteLater()
        if self.tabs.count() == 0:
            self.new_tab()

    # ------------------------------------------------------------------ menus
    def _build_menu_titles(self) -> dict[str, QMenu]:
        """The menu bar as the first paint shows it; the entries come with the second stage (``_build_menus``)."""
        bar = self.menuBar()
        return {name: bar.addMenu(title) for name, title in
                (("file", "&File"), ("edit", "&Edit"), ("request", "&Request"), ("view", "&View"), ("help", "&Help"))}

    def _build_menus(self) -> None:
        """File, Edit, Request, View, Help, with the workspace's entries in their places."""
        ws = self.workspace.actions
        file_menu = self._menus["file"]
        file_menu.addAction(QAction("&New tab", self, shortcut=QKeySequence("Ctrl+T"), triggered=lambda: self.new_tab()))
        file_menu.addAction(QAction("&Close tab", self, shortcut=QKeySequence("Ctrl+W"),
                                    triggered=lambda: self.close_tab()))
        file_menu.addSeparator()
        file_menu.addActions(list(ws.file))
        file_menu.addSeparator()
        file_menu.addAction(QAction("Open API &documentation…", self, triggered=self.open_api_docs_dialog))
        file_menu.addAction(QAction("Use the &built-in API documentation", self, triggered=self.use_default_docs))
        file_menu.addSeparator()
        file_menu.addAction(QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close))

        edit = self._menus["edit"]
        paste, environments, sidebar = ws.edit
        edit.addActions([paste, environments])
        edit.addSeparator()
        edit.addAction(sidebar)

        req_menu = self._menus["request"]
        send = QAction("&Send", self, triggered=self.send_current)
        send.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        cancel = QAction("&Cancel", self, shortcut=QKeySequence(Qt.Key.Key_Escape), triggered=self.cancel_current)
        req_menu.addActions([send, cancel])
        req_menu.addSeparator()
        req_menu.addAction(QAction("Focus the &URL bar", self, shortcut=QKeySequence("Ctrl+L"), triggered=self.focus_url))
        req_menu.addAction(QAction("Focus the &response", self, shortcut=QKeySequence(Qt.Key.Key_F6),
                                   triggered=self.focus_response))
        req_menu.addSeparator()
        req_menu.addActions(list(ws.request))

        view = self._menus["view"]
        view.addActions(list(self.layout_switch.actions.values()))

        help_menu = self._menus["help"]
        help_menu.addAction(QAction("&About Request Inspector", self, triggered=self._show_about))

    def _show_about(self) -> None:
        from app.ui.dialogs.about import show_about

        show_about(self)

    def _place_workspace(self) -> None:
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.workspace.toolbar)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.workspace.dock)
        self.resizeDocks([self.workspace.dock], [290], Qt.Orientation.Horizontal)

    def focus_url(self) -> None:
        """Ctrl+L: the current tab's URL bar, all selected (type to replace)."""
        tab = self.current_tab()
        if tab is not None:
            tab.editor.url.setFocus(Qt.FocusReason.ShortcutFocusReason)
            tab.editor.url.selectAll()

    def focus_response(self) -> None:
        """F6: the current tab's response tabs (arrow keys switch Body/Headers/...; Tab goes into the page)."""
        tab = self.current_tab()
        if tab is not None:
            tab.response.tabs.tabBar().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def send_current(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.request_send()

    def cancel_current(self) -> None:
        tab = self.current_tab()
        if tab is not None:
            tab.cancel()

    # ------------------------------------------------------------------ API documentation
    def _show_docs_name(self, catalog: StatusCatalog) -> None:
        self.docs_label.setText(f"API docs: {catalog.source_name}")
        self.docs_label.setToolTip("File → Open API documentation… loads another markdown error page or an "
                                   "OpenAPI document.")

    def open_api_docs_dialog(self) -> None:
        self.workspace.prompts.open_file("Open API documentation (markdown error page or OpenAPI document)",
                                         ["API documentation (*.md *.markdown *.txt *.json *.yaml *.yml)",
                                          "OpenAPI (*.json *.yaml *.yml)", "Markdown (*.md *.markdown *.txt)",
                                          "All files (*)"], self.load_api_docs)

    def load_api_docs(self, path: str) -> asyncio.Task:
        """Use the page or document at ``path`` (remembered), read on a worker thread; the task's result says
        whether it is now in use. A bad file keeps the current catalog and says why."""
        return self.workspace.tasks.spawn(self._load_api_docs(path))

    async def _load_api_docs(self, path: str) -> bool:
        from app.core.api_docs import skipped_sentence
        from app.core.catalog import CatalogError

        self.statusBar().showMessage(f"Reading {Path(path).name}…")
        try:
            catalog = await self.catalogs.load_file_async(path)
        except CatalogError as exc:
            current = self.catalogs.loaded()
            still = current.source_name if current is not None else "the API documentation in use"
            self.statusBar().showMessage(f"{exc} Still using {still}.", 20000)
            return False
        if catalog is None or self._closed:
            return False  # another file was chosen meanwhile
        self.settings.set("api_docs_path", str(path))
        operations = getattr(catalog, "operations", None)
        counted = f"{len(operations)} operations" if operations is not None else \
            f"{len(catalog.entries)} documented statuses"
        skipped = skipped_sentence(catalog)
        self.statusBar().showMessage(f"Explanations now come from {catalog.source_name} ({counted})."
                                     + (f" {skipped}" if skipped else ""), 20000 if skipped else 10000)
        return True

    def use_default_docs(self) -> None:
        catalog = self.catalogs.use_default()
        self.settings.delete("api_docs_path")
        self.statusBar().showMessage(f"Explanations come from the built-in {catalog.source_name}.", 10000)

    # ------------------------------------------------------------------ practice server
    def _start_demo(self) -> None:
        if self._closed or self.demo_url is not None:
            return
        try:
            from app.demo.server import DemoServerThread

            self._demo = DemoServerThread()
            url = self._demo.start()
        except Exception as exc:
            self.statusBar().showMessage(f"The built-in practice server could not start ({exc}).", 20000)
            self._demo = None
            return
        self.demo_url = url
        self._rebase(url)
        self.statusBar().showMessage(f"Practice server running at {url}", 8000)
        self.demo_ready.emit(url)

    def _rebase(self, url: str) -> None:
        """Point requests at the last run's practice server (or the pending one) at this run's server."""
        olds = {PENDING_DEMO}
        previous = self.settings.get("demo_base")
        if isinstance(previous, str) and previous:
            olds.add(previous)
        for tab in self.request_tabs():
            current = tab.editor.url.text()
            for old in olds:
                if current.startswith(old + "/") or current == old:
                    before = tab.draft()
                    tab.editor.set_url(url + current[len(old):])
                    self._follow_restored(tab, before)  # moved to this run's server: not the user's edit
                    break
        self.refresh_countdowns()

    # ------------------------------------------------------------------ persistence
    def _restore(self, staged: bool = False) -> None:
        """Tabs, current tab, geometry and splitter from the settings; each value checked, a wrong one reset.
        ``staged``: only the current tab is built now, the others hold their place (title, tooltip) until
        ``complete()``."""
        from app.store.window_state import read_window_state, saved_drafts

        values = self.settings.all()
        state = None
        if staged and values.get("drafts_sealed"):
            # Opening the sealed drafts needs the key store (keyring, D-Bus, cryptography): the first paint shows
            # the tabs as saved in clear (secrets redacted); _unseal() puts the secrets back right after it, tab
            # for tab. A clear list that is missing or has a damaged draft cannot stand for the sealed one (its
            # tabs would get the wrong drafts back, the last ones lost): then the sealed list is opened now.
            clear = values.get("drafts")
            state = read_window_state(values, drafts=clear)
            if isinstance(clear, list) and clear and len(state.drafts) == len(clear):
                lost, in_clear = None, False
                self._sealed = values
            else:
                state = None
        if state is None:
            raw_drafts, lost, in_clear = saved_drafts(values, self._vault)
            state = read_window_state(values, drafts=raw_drafts)
        if state.note or lost:
            self._startup_note = " ".join(n for n in (self._startup_note, state.note, lost) if n)
        drafts = self._rebased(state.drafts, state.demo_base)
        if not drafts:
            drafts = first_launch_drafts(self.demo_url or PENDING_DEMO)
        current = state.current_tab
        current = current if current is not None and current < len(drafts) else 0
        for i, d in enumerate(drafts):
            if staged and i != current:
                self._add_pending_tab(d)
            else:
                self.new_tab(d)
        self.tabs.setCurrentIndex(current)
        if state.geometry:
            self.restoreGeometry(QByteArray(state.geometry))
        else:
            self.resize(1200, 820)
        self.layout_switch.set_mode(state.layout or "auto", save=False)
        self._splitter_sizes = state.splitter  # sizes of the stacked layout (side by side starts at 45/55)
        self._size_splitters(self.request_tabs())
        if self._sealed is not None:
            self._as_restored = [(w, w.draft() if isinstance(w, RequestTab) else None)
                                 for w in (self.tabs.widget(i) for i in range(self.tabs.count()))]
        if in_clear:  # written by an older version: seal the secrets now
            self._save_drafts()

    def _rebased(self, drafts: list[RequestDraft], previous: str | None) -> list[RequestDraft]:
        """Drafts that named the last run's practice server name this run's."""
        if not (self.demo_url and previous):
            return drafts
        return [d if not d.url.startswith(previous) else
                RequestDraft.from_json({**d.to_json(), "url": self.demo_url + d.url[len(previous):]}) for d in drafts]

    async def _unseal(self) -> None:
        """The open tabs' secrets, from the sealed drafts, opened on a worker (key store) after the first paint."""
        from app.store.window_state import saved_drafts
        from app.ui import workers

        values = self._sealed
        if values is None:
            return
        opened = await workers.run(saved_drafts, values, self._vault)
        if self._sealed is values:  # not done meanwhile by a save (the window closing)
            self._put_secrets_back(*opened[:2])

    def _put_secrets_back(self, raw_drafts, lost: str | None) -> None:
        """Give each restored tab its full draft back, unless it was edited before the secrets were open."""
        from app.store.window_state import read_window_state

        values, self._sealed = self._sealed, None
        if values is None:
            return
        state = read_window_state(values, drafts=raw_drafts)
        full = self._rebased(state.drafts, state.demo_base)
        restored, self._as_restored = self._as_restored, []
        edited = 0
        for (tab, as_restored), draft in zip(restored, full):
            if tab in self._pending_drafts:  # not built yet (closing before the window was complete)
                self._pending_drafts[tab] = draft
                continue
            if not shiboken6.isValid(tab):  # closed (and deleted) before the key store answered
                continue
            if self.tabs.indexOf(tab) < 0 or not isinstance(tab, RequestTab) or as_restored is None:
                continue
            if tab.draft() != as_restored:
                edited += 1
                continue
            tab.editor.set_draft(draft)
            self._retitle(tab, tab.title())
        notes = [lost] if lost else []
        if edited:
            notes.append(f"{edited} tab(s) were edited before their saved secrets were read; they keep the edits.")
        if notes:
            self.status(" ".join(notes))

    def _follow_restored(self, tab: RequestTab, before: RequestDraft) -> None:
        """``tab`` changed without the user (built, rebased): still as restored if it was before the change."""
        self._as_restored = [(w, tab.draft()) if w is tab and d == before else (w, d) for w, d in self._as_restored]

    def _unseal_now(self) -> None:
        """Saving needs the full drafts: open the sealed ones here if the worker has not yet."""
        if self._sealed is not None:
            from app.store.window_state import saved_drafts

            self._put_secrets_back(*saved_drafts(self._sealed, self._vault)[:2])

    def _size_splitters(self, tabs) -> None:
        if self._splitter_sizes is not None:
            for tab in tabs:
                if tab.splitter.orientation() == Qt.Orientation.Vertical:
                    tab.splitter.setSizes(list(self._splitter_sizes))

    def _drafts_in_order(self) -> list[RequestDraft]:
        """Every request tab's draft in tab order, including tabs not built yet."""
        drafts = []
        for i in range(self.tabs.count()):
            w = self.tabs.widget(i)
            if isinstance(w, RequestTab):
                drafts.append(w.draft())
            elif w in self._pending_drafts:
                drafts.append(self._pending_drafts[w])
        return drafts

    def _vault(self):
        """Where the open tabs' secrets are sealed: app.store.vault with the environments' choice of key store."""
        from app.paths import data_home
        from app.store.vault import open_vault

        from app.ui.workspace.environments import CONSENT_SETTING

        return open_vault(data_home(), self.settings.get(CONSENT_SETTING) is True)

    def _drafts_values(self) -> dict:
        from app.store.window_state import drafts_to_save

        self._unseal_now()
        return drafts_to_save([d.to_json() for d in self._drafts_in_order()], self._vault())

    def _save_drafts(self) -> None:
        try:
            self.settings.update(self._drafts_values())
        except Exception as exc:  # a full disk: the next save tries again
            print(f"request-inspector: settings not saved: {exc}", file=sys.stderr)

    def save_state(self) -> None:
        values = {
            "current_tab": self.tabs.currentIndex(),
            "geometry": bytes(self.saveGeometry().toBase64().data()).decode("ascii"),
        }
        current = self.current_tab()
        if current is not None and current.splitter.orientation() == Qt.Orientation.Vertical:
            values["splitter"] = current.splitter.sizes()
        if self.demo_url:
            values["demo_base"] = self.demo_url
        try:
            self.settings.update({**self._drafts_values(), **values})
        except Exception as exc:  # a full disk must not stop the window from closing
            print(f"request-inspector: settings not saved: {exc}", file=sys.stderr)

    # ------------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if not self._closed:
            self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Save state, cancel sends, stop timers and the practice server (synchronous part of closing)."""
        if self._closed:
            return
        self.save_state()
        self.workspace.close()
        self._closed = True
        self.countdown_timer.stop()
        for tab in self.request_tabs():
            tab.cancel()
        from app.ui.response.jsonpath_filter import release_parsed_bodies

        release_parsed_bodies(self)
        if self._demo is not None:
            try:
                self._demo.stop()
            except Exception:
                pass
            self._demo = None

    async def aclose(self) -> None:
        """Close the window's transport (call after the window closed, on the running loop)."""
        self.shutdown()
        if not self.workspace.attached:  # closed before its second stage: nothing ran
            return
        if self.warm_task is not None:
            self.workspace.tasks.adopt(self.warm_task)
        await self.workspace.tasks.wait(timeout=3.0)
        transport, self._transport = self._transport, None
        if transport is not None:
            await transport.aclose()
