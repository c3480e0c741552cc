"""The main window against the real practice server on 127.0.0.1 (offscreen Qt, qasync loop per test)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from app import __version__
from app.core.catalog import load_default_catalog
from app.core.clock import ManualClock
from app.core.draft import RequestDraft, Row
from app.ui.main_window import MainWindow
from app.ui.request.request_tab import RequestTab

ROOT = Path(__file__).resolve().parents[2]
NO_SERVER = "http://127.0.0.1:9"  # the discard port: nothing listens, and no practice server is started


@pytest.fixture(scope="module")
def demo_process():
    """The practice server in its own process, so a GUI timing test measures the GUI and not the server's GIL use."""
    proc = subprocess.Popen([sys.executable, "-m", "app", "demo-server", "--port", "0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # "Practice server listening on http://127.0.0.1:PORT ..."
        url = next((w.rstrip(".,") for w in line.split() if w.startswith("http://127.0.0.1:")), None)
        if url is None:
            proc.kill()
            pytest.fail(f"the practice server did not start: {line!r} {proc.stderr.read()[-500:]!r}")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            stream.close()


@pytest.fixture
def clock():
    return ManualClock(time.time())


@pytest.fixture
def make_window(request, qtbot, qloop, ri_home, clock):
    """Windows pointed at the practice server when the test asks for ``demo``; otherwise at nothing (no server)."""
    made = []
    base = request.getfixturevalue("demo") if "demo" in request.fixturenames else NO_SERVER

    def make(**kwargs) -> MainWindow:
        kwargs.setdefault("demo_url", base)
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("settings_path", ri_home / "settings.json")
        w = MainWindow(**kwargs)
        qtbot.addWidget(w)
        w.show()
        made.append(w)
        return w

    yield make
    for w in made:
        task = qloop.create_task(w.aclose())
        qtbot.waitUntil(task.done, timeout=5000)


def send_and_wait(qtbot, tab: RequestTab, timeout: int = 10000) -> None:
    tab.request_send()
    assert tab.busy
    qtbot.waitUntil(lambda: not tab.busy, timeout=timeout)


def text(w, name: str) -> str:
    return w.findChild(QLabel, name).text()


def fresh_tab(w: MainWindow, method: str, url: str, **kw) -> RequestTab:
    return w.new_tab(RequestDraft(method=method, url=url, **kw))


def test_type_a_url_and_send(qtbot, make_window, demo):
    w = make_window()
    tab = w.new_tab()
    url = tab.findChild(QLineEdit, "urlEdit")
    url.clear()
    qtbot.keyClicks(url, f"{demo}/status/404")
    qtbot.mouseClick(tab.findChild(QPushButton, "sendButton"), Qt.MouseButton.LeftButton)
    assert tab.busy
    qtbot.waitUntil(lambda: not tab.busy, timeout=10000)
    assert text(tab, "statusLine").startswith("404")
    assert "Resource not found." in text(tab, "statusExplanation")
    assert "API documentation" in text(tab, "statusExplanation")
    assert w.tabs.tabText(w.tabs.indexOf(tab)) == "GET /status/404"


def test_every_documented_status_shows_its_documented_explanation(qtbot, make_window, demo):
    w = make_window()
    catalog = w.catalogs.get()
    codes = sorted({e.code for e in catalog.entries} | {204})
    tab = fresh_tab(w, "GET", f"{demo}/status/200")
    for code in codes:
        tab.editor.set_url(f"{demo}/status/{code}")
        send_and_wait(qtbot, tab)
        doc = catalog.lookup(code)
        assert text(tab, "statusLine").startswith(str(code)), code
        assert doc.source == "api-docs"
        assert doc.description in text(tab, "statusExplanation"), code
        if code == 204:  # the page's erratum: "No Content" is listed under 200
            assert "Note:" in text(tab, "statusNote")


def test_api_message_is_shown(qtbot, make_window, demo):
    w = make_window()
    tab = fresh_tab(w, "GET", f"{demo}/status/415")
    send_and_wait(qtbot, tab)
    body = tab.last_diagnosis.exchange.response.body
    assert json.loads(body)["Message"] in text(tab, "apiMessage")


def test_first_launch_shows_the_missing_content_type_before_sending_then_415(qtbot, make_window, demo):
    w = make_window()
    assert w.tabs.count() == 2
    tab = w.request_tabs()[0]
    assert tab.draft().method == "POST" and tab.draft().url.endswith("/orders")
    headers = tab.editor.headers
    assert headers.objectName() == "requestHeadersTable"
    placeholders = headers.placeholder_rows()
    assert placeholders and placeholders[0][0] == "Content-Type — missing"
    assert "415" in placeholders[0][1]
    assert "Headers (1 ⚠)" == tab.editor.tabs.tabText(1)
    send_and_wait(qtbot, tab)
    assert text(tab, "statusLine").startswith("415")
    assert "Content-Type header is missing or wrong." in text(tab, "statusExplanation")
    assert headers.placeholder_rows()[0][0] == "Content-Type — missing"  # still marked after the answer


def test_typed_content_length_is_highlighted(qtbot, make_window, demo):
    w = make_window()
    tab = fresh_tab(w, "POST", f"{demo}/orders", headers=(Row("Content-Type", "application/json"),
                                                          Row("Content-Length", "100")),
                    body_kind="json", raw_text='{"item": "tea"}')
    marked = tab.editor.headers.marked_rows()
    assert any("Content-Length" in tip or "100" in tip for tip in marked.values()), marked
    assert tab.editor.findings_label.isVisible()
    send_and_wait(qtbot, tab)
    assert text(tab, "statusLine")[:3] in {"201", "411"}
    assert tab.editor.headers.marked_rows()  # the typed row stays marked after sending


def test_countdown_and_post_guard_with_a_manual_clock(qtbot, make_window, demo, clock):
    w = make_window()
    tab = fresh_tab(w, "GET", f"{demo}/status/429?retry_after=42")
    send_and_wait(qtbot, tab)
    assert text(tab, "statusLine").startswith("429")
    w.refresh_countdowns()
    assert tab.editor.send.text() == "Send · POSTs wait 0:42"  # a GET tab says whom the wait is for
    countdown = tab.findChild(QLabel, "retryCountdown")
    assert countdown.isVisible() and "0:42" in countdown.text()

    post = fresh_tab(w, "POST", f"{demo}/orders", body_kind="json", raw_text='{"item": "coffee"}')
    w.refresh_countdowns()
    assert post.editor.send.text() == "Send (POST in 0:42)"  # the same origin in another tab
    post.request_send()
    assert not post.busy and post.confirm.isVisible()
    assert "wait 42 s before the next POST" in post.confirm.text.text()
    qtbot.mouseClick(post.confirm.send_when_allowed, Qt.MouseButton.LeftButton)
    w.tabs.setCurrentWidget(tab)  # the armed tab goes to the background: it must still send at zero
    clock.advance(30)
    w.refresh_countdowns()
    assert not post.busy and "0:12" in post.editor.send.text()
    clock.advance(12.5)
    w.refresh_countdowns()  # zero: the armed tab sends by itself
    assert post.busy
    qtbot.waitUntil(lambda: not post.busy, timeout=10000)
    assert text(post, "statusLine").startswith("201")
    assert not post.confirm.isVisible()
    assert tab.editor.send.text() == "Send"


def test_a_get_is_not_held_back_and_send_anyway_works(qtbot, make_window, demo):
    w = make_window()
    tab = fresh_tab(w, "GET", f"{demo}/status/503?retry_after=60")
    send_and_wait(qtbot, tab)
    w.refresh_countdowns()
    assert "POSTs wait 1:00" in tab.editor.send.text()
    tab.editor.set_url(f"{demo}/status/200")
    send_and_wait(qtbot, tab)  # a GET goes straight out
    assert text(tab, "statusLine").startswith("200")
    post = fresh_tab(w, "POST", f"{demo}/orders", body_kind="json", raw_text='{"item": "x"}')
    post.request_send()
    assert post.confirm.isVisible()
    qtbot.mouseClick(post.confirm.send_anyway, Qt.MouseButton.LeftButton)
    assert post.busy
    qtbot.waitUntil(lambda: not post.busy, timeout=10000)
    assert text(post, "statusLine").startswith("201")


def test_cancel_a_slow_request_returns_within_a_second(qtbot, make_window, demo):
    w = make_window()
    tab = fresh_tab(w, "GET", f"{demo}/delay/30")
    tab.request_send()
    qtbot.wait(200)
    assert tab.busy
    started = time.perf_counter()
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not tab.busy, timeout=1000)
    assert time.perf_counter() - started < 1.0
    assert text(tab, "statusLine") == "Cancelled"
    assert tab.draft().url.endswith("/delay/30")  # nothing lost from the request being edited


def test_ctrl_enter_sends_and_build_errors_are_sentences(qtbot, make_window, demo):
    w = make_window()
    tab = fresh_tab(w, "GET", f"{demo}/status/201")
    qtbot.keyClick(tab.editor.url, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: text(tab, "statusLine").startswith("201"), timeout=10000)
    tab.editor.set_url("ftp://example/")
    tab.request_send()
    assert text(tab, "statusLine") == "Not sent"
    assert "http:// or https://" in text(tab, "statusExplanation")
    bad = fresh_tab(w, "POST", f"{demo}/orders", body_kind="binary", binary_path="/nonexistent/file.bin")
    bad.request_send()
    qtbot.waitUntil(lambda: not bad.busy, timeout=10000)
    assert "Could not read the body file" in text(bad, "statusExplanation")
    assert text(bad, "statusLine") == "Not sent"


def test_a_file_body_is_read_off_the_gui_thread_and_sent_whole(qtbot, make_window, demo, tmp_path, monkeypatch):
    import threading

    import app.ui.request.request_tab as request_tab

    upload = tmp_path / "upload.bin"
    upload.write_bytes(bytes(range(256)) * 12_000)  # 3 MB
    readers = []
    real_read = request_tab._read_file
    monkeypatch.setattr(request_tab, "_read_file",
                        lambda path: readers.append(threading.current_thread()) or real_read(path))
    w = make_window()
    tab = fresh_tab(w, "POST", f"{demo}/echo", body_kind="binary", binary_path=str(upload),
                    headers=(Row("Content-Type", "application/octet-stream"),))
    send_and_wait(qtbot, tab)
    assert text(tab, "statusLine").startswith("200")
    assert readers and all(t is not threading.main_thread() for t in readers)
    sent = dict((k.lower(), v) for k, v in tab.last_diagnosis.exchange.request.headers)
    assert sent["content-length"] == str(upload.stat().st_size)


def test_refused_connection_is_a_sentence(qtbot, make_window):
    w = make_window()
    tab = fresh_tab(w, "GET", "http://127.0.0.1:9/")
    send_and_wait(qtbot, tab)
    assert text(tab, "statusLine").startswith("No response")
    assert text(tab, "statusExplanation")


def test_a_timer_keeps_ticking_while_100_mb_stream_in(qtbot, make_window, demo_process):
    w = make_window()
    # Start-up work after the first paint (catalog, stores, httpx warm-up) is not what this test measures.
    qtbot.waitUntil(lambda: w.catalogs.loaded() is not None and w.warm_task is not None
                    and w.warm_task.done(), timeout=10000)
    tab = fresh_tab(w, "GET", f"{demo_process}/bytes/104857600")
    gaps: list[float] = []
    ticks: list[tuple[float, float]] = []  # (seconds since start, gap) for the timeline below
    last = [time.perf_counter()]
    start = last[0]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        ticks.append((now - start, now - last[0]))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    tab.request_send()
    last[0] = time.perf_counter()
    timer.start()
    qtbot.waitUntil(lambda: not tab.busy, timeout=90000)
    timer.stop()
    resp = tab.last_diagnosis.exchange.response
    assert resp is not None and resp.wire_bytes == 104857600
    worst = max(gaps)
    median = sorted(gaps)[len(gaps) // 2]
    print(f"\n100 MB body: {len(gaps)} ticks, median gap {median * 1000:.1f} ms, max gap {worst * 1000:.1f} ms")
    if os.environ.get("RI_GAP_TIMELINE"):
        print("gaps over 25 ms (s since send, ms):", [(round(t, 3), round(g * 1000)) for t, g in ticks if g > 0.025])
    # The target is no gap over 50 ms; tests/bench/bench_gui_gaps.py checks it over repeated runs (13 runs on
    # 2 cores: worst gap 23-42 ms, median 10 ms). This test guards against a real freeze without flaking on a busy
    # machine: a stall of a few hundred ms (a body laid out on the GUI thread) fails it.
    assert median < 0.030, f"the timer mostly stalled (median gap {median * 1000:.0f} ms)"
    assert worst < 0.150, f"the GUI stalled {worst * 1000:.0f} ms while the body streamed"


def test_state_survives_a_restart(qtbot, make_window, demo, ri_home):
    w = make_window()
    w.request_tabs()[1].editor.set_url(f"{demo}/status/503")
    w.tabs.setCurrentIndex(1)
    w.shutdown()
    again = make_window()
    assert again.tabs.count() == 2
    assert again.tabs.currentIndex() == 1
    assert again.request_tabs()[1].draft().url == f"{demo}/status/503"
    assert again.request_tabs()[0].draft().body_kind == "raw"


def test_open_api_documentation(qtbot, make_window, tmp_path):
    from tests.ui.workspace_support import wait_task

    w = make_window()
    bad = tmp_path / "bad.md"
    bad.write_text("# nothing here\n\njust text\n", encoding="utf-8")
    before = w.catalogs.get()
    assert wait_task(qtbot, w.load_api_docs(str(bad))) is False
    assert w.catalogs.get() is before
    assert "bad.md" in w.statusBar().currentMessage()
    good = tmp_path / "other.md"
    good.write_text("# Errors\n\n| Code | Status | Description |\n|---|---|---|\n| 418 | Teapot | Short and stout. |\n",
                    encoding="utf-8")
    assert wait_task(qtbot, w.load_api_docs(str(good))) is True
    assert w.catalogs.get().lookup(418).description == "Short and stout."
    assert "other.md" in w.docs_label.text()
    w.shutdown()
    again = make_window()
    assert again.catalogs.get().source_name == "other.md"


def test_about_names_the_versions(make_window):
    w = make_window()
    from app.ui.dialogs.about import about_text

    about = about_text()
    assert __version__ in about and "Qt " in about and "httpx" in about and "Python" in about


def test_default_window_starts_its_own_practice_server(qtbot, qloop, ri_home):
    w = MainWindow(settings_path=ri_home / "s.json", catalog=load_default_catalog())
    qtbot.addWidget(w)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.demo_url is not None, timeout=5000)
        assert w.request_tabs()[0].draft().url == f"{w.demo_url}/orders"
        tab = w.request_tabs()[1]
        send_and_wait(qtbot, tab)
        assert text(tab, "statusLine").startswith("429")
    finally:
        task = qloop.create_task(w.aclose())
        qtbot.waitUntil(task.done, timeout=5000)


def test_smoke_in_a_subprocess(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", REQUEST_INSPECTOR_HOME=str(tmp_path))
    code = "from app.ui.launch import run_gui; raise SystemExit(run_gui([], smoke=True))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "ok"


def test_no_display_is_one_sentence(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["REQUEST_INSPECTOR_HOME"] = str(tmp_path)
    code = "from app.ui.launch import run_gui; raise SystemExit(run_gui([]))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    if sys.platform.startswith("linux"):
        assert done.returncode == 2
        assert done.stderr.strip().startswith("No display found")


CLOSE_WHILE_LOADING = r"""
import asyncio, sys
from PySide6.QtWidgets import QApplication
import qasync
har_path, mode = sys.argv[1], sys.argv[2]
app = QApplication(["close-test"])
app.setQuitOnLastWindowClosed(mode != "aclose")
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
from app.ui.main_window import MainWindow

async def main():
    w = MainWindow(demo_url="http://127.0.0.1:9")
    w.show()
    await asyncio.sleep(0.4)
    view = w.workspace.importing.open_capture(har_path)
    await asyncio.sleep(0.05)
    assert view.task is not None and not view.task.done(), "the HAR finished loading before the close"
    w.close()
    if mode == "aclose":
        await w.aclose()

loop.run_until_complete(main())  # like a screenshot script: the loop is never closed, the process just ends
print("closed", flush=True)
"""


def big_har(path: Path, entries: int = 6000) -> Path:
    entry = {"startedDateTime": "2024-01-01T00:00:00Z", "time": 1, "cache": {},
             "timings": {"send": 0, "wait": 1, "receive": 0},
             "request": {"method": "POST", "url": "http://127.0.0.1:9/orders", "httpVersion": "HTTP/1.1",
                         "headers": [{"name": "Accept", "value": "application/json"}], "queryString": [],
                         "cookies": [], "headersSize": -1, "bodySize": 13,
                         "postData": {"mimeType": "application/json", "text": '{"item": "x"}'}},
             "response": {"status": 415, "statusText": "Unsupported Media Type", "httpVersion": "HTTP/1.1",
                          "headers": [{"name": "Content-Type", "value": "application/json"}], "cookies": [],
                          "content": {"size": 240, "mimeType": "application/json",
                                      "text": json.dumps({"Message": "no", "Description": "x" * 200})},
                          "redirectURL": "", "headersSize": -1, "bodySize": 240}}
    path.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"},
                                        "entries": [entry] * entries}}), encoding="utf-8")
    return path


@pytest.mark.parametrize("mode", ["exit", "aclose"])
def test_closing_while_a_har_loads_on_a_worker_exits_cleanly(tmp_path, mode):
    har = big_har(tmp_path / "big.har")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", REQUEST_INSPECTOR_HOME=str(tmp_path / "home"))
    out = subprocess.run([sys.executable, "-c", CLOSE_WHILE_LOADING, str(har), mode], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert "QThread: Destroyed" not in out.stderr, out.stderr[-800:]
    assert out.returncode == 0 and "closed" in out.stdout, (out.returncode, out.stderr[-800:])


def test_a_429_never_forces_the_window_wider_than_900_px(qtbot, make_window, demo):
    w = make_window()
    w.resize(1000, 700)
    tab = fresh_tab(w, "GET", f"{demo}/status/429")
    send_and_wait(qtbot, tab)
    w.refresh_countdowns()
    qtbot.wait(100)  # let the layouts take the new texts into account
    assert tab.findChild(QLabel, "statusLine").text().startswith("429")
    assert tab.findChild(QLabel, "retryCountdown").isVisible()  # status line and countdown share the row
    assert w.minimumSizeHint().width() <= 900, w.minimumSizeHint().width()  # it was 958
    tab.response.show_sending("GET", "https://api.example.test/" + "very-long-path-segment-" * 20)
    qtbot.wait(100)
    assert w.minimumSizeHint().width() <= 900  # a long URL while sending is cut, not a reason to widen
