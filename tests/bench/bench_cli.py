"""Command-line benchmark: `request-inspector diagnose` and `triage` of a small input vs plain scripts doing the same.

    .venv/bin/python tests/bench/bench_cli.py [--runs 15] [--root DIR]

Whole processes, timed from spawn to exit by this script, interleaved round by round (each round runs every
command once, in alternating order) so ours and the baselines see the same machine load; medians are reported.

Ours: the installed console script ``request-inspector`` (what a user types; ``python -m app`` when the script is
absent), with ``app`` byte-compiled first as pip and PyInstaller do for users (this environment may set
PYTHONDONTWRITEBYTECODE, which the children do not get). The data folder is an empty temp folder.

- "diagnose (small loopback answer)": ``request-inspector diagnose URL`` where URL is the practice server
  (app.demo.server.DemoServerThread, in this process) on loopback, ``/status/415`` (a 131-byte JSON answer).
  Baseline "plain httpx script": a fresh interpreter running
  ``import httpx; r = httpx.get(URL); print(r.status_code, r.headers, r.text)``: the same request, nothing explained.
- "diagnose --json": the same with ``--json``, against the same baseline.
- "triage small HAR": ``request-inspector triage tests/data/har/insomnia.har`` (one entry, 2.6 KB). Baseline
  "plain httpx script" (the issue's baseline for both commands): a fresh interpreter that reads the file with
  ``json``, builds each entry's ``httpx.Request``/``httpx.Response`` and prints its status and URL — the same
  exchange held the plain httpx way, nothing diagnosed. A reference row compares with "plain json script" (reads
  the file and prints each status and URL, no httpx): mostly interpreter start-up, the barest floor there is.
- Reference rows without a goal: ``curl -s URL`` (when curl is installed), ``python -c pass`` (the interpreter's
  own start-up, the floor under every Python row) and ``python -c "import app.core.triage, app.core.formats.har,
  app.core.presentation"`` (the modules a HAR triage cannot do without — the dataclass-based models, diagnosis,
  HAR reader, redaction and presentation — imported and nothing run: the floor under "triage small HAR").

``--root DIR`` runs ``app`` from another checkout's source (put first on PYTHONPATH) — e.g. an export of an older
commit made with ``git archive`` — to compare before/after in one machine state.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from children import user_env  # noqa: E402
from table import Figure, report  # noqa: E402

SMALL_HAR = ROOT / "tests" / "data" / "har" / "insomnia.har"
HTTPX_SCRIPT = "import httpx; r = httpx.get({url!r}); print(r.status_code, r.headers, r.text)"
TRIAGE_MODULES = "import app.core.triage, app.core.formats.har, app.core.presentation"
JSON_SCRIPT = (
    "import json, sys\n"
    "with open(sys.argv[1], encoding='utf-8-sig') as f:\n"
    "    har = json.load(f)\n"
    "for e in har['log']['entries']:\n"
    "    print(e['response']['status'], e['request']['url'])\n"
)


HTTPX_HAR_SCRIPT = (  # the baseline for both commands: "a plain one-shot httpx script doing the same work"
    "import json, sys, httpx\n"
    "with open(sys.argv[1], encoding='utf-8-sig') as f:\n"
    "    har = json.load(f)\n"
    "for e in har['log']['entries']:\n"
    "    q, a = e['request'], e['response']\n"
    "    req = httpx.Request(q['method'], q['url'], headers=[(h['name'], h['value']) for h in q['headers']])\n"
    "    r = httpx.Response(a['status'], headers=[(h['name'], h['value']) for h in a['headers']],\n"
    "                       content=a.get('content', {}).get('text', '').encode(), request=req)\n"
    "    print(r.status_code, r.reason_phrase, req.url)\n"
)


def child_env(home: str, root: Path | None) -> dict[str, str]:
    env = user_env(REQUEST_INSPECTOR_HOME=home)
    if root is not None:
        env["PYTHONPATH"] = str(root) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def ours_command() -> list[str]:
    script = Path(sys.executable).with_name("request-inspector")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "app"]


def run_once(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=tempfile.gettempdir())
    elapsed = (time.perf_counter() - t0) * 1000
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--root", type=Path, default=None, help="run app from this checkout's source instead")
    args = ap.parse_args()
    app_dir = (args.root or ROOT) / "app"
    compileall.compile_dir(str(app_dir), quiet=1)  # this checkout (compile_app) or the one --root names

    from app.demo.server import DemoServerThread

    server = DemoServerThread(rate_limit=1_000_000, rate_window=60.0)
    url = server.start() + "/status/415"
    home = tempfile.mkdtemp(prefix="bench-cli-")
    env = child_env(home, args.root)
    ours = ours_command()
    commands: dict[str, list[str]] = {
        "diagnose": ours + ["diagnose", url],
        "diagnose --json": ours + ["diagnose", "--json", url],
        "httpx": [sys.executable, "-c", HTTPX_SCRIPT.format(url=url)],
        "triage": ours + ["triage", str(SMALL_HAR)],
        "json": [sys.executable, "-c", JSON_SCRIPT, str(SMALL_HAR)],
        "httpx har": [sys.executable, "-c", HTTPX_HAR_SCRIPT, str(SMALL_HAR)],
        "pass": [sys.executable, "-c", "pass"],
        "triage modules": [sys.executable, "-c", TRIAGE_MODULES],
    }
    if shutil.which("curl"):
        commands["curl"] = [shutil.which("curl"), "-s", "-o", os.devnull, url]
    times: dict[str, list[float]] = {name: [] for name in commands}
    try:
        for name, cmd in commands.items():  # warm-up: file cache, .pyc files, the server's first answer
            run_once(cmd, env)
        names = list(commands)
        for n in range(args.runs):
            for name in names if n % 2 == 0 else reversed(names):
                times[name].append(run_once(commands[name], env))
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    med = {name: statistics.median(values) for name, values in times.items()}
    where = f"app from {args.root}" if args.root else "app from this checkout"
    note = f"median of {args.runs} interleaved runs, {where}"
    rows = [
        Figure("diagnose (small loopback answer)", med["diagnose"], "ms", med["httpx"], "plain httpx script",
               max_ratio=1.5, note=note),
        Figure("diagnose --json", med["diagnose --json"], "ms", med["httpx"], "plain httpx script",
               max_ratio=1.5, note=note),
        Figure("triage small HAR", med["triage"], "ms", med["httpx har"], "plain httpx script", max_ratio=1.5,
               note=note),
        Figure("triage small HAR vs the barest script (reference)", med["triage"], "ms", med["json"],
               "plain json script", note=note),
        Figure("triage's modules imported, nothing run (reference)", med["triage modules"], "ms", med["json"],
               "plain json script", note=note),
        Figure("python -c pass (reference)", med["pass"], "ms", note=note),
    ]
    if "curl" in med:
        rows.append(Figure("curl -s (reference)", med["curl"], "ms", note=note))
    print(f"URL {url}; HAR {SMALL_HAR.name}; {note}; min/max per command:")
    for name, values in times.items():
        print(f"  {name:<16} min {min(values):7.1f} ms   max {max(values):7.1f} ms")
    report(rows)


if __name__ == "__main__":
    main()
