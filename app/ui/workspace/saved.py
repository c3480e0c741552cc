"""The saved-requests part of the sidebar: a folder of ``.http`` files (app.store.collection) shown as a tree.

Saving writes the current tab's draft with every secret environment value put back as ``{{name}}``; opening a
file opens one tab per request in it. File work runs on a worker thread; names are asked without blocking.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.core.draft import RequestDraft
from app.core.formats.errors import FormatError
from app.core.http_text import auth_secrets, draft_to_http_text, drafts_from_http_text, lift_secrets, safe_file_name
from app.ui import workers
from app.ui.dialogs.prompts import Prompts
from app.ui.sidebar.collection_panel import CollectionPanel
from app.ui.tasks import TaskGroup

HTTP_SUFFIXES = (".http", ".rest")
T = TypeVar("T")


class SavedRequestsPart:
    def __init__(self, panel: CollectionPanel, tasks: TaskGroup, status: Callable[[str], None], prompts: Prompts,
                 tabs, secret_values: Callable[[], dict[str, str]],
                 keep_secrets: Callable[[dict[str, str]], str | None], ready: Callable[[], Awaitable[None]]) -> None:
        self.panel = panel
        self.tasks = tasks
        self.status = status
        self.prompts = prompts
        self.tabs = tabs  # TabHost: new_tab(draft), current_tab()
        self.secret_values = secret_values  # environments' secret values, written back as their {{name}}
        self.keep_secrets = keep_secrets  # other secrets lifted out of a file go to the secret store (a note back)
        self.ready = ready
        self.store = None  # app.store.collection.Collection once opened
        panel.save_requested.connect(self.ask_save_current)
        panel.open_requested.connect(lambda rel: tasks.spawn(self.open(rel)))
        panel.rename_requested.connect(self.ask_rename)
        panel.duplicate_requested.connect(lambda rel: tasks.spawn(self.duplicate(rel)))
        panel.delete_requested.connect(self.ask_delete)
        panel.new_folder_requested.connect(self.ask_new_folder)

    def attach(self, store) -> None:
        self.store = store

    async def refresh(self) -> None:
        await self.ready()
        if self.store is None:
            return
        nodes = await workers.run(self.store.tree)
        self.panel.set_tree(nodes, str(self.store.folder))

    # ------------------------------------------------------------------ questions (non-modal)
    def ask_save_current(self) -> None:
        tab = self.tabs.current_tab()
        if tab is None:
            self.status("Open a request tab to save it.")
            return
        self.prompts.text("Save request", "Name of the saved request:", tab.title().replace("/", " ").strip(),
                          lambda name: self.tasks.spawn(self.save_draft(tab.draft(), name)))

    def ask_rename(self, rel: str) -> None:
        self.prompts.text("Rename", f"New name for {rel}:", rel, lambda new: self.tasks.spawn(self.rename(rel, new)))

    def ask_new_folder(self) -> None:
        self.prompts.text("New folder", "Folder name:", "", lambda name: self.tasks.spawn(self.new_folder(name)))

    def ask_delete(self, rel: str) -> None:
        self.prompts.confirm("Delete saved request", f"Delete {rel}?", "Delete",
                             lambda: self.tasks.spawn(self.delete(rel)))

    # ------------------------------------------------------------------ file work
    async def save_draft(self, draft: RequestDraft, name: str) -> str | None:
        """Write ``draft`` as ``<name>.http`` (secret values become ``{{var}}``); returns the relative path."""
        name = name.strip()
        if not name:
            return None
        return await self.save_text(safe_file_name(name), draft_to_http_text(draft, name, self.secret_values()),
                                    f"Saved as {safe_file_name(name)}.", known=auth_secrets(draft))

    async def save_text(self, rel: str, text: str, done_note: str, known: dict[str, str] | None = None) -> str | None:
        """Write a .http file into the collection. Nothing secret reaches the file: typed tokens, keys and
        passwords become ``{{secret_…}}`` placeholders whose values go to the secret store (filled in on send)."""
        await self.ready()
        if self.store is None:
            return None
        text, lifted = await workers.run(lift_secrets, text, known)  # linear, but a big body takes a moment
        try:
            note = await workers.run(self.keep_secrets, lifted) if lifted else None
            await workers.run(self.store.save, rel, text)
        except Exception as exc:  # CollectionError / SecretStoreError / OSError: sentences
            self.status(str(exc))
            return None
        self.status(done_note + (" " + note if note else ""))
        await self.refresh()
        return rel

    async def save_texts(self, files: dict[str, str]) -> tuple[list[str], str | None]:
        """Write many .http files (an imported OpenAPI document: a thousand operations) with one refresh of the
        tree at the end; secrets lifted as for one file. Returns the paths written and a sentence on failure."""
        await self.ready()
        if self.store is None:
            return [], "Saved requests are unavailable in this session."
        lifted_files = await workers.run(lambda: {rel: lift_secrets(text) for rel, text in files.items()})
        lifted = {name: value for _text, found in lifted_files.values() for name, value in found.items()}
        written: list[str] = []

        def write_all() -> None:
            for rel, (text, _found) in lifted_files.items():
                self.store.save(rel, text)
                written.append(rel)

        problem = None
        try:
            if lifted:
                await workers.run(self.keep_secrets, lifted)
            await workers.run(write_all)
        except Exception as exc:  # CollectionError / SecretStoreError / OSError: sentences
            problem = str(exc)
        await self.refresh()
        return written, problem

    async def open(self, rel: str) -> list:
        """One tab per request of the saved file ``rel``."""
        try:
            text = await workers.run(self.store.read, rel)
            drafts = drafts_from_http_text(text)
        except (FormatError, Exception) as exc:
            self.status(f"{rel} could not be opened: {exc}")
            return []
        if not drafts:
            self.status(f"{rel} holds no request.")
        return [self.tabs.new_tab(d) for _name, d in drafts]

    async def rename(self, rel: str, new: str) -> None:
        new = new.strip()
        if new and "." not in new.rsplit("/", 1)[-1] and rel.endswith(HTTP_SUFFIXES):
            new += ".http"  # keep it a .http file when the user typed a bare name
        await self._change(rel and new, lambda: self.store.rename(rel, new))

    async def duplicate(self, rel: str) -> str | None:
        """Copy ``rel`` next to itself; returns the copy's relative path."""
        return await self._change(rel, lambda: self.store.duplicate(rel))

    async def delete(self, rel: str) -> None:
        await self._change(rel, lambda: self.store.delete(rel))

    async def new_folder(self, name: str) -> None:
        name = name.strip()
        await self._change(name, lambda: self.store.mkdir(name))

    async def _change(self, named: str, call: Callable[[], T]) -> T | None:
        """Run one change of the folder on a worker (nothing when a name is empty), then refresh the tree."""
        await self.ready()
        if self.store is None or not named:
            return None
        try:
            result = await workers.run(call)
        except Exception as exc:  # CollectionError / OSError: sentences
            self.status(str(exc))
            return None
        await self.refresh()
        return result
