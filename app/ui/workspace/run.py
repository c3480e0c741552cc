"""Running saved requests as checks from the window (right-click a saved file or folder → Run): each request is
sent in order with the active environment, checked against its ``??`` expectations (app.core.assertions), stored
in the history, and shown on a results page as it finishes. A 429/503 with a short Retry-After is waited for and
sent once more, as ``request-inspector run`` does. Files are read and answers diagnosed off the GUI thread."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

from app.core.assertions import AssertionSyntaxError, check, parse_assertion
from app.core.checks import CheckResult, RunTotals, total_line
from app.core.diagnosis import Diagnosis, diagnose
from app.core.draft import BuildError, RequestDraft, build_request
from app.core.http_text import read_saved_requests
from app.net.contract import SendOptions
from app.ui import workers
from app.ui.checks.view import RunResultsView
from app.ui.request.import_paste import editable_draft
from app.ui.tasks import TaskGroup

RETRY_STATUSES = (429, 503)
MAX_WAIT_S = 60.0  # a longer Retry-After is reported, not waited for
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")


def _unfilled(draft: RequestDraft) -> list[str]:
    texts = [draft.url, draft.raw_text, *(r.value for r in draft.headers if r.enabled)]
    return list(dict.fromkeys(m.group(1) for t in texts for m in _PLACEHOLDER.finditer(t or "")))


class RunPart:
    def __init__(self, tasks: TaskGroup, status: Callable[[str], None], services, tabs,
                 expand: Callable[[RequestDraft], RequestDraft], record: Callable[[Diagnosis], Awaitable],
                 collection: Callable[[], object], ready: Callable[[], Awaitable[None]]) -> None:
        self.tasks, self.status, self.services, self.tabs = tasks, status, services, tabs
        self.expand = expand  # {{var}} from the active environment and saved secrets
        self.record = record  # (diagnosis) -> history entry id
        self.collection = collection  # the saved-requests store once opened
        self.ready = ready

    def _files(self, rel: str) -> list[str]:
        """``rel`` itself when it is a request file, else every request file below that folder (sorted)."""
        prefix = rel.rstrip("/") + "/" if rel else ""
        out: list[str] = []

        def walk(nodes) -> None:
            for n in nodes:
                if n.is_dir:
                    walk(n.children)
                elif n.rel_path == rel:
                    out.append(n.rel_path)
                elif n.rel_path.startswith(prefix):
                    out.append(n.rel_path)

        walk(self.collection().tree())
        return [rel] if rel in out else sorted(out)

    async def run(self, rel: str) -> RunResultsView | None:
        await self.ready()
        if self.collection() is None:
            self.status("Saved requests are unavailable in this session.")
            return None
        view = RunResultsView(rel or "all saved requests")
        view.open_requested.connect(self._open_result)
        self.tabs.add_view(view, f"▶ {rel or 'Saved requests'}")
        started, results = time.monotonic(), []
        try:
            files = await workers.run(self._files, rel)
            for file in files:
                text = await workers.run(self.collection().read, file)
                saved, _notes = read_saved_requests(text)
                for item in saved:
                    view.set_summary(f"Running {item.name or item.draft.method} ({file})…")
                    r = await self._run_one(file, item)
                    results.append(r)
                    view.add_result(r)
        except Exception as exc:  # CollectionError / FormatError: sentences
            view.set_summary(f"The run stopped: {exc}")
            self.status(f"The run stopped: {exc}")
            return view
        line = total_line(RunTotals.of(results, time.monotonic() - started))
        view.set_summary(line)
        self.status(line)
        return view

    async def _run_one(self, file: str, item) -> CheckResult:
        name = item.name or f"{item.draft.method} {item.draft.url}"
        try:
            expectations = tuple(parse_assertion(line) for line in item.expectations)
        except AssertionSyntaxError as exc:
            return CheckResult(file, name, item.draft.method, item.draft.url, None, problem=str(exc))
        draft = self.expand(item.draft)
        missing = _unfilled(draft)
        if missing:
            return CheckResult(file, name, draft.method, draft.url, None, problem="No value for " + ", ".join(
                "{{" + m + "}}" for m in missing) + " (choose an environment that sets it).")
        try:
            request = await workers.run(build_request, draft)
        except (BuildError, OSError) as exc:
            return CheckResult(file, name, draft.method, draft.url, None, problem=str(exc))
        d, notes = await self._send(request, draft)
        entry = await self.record(d)
        results = tuple(check(a, d) for a in expectations)
        problem = None if d.exchange.response is not None else (
            d.exchange.error.text if d.exchange.error else "No response.")
        return CheckResult(file, name, request.method, request.url, d, results, problem, tuple(notes),
                           history_id=entry)

    async def _send(self, request, draft: RequestDraft) -> tuple[Diagnosis, list[str]]:
        transport = await self.services.get_transport()
        o = draft.options
        options = SendOptions(timeout=o.timeout, follow_redirects=o.follow_redirects, verify=o.verify_tls,
                              http2=o.http2)
        notes: list[str] = []
        for attempt in (1, 2):
            exchange = await transport.send(request, options)
            now = self.services.clock.now()
            d = await workers.run(diagnose, exchange, self.services.catalogs.get(), now, typed_request=request,
                                  received_at=now)
            resp = exchange.response
            if d.retry_after is not None:
                self.services.gate.record(request.url, d.retry_after)
            if attempt == 2 or resp is None or resp.status not in RETRY_STATUSES or d.retry_after is None:
                return d, notes
            wait = max(0.0, d.retry_after.seconds)
            if wait > MAX_WAIT_S:
                notes.append(f"Retry-After asked for {wait:g} s, more than {MAX_WAIT_S:g} s: not sent again.")
                return d, notes
            self.status(f"{resp.status}: waiting {wait:g} s as Retry-After asks, then sending it again…")
            await asyncio.sleep(wait)
            notes.append(f"Answered {resp.status} first; waited {wait:g} s (Retry-After) and sent it again.")
        return d, notes

    def _open_result(self, r: CheckResult) -> None:
        tab = self.tabs.new_tab(editable_draft(r.diagnosis.exchange.request))
        tab.show_stored_diagnosis(r.diagnosis)
