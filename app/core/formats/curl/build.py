"""Builds the request curl would send from the options read (options.py), with curl's defaults.

curl adds headers of its own depending on the options (a form Content-Type for -d, multipart for -F, Basic auth for
-u, Cookie for -b, ...) unless the command sets that header or removes it with ``-H "Name:"``; it picks the method
from -X, -I, -T and whether there is a body; -G moves the data into the query string. The result keeps what the
request itself cannot hold (TLS checks off, redirects followed, compression asked for) beside it.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from app.core.formats.curl.options import MULTIPART_BOUNDARY, ParsedOptions
from app.core.formats.errors import FormatError
from app.core.models import HttpRequest

CURL_ACCEPT_ENCODING = "deflate, gzip, br, zstd"


@dataclass(frozen=True)
class CurlImport:
    request: HttpRequest
    unknown_flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    insecure: bool = False
    follow_redirects: bool = False
    compressed: bool = False


class _Headers:
    """The headers being built; curl's own headers are added only where the command did not set or remove them."""

    def __init__(self, st: ParsedOptions) -> None:
        self.items = list(st.headers)
        self.removed = st.removed

    def has(self, name: str) -> bool:
        """True when the header is set, or was removed with "Name:" (then curl adds no default either)."""
        return any(k.lower() == name.lower() for k, _ in self.items) or name.lower() in self.removed

    def default(self, name: str, value: str) -> None:
        if not self.has(name):
            self.items.append((name, value))

    def add_boundary(self, boundary: str) -> None:
        """A typed ``Content-Type: multipart/...`` without a boundary gets the body's, as curl adds it."""
        for n, (name, value) in enumerate(self.items):
            if (name.lower() == "content-type" and value.lower().lstrip().startswith("multipart/")
                    and "boundary=" not in value.lower()):
                self.items[n] = (name, f"{value.rstrip().rstrip(';')}; boundary={boundary}")


def _url(st: ParsedOptions) -> str:
    if not st.url:
        raise FormatError("The curl command has no URL.")
    url = st.url.strip()
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url):
        url = "http://" + url
        st.warnings.append("The URL has no scheme; curl assumes http://, and so does the import.")
    return url


def _body(st: ParsedOptions, url: str, headers: _Headers) -> tuple[bytes | None, str]:
    """The body (None for none) and the URL, which -G extends with the data."""
    if st.form:
        if st.data:
            st.warnings.append("The command mixes -F and -d; curl refuses that. Only the -F form fields are used.")
        headers.default("Content-Type", f"multipart/form-data; boundary={MULTIPART_BOUNDARY}")
        headers.add_boundary(MULTIPART_BOUNDARY)
        return b"".join(st.form) + f"--{MULTIPART_BOUNDARY}--\r\n".encode(), url
    if not st.data:
        return None, url
    joined = b"&".join(st.data)
    if st.get:
        return None, url + ("&" if "?" in url else "?") + joined.decode("utf-8", "replace")
    if st.json:
        headers.default("Content-Type", "application/json")
        headers.default("Accept", "application/json")
    elif not st.upload:
        headers.default("Content-Type", "application/x-www-form-urlencoded")
    return joined, url


def _defaults(st: ParsedOptions, headers: _Headers) -> None:
    """The headers curl derives from -u, -b, -A, -e and --compressed."""
    if st.user is not None and not headers.has("Authorization"):
        user = st.user
        if ":" not in user:
            st.warnings.append("-u names no password; curl would ask for one. The import uses an empty password.")
            user += ":"
        headers.default("Authorization", "Basic " + base64.b64encode(user.encode("utf-8")).decode("ascii"))
    if st.cookies:
        headers.default("Cookie", "; ".join(st.cookies))
    if st.user_agent is not None:
        headers.default("User-Agent", st.user_agent)
    if st.referer is not None:
        headers.default("Referer", st.referer)
    if st.compressed:
        headers.default("Accept-Encoding", CURL_ACCEPT_ENCODING)


def _method(st: ParsedOptions, body: bytes | None) -> str:
    if st.method:
        return st.method
    if st.head:
        return "HEAD"
    if st.upload:
        return "PUT"
    return "POST" if body is not None else "GET"


def build(st: ParsedOptions) -> CurlImport:
    """The request the options describe, and what curl would do beside it."""
    headers = _Headers(st)
    body, url = _body(st, _url(st), headers)
    if st.url_query:
        url = url + ("&" if "?" in url else "?") + "&".join(st.url_query)
    _defaults(st, headers)
    method = _method(st, body)
    chunked = any(k.lower() == "transfer-encoding" and "chunked" in v.lower() for k, v in headers.items)
    req = HttpRequest(method=method, url=url, headers=tuple(headers.items), body=body, chunked=chunked)
    return CurlImport(request=req, unknown_flags=tuple(dict.fromkeys(st.unknown)), warnings=tuple(st.warnings),
                      insecure=st.insecure, follow_redirects=st.location, compressed=st.compressed)
