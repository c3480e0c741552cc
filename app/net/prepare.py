"""Turning an HttpRequest into what httpx can send, without silently changing what the user typed.

- header names/values are checked before sending (CR/LF, control characters, non-latin-1) -> a sentence naming the header;
- a typed Content-Length that does not match the body is replaced (in place) by the real length, with a note;
- ``Transfer-Encoding: chunked`` typed (or ``request.chunked``) -> the body goes as an async iterator, so httpx/h11
  really frame it chunked (and any typed Content-Length is dropped, with a note);
- redirects: the next request, and which secret headers must not travel to another origin (the table of secret
  names is app.core.redact's, the same that redaction and on-screen masking use);
- cookies: nothing but the typed Cookie header is ever sent. A cookie set by a redirect response of the same send is
  sent on only to the origin that set it, for the rest of that send (app.net.cookies), and notes say so.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from app.core.models import HttpRequest, TransportError
from app.core.rate_limit import origin_of
from app.core.redact import is_secret_header

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
CHUNK = 64 * 1024


@dataclass
class Prepared:
    method: str
    url: str
    headers: list[tuple[bytes, bytes]]
    content: bytes | None
    chunked: bool
    notes: list[str] = field(default_factory=list)

    def body_stream(self) -> AsyncIterator[bytes]:
        """The body as an async iterator: httpx sends that with Transfer-Encoding: chunked."""
        data = self.content or b""

        async def gen() -> AsyncIterator[bytes]:
            for start in range(0, len(data), CHUNK):
                yield data[start : start + CHUNK]

        return gen()


def check_url(url: str) -> TransportError | None:
    """A plain sentence when the URL cannot be sent at all (no http/https scheme, no host)."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        return TransportError(
            "invalid-url",
            "The URL must start with http:// or https://" + (f" (it is '{_short(url)}')." if url else "."),
            f"scheme={parts.scheme!r}",
        )
    if not parts.hostname:
        return TransportError("invalid-url", f"The URL '{_short(url)}' names no server (host).", "no host")
    if any(c in text for c in "\r\n\t ") or any(ord(c) < 0x20 for c in text):
        return TransportError(
            "invalid-url", f"The URL '{_short(url)}' contains spaces or control characters; encode them (%20).", ""
        )
    return None


def check_method(method: str) -> TransportError | None:
    if not method or not _TOKEN.match(method):
        return TransportError(
            "invalid-method", f"The method '{_short(method)}' is not a valid HTTP method name.", repr(method)
        )
    return None


def check_headers(headers: tuple[tuple[str, str], ...]) -> TransportError | None:
    """Reject headers HTTP cannot carry, naming the header."""
    for name, value in headers:
        if not name or not _TOKEN.match(name):
            shown = name.replace("\r", "\\r").replace("\n", "\\n")
            return TransportError(
                "invalid-header",
                f"The header name '{_short(shown)}' is not allowed: header names may only contain letters, digits "
                "and -!#$%&'*+.^_`|~ (no spaces, colons or line breaks).",
                f"name={name!r}",
            )
        if "\r" in value or "\n" in value:
            return TransportError(
                "invalid-header",
                f"The value of header '{name}' contains a line break; a header value must be on one line.",
                f"{name}: {value!r}",
            )
        if _BAD_VALUE.search(value):
            return TransportError(
                "invalid-header",
                f"The value of header '{name}' contains a control character, which HTTP does not allow.",
                f"{name}: {value!r}",
            )
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            return TransportError(
                "invalid-header",
                f"The value of header '{name}' contains characters that cannot be sent in an HTTP header "
                "(only Latin-1 is possible; percent-encode or base64 the value).",
                f"{name}: {value!r}",
            )
    return None


def prepare(request: HttpRequest) -> Prepared | TransportError:
    """Validate and shape a request for httpx; a TransportError when it cannot be sent."""
    for err in (check_method(request.method), check_url(request.url), check_headers(request.headers)):
        if err is not None:
            return err
    body = request.body
    notes: list[str] = []
    typed_te = [v for k, v in request.headers if k.lower() == "transfer-encoding"]
    te_chunked = any(v.strip().lower().split(",")[-1].strip() == "chunked" for v in typed_te if v.strip())
    chunked = request.chunked or te_chunked
    out: list[tuple[bytes, bytes]] = []
    cl_seen = False
    for name, value in request.headers:
        low = name.lower()
        value = value.strip(" \t")
        if low == "transfer-encoding":
            if value.lower() != "chunked":
                notes.append(
                    f"You typed Transfer-Encoding: {value}; only 'chunked' can be sent, so "
                    + ("Transfer-Encoding: chunked was sent." if chunked else "the header was left out.")
                )
                if chunked:
                    out.append((name.encode("latin-1"), b"chunked"))
                continue
        elif low == "content-length":
            if chunked:
                notes.append(
                    f"You typed Content-Length: {value} but the body is sent chunked; a request cannot carry both, "
                    "so Content-Length was left out."
                )
                continue
            if cl_seen:
                notes.append(f"A second Content-Length ({value}) was typed; only one can be sent, so it was left out.")
                continue
            cl_seen = True
            real = len(body) if body is not None else 0
            if value != str(real):
                what = f"the body is {real} bytes" if body is not None else "there is no body"
                notes.append(
                    f"You typed Content-Length: {value} but {what}; the HTTP library cannot send a wrong length, "
                    f"so {real} was sent."
                )
                value = str(real)
        out.append((name.encode("latin-1"), value.encode("latin-1")))
    return Prepared(
        method=request.method, url=request.url.strip(), headers=out, content=body, chunked=chunked, notes=notes
    )


# --- redirects -------------------------------------------------------------------------------------------

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def redirect_request(previous: HttpRequest, status: int, location: str) -> tuple[HttpRequest, list[str]]:
    """The request to send after a redirect, and notes (method change, secret headers withheld)."""
    target = urljoin(previous.url, location.strip()).split("#", 1)[0]  # fragments never go on the wire
    notes: list[str] = []
    method = previous.method
    body = previous.body
    chunked = previous.chunked
    drop_body = False
    if (status == 303 and method.upper() != "HEAD") or (status in (301, 302) and method.upper() == "POST"):
        if method.upper() != "GET":
            notes.append(f"The {status} redirect turns {method} into GET, so the body was not sent again.")
        method, body, chunked, drop_body = "GET", None, False, True
    cross = origin_of(target) != origin_of(previous.url)
    headers: list[tuple[str, str]] = []
    withheld: list[str] = []
    for name, value in previous.headers:
        low = name.lower()
        if low == "host":
            continue  # the new URL decides the Host
        if drop_body and low in ("content-length", "content-type", "transfer-encoding", "content-encoding"):
            continue
        if cross and is_secret_header(name):
            withheld.append(name)
            continue
        headers.append((name, value))
    if withheld:
        names = ", ".join(dict.fromkeys(withheld))
        notes.append(
            f"{names} {'was' if len(set(withheld)) == 1 else 'were'} not sent to {origin_of(target)} because it is "
            f"a different origin than {origin_of(previous.url)}."
        )
    return HttpRequest(method=method, url=target, headers=tuple(headers), body=body, chunked=chunked), notes


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
