"""Request Inspector: a desktop HTTP request inspector that explains answers in the API's own words."""

from __future__ import annotations

from functools import cache


@cache
def _version() -> str:
    """The version, from one place: pyproject.toml (via the installed metadata, or the source tree's file)."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        return version("request-inspector")
    except PackageNotFoundError:
        pass
    try:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, ValueError):
        return "unknown"


def __getattr__(name: str) -> str:
    # importlib.metadata costs ~50 ms: pay it only when the version is actually shown (About, User-Agent).
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'app' has no attribute {name!r}")
