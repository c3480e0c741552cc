"""Start-up benchmark: process start → first painted main window, through the real entry point, vs a bare window.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_startup.py [--runs 7]

Ours: the installed console script ``request-inspector`` (what a user starts) with
``REQUEST_INSPECTOR_EXIT_AFTER_PAINT=1``: the GUI prints ``first-paint <time.time()>`` when the main window first
paints, then closes itself. Baseline: a fresh interpreter that imports PySide6, shows a QMainWindow holding a QLabel
and prints the same line at its first paint. The parent notes time.time() just before each spawn and subtracts.
Runs are interleaved (bare, first launch, returning user, ...) so all three see the same machine load; medians.
The CPU time each process used until its first paint is printed too: on a loaded machine it moves less than wall
time, so it shows what start-up itself costs.

"First launch" starts with an empty data folder each run (two example tabs, practice server); "returning user"
reuses one folder that earlier runs filled (saved tabs, geometry, history file); "a token in an open tab" reuses a
folder whose saved tab carries a bearer token and an access_token (its draft is sealed: the key store is read
after the first paint). ``app`` is byte-compiled first,
as pip and PyInstaller do for users (this environment may set PYTHONDONTWRITEBYTECODE).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import children  # noqa: E402
from children import BARE_WINDOW, compile_app, user_env  # noqa: E402
from table import Figure, report  # noqa: E402

WITH_TOKEN = r"""
import asyncio, qasync
from PySide6.QtWidgets import QApplication
app = QApplication(["prepare"])
loop = qasync.QEventLoop(app); asyncio.set_event_loop(loop)
from app.core.draft import Auth, RequestDraft
from app.ui.main_window import MainWindow
w = MainWindow(demo_url="http://127.0.0.1:9")
w.new_tab(RequestDraft(url="http://127.0.0.1:9/orders?access_token=t0k3n", auth=Auth(kind="bearer", token="t0k3n")))
w.shutdown()
"""


def _env(home: str) -> dict[str, str]:
    return user_env(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), REQUEST_INSPECTOR_HOME=home,
                    REQUEST_INSPECTOR_EXIT_AFTER_PAINT="1")


def first_paint(cmd: list[str], home: str) -> tuple[float, float]:
    return children.first_paint(cmd, _env(home))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    compile_app()
    entry = Path(sys.executable).with_name("request-inspector")
    if not entry.exists():
        raise SystemExit(f"{entry} is missing: install the package first (make test)")
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    kinds = ("bare", "first", "returning", "token")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    cpu: dict[str, list[float]] = {k: [] for k in kinds}
    with tempfile.TemporaryDirectory() as returning_home, tempfile.TemporaryDirectory() as scratch, \
            tempfile.TemporaryDirectory() as token_home:
        first_paint([str(entry)], returning_home)  # the returning user has been here once
        env = dict(_env(token_home), REQUEST_INSPECTOR_EXIT_AFTER_PAINT="")
        subprocess.run([sys.executable, "-c", WITH_TOKEN], cwd=ROOT, env=env, check=True, capture_output=True,
                       timeout=120)  # a tab with a token: its draft is sealed in the settings
        for i in range(args.runs):
            fresh = os.path.join(scratch, f"home{i}")
            for kind, cmd, home in (("bare", bare_cmd, returning_home), ("first", [str(entry)], fresh),
                                    ("returning", [str(entry)], returning_home), ("token", [str(entry)], token_home)):
                wall, used = first_paint(cmd, home)
                times[kind].append(wall)
                cpu[kind].append(used)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    med_cpu = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
    for k, v in times.items():
        print(f"{k:10s} wall (ms): {', '.join(f'{x * 1000:.0f}' for x in v)}   "
              f"CPU (ms): {', '.join(f'{x * 1000:.0f}' for x in cpu[k])}")
    report([
        Figure("start → first paint, returning user", med["returning"], "ms", med["bare"], "bare PySide6 window",
               max_ratio=1.3),
        Figure("start → first paint, first launch", med["first"], "ms", med["bare"], "bare PySide6 window",
               max_ratio=1.3),
        Figure("start → first paint, a token in an open tab", med["token"], "ms", med["bare"],
               "bare PySide6 window", max_ratio=1.3),
        Figure("CPU until first paint, returning user", med_cpu["returning"], "ms", med_cpu["bare"],
               "bare PySide6 window", note="less sensitive to other load than wall time"),
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
