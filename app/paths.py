"""Where files live: shipped resources (from source or frozen by PyInstaller) and the user's data folder.

Pure standard library plus platformdirs; safe to import from any layer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "request-inspector"


def resources_dir() -> Path:
    """The folder holding the shipped resources (``resources/`` of the source tree, or of the frozen app)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    source_tree = Path(__file__).resolve().parent.parent / "resources"
    if source_tree.is_dir():
        return source_tree
    installed = Path(sys.prefix) / "share" / APP_NAME  # a wheel install: see [tool.setuptools.data-files]
    return installed if installed.is_dir() else source_tree


def resource_path(*parts: str) -> Path:
    """``resource_path("api-docs", "errors.md")`` -> the shipped file, wherever the app runs from."""
    return resources_dir().joinpath(*parts)


def default_api_docs() -> Path:
    return resource_path("api-docs", "errors.md")


def data_home() -> Path:
    """Settings, history and temp files go here: ``$REQUEST_INSPECTOR_HOME`` when set, else the platform's data dir."""
    override = os.environ.get("REQUEST_INSPECTOR_HOME")
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
