import json

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.catalog import load_default_catalog
from app.core.compare import compare
from app.core.compare.exchange import pair_changes
from app.core.diagnosis import diagnose
from app.core.models import Exchange, HttpRequest, HttpResponse, Timing

CATALOG = load_default_catalog()
JSON = ("Content-Type", "application/json")


def _diag(request: HttpRequest, status: int, body: bytes = b"{}", headers=(JSON,), total=0.05):
    ex = Exchange(request, HttpResponse(status, headers=tuple(headers), body=body), Timing(connect=0.01, total=total))
    return diagnose(ex, CATALOG, 0.0)


def test_lost_content_type_is_named_in_the_summary():
    ok = _diag(HttpRequest("POST", "http://h/orders", (JSON,), b'{"item": "tea"}'), 201, b'{"id": 7}')
    bad = _diag(HttpRequest("POST", "http://h/orders", (), b'{"item": "tea"}'), 415, b'{"Message": "no"}')
    c = compare(ok, bad, now=0.0)
    assert c.summary == "415 instead of 201: the request lost its Content-Type header"
    assert c.status_changed and not c.same
    assert [h.kind for h in c.request_headers] == ["removed"]
    assert "request-missing-content-type" in {f.id for f in c.findings_added}
    assert c.a.documented_as == "201 Created" and "Unsupported" in (c.b.documented_as or "")
    assert [t.phase for t in c.timings] == ["Connect", "Total"] and c.timings[1].change == "+0.0 ms"
    assert json.loads(json.dumps(c.to_json()))["findings"]["added"][0]["id"] == "request-missing-content-type"


def test_headers_compare_case_insensitively_in_order_and_value_by_value():
    old = (("Accept", "a"), ("X-One", "1"), ("x-multi", "p"), ("X-Multi", "q"))
    new = (("accept", "a"), ("X-Multi", "p"), ("X-New", "n"), ("X-MULTI", "r"))
    changes = pair_changes(old, new, lambda _n, v: v)
    assert [(c.name, c.kind, c.old, c.new) for c in changes] == [
        ("X-One", "removed", "1", None), ("X-Multi", "changed", "q", "r"), ("X-New", "added", None, "n")]


def test_secrets_are_masked_on_both_sides_but_a_change_still_shows():
    a = _diag(HttpRequest("GET", "http://h/x?api_key=old-secret", (("Authorization", "Bearer old-token-1"),)), 200)
    b = _diag(HttpRequest("GET", "http://h/x?api_key=new-secret", (("Authorization", "Bearer new-token-2"),)), 401)
    c = compare(a, b, now=0.0)
    text = json.dumps(c.to_json())
    assert "old-secret" not in text and "new-token-2" not in text and "old-token-1" not in text
    assert c.request_headers[0].note == "a different secret value"
    assert c.query[0].note == "a different secret value"
    shown = compare(a, b, now=0.0, show_secrets=True)
    assert shown.request_headers[0].new == "Bearer new-token-2" and not shown.redacted


def test_secret_json_fields_in_bodies_are_redacted():
    a = _diag(HttpRequest("GET", "http://h/"), 200, b'{"token": "abc-secret-1", "n": 1}')
    b = _diag(HttpRequest("GET", "http://h/"), 200, b'{"token": "xyz-secret-2", "n": 2}')
    c = compare(a, b, now=0.0)
    assert "secret-1" not in json.dumps(c.to_json()) and "secret-2" not in json.dumps(c.to_json())
    assert [(ch.name, ch.note) for ch in c.body.changes] == [("$.n", ""), ("$.token", "a different secret value")]
    added = compare(a, _diag(HttpRequest("GET", "http://h/"), 200, b'{"n": 1, "auth": {"password": "pw-9x"}}'),
                    now=0.0)
    assert "pw-9x" not in json.dumps(added.to_json()) and added.body.changes


def test_volatile_response_headers_are_listed_but_not_counted():
    req = HttpRequest("GET", "http://h/")
    a = _diag(req, 200, headers=(JSON, ("Date", "Mon, 01 Jan 2024 00:00:00 GMT")))
    b = _diag(req, 200, headers=(JSON, ("Date", "Mon, 01 Jan 2024 00:00:09 GMT")))
    c = compare(a, b, now=0.0)
    assert c.same and not c.response_headers and [h.name for h in c.volatile_headers] == ["Date"]
    assert c.summary.startswith("No difference")


def test_same_status_different_body_names_the_parts():
    req = HttpRequest("GET", "http://h/orders")
    c = compare(_diag(req, 200, b'{"n": 1}'), _diag(req, 200, b'{"n": 2}'), now=0.0)
    assert c.summary.startswith("Both 200") and "the response body (1 JSON change)" in c.summary


def test_no_response_on_one_side():
    req = HttpRequest("GET", "http://h/")
    a = _diag(req, 200)
    b = diagnose(Exchange(req, None), CATALOG, 0.0)
    c = compare(a, b, now=0.0)
    assert c.summary.startswith("no response instead of 200") and c.b.status_code is None


headers = st.lists(st.tuples(st.sampled_from(["Accept", "X-A", "x-a", "Authorization", "Cookie"]),
                             st.text("abc", max_size=3)), max_size=5)


@settings(max_examples=150, deadline=None)
@given(headers, headers, st.sampled_from([b'{"a": 1}', b'{"a": [1, 2]}', b"text", b""]),
       st.sampled_from([b'{"a": 2}', b'{"b": 1}', b"text\nmore", b""]))
def test_an_exchange_compared_with_itself_shows_no_difference_and_swapping_swaps(h1, h2, body1, body2):
    a = _diag(HttpRequest("POST", "http://h/o?x=1", tuple(h1), body1), 200, body1)
    b = _diag(HttpRequest("POST", "http://h/o?y=2", tuple(h2), body2), 200, body2)
    assert compare(a, a, now=0.0).same
    forward, backward = compare(a, b, now=0.0), compare(b, a, now=0.0)
    swap = {"added": "removed", "removed": "added", "changed": "changed"}
    for part in ("request_headers", "query", "response_headers"):
        assert sorted((c.name.lower(), swap[c.kind]) for c in getattr(forward, part)) == \
            sorted((c.name.lower(), c.kind) for c in getattr(backward, part))
    assert {f.id for f in forward.findings_added} == {f.id for f in backward.findings_removed}
    if forward.body.kind == "json":
        assert sorted((c.name, swap[c.kind]) for c in forward.body.changes) == \
            sorted((c.name, c.kind) for c in backward.body.changes)


def test_percent_encoded_secret_query_names_are_masked_as_their_decoded_names():
    a = _diag(HttpRequest("GET", "http://h/x?access%5Ftoken=old-secret-1&api+key=k&page=1"), 200)
    b = _diag(HttpRequest("GET", "http://h/x?access%5Ftoken=new-secret-2&api+key=k2&page=2"), 200)
    c = compare(a, b, now=0.0)
    text = json.dumps(c.to_json(), ensure_ascii=False)
    assert "secret-1" not in text and "secret-2" not in text
    assert [(q.name, q.note) for q in c.query] == [("access%5Ftoken", "a different secret value"), ("api+key", ""),
                                                   ("page", "")]  # "api key" is not a secret name
    assert compare(a, b, now=0.0, show_secrets=True).query[0].new == "new-secret-2"


def test_a_json_body_that_does_not_parse_is_redacted_in_the_text_diff():
    a = _diag(HttpRequest("GET", "http://h/"), 200, b'{"access_token": "old-secret-1", "n": 1}')
    b = _diag(HttpRequest("GET", "http://h/"), 200, b'{"access_token": "new-secret-2", "n": 2')  # cut short
    c = compare(a, b, now=0.0)
    assert c.body.kind == "text"
    text = json.dumps(c.to_json(), ensure_ascii=False)
    assert "secret-1" not in text and "secret-2" not in text
    assert [line.text for line in c.body.lines if line.mark == "+"] == ['{"access_token": "•••redacted•••", "n": 2']
    assert "new-secret-2" in json.dumps(compare(a, b, now=0.0, show_secrets=True).to_json())
