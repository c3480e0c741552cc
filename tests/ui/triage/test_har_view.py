"""HAR triage: open a file off the GUI thread, list entries with documented names, select one, load into builder."""

from __future__ import annotations

import time
from email.utils import formatdate
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.core.catalog import load_default_catalog
from app.core.formats.har import to_har
from app.core.models import Exchange, HttpRequest, HttpResponse
from app.core.triage import load_triage
from app.ui.triage.har_view import FAILED_ROLE, HarModel, HarView
from app.ui.request.request_tab import RequestTab
from tests.ui.workspace_support import make_window, send_and_wait, wait_task  # noqa: F401 (fixtures)

CHROME = Path(__file__).resolve().parents[2] / "core" / "formats" / "fixtures" / "chrome_export.har"


def cells(model, row: int) -> list[str]:
    return [model.data(model.index(row, c), Qt.ItemDataRole.DisplayRole) for c in range(model.columnCount())]


def test_model_lists_entries_failures_first_with_documented_names():
    result = load_triage(CHROME.read_bytes(), "chrome_export.har", load_default_catalog(), time.time())
    model = HarModel()
    model.set_rows(result.rows)
    assert model.rowCount() == 4
    rows = [cells(model, r) for r in range(4)]
    failed = [model.data(model.index(r, 0), FAILED_ROLE) for r in range(4)]
    assert failed == sorted(failed, reverse=True)  # failures first
    first = rows[0]
    assert first[1] == "POST" and first[3] == "429" and first[4] == "Too many requests" and first[5].startswith("1")
    assert any(r[3] == "—" and r[4].startswith("No response") for r in rows)
    assert any(r[4] == "No Content" for r in rows)


def test_open_har_in_window_and_select_entry(qtbot, make_window):
    w = make_window()
    view = w.workspace.importing.open_capture(str(CHROME))
    assert isinstance(view, HarView) and w.tabs.currentWidget() is view
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10000)
    # the first (failed) entry is selected: same response view as a live request
    status = view.response.findChild(QLabel, "statusLine").text()
    assert status.startswith("429")
    assert "Too many requests" in view.response.findChild(QLabel, "statusExplanation").text()
    view.select_row(view.proxy.rowCount() - 1)
    assert view.response.findChild(QLabel, "statusLine").text().startswith(("200", "204"))
    view.only_failures.setChecked(True)
    assert view.proxy.rowCount() == 2
    view.filter_edit.setText("orders")
    assert view.proxy.rowCount() == 1


def test_retry_after_counts_from_the_response_date(qtbot, make_window, tmp_path):
    sent = time.time() - 10
    resp = HttpResponse(429, "Too Many Requests", headers=(("Date", formatdate(sent, usegmt=True)),
                                                           ("Retry-After", "60"),
                                                           ("Content-Type", "application/json"),
                                                           ("Content-Length", "2")), body=b"{}")
    ex = Exchange(HttpRequest("POST", "http://api.test/orders", (("Content-Type", "application/json"),), b"{}"),
                  resp, started_at=sent)
    path = tmp_path / "one.har"
    path.write_text(to_har([ex]), encoding="utf-8")
    w = make_window()
    view = w.workspace.importing.open_capture(str(path))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    ra = view.current_diagnosis().retry_after
    assert ra is not None and abs(ra.until - (int(sent) + 60)) <= 1


def _triage_of_a_real_404(qtbot, w, demo, path: Path) -> HarView:
    """A 404 from the practice server saved as a HAR file and opened for triage."""
    tab = w.new_tab()
    tab.editor.set_url(f"{demo}/status/404")
    send_and_wait(qtbot, tab)
    assert wait_task(qtbot, w.workspace.tasks.spawn(w.workspace.handback.save_har(str(path))))
    view = w.workspace.importing.open_capture(str(path))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    return view


def test_har_of_real_exchanges_and_load_into_builder(qtbot, make_window, demo, tmp_path):
    w = make_window()
    view = _triage_of_a_real_404(qtbot, w, demo, tmp_path / "real.har")
    assert cells(view.model, 0)[3] == "404"
    before = len(w.request_tabs())
    view.load_button.click()
    assert len(w.request_tabs()) == before + 1
    new = w.current_tab()
    assert isinstance(new, RequestTab) and new.editor.url.text() == f"{demo}/status/404"
    assert not any(r.name.lower() == "host" for r in new.draft().headers)


def test_garbage_file_gives_a_sentence_not_a_traceback(qtbot, make_window, tmp_path):
    path = tmp_path / "broken.har"
    path.write_bytes(b'{"log": {"entries": [{"request": 5}]}}')
    w = make_window()
    view = w.workspace.importing.open_capture(str(path))
    qtbot.waitUntil(lambda: view.task.done(), timeout=10000)
    assert "could not be opened" in view.summary.text()
    assert view.model.rowCount() == 0


def test_pasted_raw_exchange_is_diagnosed_offline(qtbot, make_window):
    w = make_window()
    text = ("POST /orders HTTP/1.1\r\nHost: api.test\r\n\r\n{}\r\n\r\n"
            "HTTP/1.1 415 Unsupported Media Type\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    view = w.workspace.importing.import_text(text, "pasted text")
    assert isinstance(view, HarView)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    assert view.response.findChild(QLabel, "statusLine").text().startswith("415")


def test_list_and_response_stay_readable_in_a_1400_px_window(qtbot, make_window):
    """Side by side at 1400 px the path shrank to "/v1/o…tok_1" and the response tabs scrolled: stack them."""
    w = make_window()
    w.resize(1400, 900)
    view = w.workspace.importing.open_capture(str(CHROME))
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10000)
    qtbot.waitUntil(lambda: view.width() > 900, timeout=5000)
    path = view.proxy.data(view.proxy.index(0, 2), Qt.ItemDataRole.DisplayRole)
    assert view.table.columnWidth(2) >= view.table.fontMetrics().horizontalAdvance(path)
    bar = view.response.tabs.tabBar()
    qtbot.waitUntil(lambda: bar.width() >= bar.sizeHint().width(), timeout=5000)  # every tab label whole
    w.resize(2200, 900)  # room for both: side by side again
    qtbot.waitUntil(lambda: view.splitter.orientation() == Qt.Orientation.Horizontal, timeout=5000)


# --- hostile captures: secrets masked until asked, markup shown literally -----------------------------------

def _hostile_har(tmp_path: Path) -> Path:
    ex = Exchange(
        HttpRequest("<img src=x>", "https://api.example.com/o/<b>1</b>?access_token=AT-1#id_token=IT-2",
                    (("X-Note", '<img src="file:///etc/x.png">'),)),
        HttpResponse(400, "<b>Bad</b>", headers=(("Content-Type", "application/json"), ("X-Evil", "<b>v</b>"),
                                                  ("Location", "/next?token=LT-3")),
                     body=b'{"Message": "<b>boom</b> <img src=x>"}'))
    path = tmp_path / "hostile.har"
    path.write_text(to_har([ex], redact=False))
    return path


def _rich_texts(widget) -> list[str]:
    """Texts Qt would render as HTML: labels in AutoText/RichText whose text looks like markup, and tooltips."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtWidgets import QWidget

    found = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QLabel) and child.textFormat() != Qt.TextFormat.PlainText \
                and GuiQt.mightBeRichText(child.text()) and ("<b>" in child.text() or "<img" in child.text()):
            found.append(f"{child.objectName()}: {child.text()}")
        tip = child.toolTip()
        if "<b>" in tip or "<img" in tip:
            found.append(f"tooltip of {child.objectName()}: {tip}")
    return found


def test_har_list_entry_line_and_tooltips_mask_tokens_until_show_secrets(qtbot, make_window, tmp_path):
    w = make_window()
    view = w.workspace.importing.open_capture(str(_hostile_har(tmp_path)))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    model = view.model
    shown = [model.data(model.index(0, 2)), model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole),
             view.entry_label.text(), view.entry_label.toolTip(),
             view.response.findChild(QLabel, "sentRequestLine").text()]
    for text in shown:
        assert "AT-1" not in text and "IT-2" not in text
    assert "access_token=" in model.data(model.index(0, 2))
    view.show_secrets.setChecked(True)
    assert "AT-1" in model.data(model.index(0, 2)) and "AT-1" in view.entry_label.text()
    assert view.response.show_secrets.isChecked()  # one switch for the whole triage screen
    assert "AT-1" in view.response.findChild(QLabel, "sentRequestLine").text()
    view.response.show_secrets.setChecked(False)
    assert not view.show_secrets.isChecked() and "AT-1" not in view.entry_label.text()


def test_markup_from_a_capture_is_shown_literally(qtbot, make_window, tmp_path):
    w = make_window()
    view = w.workspace.importing.open_capture(str(_hostile_har(tmp_path)))
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    assert "<img src=x>" in view.entry_label.text()
    assert "<b>Bad</b>" in view.response.findChild(QLabel, "statusLine").text()
    assert view.entry_label.textFormat() == Qt.TextFormat.PlainText
    from PySide6.QtGui import Qt as GuiQt

    tip = view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img" in tip and not ("<img" in tip)  # escaped: Qt shows the characters, loads nothing
    assert GuiQt.mightBeRichText(tip)  # ...as HTML that displays the text literally
    view.response.headers_table.show_response(view.current_diagnosis().exchange.response,
                                              view.current_diagnosis().findings)
    assert _rich_texts(view) == []


def test_loaded_entry_keeps_the_customers_answer_and_offers_the_comparison(qtbot, make_window, demo, tmp_path):
    from app.ui.compare.view import ComparisonView
    from app.ui.triage.customer_answer import CustomerAnswerBar

    w = make_window()
    view = _triage_of_a_real_404(qtbot, w, demo, tmp_path / "customer.har")
    view.load_button.click()
    new = w.current_tab()
    bar = new.findChild(CustomerAnswerBar, "customerAnswerBar")
    assert bar is not None
    qtbot.waitUntil(bar.isVisible, timeout=5000)  # a widget added to a shown tab is shown on the next event pass
    # before any send the tab shows the customer's answer as its stored one
    assert new.response.findChild(QLabel, "statusLine").text().startswith("404")
    assert new.current_diagnosis() is view.current_diagnosis()
    assert "customer.har #1" in bar.text.text() and "404" in bar.text.text()
    assert not bar.compare_button.isVisible()
    new.editor.set_url(f"{demo}/status/200")
    send_and_wait(qtbot, new)
    qtbot.waitUntil(bar.compare_button.isVisible, timeout=5000)
    assert "Sent again: 200" in bar.text.text() and "customer got 404" in bar.text.text()
    bar.compare_button.click()
    page = w.tabs.currentWidget()
    assert isinstance(page, ComparisonView)
    assert "customer.har #1" in w.tabs.tabText(w.tabs.currentIndex())


def test_triage_tab_never_widens_the_window_past_900_px(qtbot, make_window):
    """The entry line (a long URL) beside three buttons set the triage page's minimum width to 862 px (1093 with the
    sidebar): the line is cut instead, whole in its tooltip."""
    w = make_window()
    w.resize(1000, 700)
    view = w.workspace.importing.open_capture(str(CHROME))
    qtbot.waitUntil(lambda: view.model.rowCount() == 4, timeout=10000)
    assert view.minimumSizeHint().width() <= 600
    assert w.minimumSizeHint().width() <= 900


def test_a_long_list_is_sized_from_the_font_not_from_every_cell(qtbot, monkeypatch):
    """Columns sized to their contents asked data() of every cell of the first 1,000 rows (~100,000 calls, the
    window frozen 0.5-1.5 s for a 1,870-entry HAR) when the list filled and again when its first row was selected.
    Only the rows on screen are asked now, and the widths still fit what the columns hold."""
    exchanges = [Exchange(HttpRequest("OPTIONS" if i == 3 else "GET", f"https://api.test/items/{i}"),
                          HttpResponse(404 if i % 7 == 0 else 200, "", body=b"{}")) for i in range(1500)]
    result = load_triage(to_har(exchanges).encode(), "long.har", load_default_catalog(), time.time())
    view = HarView(services=None)
    qtbot.addWidget(view)
    view.resize(1400, 800)
    view.show()
    qtbot.waitExposed(view)
    asked: set[int] = set()
    data = HarModel.data

    def counting(self, index, role=Qt.ItemDataRole.DisplayRole):
        asked.add(index.row())
        return data(self, index, role)

    monkeypatch.setattr(HarModel, "data", counting)
    view.set_load(result)
    qtbot.wait(100)  # the list and the first entry lay out and paint
    assert view.model.rowCount() == 1500 and view.current_row() is result.rows[0]
    assert view.current_row().failed and view.proxy.sortColumn() == -1  # arrived failures first: not re-sorted
    assert asked and max(asked) < 100, f"data() asked of row {max(asked)}"
    fm = view.table.fontMetrics()
    assert view.table.columnWidth(0) > fm.horizontalAdvance("1500")
    assert view.table.columnWidth(1) > fm.horizontalAdvance("OPTIONS")
    assert view.table.columnWidth(3) > fm.horizontalAdvance("404")
    header = view.table.horizontalHeader()
    assert header.sectionResizeMode(1) == header.ResizeMode.Interactive  # the user can still drag the borders
