"""Windows of a body map back to the right bytes, whatever the encoding, line length or source."""

from __future__ import annotations

from app.ui.response.body_source import WINDOW, ByteStore, FileText, HexSource, TextSource


def test_a_file_window_maps_each_character_to_its_byte(tmp_path):
    text = "".join(f"{i} ab€ cd\n" for i in range(20000)) + "z" * 10000 + "\nend"
    data = text.encode()
    path = tmp_path / "body.bin"
    path.write_bytes(data)
    src = FileText(ByteStore(path=str(path)))
    assert src.size == len(data) and not src.in_memory
    for offset in (0, 5000, len(data) // 2, len(data)):
        win = src.window(offset)
        assert win.start <= offset <= win.end and len(win.text) <= WINDOW + 4096 * 2
        assert win.start == 0 or data[win.start - 1:win.start] == b"\n" or win.end == len(data)
        for c in range(0, len(win.text), 61):
            if win.text[c] != "\n":
                unit = win.unit_of(c)
                assert data[unit:unit + 3].decode("utf-8", "ignore")[:1] == win.text[c]
                assert win.char_of(unit) == c
    assert src.window(len(data)).text.endswith("z" * 100 + "\nend")


def test_long_lines_are_broken_and_mapped_through_the_breaks():
    win = TextSource("x" * 9000 + "\nabc").window(0)
    assert win.text.split("\n")[:3] == ["x" * 4096, "x" * 4096, "x" * 808] and win.breaks == (4096, 8193)
    assert win.char_of(9001) == win.text.index("abc") and win.unit_of(win.text.index("abc")) == 9001


def test_a_hex_window_starts_at_its_offset_and_search_finds_bytes():
    data = bytes(range(256)) * 400
    src = HexSource(ByteStore(data))
    win = src.window(50000)
    first = win.text.split("\n")[0]
    assert first.startswith(f"{win.start:08x}  ") and win.start % 16 == 0
    assert win.unit_of(win.char_of(win.start + 160)) == win.start + 160
    found = src.search("ABC", False, lambda: False)  # case-insensitive: 'abc' and 'ABC' in every 256 bytes
    assert len(found.offsets) == 800


def test_minified_json_is_shown_one_item_a_line_in_small_windows():
    import json

    data = json.dumps([{"id": i, "name": f"item {i}"} for i in range(5000)]).encode()
    src = FileText(ByteStore(data), kind="json")
    win = src.window(len(data) // 2)
    lines = win.text.split("\n")
    assert win.end - win.start <= 16 * 1024 + 4096 and all(len(line) <= 160 for line in lines)
    assert all(line.endswith(",") for line in lines[:-1])
    at = win.text.index('"item 2500"')
    assert data[win.unit_of(at):win.unit_of(at) + 11] == b'"item 2500"' and win.char_of(win.unit_of(at)) == at
