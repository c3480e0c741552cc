"""What the benchmarks' child processes share: a user's Python, and the bare window start-up is compared with.

Users have .pyc files (pip and PyInstaller write them); this environment may set PYTHONDONTWRITEBYTECODE, so a
child must get ``user_env()`` after ``compile_app()``, or every start would compile the app from source.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The baseline of every start-up figure: the least a PySide6 window costs, printing the line the app prints with
# REQUEST_INSPECTOR_EXIT_AFTER_PAINT=1 (app/ui/launch.py) at its main window's first paint.
BARE_WINDOW = r"""
import sys, time
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
class Watch(QObject):
    def eventFilter(self, obj, ev):
        if obj is win and ev.type() == QEvent.Type.Paint:
            print(f"first-paint {time.time():.6f} cpu {time.process_time():.4f}", flush=True)
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False
app = QApplication(["bench"])
win = QMainWindow(); win.setCentralWidget(QLabel("bare")); win.resize(1200, 820)
w = Watch(); app.installEventFilter(w)
win.show()
app.exec()
"""


def compile_app(python: str = sys.executable) -> None:
    """Byte-compile ``app`` as pip would have."""
    subprocess.run([python, "-m", "compileall", "-q", str(ROOT / "app")], cwd=ROOT, check=False)


def user_env(*, drop: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """This process's environment with bytecode allowed (and ``drop`` removed), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE" and k not in drop}
    env.update(extra)
    return env


def first_paint(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall seconds from spawning ``cmd`` to its first painted window, CPU seconds it used until then)."""
    t0 = time.time()
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    for line in out.stdout.splitlines():
        if line.startswith("first-paint "):
            fields = line.split()
            return float(fields[1]) - t0, float(fields[3])
    raise SystemExit(f"{' '.join(cmd)}: no first paint (exit {out.returncode}): {out.stderr.strip()[-800:]}")
