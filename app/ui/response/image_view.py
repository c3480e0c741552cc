"""The Image tab: an image body (PNG, JPEG, GIF, SVG, WebP, BMP, TIFF, ICO… whatever this Qt's image plugins
read: ``supported_formats()``) decoded on a worker thread and shown at its size in a scroll area.

Decoding is guarded: the reader's header gives the size before any pixel is decoded, and an image of more than
``MAX_PIXELS`` is refused with a sentence (a 40 KB PNG can claim 60,000 × 60,000 pixels and unpack to 14 GB);
Qt's own allocation limit backs that up for formats whose size is unknown until read. A body that is not an
image after all, or was cut short, gets a sentence in the tab instead of a picture. Nothing is decoded on the GUI
thread: ``decode_image`` is pure Qt-image work (QImage, QImageReader) and runs on app.ui.workers' pool; its result
comes back through a relay object that outlives the view.

objectNames: ``responseImage`` (the picture or the sentence), ``responseImageInfo`` (format, size, bytes).
Signals: ``decoded(bool)`` when a body's decoding ends (True: a picture is shown).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, Signal
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from app.core.humanize import human_size
from app.core.models import media_type
from app.ui import workers

MAX_PIXELS = 50_000_000  # 50 megapixels: a 7,000 × 7,000 photo; 200 MB once decoded at 4 bytes a pixel
ALLOCATION_LIMIT_MB = 256  # Qt's cap for any one decoded image (its default), in case a format hides its size


def supported_formats() -> list[str]:
    """The image formats this Qt can read ("png", "jpeg", "gif", "svg", "webp", …)."""
    return sorted(bytes(f).decode("ascii", "replace") for f in QImageReader.supportedImageFormats())


@dataclass(frozen=True)
class DecodedImage:
    """A decoded image, or the sentence that says why there is none."""

    image: QImage | None
    info: str = ""
    problem: str = ""


def decode_image(data: bytes, content_type: str | None = None, max_pixels: int = MAX_PIXELS) -> DecodedImage:
    """Decode ``data`` (worker thread). The size is read from the header first; above ``max_pixels`` nothing is
    decoded. Never raises."""
    # The buffer is made here so that it outlives _decode's QImageReader: Qt's TIFF reader touches its device when
    # the reader is destroyed, and a buffer destroyed first crashed the whole app on a TIFF body.
    buffer = QBuffer()
    try:
        return _decode(data, buffer, media_type(content_type) or "an image", max_pixels)
    except Exception as exc:  # a broken plugin or file must be a sentence, not a traceback
        return DecodedImage(None, problem=f"The image could not be shown ({type(exc).__name__}: {exc}).")


def _decode(data: bytes, buffer: QBuffer, label: str, max_pixels: int) -> DecodedImage:
    if not data:
        return DecodedImage(None, problem="The body is empty, so there is no image to show.")
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setDecideFormatFromContent(True)  # the bytes decide, not a Content-Type that may be wrong
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    if not reader.canRead():
        return DecodedImage(None, problem=f"The body is labelled {label}, but it is not an image this app can read "
                                          f"(it reads {', '.join(_common(supported_formats()))}).")
    fmt = bytes(reader.format()).decode("ascii", "replace").upper()
    size = reader.size()
    if size.isValid() and size.width() * size.height() > max_pixels:
        return DecodedImage(None, problem=(
            f"The {fmt} image is {size.width():,} × {size.height():,} px ({size.width() * size.height() / 1e6:,.0f} "
            f"megapixels); images above {max_pixels / 1e6:,.0f} megapixels are not decoded, because a small file can "
            "unpack to gigabytes. Save body… keeps the file."))
    image = reader.read()
    if image.isNull():
        return DecodedImage(None, problem=f"The {fmt} image could not be decoded: {reader.errorString()}.")
    info = f"{fmt} · {image.width():,} × {image.height():,} px · {human_size(len(data))}"
    return DecodedImage(image, info=info)


def _common(formats: list[str]) -> list[str]:
    wanted = ("png", "jpeg", "gif", "svg", "webp", "bmp", "tiff", "ico")
    return [f.upper() for f in wanted if f in formats] or [f.upper() for f in formats]


class _Relay(QObject):
    """Lives on the GUI thread for the whole run: worker results reach a view (if it still exists) through it."""

    done = Signal(object, int, object)  # (weak reference to the view, generation, DecodedImage)

    def __init__(self) -> None:
        super().__init__()
        self.done.connect(self._deliver)

    @staticmethod
    def _deliver(ref, generation: int, result: DecodedImage) -> None:
        view = ref()
        if view is not None and shiboken6.isValid(view):
            view.apply(generation, result)


_RELAY: _Relay | None = None


def _relay() -> _Relay:
    global _RELAY
    if _RELAY is None or not shiboken6.isValid(_RELAY):
        _RELAY = _Relay()  # from a view's constructor: the GUI thread
    return _RELAY


class ImagePreview(QScrollArea):
    """The Image tab's page. ``show_body(data, content_type, truncated)`` starts decoding; ``clear()`` empties it."""

    decoded = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("responseImageArea")
        self.setWidgetResizable(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        self.info = QLabel(page)
        self.info.setObjectName("responseImageInfo")
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.image = QLabel(page)
        self.image.setObjectName("responseImage")
        self.image.setAccessibleName("Response image preview")
        self.image.setTextFormat(Qt.TextFormat.PlainText)
        self.image.setWordWrap(True)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.info)
        layout.addWidget(self.image, 1)
        self.setWidget(page)
        self._relay = _relay()
        self._generation = 0
        self.future = None  # the decoding job on a worker, while there is one
        self.has_image = False
        self.problem = ""

    def clear(self) -> None:
        self._generation += 1
        self.future = None
        self.has_image, self.problem = False, ""
        self.image.clear()
        self.image.setToolTip("")
        self.info.setText("")

    def show_body(self, data: bytes, content_type: str | None, truncated: bool = False) -> bool:
        """Decode an ``image/*`` body on a worker; False (and nothing started) for other types."""
        self.clear()
        mt = media_type(content_type)
        if not (mt and mt.startswith("image/")):
            return False
        if truncated:
            self.apply(self._generation, DecodedImage(None, problem=(
                f"Only the first {human_size(len(data))} of this image were kept, so it is not shown. "
                "Save body… keeps what was received.")))
            return True
        self.image.setText("Decoding the image…")
        gen, ref, relay = self._generation, weakref.ref(self), self._relay
        self.future = workers.submit(decode_image, data, content_type)
        self.future.add_done_callback(lambda f: relay.done.emit(ref, gen, _result(f)))
        return True

    def apply(self, generation: int, result: DecodedImage) -> None:
        if generation != self._generation:
            return  # a newer body replaced this one
        self.future = None
        if result.image is None:
            self.has_image, self.problem = False, result.problem
            self.image.setText(result.problem)
            self.info.setText("")
        else:
            self.has_image, self.problem = True, ""
            self.image.setPixmap(QPixmap.fromImage(result.image))
            self.image.setToolTip(result.info)
            self.info.setText(result.info)
        self.decoded.emit(self.has_image)


def _result(future) -> DecodedImage:
    try:
        return future.result()
    except Exception as exc:  # decode_image never raises; a cancelled future might
        return DecodedImage(None, problem=f"The image could not be shown ({type(exc).__name__}).")
