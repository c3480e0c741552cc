"""Copy as code in the window: Request → Copy as code ▸ and the URL bar's right-click menu put code on the clipboard
that sends the tab's request as it would go out now (files referenced by path), secrets redacted unless
"Include secrets" is ticked; a request that cannot be built is a sentence in the status line."""

from __future__ import annotations

import ast

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from app.core.draft import Part, RequestDraft, Row
from tests.ui.workspace_support import make_window, wait_task  # noqa: F401 (fixtures)


def _code_menu(w) -> QMenu:
    request_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Request")
    entry = next(a for a in request_menu.actions() if a.text() == "Copy as &code")
    return entry.menu()


def _trigger(menu: QMenu, label: str) -> None:
    next(a for a in menu.actions() if a.text() == label).trigger()


def test_request_menu_copies_code_with_files_by_path_and_secrets_redacted(qtbot, make_window, tmp_path):
    w = make_window()
    upload = tmp_path / "photo.bin"
    upload.write_bytes(b"\x00\x01binary")
    w.new_tab(RequestDraft(method="POST", url="http://127.0.0.1:9/upload?api_key=K3Y", body_kind="multipart",
                           headers=(Row("Authorization", "Bearer S3CRET"), Row("X-Trace", "1")),
                           multipart=(Part("caption", "hi"), Part("file", "", str(upload)))))
    menu = _code_menu(w)
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels == ["curl (bash)", "curl (Windows cmd)", "Python httpx", "Python requests", "JavaScript fetch",
                      "HTTPie", "PowerShell Invoke-RestMethod", "Include &secrets"]
    status = w.statusBar()

    _trigger(menu, "Python requests")
    qtbot.waitUntil(lambda: "Copied as Python requests" in status.currentMessage(), timeout=10000)
    code = QGuiApplication.clipboard().text()
    ast.parse(code)
    assert f"Path({str(upload)!r}).read_bytes()" in code and "binary" not in code
    assert "S3CRET" not in code and "K3Y" not in code and "X-Trace" in code
    assert "(secrets redacted)" in status.currentMessage()

    _trigger(menu, "Include &secrets")
    _trigger(menu, "curl (bash)")
    qtbot.waitUntil(lambda: "Copied as curl (bash) (secrets included)" in status.currentMessage(), timeout=10000)
    code = QGuiApplication.clipboard().text()
    assert "Bearer S3CRET" in code and "api_key=K3Y" in code and f"cat {upload}" in code


def test_the_url_bar_right_click_menu_offers_copy_as_code(qtbot, make_window):
    w = make_window()
    tab = w.new_tab(RequestDraft(method="PUT", url="http://127.0.0.1:9/x", headers=(Row("X-A", "it's"),),
                                 body_kind="raw", raw_text="hello", raw_content_type=""))
    url = tab.editor.url
    QApplication.sendEvent(url, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5),
                                                          url.mapToGlobal(QPoint(5, 5))))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=5000)
    popup = QApplication.activePopupWidget()
    texts = [a.text() for a in popup.actions()]
    assert "Copy as &code" in texts and any("Paste" in t for t in texts)  # the line edit's own entries stay
    sub = next(a.menu() for a in popup.actions() if a.text() == "Copy as &code")
    popup.close()
    _trigger(sub, "HTTPie")
    qtbot.waitUntil(lambda: QGuiApplication.clipboard().text().startswith("http PUT"), timeout=10000)
    assert QGuiApplication.clipboard().text() == "http PUT http://127.0.0.1:9/x \\\n  $'X-A:it\\'s' \\\n" \
                                                "  Content-Type: \\\n  --raw hello\n"


def test_a_request_that_cannot_be_built_is_a_sentence(qtbot, make_window, tmp_path):
    w = make_window()
    w.new_tab(RequestDraft(method="POST", url="http://127.0.0.1:9/x", body_kind="binary",
                           binary_path=str(tmp_path / "gone.bin")))
    QGuiApplication.clipboard().setText("before")
    text = wait_task(qtbot, w.workspace.handback.copy_as_code("python-httpx"))
    assert text is None and QGuiApplication.clipboard().text() == "before"
    message = w.statusBar().currentMessage()
    assert message.startswith("Nothing to copy: ") and "gone.bin" in message and "Traceback" not in message
    assert Qt.ContextMenuPolicy.CustomContextMenu == w.current_tab().editor.url.contextMenuPolicy()
