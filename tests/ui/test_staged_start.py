"""Paint first, then the rest: MainWindow(staged=True) + complete(), as app.ui.launch starts the window.

The first stage builds what the first paint shows (the current tab, the window's frame); ``complete()`` builds
the tabs not shown, the menus and the parts behind them. Nothing typed early is lost, nothing is reordered, and a
window closed before it was complete still saves every tab.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.core.clock import ManualClock
from app.ui.main_window import MainWindow
from app.ui.request.request_tab import RequestTab

ROOT = Path(__file__).resolve().parents[2]


def _settings(path: Path, urls: list[str], current: int) -> Path:
    drafts = [{"method": "GET", "url": u} for u in urls]
    path.write_text(json.dumps({"version": 1, "settings": {"drafts": drafts, "current_tab": current}}),
                    encoding="utf-8")
    return path


def _staged(qtbot, settings: Path) -> MainWindow:
    w = MainWindow(staged=True, demo_url="http://127.0.0.1:9", clock=ManualClock(time.time()),
                   settings_path=settings)
    qtbot.addWidget(w)
    return w


def _close(qtbot, qloop, w: MainWindow) -> None:
    task = qloop.create_task(w.aclose())
    qtbot.waitUntil(task.done, timeout=5000)


def test_only_the_current_tab_is_built_first_and_complete_builds_the_rest_in_place(qtbot, qloop, ri_home):
    urls = [f"http://127.0.0.1:9/t{i}?token=s3cr3t" for i in range(3)]
    w = _staged(qtbot, _settings(ri_home / "settings.json", urls, current=1))
    assert [t.draft().url for t in w.request_tabs()] == [urls[1]]  # one request tab built: the one shown
    assert [w.tabs.tabText(i) for i in range(3)] == ["GET /t0", "GET /t1", "GET /t2"]  # every title in place
    assert "s3cr3t" not in w.tabs.tabToolTip(0) and w.tabs.tabToolTip(0)  # a place holder's tooltip is masked
    w.show()
    assert w.wait_for_first_paint() is not None
    w.complete()
    assert [t.draft().url for t in w.request_tabs()] == urls
    assert w.tabs.count() == 3 and w.tabs.currentIndex() == 1
    assert all(isinstance(w.tabs.widget(i), RequestTab) for i in range(3))
    assert w.menuBar().actions(), "the menus come with the second stage"
    _close(qtbot, qloop, w)


def test_keys_typed_before_the_window_is_complete_reach_the_url_bar(qtbot, qloop, ri_home):
    w = _staged(qtbot, _settings(ri_home / "settings.json", ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"], 0))
    w.show()
    w.wait_for_first_paint()
    url = w.current_tab().editor.url
    url.setFocus()
    url.end(False)
    qtbot.keyClicks(url, "/x")  # typed while only the first stage exists
    for ch in "yz":  # typed while the second stage is being built: they wait in Qt's queue
        QApplication.postEvent(QApplication.focusWidget(), QKeyEvent(QEvent.Type.KeyPress, ord(ch.upper()),
                                                                     Qt.KeyboardModifier.NoModifier, ch))
    w.complete()
    qtbot.waitUntil(lambda: url.text().endswith("/xyz"), timeout=3000)
    assert w.current_tab().editor.url is url and url.hasFocus()  # building the other tab took no focus
    _close(qtbot, qloop, w)


def test_a_window_closed_before_it_is_complete_keeps_every_tab(qtbot, qloop, ri_home):
    urls = ["http://127.0.0.1:9/one", "http://127.0.0.1:9/two", "http://127.0.0.1:9/three"]
    path = _settings(ri_home / "settings.json", urls, current=2)
    w = _staged(qtbot, path)
    w.shutdown()
    saved = json.loads(path.read_text(encoding="utf-8"))["settings"]
    assert [d["url"] for d in saved["drafts"]] == urls and saved["current_tab"] == 2


def test_the_real_entry_point_reports_its_first_paint_and_exits_cleanly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", REQUEST_INSPECTOR_HOME=str(tmp_path),
               REQUEST_INSPECTOR_EXIT_AFTER_PAINT="1")
    t0 = time.time()
    out = subprocess.run([sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr[-800:]
    painted = [float(line.split()[1]) for line in out.stdout.splitlines() if line.startswith("first-paint ")]
    assert len(painted) == 1 and t0 < painted[0] < time.time()
    assert "Traceback" not in out.stderr, out.stderr[-800:]
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))["settings"]
    assert len(saved["drafts"]) == 2  # the first launch's two example tabs, both saved


def _differences(a, b) -> list[tuple[int, int]]:
    assert (a.width(), a.height()) == (b.width(), b.height())
    return [(x, y) for y in range(0, a.height(), 2) for x in range(0, a.width(), 2) if a.pixel(x, y) != b.pixel(x, y)]


def test_the_first_paint_already_looks_like_the_complete_window(qtbot, qloop, ri_home):
    """No half-built window: what the first stage paints is, pixel for pixel, what the complete window shows."""
    from app.core.catalog import load_default_catalog

    urls = ["http://127.0.0.1:9/orders", "http://127.0.0.1:9/status/429"]
    path = _settings(ri_home / "settings.json", urls, current=0)
    w = MainWindow(staged=True, demo_url="http://127.0.0.1:9", clock=ManualClock(time.time()), settings_path=path,
                   catalog=load_default_catalog())
    qtbot.addWidget(w)
    w.resize(1200, 820)
    w.show()
    w.wait_for_first_paint()
    first = w.grab().toImage()
    w.complete()
    for _ in range(5):
        QApplication.processEvents()
    complete = w.grab().toImage()
    # The URL bar's clear button fades in over ~150 ms (a Qt animation started when the URL is set): not built later
    url = w.current_tab().editor.url
    clear = url.rect().adjusted(url.width() - 28, 0, 0, 0).translated(url.mapTo(w, url.rect().topLeft()))
    diff = [p for p in _differences(first, complete) if not clear.contains(*p)]
    if diff:
        first.save(str(ri_home / "first.png"))
        complete.save(str(ri_home / "complete.png"))
    xs, ys = [p[0] for p in diff], [p[1] for p in diff]
    assert not diff, f"{len(diff)} pixels differ in x {min(xs)}..{max(xs)}, y {min(ys)}..{max(ys)} ({ri_home})"
    _close(qtbot, qloop, w)


def _with_secrets() -> list:
    from app.core.draft import Auth, RequestDraft, Row

    return [RequestDraft(method="GET", url="http://127.0.0.1:9/a?access_token=tok-url-1",
                         auth=Auth(kind="bearer", token="tok-bearer-2")),
            RequestDraft(method="GET", url="http://127.0.0.1:9/b", headers=(Row("X-Api-Key", "tok-key-3"),))]


def _session_with_secrets(qtbot, path: Path) -> None:
    """A first session: two tabs carrying secrets, closed (their drafts sealed in the settings)."""
    w = MainWindow(demo_url="http://127.0.0.1:9", clock=ManualClock(time.time()), settings_path=path)
    qtbot.addWidget(w)
    for draft in _with_secrets():
        w.new_tab(draft)
    for tab in w.request_tabs()[:-2]:
        w.close_tab(w.tabs.indexOf(tab))
    w.tabs.setCurrentIndex(0)
    w.shutdown()
    text = path.read_text(encoding="utf-8")
    assert "drafts_sealed" in text and "tok-" not in text


def _secrets_in(w: MainWindow) -> str:
    return json.dumps([t.draft().to_json() for t in w.request_tabs()])


def _assert_all_secrets_kept(qtbot, qloop, path: Path) -> None:
    """The next session (a window built at once) opens every tab with its secrets."""
    again = MainWindow(demo_url="http://127.0.0.1:9", clock=ManualClock(time.time()), settings_path=path)
    qtbot.addWidget(again)
    assert all(s in _secrets_in(again) for s in ("tok-url-1", "tok-bearer-2", "tok-key-3"))
    _close(qtbot, qloop, again)


def test_the_secrets_of_restored_tabs_are_read_after_the_first_paint_and_put_back(qtbot, qloop, ri_home):
    path = ri_home / "settings.json"
    _session_with_secrets(qtbot, path)
    w = _staged(qtbot, path)
    assert w.current_tab().editor.url.text().startswith("http://127.0.0.1:9/a?access_token=")
    assert "tok-" not in _secrets_in(w)  # the first paint needs no key store: the tabs show as saved in clear
    w.show()
    w.wait_for_first_paint()
    w.complete()
    qtbot.waitUntil(lambda: all(s in _secrets_in(w) for s in ("tok-url-1", "tok-bearer-2", "tok-key-3")),
                    timeout=5000)
    assert w.tabs.currentIndex() == 0 and len(w.request_tabs()) == 2
    _close(qtbot, qloop, w)


def test_a_window_closed_before_its_secrets_were_read_keeps_them_sealed(qtbot, qloop, ri_home):
    path = ri_home / "settings.json"
    _session_with_secrets(qtbot, path)
    staged = _staged(qtbot, path)
    staged.shutdown()  # closed during the first stage: nothing unsealed yet, nothing may be lost
    assert "tok-" not in path.read_text(encoding="utf-8")
    _assert_all_secrets_kept(qtbot, qloop, path)


def test_a_tab_edited_before_its_secrets_were_read_keeps_the_edit(qtbot, qloop, ri_home):
    path = ri_home / "settings.json"
    _session_with_secrets(qtbot, path)
    w = _staged(qtbot, path)
    w.show()
    w.wait_for_first_paint()
    said: list[str] = []
    w.statusBar().messageChanged.connect(said.append)
    w.current_tab().editor.set_url("http://127.0.0.1:9/typed-meanwhile")
    w.complete()
    qtbot.waitUntil(lambda: "tok-key-3" in _secrets_in(w), timeout=5000)  # the untouched tab got its secret back
    assert w.current_tab().editor.url.text() == "http://127.0.0.1:9/typed-meanwhile"
    assert any("edited before their saved secrets were read" in m for m in said)
    _close(qtbot, qloop, w)


CLOSE_AT_FIRST_PAINT = r"""
import sys
import app.ui.main_window as mw
painted = mw.MainWindow.wait_for_first_paint
def close_at_once(self, *args):
    at = painted(self, *args)
    self.close()  # the user closes the window the moment it appears, before its second stage
    return at
mw.MainWindow.wait_for_first_paint = close_at_once
from app.ui.launch import run_gui
raise SystemExit(run_gui([]))
"""


def test_a_window_closed_the_moment_it_appears_ends_the_app_cleanly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", REQUEST_INSPECTOR_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", CLOSE_AT_FIRST_PAINT], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=60)  # it used to wait forever for a close that had already happened
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-800:]
    saved = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))["settings"]
    assert len(saved["drafts"]) == 2  # both example tabs saved, the one never built included


def test_waiting_for_the_paint_of_a_window_never_shown_ends_at_its_timeout(qtbot, qloop, ri_home):
    w = _staged(qtbot, _settings(ri_home / "settings.json", ["http://127.0.0.1:9/a"], 0))
    t0 = time.monotonic()
    assert w.wait_for_first_paint(timeout_s=0.3) is None  # hidden: no paint comes, the timer ends the wait
    assert time.monotonic() - t0 < 5
    w.complete()  # the deferred work then runs on the fallback timer, as for any window never shown
    assert [t.draft().url for t in w.request_tabs()] == ["http://127.0.0.1:9/a"]
    _close(qtbot, qloop, w)


def test_an_enter_typed_before_the_window_is_complete_sends_once_it_is(qtbot, qloop, ri_home):
    w = _staged(qtbot, _settings(ri_home / "settings.json", ["http://127.0.0.1:9/a"], 0))
    url = w.current_tab().editor.url
    url.setFocus()
    url.end(False)
    for key, text in ((Qt.Key.Key_X, "x"), (Qt.Key.Key_Y, "y"), (Qt.Key.Key_Return, "\r")):
        QApplication.postEvent(url, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))
    w.show()
    w.wait_for_first_paint()  # window-system keys wait in Qt's queue; posted ones may arrive now, Enter included
    assert not w.current_tab().busy and w.current_tab().response.status_line.text().startswith("No response yet")
    w.complete()
    qtbot.waitUntil(lambda: url.text() == "http://127.0.0.1:9/axy", timeout=3000)
    status = w.current_tab().response.status_line
    qtbot.waitUntil(lambda: not status.text().startswith(("No response yet", "Sending", "Waiting")), timeout=10000)
    assert not w.current_tab().busy  # the Enter sent once the window was complete (nothing listens there)
    _close(qtbot, qloop, w)


def _secret_of(w: MainWindow, path: str) -> str:
    tab = next(t for t in w.request_tabs() if t.draft().url.split("?")[0].endswith(path))
    return json.dumps(tab.draft().to_json())


def test_tabs_moved_to_this_runs_practice_server_still_get_their_secrets_back(qtbot, qloop, ri_home):
    """The practice server's port changes every run: moving a tab to it is not the user's edit."""
    path = ri_home / "settings.json"
    _session_with_secrets(qtbot, path)  # saved with demo_base http://127.0.0.1:9
    w = MainWindow(staged=True, clock=ManualClock(time.time()), settings_path=path)  # starts its own server
    qtbot.addWidget(w)
    w.show()
    w.wait_for_first_paint()
    w.complete()
    qtbot.waitUntil(lambda: all(s in _secrets_in(w) for s in ("tok-url-1", "tok-bearer-2", "tok-key-3")),
                    timeout=5000)
    assert all(t.draft().url.startswith(w.demo_url + "/") for t in w.request_tabs())
    w.shutdown()
    _assert_all_secrets_kept(qtbot, qloop, path)


def test_a_tab_closed_before_the_secrets_were_read_leaves_the_others_theirs(qtbot, qloop, ri_home):
    from PySide6.QtCore import QEvent as E

    path = ri_home / "settings.json"
    _session_with_secrets(qtbot, path)
    w = _staged(qtbot, path)
    w.show()
    w.wait_for_first_paint()
    w.complete()
    w.close_tab(0)  # before the key store answered (a locked keyring may ask for its password meanwhile)
    QApplication.sendPostedEvents(None, E.Type.DeferredDelete)
    qtbot.waitUntil(lambda: "tok-key-3" in _secrets_in(w), timeout=5000)
    _close(qtbot, qloop, w)


def test_a_damaged_clear_list_does_not_give_tabs_each_others_drafts(qtbot, qloop, ri_home):
    path = ri_home / "settings.json"
    _session_with_secrets(qtbot, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["settings"]["drafts"][0]["headers"] = 5  # the clear copy of tab 1 damaged; the sealed list is whole
    path.write_text(json.dumps(data), encoding="utf-8")
    w = _staged(qtbot, path)
    w.show()
    w.wait_for_first_paint()
    w.complete()
    qtbot.wait(200)
    assert [t.draft().url.split("?")[0] for t in w.request_tabs()] == ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]
    assert "tok-bearer-2" in _secret_of(w, "/a") and "tok-key-3" in _secret_of(w, "/b")
    _close(qtbot, qloop, w)


def test_the_shown_tab_worded_otherwise_once_built_still_gets_its_secrets_back(qtbot, qloop, ri_home):
    """A saved draft with an empty header row (an older file): the built Headers page drops it; not an edit."""
    from app.core.draft import Auth, RequestDraft, Row
    from app.store.vault import open_vault
    from app.store.window_state import drafts_to_save

    draft = RequestDraft(method="GET", url="http://127.0.0.1:9/a", headers=(Row("", ""),),
                         auth=Auth(kind="bearer", token="tok-bearer-9"))
    values = drafts_to_save([draft.to_json()], open_vault(ri_home, False))
    path = ri_home / "settings.json"
    path.write_text(json.dumps({"version": 1, "settings": {**values, "current_tab": 0}}), encoding="utf-8")
    w = _staged(qtbot, path)
    w.show()
    w.wait_for_first_paint()
    w.complete()
    qtbot.waitUntil(lambda: "tok-bearer-9" in _secrets_in(w), timeout=5000)
    _close(qtbot, qloop, w)
