"""Starting the GUI: display check, QApplication, qasync loop, the main window (and the ``--smoke`` check)."""

from __future__ import annotations

import os
import sys

NO_DISPLAY = ("No display found: run with QT_QPA_PLATFORM=offscreen for a check, or under xvfb-run "
              "(xvfb-run -a request-inspector).")
SMOKE_SECONDS = 1.0
# Benchmarks: print the first paint's time.time() and close (tests/bench/bench_startup.py, packaging/bench_package.py).
EXIT_AFTER_PAINT = "REQUEST_INSPECTOR_EXIT_AFTER_PAINT"


def has_display(environ=os.environ, platform: str = sys.platform) -> bool:
    """False on Linux/BSD without DISPLAY/WAYLAND_DISPLAY when no Qt platform is forced (Qt would abort)."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    if environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def run_gui(argv: list[str], smoke: bool = False, api_docs: str | None = None) -> int:
    """Run the window until it closes; with ``smoke`` show it for about a second, print "ok" and return 0.

    ``api_docs``: another API's markdown error page to explain statuses with (``--api-docs FILE``).

    Paint first, then do the rest: the window's first stage (what the first paint shows) is built and painted
    before asyncio, qasync and everything else load; keys typed meanwhile wait in Qt's queue for the real widgets.
    With ``REQUEST_INSPECTOR_EXIT_AFTER_PAINT=1`` (benchmarks) it prints
    ``first-paint <time.time()> cpu <process seconds>`` at that paint and closes itself once it is complete.
    """
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    os.environ.setdefault("QT_API", "pyside6")
    import gc

    # Start-up creates thousands of long-lived objects (modules, classes, widgets): collecting them now only
    # costs time. Collection resumes once the window is complete.
    gc.disable()
    try:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication(["request-inspector", *argv])
        app.setApplicationName("Request Inspector")
        app.setOrganizationName("request-inspector")
        app.setDesktopFileName("request-inspector")
        # main() ends the loop itself once the last window closed and its workers were waited for (aclose()).
        app.setQuitOnLastWindowClosed(False)
        from app.ui.main_window import MainWindow

        window = MainWindow(staged=True)
        window.show()
        painted_at = window.wait_for_first_paint()
        exit_after_paint = os.environ.get(EXIT_AFTER_PAINT) == "1"
        if exit_after_paint and painted_at is not None:
            import time

            print(f"first-paint {painted_at:.6f} cpu {time.process_time():.4f}", flush=True)

        import asyncio

        import qasync

        from app.ui import workers

        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        workers.install(loop)
        window.complete()
    finally:
        gc.enable()
    if api_docs:
        window.after_first_paint(lambda: window.load_api_docs(api_docs))

    async def main() -> int:
        from PySide6.QtCore import QTimer

        closed = asyncio.get_running_loop().create_future()

        def on_last_window() -> None:
            if not closed.done():
                closed.set_result(None)

        app.lastWindowClosed.connect(on_last_window)
        if not window.isVisible():  # closed while its first stage painted: nothing more will close it
            on_last_window()
        if smoke:
            QTimer.singleShot(int(SMOKE_SECONDS * 1000), window.close)
        elif exit_after_paint:
            QTimer.singleShot(0, window.close)
        await closed
        await window.aclose()
        workers.drain()
        return 0

    try:
        with loop:
            code = loop.run_until_complete(main())
    except KeyboardInterrupt:
        return 130
    if smoke:
        print("ok")
    return code
