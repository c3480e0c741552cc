"""Sentences a real server of this API would put in its ``Message`` property, per status code.

These are the server's own words (what a backend says), not the documentation's rows: the documentation's
``Description`` always comes from the status catalog.
"""

from __future__ import annotations

from .reply import reason_phrase

_MESSAGES: dict[int, str] = {
    200: "The request was processed successfully.",
    201: "The order was created.",
    202: "The request was accepted and will be processed later.",
    204: "The request was processed; there is nothing to return.",
    301: "This resource has moved permanently.",
    302: "This resource is temporarily somewhere else.",
    304: "The resource has not changed since your copy.",
    400: "The request body could not be understood: the field 'item' is required.",
    401: "The access token is missing, invalid or expired.",
    403: "Your account is not allowed to perform this operation.",
    404: "No resource exists at this address.",
    405: "This method is not supported on this resource.",
    406: "The server can only answer with application/json, which your Accept header does not allow.",
    408: "The server timed out waiting for the request.",
    409: "The resource was changed by someone else in the meantime.",
    411: "The request has a body but no valid Content-Length header.",
    413: "The request body is larger than the server accepts.",
    415: "The request body must be sent as application/json.",
    422: "The request was well-formed but some values are not valid.",
    429: "You have sent too many requests; wait before the next POST request.",
    500: "An unexpected error occurred while processing the request. Reference: demo-0001.",
    502: "The upstream application pool did not answer correctly.",
    503: "The service is down for scheduled maintenance; try again later.",
    504: "The upstream application pool did not answer in time.",
}


def message_for(code: int) -> str:
    """A realistic ``Message`` sentence for ``code``."""
    if code in _MESSAGES:
        return _MESSAGES[code]
    phrase = reason_phrase(code)
    return f"The server answered {code} {phrase}.".replace(" .", ".") if phrase else f"The server answered {code}."
