"""What the window lends to its parts: the loaded API documentation, and the services a request tab may use.

``CatalogHolder`` is the one owner of the status catalog in use. Reading it is explicit (``get()`` reads the
page if nobody has yet; ``loaded()`` never reads; ``load_file_async``/``load_configured`` read on a worker thread so a
10 MB OpenAPI document never freezes the window), and every part that shows it (docs label, live findings,
history filter) listens to one ``changed`` signal instead of being told one by one.
``TabServices`` is the whole of what a RequestTab or a triage view may ask of the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal

from app.core.clock import Clock
from app.core.draft import RequestDraft
from app.core.rate_limit import OriginGate

if TYPE_CHECKING:  # the catalog module loads when a page is read (after the first paint)
    from app.core.api_docs import ApiDocs
    from app.core.catalog import StatusCatalog
    from app.net.contract import Transport


class CatalogHolder(QObject):
    """Signals: ``changed(object)`` with the new StatusCatalog whenever one is read or replaced."""

    changed = Signal(object)

    def __init__(self, catalog: StatusCatalog | None = None, configured_path: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._configured_path = configured_path
        self.note: str | None = None  # why the configured page was not used, or what it skipped, once read
        self._generation = 0  # bumped by every replacement: a slower read started earlier never wins
        self._asked = 0  # files asked for through load_file_async: only the newest is used

    def loaded(self) -> StatusCatalog | None:
        """The catalog if it has been read, else None (never reads the page)."""
        return self._catalog

    def get(self) -> StatusCatalog:
        """The catalog in use, reading the configured page (or the built-in one) now if nobody has yet."""
        if self._catalog is None:
            self.set(self._read_configured())
        return self._catalog

    def set(self, catalog: StatusCatalog) -> None:
        self._generation += 1
        self._catalog = catalog
        self.changed.emit(catalog)

    def load_file(self, path: str) -> ApiDocs:
        """Read and use another API's page or OpenAPI document (by its suffix and content); raises CatalogError
        (a sentence naming the file and the place) and keeps the current one."""
        from app.core.api_docs import read_api_docs

        catalog = read_api_docs(path)
        self._configured_path = str(path)
        self.set(catalog)
        return catalog

    async def load_file_async(self, path: str) -> ApiDocs | None:
        """``load_file`` with the reading and parsing on a worker thread; None when another load or a replacement
        finished first (this one is dropped). Raises CatalogError and keeps the current one."""
        from app.core.api_docs import read_api_docs
        from app.ui import workers

        self._asked += 1
        mine = (self._asked, self._generation)
        catalog = await workers.run(_without_gc, read_api_docs, path)
        if mine != (self._asked, self._generation):
            return None
        self._configured_path = str(path)
        self.set(catalog)
        return catalog

    async def load_configured(self) -> None:
        """Start-up: read the configured docs on a worker thread and use them, unless something was set (or read
        synchronously through ``get()``) meanwhile."""
        from app.ui import workers

        if self._catalog is not None:
            return
        mine = self._generation
        catalog = await workers.run(_without_gc, self._read_configured)
        if self._catalog is None and mine == self._generation:
            self.set(catalog)

    def use_default(self) -> StatusCatalog:
        from app.core.catalog import load_default_catalog

        self._configured_path = None
        catalog = load_default_catalog()
        self.set(catalog)
        return catalog

    def _read_configured(self) -> ApiDocs:
        from app.core.catalog import CatalogError, load_default_catalog

        if self._configured_path:
            from app.core.api_docs import read_api_docs, skipped_sentence

            try:
                docs = read_api_docs(self._configured_path)
                self.note = skipped_sentence(docs)
                return docs
            except CatalogError as exc:
                self.note = f"{exc} Using the built-in API documentation instead."
        return load_default_catalog()


def _without_gc(fn, *args):
    """``fn(*args)`` with the cyclic garbage collector paused: parsing a 10 MB document creates millions of
    containers, and the collections they trigger hold the GIL for 50-200 ms each (the GUI thread stalls) while
    doubling the load time (measured 0.71 s -> 0.31 s, worst GUI-side gap 75 -> 38 ms). Reference counting still
    frees everything; the collector resumes afterwards."""
    import gc

    was_on = gc.isenabled()
    gc.disable()
    try:
        return fn(*args)
    finally:
        if was_on:
            gc.enable()


class TabServices(Protocol):
    """What a request tab or a triage view may use of its window."""

    clock: Clock
    gate: OriginGate
    catalogs: CatalogHolder
    temp_dir: Path | None

    async def get_transport(self) -> Transport: ...

    def expand_draft(self, draft: RequestDraft) -> RequestDraft: ...

    def refresh_countdowns(self) -> None: ...
