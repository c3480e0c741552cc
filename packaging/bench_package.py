"""Installer figures: build time, .deb size, installed size, start-up of the installed app vs from source.

    sudo .venv/bin/python packaging/bench_package.py [--runs 5] [--skip-build]

Builds with packaging/build_deb.py (unless --skip-build), installs the .deb with apt-get, times `--smoke` (offscreen)
of the installed launcher and of `.venv/bin/python -m app`, alternating, in the same run, then purges the package.
`--smoke` keeps the window up for app.ui.launch.SMOKE_SECONDS; "start-up" below is the total minus that wait.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = "request-inspector"


def _apt(*args: str) -> None:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "-qq", *args], check=True, env=env, stdout=subprocess.DEVNULL)


def _time(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t0
    if res.returncode != 0 or "ok" not in res.stdout.split():
        raise SystemExit(f"{' '.join(cmd)} --smoke failed:\n{res.stdout}{res.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-build", action="store_true", help="measure the .deb already in dist/")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        print("This benchmark installs the .deb with apt-get: run it as root.", file=sys.stderr)
        return 1

    sys.path.insert(0, str(ROOT))
    from app import __version__
    from app.ui.launch import SMOKE_SECONDS

    if not args.skip_build:
        out = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_deb.py")], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        print(next(line for line in out.splitlines() if "build time" in line).strip())
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    deb = ROOT / "dist" / f"{PKG}_{__version__}_{arch}.deb"
    print(f".deb size: {deb.stat().st_size / 2**20:.1f} MiB ({deb.name})")

    _apt("install", "-y", "--no-install-recommends", str(deb))
    try:
        du = subprocess.run(["du", "-sk", f"/opt/{PKG}"], capture_output=True, text=True).stdout.split()[0]
        print(f"installed size: {int(du) / 1024:.1f} MiB (du -sk /opt/{PKG})")
        with tempfile.TemporaryDirectory() as home:
            env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
            env.update(QT_QPA_PLATFORM="offscreen", REQUEST_INSPECTOR_HOME=home)
            installed_cmd = [f"/usr/bin/{PKG}", "--smoke"]
            source_cmd = [str(ROOT / ".venv" / "bin" / "python"), "-m", "app", "--smoke"]
            installed: list[float] = []
            source: list[float] = []
            for _ in range(args.runs):  # alternate, so both see the same machine load
                installed.append(_time(installed_cmd, env))
                source.append(_time(source_cmd, env))
        for name, xs in (("installed", installed), ("from source", source)):
            med = statistics.median(xs)
            print(f"--smoke {name}: median {med:.2f} s of {args.runs} (start-up ≈ {med - SMOKE_SECONDS:.2f} s "
                  f"+ {SMOKE_SECONDS:g} s shown); runs {', '.join(f'{x:.2f}' for x in xs)}")
    finally:
        _apt("purge", "-y", PKG)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
