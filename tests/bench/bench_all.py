"""Every benchmark, one table: figure, ours, baseline, ratio, goal, verdict (what `make bench` runs).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_all.py [--quick] [--only NAME ...] [--verbose]
                                                                        [--json FILE]

Runs each bench script (tests/bench/bench_*.py and packaging/bench_package.py) in its own process with
``BENCH_JSON=1``, collects the ``BENCH {json}`` lines each prints through tests/bench/table.py, and prints one table,
grouped: start-up, CLI, history, receiving, GUI gaps, big files, installer. Below it: the notes of the figures that
missed their goal, and the scripts that were skipped or failed.

- ``--quick`` passes smaller sizes and fewer runs to the scripts that take them (and sets ``BENCH_QUICK=1`` for the
  others): a few minutes instead of about ten on 2 cores. Quick figures are for a glance, not for the README.
- ``--only NAME`` runs only the scripts whose name contains NAME (repeatable): ``--only receive --only har``.
- A missing script is skipped with a note (other benchmarks are still being written); packaging/bench_package.py runs
  only as root (it installs the .deb with apt-get and purges it), with ``--skip-build`` when dist/ already holds this
  version's .deb, else it builds one first.
- The exit status is 1 when a script crashed, timed out or printed no figures; a missed goal does not change it
  (the verdict column shows it).

Child processes get an environment without PYTHONDONTWRITEBYTECODE after ``compileall`` (users have .pyc files).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from children import compile_app, user_env  # noqa: E402
from table import PREFIX, Figure, format_table  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"
TIMEOUT = 20 * 60  # seconds one script may take before it counts as hung


@dataclass
class Script:
    group: str
    path: str  # relative to ROOT
    args: list[str] = field(default_factory=list)
    quick: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.path).name


# In the order of the table. Scripts not listed here but present as tests/bench/bench_*.py run last ("other").
SCRIPTS = [
    Script("start-up", "tests/bench/bench_startup.py"),
    Script("CLI", "tests/bench/bench_cli.py"),
    Script("CLI", "tests/bench/bench_diagnose.py"),
    Script("history", "tests/bench/bench_history.py"),
    Script("receiving", "tests/bench/bench_receive.py", ["--runs", "3"], ["--runs", "1"]),
    Script("GUI gaps", "tests/bench/bench_gui_gaps.py", ["--runs", "5"], ["--runs", "2"]),
    Script("big files", "tests/bench/bench_har.py", ["--runs", "3"], ["--runs", "1", "--entries", "20000"]),
    Script("big files", "tests/bench/bench_body_view.py", [],
           ["--json-mb", "20", "--text-mb", "50", "--jsonpath-mb", "10"]),
    Script("big files", "tests/bench/bench_compare.py", [], ["--mb", "5"]),
    Script("big files", "tests/bench/bench_openapi.py", [], ["--mb", "3"]),
    Script("big files", "tests/bench/bench_raw_http.py", [], ["--timeout", "10"]),
    Script("installer", "packaging/bench_package.py", ["--runs", "5"], ["--runs", "2"]),
]
SELF = {"bench_all.py"}


@dataclass
class Outcome:
    script: Script
    figures: list[Figure] = field(default_factory=list)
    status: str = "ok"  # ok | skipped | failed
    reason: str = ""
    seconds: float = 0.0


def all_scripts() -> list[Script]:
    listed = {s.path for s in SCRIPTS}
    extra = [Script("other", str(p.relative_to(ROOT))) for p in sorted(BENCH.glob("bench_*.py"))
             if p.name not in SELF and str(p.relative_to(ROOT)) not in listed]
    return SCRIPTS + extra


def child_env(quick: bool) -> dict[str, str]:
    env = user_env(BENCH_JSON="1", QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), PYTHONUNBUFFERED="1")
    if quick:
        env["BENCH_QUICK"] = "1"
    else:
        env.pop("BENCH_QUICK", None)
    return env


def package_args(script: Script, quick: bool) -> tuple[list[str] | None, str]:
    """The installer benchmark's arguments, or None and why it is skipped."""
    if os.geteuid() != 0:
        return None, "needs root: it installs the .deb with apt-get (run `sudo make bench`)"
    args = list(script.quick if quick else script.args)
    try:
        sys.path.insert(0, str(ROOT))
        from app import __version__

        arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    except Exception as exc:  # no dpkg: not a Debian-like system
        return None, f"cannot tell the .deb's name here ({type(exc).__name__}: {exc})"
    deb = ROOT / "dist" / f"request-inspector_{__version__}_{arch}.deb"
    if deb.exists():
        return args + ["--skip-build"], f"measured {deb.relative_to(ROOT)} already built"
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return None, f"no {deb.relative_to(ROOT)} and PyInstaller is not installed: run `make package` first"
    return args, f"built {deb.relative_to(ROOT)} first"


def run_script(script: Script, quick: bool, verbose: bool, position: str) -> Outcome:
    outcome = Outcome(script)
    path = ROOT / script.path
    if not path.exists():
        outcome.status, outcome.reason = "skipped", "not written yet (the file does not exist)"
        print(f"{position} {script.name}: skipped, {outcome.reason}", flush=True)
        return outcome
    if script.path == "packaging/bench_package.py":
        args, note = package_args(script, quick)
        if args is None:
            outcome.status, outcome.reason = "skipped", note
            print(f"{position} {script.name}: skipped, {note}", flush=True)
            return outcome
        outcome.reason = note
    else:
        args = list(script.quick if quick else script.args)
    print(f"{position} {script.name} {' '.join(args)}".rstrip() + " …", flush=True)
    started = time.perf_counter()
    tail: list[str] = []
    try:
        proc = subprocess.Popen([sys.executable, str(path), *args], cwd=ROOT, env=child_env(quick),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as exc:
        outcome.status, outcome.reason = "failed", f"could not start: {exc}"
        return outcome
    deadline = started + TIMEOUT
    timed_out = False
    assert proc.stdout is not None
    for line in proc.stdout:
        line = line.rstrip("\n")
        if line.startswith(PREFIX):
            try:
                outcome.figures.append(Figure.from_json(json.loads(line[len(PREFIX):])))
            except (ValueError, TypeError) as exc:
                tail.append(f"(unreadable figure line: {exc}) {line[:200]}")
            continue
        tail = (tail + [line])[-40:]
        if verbose:
            print(f"    {line}", flush=True)
        if time.perf_counter() > deadline:
            timed_out = True
            proc.kill()
            break
    try:
        code = proc.wait(timeout=max(1.0, deadline - time.perf_counter()))
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        code = proc.wait()
    outcome.seconds = time.perf_counter() - started
    if timed_out:
        outcome.status, outcome.reason = "failed", f"stopped after {TIMEOUT // 60} minutes"
    elif code != 0:
        outcome.status, outcome.reason = "failed", f"exit status {code}"
    elif not outcome.figures:
        outcome.status, outcome.reason = "failed", "printed no figures (does it report through tests/bench/table.py?)"
    if outcome.status == "failed":
        print(f"    {script.name} {outcome.reason}; its last lines:", flush=True)
        for line in tail[-15:]:
            print(f"    | {line}", flush=True)
    print(f"    {outcome.seconds:.0f} s, {len(outcome.figures)} figure(s)"
          + (f" ({outcome.reason})" if outcome.reason and outcome.status == "ok" else ""), flush=True)
    return outcome


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer runs (a glance, not for the README)")
    ap.add_argument("--only", action="append", metavar="NAME", help="only scripts whose file name contains NAME")
    ap.add_argument("--verbose", action="store_true", help="show every script's own output as it runs")
    ap.add_argument("--json", metavar="FILE", help="also write every figure (with its group and notes) to FILE")
    args = ap.parse_args(argv)
    scripts = all_scripts()
    if args.only:
        scripts = [s for s in scripts if any(n.lower() in s.name.lower() for n in args.only)]
        if not scripts:
            print(f"No benchmark's name contains {' or '.join(args.only)}; they are: "
                  + ", ".join(s.name for s in all_scripts()), file=sys.stderr)
            return 2
    compile_app()
    started = time.perf_counter()
    outcomes = [run_script(s, args.quick, args.verbose, f"[{i}/{len(scripts)}]") for i, s in enumerate(scripts, 1)]
    figures = [f for o in outcomes for f in o.figures]
    minutes = (time.perf_counter() - started) / 60
    print()
    print(f"Benchmarks{' (--quick)' if args.quick else ''}: {len(figures)} figures from "
          f"{sum(o.status == 'ok' for o in outcomes)} of {len(outcomes)} scripts in {minutes:.1f} min")
    print()
    if figures:
        print(format_table(figures))
    missed = [f for f in figures if f.verdict == "MISSED"]
    if missed:
        print("\nMissed goals:")
        for f in missed:
            print(f"  {f.figure}: {f.note}" if f.note else f"  {f.figure}")
    skipped = [o for o in outcomes if o.status == "skipped"]
    failed = [o for o in outcomes if o.status == "failed"]
    if skipped:
        print("\nSkipped:")
        for o in skipped:
            print(f"  {o.script.path}: {o.reason}")
    if failed:
        print("\nFailed:")
        for o in failed:
            print(f"  {o.script.path}: {o.reason}")
    if args.json:
        data = [{"group": o.script.group, "script": o.script.path, **f.to_json()} for o in outcomes for f in o.figures]
        Path(args.json).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
