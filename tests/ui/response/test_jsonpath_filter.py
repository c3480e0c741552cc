"""The JSONPath field under JSON bodies: values on a worker, a sentence for a bad expression or body."""

from __future__ import annotations

import gc
import json

import pytest
from PySide6.QtCore import Qt

from app.core.models import HttpResponse
from app.ui.response import jsonpath_filter
from app.ui.response.body_source import ByteStore
from app.ui.response.body_view import BodyView
from app.ui.response.jsonpath_filter import JsonPathFilter, _Parsed, evaluate


@pytest.fixture
def body(qtbot):
    view = BodyView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    return view


def test_a_jsonpath_expression_shows_the_values_of_a_spilled_body(body, qtbot, tmp_path):
    doc = {"items": [{"id": i, "name": f"item {i}"} for i in range(200_000)]}
    data = json.dumps(doc).encode()  # ~6 MB in the temp file, the preview is cut
    path = tmp_path / "body.bin"
    path.write_bytes(data)
    body.set_response(HttpResponse(200, "OK", headers=(("Content-Type", "application/json"),), body=data[:65536],
                                   body_truncated=True, body_path=str(path), decoded_bytes=len(data)))
    qtbot.waitUntil(lambda: not body.pending, timeout=20000)
    f = body.jsonpath
    assert f.isVisible()
    qtbot.keyClicks(f.field, "$.items[-2:].name")
    qtbot.keyClick(f.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not f.pending, timeout=20000)
    assert f.status.text() == "2 values."
    assert json.loads(f.result.toPlainText()) == ["item 199998", "item 199999"]  # from past the preview
    assert gc.get_freeze_count() > 0  # the cached tree is out of the collector's reach...
    body.set_response(None)
    assert jsonpath_filter._FROZEN == 0 and gc.get_freeze_count() == 0  # ...until the body goes


def test_an_invalid_expression_and_a_plain_text_body_are_sentences(body, qtbot):
    body.set_response(HttpResponse(200, "OK", headers=(("Content-Type", "application/json"),), body=b'{"a": [1]}'))
    f = body.jsonpath
    f.field.setText("$.a[")
    f.run()
    qtbot.waitUntil(lambda: not f.pending, timeout=5000)
    assert f.status.text().startswith("“$.a[” is not a JSONPath expression this app understands: ")
    assert f.result.isHidden()
    body.set_response(HttpResponse(200, "OK", headers=(("Content-Type", "text/plain"),), body=b"hello"))
    assert f.isHidden()


def test_evaluate_says_what_happened():
    parsed = _Parsed(ByteStore(b'{"a": [1, 2]}'))
    assert evaluate(parsed, "$.a[0]") == ("1", "1 value.")
    assert evaluate(parsed, "$.b") == ("", "Nothing in the body matches $.b.")
    many = _Parsed(ByteStore(json.dumps(list(range(10_005))).encode()))
    text, sentence = evaluate(many, "$[*]")
    assert sentence == "More than 10,000 values: the first 10,000 are shown." and json.loads(text)[-1] == 9999
    broken = _Parsed(ByteStore(b'{"a": '))
    text, sentence = evaluate(broken, "$.a")
    assert text == "" and sentence.startswith("The body is not valid JSON (line 1 column 7")
    deep = _Parsed(ByteStore(b"[" * 100_000 + b"]" * 100_000))
    assert evaluate(deep, "$[0]") == ("", "The body nests too deeply to be read as JSON, so JSONPath cannot be "
                                          "applied.")
    refused = evaluate(parsed, "$.a[?match(@, '(a+)+$')]")
    assert refused[1].startswith("“$.a[?match(@, '(a+)+$')]” is refused: the pattern '(a+)+$' is refused")
    for p in (parsed, many):
        p.release()  # the trees are kept out of the collector's reach while they live
    assert jsonpath_filter._FROZEN == 0 and gc.get_freeze_count() == 0


def test_a_newer_expression_replaces_an_older_one(qtbot):
    f = JsonPathFilter()
    qtbot.addWidget(f)
    f.set_store(ByteStore(json.dumps({"a": 1, "b": 2}).encode()))
    f.field.setText("$.a")
    f.run()
    f.field.setText("$.b")
    f.run()
    qtbot.waitUntil(lambda: not f.pending, timeout=5000)
    qtbot.wait(50)
    assert f.result.toPlainText() == "2"


def test_a_descendant_walk_of_a_large_body_is_refused_with_a_sentence(monkeypatch):
    monkeypatch.setattr(jsonpath_filter, "MAX_WALK", 10)
    parsed = _Parsed(ByteStore(b'{"items": [{"id": 1}]}'))
    assert evaluate(parsed, "$..id")[1].startswith("'..' walks the whole body, and this one is over 10 B")
    assert evaluate(parsed, "$.items[*].id") == ("1", "1 value.")
    parsed.release()


def test_closing_the_tab_releases_a_parsed_body(qtbot):
    """PySide does not run a slot on ``destroyed`` reliably: a closed tab left the parsed tree frozen out of the
    collector for the rest of the session (and every object alive then with it)."""
    from PySide6.QtWidgets import QTabWidget

    from app.ui.response.jsonpath_filter import release_parsed_bodies

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    body = BodyView()
    tabs.addTab(body, "a tab")
    tabs.show()
    before = jsonpath_filter._FROZEN
    data = json.dumps({"a": [1, 2, 3]}).encode()
    body.set_response(HttpResponse(200, "OK", headers=(("Content-Type", "application/json"),), body=data))
    qtbot.waitUntil(lambda: not body.pending, timeout=10000)
    qtbot.keyClicks(body.jsonpath.field, "$.a[0]")
    qtbot.keyClick(body.jsonpath.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not body.jsonpath.pending, timeout=10000)
    assert jsonpath_filter._FROZEN == before + 1
    release_parsed_bodies(tabs.widget(0))  # what MainWindow.close_tab does before the tab is deleted
    tabs.removeTab(0)
    body.deleteLater()
    assert jsonpath_filter._FROZEN == before
    assert before or gc.get_freeze_count() == 0
