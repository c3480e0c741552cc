"""The window's task group on a plain asyncio loop: tasks are held until done, closing waits or cancels,
and a task meeting deleted widgets after its window closed ends quietly (and only then)."""

from __future__ import annotations

import asyncio

import pytest

from app.ui.tasks import TaskGroup


def run(coro):
    return asyncio.run(coro)


def test_spawned_tasks_are_pending_until_done_and_when_idle_waits_for_all():
    async def main():
        group = TaskGroup(lambda: True)
        gate = asyncio.Event()
        a = group.spawn(gate.wait())
        b = group.spawn(asyncio.sleep(0))
        idle = []
        group.when_idle(lambda: idle.append(True))
        await b
        assert group.pending() == [a] and idle == []
        gate.set()
        await a
        await asyncio.sleep(0)
        assert group.pending() == [] and idle == [True]
        group.when_idle(lambda: idle.append("now"))  # nothing running: at once
        assert idle == [True, "now"]

    run(main())


def test_wait_cancels_work_only_worth_having_while_open_and_is_bounded():
    async def main():
        group = TaskGroup(lambda: True)
        capture = group.adopt(asyncio.ensure_future(asyncio.sleep(60)), cancel_at_exit=True)
        stuck = group.spawn(asyncio.sleep(60))
        await group.wait(timeout=0.05)
        assert capture.cancelled()
        assert not stuck.done()  # bounded wait: still running, not awaited forever
        stuck.cancel()

    run(main())


def test_deleted_widgets_after_close_end_quietly_but_not_before():
    async def fails():
        raise RuntimeError("Internal C++ object (HistoryPanel) already deleted.")

    async def main():
        alive = [True]
        group = TaskGroup(lambda: alive[0])
        with pytest.raises(RuntimeError):
            await group.spawn(fails())  # the window is open: a real bug, not hidden
        alive[0] = False
        assert await group.spawn(fails()) is None
        group.closed, alive[0] = True, True
        assert await group.spawn(fails()) is None

    run(main())
