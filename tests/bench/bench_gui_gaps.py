"""Benchmark: the longest gap of a 10 ms QTimer in the window while a 100 MB body arrives and while a 20 MB JSON body
is received and pretty-printed (goal: every gap < 50 ms).

    .venv/bin/python tests/bench/bench_gui_gaps.py [--runs 5] [--case stream100|json20]

Each run is a fresh process: the whole main window (offscreen Qt, qasync loop, a throwaway REQUEST_INSPECTOR_HOME),
the practice server in its own process (so its work is not the window's), one request tab sending

- ``GET /bytes/104857600`` (100 MB of binary): the gap is measured from Send until the tab is no longer busy;
- ``GET /bytes/20971520?type=json`` (a 20 MB JSON array): from Send until the tab is idle and the Body tab shows the
  re-indented JSON (the response view's ``bodyFormatted``), plus 200 ms for the layout that follows.

Each run's worst gap is printed; the figure is the median of those worsts (the machine has 2 cores shared with
other work, so one run's worst is noisy; the worst of all runs is printed beside it). --verbose lists every gap
over 25 ms with its time since Send, which tells receiving from formatting.
``window_child`` is also used by bench_har.py (a 100 MB HAR opened in the window).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from children import compile_app, user_env  # noqa: E402
from table import Figure, report  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
CASES = {
    "stream100": ("GUI loop gap while 100 MB arrive", "/bytes/104857600"),
    "json20": ("GUI loop gap while a 20 MB JSON is pretty-printed", "/bytes/20971520?type=json"),
}


def child_env(home: str) -> dict[str, str]:
    """Offscreen Qt, a throwaway home, and bytecode allowed (users have .pyc files)."""
    return user_env(QT_QPA_PLATFORM="offscreen", REQUEST_INSPECTOR_HOME=home)


def start_demo_server() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "app", "demo-server", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()  # "Practice server listening on http://127.0.0.1:PORT ..."
    url = next((w.rstrip(".,") for w in line.split() if w.startswith("http://127.0.0.1:")), None)
    if url is None:
        proc.kill()
        raise SystemExit(f"the practice server did not start: {line!r}")
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def window_child(args: list[str], home: str, timeout: float = 300) -> dict:
    """Run this script's ``--child`` in a fresh process; its last stdout line is a JSON result."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", *args], cwd=ROOT,
                         env=child_env(home), capture_output=True, text=True, timeout=timeout)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"a window run failed ({' '.join(args)}):\n{out.stdout[-1000:]}\n{out.stderr[-2000:]}")
    return json.loads(lines[-1])


# --------------------------------------------------------------------------------------------- the child process
class Ticker:
    """A 10 ms QTimer recording (seconds since start, gap) for every tick."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.ticks: list[tuple[float, float]] = []
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.start_at = self.last = time.perf_counter()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.ticks.append((now - self.start_at, now - self.last))
        self.last = now

    def stop(self) -> None:
        self._tick()  # a stall right at the end counts too
        self.timer.stop()

    def worst(self, after: float = 0.0, before: float = float("inf")) -> float:
        return max((g for t, g in self.ticks if after <= t <= before), default=0.0) * 1000

    def median(self) -> float:
        return statistics.median(g for _, g in self.ticks) * 1000 if self.ticks else 0.0


def run_child(argv: list[str]) -> int:
    import asyncio

    import qasync
    from PySide6.QtWidgets import QApplication

    ap = argparse.ArgumentParser()
    ap.add_argument("case")
    ap.add_argument("--url", default="")
    ap.add_argument("--har", default="")
    args = ap.parse_args(argv)
    app = QApplication.instance() or QApplication(["bench"])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    async def until(cond, timeout: float) -> None:
        end = time.perf_counter() + timeout
        while not cond():
            if time.perf_counter() > end:
                raise TimeoutError("the window did not get there in time")
            await asyncio.sleep(0.005)

    async def main() -> dict:
        from app.core.draft import RequestDraft
        from app.ui import workers
        from app.ui.main_window import MainWindow

        w = MainWindow(demo_url=args.url or None)
        w.resize(1400, 900)
        w.show()
        try:
            # Start-up work after the first paint (catalog, stores, httpx warm-up) is not what this measures.
            await until(lambda: w.workspace.ready and w.catalogs.loaded() is not None and w.warm_task is not None
                        and w.warm_task.done(), 30)
            await asyncio.sleep(0.3)
            ticker = Ticker()
            if args.case == "har":
                return await har_case(w, ticker, args.har, until)
            tab = w.new_tab(RequestDraft(method="GET", url=args.url + CASES[args.case][1]))
            await asyncio.sleep(0.3)
            formatted = []
            tab.response.bodyFormatted.connect(lambda: formatted.append(time.perf_counter()))
            ticker.start()
            tab.request_send()
            await until(lambda: not tab.busy, 120)
            received = time.perf_counter() - ticker.start_at
            if args.case == "json20":
                await until(lambda: formatted, 60)
                await asyncio.sleep(0.2)
            ticker.stop()
            resp = tab.last_diagnosis.exchange.response
            return {"ticks": len(ticker.ticks), "median_ms": ticker.median(), "worst_ms": ticker.worst(),
                    "worst_receiving_ms": ticker.worst(before=received),
                    "worst_after_ms": ticker.worst(after=received),
                    "seconds": time.perf_counter() - ticker.start_at, "received_s": received,
                    "formatted_s": (formatted[0] - ticker.start_at) if formatted else None,
                    "long_gaps": [(round(t, 3), round(g * 1000)) for t, g in ticker.ticks if g > 0.025],
                    "bytes": resp.decoded_bytes if resp is not None else 0}
        finally:
            await w.aclose()
            w.close()
            workers.drain()

    with loop:
        result = loop.run_until_complete(main())
    print(json.dumps(result), flush=True)
    return 0


async def har_case(w, ticker: Ticker, path: str, until) -> dict:
    """Open ``path`` as a capture: seconds until the list is filled and its first entry shown, and the worst gap."""
    import asyncio

    loaded: list[float] = []
    ticker.start()
    view = w.workspace.importing.open_capture(path)
    view.loaded.connect(lambda n: loaded.append(time.perf_counter()))
    view.failed.connect(lambda msg: loaded.append(-1.0))
    await until(lambda: loaded, 120)
    seconds = loaded[0] - ticker.start_at
    await asyncio.sleep(0.2)  # the list and the selected entry's response view lay out and paint
    ticker.stop()
    return {"seconds": seconds, "rows": view.model.rowCount(), "worst_ms": ticker.worst(),
            "median_ms": ticker.median(), "ticks": len(ticker.ticks), "ok": loaded[0] > 0,
            "long_gaps": [(round(t, 3), round(g * 1000)) for t, g in ticker.ticks if g > 0.025],
            "summary": view.summary.text()[:200]}


# --------------------------------------------------------------------------------------------- the parent
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return run_child(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--case", choices=sorted(CASES), action="append", help="only this case (repeatable)")
    ap.add_argument("--verbose", action="store_true", help="print every gap over 25 ms with its time")
    args = ap.parse_args(argv)
    cases = args.case or list(CASES)
    compile_app()
    server, url = start_demo_server()
    results: dict[str, list[dict]] = {c: [] for c in cases}
    try:
        for i in range(args.runs):
            for case in cases:  # alternate the cases, so both see the same machine load
                with tempfile.TemporaryDirectory(prefix="bench-gaps-") as home:
                    r = window_child([case, "--url", url], home)
                results[case].append(r)
                print(f"{case} run {i + 1}: {r['ticks']} ticks, median gap {r['median_ms']:.1f} ms, "
                      f"worst {r['worst_ms']:.1f} ms (while receiving {r['worst_receiving_ms']:.1f} ms, "
                      f"after {r['worst_after_ms']:.1f} ms), {r['seconds']:.2f} s, {r['bytes']:,} bytes", flush=True)
                if args.verbose:
                    formatted = "" if r["formatted_s"] is None else f", formatted at {r['formatted_s']:.3f} s"
                    print(f"  received at {r['received_s']:.3f} s{formatted}; gaps over 25 ms (s since Send, ms): "
                          f"{r['long_gaps']}")
    finally:
        stop(server)
    rows = []
    for case in cases:
        worst = [r["worst_ms"] for r in results[case]]
        rows.append(Figure(CASES[case][0], statistics.median(worst), "ms", max_value=50,
                           note=f"median of {len(worst)} runs' worst gap; each run's worst: "
                                f"{', '.join(f'{x:.0f}' for x in worst)} ms"))
        print(f"{CASES[case][0]}: worst gap per run {', '.join(f'{x:.0f}' for x in worst)} ms "
              f"(median {statistics.median(worst):.0f}, worst of all {max(worst):.0f})")
    report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
