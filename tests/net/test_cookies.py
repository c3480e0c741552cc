"""Redirect cookies of one send: parsing Set-Cookie, per-origin keeping, Path/Secure/expiry, the notes."""

from __future__ import annotations

from app.core.models import HttpRequest
from app.net.cookies import RedirectCookies, parse_set_cookie

NOW = 1_700_000_000.0


def test_parse_set_cookie_defaults_and_expiry():
    cookie, expired = parse_set_cookie("sid=abc; HttpOnly", "http://h/a/b/login", NOW)
    assert (cookie.name, cookie.value, cookie.path, cookie.secure, expired) == ("sid", "abc", "/a/b", False, False)
    assert parse_set_cookie("x=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT", "http://h/", NOW)[1] is True
    assert parse_set_cookie("x=1; Max-Age=0", "http://h/", NOW)[1] is True
    assert parse_set_cookie("x=1; Expires=not a date", "http://h/", NOW)[1] is False
    assert parse_set_cookie("no-equals-sign", "http://h/", NOW) is None


def test_cookies_go_only_to_the_origin_that_set_them():
    jar = RedirectCookies(NOW)
    notes = jar.remember("http://a.test/login", 302, ["sid=S; Path=/"], "http://b.test/next")
    assert notes == ["Cookie sid set by the 302 response of http://a.test was not sent to http://b.test: "
                     "a cookie from a redirect goes back only to the origin that set it."]
    same, none = jar.apply(HttpRequest("GET", "http://b.test/next"))
    assert same.header("Cookie") is None and none == []
    back, sent = jar.apply(HttpRequest("GET", "http://a.test/home", (("Cookie", "sid=typed; k=v"),)))
    assert back.header("Cookie") == "sid=S; k=v" and "sent with the request to http://a.test/home" in sent[0]
    assert jar.apply(HttpRequest("GET", "http://a.test:8080/home"))[0].header("Cookie") is None  # another port


def test_deleted_cookie_is_not_sent_and_secure_needs_https():
    jar = RedirectCookies(NOW)
    jar.remember("https://a.test/", 302, ["s=1; Secure", "d=1"], "https://a.test/x")
    jar.remember("https://a.test/x", 302, ["d=; Max-Age=0"], "http://a.test/y")
    assert jar.apply(HttpRequest("GET", "https://a.test/y"))[0].header("Cookie") == "s=1"
