"""The response view over diagnoses of real exchanges (the real diagnosis engine, real widgets offscreen)."""

from __future__ import annotations

import json
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing, TransportError
from app.core.humanize import human_moment
from app.ui.style import status_color

URL = "http://127.0.0.1:8080/orders"
NOW = 1_700_000_000.0


@pytest.fixture(scope="module")
def catalog():
    return load_default_catalog()


def post(headers=(("Content-Type", "application/json"),), body=b'{"item": "x"}') -> HttpRequest:
    hs = (("Host", "127.0.0.1:8080"),) + tuple(headers) + (("Content-Length", str(len(body))),)
    return HttpRequest("POST", URL, hs, body)


def diag(catalog, status, reason="", headers=(), body=b"", request=None, typed=None, **kw):
    resp = HttpResponse(status, reason, headers=tuple(headers), body=body, **kw)
    ex = Exchange(request or post(), resp, Timing(connect=0.002, tls=None, request_sent=0.001, first_byte=0.03,
                                                  download=0.005, total=0.038), started_at=NOW)
    return diagnose(ex, catalog, NOW, typed_request=typed, received_at=NOW)


def child(view, cls, name):
    w = view.findChild(cls, name)
    assert w is not None, name
    return w


def label_colour(label: QLabel) -> QColor:
    return QColor(label.styleSheet().split("color:")[1].strip(" ;"))


def test_415_verdict_explanation_and_api_message(view, catalog):
    body = json.dumps({"Message": "The request entity has a media type which the server does not support."}).encode()
    d = diag(catalog, 415, "Unsupported Media Type",
             [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body,
             request=post(headers=()), framing="content-length")
    view.show_diagnosis(d)
    status = child(view, QLabel, "statusLine")
    assert status.text() == f"415 Unsupported Media Type · 38 ms · {len(body)} B · HTTP/1.1"
    assert label_colour(status) == status_color(415, view.palette())
    expl = child(view, QLabel, "statusExplanation").text()
    assert "Content-Type header is missing or wrong." in expl and "(API documentation · Client)" in expl
    assert child(view, QLabel, "apiMessage").text() == (
        "API says: “The request entity has a media type which the server does not support.”")
    ids = child(view, QPlainTextEdit, "responseBody")  # exists
    assert ids is not None
    findings = view.findings
    assert "request-missing-content-type" in findings.finding_ids()
    assert findings.item(0).data(Qt.ItemDataRole.UserRole) == "request-missing-content-type"
    assert view.tabs.tabText(view.tab_findings) == f"Findings ({len(d.findings)})"


@pytest.mark.parametrize("code", [200, 301, 404, 503])
def test_status_colour_per_class(view, catalog, code):
    view.show_diagnosis(diag(catalog, code, "X", [("Content-Type", "text/plain")], b"x"))
    assert label_colour(child(view, QLabel, "statusLine")) == status_color(code, view.palette())


def test_undocumented_code_says_http_standard(view, catalog):
    view.show_diagnosis(diag(catalog, 418, "I'm a Teapot", [("Content-Type", "text/plain")], b"x"))
    assert "not in the API documentation · HTTP standard meaning" in child(view, QLabel, "statusExplanation").text()
    assert child(view, QLabel, "apiMessage").isHidden()


def test_204_shows_the_erratum_note(view, catalog):
    req = HttpRequest("DELETE", URL + "/1", (("Host", "127.0.0.1:8080"),))
    view.show_diagnosis(diag(catalog, 204, "No Content", [], b"", request=req))
    note = child(view, QLabel, "statusNote")
    assert not note.isHidden() and "No Content" in note.text() and "204" in note.text()


def test_429_rate_limit_and_countdown(view, catalog):
    d = diag(catalog, 429, "Too Many Requests",
             [("Content-Type", "application/json"), ("Retry-After", "42"), ("RateLimit-Limit", "5"),
              ("RateLimit-Remaining", "2"), ("RateLimit-Reset", "40")], b'{"Message": "Slow down."}')
    view.show_diagnosis(d)
    # the numbers describe the moment of the answer: the reset is a wall-clock time that stays true as time passes
    reset = human_moment(NOW + 0.038 + 40, now=time.time())
    assert child(view, QLabel, "rateLimit").text() == (
        f"Rate limit: 2 of 5 requests left; the limit resets at {reset}.")
    assert "Too many requests" in child(view, QLabel, "statusExplanation").text()
    view.set_countdown(42, time.time() + 42, "http://127.0.0.1:8080")
    cd = child(view, QLabel, "retryCountdown")
    assert cd.isVisible() and cd.text().lstrip("⏱ ").startswith("POST allowed again in 0:42 (at ")
    view.set_countdown(None, None, None)
    assert cd.text().lstrip("✓ ").startswith("POST allowed again")


def _row(table, name):
    for r in range(table.rowCount()):
        if table.item(r, 0).text() == name:
            return r
    raise AssertionError(f"no row {name!r}: {[table.item(r, 0).text() for r in range(table.rowCount())]}")


def test_placeholder_row_for_missing_content_type(view, catalog):
    d = diag(catalog, 200, "OK", [("Content-Length", "2")], b"{}", framing="content-length")
    view.show_diagnosis(d)
    table = view.findChild(object, "responseHeadersTable")
    r = _row(table, "Content-Type — missing")
    assert table.item(r, 0).data(Qt.ItemDataRole.UserRole) == ["response-missing-content-type"]
    assert "no Content-Type" in table.item(r, 0).toolTip()
    assert not table.item(r, 0).icon().isNull()
    # the Content-Length row is not marked
    assert table.item(_row(table, "Content-Length"), 0).data(Qt.ItemDataRole.UserRole) == []


def test_placeholder_row_for_chunked_body(view, catalog):
    d = diag(catalog, 200, "OK", [("Content-Type", "application/json"), ("Transfer-Encoding", "chunked")],
             b"{}", framing="chunked")
    view.show_diagnosis(d)
    table = view.headers_table
    r = _row(table, "Content-Length — missing (chunked)")
    assert table.item(r, 0).data(Qt.ItemDataRole.UserRole) == ["response-missing-content-length"]


def test_lying_content_length_row_is_red(view, catalog):
    d = diag(catalog, 200, "OK", [("Content-Type", "text/plain"), ("Content-Length", "100")], b"0123456789",
             wire_bytes=10, framing="content-length")
    view.show_diagnosis(d)
    table = view.headers_table
    r = _row(table, "Content-Length")
    assert table.item(r, 0).data(Qt.ItemDataRole.UserRole) == ["response-content-length-mismatch"]
    assert table.item(r, 2).text() == "declared 100 bytes, received 10"
    from app.ui.style import severity_color
    assert table.item(r, 2).foreground().color() == severity_color("error", table.palette())
    assert "Headers (2 · 1 ⚠)" == view.tabs.tabText(view.tab_headers)


def test_sent_tab_marks_headers_the_client_added(view, catalog):
    typed = HttpRequest("POST", URL, (("Content-Type", "application/json"),), b'{"item": "x"}')
    sent = HttpRequest("POST", URL, (("Host", "127.0.0.1:8080"), ("Accept-Encoding", "gzip"),
                                     ("Content-Type", "application/json"), ("Content-Length", "13")), typed.body)
    d = diag(catalog, 201, "Created", [("Content-Type", "application/json"), ("Location", "/orders/1")],
             b'{"id": 1}', request=sent)
    view.show_diagnosis(d, typed_request=typed)
    table = view.sent_table
    notes = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}
    assert notes["Host"] == notes["Accept-Encoding"] == notes["Content-Length"] == "added by the client"
    assert notes["Content-Type"] == ""
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [k for k, _ in sent.headers]


def test_timing_chart_handles_missing_phases(view, catalog):
    view.show_diagnosis(diag(catalog, 200, "OK", [("Content-Type", "text/plain")], b"x"))
    rows = view.timing.rows()
    assert [d for _, d, _ in rows] == [0.002, None, 0.001, 0.03, 0.005]
    assert "TLS handshake —" in view.timing.summary()
    view.timing.set_timing(Timing())  # nothing known at all
    pix = view.timing.grab()  # paints without raising
    assert not pix.isNull()


def test_transport_error_sentence_with_details_toggle(view, catalog):
    ex = Exchange(post(), None, Timing(total=0.003),
                  error=TransportError("refused", "The server refused the connection (nothing listens on 127.0.0.1:9).",
                                       "httpx.ConnectError: [Errno 111] Connection refused"))
    view.show_diagnosis(diagnose(ex, catalog, NOW))
    assert child(view, QLabel, "statusLine").text().startswith("No response")
    assert child(view, QLabel, "statusExplanation").text().startswith("The server refused the connection")
    button = view.details_button
    details = view.details
    assert button.isVisible() and details.isHidden()
    button.click()
    assert details.isVisible() and "Errno 111" in details.toPlainText()
    button.click()
    assert details.isHidden()


def test_incomplete_body_shows_response_and_error(view, catalog):
    resp = HttpResponse(200, "OK", headers=(("Content-Type", "text/plain"), ("Content-Length", "100")),
                        body=b"0123456789", wire_bytes=10, framing="content-length")
    ex = Exchange(post(), resp, Timing(total=0.01),
                  error=TransportError("incomplete", "The server closed the connection before the whole body arrived.",
                                       "RemoteProtocolError: peer closed connection"))
    view.show_diagnosis(diagnose(ex, catalog, NOW))
    status = child(view, QLabel, "statusLine")
    assert status.text().startswith("200 OK") and status.text().endswith("stopped: incomplete")
    assert label_colour(status) == status_color(None, view.palette())  # not the green of a clean 2xx
    assert "closed the connection before the whole body" in view.notes.text()
    assert view.body.pretty.toPlainText() == "0123456789"


def test_invalid_json_body_note(view, catalog):
    view.show_diagnosis(diag(catalog, 400, "Bad Request", [("Content-Type", "application/json")], b'{"a": 1,, }'))
    assert view.body.pretty.toPlainText() == '{"a": 1,, }'
    assert "Not valid JSON: line 1 column 9" in view.body.banner.label.text()


def test_image_preview(view, catalog, qtbot):
    img = QImage(4, 3, QImage.Format.Format_RGB32)
    img.fill(QColor("red"))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    png = bytes(buf.data())
    view.show_diagnosis(diag(catalog, 200, "OK", [("Content-Type", "image/png")], png))
    assert view.tabs.isTabEnabled(view.tab_image)
    qtbot.waitUntil(lambda: view.body.image_view.has_image, timeout=5000)  # decoded on a worker
    assert view.body.image.pixmap().width() == 4
    assert view.body.raw.toPlainText().startswith("00000000  89 50 4e 47")


def test_large_json_body_is_truncated_and_formatted_off_the_gui_thread(view, catalog, qtbot, tmp_path):
    rows = [{"id": i, "name": f"item {i}", "tags": ["a", "b"]} for i in range(400_000)]
    whole = json.dumps(rows).encode()
    assert len(whole) > 20 * 1024 * 1024
    path = tmp_path / "body.bin"
    path.write_bytes(whole)
    preview = whole[: 4 * 1024 * 1024]
    d = diag(catalog, 200, "OK", [("Content-Type", "application/json"), ("Content-Length", str(len(whole)))],
             preview, wire_bytes=len(whole), decoded_bytes=len(whole), body_truncated=True, body_path=str(path),
             framing="content-length")
    start = time.perf_counter()
    view.show_diagnosis(d)
    spent = time.perf_counter() - start
    assert spent < 0.5, f"show_diagnosis blocked the GUI thread for {spent:.2f} s"
    assert view.body.pending
    with qtbot.waitSignal(view.bodyFormatted, timeout=20000):
        pass
    text = view.body.pretty.toPlainText()
    assert text.startswith('[\n  {\n    "id": 0,')
    assert view.body.pretty.lineWrapMode() == QPlainTextEdit.LineWrapMode.NoWrap
    banner = view.body.banner.label.text()
    assert "Body shows the first 2 MB re-indented; Raw shows all 22.3 MB as received" in banner
    assert view.body.banner.save.isVisible()
    view.tabs.setCurrentIndex(view.tab_raw)  # every byte is reachable: the Raw tab scrolls to the file's end
    pager = view.body.raw_pager
    qtbot.waitUntil(lambda: pager.win is not None, timeout=10000)
    pager.bar.setValue(pager.bar.maximum())
    qtbot.waitUntil(lambda: pager.win.end == len(whole), timeout=10000)
    assert view.body.raw.toPlainText().replace("\n", "").endswith(whole[-2000:].decode())  # broken after commas
    # Save body… copies the whole temp file, not the preview, off the GUI thread
    target = tmp_path / "saved.json"
    with qtbot.waitSignal(view.body.saved, timeout=10000) as sig:
        view.body.save_to(str(target))
    assert sig.args == [str(target), ""]
    assert target.stat().st_size == len(whole)


def test_a_newer_response_wins_over_a_slow_format(view, catalog, qtbot):
    big = json.dumps([{"i": i} for i in range(20000)]).encode()
    view.show_diagnosis(diag(catalog, 200, "OK", [("Content-Type", "application/json")], big))
    view.show_diagnosis(diag(catalog, 404, "Not Found", [("Content-Type", "text/plain")], b"gone"))
    qtbot.wait(200)
    assert view.body.pretty.toPlainText() == "gone"


def test_sending_progress_cancel_and_build_error(view):
    view.show_sending("POST", URL)
    assert child(view, QLabel, "statusLine").text() == f"Sending POST {URL} …"
    view.show_progress(1.25, 348160, 2 * 1024 * 1024)
    assert child(view, QLabel, "statusLine").text() == "Waiting… 1.2 s · 340 KB of 2 MB received"
    view.show_cancelled()
    assert child(view, QLabel, "statusLine").text() == "Cancelled"
    view.show_build_error("The URL has no host: http://")
    assert child(view, QLabel, "statusExplanation").text() == "The URL has no host: http://"
    view.clear()
    assert view.findings.finding_ids() == []


def test_accessible_names(view):
    from PySide6.QtWidgets import QWidget
    for name in ("statusLine", "statusExplanation", "apiMessage", "retryCountdown", "responseBody",
                 "responseHeadersTable", "findingsList", "timingChart", "sentHeadersTable", "responseTabs"):
        w = view.findChild(QWidget, name)
        assert w is not None and w.accessibleName(), name


def test_big_text_loads_as_you_scroll_and_raw_fills_when_its_tab_opens(view, catalog, qtbot):
    from app.ui.response.body_source import WINDOW

    lines = [f"line {i} " + "x" * 90 for i in range(30000)]  # ~3 MB: more than is formatted whole
    text = "\n".join(lines)
    view.show_diagnosis(diag(catalog, 200, "OK", [("Content-Type", "text/plain")], text.encode()))
    qtbot.waitUntil(lambda: not view.body.pending, timeout=10000)
    body = view.body
    shown = body.pretty.toPlainText()
    assert shown.startswith("line 0 ") and len(shown) <= WINDOW + 4096  # one window, not the whole body
    assert "Showing all 2.9 MB as received, read as you scroll" in body.banner.label.text()
    assert body.raw.toPlainText() == ""  # not laid out until looked at
    view.tabs.setCurrentIndex(view.tab_raw)
    assert body.raw.toPlainText().startswith("line 0 ")
    view.tabs.setCurrentIndex(view.tab_body)
    pager = body.pretty_pager
    pager.bar.setValue(pager.bar.maximum())  # drag the whole-body bar to its end
    qtbot.waitUntil(lambda: pager.win.end == len(text), timeout=10000)
    assert body.pretty.toPlainText().endswith(lines[-1])
    pager.bar.setValue(pager.bar.maximum() // 2)
    qtbot.waitUntil(lambda: "line 15000 " in body.pretty.toPlainText(), timeout=10000)


def test_one_giant_line_is_broken_for_display(view, catalog, qtbot):
    data = b"a" * 200_000
    view.show_diagnosis(diag(catalog, 200, "OK", [("Content-Type", "text/plain")], data))
    qtbot.waitUntil(lambda: not view.body.pending, timeout=10000)
    first = view.body.pretty.document().firstBlock().text()
    assert len(first) == 4096
    assert "Long lines are broken for display" in view.body.banner.label.text()
    assert not view.body.raw_note.isHidden()
