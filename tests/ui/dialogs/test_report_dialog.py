"""Triage report: secrets redacted in copied/saved Markdown and HTML unless deliberately included."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLabel

from app.core.draft import RequestDraft, Row
from app.ui.dialogs.report_dialog import ReportDialog
from tests.ui.workspace_support import make_window, send_and_wait, wait_task  # noqa: F401 (fixtures)


def test_report_has_no_secret_unless_included(qtbot, make_window, demo, tmp_path):
    w = make_window()
    tab = w.new_tab(RequestDraft(method="POST", url=f"{demo}/orders",
                                 headers=(Row("Authorization", "Bearer SECRET123"), Row("Accept", "application/json")),
                                 body_kind="raw", raw_text='{"item": "coffee"}', raw_content_type=""))
    send_and_wait(qtbot, tab)
    assert tab.findChild(QLabel, "statusLine").text().startswith("415")
    dialog = w.workspace.handback.show_report()
    assert isinstance(dialog, ReportDialog) and dialog.objectName() == "reportDialog"
    assert dialog.isVisible() and not dialog.isModal()
    labels = [dialog.redactions.item(i).text() for i in range(dialog.redactions.count())]
    assert any("Authorization" in t for t in labels)
    assert "SECRET123" not in dialog.markdown()
    assert "415" in dialog.markdown()

    md, html = tmp_path / "r.md", tmp_path / "r.html"
    assert dialog.save_markdown(md) and dialog.save_html(html)
    for f in (md, html):
        data = f.read_bytes()
        assert b"SECRET123" not in data and b"redacted" in data
    dialog.copy_markdown()
    assert "SECRET123" not in QGuiApplication.clipboard().text()

    dialog.set_included("Authorization")
    assert "SECRET123" in dialog.markdown()
    assert dialog.warning.isVisible() and "authorization" in dialog.warning.text().lower()
    md2 = tmp_path / "included.md"
    assert dialog.save_markdown(md2)
    assert b"Bearer SECRET123" in md2.read_bytes()
    dialog.set_included("Authorization", False)
    assert "SECRET123" not in dialog.markdown()


def test_copy_as_curl_is_redacted_and_har_save_too(qtbot, make_window, demo, tmp_path):
    w = make_window()
    tab = w.new_tab(RequestDraft(method="GET", url=f"{demo}/status/200?access_token=SECRET123",
                                 headers=(Row("X-Api-Key", "SECRET123"),)))
    text = w.workspace.handback.copy_as_curl()  # before sending: from the draft
    assert text.startswith("curl") and "SECRET123" not in text
    send_and_wait(qtbot, tab)
    text = w.workspace.handback.copy_as_curl()
    assert "SECRET123" not in text and "SECRET123" not in QGuiApplication.clipboard().text()
    path = tmp_path / "x.har"
    assert wait_task(qtbot, w.workspace.tasks.spawn(w.workspace.handback.save_har(str(path))))
    assert b"SECRET123" not in path.read_bytes()


def test_no_exchange_yet_says_so(qtbot, make_window):
    w = make_window()
    w.new_tab(RequestDraft(method="GET", url="http://127.0.0.1:9/x"))
    assert w.workspace.handback.show_report() is None
    assert "No exchange yet" in w.statusBar().currentMessage()
    assert not any(isinstance(c, QDialog) and c.isVisible() for c in w.children())


def test_everything_in_the_report_passes_the_one_redaction(qapp):
    """The findings' sentences quote header values (Location here): they pass the same redaction as the headers."""
    import time

    from app.core.catalog import load_default_catalog
    from app.core.triage import load_triage
    from app.ui.dialogs.report_dialog import report_texts

    raw = (b"POST /orders HTTP/1.1\r\nHost: api.example.test\r\nContent-Type: application/json\r\n"
           b"Content-Length: 2\r\n\r\n{}\r\n"
           b"HTTP/1.1 201 Created\r\nLocation: https://api.example.test/orders/7?access_token=LOCSECRET9\r\n"
           b"Content-Type: application/json\r\nContent-Length: 39\r\n\r\n"
           b'{"Message": "Order 7 created", "id": 7}')
    d = load_triage(raw, "exchange.txt", load_default_catalog(), time.time()).rows[0].diagnosis
    assert d.exchange.response is not None and d.message is not None
    md, html, reds = report_texts(d)
    for text in (md, html):
        assert "LOCSECRET9" not in text
    assert reds
    md_kept, _html, _reds = report_texts(d, keep=frozenset({"access_token"}))
    assert "LOCSECRET9" in md_kept  # a deliberate inclusion puts the real value back


def test_whole_file_report_from_the_har_view_with_preview(qtbot, make_window):
    from pathlib import Path

    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QTextDocument

    chrome = Path(__file__).resolve().parents[2] / "core" / "formats" / "fixtures" / "chrome_export.har"
    w = make_window()
    view = w.workspace.importing.open_capture(str(chrome))
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10000)
    assert view.file_report_button.isEnabled()
    view.file_report_button.click()
    dialog = w.workspace.importing.report_dialog
    assert isinstance(dialog, ReportDialog) and dialog.isVisible() and not dialog.isModal()
    qtbot.waitUntil(lambda: dialog.task.done() and bool(dialog.markdown()), timeout=10000)
    md = dialog.markdown()
    assert "| 2 | GET | /pixel.png | 200 | OK | 0 |" in md and "## Entry \\#1: POST /v1/orders" in md
    assert "tok_1" not in md and "tok_1" not in dialog.html()
    # the preview renders the HTML report; the Markdown is one toggle away
    assert dialog.views.currentWidget() is dialog.preview
    shown = dialog.preview.toPlainText()
    assert "Entry #1: POST /v1/orders" in shown and "Documented status" in shown and "<table" not in shown
    dialog.markdown_toggle.setChecked(True)
    assert dialog.views.currentWidget() is dialog.text and dialog.text.toPlainText() == md
    assert dialog.preview.loadResource(QTextDocument.ResourceType.ImageResource.value, QUrl("http://x/a.png")) is None
    dialog.set_included("access_token")
    qtbot.waitUntil(lambda: dialog.task.done() and "tok_1" in dialog.markdown(), timeout=10000)
    assert "access_token" in dialog.warning.text() and dialog.copy_button.isEnabled()


def test_single_report_preview_has_no_retry_after_line_for_a_404(qtbot, make_window, demo):
    w = make_window()
    tab = w.new_tab(RequestDraft(method="GET", url=f"{demo}/status/404"))
    send_and_wait(qtbot, tab)
    dialog = w.workspace.handback.show_report()
    assert "404" in dialog.preview.toPlainText()
    assert "Retry-After" not in dialog.markdown()


def test_closing_the_file_report_while_it_is_written_is_quiet(qtbot, make_window):
    from pathlib import Path

    import shiboken6

    chrome = Path(__file__).resolve().parents[2] / "core" / "formats" / "fixtures" / "chrome_export.har"
    w = make_window()
    view = w.workspace.importing.open_capture(str(chrome))
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10000)
    dialog = w.workspace.importing.show_file_report(view.name, tuple(view.model.rows))
    task = dialog.task
    assert dialog.status.text() == "Writing the report…" and not dialog.copy_button.isEnabled()
    dialog.close()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5000)
    qtbot.waitUntil(task.done, timeout=10000)
    assert task.exception() is None
