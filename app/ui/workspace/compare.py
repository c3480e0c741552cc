"""Comparing two exchanges in the window: two history rows, two entries of a HAR file, or the current answer with
the last success of the same request. Entries are read and compared on a worker thread (bodies of tens of MB take
seconds), then shown as a page beside the request tabs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from app.core.compare import compare
from app.core.compare.match import same_endpoint
from app.core.diagnosis import Diagnosis, diagnose
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

    def compare_diagnoses(self, older: Diagnosis, newer: Diagnosis, title: str) -> None:
        """Two exchanges already at hand (two HAR entries): compare them off the GUI thread."""
        self.tasks.spawn(self._show(older, newer, title))

    async def _show(self, older: Diagnosis, newer: Diagnosis, title: str) -> ComparisonView | None:
        self.status(f"Comparing {title}…")
        try:
            result = await workers.run(lambda: compare(older, newer, now=self.clock.now()))
        except Exception as exc:  # a bug must not leave a traceback in the user's face
            self.status(f"The comparison failed: {type(exc).__name__}: {exc}")
            return None
        view = ComparisonView(result)
        self.add_view(view, f"Compare {title}")
        self.status(result.summary)
        return view

    def _last_success(self, d: Diagnosis):
        """The newest history entry before ``d`` with a 2xx answer to the same method and path template."""
        from app.store.history import HistoryFilter

        request = d.exchange.request
        before = d.exchange.started_at
        for row in self.store().list(HistoryFilter(method=request.method.upper(), status_class=2), limit=2000):
            if before is not None and row.created_at >= before:
                continue  # this very exchange, or a later one
            if same_endpoint(row.method, row.url, request.method, request.url):
                return self.store().get(row.id)
        return None

    async def compare_with_last_success(self, d: Diagnosis | None) -> ComparisonView | None:
        """"It worked yesterday; what is different now?": the current answer against the last 2xx of the same
        request (method and path template; the query is compared, not matched)."""
        if d is None:
            self.status("Nothing to compare yet: send the request (or select a HAR entry) first.")
            return None
        await self.ready()
        if self.store() is None:
            self.status("The history is off, so there is no earlier success to compare with.")
            return None
        try:
            entry = await workers.run(self._last_success, d)
        except Exception as exc:  # HistoryError: a sentence
            self.status(str(exc))
            return None
        if entry is None:
            request = d.exchange.request
            self.status(f"No earlier 2xx answer to {request.method} on this endpoint in the history.")
            return None
        older = diagnose(entry.exchange, self.catalogs.get(), self.clock.now(), received_at=entry.created_at)
        return await self._show(older, d, f"#{entry.id} (last success) ↔ now")
