"""Help → About: the versions a bug report needs (app, Qt, PySide6, httpx, Python), in a non-modal box."""

from __future__ import annotations

import platform
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def about_text() -> str:
    import PySide6

    from app import __version__

    try:
        from importlib.metadata import version

        httpx_version = version("httpx")
    except Exception:  # not installed as a distribution (a frozen build may lack its metadata)
        httpx_version = "not installed"
    return (f"Request Inspector {__version__}\n\nExplains every answer in the API's own documented words.\n\n"
            f"Qt {PySide6.QtCore.qVersion()} · PySide6 {PySide6.__version__} · httpx {httpx_version} · "
            f"Python {platform.python_version()} ({sys.platform})")


def show_about(parent: QWidget) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "About Request Inspector", about_text(),
                      QMessageBox.StandardButton.Close, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # never exec(): the event loop (and any running request) keeps going
    return box
