"""Request Inspector: a desktop HTTP request inspector that explains answers in the API's own words."""

from __future__ import annotations


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("request-inspector")
    except Exception:  # running from an unpacked tree or a frozen app without metadata
        return "0.1.0"


__version__ = _version()
