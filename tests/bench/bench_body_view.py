"""Benchmark: a 100 MB JSON body and a 300 MB text body in the response view (offscreen, 1400x900).

    .venv/bin/python tests/bench/bench_body_view.py [--json-mb 100] [--text-mb 300] [--jsonpath-mb 30]

For each body (written to a temp file, handed over as a spilled response: 4 MB preview + body_path) it prints the
time to the first screen, the process RSS, and the longest gap of a 10 ms QTimer while: the first screen comes,
the whole-body scroll bar is dragged to the end in 40 steps, the wheel scrolls 300 notches, Find counts a word
over the whole body, and (JSON) a JSONPath expression runs. Gaps are what a user feels as a stall.
The table keeps, per body: first screen, Find over the whole body, JSONPath (JSON) and the worst gap over every step
(the note names the step); then the process's peak RSS over all of it. No goal is stated for these yet: they
print figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QEventLoop, QPoint, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.models import HttpResponse  # noqa: E402
from table import Figure, report  # noqa: E402

PREVIEW = 4 * 1024 * 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class Gaps:
    """A 10 ms timer; ``worst()`` is the longest time between two ticks since ``reset()``."""

    def __init__(self) -> None:
        self.timer = QTimer(interval=10)
        self.timer.timeout.connect(self._tick)
        self.reset()
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst_gap = max(self.worst_gap, now - self.last)
        self.last = now

    def reset(self) -> None:
        self.last, self.worst_gap = time.perf_counter(), 0.0

    def worst(self) -> str:
        return f"{self.worst_ms():.0f} ms"

    def worst_ms(self) -> float:
        self._tick()
        return self.worst_gap * 1000


def wait(app: QApplication, cond, timeout: float = 120.0) -> float:
    start = time.perf_counter()
    while not cond():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the view did not get there in time")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        time.sleep(0.001)
    return time.perf_counter() - start


def write_json(path: Path, mb: int) -> None:
    with open(path, "w") as fh:
        fh.write('{"items": [')
        i, size = 0, 0
        while size < mb * 2**20:
            piece = ",".join(json.dumps({"id": i + k, "name": f"item {i + k}", "tags": ["a", "b"], "ok": True})
                             for k in range(1000))
            fh.write(("," if i else "") + piece)
            size += len(piece) + 1
            i += 1000
        fh.write("]}")


def write_text(path: Path, mb: int) -> None:
    line = "2026-12-02T05:00:00Z INFO request handled path=/orders status=200 took=12ms\n"
    block = line * 10000
    with open(path, "w") as fh:
        for _ in range(mb * 2**20 // len(block)):
            fh.write(block)
        fh.write("the very last line: needle\n")


def run(app, view, gaps: Gaps, path: Path, ctype: str, needle: str, jsonpath_expr: str | None,
        label: str) -> list[Figure]:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        preview = fh.read(PREVIEW)
    resp = HttpResponse(200, "OK", headers=(("Content-Type", ctype),), body=preview, body_truncated=True,
                        body_path=str(path), decoded_bytes=size)
    body = view.body
    step_gaps: dict[str, float] = {}
    print(f"\n{path.name}: {size / 2**20:.0f} MB {ctype}   (RSS before {rss_mb():.0f} MB)")
    gaps.reset()
    t0 = time.perf_counter()
    body.set_response(resp)
    wait(app, lambda: not body.pending)
    first_screen = time.perf_counter() - t0
    step_gaps["first screen"] = gaps.worst_ms()
    shown_rss = rss_mb()
    print(f"  first screen      {first_screen:6.2f} s   worst gap {gaps.worst():>7}   RSS {shown_rss:.0f} MB")
    view.tabs.setCurrentIndex(view.tab_raw)
    pager = body.raw_pager
    wait(app, lambda: pager.win is not None)
    gaps.reset()
    t0 = time.perf_counter()
    for step in range(1, 41):  # drag the whole-body bar to the end
        pager.bar.setValue(pager.bar.maximum() * step // 40)
        wait(app, lambda: not pager.loading)
    wait(app, lambda: pager.win.end == size)
    step_gaps["drag to the end"] = gaps.worst_ms()
    print(f"  drag to the end   {time.perf_counter() - t0:6.2f} s   worst gap {gaps.worst():>7}   "
          f"last line {pager.edit.toPlainText().rstrip().splitlines()[-1][:40]!r}")
    gaps.reset()
    t0 = time.perf_counter()
    for _ in range(300):
        ev = QWheelEvent(QPointF(10, 10), QPointF(10, 10), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                         Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(pager.edit.viewport(), ev)
        app.processEvents()
    wait(app, lambda: not pager.loading)
    step_gaps["wheel"] = gaps.worst_ms()
    print(f"  wheel 300 up      {time.perf_counter() - t0:6.2f} s   worst gap {gaps.worst():>7}")
    bar = view.find_bar
    bar.open_bar()
    gaps.reset()
    t0 = time.perf_counter()
    bar.field.setText(needle)
    bar.search()
    wait(app, lambda: bar.count.text() not in ("", "Searching…"), timeout=300)
    find_s = time.perf_counter() - t0
    step_gaps["Find"] = gaps.worst_ms()
    print(f"  find {needle!r:<12} {find_s:6.2f} s   worst gap {gaps.worst():>7}   "
          f"{bar.count.text()}   RSS {rss_mb():.0f} MB")
    bar.close_bar()
    rows = [Figure(f"{label}: first screen", first_screen, "s"),
            Figure(f"{label}: Find over the whole body", find_s, "s", note=bar.count.text())]
    if jsonpath_expr:
        f = body.jsonpath
        gaps.reset()
        t0 = time.perf_counter()
        f.field.setText(jsonpath_expr)
        f.run()
        wait(app, lambda: not f.pending, timeout=300)
        jsonpath_s = time.perf_counter() - t0
        step_gaps["JSONPath"] = gaps.worst_ms()
        print(f"  JSONPath {jsonpath_expr!r}  {jsonpath_s:5.2f} s   worst gap {gaps.worst():>7}   "
              f"{f.status.text()[:70]}   RSS {rss_mb():.0f} MB")
        from app.ui.response.jsonpath_filter import MAX_BODY

        if size <= MAX_BODY:  # a bigger body is refused at once with a sentence: no figure to keep
            rows.append(Figure(f"{label}: JSONPath {jsonpath_expr}", jsonpath_s, "s", note=f.status.text()[:70]))
        gaps.reset()
        t0 = time.perf_counter()
        body.set_response(HttpResponse(200, "OK", headers=(("Content-Type", "text/plain"),), body=b"next"))
        wait(app, lambda: not body.pending)
        step_gaps["next response"] = gaps.worst_ms()
        print(f"  next response     {time.perf_counter() - t0:6.2f} s   worst gap {gaps.worst():>7}   "
              f"(the parsed tree is freed)   RSS {rss_mb():.0f} MB")
    view.tabs.setCurrentIndex(view.tab_body)
    worst_step = max(step_gaps, key=step_gaps.get)
    rows.append(Figure(f"{label}: worst GUI loop gap", step_gaps[worst_step], "ms",
                       note=f"during {worst_step}; " + ", ".join(f"{k} {v:.0f}" for k, v in step_gaps.items())))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json-mb", type=int, default=100)
    ap.add_argument("--text-mb", type=int, default=300)
    ap.add_argument("--jsonpath-mb", type=int, default=30)
    args = ap.parse_args(argv)
    app = QApplication.instance() or QApplication([])
    from app.ui.main_window import GIL_SWITCH_INTERVAL_S
    from app.ui.response.response_view import ResponseView

    sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL_S))  # as the main window sets it
    view = ResponseView()
    view.resize(1400, 900)
    view.show()
    gaps = Gaps()
    rows: list[Figure] = []
    with tempfile.TemporaryDirectory() as tmp:
        big_json, text, mid_json = Path(tmp) / "big.json", Path(tmp) / "big.txt", Path(tmp) / "mid.json"
        write_json(big_json, args.json_mb)
        write_text(text, args.text_mb)
        write_json(mid_json, args.jsonpath_mb)
        rows += run(app, view, gaps, big_json, "application/json", "item 99999", "$.items[-1].id",
                    f"{args.json_mb} MB JSON body")
        rows += run(app, view, gaps, text, "text/plain", "needle", None, f"{args.text_mb} MB text body")
        rows += run(app, view, gaps, mid_json, "application/json", "item 99999", "$.items[*].id",
                    f"{args.jsonpath_mb} MB JSON body")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nRSS {rss_mb():.0f} MB now, peak {peak:.0f} MB")
    rows.append(Figure("big bodies in the response view: peak RSS", peak, "MB", note="whole process over every step"))
    print()
    report(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
