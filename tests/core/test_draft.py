from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.draft import (
    Auth,
    BuildError,
    Part,
    RequestDraft,
    Row,
    auth_headers,
    build_request,
    draft_from_request,
    json_problem,
    merge_params,
    params_from_url,
    request_draft,
    url_with_params,
)
from app.core.models import HttpRequest

# ------------------------------------------------------------------ URL <-> params

_piece = st.text(alphabet=st.characters(blacklist_characters="&#=?", blacklist_categories=("Cs",)), min_size=1, max_size=8)
_value = st.text(alphabet=st.characters(blacklist_characters="&#", blacklist_categories=("Cs",)), min_size=1, max_size=8)
_base = st.sampled_from(["http://h", "https://x.test:8080/a/b", "http://127.0.0.1/orders"])


@given(_base, st.lists(st.tuples(_piece, _value), max_size=6))
def test_url_to_params_to_url_is_the_same_url(base, pairs):
    url = base + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")
    assert url_with_params(url, params_from_url(url)) == url


@given(_base, st.lists(st.tuples(_piece, _value, st.booleans()), max_size=6))
def test_params_to_url_to_params_gives_the_enabled_rows(base, triples):
    rows = tuple(Row(k, v, e) for k, v, e in triples)
    url = url_with_params(base, rows)
    assert params_from_url(url) == tuple(r for r in rows if r.enabled)


@given(st.text(max_size=40), st.lists(st.tuples(st.text(max_size=6), st.text(max_size=6)), max_size=4))
def test_any_table_written_once_is_stable(base, pairs):
    rows = tuple(Row(k, v) for k, v in pairs)
    url = url_with_params(base, rows)
    assert url_with_params(url, params_from_url(url)) == url


def test_encoding_is_kept_as_typed_and_fragment_survives():
    url = "http://h/p?q=a%20b&flag#frag"
    assert params_from_url(url) == (Row("q", "a%20b"), Row("flag", ""))
    assert url_with_params(url, params_from_url(url)) == url
    assert url_with_params("http://h/p#frag", [Row("x", "a&b")]) == "http://h/p?x=a%26b#frag"


def test_disabled_params_stay_in_the_table_not_the_url():
    rows = (Row("a", "1"), Row("b", "2", enabled=False))
    url = url_with_params("http://h/?old=1", rows)
    assert url == "http://h/?a=1"
    assert merge_params(rows, url + "&c=3") == (Row("a", "1"), Row("c", "3"), Row("b", "2", enabled=False))
    assert url_with_params("http://h/?a=1", ()) == "http://h/"


# ------------------------------------------------------------------ building


def test_json_kind_adds_content_type_unless_the_user_has_a_row():
    d = RequestDraft(method="post", url="http://h/orders", body_kind="json", raw_text='{"item": "coffee"}')
    req = build_request(d)
    assert req.method == "POST" and req.header("Content-Type") == "application/json"
    assert req.body == b'{"item": "coffee"}'
    off = build_request(RequestDraft(method="POST", url="http://h/orders", body_kind="json", raw_text="{}",
                                     headers=(Row("Content-Type", "application/json", enabled=False),)))
    assert off.header("Content-Type") is None
    mine = build_request(RequestDraft(method="POST", url="http://h/", body_kind="json", raw_text="{}",
                                      headers=(Row("content-type", "text/plain"),)))
    assert [v for k, v in mine.headers if k.lower() == "content-type"] == ["text/plain"]


def test_raw_kind_uses_the_picker_and_blank_adds_nothing():
    xml = build_request(RequestDraft(method="POST", url="h/", body_kind="raw", raw_text="<a/>", raw_content_type="application/xml"))
    assert xml.url == "http://h/" and xml.header("Content-Type") == "application/xml"
    bare = build_request(RequestDraft(method="POST", url="http://h/", body_kind="raw", raw_text="x", raw_content_type=""))
    assert bare.header("Content-Type") is None and bare.body == b"x"
    none = build_request(RequestDraft(method="GET", url="http://h/"))
    assert none.body is None and none.headers == ()


def test_typed_content_length_and_chunked_rows_are_kept():
    d = RequestDraft(method="POST", url="http://h/", body_kind="raw", raw_text="hello", raw_content_type="text/plain",
                     headers=(Row("Content-Length", "100"), Row("Transfer-Encoding", "chunked")))
    req = build_request(d)
    assert req.header("Content-Length") == "100"
    assert req.chunked is True


def test_form_and_multipart_bodies():
    form = build_request(RequestDraft(method="POST", url="http://h/", body_kind="form",
                                      form=(Row("a", "1 2"), Row("b", "x", enabled=False))))
    assert form.body == b"a=1+2" and form.header("Content-Type") == "application/x-www-form-urlencoded"
    files = {"/tmp/f.bin": b"\x00\x01"}
    mp = build_request(RequestDraft(method="POST", url="http://h/", body_kind="multipart",
                                    multipart=(Part("note", "hi"), Part("file", "", "/tmp/f.bin"))),
                       read_file=files.__getitem__, boundary="BOUND")
    assert mp.header("Content-Type") == "multipart/form-data; boundary=BOUND"
    assert b'name="note"\r\n\r\nhi\r\n' in mp.body and b'filename="f.bin"' in mp.body and b"\x00\x01" in mp.body
    assert mp.body.endswith(b"--BOUND--\r\n")


def test_unreadable_file_is_a_sentence(tmp_path):
    def read(path: str) -> bytes:
        return open(path, "rb").read()

    d = RequestDraft(method="POST", url="http://h/", body_kind="binary", binary_path=str(tmp_path / "gone.bin"))
    with pytest.raises(BuildError, match="Could not read the body file"):
        build_request(d, read_file=read)
    with pytest.raises(BuildError, match="Choose a file"):
        build_request(RequestDraft(method="POST", url="http://h/", body_kind="binary"))
    with pytest.raises(BuildError, match="Type a URL"):
        build_request(RequestDraft(url="  "))
    with pytest.raises(BuildError, match="http:// or https://"):
        build_request(RequestDraft(url="ftp://x/"))


def test_auth_kinds():
    basic = build_request(RequestDraft(url="http://h/", auth=Auth(kind="basic", username="u", password="p")))
    assert basic.header("Authorization") == "Basic " + base64.b64encode(b"u:p").decode()
    bearer = build_request(RequestDraft(url="http://h/", auth=Auth(kind="bearer", token="t0k")))
    assert bearer.header("Authorization") == "Bearer t0k"
    q = build_request(RequestDraft(url="http://h/p?a=1#f", auth=Auth(kind="apikey", key_name="k", key_value="v&w", key_in="query")))
    assert q.url == "http://h/p?a=1&k=v%26w#f"
    h = build_request(RequestDraft(url="http://h/", auth=Auth(kind="apikey", key_name="X-Key", key_value="v")))
    assert h.header("X-Key") == "v"
    table_wins = build_request(RequestDraft(url="http://h/", headers=(Row("Authorization", "Custom x"),),
                                            auth=Auth(kind="bearer", token="t")))
    assert [v for k, v in table_wins.headers if k == "Authorization"] == ["Custom x"]


def test_json_round_trip_and_broken_settings():
    d = RequestDraft(method="PATCH", url="http://h/?a=1", params=(Row("a", "1"), Row("b", "2", False)),
                     headers=(Row("X", "y", False),), body_kind="multipart", multipart=(Part("f", "", "/p"),),
                     auth=Auth(kind="bearer", token="t"))
    assert RequestDraft.from_json(d.to_json()) == d
    assert RequestDraft.from_json("nonsense") == RequestDraft()
    odd = RequestDraft.from_json({"method": 3, "body_kind": "weird", "options": {"timeout": "x"}, "auth": {"kind": "zz"}})
    assert odd.method == "GET" and odd.body_kind == "none" and odd.options.timeout == 30.0 and odd.auth.kind == "none"


def test_draft_from_request_rebuilds_the_same_request():
    req = HttpRequest("POST", "http://h/orders?x=1", (("Accept", "*/*"),), b'{"item": 1}')
    d = draft_from_request(req)
    assert d.params == (Row("x", "1"),) and d.body_kind == "raw"
    assert build_request(d) == req
    typed = HttpRequest("POST", "http://h/", (("Content-Type", "application/json"),), b"{}")
    assert draft_from_request(typed).body_kind == "json"
    assert build_request(draft_from_request(typed)) == typed
    form = HttpRequest("POST", "http://h/", (("Content-Type", "application/x-www-form-urlencoded"),), b"a=1&b=2")
    assert draft_from_request(form).form == (Row("a", "1"), Row("b", "2"))


def test_json_problem():
    assert json_problem('{"a": 1}') is None
    assert json_problem("") is None
    assert "line 1" in json_problem("{oops")


def test_reads_files_only_when_a_body_comes_from_a_file():
    from app.core.draft import Part, RequestDraft, reads_files

    assert not reads_files(RequestDraft(body_kind="json", raw_text="{}"))
    assert not reads_files(RequestDraft(body_kind="binary", binary_path=""))
    assert reads_files(RequestDraft(body_kind="binary", binary_path="/tmp/x.bin"))
    assert not reads_files(RequestDraft(body_kind="multipart", multipart=(Part("a", "text"),)))
    assert reads_files(RequestDraft(body_kind="multipart", multipart=(Part("f", "", "/tmp/x.png"),)))
    assert not reads_files(RequestDraft(body_kind="multipart", multipart=(Part("f", "", "/tmp/x.png", enabled=False),)))


def test_request_draft_keeps_a_form_body_that_would_not_rebuild_as_raw_text():
    form = "application/x-www-form-urlencoded"
    odd = HttpRequest("POST", "http://h/o", (("Content-Type", form),), b'{"json": 1}')
    d = request_draft(odd)
    assert (d.body_kind, d.raw_text, d.raw_content_type, d.form) == ("raw", '{"json": 1}', "", ())
    assert build_request(d).body == odd.body and build_request(d).headers == odd.headers
    plain = HttpRequest("POST", "http://h/o", (("Content-Type", form),), b"a=1&b=2")
    assert request_draft(plain) == draft_from_request(plain) and request_draft(plain).body_kind == "form"


def test_api_key_header_is_sent_under_its_trimmed_name_and_a_typed_row_of_that_name_wins():
    key = Auth(kind="apikey", key_name="  X-Key ", key_value="v")
    assert auth_headers(RequestDraft(url="http://h/", auth=key)) == [("X-Key", "v")]
    # an enabled row named like the key (any case, any padding) wins: nothing added, no duplicate header
    typed = RequestDraft(url="http://h/", headers=(Row(" x-key", "mine"),), auth=key)
    assert auth_headers(typed) == []
    assert [(k, v) for k, v in build_request(typed).headers if k.lower() == "x-key"] == [("x-key", "mine")]
    # a disabled row does not count
    assert auth_headers(RequestDraft(url="http://h/", headers=(Row("X-Key", "off", False),), auth=key)) == [("X-Key", "v")]
    # in the query, or without a name, the key adds no header
    assert auth_headers(RequestDraft(url="http://h/", auth=Auth(kind="apikey", key_name="k", key_value="v", key_in="query"))) == []
    assert auth_headers(RequestDraft(url="http://h/", auth=Auth(kind="apikey", key_name="  ", key_value="v"))) == []
    assert Auth().key_name == "X-API-Key"


def test_auth_headers_is_what_build_request_sends():
    for auth in (Auth(), Auth(kind="basic", username="u", password="p"), Auth(kind="bearer", token=" t "),
                 Auth(kind="apikey", key_name="X-API-Key", key_value="v")):
        d = RequestDraft(url="http://h/", headers=(Row("Accept", "*/*"),), auth=auth)
        assert list(build_request(d).headers) == [("Accept", "*/*")] + auth_headers(d)
