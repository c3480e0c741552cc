"""Qt + qasync wiring for GUI tests (see DESIGN.md: pytest-qt manages no asyncio loop)."""

from __future__ import annotations

import asyncio

import pytest


@pytest.fixture
def qloop(qapp):
    """A qasync event loop running on the Qt application for the duration of one test.

    ``already_running=True`` because pytest-qt drives the Qt event loop itself (qtbot.wait*), so asyncio
    code (httpx, asyncSlot coroutines) finds a running loop. On teardown leftover tasks are cancelled and
    pumped to completion so one test cannot leak a running loop into the next.
    """
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
    finally:
        pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in pending:
            task.cancel()
        deadline = 200
        while pending and deadline:
            qapp.processEvents()
            pending = [t for t in pending if not t.done()]
            deadline -= 1
        asyncio.events._set_running_loop(None)
        # Not loop.stop(): with already_running=True it calls QApplication.exit(), after which Qt's local event
        # loops return at once and the NEXT test's qasync loop never runs a callback. Mark it stopped instead.
        loop._QEventLoop__is_running = False
        try:
            qapp.aboutToQuit.disconnect(loop._after_run_forever)
        except (RuntimeError, TypeError):
            pass
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture
def ri_home(tmp_path, monkeypatch):
    """Settings, history and temp files of the app under test go to a throwaway folder."""
    home = tmp_path / "ri-home"
    home.mkdir()
    monkeypatch.setenv("REQUEST_INSPECTOR_HOME", str(home))
    return home
