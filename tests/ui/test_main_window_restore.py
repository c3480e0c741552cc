"""MainWindow starts from a damaged settings file: wrong values are reset, the rest kept, and it says so once."""

from __future__ import annotations

import json

from app.core.catalog import load_default_catalog
from app.ui.main_window import MainWindow
from tests.ui.workspace_support import make_window  # noqa: F401 (fixture)


def test_window_starts_with_wrongly_typed_settings(qtbot, make_window, ri_home, monkeypatch):  # noqa: F811
    said: list[str] = []
    real_status = MainWindow.status
    monkeypatch.setattr(MainWindow, "status", lambda self, text: (said.append(text), real_status(self, text)))
    path = ri_home / "settings.json"
    good = {"method": "GET", "url": "http://127.0.0.1:9/kept"}
    path.write_text(json.dumps({"version": 1, "settings": {
        "drafts": [good, {"method": "GET", "url": "http://127.0.0.1:9/bad", "headers": 5}],
        "geometry": "AdnQywAD\u00e9t\u00e9",
        "splitter": [10**29, 200],
        "current_tab": "1",
    }}), encoding="utf-8")
    w = make_window(settings_path=path, catalog=load_default_catalog())
    assert [t.draft().url for t in w.request_tabs()] == ["http://127.0.0.1:9/kept"]
    qtbot.waitUntil(lambda: any("reset" in m for m in said), timeout=5000)
    note = next(m for m in said if "reset" in m)
    assert "open tab 2" in note and "window size" in note and "panel sizes" in note and "current tab" in note
    assert sum("reset" in m for m in said) == 1
    w.shutdown()  # the checked state is written back: the next start has nothing to reset
    assert json.loads(path.read_text(encoding="utf-8"))["settings"]["splitter"][0] < 10**6
