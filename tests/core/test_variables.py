"""{{var}} in a draft: every part filled on send, unresolved names reported once each, in order."""

from __future__ import annotations

from app.core.draft import Auth, Part, RequestDraft, Row
from app.core.variables import expand_draft


def test_expand_draft_fills_every_part_and_names_the_missing():
    d = RequestDraft(method="POST", url="{{base}}/orders", headers=(Row("X-Token", "{{token}}"),),
                     body_kind="raw", raw_text='{"a": "{{x}}"}', auth=Auth(kind="bearer", token="{{token}}"))
    out, left = expand_draft(d, {"base": "http://h", "token": "T"})
    assert out.url == "http://h/orders" and out.headers[0].value == "T" and out.auth.token == "T"
    assert left == ["x"] and out.raw_text == '{"a": "{{x}}"}'


def test_params_form_multipart_binary_and_every_auth_field_are_filled():
    v = {"n": "name", "v": "value", "p": "/tmp/f", "u": "ann", "k": "X-Key"}
    d = RequestDraft(params=(Row("{{n}}", "{{v}}"),), form=(Row("{{n}}", "{{v}}", False),),
                     multipart=(Part("{{n}}", "{{v}}", "/kept/{{p}}"),), binary_path="{{p}}",
                     auth=Auth(username="{{u}}", password="{{v}}", key_name="{{k}}", key_value="{{v}}"))
    out, left = expand_draft(d, v)
    assert out.params == (Row("name", "value"),) and out.form == (Row("name", "value", False),)
    assert out.multipart == (Part("name", "value", "/kept/{{p}}"),)  # a part's file path is not expanded
    assert out.binary_path == "/tmp/f" and left == []
    assert (out.auth.username, out.auth.password, out.auth.key_name, out.auth.key_value) == ("ann", "value", "X-Key",
                                                                                            "value")


def test_unresolved_names_are_listed_once_in_first_seen_order_and_a_plain_draft_is_unchanged():
    d = RequestDraft(url="{{b}}/{{a}}", headers=(Row("H", "{{b}}"),), raw_text="{{c}}")
    out, left = expand_draft(d, {})
    assert left == ["b", "a", "c"] and out == d
    plain = RequestDraft(url="http://h/x", headers=(Row("A", "1"),))
    assert expand_draft(plain, {"x": "y"}) == (plain, [])
