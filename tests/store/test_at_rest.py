"""app/store/at_rest.py: what of a history row or a draft is secret, split off (redact.py's table decides)."""

from __future__ import annotations

import json

from app.core.redact import REDACTED
from app.store.at_rest import clear_draft, open_drafts, open_row, seal_drafts, seal_row, split_row
from app.store.vault import Vault
from tests.store.test_vault import KeptSecrets

TOKEN = "tok-7f3a9c1e5b"
KEY = "key-2d8e4f6a0c"
PASSWORD = "pw-91b3c5d7e9"


def row() -> dict:
    return {
        "method": "POST",
        "url": f"http://127.0.0.1:9/echo?access_token={KEY}&page=2",
        "req_headers": json.dumps([["Authorization", f"Bearer {TOKEN}"], ["Accept", "*/*"],
                                   ["Content-Type", "application/json"]]),
        "resp_headers": json.dumps([["Content-Type", "application/json"]]),
        "req_body": json.dumps({"user": "ann", "password": PASSWORD}).encode(),
        "resp_body": json.dumps({"echo": f"Bearer {TOKEN}", "body": PASSWORD}).encode(),
        "notes": json.dumps([f"Redirect 1: 307 from http://a/x?access_token={KEY} to http://b/y?token=zz-other-9"]),
        "error_detail": f"ConnectError while sending Authorization: Bearer {TOKEN}",
        "message": "Order accepted",
        "status": 200,
    }


def test_clear_columns_hold_no_secret_and_keep_the_rest() -> None:
    clear, originals = split_row(row())
    text = json.dumps({k: (v.decode() if isinstance(v, bytes) else v) for k, v in clear.items()})
    for secret in (TOKEN, KEY, PASSWORD, "zz-other-9"):
        assert secret not in text
    assert "page=2" in clear["url"] and "Bearer" in clear["req_headers"] and "ann" in clear["req_body"].decode()
    assert clear["message"] == "Order accepted" and clear["status"] == 200
    assert set(originals) >= {"url", "req_headers", "req_body", "resp_body", "notes", "error_detail"}


def test_sealed_originals_come_back_with_the_key_and_stay_redacted_without() -> None:
    vault = Vault(KeptSecrets())
    clear, sealed = seal_row(row(), vault)
    assert sealed is not None and TOKEN.encode() not in sealed
    back, hidden = open_row(clear, sealed, vault)
    assert not hidden and back["url"] == row()["url"] and back["req_body"] == row()["req_body"]
    other, hidden = open_row(clear, sealed, Vault(KeptSecrets()))
    assert hidden and REDACTED in other["url"]


def test_a_row_without_secrets_seals_nothing() -> None:
    plain = {"url": "http://h/a?page=1", "req_headers": json.dumps([["Accept", "*/*"]]), "req_body": b"hi"}
    assert seal_row(plain, Vault(KeptSecrets())) == (plain, None)


def test_a_draft_is_cleared_of_every_secret_and_sealed_whole() -> None:
    draft = {"method": "POST", "url": f"http://h/u?access_token={KEY}",
             "params": [{"name": "access_token", "value": KEY, "enabled": True}],
             "headers": [{"name": "X-Api-Key", "value": KEY, "enabled": True},
                         {"name": "Accept", "value": "*/*", "enabled": True}],
             "body_kind": "json", "raw_text": json.dumps({"password": PASSWORD, "n": 1}),
             "form": [{"name": "client_secret", "value": PASSWORD, "enabled": True}],
             "auth": {"kind": "bearer", "token": TOKEN, "password": "", "key_value": ""}}
    clear = clear_draft(draft)
    text = json.dumps(clear)
    for secret in (TOKEN, KEY, PASSWORD):
        assert secret not in text
    assert clear["headers"][1]["value"] == "*/*" and '"n": 1' in clear["raw_text"]
    vault = Vault(KeptSecrets())
    shown, sealed = seal_drafts([draft], vault)
    assert shown == [clear] and TOKEN not in sealed
    assert open_drafts(sealed, vault) == [draft]
    assert open_drafts(sealed, Vault(KeptSecrets())) is None
    assert seal_drafts([{"url": "http://h/"}], vault) == ([{"url": "http://h/"}], None)
