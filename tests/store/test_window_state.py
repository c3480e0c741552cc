"""app/store/window_state.py: each saved window value is checked on its own; wrong ones are reset and named."""

from __future__ import annotations

import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from app.store.window_state import read_window_state

GOOD_DRAFT = {"method": "POST", "url": "http://127.0.0.1:1/x", "headers": [{"name": "Accept", "value": "*/*"}]}


def test_good_values_are_kept() -> None:
    geometry = base64.b64encode(b"\x01\xd9\xd0\xcb").decode()
    state = read_window_state({"drafts": [GOOD_DRAFT], "current_tab": 0, "geometry": geometry,
                               "splitter": [300, 500], "demo_base": "http://127.0.0.1:5"})
    assert state.note is None
    assert [d.url for d in state.drafts] == ["http://127.0.0.1:1/x"]
    assert state.drafts[0].headers[0].name == "Accept"
    assert state.geometry == b"\x01\xd9\xd0\xcb"
    assert state.splitter == (300, 500)
    assert state.current_tab == 0


def test_wrong_values_are_reset_the_rest_kept_and_named_once() -> None:
    state = read_window_state({
        "drafts": [GOOD_DRAFT, {"url": "http://a/", "headers": 5}, {"auth": "x"}, 7],
        "current_tab": 10**29,
        "geometry": "AdnQywAD\u00e9\u00e9",
        "splitter": [10**29, 5],
        "demo_base": ["not", "text"],
    })
    assert [d.url for d in state.drafts] == ["http://127.0.0.1:1/x"]
    assert state.current_tab is None and state.geometry is None and state.splitter is None
    assert state.demo_base is None
    note = state.note
    assert note is not None and note.count("reset") == 1
    for words in ("open tab 2", "open tab 3", "open tab 4", "window size", "panel sizes", "current tab"):
        assert words in note


def test_a_drafts_value_that_is_not_a_list_is_reset() -> None:
    state = read_window_state({"drafts": {"a": 1}, "splitter": [1, True]})
    assert state.drafts == []
    assert "open tabs" in state.note and "panel sizes" in state.note


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["drafts", "current_tab", "geometry", "splitter", "demo_base"]),
                       st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                                    lambda inner: st.lists(inner, max_size=4)
                                    | st.dictionaries(st.sampled_from(["url", "headers", "auth", "options", "timeout",
                                                                       "name", "value", "method", "multipart"]),
                                                      inner, max_size=4),
                                    max_leaves=12)))
def test_any_json_never_raises(values) -> None:
    state = read_window_state(values)
    assert isinstance(state.drafts, list)


def test_sealed_drafts_open_with_the_key_and_say_so_without_it() -> None:
    from app.store.vault import Vault
    from app.store.window_state import SECRETS_LOST, drafts_to_save, saved_drafts
    from tests.store.test_vault import KeptSecrets

    draft = {"url": "http://h/?access_token=abcdef123", "auth": {"kind": "bearer", "token": "tok-123456"}}
    store = KeptSecrets()
    values = drafts_to_save([draft], Vault(store))
    assert "tok-123456" not in str(values) and "abcdef123" not in str(values)
    assert saved_drafts(values, lambda: Vault(store)) == ([draft], None, False)
    drafts, note, _ = saved_drafts(values, lambda: Vault(KeptSecrets()))
    assert note == SECRETS_LOST and "abcdef123" not in str(drafts)
    assert saved_drafts({"drafts": [draft]}, lambda: Vault(store))[2] is True  # still in clear: to be sealed
