"""Start-up benchmark: median seconds from process start to the first painted main window vs a bare PySide6 window.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_startup.py [runs]   (5 runs each by default)
Each run is a fresh interpreter; the child prints the time from its start (Python's own process start time is not
portable, so the parent's spawn time is used) to the first paint event of the window.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import sys, time
T0 = float(sys.argv[1])
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print(f"{time.time() - T0:.4f}", flush=True)
            QTimer.singleShot(0, app.quit)
            app.removeEventFilter(self)
        return False
app = QApplication(["bench"])
w = Watch(); app.installEventFilter(w)
if sys.argv[2] == "bare":
    win = QMainWindow(); win.setCentralWidget(QLabel("bare")); win.resize(1200, 820)
else:
    import asyncio, qasync
    loop = qasync.QEventLoop(app); asyncio.set_event_loop(loop)
    from app.ui.main_window import MainWindow
    win = MainWindow()
win.show()
app.exec()
"""


def run(kind: str, home: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), REQUEST_INSPECTOR_HOME=home)
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, repr(t0), kind], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)
    lines = [ln for ln in out.stdout.splitlines() if ln.strip()]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"{kind} run failed: {out.stderr.strip()[-500:]}")
    return float(lines[0])


def main(argv: list[str]) -> int:
    runs = int(argv[0]) if argv else 5
    results: dict[str, list[float]] = {"bare": [], "app": []}
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):  # interleaved, same conditions for both
            for kind in results:
                results[kind].append(run(kind, home))
    for kind, values in results.items():
        label = "bare PySide6 window" if kind == "bare" else "Request Inspector"
        print(f"{label:22s} median {statistics.median(values):.3f} s  (runs: {', '.join(f'{v:.3f}' for v in values)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
