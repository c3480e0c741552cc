"""The history part of the sidebar: every finished exchange is stored (sqlite on a worker thread), listed with
the panel's filters, reopened in a tab with its stored answer, deleted, or all cleared."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.core.catalog import StatusCatalog
from app.core.diagnosis import Diagnosis, diagnose
from app.ui import workers
from app.ui.request.import_paste import editable_draft
from app.ui.services import CatalogHolder
from app.ui.sidebar.history_panel import HistoryPanel
from app.ui.tasks import TaskGroup


class HistoryPart:
    def __init__(self, panel: HistoryPanel, tasks: TaskGroup, status: Callable[[str], None],
                 catalogs: CatalogHolder, clock, open_tab: Callable, ready: Callable[[], Awaitable[None]]) -> None:
        self.panel = panel
        self.ready = ready  # awaits the stores being opened (after the first paint)
        self.tasks = tasks
        self.status = status
        self.catalogs = catalogs
        self.clock = clock
        self.open_tab = open_tab  # (draft) -> RequestTab
        self.store = None  # app.store.history.History once opened (None: history is off, see the panel's note)
        self._asked = 0  # refreshes asked for: an answer to an older one is dropped (the filter moved on)
        panel.filter_changed.connect(lambda: tasks.spawn(self.refresh()))
        panel.open_requested.connect(lambda i: tasks.spawn(self.open_entry(i)))
        panel.delete_requested.connect(lambda i: tasks.spawn(self.delete(i)))
        panel.clear_requested.connect(lambda: tasks.spawn(self.clear()))
        catalogs.changed.connect(self.show_documented_statuses)
        if catalogs.loaded() is not None:
            self.show_documented_statuses(catalogs.loaded())

    def show_documented_statuses(self, catalog: StatusCatalog) -> None:
        self.panel.set_documented_statuses([e.status for e in catalog.entries])

    def attach(self, store, note: str | None) -> None:
        self.store = store
        if note:
            self.panel.show_note(note)
            self.status(note)

    async def record(self, d: Diagnosis) -> int | None:
        """Add a finished exchange to the history, then refresh the list."""
        await self.ready()
        if self.store is None:
            return None
        message = d.message.text if d.message is not None else None
        try:
            entry = await workers.run(self.store.add, d.exchange, documented=d.documented, findings=d.findings,
                                      message=message)
        except Exception as exc:  # HistoryError and OSError carry sentences
            self.status(f"The exchange was not saved in the history: {exc}")
            return None
        await self.refresh()
        return entry

    async def refresh(self) -> None:
        """List what the panel's filters select (on a worker); an answer overtaken by a newer refresh is dropped."""
        self._asked += 1
        asked = self._asked
        await self.ready()
        if self.store is None:
            return
        try:
            found = await workers.run(self.store.search, self.panel.history_filter())
        except Exception as exc:
            if asked == self._asked:
                self.panel.show_note(str(exc))
            return
        if asked != self._asked:
            return  # the user typed on: a newer answer is on its way
        self.panel.set_rows(found.rows, found.total)

    async def open_entry(self, entry_id: int):
        """A new tab holding the entry's request, showing its stored answer (nothing is resent)."""
        try:
            entry = await workers.run(self.store.get, entry_id)
        except Exception as exc:
            self.status(str(exc))
            return None
        d = await workers.run(diagnose, entry.exchange, self.catalogs.get(), self.clock.now(),  # MBs of body
                              received_at=entry.created_at)
        tab = self.open_tab(editable_draft(entry.exchange.request))
        tab.show_stored_diagnosis(d)
        if entry.secrets_hidden:
            self.status("The secrets of this entry were kept for an earlier session only; they are shown redacted.")
        elif entry.response_body_truncated:
            self.status(f"Only the first {len(entry.exchange.response.body)} bytes of this response were kept in the "
                        "history.")
        return tab

    async def delete(self, entry_id: int) -> None:
        try:
            await workers.run(self.store.delete, entry_id)
        except Exception as exc:
            self.status(str(exc))
        await self.refresh()

    async def clear(self) -> None:
        try:
            n = await workers.run(self.store.clear)
        except Exception as exc:
            self.status(str(exc))
            return
        self.status(f"History cleared ({n} entr{'y' if n == 1 else 'ies'}).")
        await self.refresh()
