"""Cookies: none kept between sends, and those set by redirect responses while one send follows its redirects.

The app sends what was typed and keeps no cookie jar between sends or tabs (``NoCookieJar`` is the httpx clients'
jar, which stores nothing). Only within one send, a cookie that a
redirect response sets (a login hop that sets a session, then redirects) is sent on to later hops of the SAME origin,
as a browser's host-only cookie would be: ``Path`` and ``Secure`` are honoured, ``Max-Age=0`` / a past ``Expires``
delete it, ``Domain`` is ignored (never widened to other hosts). A cookie never goes to another origin. Every cookie
sent on and every cookie held back is named in a note (names only, never values). Forgotten when the send ends.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from http.cookiejar import CookieJar
from typing import Sequence
from urllib.parse import urlsplit

from app.core.models import HttpRequest
from app.core.rate_limit import origin_of


class NoCookieJar(CookieJar):
    """A jar that keeps nothing: what a server sets is never sent by itself to a later request (of any tab)."""

    def set_cookie(self, cookie) -> None:  # type: ignore[no-untyped-def]
        return None

    def extract_cookies(self, response, request) -> None:  # type: ignore[no-untyped-def]
        return None


@dataclass(frozen=True)
class _Cookie:
    name: str
    value: str
    path: str
    secure: bool


def _default_path(url: str) -> str:
    path = urlsplit(url).path
    if not path.startswith("/") or path.count("/") == 1:
        return "/"
    return path[: path.rindex("/")]


def _path_matches(request_path: str, cookie_path: str) -> bool:
    if request_path == cookie_path:
        return True
    return request_path.startswith(cookie_path) and (cookie_path.endswith("/") or
                                                     request_path[len(cookie_path)] == "/")


def _expired(attrs: dict[str, str], now: float) -> bool:
    if "max-age" in attrs:
        try:
            return int(attrs["max-age"]) <= 0
        except ValueError:
            pass
    if "expires" in attrs:
        try:
            return parsedate_to_datetime(attrs["expires"]).timestamp() <= now
        except (TypeError, ValueError, OverflowError, IndexError):
            return False
    return False


def parse_set_cookie(value: str, url: str, now: float) -> tuple[_Cookie, bool] | None:
    """(cookie, expired) from one Set-Cookie value received from ``url``; None when it names no cookie."""
    first, *rest = value.split(";")
    name, eq, cookie_value = first.partition("=")
    name = name.strip()
    if not eq or not name:
        return None
    attrs: dict[str, str] = {}
    for piece in rest:
        key, _, val = piece.partition("=")
        attrs[key.strip().lower()] = val.strip()
    path = attrs.get("path", "")
    if not path.startswith("/"):
        path = _default_path(url)
    return _Cookie(name, cookie_value.strip(), path, "secure" in attrs), _expired(attrs, now)


def _names(names: Sequence[str]) -> str:
    listed = ", ".join(dict.fromkeys(names))
    return f"Cookie {listed}" if len(set(names)) == 1 else f"Cookies {listed}"


class RedirectCookies:
    """The cookies redirect responses set during ONE send, kept per origin that set them."""

    def __init__(self, now: float | None = None) -> None:
        self._now = time.time() if now is None else now
        self._by_origin: dict[str, dict[str, _Cookie]] = {}

    def remember(self, url: str, status: int, set_cookies: Sequence[str], target: str) -> list[str]:
        """Keep what the redirect response from ``url`` set; a note for cookies ``target``'s origin will not get."""
        origin = origin_of(url)
        jar = self._by_origin.setdefault(origin, {})
        stored: list[str] = []
        for raw in set_cookies:
            parsed = parse_set_cookie(raw, url, self._now)
            if parsed is None:
                continue
            cookie, expired = parsed
            if expired:
                jar.pop(cookie.name, None)
            else:
                jar[cookie.name] = cookie
                stored.append(cookie.name)
        if stored and origin_of(target) != origin:
            return [f"{_names(stored)} set by the {status} response of {origin} {'was' if len(set(stored)) == 1 else 'were'} "
                    f"not sent to {origin_of(target)}: a cookie from a redirect goes back only to the origin that "
                    "set it."]
        return []

    def apply(self, request: HttpRequest) -> tuple[HttpRequest, list[str]]:
        """``request`` with the cookies its origin set earlier in this send added to its Cookie header, and a note."""
        parts = urlsplit(request.url)
        jar = self._by_origin.get(origin_of(request.url), {})
        due = [c for c in jar.values()
               if _path_matches(parts.path or "/", c.path) and (not c.secure or parts.scheme.lower() == "https")]
        if not due:
            return request, []
        typed = [p.strip() for k, v in request.headers if k.lower() == "cookie" for p in v.split(";") if p.strip()]
        pairs = {p.partition("=")[0].strip(): p for p in typed}
        for c in due:
            pairs[c.name] = f"{c.name}={c.value}"
        headers = [(k, v) for k, v in request.headers if k.lower() != "cookie"] + [("Cookie", "; ".join(pairs.values()))]
        note = (f"{_names([c.name for c in due])} set by a redirect response of {origin_of(request.url)} "
                f"{'was' if len(due) == 1 else 'were'} sent with the request to {request.url} (the same origin).")
        return replace(request, headers=tuple(headers)), [note]
