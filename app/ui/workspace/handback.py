"""Handing an exchange back: Copy as curl, Copy as code, Save as HAR, the triage report. Secrets are redacted
in all of them unless the user deliberately includes them (Copy as code's "Include secrets").

They act on what the current tab shows: a request tab's last answer (or, before any send, its request as it
would be sent) or the entry selected in a triage tab. Copy as code takes a request tab's request as it would be
sent now (its files read off the GUI thread and referenced by path in the code).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from app.core.diagnosis import Diagnosis
from app.core.draft import RequestDraft
from app.ui import workers
from app.ui.dialogs.prompts import Prompts
from app.ui.tasks import TaskGroup

NOTHING_YET = "send a request or select a HAR entry first."


class HandBackPart:
    def __init__(self, tabs, tasks: TaskGroup, status: Callable[[str], None], prompts: Prompts,
                 expand: Callable[[RequestDraft], RequestDraft]) -> None:
        self.tabs = tabs  # TabHost: current_view(), current_tab()
        self.tasks = tasks
        self.status = status
        self.prompts = prompts
        self.expand = expand
        self.report_dialog = None

    def current_diagnosis(self) -> Diagnosis | None:
        view = self.tabs.current_view()
        return view.current_diagnosis() if view is not None else None

    def copy_as_curl(self) -> str | None:
        from app.core.formats.code import to_code

        d = self.current_diagnosis()
        request = (d.typed_request or d.exchange.request) if d is not None else self._request_of_current_tab()
        if request is None:
            return None
        # Copy as code's curl: to_curl's words, but a body with a NUL byte goes on stdin (bash ends a word at NUL)
        text = to_code(request, "curl").removesuffix("\n")
        QGuiApplication.clipboard().setText(text)
        self.status("Copied as curl (secrets redacted).")
        return text

    def copy_as_code(self, target: str, include_secrets: bool = False):
        """Copy code in ``target``'s language (app.core.formats.code.TARGETS) that sends the current request;
        returns the Task that copies (its result: the text, or None with a sentence in the status line)."""
        return self.tasks.spawn(self.code_text(target, include_secrets))

    async def code_text(self, target: str, include_secrets: bool = False) -> str | None:
        from app.core.draft import BuildError
        from app.core.formats.code import TARGETS, build_with_files, to_code
        from app.store.body_file import read_body_file

        tab = self.tabs.current_tab()
        files: tuple[tuple[str, bytes], ...] = ()
        if tab is not None:
            tab.editor.commit_open_edits()  # a cell still being typed in is part of what would be sent
            try:
                request, files = await workers.run(build_with_files, self.expand(tab.draft()), read_body_file)
            except (BuildError, OSError) as exc:
                self.status(f"Nothing to copy: {exc}")
                return None
        else:
            d = self.current_diagnosis()
            if d is None:
                self.status(f"Nothing to copy: {NOTHING_YET}")
                return None
            request = d.typed_request or d.exchange.request
        from app.core.formats.code import CodeError

        try:
            text = await workers.run(to_code, request, target, redact=not include_secrets, files=files)  # MBs
        except CodeError as exc:
            self.status(f"Nothing copied: {exc}")
            return None
        QGuiApplication.clipboard().setText(text)
        shown = "secrets included" if include_secrets else "secrets redacted"
        self.status(f"Copied as {TARGETS[target].label} ({shown}).")
        return text

    def _request_of_current_tab(self):
        tab = self.tabs.current_tab()
        if tab is None:
            self.status(f"Nothing to copy: {NOTHING_YET}")
            return None
        from app.core.draft import BuildError, build_request

        try:
            return build_request(self.expand(tab.draft()))
        except (BuildError, OSError) as exc:
            self.status(f"Nothing to copy: {exc}")
            return None

    def ask_save_har(self) -> None:
        d = self.current_diagnosis()
        if d is None:
            self.status(f"Nothing to save: {NOTHING_YET}")
            return
        self.prompts.save_file("Save as HAR", ["HAR files (*.har)"], "har", "exchange.har",
                               lambda path: self.tasks.spawn(self.save_har(path, d)))

    async def save_har(self, path: str, d: Diagnosis | None = None) -> bool:
        from app.core.formats.har import to_har
        from app.store.atomic import atomic_write_text

        d = d or self.current_diagnosis()
        if d is None:
            return False
        try:
            await workers.run(atomic_write_text, Path(path), to_har([d.exchange], redact=True))
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
        request = d.exchange.request
        self.report_dialog = ReportDialog(d, self.prompts.parent, title=f"{request.method} {request.url}")
        self.report_dialog.show()
        return self.report_dialog
