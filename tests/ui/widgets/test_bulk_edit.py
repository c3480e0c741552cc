"""Bulk edit of headers and params in the request editor: text out, text back, a bad line kept with a sentence."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.draft import RequestDraft, Row
from app.ui.request.request_editor import RequestEditor


def _editor(qtbot) -> RequestEditor:
    editor = RequestEditor()
    qtbot.addWidget(editor)
    editor.resize(700, 400)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def _retype(qtbot, text_edit, text: str) -> None:
    text_edit.setFocus()
    text_edit.selectAll()
    qtbot.keyClick(text_edit, Qt.Key.Key_Delete)
    for i, line in enumerate(text.split("\n")):
        if i:
            qtbot.keyClick(text_edit, Qt.Key.Key_Return)
        if line.isascii():
            qtbot.keyClicks(text_edit, line)
        else:  # QTest types ASCII keys only: the masked "••••" line is pasted in
            text_edit.insertPlainText(line)


def test_headers_round_trip_with_a_bad_line_and_a_masked_secret(qtbot):
    ed = _editor(qtbot)
    ed.set_draft(RequestDraft(method="GET", url="http://127.0.0.1:9/orders",
                              headers=(Row("Accept", "application/json"), Row("Authorization", "Bearer s3cr3t-T0K"),
                                       Row("X-Debug", "1", False))))
    ed.tabs.setCurrentWidget(ed.headers_page)
    bulk = ed.headers_bulk
    qtbot.mouseClick(bulk.toggle, Qt.MouseButton.LeftButton)
    assert bulk.in_text_mode() and bulk.text.isVisible() and not ed.headers.isVisible()
    shown = bulk.text.toPlainText()
    assert shown.startswith("Accept: application/json\nAuthorization: Bearer ") and "# X-Debug: 1" in shown
    assert "s3cr3t" not in shown  # masked in the text as in the table
    auth_line = shown.splitlines()[1]
    _retype(qtbot, bulk.text, f"Accept: text/plain\n{auth_line}\n// X-Debug: 2\nContent Type json")
    assert "Line 4" in bulk.error.text() and bulk.error.isVisible()
    qtbot.mouseClick(bulk.toggle, Qt.MouseButton.LeftButton)  # back to the table: refused, text kept
    assert bulk.in_text_mode() and bulk.toggle.isChecked()
    assert bulk.text.toPlainText().endswith("Content Type json")
    _retype(qtbot, bulk.text, f"Accept: text/plain\n{auth_line}\n// X-Debug: 2\nContent-Type: application/json")
    assert not bulk.error.isVisible()
    qtbot.mouseClick(bulk.toggle, Qt.MouseButton.LeftButton)
    assert not bulk.in_text_mode() and ed.headers.isVisible()
    assert ed.draft().headers == (Row("Accept", "text/plain"), Row("Authorization", "Bearer s3cr3t-T0K"),
                                  Row("X-Debug", "2", False), Row("Content-Type", "application/json"))


def test_params_text_is_sent_as_typed_and_follows_the_url(qtbot):
    ed = _editor(qtbot)
    ed.set_draft(RequestDraft(method="GET", url="http://127.0.0.1:9/search?q=tea"))
    bulk = ed.params_bulk
    qtbot.mouseClick(bulk.toggle, Qt.MouseButton.LeftButton)
    assert bulk.text.toPlainText() == "q=tea\n"
    _retype(qtbot, bulk.text, "q=coffee\npage: 2\n#debug=1")
    # what is sent is what the text says, even before switching back
    assert ed.draft().params == (Row("q", "coffee"), Row("page", "2"), Row("debug", "1", False))
    assert ed.url.text() == "http://127.0.0.1:9/search?q=coffee&page=2"
    ed.url.setFocus()
    ed.url.setText("http://127.0.0.1:9/search?q=milk")
    assert bulk.text.toPlainText().startswith("q=milk\n")  # the URL's parameters show in the text
