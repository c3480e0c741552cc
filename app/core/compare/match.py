"""Which earlier exchange is "the same request": same method, same host and the same path template.

``path_template("https://api.example.com/orders/123?x=1")`` -> ``"api.example.com/orders/{id}"``: a path segment
that is a number, a UUID or a long token with digits (``ord_8f3a2c91``) stands for an id, so yesterday's
``/orders/122`` matches today's ``/orders/123``. The query is ignored (the comparison then shows it when it differs).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UUID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_TOKEN = re.compile(r"^(?=.*\d)[A-Za-z0-9_.~-]{8,}$")


def _is_id(segment: str) -> bool:
    return segment.isdigit() or bool(_UUID.match(segment)) or bool(_TOKEN.match(segment))


def path_template(url: str) -> str:
    """host (lower-case) + the path with id-like segments written ``{id}``; the query and fragment left out."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    except ValueError:  # an unreadable port or IPv6 literal: compare the text as it is
        return url.split("?", 1)[0].split("#", 1)[0]
    segments = [("{id}" if _is_id(s) else s) for s in parts.path.split("/")]
    return host.lower() + ("/".join(segments) or "/")


def same_endpoint(method_a: str, url_a: str, method_b: str, url_b: str) -> bool:
    """Same method (case-insensitive) and the same path template."""
    return method_a.upper() == method_b.upper() and path_template(url_a) == path_template(url_b)
