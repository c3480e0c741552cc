"""The workspace around the request tabs: sidebar (saved requests + history), environments toolbar, import/HAR
triage, paste-to-import in every URL bar, and hand-back (copy as curl, save as HAR, triage report).

``install_workspace(window) -> Workspace`` adds all of it to a MainWindow. Disk and sqlite work run in
``asyncio.to_thread``; dialogs are opened with ``open()``/``show()``, never ``exec()``.
The window's send path calls ``window.expand_draft(draft)`` (set here) to fill ``{{var}}`` from the active
environment.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QInputDialog, QMessageBox, QSplitter, QToolBar

from app.core.formats.errors import FormatError
from app.ui.sidebar.collection_panel import CollectionPanel, draft_to_http_text, drafts_from_http_text, safe_file_name
from app.ui.sidebar.environment_bar import EnvironmentBar, EnvironmentEditor, expand_draft
from app.ui.sidebar.history_panel import HistoryPanel
from app.ui.request.import_paste import PasteImporter, PasteResult, describe, editable_draft

STATUS_MS = 15000


HEADERS_PAGE = 1  # the request editor's Headers tab


class Workspace(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.history = None
        self.history_note: str | None = None
        self.collection = None
        self.environments = None
        self.plain_consent = bool(window.settings.get("secrets_plain_consent", False))
        self.editor: EnvironmentEditor | None = None
        self.report_dialog = None
        self._dialog = None  # the open QFileDialog / QInputDialog / QMessageBox (kept alive)
        self._tasks: set[asyncio.Task] = set()
        self._ready: asyncio.Event | None = None
        self._closed = False

        self._build_sidebar()
        self._build_toolbar()
        self._build_menus()
        for tab in window.request_tabs():
            self.attach_tab(tab)
        window.tabs.currentChanged.connect(lambda _i: self._attach_current())
        window.expand_draft = self.expand_draft
        window.installEventFilter(self)
        after = getattr(window, "after_first_paint", None)
        if after is not None:  # sqlite, keyring and the store modules wait until the window has painted
            after(self._spawn_open_stores)
        else:
            self._spawn_open_stores()

    def _spawn_open_stores(self) -> None:
        if not self._closed:
            self.spawn(self._open_stores())

    def catalog_changed(self) -> None:
        """The window's catalog was read or replaced: the history filter lists its documented statuses."""
        catalog = getattr(self.window, "loaded_catalog", lambda: self.window.catalog)()
        if catalog is not None:
            self.history_panel.set_documented_statuses([e.status for e in catalog.entries])

    # ------------------------------------------------------------------ plumbing
    def status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.ensure_future(self._outliving_the_window(coro))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _outliving_the_window(self, coro):
        """Run ``coro``; when the window was closed while it awaited a worker, its widgets are gone: stop quietly."""
        try:
            return await coro
        except RuntimeError:
            if self._closed or not shiboken6.isValid(self.window):
                return None  # e.g. a history refresh finishing after its panel was deleted
            raise

    async def wait_ready(self) -> None:
        if self._ready is None:
            self._ready = asyncio.Event()
        await self._ready.wait()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.window and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def close(self) -> None:
        """Close the history once pending writes are done."""
        if self._closed:
            return
        self._closed = True
        pending = [t for t in self._tasks if not t.done()]
        history = self.history

        def really_close(*_):
            if history is not None and all(t.done() for t in pending):
                history.close()

        if pending:
            for t in pending:
                t.add_done_callback(really_close)
        else:
            really_close()

    async def _open_stores(self) -> None:
        from app.paths import data_home
        from app.store.collection import Collection
        from app.store.environments import Environments
        from app.store.history import History

        home = data_home()

        def open_all():
            note = None
            try:
                history, note = History.open_or_recover(home / "history.sqlite3")
            except Exception as exc:  # HistoryError: a sentence
                history, note = None, f"History is off for this session: {exc}"
            try:
                collection = Collection(home / "collection")
            except Exception as exc:
                collection, note = None, (note or "") + f" Saved requests are unavailable: {exc}"
            from app.store.secrets import choose_secret_store

            envs = Environments(home / "environments.json", choose_secret_store(home, self.plain_consent))
            return history, note, collection, envs

        self.history, self.history_note, self.collection, self.environments = await asyncio.to_thread(open_all)
        if self.history_note:
            self.history_panel.show_note(self.history_note)
            self.status(self.history_note)
        if self.environments.note:
            self.status(self.environments.note)
        self._refresh_env_bar()
        if self._ready is None:
            self._ready = asyncio.Event()
        self._ready.set()
        await asyncio.gather(self.refresh_history(), self.refresh_collection())

    # ------------------------------------------------------------------ building
    def _build_sidebar(self) -> None:
        w = self.window
        self.dock = QDockWidget("Saved · History", w)
        self.dock.setObjectName("sidebarDock")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        split = QSplitter(Qt.Orientation.Vertical, self.dock)
        split.setObjectName("sidebarSplitter")
        self.collection_panel = CollectionPanel(split)
        catalog = getattr(w, "loaded_catalog", lambda: w.catalog)()  # None until read after the first paint
        statuses = [e.status for e in catalog.entries] if catalog is not None else []
        self.history_panel = HistoryPanel(statuses, split)
        split.addWidget(self.collection_panel)
        split.addWidget(self.history_panel)
        split.setSizes([260, 420])
        self.dock.setWidget(split)
        w.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        w.resizeDocks([self.dock], [290], Qt.Orientation.Horizontal)

        hp = self.history_panel
        hp.filter_changed.connect(lambda: self.spawn(self.refresh_history()))
        hp.open_requested.connect(lambda i: self.spawn(self.open_history_entry(i)))
        hp.delete_requested.connect(lambda i: self.spawn(self.delete_history(i)))
        hp.clear_requested.connect(lambda: self.spawn(self.clear_history()))
        cp = self.collection_panel
        cp.save_requested.connect(self.ask_save_current)
        cp.open_requested.connect(lambda p: self.spawn(self.open_saved(p)))
        cp.rename_requested.connect(self.ask_rename)
        cp.duplicate_requested.connect(lambda p: self.spawn(self._collection_op("duplicate", p)))
        cp.delete_requested.connect(self.ask_delete_saved)
        cp.new_folder_requested.connect(self.ask_new_folder)

    def _build_toolbar(self) -> None:
        bar = QToolBar("Workspace", self.window)
        bar.setObjectName("workspaceToolbar")
        bar.setMovable(False)
        self.env_bar = EnvironmentBar(bar)
        bar.addWidget(self.env_bar)
        bar.addSeparator()
        self.import_action = QAction("&Import…", self.window, triggered=self.import_dialog)
        self.import_action.setToolTip("Import a curl command, raw HTTP, a .http file or a Postman collection")
        self.open_har_action = QAction("Open &HAR…", self.window, triggered=self.open_har_dialog)
        self.report_action = QAction("&Triage report…", self.window, triggered=self.show_report)
        self.report_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.copy_curl_action = QAction("Copy as cur&l", self.window, triggered=self.copy_as_curl)
        self.copy_curl_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.save_har_action = QAction("Save as H&AR…", self.window, triggered=self.save_as_har_dialog)
        for a in (self.import_action, self.open_har_action, self.report_action, self.copy_curl_action):
            bar.addAction(a)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.toolbar = bar
        self.env_bar.activated.connect(self.set_active_environment)
        self.env_bar.edit_requested.connect(self.show_environment_editor)

    def _menu(self, title: str):
        for action in self.window.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == title:
                return action.menu(), action
        return None, None

    def _build_menus(self) -> None:
        w = self.window
        file_menu, _ = self._menu("File")
        self.save_action = QAction("&Save request…", w, shortcut=QKeySequence.StandardKey.Save,
                                   triggered=self.ask_save_current)
        self.open_raw_action = QAction("Open &raw HTTP…", w, triggered=self.open_raw_dialog)
        if file_menu is not None:
            before = next((a for a in file_menu.actions() if a.text().startswith("Open API")), None)
            for a in (self.save_action, self.import_action, self.open_har_action, self.open_raw_action):
                file_menu.insertAction(before, a)
            file_menu.insertSeparator(before)
        req_menu, req_action = self._menu("Request")
        edit = w.menuBar().addMenu("&Edit") if req_action is None else None
        if edit is None:
            from PySide6.QtWidgets import QMenu

            edit = QMenu("&Edit", w)
            w.menuBar().insertMenu(req_action, edit)
        self.paste_exchange_action = QAction("&Paste exchange (raw HTTP / curl / HAR)", w,
                                             shortcut=QKeySequence("Ctrl+Shift+V"), triggered=self.paste_exchange)
        edit.addAction(self.paste_exchange_action)
        edit.addAction(QAction("&Environments…", w, triggered=self.show_environment_editor))
        edit.addSeparator()
        self.dock.toggleViewAction().setText("&Saved · History sidebar")
        edit.addAction(self.dock.toggleViewAction())
        self.edit_menu = edit
        target = req_menu or edit
        target.addSeparator()
        for a in (self.copy_curl_action, self.save_har_action, self.report_action):
            target.addAction(a)

    # ------------------------------------------------------------------ tabs: paste import + history
    def _attach_current(self) -> None:
        tab = self.window.current_tab()
        if tab is not None:
            self.attach_tab(tab)

    def attach_tab(self, tab) -> None:
        if tab.property("workspaceAttached"):
            return
        tab.setProperty("workspaceAttached", True)
        tab.paste_importer = PasteImporter(tab.editor.url, lambda result, t=tab: self.apply_paste(t, result))
        tab.finished.connect(lambda t=tab: self._tab_finished(t))

    def apply_paste(self, tab, result: PasteResult) -> None:
        if result.draft is not None:
            tab.editor.set_draft(result.draft)
            tab.title_changed.emit(tab.title())
            if result.draft.headers:  # what came in (masked secrets, the missing-header row) is on show at once
                tab.editor.tabs.setCurrentIndex(HEADERS_PAGE)
                tab.editor.headers.reveal_first_mark()
        self.status(describe(result))

    def _tab_finished(self, tab) -> None:
        d = tab.last_diagnosis
        if d is None or d is getattr(tab, "_stored_diagnosis", None):
            return
        tab._stored_diagnosis = d
        self.spawn(self.store(d))

    async def store(self, d) -> int | None:
        """Add a finished exchange to the history (worker thread), then refresh the list."""
        await self.wait_ready()
        if self.history is None:
            return None
        message = d.message.text if d.message is not None else None
        try:
            entry = await asyncio.to_thread(self.history.add, d.exchange, documented=d.documented,
                                            findings=d.findings, message=message)
        except Exception as exc:
            self.status(f"The exchange was not saved in the history: {exc}")
            return None
        await self.refresh_history()
        return entry

    # ------------------------------------------------------------------ history
    async def refresh_history(self) -> None:
        await self.wait_ready()
        if self.history is None:
            return
        try:
            rows = await asyncio.to_thread(self.history.list, self.history_panel.history_filter())
        except Exception as exc:
            self.history_panel.show_note(str(exc))
            return
        self.history_panel.set_rows(rows)

    async def open_history_entry(self, entry_id: int):
        from app.core.diagnosis import diagnose

        try:
            entry = await asyncio.to_thread(self.history.get, entry_id)
        except Exception as exc:
            self.status(str(exc))
            return None
        d = diagnose(entry.exchange, self.window.catalog, self.window.clock.now(), received_at=entry.created_at)
        tab = self.window.new_tab(editable_draft(entry.exchange.request))
        tab.last_diagnosis = d
        tab._stored_diagnosis = d
        tab.response.show_diagnosis(d)
        if entry.response_body_truncated:
            self.status(f"Only the first {len(entry.exchange.response.body)} bytes of this response were kept in the "
                        "history.")
        return tab

    async def delete_history(self, entry_id: int) -> None:
        try:
            await asyncio.to_thread(self.history.delete, entry_id)
        except Exception as exc:
            self.status(str(exc))
        await self.refresh_history()

    async def clear_history(self) -> None:
        try:
            n = await asyncio.to_thread(self.history.clear)
        except Exception as exc:
            self.status(str(exc))
            return
        self.status(f"History cleared ({n} entr{'y' if n == 1 else 'ies'}).")
        await self.refresh_history()

    # ------------------------------------------------------------------ saved requests
    async def refresh_collection(self) -> None:
        await self.wait_ready()
        if self.collection is None:
            return
        nodes = await asyncio.to_thread(self.collection.tree)
        self.collection_panel.set_tree(nodes, str(self.collection.folder))

    def secret_values(self) -> dict[str, str]:
        """Values of every secret variable of every environment (to keep them out of saved files)."""
        envs = self.environments
        out: dict[str, str] = {}
        if envs is None:
            return out
        from app.store.environments import secret_key

        for env in envs.names():
            for v in envs.entries(env):
                if v.secret:
                    value = envs.secrets.get(secret_key(env, v.name))
                    if value:
                        out[v.name] = value
        return out

    def _prompt(self, title: str, label: str, text: str, done) -> QInputDialog:
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.textValueSelected.connect(done)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = dialog
        dialog.open()
        return dialog

    def ask_save_current(self) -> None:
        tab = self.window.current_tab()
        if tab is None:
            self.status("Open a request tab to save it.")
            return
        self._prompt("Save request", "Name of the saved request:", tab.title().replace("/", " ").strip(),
                     lambda name: self.spawn(self.save_draft(tab.draft(), name)))

    async def save_draft(self, draft, name: str) -> str | None:
        """Write ``draft`` as ``<name>.http`` in the collection (secret values become ``{{var}}``)."""
        await self.wait_ready()
        name = name.strip()
        if not name or self.collection is None:
            return None
        rel = safe_file_name(name)
        text = draft_to_http_text(draft, name, self.secret_values())
        try:
            await asyncio.to_thread(self.collection.save, rel, text)
        except Exception as exc:
            self.status(str(exc))
            return None
        self.status(f"Saved as {rel}.")
        await self.refresh_collection()
        return rel

    async def open_saved(self, rel: str) -> list:
        try:
            text = await asyncio.to_thread(self.collection.read, rel)
            drafts = drafts_from_http_text(text)
        except (FormatError, Exception) as exc:
            self.status(f"{rel} could not be opened: {exc}")
            return []
        if not drafts:
            self.status(f"{rel} holds no request.")
        return [self.window.new_tab(d) for _name, d in drafts]

    def ask_rename(self, rel: str) -> None:
        self._prompt("Rename", f"New name for {rel}:", rel,
                     lambda new: self.spawn(self._collection_op("rename", rel, new.strip())))

    def ask_new_folder(self) -> None:
        self._prompt("New folder", "Folder name:", "", lambda n: self.spawn(self._collection_op("mkdir", n.strip())))

    def ask_delete_saved(self, rel: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, "Delete saved request", f"Delete {rel}?",
                          QMessageBox.StandardButton.Cancel, self.window)
        yes = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.buttonClicked.connect(lambda b: self.spawn(self._collection_op("delete", rel)) if b is yes else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._dialog = box
        box.open()

    async def _collection_op(self, op: str, *args):
        await self.wait_ready()
        if self.collection is None or not all(args):
            return None
        if op == "rename" and "." not in args[1].rsplit("/", 1)[-1] and args[0].endswith((".http", ".rest")):
            args = (args[0], args[1] + ".http")
        try:
            result = await asyncio.to_thread(getattr(self.collection, op), *args)
        except Exception as exc:
            self.status(str(exc))
            return None
        await self.refresh_collection()
        return result

    # ------------------------------------------------------------------ environments
    def _refresh_env_bar(self) -> None:
        envs = self.environments
        if envs is None:
            return
        self.env_bar.set_names(envs.names(), envs.active)
        store = envs.secrets
        self.env_bar.combo.setToolTip("{{variables}} in the request are filled in from this environment when "
                                      "sending.\n" + store.describe())

    def set_active_environment(self, name) -> None:
        if self.environments is None:
            return
        try:
            self.environments.active = name
        except Exception as exc:
            self.status(str(exc))
            return
        missing = self.environments.missing_secrets(name) if name else []
        if missing:
            self.status(f"Environment '{name}': secret(s) {', '.join(missing)} are not available in this session; "
                        "set them again in Edit → Environments….")
        else:
            self.status(f"Environment: {name}." if name else "No environment: {{variables}} stay as written.")

    def show_environment_editor(self) -> EnvironmentEditor | None:
        if self.environments is None:
            self.status("Environments are still loading.")
            return None
        if self.editor is None:
            self.editor = EnvironmentEditor(self, self.window)
            self.editor.changed.connect(self._environments_changed)
            self.editor.consent_changed.connect(self.set_plain_consent)
        self.editor.reload()
        self.editor.show()
        self.editor.raise_()
        return self.editor

    def _environments_changed(self) -> None:
        self._refresh_env_bar()
        store = self.environments.secrets
        if not getattr(store, "persistent", True) or not getattr(store, "available", True):
            self.status(store.describe())

    def set_plain_consent(self, on: bool) -> None:
        """Switch the secret store (keyring / consented plain file / memory), carrying this session's secrets."""
        from app.paths import data_home
        from app.store.environments import secret_key
        from app.store.secrets import choose_secret_store

        self.plain_consent = bool(on)
        self.window.settings.set("secrets_plain_consent", self.plain_consent)
        envs = self.environments
        old = envs.secrets
        new = choose_secret_store(data_home(), self.plain_consent)
        for env in envs.names():
            for v in envs.entries(env):
                if v.secret:
                    value = old.get(secret_key(env, v.name))
                    if value is not None and new.get(secret_key(env, v.name)) is None:
                        try:
                            new.set(secret_key(env, v.name), value)
                        except Exception as exc:
                            self.status(str(exc))
        envs.secrets = new
        if self.editor is not None:
            self.editor.refresh_storage()
        self._refresh_env_bar()
        self.status(new.describe())

    def expand_draft(self, draft):
        """The draft to send: ``{{var}}`` filled in from the active environment (the editor keeps placeholders)."""
        envs = self.environments
        variables = {}
        name = envs.active if envs is not None else None
        if name:
            try:
                variables = envs.variables(name)
            except Exception as exc:
                self.status(f"Environment '{name}' could not be read: {exc}")
        out, left = expand_draft(draft, variables)
        if left:
            where = f"environment '{name}'" if name else "any environment (none is active)"
            self.status("Not filled in: " + ", ".join("{{" + v + "}}" for v in left) + f" — not set in {where}.")
        return out

    # ------------------------------------------------------------------ triage: HAR, raw, paste, import
    def _open_file_dialog(self, title: str, filters: list[str], done) -> QFileDialog:
        dialog = QFileDialog(self.window, title)
        dialog.setNameFilters(filters)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(done)
        self._dialog = dialog
        dialog.open()  # non-blocking
        return dialog

    def open_har_dialog(self) -> None:
        self._open_file_dialog("Open HAR file", ["HAR files (*.har *.json)", "All files (*)"], self.open_har)

    def open_raw_dialog(self) -> None:
        self._open_file_dialog("Open raw HTTP exchange", ["Text (*.txt *.http *.log)", "All files (*)"],
                               self.open_har)

    def _new_triage_tab(self, title: str):
        from app.ui.triage.har_view import HarView

        view = HarView(self.window)
        view.load_into_builder.connect(lambda d: self.window.new_tab(d))
        i = self.window.tabs.addTab(view, title)
        self.window.tabs.setTabToolTip(i, title)
        self.window.tabs.setCurrentIndex(i)
        return view

    def open_har(self, path: str):
        """A triage tab for the HAR / raw HTTP file at ``path``; parsing and diagnosis run off the GUI thread."""
        view = self._new_triage_tab(f"⚑ {Path(path).name}")
        view.failed.connect(self.status)
        task = view.load_path(path)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return view

    def paste_exchange(self) -> None:
        self.import_text(QGuiApplication.clipboard().text(), "pasted text")

    def import_text(self, text: str, name: str):
        """Pasted text: a request only (curl, raw request) opens a tab; anything with a response opens triage."""
        from app.ui.request.import_paste import draft_from_text

        if not text.strip():
            self.status("The clipboard is empty.")
            return None
        result = draft_from_text(text)
        if result is not None and (result.kind == "curl" or not _has_response(text)):
            if result.draft is None:
                self.status(describe(result))
                return None
            tab = self.window.new_tab(result.draft)
            self.status(describe(result))
            return tab
        view = self._new_triage_tab(f"⚑ {name}")
        view.failed.connect(self.status)
        task = view.load_bytes(text.encode("utf-8"), name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return view

    def import_dialog(self) -> None:
        self._open_file_dialog("Import requests",
                               ["Requests (*.http *.rest *.json *.txt *.sh *.curl *.har)", "All files (*)"],
                               lambda p: self.spawn(self.import_file(p)))

    async def import_file(self, path: str):
        """curl / raw request -> new tab; .http / Postman v2.1 -> saved into the collection and opened; HAR -> triage."""
        p = Path(path)
        try:
            data = await asyncio.to_thread(p.read_bytes)
        except OSError as exc:
            self.status(f"Could not read {p.name}: {exc.strerror or exc}.")
            return None
        text = data.decode("utf-8-sig", errors="replace")
        try:
            if p.suffix.lower() in (".http", ".rest"):
                drafts_from_http_text(text)  # validate before saving
                rel = safe_file_name(p.stem)
                await self.wait_ready()
                await asyncio.to_thread(self.collection.save, rel, text)
                await self.refresh_collection()
                self.status(f"Imported {p.name} into the saved requests as {rel}.")
                return await self.open_saved(rel)
            if text.lstrip().startswith("{"):
                doc = json.loads(text)
                if isinstance(doc, dict) and "info" in doc and "item" in doc:
                    from app.core.formats.http_file import render_http_file
                    from app.core.formats.postman import parse_postman, postman_to_http_file

                    col = parse_postman(data)
                    rel = safe_file_name(getattr(col, "name", "") or p.stem)
                    await self.wait_ready()
                    await asyncio.to_thread(self.collection.save, rel, render_http_file(postman_to_http_file(col)))
                    await self.refresh_collection()
                    self.status(f"Imported the Postman collection {p.name} as {rel} "
                                f"({len(col.items)} request(s)); open it from Saved requests.")
                    return rel
                return self.open_har(path)
        except (FormatError, ValueError) as exc:
            self.status(f"{p.name} could not be imported: {exc}")
            return None
        return self.import_text(text, p.name)

    # ------------------------------------------------------------------ hand-back
    def current_diagnosis(self):
        w = self.window.tabs.currentWidget()
        if hasattr(w, "current_diagnosis"):  # a HAR triage view
            return w.current_diagnosis()
        return getattr(w, "last_diagnosis", None)

    def copy_as_curl(self) -> str | None:
        from app.core.formats.curl import to_curl

        d = self.current_diagnosis()
        request = None
        if d is not None:
            request = d.typed_request or d.exchange.request
        else:
            tab = self.window.current_tab()
            if tab is not None:
                from app.core.draft import BuildError, build_request

                try:
                    request = build_request(self.expand_draft(tab.draft()))
                except (BuildError, OSError) as exc:
                    self.status(f"Nothing to copy: {exc}")
                    return None
        if request is None:
            self.status("Nothing to copy: send a request or select a HAR entry first.")
            return None
        text = to_curl(request, redact=True)
        QGuiApplication.clipboard().setText(text)
        self.status("Copied as curl (secrets redacted).")
        return text

    def save_as_har_dialog(self) -> None:
        d = self.current_diagnosis()
        if d is None:
            self.status("Nothing to save: send a request or select a HAR entry first.")
            return
        dialog = QFileDialog(self.window, "Save as HAR")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["HAR files (*.har)"])
        dialog.setDefaultSuffix("har")
        dialog.selectFile("exchange.har")
        dialog.fileSelected.connect(lambda p: self.spawn(self.save_as_har(p, d)))
        self._dialog = dialog
        dialog.open()

    async def save_as_har(self, path: str, d=None) -> bool:
        from app.core.formats.har import to_har
        from app.store.atomic import atomic_write_text

        d = d or self.current_diagnosis()
        if d is None:
            return False
        try:
            await asyncio.to_thread(atomic_write_text, Path(path), to_har([d.exchange], redact=True))
        except OSError as exc:
            self.status(f"Could not save {path}: {exc.strerror or exc}.")
            return False
        self.status(f"Saved {path} (secrets redacted).")
        return True

    def show_report(self):
        from app.ui.dialogs.report_dialog import ReportDialog

        d = self.current_diagnosis()
        if d is None:
            self.status("No exchange yet: send a request or select a HAR entry, then ask for the triage report.")
            return None
        req = d.exchange.request
        self.report_dialog = ReportDialog(d, self.window, title=f"{req.method} {req.url}")
        self.report_dialog.show()
        return self.report_dialog


def _has_response(text: str) -> bool:
    import re

    return re.search(r"(?m)^HTTP/\d(\.\d)?\s+\d{3}", text) is not None


def install_workspace(window) -> Workspace:
    """Add the sidebar, environments toolbar, import/HAR/hand-back menus and paste import to ``window``."""
    return Workspace(window)
