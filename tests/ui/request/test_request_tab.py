"""One RequestTab on its own, driven through the services a window would lend it (TabServices), against the
practice server on 127.0.0.1: what it sends, what it tells its window, the POST guard, paste-to-import."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QLabel

from app.core.catalog import load_default_catalog
from app.core.clock import ManualClock
from app.core.draft import RequestDraft, Row
from app.core.rate_limit import OriginGate
from app.core.retry_after import parse_retry_after
from app.ui.request.request_tab import RequestTab
from app.ui.services import CatalogHolder


class WindowServices:
    """What a MainWindow lends a tab, built from the real parts (real transport, real gate)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.clock = ManualClock(time.time())
        self.gate = OriginGate(self.clock)
        self.catalogs = CatalogHolder(load_default_catalog())
        self.temp_dir = None
        self.expanded: list[RequestDraft] = []
        self.countdown_refreshes = 0
        self._transport = None

    async def get_transport(self):
        if self._transport is None:
            from app.net.transport import Transport

            self._transport = Transport()
        return self._transport

    def expand_draft(self, draft: RequestDraft) -> RequestDraft:
        self.expanded.append(draft)
        return RequestDraft.from_json({**draft.to_json(), "url": draft.url.replace("{{base}}", self.base)})

    def refresh_countdowns(self) -> None:
        self.countdown_refreshes += 1


@pytest.fixture
def services(qtbot, qloop, demo):
    s = WindowServices(demo)
    yield s
    if s._transport is not None:
        task = qloop.create_task(s._transport.aclose())
        qtbot.waitUntil(task.done, timeout=5000)


def make_tab(qtbot, services, draft: RequestDraft) -> RequestTab:
    tab = RequestTab(services, draft)
    qtbot.addWidget(tab)
    tab.show()
    return tab


def test_send_expands_variables_diagnoses_once_and_tells_the_window(qtbot, services):
    tab = make_tab(qtbot, services, RequestDraft(method="GET", url="{{base}}/status/404"))
    seen = []
    tab.diagnosed.connect(seen.append)
    with qtbot.waitSignal(tab.finished, timeout=10000):
        tab.request_send()
    assert [d.exchange.response.status for d in seen] == [404]
    assert tab.current_diagnosis() is seen[0]
    assert seen[0].documented.code == 404  # explained from the API's own page
    assert services.expanded and services.expanded[0].url == "{{base}}/status/404"
    assert tab.editor.url.text() == "{{base}}/status/404"  # the editor keeps the placeholder
    assert services.countdown_refreshes >= 1
    assert tab.findChild(QLabel, "statusLine").text().startswith("404")


def test_stored_answer_is_shown_without_sending_or_announcing(qtbot, services):
    tab = make_tab(qtbot, services, RequestDraft(method="GET", url="{{base}}/status/201"))
    with qtbot.waitSignal(tab.finished, timeout=10000):
        tab.request_send()
    d = tab.current_diagnosis()
    other = make_tab(qtbot, services, RequestDraft(method="GET", url="http://127.0.0.1:9/never"))
    seen = []
    other.diagnosed.connect(seen.append)
    other.show_stored_diagnosis(d)
    assert other.current_diagnosis() is d and seen == [] and not other.busy
    assert other.findChild(QLabel, "statusLine").text().startswith("201")


def test_post_to_a_held_origin_asks_first_and_a_get_is_not_held(qtbot, services):
    tab = make_tab(qtbot, services, RequestDraft(method="POST", url=f"{services.base}/orders",
                                                 headers=(Row("Content-Type", "application/json"),),
                                                 body_kind="raw", raw_text="{}"))
    services.gate.record(f"{services.base}/orders", parse_retry_after("30", services.clock.now()))
    tab.request_send()
    assert not tab.confirm.isHidden() and not tab.busy  # asked inline, nothing sent
    assert "30 s" in tab.confirm.text.text()
    tab.refresh_countdown()
    assert tab.editor.send.text().startswith("Send (POST in 0:3")
    tab.confirm.dismiss.click()
    assert tab.confirm.isHidden()
    get = make_tab(qtbot, services, RequestDraft(method="GET", url=f"{services.base}/status/200"))
    with qtbot.waitSignal(get.finished, timeout=10000):
        get.request_send()
    assert get.current_diagnosis().exchange.response.status == 200


def test_pasted_curl_becomes_the_request_and_says_so(qtbot, services):
    tab = make_tab(qtbot, services, RequestDraft(method="GET", url=""))
    notices = []
    tab.notice.connect(notices.append)
    tab.paste_importer.import_text("curl -X POST https://api.example.test/orders -H 'Accept: application/json' "
                                   "-d '{\"a\": 1}'")
    d = tab.draft()
    assert d.method == "POST" and d.url == "https://api.example.test/orders"
    assert tab.title() == "POST /orders"
    assert notices and notices[-1]
    assert tab.editor.tabs.currentIndex() == 1  # the Headers page, where the missing Content-Type shows


def test_a_draft_that_cannot_be_built_is_a_sentence_not_a_send(qtbot, services):
    tab = make_tab(qtbot, services, RequestDraft(method="GET", url="ftp://files.example.test/"))
    assert tab.start_send() is None and not tab.busy
    shown = " ".join(label.text() for label in tab.response.findChildren(QLabel) if label.isVisible())
    assert "must start with http:// or https://" in shown and "Traceback" not in shown


def test_a_cell_still_being_edited_is_sent_as_shown(qtbot, services):
    """Ctrl+Enter while a query value or header value is still in its cell editor sends what the table shows."""
    tab = make_tab(qtbot, services, RequestDraft(method="POST", url=f"{services.base}/orders",
                                                 params=(Row("q", ""),),
                                                 headers=(Row("Content-Type", ""),),
                                                 body_kind="raw", raw_text='{"item": "coffee"}'))
    for table, text in ((tab.editor.params, "coffee"), (tab.editor.headers, "application/json")):
        tab.editor.tabs.setCurrentWidget(tab.editor.params_page if table is tab.editor.params else tab.editor.headers_page)
        table.setFocus()
        table.editItem(table.item(0, 2))
        editor = table.focusWidget()
        assert editor is not None and editor is not table  # the cell editor is open
        qtbot.keyClicks(editor, text)
        assert table.rows()[0].value == ""  # not committed yet: only on screen
        if table is tab.editor.params:
            table.commit_open_editor()  # leave the first cell the way a user would (Tab / click elsewhere)
    with qtbot.waitSignal(tab.finished, timeout=10000):
        tab.request_send()
    sent = tab.current_diagnosis().exchange.request
    assert sent.url.endswith("/orders?q=coffee")
    assert sent.header("Content-Type") == "application/json"
    assert tab.current_diagnosis().exchange.response.status == 201
    assert "request-missing-content-type" not in {f.id for f in tab.editor.findings()}  # warnings follow what was sent


@pytest.mark.parametrize("url, title", [
    ("https://ann:PW-1@api.example.com", "GET api.example.com"),
    ("https://api.example.com/cb#access_token=AT-2", "GET /cb"),
    ("https://api.example.com/o?token=TK-3", "GET /o"),
    ("", "GET New request"),
])
def test_tab_title_never_shows_tokens_and_the_tooltip_masks_them(qtbot, services, url, title):
    tab = make_tab(qtbot, services, RequestDraft(method="GET", url=url))
    assert tab.title() == title
    for secret in ("PW-1", "AT-2", "TK-3"):
        assert secret not in tab.tooltip()
