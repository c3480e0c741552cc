"""Starting the GUI: display check, QApplication, qasync loop, the main window (and the ``--smoke`` check)."""

from __future__ import annotations

import os
import sys

NO_DISPLAY = ("No display found: run with QT_QPA_PLATFORM=offscreen for a check, or under xvfb-run "
              "(xvfb-run -a request-inspector).")
SMOKE_SECONDS = 1.0


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
    """
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    os.environ.setdefault("QT_API", "pyside6")
    import asyncio

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import qasync

    app = QApplication.instance() or QApplication(["request-inspector", *argv])
    app.setApplicationName("Request Inspector")
    app.setOrganizationName("request-inspector")
    app.setDesktopFileName("request-inspector")
    # main() ends the loop itself once the last window closed and its workers were waited for (window.aclose()).
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from app.ui import workers

    async def main() -> int:
        from app.ui.main_window import MainWindow

        window = MainWindow()
        if api_docs:
            window.after_first_paint(lambda: window.load_api_docs(api_docs))
        closed = asyncio.get_running_loop().create_future()

        def on_last_window() -> None:
            if not closed.done():
                closed.set_result(None)

        app.lastWindowClosed.connect(on_last_window)
        window.show()
        if smoke:
            QTimer.singleShot(int(SMOKE_SECONDS * 1000), window.close)
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
