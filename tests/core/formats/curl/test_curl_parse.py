"""Several commands in one text: a new line ends a command; here-documents, comments and prompts as shells read them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.formats.curl import MULTIPART_BOUNDARY, parse_curl, parse_curl_commands
from app.core.formats.errors import FormatError
from tests.timing import best_of_three

FIX = Path(__file__).parents[1] / "fixtures"


def test_two_commands_on_two_lines_are_two_requests_not_one_delete():
    imports = parse_curl_commands((FIX / "curl_two_commands.sh").read_text())
    assert [(i.request.method, i.request.url) for i in imports] == [
        ("DELETE", "https://api.example.com/orders/41"),
        ("GET", "https://api.example.com/orders?status=open"),
    ]
    assert imports[0].request.header("Accept") is None  # nothing of the second command leaks into the first
    assert imports[1].request.header("Authorization") is None
    assert all("Only the first URL" not in w for i in imports for w in i.warnings)


def test_parse_curl_takes_the_first_and_says_how_many_there_are():
    imp = parse_curl((FIX / "curl_two_commands.sh").read_text())
    assert (imp.request.method, imp.request.url) == ("DELETE", "https://api.example.com/orders/41")
    assert any("holds 2 curl commands; only the first is imported" in w for w in imp.warnings)


@pytest.mark.parametrize("joiner", ["; ", " && ", " || ", "\r\n", "\n\n# next one\n"])
def test_command_separators(joiner):
    imports = parse_curl_commands(f"curl https://h/a{joiner}curl -X PUT https://h/b -d x")
    assert [(i.request.method, i.request.url) for i in imports] == [("GET", "https://h/a"), ("PUT", "https://h/b")]


def test_windows_cmd_commands_end_at_a_line_break_not_continued_with_a_caret():
    text = 'curl ^"https://h/a^" ^\n  -X DELETE\ncurl ^"https://h/b^"'
    imports = parse_curl_commands(text)
    assert [(i.request.method, i.request.url) for i in imports] == [("DELETE", "https://h/a"), ("GET", "https://h/b")]


def test_a_script_with_comments_and_a_heredoc_is_still_curl():
    imp = parse_curl((FIX / "curl_heredoc.sh").read_text())
    assert imp.request.method == "POST"
    assert imp.request.url == "https://api.example.com/orders"
    assert imp.request.body == b'{\n  "sku": "A-1",\n  "quantity": 2\n}\n'  # --data-binary keeps the new lines
    assert imp.warnings == ()


def test_heredoc_forms():
    assert parse_curl("curl https://h -d @- <<'EOF'\na=1\nb=2\nEOF\n").request.body == b"a=1b=2"  # -d strips
    assert parse_curl("curl https://h --data-binary @- <<-END\n\t\tx\n\tEND").request.body == b"x\n"
    assert parse_curl("curl https://h --data-binary @- <<< 'hi there'").request.body == b"hi there\n"
    unclosed = parse_curl("curl https://h --data-binary @- <<DATA\nabc\n")
    assert unclosed.request.body == b"abc\n" and any("never closed" in w for w in unclosed.warnings)


def test_a_heredoc_ends_its_command_and_the_next_one_follows():
    imports = parse_curl_commands("curl https://h/a --data-binary @- <<D\nbody\nD\ncurl https://h/b\n")
    assert [i.request.body for i in imports] == [b"body\n", None]


def test_stdin_redirected_from_a_file_is_read_only_through_the_reader():
    imp = parse_curl("curl https://h --data-binary @- < order.json")
    assert imp.request.body == b"<content of order.json>" and any("order.json" in w for w in imp.warnings)
    assert parse_curl("curl https://h --data-binary @- < o.json", read_file=lambda p: b"{}").request.body == b"{}"
    missing = parse_curl("curl https://h --data-binary @-")
    assert any("standard input" in w and "placeholder" in w for w in missing.warnings)


def test_output_redirections_are_dropped_with_a_note():
    imp = parse_curl("curl https://h/x 2>/dev/null > out.json")
    assert imp.request.url == "https://h/x"
    assert any("out.json" in w for w in imp.warnings) and all("'2'" not in w for w in imp.warnings)


def test_lines_that_are_not_curl_are_skipped_with_a_note_naming_them():
    imports = parse_curl_commands("export TOKEN=abc\ncurl https://h/a\n  -H 'X: y'\n")
    assert [i.request.url for i in imports] == ["https://h/a"]
    assert imports[0].request.header("X") is None  # a line without a backslash before it is not part of it
    assert any("line 1" in w and "export" in w for w in imports[0].warnings)
    assert any("line 3" in w and "-H" in w for w in imports[0].warnings)


def test_a_broken_command_among_good_ones_is_skipped_with_its_line():
    imports = parse_curl_commands("curl https://h/a\ncurl -s\ncurl https://h/c")
    assert [i.request.url for i in imports] == ["https://h/a", "https://h/c"]
    assert any("line 2" in w and "no URL" in w for w in imports[0].warnings)
    with pytest.raises(FormatError, match="no URL"):
        parse_curl_commands("curl -s")
    with pytest.raises(FormatError, match="not a curl command"):
        parse_curl_commands("echo hi\nwget https://h")


def test_a_typed_multipart_content_type_gets_the_boundary_the_body_uses():
    imp = parse_curl((FIX / "curl_form_typed_multipart.txt").read_text())
    assert imp.request.header("Content-Type") == f"multipart/form-data; boundary={MULTIPART_BOUNDARY}"
    assert imp.request.body.startswith(f"--{MULTIPART_BOUNDARY}\r\n".encode())
    kept = parse_curl("curl https://h -H 'Content-Type: multipart/form-data; boundary=x' -F a=b")
    assert kept.request.header("Content-Type") == "multipart/form-data; boundary=x"  # a typed boundary is kept


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["curl", " ", "\n", "\\\n", ";", "&&", "|", "<<", "<<<", "<", ">", "2>", "D", "@-",
                                 "--data-binary", "-d", "'", '"', "#", "https://h", "^", "$ ", "-F", "a=b"]),
                max_size=30).map("".join))
def test_any_mix_of_separators_raises_only_format_error(text):
    try:
        imports = parse_curl_commands(text)
    except FormatError:
        return
    assert imports and all(i.request.url for i in imports)


def test_many_commands_and_heredocs_parse_in_linear_time():
    def cost(n: int) -> float:
        text = "curl https://h/x --data-binary @- <<D\nline\nD\n" * n
        assert len(parse_curl_commands(text)) == n
        return best_of_three(lambda: len(parse_curl_commands(text)))

    small, large = cost(500), cost(4000)
    assert large < small * 8 * 3 + 0.05  # 8x the input: well under the 64x a quadratic reader would take
