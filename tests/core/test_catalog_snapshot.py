"""The kept parse of the shipped error page: the same catalog as parsing the page, used only for that exact page."""

from __future__ import annotations

import subprocess
import sys

from app.core import catalog_snapshot
from app.core.catalog import StatusCatalog, _from_snapshot, load_default_catalog
from app.paths import default_api_docs

REGENERATE = "the shipped page or the parser changed: run `.venv/bin/python -m app.core.catalog_snapshot`"


def state(catalog: StatusCatalog) -> tuple:
    reasons = (None, "No Content", "OK", "Too many requests")
    return (
        catalog.entries,
        catalog.source_name,
        catalog.notes,
        catalog.general_text,
        catalog.documented(),
        tuple(catalog.lookup(code, reason) for code in range(100, 600) for reason in reasons),
    )


def test_the_snapshot_is_used_for_the_shipped_page_and_equals_its_parse() -> None:
    page = default_api_docs()
    kept = _from_snapshot(page)
    assert kept is not None, REGENERATE
    assert state(kept) == state(StatusCatalog.from_file(page)), REGENERATE
    assert state(load_default_catalog()) == state(kept)


def test_the_generated_data_is_what_the_parser_writes_today() -> None:
    source = open(catalog_snapshot.__file__, encoding="utf-8").read()
    assert catalog_snapshot.generated_data(default_api_docs()) in source, REGENERATE


def test_a_changed_page_is_parsed_not_taken_from_the_snapshot(tmp_path) -> None:
    edited = tmp_path / "errors.md"
    edited.write_bytes(catalog_snapshot.PAGE.replace(b"| Not found ", b"| Gone away "))
    assert _from_snapshot(edited) is None
    assert StatusCatalog.from_file(edited).lookup(404).status == "Gone away"
    longer = tmp_path / "longer" / "errors.md"
    longer.parent.mkdir()
    longer.write_bytes(catalog_snapshot.PAGE + b"\n| 418 | Teapot | Short and stout. |\n")
    assert _from_snapshot(longer) is None
    same_bytes_other_name = tmp_path / "other.md"
    same_bytes_other_name.write_bytes(catalog_snapshot.PAGE)
    assert _from_snapshot(same_bytes_other_name) is None  # the notes name the file: only errors.md matches
    assert _from_snapshot(tmp_path / "missing" / "errors.md") is None


def test_loading_the_default_catalog_does_not_import_markdown_it() -> None:
    code = ("import sys; from app.core.catalog import load_default_catalog; load_default_catalog(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('markdown_it', 'mdurl')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
