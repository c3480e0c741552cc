"""Secret header values are masked on screen only: the request editor, the auth fields and the response tables."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QStyleOptionViewItem, QToolButton

from app.core.catalog import load_default_catalog
from app.core.diagnosis import diagnose
from app.core.draft import Auth, RequestDraft, Row
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing
from app.ui.request.request_editor import RequestEditor
from app.ui.response.response_view import ResponseView
from app.ui.widgets.secret_mask import DOTS, masked_value

SECRET = "s3cr3t-T0KEN"


def test_masked_value_keeps_scheme_and_cookie_names():
    assert masked_value("Authorization", f"Bearer {SECRET}") == f"Bearer {DOTS}"
    assert masked_value("authorization", SECRET) == DOTS
    assert masked_value("Cookie", "sid=abc; theme=dark") == f"sid={DOTS}; theme={DOTS}"
    assert masked_value("Set-Cookie", "sid=abc; Path=/; HttpOnly") == f"sid={DOTS}; Path=/; HttpOnly"
    assert masked_value("X-API-Key", SECRET) == DOTS
    assert masked_value("X-Auth-Token", SECRET) == DOTS
    assert masked_value("Accept", "application/json") == "application/json"
    assert masked_value("Authorization", "") == ""


@given(st.sampled_from(["Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "Session-Token"]),
       st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters=";= "), min_size=6))
def test_mask_never_shows_the_secret(name, secret):
    shown = masked_value(name, f"Bearer {secret}" if name == "Authorization" else f"sid={secret}")
    assert secret not in shown.replace(DOTS, "")


def editor(qtbot) -> RequestEditor:
    catalog = load_default_catalog()
    e = RequestEditor(lambda: catalog)
    qtbot.addWidget(e)
    e.show()
    e.set_draft(RequestDraft(method="GET", url="http://127.0.0.1:9/x",
                             headers=(Row("Authorization", f"Bearer {SECRET}"), Row("Accept", "application/json")),
                             auth=Auth("bearer", token=SECRET)))
    return e


def painted(table, row: int) -> str:
    """The text the delegate paints for the value cell of ``row``."""
    option = QStyleOptionViewItem()
    table.itemDelegate().initStyleOption(option, table.model().index(row, 2))
    return option.text


def row_of(table, name: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 1) and table.item(r, 1).text() == name)


def test_header_table_masks_display_never_the_draft(qtbot):
    e = editor(qtbot)
    t = e.headers
    r = row_of(t, "Authorization")
    assert painted(t, r) == f"Bearer {DOTS}"
    assert t.shown_value(r) == f"Bearer {DOTS}"
    assert t.item(r, 2).data(Qt.ItemDataRole.AccessibleTextRole) == f"Bearer {DOTS}"  # screen readers too
    assert painted(t, row_of(t, "Accept")) == "application/json"
    assert Row("Authorization", f"Bearer {SECRET}") in e.draft().headers  # the real value is what is sent
    # editing the cell shows the real value
    t.setCurrentCell(r, 2)
    t.editItem(t.item(r, 2))
    ed = t.findChild(QLineEdit)
    assert ed is not None and ed.text() == f"Bearer {SECRET}"
    t.closePersistentEditor(t.item(r, 2))


def test_show_secrets_toggle_reveals_headers_and_auth_in_step(qtbot):
    e = editor(qtbot)
    eye = e.findChild(QToolButton, "showSecretsButton")
    assert eye.accessibleName() == "Show secret values" and eye.isCheckable()
    assert e.auth.token.echoMode() == QLineEdit.EchoMode.PasswordEchoOnEdit
    eye.click()
    r = row_of(e.headers, "Authorization")
    assert painted(e.headers, r) == f"Bearer {SECRET}"
    assert e.auth.token.echoMode() == QLineEdit.EchoMode.Normal
    assert e.auth.show_secrets.isChecked()
    e.auth.show_secrets.click()  # the Auth page's own eye hides both again
    assert not eye.isChecked()
    assert painted(e.headers, r) == f"Bearer {DOTS}"
    assert e.draft().auth.token == SECRET


def test_typing_a_secret_header_masks_it(qtbot):
    e = editor(qtbot)
    t = e.headers
    last = t.rowCount() - 1
    t.item(last, 1).setText("X-API-Key")
    t.item(last, 2).setText(SECRET)
    assert painted(t, last) == DOTS
    assert Row("X-API-Key", SECRET) in e.draft().headers


def test_response_tables_mask_set_cookie_and_sent_authorization(qtbot):
    view = ResponseView()
    qtbot.addWidget(view)
    view.show()
    req = HttpRequest("GET", "http://127.0.0.1:8080/me", (("Host", "127.0.0.1:8080"),
                                                          ("Authorization", f"Bearer {SECRET}")), b"")
    resp = HttpResponse(200, "OK", headers=(("Content-Type", "application/json"), ("Content-Length", "2"),
                                            ("Set-Cookie", f"sid={SECRET}; Path=/")), body=b"{}")
    ex = Exchange(req, resp, Timing(total=0.01), started_at=1_700_000_000.0)
    view.show_diagnosis(diagnose(ex, load_default_catalog(), 1_700_000_000.0), typed_request=req)

    def cells(table):
        return {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}

    assert cells(view.headers_table)["Set-Cookie"] == f"sid={DOTS}; Path=/"
    assert cells(view.sent_table)["Authorization"] == f"Bearer {DOTS}"
    assert SECRET not in str(cells(view.headers_table)) + str(cells(view.sent_table))
    view.findChild(QToolButton, "showResponseSecretsButton").click()
    assert cells(view.headers_table)["Set-Cookie"] == f"sid={SECRET}; Path=/"
    assert cells(view.sent_table)["Authorization"] == f"Bearer {SECRET}"


def test_masking_reads_the_same_table_as_redaction():
    from app.core.redact import is_secret_header

    for name in ("Token", "Api_Key", "Authentication", "Proxy-Authorization", "X-Session-Token"):
        assert is_secret_header(name) and masked_value(name, SECRET) in (DOTS, f"{SECRET.split()[0]} {DOTS}")
        assert SECRET not in masked_value(name, SECRET)
    for name, value in (("Access-Control-Allow-Credentials", "true"),
                        ("Access-Control-Allow-Headers", "Authorization, X-Api-Key"), ("Sec-WebSocket-Key", "n0nce")):
        assert masked_value(name, value) == value
    assert masked_value("Location", f"/cb?state=s&access_token={SECRET}") == f"/cb?state=s&access_token={DOTS}"


def test_masked_url_and_text():
    from app.ui.widgets.secret_mask import masked_text, masked_url

    assert masked_url(f"https://ann:p@ss@h/x?token={SECRET}#id_token=i") == f"https://ann:{DOTS}@h/x?token={DOTS}#id_token={DOTS}"
    assert masked_url("https://h/x?page=2") == "https://h/x?page=2"
    assert SECRET not in masked_text(f"Redirect 1: 302 from https://h/?sig={SECRET} to https://h/b.")
