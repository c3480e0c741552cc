"""Removing response bodies that were spilled to temp files (app.net.body.BodySink) once nobody needs them.

Only files directly inside the app's bodies folder whose names the sink gives (``request-inspector-body-*``)
are removed: a damaged or hand-edited history row naming any other path deletes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

SPILL_PREFIX = "request-inspector-body-"


def remove_spilled(paths: Iterable[object], folder: str | os.PathLike[str]) -> int:
    """Delete the spilled bodies among ``paths`` that live in ``folder``; return how many were removed."""
    try:
        root = Path(folder).resolve()
    except OSError:
        return 0
    removed = 0
    for raw in paths:
        if not isinstance(raw, str) or not raw:
            continue
        path = Path(raw)
        try:
            if path.name.startswith(SPILL_PREFIX) and path.resolve().parent == root and path.is_file():
                path.unlink()
                removed += 1
        except OSError:
            continue  # already gone, or not ours to remove
    return removed
