"""The request editor on its own: URL <-> params sync, header rows and completion, live findings, body, options."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.core.catalog import load_default_catalog
from app.core.draft import Auth, Options, RequestDraft, Row
from app.ui.request.request_editor import RequestEditor


def make(qtbot) -> RequestEditor:
    catalog = load_default_catalog()
    e = RequestEditor(lambda: catalog)
    qtbot.addWidget(e)
    e.show()
    return e


def test_url_and_params_stay_in_sync_both_ways(qtbot):
    e = make(qtbot)
    qtbot.keyClicks(e.url, "http://h/p?a=1&b=two")
    assert e.params.rows() == (Row("a", "1"), Row("b", "two"))
    e.params.item(0, 0).setCheckState(Qt.CheckState.Unchecked)  # switch "a" off: out of the URL, kept in the table
    assert e.url.text() == "http://h/p?b=two"
    assert Row("a", "1", False) in e.params.rows()
    e.params.item(e.params.rowCount() - 1, 1).setText("c")  # typing into the blank row adds a parameter
    assert e.url.text() == "http://h/p?b=two&c"
    e.url.end(False)
    qtbot.keyClicks(e.url, "=3")
    assert Row("c", "3") in e.params.rows() and Row("a", "1", False) in e.params.rows()


def test_live_findings_placeholder_and_adopting_it(qtbot):
    e = make(qtbot)
    e.set_draft(RequestDraft(method="POST", url="http://h/orders", body_kind="raw", raw_text='{"item": 1}',
                             raw_content_type=""))
    assert e.headers.placeholder_rows()[0][0] == "Content-Type — missing"
    assert e.tabs.tabText(1) == "Headers (1 ⚠)"
    e.body.raw_type.setCurrentIndex(e.body.raw_type.findData("application/json"))  # the picker adds the type
    qtbot.waitUntil(lambda: not e.headers.placeholder_rows(), timeout=2000)  # debounced ~150 ms
    assert e.tabs.tabText(1) == "Headers"
    e.body.raw_type.setCurrentIndex(e.body.raw_type.findData(""))
    e.refresh_findings()
    placeholder = next(r for r in range(e.headers.rowCount()) if e.headers.item(r, 1).text().endswith("missing"))
    e.headers.itemDoubleClicked.emit(e.headers.item(placeholder, 1))  # double-click adds the header
    assert Row("Content-Type", "application/json") in e.headers.rows()
    e.refresh_findings()
    assert not e.headers.placeholder_rows()


def test_a_switched_off_content_type_still_counts_as_missing(qtbot):
    e = make(qtbot)
    e.set_draft(RequestDraft(method="POST", url="http://h/", body_kind="json", raw_text="{}",
                             headers=(Row("Content-Type", "application/json", False),)))
    assert e.headers.placeholder_rows()  # nothing is added: the user decided (a row exists, switched off)
    assert e.headers.marked_rows()  # and the switched-off row itself carries the finding


def test_header_name_completion(qtbot):
    e = make(qtbot)
    e.tabs.setCurrentIndex(1)
    index = e.headers.model().index(e.headers.rowCount() - 1, 1)
    e.headers.setCurrentIndex(index)
    e.headers.edit(index)
    editor = e.headers.findChild(QLineEdit)
    assert editor is not None and editor.completer() is not None
    assert "Content-Type" in editor.completer().model().stringList()


def test_json_validation_and_tls_warning(qtbot):
    e = make(qtbot)
    e.set_draft(RequestDraft(method="POST", url="http://h/", body_kind="json", raw_text="{oops"))
    assert "Not valid JSON" in e.body.json_status.text()
    e.body.text.setPlainText('{"ok": true}')
    assert "Valid JSON" in e.body.json_status.text()
    assert e.options.tls_warning.isHidden()
    e.options.verify.setChecked(False)
    assert not e.options.tls_warning.isHidden()
    assert "TLS off" in e.tabs.tabText(4)


def test_draft_round_trip_through_the_widgets(qtbot):
    e = make(qtbot)
    d = RequestDraft(method="PATCH", url="http://h/x?q=1", params=(Row("q", "1"), Row("off", "x", False)),
                     headers=(Row("Accept", "application/json"), Row("X-Off", "1", False)), body_kind="form",
                     form=(Row("a", "1"),), auth=Auth(kind="apikey", key_name="K", key_value="v", key_in="query"),
                     options=Options(timeout=5.0, follow_redirects=True, verify_tls=True, http2=True))
    e.set_draft(d)
    assert e.draft() == d
    assert e.findChild(QLineEdit, "urlEdit").text() == "http://h/x?q=1"


def test_live_findings_of_a_file_body_are_read_off_the_gui_thread_and_a_device_is_not_read(qtbot, tmp_path,
                                                                                           monkeypatch):
    import os
    import threading
    import time

    import app.ui.request.request_editor as request_editor

    readers = []
    real = request_editor.read_file_for_findings
    monkeypatch.setattr(request_editor, "read_file_for_findings",
                        lambda path: readers.append(threading.current_thread()) or real(path))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    e = make(qtbot)
    for path in ("/dev/zero", str(fifo)):
        started = time.perf_counter()
        with qtbot.waitSignal(e.findings_changed, timeout=3000):
            e.set_draft(RequestDraft(method="POST", url="http://h/u", body_kind="binary", binary_path=path))
        assert time.perf_counter() - started < 2.0
    assert readers and all(t is not threading.main_thread() for t in readers)


def test_one_short_warning_with_the_fix_as_a_button_and_the_details_one_click_away(qtbot):
    e = make(qtbot)
    e.set_draft(RequestDraft(method="POST", url="http://h/orders", body_kind="raw", raw_text='{"item": 1}',
                             raw_content_type=""))
    e.refresh_findings()
    short = e.findings_label.text()
    assert short.startswith("⚠") and "415" in short and "\n" not in short and len(short) < 120
    assert e.fix_button.isVisible() and e.fix_button.text() == "Add Content-Type: application/json"
    e.details_button.click()
    assert e.findings()[0].text in e.findings_label.text()  # the whole sentence, one click away
    e.fix_button.click()
    assert Row("Content-Type", "application/json") in e.headers.rows()
    e.refresh_findings()
    assert not e.findings_bar.isVisible()


def test_enter_on_the_missing_row_adds_the_header_a_form_gets_its_own_type(qtbot):
    e = make(qtbot)
    e.set_draft(RequestDraft(method="POST", url="http://h/orders", body_kind="raw", raw_text="plain words",
                             raw_content_type=""))
    e.refresh_findings()
    e.tabs.setCurrentWidget(e.headers_page)
    row = next(r for r in range(e.headers.rowCount()) if e.headers.item(r, 1).text().endswith("missing"))
    e.headers.setCurrentCell(row, 1)
    e.headers.setFocus()
    qtbot.keyClick(e.headers, Qt.Key.Key_Return)
    assert Row("Content-Type", "text/plain; charset=utf-8") in e.headers.rows()  # what this body is, not JSON
