"""One task group per window: every background coroutine of the window's parts is spawned, kept and awaited here.

Parts never call ``asyncio.ensure_future`` themselves: a task nobody holds can be garbage-collected mid-way, and a
window closing must know what is still running (history writes finish before the history file is closed).
A coroutine that meets deleted widgets after its window closed (``RuntimeError: Internal C++ object already
deleted``) stops quietly instead of raising into the loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


class TaskGroup:
    def __init__(self, window_alive: Callable[[], bool]) -> None:
        self._window_alive = window_alive
        self._tasks: set[asyncio.Future] = set()
        self._cancel_at_exit: set[asyncio.Future] = set()
        self.closed = False

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task:
        """Run ``coro`` on the loop, held until it ends."""
        task = asyncio.ensure_future(self._quiet_after_close(coro))
        self.adopt(task)
        return task

    def adopt(self, task: asyncio.Future, cancel_at_exit: bool = False) -> asyncio.Future:
        """Hold a task started elsewhere (a triage view's load) so closing waits for it, or cancels it."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        if cancel_at_exit:
            self._cancel_at_exit.add(task)
            task.add_done_callback(self._cancel_at_exit.discard)
        return task

    def pending(self) -> list[asyncio.Future]:
        return [t for t in self._tasks if not t.done()]

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once every task running now has ended (at once when none runs)."""
        pending = self.pending()
        if not pending:
            callback()
            return

        def one_done(_task) -> None:
            if all(t.done() for t in pending):
                callback()

        for task in pending:
            task.add_done_callback(one_done)

    async def wait(self, timeout: float) -> None:
        """Wait (bounded: a worker stuck in a huge file must not hold the exit forever) for what still runs;
        work that is only worth having while the window is open (reading a capture) is cancelled first."""
        for task in list(self._cancel_at_exit):
            task.cancel()
        pending = self.pending()
        if pending:
            await asyncio.wait(pending, timeout=timeout)

    async def _quiet_after_close(self, coro):
        try:
            return await coro
        except RuntimeError:
            if self.closed or not self._window_alive():
                return None  # e.g. a history refresh finishing after its panel was deleted
            raise
