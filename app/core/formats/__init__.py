"""Pure import/export formats for triage: curl, raw HTTP, HAR, .http files, Postman, reports.

Every parser takes ``str``/``bytes`` (callers read files) and raises only :class:`FormatError`.
"""

from __future__ import annotations

from app.core.formats.errors import FormatError

__all__ = ["FormatError"]
