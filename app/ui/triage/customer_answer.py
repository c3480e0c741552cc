"""The bar above a request tab loaded from a triage entry: the customer's original answer stays one click away.

A request loaded into the builder from a HAR entry first shows the customer's answer as its stored answer. Once the
user sends it again, the response view shows today's answer and this bar offers "Compare with the customer's
answer", which opens the comparison page (app.ui.workspace.compare) with the customer's answer as the reference.
The bar only listens to the tab's ``diagnosed`` signal; it knows nothing else of the tab.

objectNames: ``customerAnswerBar``, ``customerAnswerText``, ``compareWithCustomerButton``, ``customerAnswerClose``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QToolButton, QWidget

from app.core.diagnosis import Diagnosis
from app.ui.widgets.plain_text import plain_label


def status_words(d: Diagnosis) -> str:
    """"404 Not Found", or what stopped the exchange ("no response (timeout)")."""
    resp = d.exchange.response
    if resp is None:
        error = d.exchange.error
        return "no response" + (f" ({error.kind})" if error is not None else "")
    return f"{resp.status} {resp.reason}".strip()


class CustomerAnswerBar(QFrame):
    """Says which answer the tab shows (the customer's, then the resent one) and offers the comparison.

    ``compare(older, newer, title)`` is called with the customer's diagnosis and the latest resent one.
    """

    def __init__(self, original: Diagnosis, label: str, compare: Callable[[Diagnosis, Diagnosis, str], None] | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerAnswerBar")
        self.setAccessibleName("The customer's answer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.original, self.label, self._compare = original, label, compare
        self.latest: Diagnosis | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        self.text = plain_label("", self)  # quotes the file's name and the customer's reason phrase
        self.text.setObjectName("customerAnswerText")
        self.text.setWordWrap(True)
        self.compare_button = QPushButton("Compare with the customer's answer", self)
        self.compare_button.setObjectName("compareWithCustomerButton")
        self.compare_button.setToolTip("The customer's answer (from the file) beside the one you just received")
        self.compare_button.setVisible(False)
        self.compare_button.clicked.connect(self.open_comparison)
        close = QToolButton(self)
        close.setObjectName("customerAnswerClose")
        close.setText("✕")
        close.setAccessibleName("Hide this bar")
        close.setToolTip("Hide this bar")
        close.clicked.connect(self.hide)
        row.addWidget(self.text, 1)
        row.addWidget(self.compare_button)
        row.addWidget(close)
        self.text.setText(f"Showing the customer's answer from {label}: {status_words(original)}. "
                          "Send to see today's answer; the customer's stays here to compare.")

    def received(self, d: Diagnosis) -> None:
        """The tab diagnosed a new answer: offer the comparison."""
        self.latest = d
        self.text.setText(f"Sent again: {status_words(d)}. The customer got {status_words(self.original)} "
                          f"({self.label}).")
        self.compare_button.setVisible(self._compare is not None)
        self.show()

    def open_comparison(self) -> None:
        if self.latest is not None and self._compare is not None:
            self._compare(self.original, self.latest, f"{self.label} (customer) ↔ sent again")
