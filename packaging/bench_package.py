"""Installer figures: .deb size, build time, installed size, the installed app's start → first paint vs a bare window.

    sudo .venv/bin/python packaging/bench_package.py [--runs 5] [--skip-build]

Builds with packaging/build_deb.py (unless --skip-build: then the .deb already in dist/ is measured and the build time
comes from build/deb/last-build.json, which build_deb.py writes), installs the .deb with apt-get, measures, and purges
the package. Start → first paint: the parent notes time.time() right before spawning; the child prints
``first-paint <time.time()>`` when its main window first paints and exits. The installed app does that when
REQUEST_INSPECTOR_EXIT_AFTER_PAINT=1 (app/ui/launch.py); the baseline is a bare PySide6 QMainWindow with a QLabel run
by this checkout's Python. Runs alternate installed/bare (after one unrecorded warm-up of each) so both see the same
machine load; the medians are reported. Offscreen Qt unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = "request-inspector"
LAUNCHER = f"/usr/bin/{PKG}"
LAST_BUILD = ROOT / "build" / "deb" / "last-build.json"
sys.path.insert(0, str(ROOT / "tests" / "bench"))
import children  # noqa: E402
from children import BARE_WINDOW, compile_app, user_env  # noqa: E402
from table import Figure, report  # noqa: E402

def _apt(*args: str) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "-qq", *args], check=True, env=env, stdout=subprocess.DEVNULL)


def first_paint(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning ``cmd`` to its first painted window (the ``first-paint`` line it prints)."""
    return children.first_paint(cmd, env)[0]


def build() -> tuple[float, str]:
    res = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_deb.py")], cwd=ROOT, capture_output=True,
                         text=True)
    if res.returncode != 0:
        raise SystemExit(f"build_deb.py failed:\n{res.stdout[-3000:]}{res.stderr[-3000:]}")
    line = next(ln for ln in res.stdout.splitlines() if "build time" in ln).strip()
    return float(re.search(r"build time: ([\d.]+) s", line).group(1)), line


def last_build(deb: Path) -> float | None:
    """The build time build_deb.py recorded for this very .deb (same name and size), if it did."""
    try:
        rec = json.loads(LAST_BUILD.read_text())
    except (OSError, ValueError):
        return None
    if rec.get("deb") == deb.name and rec.get("bytes") == deb.stat().st_size and rec.get("pyinstaller"):
        return float(rec["seconds"])
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="first-paint runs of each (median reported; default 5)")
    ap.add_argument("--skip-build", action="store_true", help="measure the .deb already in dist/")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        print("This benchmark installs the .deb with apt-get: run it as root.", file=sys.stderr)
        return 1

    sys.path.insert(0, str(ROOT))
    from app import __version__

    rows: list[Figure] = []
    build_s: float | None
    if args.skip_build:
        build_note = "recorded by the build_deb.py run that made this .deb"
    else:
        build_s, line = build()
        print(line)
        build_note = "packaging/build_deb.py, this run"
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    deb = ROOT / "dist" / f"{PKG}_{__version__}_{arch}.deb"
    if not deb.exists():
        print(f"No {deb.relative_to(ROOT)}: run `make package` first (or drop --skip-build).", file=sys.stderr)
        return 1
    if args.skip_build:
        build_s = last_build(deb)
    rows.append(Figure(".deb size", round(deb.stat().st_size / 1e6, 1), "MB", max_value=55, note=deb.name))
    if build_s is not None:
        rows.append(Figure("build time", round(build_s, 1), "s", max_value=180,
                           note=f"PyInstaller + staging + dpkg-deb, {os.cpu_count()} cores; {build_note}"))
    else:
        print("build time: unknown for this .deb (not built by build_deb.py with PyInstaller since); not reported")

    env = user_env(drop=("VIRTUAL_ENV", "PYTHONPATH"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["REQUEST_INSPECTOR_EXIT_AFTER_PAINT"] = "1"
    _apt("install", "-y", "--no-install-recommends", str(deb))
    try:
        du_kib = int(subprocess.run(["du", "-sk", f"/opt/{PKG}"], capture_output=True, text=True).stdout.split()[0])
        rows.append(Figure("installed size", round(du_kib * 1024 / 1e6, 1), "MB", note=f"du -sk /opt/{PKG}"))
        python = str(ROOT / ".venv" / "bin" / "python")
        compile_app(python)
        times: dict[str, list[float]] = {"installed": [], "bare": [], "source": []}
        cmds = {"installed": [LAUNCHER], "bare": [python, "-c", BARE_WINDOW], "source": [python, "-m", "app"]}
        with tempfile.TemporaryDirectory() as home:
            env["REQUEST_INSPECTOR_HOME"] = home
            for cmd in cmds.values():  # warm-up: the first start after installing reads the files from disk
                first_paint(cmd, env)
            for _ in range(args.runs):  # alternate, so all see the same machine load
                for kind, cmd in cmds.items():
                    times[kind].append(first_paint(cmd, env))
        med = {kind: round(statistics.median(xs), 3) for kind, xs in times.items()}
        runs = "; ".join(f"{kind} {', '.join(f'{x:.3f}' for x in xs)}" for kind, xs in times.items())
        rows.append(Figure("installed app: start → first paint", med["installed"], "s", baseline=med["bare"],
                           baseline_name="bare PySide6 window", max_ratio=1.3,
                           note=f"median of {args.runs}, {env['QT_QPA_PLATFORM']}; runs: {runs}"))
        # What packaging itself adds: the same app from this checkout (python -m app), in the same interleaved runs.
        rows.append(Figure("installed vs from source: first paint", med["installed"], "s", baseline=med["source"],
                           baseline_name="python -m app"))
    finally:
        _apt("purge", "-y", PKG)
    report(rows)
    for row in rows:
        if row.note:
            print(f"  {row.figure}: {row.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
