"""Qt + qasync wiring for GUI tests (see DESIGN.md: pytest-qt manages no asyncio loop)."""

from __future__ import annotations

import asyncio
import gc

import pytest


@pytest.fixture
def qloop(qapp):
    """A qasync event loop running on the Qt application for the duration of one test.

    ``already_running=True`` because pytest-qt drives the Qt event loop itself (qtbot.wait*), so asyncio
    code (httpx, asyncSlot coroutines) finds a running loop. On teardown leftover tasks are cancelled and
    pumped to completion so one test cannot leak a running loop into the next.
    """
    import qasync

    from app.ui import workers

    loop = qasync.QEventLoop(qapp, already_running=True)
    workers.install(loop)  # as app.ui.launch does: Python worker threads, not qasync's QThreads
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
        # Work handed to threads (history writes, HAR parsing, the httpx warm-up) may outlive the test. When it
        # finishes it calls loop.call_soon_threadsafe, which qasync turns into a signal on one of the loop's
        # QObjects: after loop.close() that object is gone and the late call crashed the NEXT test (segfault inside
        # Qt's event loop, ~1 run in 8). Wait for those threads and deliver their results now.
        workers.drain()
        for _ in range(20):
            qapp.processEvents()
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
        # Collect this test's widgets now, on the GUI thread, at a quiet moment: left to the cyclic GC they were
        # destroyed in the middle of a later test's event processing (or from a thread that dropped the last
        # reference), a use-after-free that segfaulted about one run in eight.
        for _ in range(3):
            qapp.processEvents()
        gc.collect()
        qapp.processEvents()


@pytest.fixture
def ri_home(tmp_path, monkeypatch):
    """Settings, history and temp files of the app under test go to a throwaway folder."""
    home = tmp_path / "ri-home"
    home.mkdir()
    monkeypatch.setenv("REQUEST_INSPECTOR_HOME", str(home))
    return home
