"""The paged view: a spilled body of any size, scrolled with the wheel and the whole-body bar, read on a worker."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.core.body_search import SearchResult
from app.ui.response.body_source import ByteStore, FileText
from app.ui.response.paged_text import PagedText


def wheel(widget, steps: int) -> None:
    ev = QWheelEvent(QPointF(10, 10), QPointF(10, 10), QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                     Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, ev)


def test_the_wheel_and_the_bar_reach_every_line_of_a_file(qtbot, tmp_path):
    path = tmp_path / "body.txt"
    path.write_text("".join(f"line {i} " + "x" * 20 + "\n" for i in range(100000)))  # ~3.3 MB
    pager = PagedText("responseRaw", "Raw")
    qtbot.addWidget(pager)
    pager.resize(800, 600)
    pager.show()
    pager.set_source(FileText(ByteStore(path=str(path))))
    qtbot.waitUntil(lambda: pager.win is not None, timeout=10000)
    assert pager.edit.toPlainText().startswith("line 0 ")
    pager.bar.setValue(pager.bar.maximum())
    qtbot.waitUntil(lambda: pager.win.end == pager.source.size, timeout=10000)
    assert pager.edit.toPlainText().endswith("line 99999 " + "x" * 20 + "\n")
    start = pager.win.start
    for _ in range(600):  # 1,800 lines up with the wheel: past the window's top, so a new window loads
        wheel(pager.edit.viewport(), 1)
        qtbot.waitUntil(lambda: not pager.loading, timeout=10000)
    assert pager.win.start < start
    top = pager.edit.cursorForPosition(QPoint(0, 0)).block().text()
    assert 97900 < int(top.split()[1]) < 98400, top
    assert pager.bar.value() < pager.bar.maximum()


def test_goto_loads_the_window_selects_and_highlights(qtbot, tmp_path):
    path = tmp_path / "body.txt"
    data = b"".join(b"row %d\n" % i for i in range(400000))
    path.write_bytes(data)
    pager = PagedText("responseRaw", "Raw")
    qtbot.addWidget(pager)
    pager.set_source(FileText(ByteStore(path=str(path))))
    at = data.index(b"row 300000\n")
    with qtbot.waitSignal(pager.windowShown, timeout=10000):
        pager.goto(at, 10)
    qtbot.waitUntil(lambda: pager.edit.textCursor().selectedText() == "row 300000", timeout=10000)
    pager.set_matches(SearchResult((at, at + 11), 10), 0)
    assert len(pager.edit.extraSelections()) == 2
