"""The body view hands worker results back safely, even to a view that is gone."""

from __future__ import annotations

import json

import shiboken6

from app.core.models import HttpRequest, HttpResponse
from app.ui.response import body_view
from app.ui.response.body_view import SYNC_LIMIT, BodyView


def big_json_response() -> HttpResponse:
    body = json.dumps([{"id": i, "item": f"demo {i}"} for i in range(20000)]).encode()
    assert len(body) > SYNC_LIMIT  # formatted on a worker, not on the GUI thread
    return HttpResponse(200, "OK", headers=(("Content-Type", "application/json"),), body=body)


def test_a_big_body_is_formatted_on_a_worker_and_shown(qtbot):
    view = BodyView()
    qtbot.addWidget(view)
    view.set_response(big_json_response())
    assert view.pending
    qtbot.waitUntil(lambda: not view.pending, timeout=10000)
    assert view.pretty.toPlainText().startswith('[\n  {\n    "id": 0,')


def test_closing_a_view_while_its_body_formats_drops_the_late_result(qtbot):
    view = BodyView()
    view.set_response(big_json_response())
    assert view.pending
    relay = body_view._relay()
    key, job = view._key, view.format_future
    shiboken6.delete(view)  # the tab is closed while the worker still formats
    job.result(timeout=10)  # the worker finishes after its view is gone and emits its result
    for _ in range(3):
        qtbot.wait(20)  # deliver the queued result: it must find no view and do nothing
    assert relay._view(key) is None
    fresh = BodyView()  # a newer view never receives the old view's result
    qtbot.addWidget(fresh)
    assert fresh._key != key and not fresh.pending and fresh.pretty.toPlainText() == ""


def test_save_body_writes_the_whole_spilled_body_not_the_preview(qtbot, demo, tmp_path):
    import asyncio

    from app.net.transport import SendOptions, Transport

    n = 3_000_000
    options = SendOptions(timeout=10, deadline=30, memory_body_limit=64 * 1024)  # only 64 KB kept in memory
    ex = asyncio.run(Transport(str(tmp_path)).send(HttpRequest("GET", f"{demo}/bytes/{n}?type=json"), options))
    resp = ex.response
    assert resp.body_path and len(resp.body) == 64 * 1024 and resp.decoded_bytes == n
    view = BodyView()
    qtbot.addWidget(view)
    view.show()
    view.set_response(resp)
    qtbot.waitUntil(lambda: not view.pending, timeout=20000)
    assert view.banner.save.isVisible()
    target = tmp_path / "saved.json"
    view.banner.save.click()  # the real button: a non-blocking file dialog, then a copy on a worker
    dialog = view._dialog
    dialog.setOption(dialog.Option.DontUseNativeDialog)
    dialog.selectFile(str(target))
    with qtbot.waitSignal(view.saved, timeout=20000) as sig:
        dialog.accept()
    assert sig.args == [str(target), ""]
    saved = target.read_bytes()
    assert len(saved) == n and saved == open(resp.body_path, "rb").read()
    assert len(json.loads(saved)) > 1  # the whole JSON array, not a cut preview
    assert view.banner.label.text() == f"Saved the whole body (2.9 MB) to {target}."


def test_a_body_kept_only_in_part_says_so(qtbot, tmp_path):
    view = BodyView()
    qtbot.addWidget(view)
    gone = tmp_path / "deleted.bin"  # the history entry's temp file was removed
    view.set_response(HttpResponse(200, "OK", headers=(("Content-Type", "text/plain"),), body=b"x" * 1000,
                                   body_truncated=True, decoded_bytes=5_000_000, body_path=str(gone)))
    qtbot.waitUntil(lambda: not view.pending, timeout=5000)
    assert view.banner.label.text().startswith("Only the first 1000 B of 4.8 MB were kept: that is what is shown")
    assert view.pretty.toPlainText() == "x" * 1000


def _coloured(block) -> bool:
    return bool(block.layout().formats())


def _on_screen(edit) -> list:
    from PySide6.QtCore import QPoint

    top = edit.cursorForPosition(QPoint(0, 0)).block()
    bottom = edit.cursorForPosition(QPoint(0, edit.viewport().height() - 1)).blockNumber()
    blocks = []
    while top.isValid() and top.blockNumber() <= bottom:
        blocks.append(top)
        top = top.next()
    return blocks


def test_a_json_window_is_coloured_on_screen_at_once_and_whole_a_slice_at_a_time(qtbot):
    """Colouring a 16 KB window of re-indented JSON (1,300 lines) held the window's loop ~60 ms: the lines on screen
    are coloured when the body is shown, the rest on the next turns; a window loaded further on (Find, the scroll
    bar) is coloured where it is shown too."""
    view = BodyView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    seen = {}

    def first_screen() -> None:
        doc = view.pretty.document()
        seen["screen"] = [_coloured(b) for b in _on_screen(view.pretty) if '"' in b.text()]
        seen["last"] = _coloured(doc.lastBlock().previous())
        seen["lines"] = doc.blockCount()

    view.formatted.connect(first_screen)
    view.set_response(big_json_response())
    qtbot.waitUntil(lambda: "screen" in seen, timeout=10000)
    assert seen["lines"] > 500 and len(seen["screen"]) > 5 and all(seen["screen"])
    assert not seen["last"]  # the end of the window comes later, not in the same turn
    hl = view._highlighter
    qtbot.waitUntil(lambda: hl.pending() == 0, timeout=5000)
    doc = view.pretty.document()
    keyed = [b for b in (doc.findBlockByNumber(n) for n in range(doc.blockCount())) if '": ' in b.text()]
    assert keyed and all(_coloured(b) for b in keyed)  # every line of the window in the end
    pager = view.pretty_pager
    pager.goto(pager.source.size - 1)  # the end of the whole formatted body: another window
    assert pager.win.end == pager.source.size
    shown = [b for b in _on_screen(view.pretty) if '": ' in b.text()]
    assert shown and all(_coloured(b) for b in shown)
