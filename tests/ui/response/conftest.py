"""A ResponseView on screen at 1000x700, shared by the response area's tests."""

from __future__ import annotations

import pytest

from app.ui.response.response_view import ResponseView


@pytest.fixture
def view(qtbot):
    v = ResponseView()
    qtbot.addWidget(v)
    v.resize(1000, 700)
    v.show()
    return v
