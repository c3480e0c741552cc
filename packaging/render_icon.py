"""Render resources/icons/request-inspector.svg to PNG/ICO/ICNS with Qt (offscreen): the platform installers' icons.

    python packaging/render_icon.py packaging/windows/request-inspector.ico [size]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / "request-inspector.svg"


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication([])  # noqa: F841 (Qt needs it to paint)
    size = int(argv[1]) if len(argv) > 1 else 256
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(str(SVG))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    out = Path(argv[0])
    out.parent.mkdir(parents=True, exist_ok=True)
    if not (renderer.isValid() and image.save(str(out))):
        print(f"Could not write {out} (does this Qt have an image writer for {out.suffix}?)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
