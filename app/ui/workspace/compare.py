"""Comparing two exchanges in the window: two history rows, two entries of a HAR file, or the current answer with
the last success of the same request. The page opens at once (busy), entries are read and compared on a worker
thread (bodies of tens of MB take seconds), and the page fills when done; the window never waits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.diagnosis import Diagnosis, diagnose
from app.ui import workers
from app.ui.dialogs.prompts import Prompts
from app.ui.services import CatalogHolder
from app.ui.sidebar.history_panel import HistoryPanel

if TYPE_CHECKING:
    from app.ui.compare.view import ComparisonView


class ComparePart:
    def __init__(self, panel: HistoryPanel, tasks, status: Callable[[str], None], catalogs: CatalogHolder, clock,
                 add_view: Callable, store: Callable[[], object], ready: Callable[[], Awaitable[None]],
                 prompts: Prompts | None = None) -> None:
        self.tasks, self.status, self.catalogs, self.clock = tasks, status, catalogs, clock
        self.add_view = add_view  # (widget, title): a page beside the request tabs
        self.store = store  # the history store once opened (None: history is off)
        self.ready = ready
        self.prompts = prompts
        panel.compare_requested.connect(lambda a, b: tasks.spawn(self.compare_entries(a, b)))

    # ------------------------------------------------------------------ the page
    def _open_page(self, title: str, older: Callable[[], Diagnosis], newer: Callable[[], Diagnosis]
                   ) -> ComparisonView:
        """A busy page now; ``older``/``newer`` (run on a worker) give the two sides."""
        from app.ui.compare.view import ComparisonView  # the comparison code loads on first use, not at start-up

        view = ComparisonView(recompare=lambda shown: self.tasks.spawn(self._fill(view, older, newer, shown)),
                              save_report=self._ask_save if self.prompts is not None else None)
        self.add_view(view, f"Compare {title}")
        self.status(f"Comparing {title}…")
        return view

    def _sides_compared(self, older: Callable[[], Diagnosis], newer: Callable[[], Diagnosis], shown: bool):
        from app.core.compare import compare

        return compare(older(), newer(), now=self.clock.now(), show_secrets=shown)

    async def _fill(self, view: ComparisonView, older, newer, shown: bool = False) -> ComparisonView | None:
        try:
            result = await workers.run(self._sides_compared, older, newer, shown)
        except Exception as exc:  # HistoryError carries a sentence; anything else must not be a traceback
            sentence = str(exc) if type(exc).__name__ == "HistoryError" else \
                f"The comparison failed: {type(exc).__name__}: {exc}"
            view.show_failure(sentence)
            self.status(sentence)
            return None
        view.show_comparison(result)
        self.status(result.summary)
        return view

    def _ask_save(self, markdown: str, html: str) -> None:
        from app.store.atomic import atomic_write_text

        def save(path: str) -> None:
            text = html if path.lower().endswith((".html", ".htm")) else markdown

            async def write() -> None:
                try:
                    await workers.run(atomic_write_text, Path(path), text)
                except OSError as exc:
                    self.status(f"Could not save {path}: {exc.strerror or exc}.")
                    return
                self.status(f"Saved {path} (secrets as shown).")

            self.tasks.spawn(write())

        self.prompts.save_file("Save comparison", ["Markdown (*.md)", "HTML (*.html)"], "md", "comparison.md", save)

    # ------------------------------------------------------------------ what can be compared
    def _diagnosed_entry(self, entry_id: int) -> Diagnosis:
        entry = self.store().get(entry_id)
        return diagnose(entry.exchange, self.catalogs.get(), self.clock.now(), received_at=entry.created_at)

    async def compare_entries(self, a_id: int, b_id: int) -> ComparisonView | None:
        """Two history entries: the older one is the reference (A), the newer the one explained (B)."""
        await self.ready()
        if self.store() is None:
            self.status("The history is off, so there is nothing to compare.")
            return None
        older, newer = sorted((a_id, b_id))
        sides = (lambda: self._diagnosed_entry(older), lambda: self._diagnosed_entry(newer))
        return await self._fill(self._open_page(f"#{older} ↔ #{newer}", *sides), *sides)

    def compare_diagnoses(self, older: Diagnosis, newer: Diagnosis, title: str) -> None:
        """Two exchanges already at hand (two HAR entries)."""
        sides = (lambda: older, lambda: newer)
        self.tasks.spawn(self._fill(self._open_page(title, *sides), *sides))

    def _last_success(self, d: Diagnosis):
        """The newest history entry before ``d`` with a 2xx answer to the same method and path template."""
        from app.core.compare.match import same_endpoint
        from app.store.history import HistoryFilter

        request = d.exchange.request
        before = d.exchange.started_at
        for row in self.store().list(HistoryFilter(method=request.method.upper(), status_class=2), limit=2000):
            if before is not None and row.created_at >= before:
                continue  # this very exchange, or a later one
            if same_endpoint(row.method, row.url, request.method, request.url):
                return row.id
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
            entry_id = await workers.run(self._last_success, d)
        except Exception as exc:  # HistoryError: a sentence
            self.status(str(exc))
            return None
        if entry_id is None:
            self.status(f"No earlier 2xx answer to {d.exchange.request.method} on this endpoint in the history.")
            return None
        sides = (lambda: self._diagnosed_entry(entry_id), lambda: d)
        return await self._fill(self._open_page(f"#{entry_id} (last success) ↔ now", *sides), *sides)
