"""Per-request options: timeout, follow redirects, verify TLS (with a visible warning when off), HTTP/2."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QFormLayout, QLabel, QWidget

from app.core.draft import Options


class OptionsEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setObjectName("timeoutSpin")
        self.timeout.setRange(0.5, 3600.0)
        self.timeout.setDecimals(1)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(30.0)
        self.timeout.setAccessibleName("Timeout in seconds")
        self.follow = QCheckBox("Follow redirects", self)
        self.follow.setObjectName("followRedirectsCheck")
        self.verify = QCheckBox("Verify TLS certificates", self)
        self.verify.setObjectName("verifyTlsCheck")
        self.verify.setChecked(True)
        self.http2 = QCheckBox("Allow HTTP/2", self)
        self.timeout.setToolTip("Give up when the whole exchange takes longer than this")
        self.follow.setToolTip("Follow 3xx redirects (Location) automatically; off shows the redirect itself")
        self.verify.setToolTip("Check the server's TLS certificate (keep on; turn off only for a test server "
                               "with a self-signed certificate)")
        self.http2.setToolTip("Offer HTTP/2 to https servers that support it; HTTP/1.1 otherwise")
        self.http2.setObjectName("http2Check")
        self.tls_warning = QLabel(
            "⚠ TLS verification is off for this request: anyone on the network path could read or change it.", self)
        self.tls_warning.setObjectName("tlsWarning")
        self.tls_warning.setWordWrap(True)
        from app.ui.style import severity_color

        # a palette and a bold font, not a style sheet: parsing one costs more than this whole page at start-up
        palette = self.tls_warning.palette()
        palette.setColor(QPalette.ColorRole.WindowText, severity_color("error", self.palette()))
        self.tls_warning.setPalette(palette)
        font = self.tls_warning.font()
        font.setBold(True)
        self.tls_warning.setFont(font)
        self.tls_warning.hide()
        form.addRow("Timeout:", self.timeout)
        form.addRow("", self.follow)
        form.addRow("", self.verify)
        form.addRow("", self.tls_warning)
        form.addRow("", self.http2)
        for w in (self.follow, self.verify, self.http2):
            w.toggled.connect(self._changed)
        self.timeout.valueChanged.connect(self._changed)

    def _changed(self, *_: object) -> None:
        self.tls_warning.setVisible(not self.verify.isChecked())
        self.changed.emit()

    def options(self) -> Options:
        return Options(self.timeout.value(), self.follow.isChecked(), self.verify.isChecked(), self.http2.isChecked())

    def set_options(self, o: Options) -> None:
        for w in (self.timeout, self.follow, self.verify, self.http2):
            w.blockSignals(True)
        self.timeout.setValue(o.timeout)
        self.follow.setChecked(o.follow_redirects)
        self.verify.setChecked(o.verify_tls)
        self.http2.setChecked(o.http2)
        for w in (self.timeout, self.follow, self.verify, self.http2):
            w.blockSignals(False)
        self.tls_warning.setVisible(not o.verify_tls)
