"""Bringing outside requests in: File → Import, Open HAR / raw HTTP, Edit → Paste exchange.

The kind of every text is decided once, by app.core.formats.detect: a request alone (curl, raw request) opens
a request tab; an exchange or a capture (raw exchange, HAR) opens a triage tab that diagnoses without
resending; a .http file or a Postman collection is saved into the saved requests; an OpenAPI document's operations
become saved requests (one folder per tag) with an environment named after the document holding ``base_url`` and
empty secret variables for its auth. Files are read, parsed and diagnosed on worker threads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from app.core.diagnosis import Diagnosis
from app.core.formats.detect import ImportKind, detect_kind
from app.core.formats.errors import FormatError
from app.core.http_text import read_http_text, safe_file_name
from app.ui import workers
from app.ui.dialogs.prompts import Prompts
from app.ui.request.import_paste import describe, draft_from_text
from app.ui.tasks import TaskGroup
from app.ui.triage.customer_answer import CustomerAnswerBar
from app.ui.triage.har_view import HarView
from app.ui.workspace.saved import SavedRequestsPart

TRIAGE_MARK = "⚑ "
REQUEST_KINDS = (ImportKind.CURL, ImportKind.RAW_REQUEST)
CAPTURE_KINDS = (ImportKind.HAR, ImportKind.RAW_EXCHANGE)


class ImportPart:
    def __init__(self, tabs, services, tasks: TaskGroup, status: Callable[[str], None], prompts: Prompts,
                 saved: SavedRequestsPart, ready: Callable[[], Awaitable[None]],
                 compare: Callable[[object, object, str], None] | None = None, environments=None) -> None:
        self.tabs = tabs  # TabHost: new_tab(draft), add_view(widget, title)
        self.services = services  # TabServices, for the triage views
        self.tasks = tasks
        self.status = status
        self.prompts = prompts
        self.saved = saved
        self.ready = ready
        self.compare = compare  # (older Diagnosis, newer Diagnosis, title): two triage entries compared
        self.environments = environments  # EnvironmentsPart: where an OpenAPI import puts base_url and secrets
        self.report_dialog = None  # the last whole-file report opened

    # ------------------------------------------------------------------ menu entries
    def ask_import(self) -> None:
        self.prompts.open_file("Import requests",
                               ["Requests (*.http *.rest *.json *.yaml *.yml *.txt *.sh *.curl *.har)",
                                "All files (*)"],
                               lambda path: self.tasks.spawn(self.import_file(path)))

    def ask_open_har(self) -> None:
        self.prompts.open_file("Open HAR file", ["HAR files (*.har *.json)", "All files (*)"], self.open_capture)

    def ask_open_raw(self) -> None:
        self.prompts.open_file("Open raw HTTP exchange", ["Text (*.txt *.http *.log)", "All files (*)"],
                               self.open_capture)

    def paste_exchange(self) -> None:
        self.import_text(QGuiApplication.clipboard().text(), "pasted text")

    # ------------------------------------------------------------------ the work
    def _new_triage_view(self, title: str) -> HarView:
        view = HarView(self.services)
        view.load_into_builder.connect(self.load_into_builder)
        view.failed.connect(self.status)
        view.file_report_requested.connect(self.show_file_report)
        if self.compare is not None:
            view.compare_requested.connect(self.compare)
        self.tabs.add_view(view, TRIAGE_MARK + title)
        return view

    def load_into_builder(self, draft, original: Diagnosis, label: str):
        """A request tab for a triage entry: it shows the customer's answer until the user sends, then a bar above it
        offers the comparison of the customer's answer with the new one."""
        tab = self.tabs.new_tab(draft)
        tab.show_stored_diagnosis(original)
        bar = CustomerAnswerBar(original, label, self.compare, tab)
        tab.diagnosed.connect(bar.received)
        tab.layout().insertWidget(0, bar)  # above the request and response, whichever way they are arranged
        return tab

    def show_file_report(self, name: str, rows) -> object:
        """The report of every entry of a triaged file (non-modal; written on a worker)."""
        from app.ui.dialogs.report_dialog import ReportDialog

        self.report_dialog = ReportDialog.of_file(name, rows, self.prompts.parent)
        self.report_dialog.show()
        return self.report_dialog

    def open_capture(self, path: str) -> HarView:
        """A triage tab for the HAR or raw HTTP exchange file at ``path`` (read and diagnosed off the GUI thread)."""
        view = self._new_triage_view(Path(path).name)
        self.tasks.adopt(view.load_path(path), cancel_at_exit=True)
        return view

    def import_text(self, text: str, name: str):
        """A request alone opens a request tab; anything with a response opens a triage tab."""
        if not text.strip():
            self.status("The clipboard is empty.")
            return None
        kind = detect_kind(text, name)
        if kind in REQUEST_KINDS:
            result = draft_from_text(text)
            if result is not None:
                self.status(describe(result, all_opened=True))
                if result.draft is None:
                    return None
                first = self.tabs.new_tab(result.draft)
                return [first] + [self.tabs.new_tab(d) for d in result.more] if result.more else first
        if kind is ImportKind.HTTP_FILE:
            return self._open_http_text(text, name)
        view = self._new_triage_view(name)  # a capture, or text nobody recognised: the parser says why
        self.tasks.adopt(view.load_bytes(text.encode("utf-8"), name), cancel_at_exit=True)
        return view

    def _open_http_text(self, text: str, name: str) -> list:
        try:
            drafts, notes = read_http_text(text)
        except FormatError as exc:
            self.status(f"{name} could not be read: {exc}")
            return []
        if notes:
            self.status(f"{name}:" + _notes_sentence(notes))
        return [self.tabs.new_tab(d) for _name, d in drafts]

    async def import_file(self, path: str):
        """curl / raw request → a tab; .http / Postman → saved requests (and opened); HAR / exchange → triage."""
        p = Path(path)
        try:
            data = await workers.run(p.read_bytes)
        except OSError as exc:
            self.status(f"Could not read {p.name}: {exc.strerror or exc}.")
            return None
        text = data.decode("utf-8-sig", errors="replace")
        kind = detect_kind(text, p.name)
        try:
            if kind is ImportKind.HTTP_FILE:
                _drafts, notes = read_http_text(text)  # a file that does not parse is not saved
                rel = await self.saved.save_text(safe_file_name(p.stem), text,
                                                 f"Imported {p.name} into the saved requests as "
                                                 f"{safe_file_name(p.stem)}." + _notes_sentence(notes))
                return await self.saved.open(rel) if rel else None
            if kind is ImportKind.POSTMAN:
                return await self._import_postman(data, p)
            if kind is ImportKind.OPENAPI:
                return await self._import_openapi(p)
        except (FormatError, ValueError) as exc:
            self.status(f"{p.name} could not be imported: {exc}")
            return None
        if kind in CAPTURE_KINDS:
            return self.open_capture(path)
        return self.import_text(text, p.name)

    async def _import_postman(self, data: bytes, p: Path) -> str | None:
        from app.core.formats.http_file import render_http_file
        from app.core.formats.postman import parse_postman, postman_to_http_file

        collection = parse_postman(data)
        rel = safe_file_name(collection.name or p.stem)
        converted = postman_to_http_file(collection)
        return await self.saved.save_text(rel, render_http_file(converted),
                                          f"Imported the Postman collection {p.name} as {rel} "
                                          f"({len(collection.items)} request(s)); open it from Saved requests."
                                          + _notes_sentence(list(converted.notes)))


    async def _import_openapi(self, p: Path) -> list[str]:
        """Each operation a saved request under ``<title>/<tag>/``; the environment ``<title>`` gets ``base_url``
        and the auth's secret variables (empty: the user fills them in). Returns the saved relative paths."""
        from app.core.api_docs import read_api_docs
        from app.core.catalog import CatalogError
        from app.core.openapi.catalog import OpenApiCatalog
        from app.core.openapi.to_http import to_http_files

        try:
            catalog = await workers.run(read_api_docs, p)
        except CatalogError as exc:
            self.status(f"{p.name} could not be imported: {exc}")
            return []
        if not isinstance(catalog, OpenApiCatalog):
            self.status(f"{p.name} could not be imported: it was not read as an OpenAPI document.")
            return []
        imported = await workers.run(to_http_files, catalog)
        await self.ready()
        env_note = await self._openapi_environment(imported)
        folder = safe_file_name(imported.title).removesuffix(".http")
        self.status(f"Importing {p.name}: saving {len(imported.files)} requests…")
        saved, problem = await self.saved.save_texts({f"{folder}/{rel}": text for rel, text in imported.files.items()})
        if problem:
            self.status(f"{p.name}: {len(saved)} of {len(imported.files)} requests were saved; then: {problem}")
            return saved
        self.status(f"Imported {len(saved)} request(s) from the OpenAPI document {p.name} into the folder {folder}."
                    + env_note + _notes_sentence(list(imported.notes)))
        return saved

    async def _openapi_environment(self, imported) -> str:
        """Create or update the environment named after the document and make it the active one."""
        store = self.environments.store if self.environments is not None else None
        if store is None:
            return " No environment was created (environments are not available)."
        try:
            await workers.run(write_environment, store, imported.title, imported.variables)
        except Exception as exc:  # EnvironmentsError / SecretStoreError: sentences
            return f" The environment '{imported.title}' could not be written: {exc}"
        self.environments.set_active(imported.title)
        secrets = [v.name for v in imported.variables if v.secret]
        fill = f"; fill in {', '.join(secrets)} in Edit → Environments…" if secrets else ""
        return f" Environment '{imported.title}' has base_url{fill}."


def write_environment(store, name: str, variables) -> None:
    """``base_url`` and the other plain variables set (an import updates them); a secret variable added empty only
    when missing, so a value the user already filled in survives a second import. Worker thread."""
    if name not in store.names():
        store.add(name)
    existing = {v.name for v in store.entries(name)}
    for var in variables:
        if not var.secret:
            store.set_var(name, var.name, var.value)
        elif var.name not in existing:
            store.set_var(name, var.name, "", secret=True)


def _notes_sentence(notes: list[str]) -> str:
    """The first notes made while reading an imported file, for the status bar."""
    if not notes:
        return ""
    more = f" (and {len(notes) - 3} more)" if len(notes) > 3 else ""
    return f" {len(notes)} note(s): " + " ".join(notes[:3]) + more
