"""The body view hands worker results back safely, even to a view that is gone."""

from __future__ import annotations

import json

import shiboken6

from app.core.models import HttpResponse
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
