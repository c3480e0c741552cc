"""The practice API's endpoints: pure request -> Reply logic (the server module does the wire)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import math
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from email.utils import formatdate
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import quote

from app.core.clock import Clock, SystemClock
from app.core.models import media_type

from . import misbehave, openapi, streams
from .messages import message_for
from .ratelimit import SlidingWindowLimiter
from .reply import Reply, json_reply
from .request import DemoRequest

if TYPE_CHECKING:
    from app.core.catalog import StatusCatalog

log = logging.getLogger("app.demo")

DEMO_TOKEN = "demo-token"
DEMO_USER, DEMO_PASSWORD = "demo", "demo"
MAX_DELAY = 60.0
MAX_BYTES = 64 * 1024**3
MAX_DRIP_SECONDS = 300.0
MAX_PRECOMPUTED_GZIP = 1024**3  # larger gzip bodies are always streamed
DEFAULT_RETRY_AFTER = 30
GET_HEAD = "GET, HEAD"

ENDPOINTS: list[dict[str, str]] = [
    {"path": "/", "methods": "GET", "description": "This index."},
    {"path": "/status/{code}", "methods": "any", "description": "Answer with status {code} (200-599) and the "
     "documented Message/Description body. ?retry_after=N, ?retry_after_date=1 for 429/503."},
    {"path": "/orders", "methods": "GET, POST", "description": "List orders, or create one with a JSON body such as "
     '{"item": "coffee", "quantity": 2}. POSTs are rate-limited; ?auth=1 requires a token.'},
    {"path": "/orders/{id}", "methods": "GET, DELETE", "description": "Read or delete one order."},
    {"path": "/secure", "methods": "any",
     "description": "Needs 'Authorization: Bearer demo-token' or Basic demo:demo."},
    {"path": "/forbidden", "methods": "any", "description": "Always 403 Forbidden."},
    {"path": "/bytes/{n}", "methods": GET_HEAD, "description": "n bytes streamed; ?chunked=1 for chunked framing, "
     "?type=json for a valid JSON array of exactly n bytes."},
    {"path": "/drip", "methods": GET_HEAD, "description": "A slow server: ?bytes=N&delay=S sends one piece every "
     "S seconds (?chunk=K bytes per piece)."},
    {"path": "/delay/{seconds}", "methods": "any", "description": f"Answer after a delay (at most {MAX_DELAY:g} s)."},
    {"path": "/gzip", "methods": GET_HEAD, "description": "?bytes=N zeros, gzip-encoded (Content-Encoding: gzip); "
     "?chunked=1 (or N over 1 GiB) compresses on the fly; /br and /zstd alike; ?encoding=gzip,br stacks codings."},
    {"path": "/redirect", "methods": "any", "description": "?to=URL&status=302: a redirect."},
    {"path": "/headers", "methods": "any", "description": "Echo the request headers, in order, as received."},
    {"path": "/echo", "methods": "POST (any)", "description": "Echo method, headers, body length and body."},
    {"path": "/openapi.json", "methods": GET_HEAD, "description": "This server's OpenAPI document (use it with "
     "--api-docs or File → Open API documentation…)."},
]


class BadInput(Exception):
    """A query or path value the server cannot use; the text is the Message sent back (400)."""


def _describe_fallback(code: int) -> str:
    try:
        status = HTTPStatus(code)
    except ValueError:
        return "A status code the HTTP standard does not define."
    return status.description or status.phrase


class DemoApp:
    """The endpoints and their state (orders, rate limiter). One instance per server."""

    def __init__(
        self,
        *,
        rate_limit: int = 5,
        rate_window: float = 60.0,
        catalog: StatusCatalog | None = None,
        clock: Clock | None = None,
        max_delay: float = MAX_DELAY,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.limiter = SlidingWindowLimiter(rate_limit, rate_window, self.clock)
        self._catalog = catalog
        self._catalog_loaded = catalog is not None
        self.max_delay = max_delay
        self.orders: dict[int, dict] = {}
        self._next_id = 1
        self._gzip_cache = streams.GzipCache()
        for item, qty in (("coffee beans", 2), ("green tea", 1)):
            self._create_order({"item": item, "quantity": qty})

    # -- documentation --------------------------------------------------------------------------------------------
    @property
    def catalog(self) -> StatusCatalog | None:
        if not self._catalog_loaded:
            self._catalog_loaded = True
            try:
                from app.core.catalog import load_default_catalog

                self._catalog = load_default_catalog()
            except Exception as exc:  # the catalog is optional: fall back to the HTTP standard's words
                log.warning("practice server: API documentation not loaded (%s); using standard descriptions", exc)
                self._catalog = None
        return self._catalog

    def describe(self, code: int) -> str:
        """The documentation page's description of ``code`` (the HTTP standard's when the page is silent)."""
        catalog = self.catalog
        if catalog is not None:
            try:
                return catalog.lookup(code).description
            except Exception as exc:
                log.warning("practice server: catalog lookup of %s failed: %s", code, exc)
        return _describe_fallback(code)

    def error(self, code: int, message: str | None = None, headers: list[tuple[str, str]] | None = None) -> Reply:
        """The API's error shape: ``{"Message": ..., "Description": ...}``."""
        data = {"Message": message or message_for(code), "Description": self.describe(code)}
        return json_reply(code, data, headers)

    # -- dispatch -------------------------------------------------------------------------------------------------
    async def handle(self, req: DemoRequest) -> Reply:
        try:
            modes = misbehave.parse_modes(req.query.get("misbehave", []))
        except misbehave.UnknownMode as exc:
            return self.error(400, str(exc))
        try:
            reply = await self._route(req)
        except BadInput as exc:
            reply = self.error(400, str(exc))
        return misbehave.apply(reply, modes)

    async def _route(self, req: DemoRequest) -> Reply:
        path = req.path.rstrip("/") or "/"
        method = "GET" if req.method == "HEAD" else req.method
        table: list[tuple[str, Callable[..., Awaitable[Reply]], str | None]] = [
            (r"/", self.index, GET_HEAD),
            (r"/status/([^/]+)", self.status, None),
            (r"/orders", self.orders_collection, None),
            (r"/orders/([^/]+)", self.order_item, None),
            (r"/secure", self.secure, None),
            (r"/forbidden", self.forbidden, None),
            (r"/bytes/([^/]+)", self.bytes_, GET_HEAD),
            (r"/drip", self.drip, GET_HEAD),
            (r"/delay/([^/]+)", self.delay, None),
            (r"/(gzip|br|zstd)", self.gzip, GET_HEAD),
            (r"/redirect", self.redirect, None),
            (r"/headers", self.headers, None),
            (r"/echo", self.echo, None),
            (r"/openapi\.json", self.openapi_document, GET_HEAD),
        ]
        for pattern, handler, allow in table:
            match = re.fullmatch(pattern, path)
            if match is None:
                continue
            if allow is not None and method not in allow.split(", "):
                return self.error(405, f"{req.method} is not supported on {path}; use {allow}.", [("Allow", allow)])
            return await handler(req, *match.groups())
        return self.error(404, f"No resource exists at {req.path}. GET / lists what this server offers.")

    # -- endpoints ------------------------------------------------------------------------------------------------
    async def index(self, req: DemoRequest) -> Reply:
        return json_reply(200, {
            "name": "Request Inspector practice server",
            "about": "Behaves like the documented API; add ?misbehave=mode[,mode] to get a faulty answer.",
            "endpoints": ENDPOINTS,
            "misbehave": misbehave.MODES,
            "auth": {"bearer": DEMO_TOKEN, "basic": f"{DEMO_USER}:{DEMO_PASSWORD}"},
            "rate_limit": {"limit": self.limiter.limit, "window_seconds": self.limiter.window,
                           "applies_to": "POST /orders"},
        })

    async def openapi_document(self, req: DemoRequest) -> Reply:
        host = req.header("Host")
        return json_reply(200, openapi.document(f"http://{host}" if host else None))

    async def status(self, req: DemoRequest, raw_code: str) -> Reply:
        try:
            code = int(raw_code)
        except ValueError:
            raise BadInput(f"'{raw_code}' is not a status code; use a number between 200 and 599.") from None
        if 100 <= code < 200:
            raise BadInput(f"{code} is an interim (1xx) answer, not a final one, so the server cannot answer with it; "
                           "use a code between 200 and 599.")
        if not 200 <= code <= 599:
            raise BadInput(f"{code} is not a valid status code; use a number between 200 and 599.")
        headers: list[tuple[str, str]] = []
        if code in (429, 503):
            seconds = self._int_arg(req, "retry_after", DEFAULT_RETRY_AFTER, 0, 10**9)
            if req.flag("retry_after_date"):
                headers.append(("Retry-After", formatdate(self.clock.now() + seconds, usegmt=True)))
            else:
                headers.append(("Retry-After", str(seconds)))
            if code == 429:
                headers += [("X-RateLimit-Limit", str(self.limiter.limit)), ("X-RateLimit-Remaining", "0"),
                            ("X-RateLimit-Reset", str(seconds))]
        if code == 405:
            headers.append(("Allow", req.arg("allow") or GET_HEAD))
        if code == 201:
            headers.append(("Location", "/orders/1"))
        if code == 401:
            headers += self._challenges()
        if 300 <= code < 400 and code != 304:
            headers.append(("Location", _safe_location(req.arg("location") or "/")))
        return self.error(code, None, headers)

    async def orders_collection(self, req: DemoRequest) -> Reply:
        if req.method in ("GET", "HEAD"):
            if req.flag("auth") and (denied := self._check_auth(req)):
                return denied
            return json_reply(200, {"orders": list(self.orders.values()), "count": len(self.orders)})
        if req.method != "POST":
            return self.error(405, f"{req.method} is not supported on /orders; use GET or POST.",
                              [("Allow", "GET, POST")])
        if req.flag("auth") and (denied := self._check_auth(req)):
            return denied
        decision = self.limiter.hit()
        rate_headers = decision.headers()
        if not decision.allowed:
            reply = self.error(
                429,
                f"Too many POST requests: at most {decision.limit} per {decision.window} seconds. "
                f"Try again in {decision.reset_seconds} seconds.",
                [("Retry-After", str(decision.reset_seconds))],
            )
        else:
            reply = self._create_from_request(req)
        reply.headers += rate_headers
        return reply

    def _create_from_request(self, req: DemoRequest) -> Reply:
        if not _accepts_json(req.header("Accept")):
            return self.error(406, f"This server answers only with application/json, which 'Accept: "
                                   f"{req.header('Accept')}' does not allow.")
        if req.chunked:
            return self.error(411, "The body was sent with Transfer-Encoding: chunked; send it with a "
                                   "Content-Length header instead.")
        if req.content_length is None:
            return self.error(411, "A POST to /orders needs a Content-Length header.")
        ctype = req.header("Content-Type")
        mtype = media_type(ctype)
        if ctype is None and req.body_length:
            return self.error(415, "The request has a body but no Content-Type header; send it as application/json.")
        if mtype is not None and not _is_json_type(mtype):
            return self.error(415, f"The body was sent as '{ctype}'; send it as application/json.")
        if req.body_truncated:
            return self.error(413, f"The body ({req.body_length} bytes) is larger than this server accepts.")
        if not req.body_length:
            return self.error(400, 'The request body is empty; send a JSON object such as {"item": "coffee"}.')
        try:
            text = req.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return self.error(400, f"The body is not valid UTF-8 text (bad byte at position {exc.start}).")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return self.error(400, f"The body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno} "
                                   f"(character {exc.pos}).")
        if not isinstance(data, dict):
            return self.error(400, f"The body must be a JSON object, not {_json_kind(data)}.")
        problem = _order_problem(data)
        if problem:
            return self.error(400, problem)
        order = self._create_order(data)
        return json_reply(201, order, [("Location", f"/orders/{order['id']}")])

    def _create_order(self, data: dict) -> dict:
        order = {
            "id": self._next_id,
            "item": data["item"],
            "quantity": data.get("quantity", 1),
            "created": datetime.fromtimestamp(self.clock.now(), timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        self.orders[self._next_id] = order
        self._next_id += 1
        return order

    async def order_item(self, req: DemoRequest, raw_id: str) -> Reply:
        allow = "GET, DELETE"
        if req.method not in ("GET", "HEAD", "DELETE"):
            return self.error(405, f"{req.method} is not supported on /orders/{raw_id}; use {allow}.",
                              [("Allow", allow)])
        if req.flag("auth") and (denied := self._check_auth(req)):
            return denied
        try:
            order_id = int(raw_id)
        except ValueError:
            order_id = -1
        order = self.orders.get(order_id)
        if order is None:
            return self.error(404, f"Order '{raw_id}' does not exist.")
        if req.method == "DELETE":
            del self.orders[order_id]
            return Reply(204)
        return json_reply(200, order)

    def _challenges(self) -> list[tuple[str, str]]:
        return [("WWW-Authenticate", 'Bearer realm="demo"'), ("WWW-Authenticate", 'Basic realm="demo"')]

    def _check_auth(self, req: DemoRequest) -> Reply | None:
        value = req.header("Authorization")
        if value is None:
            return self.error(401, "The Authorization header is missing; send 'Bearer demo-token' or Basic demo:demo.",
                              self._challenges())
        scheme, _, cred = value.strip().partition(" ")
        cred = cred.strip()
        if scheme.lower() == "bearer" and cred == DEMO_TOKEN:
            return None
        if scheme.lower() == "basic":
            try:
                user, _, password = base64.b64decode(cred, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                user = password = ""
            if (user, password) == (DEMO_USER, DEMO_PASSWORD):
                return None
        headers = [("WWW-Authenticate", 'Bearer realm="demo", error="invalid_token"'),
                   ("WWW-Authenticate", 'Basic realm="demo"')]
        return self.error(401, "The credentials were not accepted.", headers)

    async def secure(self, req: DemoRequest) -> Reply:
        denied = self._check_auth(req)
        if denied:
            return denied
        return json_reply(200, {"Message": "You are signed in as demo.", "user": DEMO_USER})

    async def forbidden(self, req: DemoRequest) -> Reply:
        return self.error(403, "Your account is signed in but is not allowed to use this resource.")

    async def bytes_(self, req: DemoRequest, raw_n: str) -> Reply:
        n = _parse_int(raw_n, "the byte count", 0, MAX_BYTES)
        kind = (req.arg("type") or "binary").lower()
        if kind == "json":
            if n < 2:
                raise BadInput("A JSON array needs at least 2 bytes; ask for /bytes/2 or more.")
            reply = Reply(200, [("Content-Type", "application/json")], stream=lambda: streams.json_array(n), length=n)
        elif kind in ("binary", "octet-stream", "bytes"):
            reply = Reply(200, [("Content-Type", "application/octet-stream")],
                          stream=lambda: streams.binary_bytes(n), length=n)
        else:
            raise BadInput(f"Unknown type '{kind}'; use type=binary or type=json.")
        if req.flag("chunked"):
            reply.length = None
        return reply

    async def drip(self, req: DemoRequest) -> Reply:
        n = self._int_arg(req, "bytes", 10, 0, 10 * 1024**2)
        chunk = self._int_arg(req, "chunk", 1, 1, 10 * 1024**2)
        delay = self._float_arg(req, "delay", 1.0, 0.0, self.max_delay)
        pieces = math.ceil(n / chunk) if n else 0
        if pieces * delay > MAX_DRIP_SECONDS:
            raise BadInput(f"That drip would take {pieces * delay:g} seconds; the limit is {MAX_DRIP_SECONDS:g}.")
        reply = Reply(200, [("Content-Type", "application/octet-stream")],
                      stream=lambda: streams.drip(n, chunk, delay), length=n)
        if req.flag("chunked"):
            reply.length = None
        return reply

    async def delay(self, req: DemoRequest, raw_seconds: str) -> Reply:
        try:
            seconds = float(raw_seconds)
        except ValueError:
            raise BadInput(f"'{raw_seconds}' is not a number of seconds.") from None
        if not 0 <= seconds <= self.max_delay:
            raise BadInput(f"The delay must be between 0 and {self.max_delay:g} seconds.")
        await asyncio.sleep(seconds)
        return json_reply(200, {"Message": f"Answered after {seconds:g} seconds.", "delay": seconds})

    async def gzip(self, req: DemoRequest, coding: str = "gzip") -> Reply:
        """Zeros in a content coding: /gzip, /br, /zstd, or the stack ?encoding= names (applied in its order)."""
        n = self._int_arg(req, "bytes", 1024 * 1024, 0, MAX_BYTES)
        codings = tuple(c.strip().lower() for c in (req.arg("encoding") or coding).split(",") if c.strip())
        if not 0 < len(codings) <= 5 or not set(codings) <= set(streams.CODINGS):
            raise BadInput(f"encoding must list 1 to 5 of {', '.join(streams.CODINGS)}, separated by commas.")
        headers = [("Content-Type", "application/octet-stream"), ("Content-Encoding", ", ".join(codings)),
                   ("X-Decoded-Length", str(n))]
        if req.flag("chunked") or n > MAX_PRECOMPUTED_GZIP:
            # Compressed on the fly, so the length is unknown: chunked framing.
            return Reply(200, headers, stream=lambda: streams.encoded_zeros_stream(n, codings))
        # Precomputed once (in a worker thread, cached) so the answer has a Content-Length, HEAD included.
        return Reply(200, headers, await self._gzip_cache.get(n, codings))

    async def redirect(self, req: DemoRequest) -> Reply:
        status = self._int_arg(req, "status", 302, 300, 399)
        target = _safe_location(req.arg("to") or "/")
        reply = json_reply(status, {"Message": f"Moved to {target}.", "Description": self.describe(status)},
                           [("Location", target)])
        return reply

    async def headers(self, req: DemoRequest) -> Reply:
        return json_reply(200, {
            "method": req.method,
            "target": req.target,
            "http_version": req.http_version,
            "headers": [[k, v] for k, v in req.headers],
        })

    async def echo(self, req: DemoRequest) -> Reply:
        try:
            body, encoding = req.body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            body, encoding = base64.b64encode(req.body).decode("ascii"), "base64"
        return json_reply(200, {
            "method": req.method,
            "target": req.target,
            "http_version": req.http_version,
            "headers": [[k, v] for k, v in req.headers],
            "chunked": req.chunked,
            "body_length": req.body_length,
            "body_truncated": req.body_truncated,
            "body_encoding": encoding,
            "body": body,
        })

    # -- small helpers --------------------------------------------------------------------------------------------
    def _int_arg(self, req: DemoRequest, name: str, default: int, low: int, high: int) -> int:
        raw = req.arg(name)
        return default if raw is None or raw == "" else _parse_int(raw, name, low, high)

    def _float_arg(self, req: DemoRequest, name: str, default: float, low: float, high: float) -> float:
        raw = req.arg(name)
        if raw is None or raw == "":
            return default
        try:
            value = float(raw)
        except ValueError:
            raise BadInput(f"{name} must be a number, not '{raw}'.") from None
        if not low <= value <= high:
            raise BadInput(f"{name} must be between {low:g} and {high:g}.")
        return value


def _parse_int(raw: str, what: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise BadInput(f"{what} must be a whole number, not '{raw}'.") from None
    if not low <= value <= high:
        raise BadInput(f"{what} must be between {low} and {high}.")
    return value


def _safe_location(target: str) -> str:
    """Keep a Location value on the wire legal (percent-encode anything outside visible ASCII)."""
    return quote(target, safe="/:?#[]@!$&'()*+,;=%-._~")


def _is_json_type(mtype: str) -> bool:
    return mtype == "application/json" or (mtype.startswith("application/") and mtype.endswith("+json"))


def _accepts_json(accept: str | None) -> bool:
    """Does an Accept header allow application/json? (Most specific matching range decides; q=0 refuses.)"""
    if accept is None or not accept.strip():
        return True
    best: tuple[int, float] | None = None
    for item in accept.split(","):
        fields = [f.strip() for f in item.split(";")]
        rng = fields[0].lower()
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
        specificity = {"application/json": 3, "application/*": 2, "*/*": 1, "*": 1}.get(rng, 0)
        if specificity and (best is None or specificity > best[0]):
            best = (specificity, q)
    return best is not None and best[1] > 0


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _order_problem(data: dict) -> str | None:
    item = data.get("item")
    if "item" not in data:
        return 'The field "item" is required, e.g. {"item": "coffee", "quantity": 2}.'
    if not isinstance(item, str) or not item.strip():
        return 'The field "item" must be a non-empty string.'
    quantity = data.get("quantity", 1)
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        return 'The field "quantity" must be a whole number of at least 1.'
    return None
