"""The status catalog against the shipped page, other pages, broken files and generated tables."""

from __future__ import annotations

import http
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.catalog import CatalogEntry, CatalogError, StatusCatalog, load_default_catalog
from app.paths import default_api_docs

SHIPPED = default_api_docs()


def page_rows() -> list[tuple[int, str, str, str]]:
    """The shipped page's table rows read naively, line by line (independent of markdown-it): (code, status, desc, heading)."""
    rows = []
    heading = ""
    for line in SHIPPED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0].isdigit():
                rows.append((int(cells[0]), cells[1], cells[2], heading))
    return rows


@pytest.fixture(scope="module")
def catalog() -> StatusCatalog:
    return load_default_catalog()


# ------------------------------------------------------------------ the shipped page
def test_shipped_page_parses_into_exactly_its_rows(catalog: StatusCatalog) -> None:
    rows = page_rows()
    assert len(rows) == 15  # guards the naive reader itself: 3 success + 9 client + 3 server rows
    assert [(e.code, e.status, e.description, e.section) for e in catalog.entries] == rows
    assert catalog.source_name == "errors.md"


def test_shipped_sections_are_the_headings(catalog: StatusCatalog) -> None:
    sections = {e.section for e in catalog.entries}
    assert sections == {"Success", "Client", "Server errors"}
    assert {e.code for e in catalog.entries if e.section == "Server errors"} == {500, 502, 503}


def test_general_text_keeps_the_message_promise(catalog: StatusCatalog) -> None:
    assert any("Message or Description property" in p for p in catalog.general_text)
    assert not any("|" in p for p in catalog.general_text)


@pytest.mark.parametrize("row", [r for r in page_rows() if r[1] != "No Content"], ids=lambda r: str(r[0]))
def test_lookup_every_documented_code(catalog: StatusCatalog, row: tuple[int, str, str, str]) -> None:
    code, status, description, section = row
    got = catalog.lookup(code)
    assert (got.code, got.status, got.description, got.section, got.source) == (
        code,
        status,
        description,
        section,
        "api-docs",
    )
    assert got.note is None


def test_erratum_200_stays_ok(catalog: StatusCatalog) -> None:
    got = catalog.lookup(200)
    assert (got.status, got.source, got.note) == ("OK", "api-docs", None)


def test_erratum_no_content_answers_for_204(catalog: StatusCatalog) -> None:
    got = catalog.lookup(204)
    assert (got.code, got.status, got.section, got.source) == (204, "No Content", "Success", "api-docs")
    assert got.description == "Successful request, no content will be returned."
    assert got.note == "The API page lists 'No Content' under 200; it is HTTP 204."
    assert any("No Content" in n and "204" in n for n in catalog.notes)
    # the duplicate is explained by the erratum, so no "listed twice" note
    assert not any("listed 2 times" in n for n in catalog.notes)


def test_erratum_row_found_by_reason_phrase(catalog: StatusCatalog) -> None:
    got = catalog.lookup(200, reason="No Content")  # a server answering "200 No Content" matches the page's row
    assert (got.code, got.status) == (200, "No Content")
    assert got.note is not None
    assert catalog.lookup(200, reason="OK").status == "OK"
    assert catalog.lookup(200, reason="Whatever").status == "OK"


def test_codes_and_documented_apply_the_correction(catalog: StatusCatalog) -> None:
    assert [d.code for d in catalog.documented()] == [200, 201, 204, 400, 401, 403, 404, 405, 406, 411, 415, 429,
                                                      500, 502, 503]


@pytest.mark.parametrize("code", [418, 422, 100, 301, 511])
def test_standard_fallback(catalog: StatusCatalog, code: int) -> None:
    got = catalog.lookup(code)
    assert got.source == "http-standard"
    assert got.section == "HTTP standard"
    assert got.status == http.HTTPStatus(code).phrase
    assert got.description


@pytest.mark.parametrize(
    ("code", "words"),
    [(599, "Server error (5xx)"), (450, "Client error (4xx)"), (299, "Success (2xx)"), (799, "outside"), (0, "outside")],
)
def test_unknown_codes_get_a_class_meaning(catalog: StatusCatalog, code: int, words: str) -> None:
    got = catalog.lookup(code)
    assert got.source == "http-standard"
    assert words in got.description
    assert "not described by the API or the HTTP standard" in got.description


_CAT = load_default_catalog()


@given(st.integers(min_value=-(10**30), max_value=10**30), st.none() | st.text(max_size=20))
@settings(max_examples=200)
def test_lookup_never_raises(code: int, reason: str | None) -> None:
    got = _CAT.lookup(code, reason)
    assert got.status and got.description


def test_lookup_of_a_non_integer_does_not_crash(catalog: StatusCatalog) -> None:
    got = catalog.lookup("abc")  # type: ignore[arg-type]
    assert got.source == "http-standard" and "not an HTTP status code" in got.description


# ------------------------------------------------------------------ other pages
OTHER_API = """\
# Widget API status codes

Errors come back as problem details.

## Failures

| Meaning | HTTP Status | Retry? |
|---------|-------------|--------|
| The widget failed validation; see `errors`. | 422 | no |
| Slow down \\| back off. | **429** | yes |
"""


def test_another_api_page_with_status_as_code_column() -> None:
    cat = StatusCatalog.from_markdown(OTHER_API, "widgets.md")
    assert cat.entries == (
        CatalogEntry(422, "Unprocessable Entity", "The widget failed validation; see errors.", "Failures"),
        CatalogEntry(429, "Too Many Requests", "Slow down | back off.", "Failures"),
    )
    got = cat.lookup(422)
    assert (got.source, got.section) == ("api-docs", "Failures")
    assert cat.lookup(404).source == "http-standard"
    assert cat.general_text == ("Errors come back as problem details.",)


def test_columns_in_any_order_with_extra_columns_and_markup() -> None:
    text = """\
### Limits

| Description | Notes | Reason phrase | Status code |
| --- | --- | --- | --- |
| Too many calls, see [limits](https://example.invalid/limits). | ignored | *Too Many* | `429` |
| Spaces around | x | Gone | 410   |
| no code here | x | Nope | abc |
"""
    cat = StatusCatalog.from_markdown(text, "limits.md")
    assert [(e.code, e.status, e.description, e.section) for e in cat.entries] == [
        (429, "Too Many", "Too many calls, see limits.", "Limits"),
        (410, "Gone", "Spaces around", "Limits"),
    ]
    assert any("abc" in n and "limits.md" in n for n in cat.notes)


def test_internal_error_codes_next_to_http_status() -> None:
    text = "## Errors\n\n| Code | HTTP Status | Message |\n|--|--|--|\n| E1001 | 400 | Name missing |\n| E2002 | 503 | Try later |\n"
    cat = StatusCatalog.from_markdown(text, "internal.md")
    assert cat.entries == (
        CatalogEntry(400, "Bad Request", "Name missing", "Errors"),
        CatalogEntry(503, "Service Unavailable", "Try later", "Errors"),
    )


def test_unresolved_duplicate_prefers_first_and_says_so() -> None:
    text = "## Client\n\n| Code | Status | Description |\n|--|--|--|\n| 400 | Bad request | a |\n| 400 | Invalid input | b |\n"
    cat = StatusCatalog.from_markdown(text, "dup.md")
    assert cat.lookup(400).description == "a"
    assert cat.lookup(400, reason="invalid INPUT").description == "b"
    assert any("400 is listed 2 times" in n for n in cat.notes)


def test_phrase_of_a_code_also_listed_is_not_reassigned() -> None:
    text = (
        "## S\n\n| Code | Status | Description |\n|--|--|--|\n"
        "| 200 | OK | a |\n| 200 | No Content | b |\n| 204 | No Content | c |\n"
    )
    cat = StatusCatalog.from_markdown(text, "s.md")
    assert cat.lookup(204).description == "c"
    assert cat.lookup(200).description == "a"
    assert cat.lookup(204).note is None
    assert any("200 is listed 2 times" in n for n in cat.notes)


def test_table_before_any_heading_has_empty_section() -> None:
    cat = StatusCatalog.from_markdown("| Code | Status | Description |\n|--|--|--|\n| 404 | Not found | gone |\n")
    assert cat.entries == (CatalogEntry(404, "Not found", "gone", ""),)


# ------------------------------------------------------------------ broken input
@pytest.mark.parametrize(
    "text",
    ["", "   \n", "# Errors\n\nNo tables here.\n", "| a | b |\n|--|--|\n| 1 | 2 |\n", "| Code | Status |\n|--|--|\n| x | y |\n"],
    ids=["empty", "blank", "prose", "no-code-column", "no-codes"],
)
def test_no_usable_table_names_the_source(text: str) -> None:
    with pytest.raises(CatalogError, match=r"^notes\.md has no table with code, status and description columns"):
        StatusCatalog.from_markdown(text, "notes.md")


def test_missing_file(tmp_path) -> None:
    with pytest.raises(CatalogError, match="nope.md does not exist"):
        StatusCatalog.from_file(tmp_path / "nope.md")


def test_folder_instead_of_file(tmp_path) -> None:
    with pytest.raises(CatalogError, match="is a folder"):
        StatusCatalog.from_file(tmp_path)


def test_file_without_table(tmp_path) -> None:
    p = tmp_path / "readme.md"
    p.write_text("# Hello\n\nJust prose.\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="readme.md has no table with code, status and description columns"):
        StatusCatalog.from_file(p)


def test_binary_file(tmp_path) -> None:
    p = tmp_path / "logo.png"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(CatalogError, match="logo.png"):
        StatusCatalog.from_file(p)


def test_huge_file_is_refused(tmp_path) -> None:
    p = tmp_path / "big.md"
    with p.open("wb") as fh:
        fh.truncate(6 * 1024 * 1024)
    with pytest.raises(CatalogError, match="big.md is larger than"):
        StatusCatalog.from_file(p)


def test_bom_and_latin1_are_tolerated(tmp_path) -> None:
    p = tmp_path / "bom.md"
    p.write_bytes(b"\xef\xbb\xbf" + SHIPPED.read_bytes())
    assert len(StatusCatalog.from_file(p).entries) == 15
    q = tmp_path / "latin.md"
    q.write_bytes("## S\n\n| Code | Status | Description |\n|-|-|-|\n| 200 | OK | Très bien |\n".encode("latin-1"))
    cat = StatusCatalog.from_file(q)
    assert cat.entries[0].description == "Tr\ufffds bien"
    assert "latin.md is not valid UTF-8" in cat.notes[0]


def test_error_is_a_value_error() -> None:
    assert issubclass(CatalogError, ValueError)


# ------------------------------------------------------------------ properties
@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_arbitrary_text_raises_only_catalog_error(text: str) -> None:
    try:
        cat = StatusCatalog.from_markdown(text, "fuzz.md")
    except CatalogError as exc:
        assert "fuzz.md" in str(exc)
    else:
        assert cat.entries


_table_markup = st.lists(
    st.sampled_from(["| Code | Status | Description |", "|--|--|--|", "| 404 | x |", "# H", "\\|", "`", "| 5 |", "\n"]),
    max_size=30,
).map("\n".join)


@given(_table_markup)
@settings(max_examples=200, deadline=None)
def test_table_like_text_raises_only_catalog_error(text: str) -> None:
    try:
        StatusCatalog.from_markdown(text, "t.md")
    except CatalogError:
        pass


_words = st.text(alphabet=string.ascii_letters + string.digits + " .,'", min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)


@given(
    st.dictionaries(st.integers(min_value=100, max_value=999), st.tuples(_words, _words), min_size=1, max_size=12),
    st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=20).filter(lambda s: s.strip() != ""),
)
@settings(max_examples=150, deadline=None)
def test_generated_table_round_trips(rows: dict[int, tuple[str, str]], heading: str) -> None:
    lines = [f"## {heading}", "", "| Code | Status | Description |", "| --- | --- | --- |"]
    lines += [f"| {code} | {status} | {desc} |" for code, (status, desc) in rows.items()]
    cat = StatusCatalog.from_markdown("\n".join(lines) + "\n", "gen.md")
    norm = " ".join
    assert [(e.code, e.status, e.description, e.section) for e in cat.entries] == [
        (code, norm(s.split()), norm(d.split()), norm(heading.split())) for code, (s, d) in rows.items()
    ]
    for code, (status, _desc) in rows.items():
        assert cat.lookup(code).status == norm(status.split())
