"""The practice server's own OpenAPI 3.1 document, served at ``GET /openapi.json``.

Why: with ``--api-docs`` pointing at this document, the inspector explains the practice server's answers per
operation and its checks have a real server to fire against: a 415 after a ``text/plain`` POST, a 400 for an
unknown ``?misbehave=`` mode on a route that documents no 400, a ``wrong-content-type`` or ``problem`` body that
breaks the documented error shape. The document says what the server does; ``?misbehave=`` is the server
deliberately breaking it. ``/redirect`` documents ``to`` as required (the server is lenient and uses ``/``).
"""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/responses/Error"}


def _json(schema_ref: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


def _op(op_id: str, summary: str, responses: dict, tags: tuple[str, ...] = ("practice",), **extra: Any) -> dict:
    return {"operationId": op_id, "summary": summary, "tags": list(tags), "responses": responses, **extra}


def _query(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


_PATH_INT = {"type": "integer", "minimum": 0}
_BINARY = {"description": "The bytes.", "content": {"application/octet-stream": {}, "application/json": {}}}


def _paths() -> dict:
    bad_request = {**_ERROR, "description": "A query or path value the server cannot use."}
    return {
        "/": {"get": _op("index", "What this server offers", {"200": {
            "description": "The endpoints, misbehave modes, credentials and rate limit.",
            "content": {"application/json": {"schema": {"type": "object", "required": ["name", "endpoints"]}}}}})},
        "/openapi.json": {"get": _op("openapi", "This document", {"200": {
            "description": "The OpenAPI document describing this server.",
            "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}}}})},
        "/status/{code}": {
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": _op("answerStatus", "Answer with any status", {
                "2XX": _json("Error", "The status asked for, with the API's Message/Description body."),
                "default": {**_ERROR, "description": "The status asked for (or 400 for a code that is not one)."},
            }, parameters=[_query("retry_after", "Seconds for Retry-After on 429/503.", _PATH_INT),
                           _query("retry_after_date", "Send Retry-After as an HTTP date.", {"type": "string"})])},
        "/orders": {
            "get": _op("listOrders", "List orders", {
                "200": _json("OrderList", "The orders created so far."),
                "401": {**_ERROR, "description": "?auth=1 was given without valid credentials."},
            }, tags=("orders",), parameters=[_query("auth", "Require credentials.", {"type": "string"})]),
            "post": _op("createOrder", "Create an order", {
                "201": _json("Order", "The order was created; Location names it."),
                "400": {**_ERROR, "description": "The body is empty, not JSON, or misses 'item'."},
                "401": {**_ERROR, "description": "?auth=1 was given without valid credentials."},
                "406": {**_ERROR, "description": "Accept does not allow application/json."},
                "411": {**_ERROR, "description": "No Content-Length (chunked or missing)."},
                "413": {**_ERROR, "description": "The body is larger than the server accepts."},
                "415": {**_ERROR, "description": "The body is not sent as application/json."},
                "429": {**_ERROR, "description": "Too many POSTs in the window; Retry-After says when to retry."},
            }, tags=("orders",), requestBody={"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/NewOrder"}, "example": {"item": "coffee", "quantity": 2}}}},
                parameters=[_query("auth", "Require credentials.", {"type": "string"})]),
        },
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": _op("getOrder", "Read one order", {"200": _json("Order", "The order."),
                                                      "404": {**_ERROR, "description": "No order has this id."}},
                       tags=("orders",)),
            "delete": _op("deleteOrder", "Delete one order", {
                "204": {"description": "The order is gone."},
                "404": {**_ERROR, "description": "No order has this id."}}, tags=("orders",)),
        },
        "/secure": {"get": _op("secure", "Needs credentials", {
            "200": _json("Error", "You are signed in."),
            "401": {**_ERROR, "description": "No or wrong credentials; WWW-Authenticate lists the schemes."}},
            security=[{"bearer": []}, {"basic": []}])},
        "/forbidden": {"get": _op("forbidden", "Always refused", {
            "403": {**_ERROR, "description": "Signed in, but not allowed to use this resource."}})},
        "/bytes/{n}": {"get": _op("bytes", "n bytes", {"200": _BINARY, "400": bad_request}, parameters=[
            {"name": "n", "in": "path", "required": True, "schema": _PATH_INT},
            _query("type", "binary or json", {"type": "string", "enum": ["binary", "json"]})])},
        "/delay/{seconds}": {"get": _op("delay", "Answer after a delay", {
            "200": _json("Error", "Answered after the delay."), "400": bad_request},
            parameters=[{"name": "seconds", "in": "path", "required": True, "schema": {"type": "number"}}])},
        "/redirect": {"get": _op("redirect", "A redirect", {
            "3XX": {**_ERROR, "description": "Moved; Location says where."}, "400": bad_request},
            parameters=[_query("to", "Where to send the client.", {"type": "string"}, required=True),
                        _query("status", "A 3xx status (default 302).", {"type": "integer"})])},
        "/headers": {"get": _op("headers", "Echo the request headers", {"200": _json("Echo", "As received.")})},
        "/echo": {"post": _op("echo", "Echo the request", {"200": _json("Echo", "Method, headers and body.")},
                              requestBody={"content": {"*/*": {}}})},
    }


def document(server_url: str | None = None) -> dict:
    """The OpenAPI document; ``server_url`` (``http://127.0.0.1:8080``) becomes its first server."""
    servers = [{"url": server_url}] if server_url else []
    return {
        "openapi": "3.1.0",
        "info": {"title": "Request Inspector practice server", "version": "1.0",
                 "description": "Behaves like the documented API; ?misbehave=mode gives a faulty answer on purpose."},
        "servers": servers + [{"url": "http://127.0.0.1:8080"}],
        "paths": _paths(),
        "components": {
            "schemas": {
                "Error": {"type": "object", "required": ["Message"], "properties": {
                    "Message": {"type": "string"}, "Description": {"type": "string"}}},
                "NewOrder": {"type": "object", "required": ["item"], "properties": {
                    "item": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}}},
                "Order": {"allOf": [{"$ref": "#/components/schemas/NewOrder"}, {
                    "type": "object", "required": ["id", "created"], "properties": {
                        "id": {"type": "integer"}, "created": {"type": "string"}}}]},
                "OrderList": {"type": "object", "required": ["orders", "count"], "properties": {
                    "orders": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
                    "count": {"type": "integer"}}},
                "Echo": {"type": "object", "required": ["method", "headers"]},
            },
            "responses": {"Error": _json("Error", "The API's error shape: Message and Description.")},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"},
                                "basic": {"type": "http", "scheme": "basic"}},
        },
    }
