"""Shared helpers for the workspace tests: a practice server and MainWindow factory on the qasync loop."""

from __future__ import annotations

import time

import pytest

from app.core.clock import ManualClock
from app.ui.main_window import MainWindow


NO_SERVER = "http://127.0.0.1:9"  # the discard port: nothing listens, and no practice server is started


@pytest.fixture
def make_window(request, qtbot, qloop, ri_home):
    """Windows pointed at the practice server when the test asks for ``demo``; otherwise at nothing (no server)."""
    made = []
    base = request.getfixturevalue("demo") if "demo" in request.fixturenames else NO_SERVER

    def make(**kwargs) -> MainWindow:
        kwargs.setdefault("demo_url", base)
        kwargs.setdefault("clock", ManualClock(time.time()))
        w = MainWindow(**kwargs)
        qtbot.addWidget(w)
        w.show()
        made.append(w)
        qtbot.waitUntil(lambda: w.workspace.ready, timeout=10000)
        return w

    yield make
    for w in made:
        task = qloop.create_task(w.aclose())
        qtbot.waitUntil(task.done, timeout=5000)
        w.workspace.close()


def send_and_wait(qtbot, tab, timeout: int = 10000) -> None:
    tab.request_send()
    qtbot.waitUntil(lambda: not tab.busy, timeout=timeout)


def wait_task(qtbot, task, timeout: int = 10000):
    qtbot.waitUntil(task.done, timeout=timeout)
    return task.result()
