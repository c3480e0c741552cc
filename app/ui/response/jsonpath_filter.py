"""A JSONPath field under JSON bodies: ``$.items[*].id`` shows the matching values, or a sentence saying why not.

The expression is evaluated by python-jsonpath (``import jsonpath``, RFC 9535 syntax plus its extensions) under
the rules app.core.jsonpath_rules gives ``??`` checks (no catastrophic regex, one '..'), on a worker thread (app.ui.workers); the parsed body is kept for the next expression, so only the first one pays for
reading and parsing a body of tens of MB (in steps, app.core.json_steps, so the window keeps ticking). Results come back through an Inbox (a queued signal); a newer expression
replaces an older one still running.
"""

from __future__ import annotations

import gc
import itertools
import json
import threading

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.core.humanize import human_size
from app.core.json_steps import loads_in_steps
from app.ui import workers
from app.ui.response.body_source import ByteStore
from app.ui.response.paged_text import Inbox, text_edit

MAX_BODY = 64 * 1024 * 1024  # larger bodies are not parsed (a Python object tree is ~10x the text)
MAX_RESULT_CHARS = 1024 * 1024  # the result shown at most
MAX_VALUES = 10_000  # matches collected at most (python-jsonpath takes ~15 µs a match)
MAX_WALK = 16 * 1024 * 1024  # '..' walks the whole tree at ~1 MB/s, and a worker thread cannot be stopped


_FROZEN = 0  # parsed trees kept alive under gc.freeze(); guarded by _FREEZE_LOCK
_FREEZE_LOCK = threading.Lock()


def _freeze() -> None:
    """Move every object alive now out of the collector's reach: a cached tree of millions of containers made each
    later full collection hold the GIL for ~0.5 s. JSON trees have no cycles: reference counting frees them."""
    global _FROZEN
    with _FREEZE_LOCK:
        _FROZEN += 1
        gc.freeze()


def _thaw() -> None:
    global _FROZEN
    with _FREEZE_LOCK:
        _FROZEN = max(0, _FROZEN - 1)
        if _FROZEN == 0:
            gc.unfreeze()


class _Parsed:
    """The body's JSON value, parsed once on first use (from any worker; a lock keeps it to one parse)."""

    def __init__(self, store: ByteStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._value: object = None
        self._error: str | None = None
        self._done = False
        self._frozen = False
        self._dropped = False

    def release(self) -> None:
        """Drop the tree (the body is no longer shown); never waits for a parse still running."""
        self._dropped = True
        if self._lock.acquire(blocking=False):
            try:
                self._drop()
            finally:
                self._lock.release()

    def _drop(self) -> None:
        self._value, self._done = None, True
        if self._frozen:
            self._frozen = False
            _thaw()

    def value(self) -> object:
        with self._lock:
            if not self._done:
                # In steps, with the collector paused: one json.loads of 30 MB held the GIL (the window stalled)
                # for 1.6 s, and collections over millions of new dicts for 200+ ms each; now gaps stay < ~50 ms.
                # The tree is frozen before the collector resumes: all of it is young, so the first collection
                # after gc.enable() (on whichever thread allocates next) would walk it whole.
                collecting = gc.isenabled()
                gc.disable()
                try:
                    self._value = loads_in_steps(self.store.read(0, self.store.size).decode("utf-8-sig", "replace"))
                    self._frozen = True
                    _freeze()
                except json.JSONDecodeError as exc:
                    self._error = (f"The body is not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg}), "
                                   "so JSONPath cannot be applied.")
                except RecursionError:
                    self._error = "The body nests too deeply to be read as JSON, so JSONPath cannot be applied."
                finally:
                    if collecting:
                        gc.enable()
                self._done = True
            if self._dropped:  # released while parsing: the tree is nobody's
                self._drop()
                raise ValueError("Another body is shown now.")
            if self._error:
                raise ValueError(self._error)
            return self._value


def evaluate(parsed: _Parsed, expression: str) -> tuple[str, str]:
    """(result text, sentence) for ``expression`` over the body. Never raises."""
    import jsonpath  # 40 ms of imports: paid on the first filter, not at start-up

    from app.core.jsonpath_rules import QueryRefused, compile_path

    try:
        query = compile_path(expression)  # the rules ?? body lines use: no catastrophic regex, one '..'
    except QueryRefused as exc:
        return "", f"“{expression}” is refused: {exc}."
    except jsonpath.JSONPathError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return "", f"“{expression}” is not a JSONPath expression this app understands: {first}."
    if ".." in expression and parsed.store.size > MAX_WALK:
        return "", (f"'..' walks the whole body, and this one is over {human_size(MAX_WALK)}: write the path down "
                    "from $ instead (like $.items[*].id).")
    try:
        values = [m.obj for m in itertools.islice(query.finditer(parsed.value()), MAX_VALUES + 1)]
    except QueryRefused as exc:
        return "", f"The expression was stopped: {exc}."
    except ValueError as exc:
        return "", str(exc)
    except (jsonpath.JSONPathError, OSError) as exc:
        return "", f"The expression could not be applied: {str(exc).splitlines()[0] if str(exc) else exc}."
    if not values:
        return "", f"Nothing in the body matches {expression}."
    more = len(values) > MAX_VALUES
    values = values[:MAX_VALUES]
    text = json.dumps(values if len(values) > 1 else values[0], indent=2, ensure_ascii=False)
    count = f"{len(values):,} value{'s' if len(values) != 1 else ''}"
    if more:
        count = f"More than {MAX_VALUES:,} values: the first {MAX_VALUES:,} are shown"
    if len(text) > MAX_RESULT_CHARS:
        return text[:MAX_RESULT_CHARS], f"{count}; the first {human_size(MAX_RESULT_CHARS)} of the result shown."
    return text, f"{count}."


class JsonPathFilter(QWidget):
    """The field (``jsonPathField``), a status sentence (``jsonPathStatus``) and the result (``jsonPathResult``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("jsonPathFilter")
        self.field = QLineEdit()
        self.field.setObjectName("jsonPathField")
        self.field.setAccessibleName("JSONPath filter")
        self.field.setPlaceholderText("Filter with JSONPath, e.g. $.items[*].id (Enter)")
        self.field.setClearButtonEnabled(True)
        self.status = QLabel()
        self.status.setObjectName("jsonPathStatus")
        self.status.setAccessibleName("JSONPath result")
        self.status.setWordWrap(True)
        self.result = text_edit("jsonPathResult", "Values matched by the JSONPath expression")
        self.result.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel("JSONPath:"))
        row.addWidget(self.field, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.status)
        lay.addWidget(self.result)
        self.pending = False
        self._parsed: _Parsed | None = None
        self._holder = [None]  # the parsed tree, released by set_store(None) or release_parsed_bodies()
        self._gen = 0
        self._inbox = Inbox(self._on_result)
        self._timer = QTimer(self, singleShot=True, interval=400)
        self._timer.timeout.connect(self.run)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self.run)
        self.set_store(None)

    def set_store(self, store: ByteStore | None) -> None:
        """A new body (None: no JSON body; the field hides)."""
        self._gen += 1
        self.pending = False
        if self._parsed is not None:
            self._parsed.release()
        self._parsed = self._holder[0] = _Parsed(store) if store is not None else None
        self.setVisible(store is not None)
        self._show("", "")
        if store is not None and store.size > MAX_BODY:
            self._parsed = None
            self.status.setText(f"JSONPath works on bodies up to {human_size(MAX_BODY)}; this one is "
                                f"{human_size(store.size)} (use Find instead).")
        elif store is not None and self.field.text().strip():
            self.run()

    def run(self) -> None:
        self._timer.stop()
        expression = self.field.text().strip()
        self._gen += 1
        if self._parsed is None or not expression:
            self.pending = False
            if self._parsed is not None:
                self._show("", "")
            return
        gen, parsed, inbox = self._gen, self._parsed, self._inbox
        self.pending = True
        self.status.setText("Applying…")
        workers.submit(lambda: inbox.post((gen, evaluate(parsed, expression))))

    def _on_result(self, payload) -> None:
        gen, (text, sentence) = payload
        if gen != self._gen:
            return
        self.pending = False
        self._show(text, sentence)

    def _show(self, text: str, sentence: str) -> None:
        self.status.setText(sentence)
        self.status.setVisible(bool(sentence))
        self.result.setPlainText(text)
        lines = min(text.count("\n") + 1, 10)  # as tall as the result, up to ten lines
        self.result.setFixedHeight(self.result.fontMetrics().lineSpacing() * lines + 14)
        self.result.setVisible(bool(text))


def release_parsed_bodies(area: QWidget) -> None:
    """Release every parsed JSON tree held under ``area`` (a tab being closed, a window closing). PySide does not
    call a slot on ``destroyed`` reliably, and a tree kept under gc.freeze() keeps every object of the session out
    of the collector's reach: the owner of a tab says when it goes."""
    for view in area.findChildren(JsonPathFilter):
        view.set_store(None)
