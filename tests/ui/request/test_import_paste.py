"""Pasting a curl command / raw HTTP request into the URL bar, against the practice server."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QLineEdit

from app.core.draft import build_request
from app.ui.request.import_paste import PasteImporter, describe, draft_from_text, importable
from tests.ui.workspace_support import make_window, send_and_wait  # noqa: F401 (fixtures)

FIXTURES = Path(__file__).resolve().parents[2] / "core" / "formats" / "fixtures"
CURL_JSON = ("curl '{base}/orders' \\\n  -H 'Accept: application/json' \\\n  -H 'Content-Type: application/json' \\\n"
             "  -H 'Authorization: Bearer SECRET123' \\\n  --data-raw '{{\"item\": \"coffee\"}}'")


def test_curl_bash_becomes_a_post_with_headers_and_exact_body():
    r = draft_from_text(CURL_JSON.format(base="http://api.test"))
    d = r.draft
    assert (d.method, d.url) == ("POST", "http://api.test/orders")
    assert ("Authorization", "Bearer SECRET123") in [(h.name, h.value) for h in d.headers]
    assert build_request(d).body == b'{"item": "coffee"}'


def test_curl_data_with_json_under_default_form_type_keeps_the_body_byte_for_byte():
    r = draft_from_text("curl http://api.test/orders --data-raw '{\"item\":1}'")
    req = build_request(r.draft)
    assert req.body == b'{"item":1}'
    assert req.header("Content-Type") == "application/x-www-form-urlencoded"


def test_cmd_flavour_and_raw_request_text():
    cmd = (FIXTURES / "chrome_cmd.txt").read_text(encoding="utf-8")
    r = draft_from_text(cmd)
    assert r.draft is not None and r.draft.url.startswith("http")
    raw = "PUT /orders/7 HTTP/1.1\r\nHost: api.test\r\nContent-Type: text/plain\r\n\r\nhello"
    r = draft_from_text(raw)
    assert (r.kind, r.draft.method) == ("raw", "PUT")
    assert r.draft.url.endswith("api.test/orders/7")
    assert build_request(r.draft).body == b"hello"


def test_plain_urls_are_not_imported_and_bad_curl_says_why():
    assert draft_from_text("https://example.com/curl something") is None
    assert not importable("http://x/y")
    r = draft_from_text("curl 'unterminated")
    assert r.draft is None and r.notes and "curl" in r.notes[0]


def test_an_exchange_gives_its_request_and_other_kinds_are_not_imported():
    r = draft_from_text((FIXTURES / "exchange_log.txt").read_text(encoding="utf-8"))
    assert (r.kind, r.draft.method) == ("raw", "POST") and r.draft.url.endswith("/v1/orders?dry_run=1")
    assert draft_from_text("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 5\r\n\r\n") is None  # a response alone
    for name in ("orders.http", "chrome_export.har", "orders.postman_collection.json"):
        assert draft_from_text((FIXTURES / name).read_text(encoding="utf-8")) is None, name


def test_ctrl_v_imports_a_request_and_lets_a_response_alone_paste_as_text(qtbot):
    edit = QLineEdit()
    qtbot.addWidget(edit)
    got = []
    PasteImporter(edit, got.append)
    edit.setFocus()
    QGuiApplication.clipboard().setText("HTTP/1.1 429 Too Many Requests\nRetry-After: 5\n")
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert got == [] and edit.text().startswith("HTTP/1.1 429")
    edit.clear()
    QGuiApplication.clipboard().setText("GET /orders HTTP/1.1\nHost: api.test\n\n")
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [(r.kind, r.draft.method) for r in got] == [("raw", "GET")] and edit.text() == ""


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_text(text):
    draft_from_text(text)
    draft_from_text("curl " + text)


def test_paste_curl_into_url_bar_and_send(qtbot, make_window, demo):
    w = make_window()
    tab = w.new_tab()
    url = tab.findChild(QLineEdit, "urlEdit")
    QGuiApplication.clipboard().setText(CURL_JSON.format(base=demo))
    url.setFocus()
    qtbot.keyClick(url, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert tab.editor.method.currentText() == "POST"
    assert url.text() == f"{demo}/orders"
    assert "Imported" in w.statusBar().currentMessage()
    send_and_wait(qtbot, tab)
    assert tab.findChild(QLabel, "statusLine").text().startswith("201")
    assert tab.last_diagnosis.exchange.request.body == b'{"item": "coffee"}'


def test_pasted_browser_curl_opens_on_headers_with_the_flagged_row_in_view(qtbot, make_window, demo):
    """A browser's curl brings ~15 headers: the tab shows Headers, scrolled to the row the warning is about."""
    w = make_window()
    w.resize(1400, 900)
    tab = w.new_tab()
    lines = (FIXTURES / "chrome_bash.txt").read_text(encoding="utf-8").splitlines()
    curl = "\n".join(line for line in lines if "content-type" not in line.lower())
    curl = curl.replace("https://api.example.com/v1/orders?page=2&access_token=tok_live_123", f"{demo}/orders")
    url = tab.findChild(QLineEdit, "urlEdit")
    QGuiApplication.clipboard().setText(curl)
    url.setFocus()
    qtbot.keyClick(url, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    table = tab.editor.headers
    assert tab.editor.tabs.currentWidget().isAncestorOf(table)
    marked = sorted(table.marked_rows())
    assert marked and table.rowCount() > 12
    qtbot.waitUntil(lambda: table.viewport().rect().intersects(table.visualItemRect(table.item(marked[0], 1))),
                    timeout=3000)


def test_curl_without_content_type_gets_415(qtbot, make_window, demo):
    w = make_window()
    tab = w.new_tab()
    url = tab.findChild(QLineEdit, "urlEdit")
    # The context-menu paste path: the whole text lands at once (no key event).
    url.setText(f"curl {demo}/orders -H 'Accept: application/json' --data-binary '{{\"item\": 1}}' -X POST --bogus")
    qtbot.waitUntil(lambda: url.text() == f"{demo}/orders", timeout=3000)
    assert "--bogus" in w.statusBar().currentMessage()
    send_and_wait(qtbot, tab)
    assert tab.findChild(QLabel, "statusLine").text().startswith("415")


def test_several_curl_commands_give_the_first_and_the_rest_never_a_mix():
    r = draft_from_text((FIXTURES / "curl_two_commands.sh").read_text(encoding="utf-8"))
    assert (r.draft.method, r.draft.url) == ("DELETE", "https://api.example.com/orders/41")
    assert [(d.method, d.url) for d in r.more] == [("GET", "https://api.example.com/orders?status=open")]
    assert "Accept" not in [h.name for h in r.draft.headers]
    tab_note = describe(r)
    assert "holds 2 curl commands; only the first is in this tab" in tab_note
    assert describe(r, all_opened=True).startswith("Imported 2 curl commands, each in its own tab")


def test_pasting_two_curl_commands_into_the_url_bar_keeps_the_first_and_says_so(qtbot, make_window):
    w = make_window()
    tab = w.new_tab()
    url = tab.findChild(QLineEdit, "urlEdit")
    QGuiApplication.clipboard().setText((FIXTURES / "curl_two_commands.sh").read_text(encoding="utf-8"))
    url.setFocus()
    qtbot.keyClick(url, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert tab.editor.method.currentText() == "DELETE"
    assert url.text() == "https://api.example.com/orders/41"
    assert "only the first is in this tab" in w.statusBar().currentMessage()
