"""The Image tab: every format this Qt reads decoded on a worker; decompression bombs and non-images get sentences."""

from __future__ import annotations

import base64
import struct
import zlib

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from app.ui.response.image_view import MAX_PIXELS, ImagePreview, decode_image, supported_formats

GIF_1X1 = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="red"/></svg>'


def encoded(fmt: str, w: int = 3, h: int = 2) -> bytes:
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor("green"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, fmt)
    return bytes(data)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header says ``width`` × ``height`` (a decompression bomb's first bytes)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_the_usual_formats_are_readable_here(qapp):
    assert {"png", "jpeg", "gif", "svg", "webp"} <= set(supported_formats())


@pytest.mark.parametrize("fmt, ctype", [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"),
                                        ("BMP", "image/bmp"), ("TIFF", "image/tiff"), ("ICO", "image/x-icon")])
def test_raster_images_decode(qapp, fmt, ctype):
    result = decode_image(encoded(fmt), ctype)
    assert result.image is not None and (result.image.width(), result.image.height()) == (3, 2)
    assert result.info.startswith(f"{fmt} · 3 × 2 px") and not result.problem


def test_gif_and_svg_decode_and_the_bytes_decide_the_format(qapp):
    gif = decode_image(GIF_1X1, "image/png")  # a wrong label: the content decides
    assert gif.image is not None and gif.info.startswith("GIF · 1 × 1 px")
    svg = decode_image(SVG, "image/svg+xml")
    assert svg.image is not None and (svg.image.width(), svg.image.height()) == (40, 20)
    assert QColor(svg.image.pixel(5, 5)) == QColor("red")


def test_a_decompression_bomb_is_refused_before_decoding(qapp):
    result = decode_image(png_claiming(60_000, 60_000), "image/png")
    assert result.image is None
    assert "60,000 × 60,000 px (3,600 megapixels)" in result.problem and "50 megapixels" in result.problem
    svg = decode_image(b'<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"/>', "image/svg+xml")
    assert svg.image is None and "megapixels" in svg.problem
    assert MAX_PIXELS == 50_000_000


def test_not_an_image_is_a_sentence(qapp):
    result = decode_image(b"<html>oops</html>", "image/png")
    assert result.image is None and result.problem.startswith("The body is labelled image/png, but it is not")
    assert "PNG" in result.problem and "WEBP" in result.problem
    assert decode_image(b"", "image/png").problem.startswith("The body is empty")
    broken = decode_image(encoded("PNG", 50, 50)[:60], "image/png")
    assert broken.image is None and "could not be decoded" in broken.problem


def test_preview_decodes_on_a_worker_and_shows_the_picture(qtbot, monkeypatch):
    import threading

    from app.ui.response import image_view

    threads = []
    real = image_view.decode_image
    monkeypatch.setattr(image_view, "decode_image",
                        lambda *a, **k: threads.append(threading.current_thread()) or real(*a, **k))
    view = ImagePreview()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.decoded, timeout=5000) as blocker:
        assert view.show_body(encoded("PNG", 30, 20), "image/png")
    assert threads and threads[0] is not threading.main_thread()  # nothing decoded on the GUI thread
    assert blocker.args == [True] and view.has_image
    assert view.image.pixmap().size().width() == 30 and view.info.text().startswith("PNG · 30 × 20 px")
    with qtbot.waitSignal(view.decoded, timeout=5000) as blocker:
        view.show_body(png_claiming(60_000, 60_000), "image/png")
    assert blocker.args == [False] and "megapixels" in view.image.text() and view.image.pixmap().isNull()
    assert not view.show_body(b"{}", "application/json") and view.image.text() == ""


def test_a_newer_body_wins_over_a_slower_earlier_decode(qtbot):
    view = ImagePreview()
    qtbot.addWidget(view)
    view.show_body(encoded("PNG", 400, 400), "image/png")
    with qtbot.waitSignal(view.decoded, timeout=5000):
        view.show_body(GIF_1X1, "image/gif")
    qtbot.wait(100)
    assert view.info.text().startswith("GIF · 1 × 1 px")


def test_a_cut_short_image_is_not_decoded(qtbot):
    view = ImagePreview()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.decoded, timeout=5000) as blocker:
        view.show_body(encoded("PNG"), "image/png", truncated=True)
    assert blocker.args == [False] and "Only the first" in view.image.text() and view.future is None
