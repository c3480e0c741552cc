"""Compare two history entries: both read from the history store and compared on a worker thread (bodies of tens
of MB take seconds), then shown as a page beside the request tabs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.core.compare import compare
from app.core.diagnosis import diagnose
from app.ui import workers
from app.ui.compare.view import ComparisonView
from app.ui.services import CatalogHolder
from app.ui.sidebar.history_panel import HistoryPanel


class ComparePart:
    def __init__(self, panel: HistoryPanel, tasks, status: Callable[[str], None], catalogs: CatalogHolder, clock,
                 add_view: Callable, store: Callable[[], object], ready: Callable[[], Awaitable[None]]) -> None:
        self.tasks, self.status, self.catalogs, self.clock = tasks, status, catalogs, clock
        self.add_view = add_view  # (widget, title): a page beside the request tabs
        self.store = store  # the history store once opened (None: history is off)
        self.ready = ready
        panel.compare_requested.connect(lambda a, b: tasks.spawn(self.compare_entries(a, b)))

    def _compare(self, a_id: int, b_id: int):
        store = self.store()
        catalog, now = self.catalogs.get(), self.clock.now()
        a, b = store.get(a_id), store.get(b_id)
        da = diagnose(a.exchange, catalog, now, received_at=a.created_at)
        db = diagnose(b.exchange, catalog, now, received_at=b.created_at)
        return compare(da, db, now=now)

    async def compare_entries(self, a_id: int, b_id: int) -> ComparisonView | None:
        """The older entry is the reference (A), the newer the one explained (B)."""
        await self.ready()
        if self.store() is None:
            self.status("The history is off, so there is nothing to compare.")
            return None
        older, newer = sorted((a_id, b_id))
        self.status(f"Comparing history entries {older} and {newer}…")
        try:
            result = await workers.run(self._compare, older, newer)
        except Exception as exc:  # HistoryError: a sentence
            self.status(str(exc))
            return None
        view = ComparisonView(result)
        self.add_view(view, f"Compare #{older} ↔ #{newer}")
        self.status(result.summary)
        return view
