import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.compare.body import MAX_JSON_CHANGES, compare_bodies, json_changes

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_a_document_compared_with_itself_has_no_change(doc):
    assert json_changes(doc, doc) == ([], 0)


@settings(max_examples=200)
@given(json_values, json_values)
def test_swapping_sides_swaps_added_and_removed(a, b):
    forward, n1 = json_changes(a, b)
    backward, n2 = json_changes(b, a)
    assert n1 == n2
    assert [(c.name, c.old, c.new) for c in forward] == [(c.name, c.new, c.old) for c in backward]
    kinds = {"added": "removed", "removed": "added", "changed": "changed"}
    assert [kinds[c.kind] for c in forward] == [c.kind for c in backward]


def test_key_order_is_ignored_and_arrays_compare_by_index():
    a = b'{"id": 1, "items": [{"name": "tea"}, {"name": "milk"}], "gone": true}'
    b = b'{"items": [{"name": "coffee"}, {"name": "milk"}, {"name": "sugar"}], "id": 1, "new": null}'
    diff = compare_bodies(a, b, "application/json", "application/json")
    assert diff.kind == "json"
    got = {(c.name, c.kind, c.old, c.new) for c in diff.changes}
    assert got == {("$.items[0].name", "changed", '"tea"', '"coffee"'), ("$.items[2]", "added", None,
                   '{"name": "sugar"}'), ("$.gone", "removed", "true", None), ("$.new", "added", None, "null")}


def test_same_json_written_differently_is_the_same():
    diff = compare_bodies(b'{"a": 1, "b": [1, 2]}', b'{\n  "b": [1,2],\n  "a": 1\n}')
    assert diff.same and diff.kind == "same"


def test_true_and_1_differ_in_json():
    assert json_changes(True, 1)[1] == 1 and json_changes({"a": True}, {"a": 2})[1] == 1


def test_odd_keys_get_a_bracketed_path():
    changes, _ = json_changes({"a b": 1}, {"a b": 2})
    assert changes[0].name == '$["a b"]'


def test_deep_nesting_does_not_exhaust_the_stack():
    deep_a = json.loads("[" * 900 + "1" + "]" * 900)
    deep_b = json.loads("[" * 900 + "2" + "]" * 900)
    changes, total = json_changes(deep_a, deep_b)
    assert total == 1 and changes[0].name.endswith("[0]")


def test_many_changes_are_counted_but_capped():
    a = {str(i): i for i in range(MAX_JSON_CHANGES + 50)}
    b = {k: v + 1 for k, v in a.items()}
    changes, total = json_changes(a, b)
    assert total == MAX_JSON_CHANGES + 50 and len(changes) == MAX_JSON_CHANGES


def test_text_diff_carries_line_numbers():
    a = "\n".join(f"line {i}" for i in range(1, 21)).encode()
    b = a.replace(b"line 10", b"line ten")
    diff = compare_bodies(a, b, "text/plain", "text/plain")
    assert diff.kind == "text"
    minus = [d for d in diff.lines if d.mark == "-"]
    plus = [d for d in diff.lines if d.mark == "+"]
    assert [(d.old_no, d.text) for d in minus] == [(10, "line 10")]
    assert [(d.new_no, d.text) for d in plus] == [(10, "line ten")]
    assert diff.lines[0].old_no == 7  # three lines of context


def test_line_endings_only():
    diff = compare_bodies(b"a\nb\n", b"a\r\nb\r\n", "text/plain", "text/plain")
    assert diff.kind == "text" and not diff.lines and "line endings" in diff.notes[0]


def test_binary_is_size_and_hash():
    diff = compare_bodies(b"\xff\x00\x01", b"\xff\x00\x02\x03")
    assert diff.kind == "binary" and (diff.old_size, diff.new_size) == (3, 4)
    assert len(diff.old_sha256) == 64 and diff.old_sha256 != diff.new_sha256


def test_no_body_on_either_side():
    assert compare_bodies(None, None).kind == "none"
    assert compare_bodies(None, b"x").kind == "text"


plain_text = st.text(alphabet="abcXYZ019_é", max_size=8)  # no spaces, quotes or "=": free-text redaction stays out
named_values = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | st.floats(allow_nan=False) | plain_text,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
        st.sampled_from(["a", "b", "password", "user", "accessToken", "n", "tokens"]) | plain_text, inner, max_size=5),
    max_leaves=40,
)


def _reference(value, redact: bool) -> str:
    """What a shown value was before it was written piece by piece: all of it serialised (and redacted), then cut."""
    from app.core.compare.body import MAX_VALUE_CHARS
    from app.core.redact import redact_body

    if redact and isinstance(value, (dict, list)):
        value = json.loads(redact_body(json.dumps(value).encode(), "application/json")[0] or b"null")
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


@settings(max_examples=150)
@given(named_values, st.booleans())
def test_a_shown_value_is_its_sorted_json_cut_with_secret_fields_masked(value, redact):
    from app.core.compare.body import _json_text

    assert _json_text(value, redact) == _reference(value, redact)


def test_a_shown_subtree_costs_its_first_characters_not_its_size():
    from app.core.compare.body import _json_text
    from app.core.redact import REDACTED

    big = [{"id": i, "name": f"item-{i}", "password": f"pw-{i}", "tags": ["a", "b"]} for i in range(100_000)]
    whole = min(_timed(lambda: json.dumps(big)) for _ in range(3))
    shown = min(_timed(lambda: _json_text(big, redact=True)) for _ in range(3))
    text = _json_text(big, redact=True)
    assert text.startswith(f'[{{"id": 0, "name": "item-0", "password": "{REDACTED}"') and text.endswith("…")
    assert "pw-" not in text and len(text) == 201
    assert shown < whole / 20, (shown, whole)  # measured: ~0.4 ms against ~0.12 s
    assert "Bearer •••redacted•••" in _json_text({"note": "Authorization: Bearer abcdef123"}, redact=True)


def _timed(fn) -> float:
    import time

    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _best_of_three(fn) -> float:
    return min(_timed(fn) for _ in range(3))  # a GC pause or a busy machine must not read as quadratic growth


def test_text_diff_is_linear_when_long_bodies_differ_in_a_few_lines():
    """Two 100 KB bodies of 50,000 lines differing in the last line took over 60 s (difflib over every line)."""
    def cost(n: int) -> float:
        a, b = b"x\n" * n, b"x\n" * (n - 1) + b"y\n"
        mid = b"x\n" * (n // 2) + b"y\n" + b"x\n" * (n // 2)
        return _best_of_three(lambda: (compare_bodies(a, b, "text/plain", "text/plain"),
                                       compare_bodies(a, mid, "text/plain", "text/plain")))

    small, large = cost(5_000), cost(50_000)
    assert large < small * 15 + 0.05


def test_a_change_deep_in_a_long_body_keeps_its_line_numbers_and_context():
    a = "".join(f"line {i}\n" for i in range(1, 20_001))
    b = a.replace("line 15000\n", "line fifteen thousand\n")
    diff = compare_bodies(a.encode(), b.encode(), "text/plain", "text/plain")
    assert [(d.old_no, d.new_no, d.mark, d.text) for d in diff.lines] == (
        [(i, i, " ", f"line {i}") for i in range(14997, 15000)] + [(15000, None, "-", "line 15000"),
         (None, 15000, "+", "line fifteen thousand")] + [(i, i, " ", f"line {i}") for i in range(15001, 15004)])


def test_a_differing_region_too_large_to_diff_is_a_sentence_with_its_first_line():
    a = "head\n" + "".join(f"a{i}\n" for i in range(5_000)) + "tail\n"
    b = "head\n" + "".join(f"b{i}\n" for i in range(5_000)) + "tail\n"
    diff = _best_of_three(lambda: compare_bodies(a.encode(), b.encode(), "text/plain", "text/plain"))
    assert diff < 1
    diff = compare_bodies(a.encode(), b.encode(), "text/plain", "text/plain")
    assert diff.kind == "text" and [(d.old_no, d.new_no, d.text) for d in diff.lines] == [(2, None, "a0"),
                                                                                          (None, 2, "b0")]
    assert "5,000 lines differ (from line 2 to line 5001 before, to line 5001 after), a region too large" \
        in diff.notes[-1]


def test_repeated_lines_do_not_make_difflib_cubic():
    """autojunk=False over 2,000 lines of "x" against "x"/"y" took 166 s."""
    assert _best_of_three(lambda: compare_bodies(b"x\n" * 1000, b"x\ny\n" * 500, "text/plain", "text/plain")) < 1


def test_text_bodies_are_redacted_as_free_text_before_the_diff():
    """text/plain ``access_token=…``, a form without Content-Type and a JWT in plain text were shown in clear."""
    from app.core.compare.body import compare_bodies

    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlX3NlY3JldA"
    old = b"hello\naccess_token=OLDSECRET77\n"
    new = f"hello\naccess_token=NEWSECRET88\nAuthorization: Bearer {jwt}\n".encode()
    diff = compare_bodies(old, new, "text/plain", None, redact=True)
    shown = repr(diff.to_json())
    assert "OLDSECRET77" not in shown and "NEWSECRET88" not in shown and jwt not in shown
    assert diff.kind == "text"  # still a line diff, only the secrets masked
