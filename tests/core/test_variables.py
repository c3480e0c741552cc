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


def test_a_variable_that_uses_itself_many_times_is_capped_with_a_sentence_naming_it():
    import time

    from app.core.variables import MAX_GROWTH, expand

    notes: list[str] = []
    start = time.perf_counter()
    out = expand("{{a}}", {"a": "{{a}}" * 6}, notes)
    assert time.perf_counter() - start < 1.0
    assert len(out) <= MAX_GROWTH + 5
    assert notes and "'a'" in notes[0] and "KiB" in notes[0]


def test_variables_nesting_past_the_depth_cap_say_so():
    from app.core.variables import MAX_DEPTH, expand

    notes: list[str] = []
    out = expand("{{a}}", {"a": "x{{a}}"}, notes)
    assert out == "x" * MAX_DEPTH + "{{a}}"
    assert notes and "'a'" in notes[0] and "itself" in notes[0]
    assert expand("{{a}}", {"a": "{{b}}", "b": "ok"}, notes) == "ok" and len(notes) == 1  # plain nesting: no note


def test_expand_draft_with_notes_reports_a_bomb_in_the_draft():
    from app.core.variables import expand_draft_with_notes

    d = RequestDraft(url="https://h/{{a}}", headers=(Row("X", "{{a}}"),))
    out, left, notes = expand_draft_with_notes(d, {"a": "{{a}}{{a}}{{a}}{{a}}{{a}}{{a}}"})
    assert len(out.url) < 2 * 1024 * 1024 and notes == [notes[0]] and "'a'" in notes[0]
