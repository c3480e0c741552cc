"""CatalogHolder: reading is explicit, every change is one signal, a broken configured page falls back with a note."""

from __future__ import annotations

import pytest

from app.core.catalog import CatalogError, load_default_catalog
from app.ui.services import CatalogHolder

PAGE = "# Other API\n\n## Client\n\n| Code | Status | Description |\n|---|---|---|\n| 418 | Teapot | Short and stout. |\n"


def test_loaded_never_reads_and_get_reads_once_announcing_it(qapp, tmp_path):
    page = tmp_path / "other.md"
    page.write_text(PAGE)
    holder = CatalogHolder(configured_path=str(page))
    seen = []
    holder.changed.connect(seen.append)
    assert holder.loaded() is None and seen == []
    catalog = holder.get()
    assert holder.get() is catalog and seen == [catalog]
    assert catalog.lookup(418).description == "Short and stout."


def test_broken_configured_page_falls_back_with_a_note_and_a_bad_new_page_keeps_the_current(qapp, tmp_path):
    holder = CatalogHolder(configured_path=str(tmp_path / "gone.md"))
    catalog = holder.get()
    assert catalog.source_name == load_default_catalog().source_name
    assert holder.note and "built-in" in holder.note
    bad = tmp_path / "bad.md"
    bad.write_text("no tables here")
    with pytest.raises(CatalogError):
        holder.load_file(str(bad))
    assert holder.get() is catalog
    seen = []
    holder.changed.connect(seen.append)
    holder.use_default()
    assert len(seen) == 1
