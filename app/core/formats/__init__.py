"""Pure import/export formats for triage: curl, raw HTTP, HAR, .http files, Postman, reports.

Every parser takes ``str``/``bytes`` (callers read files) and raises only :class:`FormatError`.
Which parser a text needs is decided in one place, ``detect.detect_kind`` (the paste box, File → Import and
``triage`` all ask it).
"""

from __future__ import annotations

from app.core.formats.errors import FormatError

__all__ = ["FormatError"]
