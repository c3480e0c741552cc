"""read_api_docs on hostile documents: references may only reach regular files in the document's folder tree,
read with a size cap and never blocking (a FIFO, /dev/zero or /etc/passwd named by a $ref is a sentence)."""

from __future__ import annotations

import os
import time

import pytest

from app.core.api_docs import read_api_docs
from app.core.catalog import CatalogError

HEAD = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n"


def _doc(folder, *refs: str):
    path = folder / "api.yaml"
    path.write_text(HEAD + "".join(f"  /p{i}:\n    $ref: '{ref}'\n" for i, ref in enumerate(refs)))
    return path


def test_a_reference_outside_the_documents_folder_is_refused_with_a_sentence_naming_it(tmp_path):
    (tmp_path / "secret.yaml").write_text("x: {get: {responses: {'200': {description: stolen}}}}\n")
    folder = tmp_path / "docs"
    folder.mkdir()
    docs = read_api_docs(_doc(folder, "../secret.yaml#/x", "../../../../../../../etc/passwd#/root",
                              "/etc/hostname#/"))
    assert len(docs.skipped) == 3
    assert "'../secret.yaml'" in docs.skipped[0] and "points outside the document's folder" in docs.skipped[0]
    assert "etc/passwd" in docs.skipped[1] and "outside the document's folder" in docs.skipped[1]
    assert all("stolen" not in s for s in docs.skipped)


def test_a_symlink_in_the_folder_pointing_outside_is_refused(tmp_path):
    (tmp_path / "outside.yaml").write_text("x: {get: {responses: {'200': {description: ok}}}}\n")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    docs = read_api_docs(_doc(folder, "link.yaml#/x"))
    assert docs.operations == () and "outside the document's folder" in docs.skipped[0]


def test_references_inside_the_folder_tree_still_resolve(tmp_path):
    (tmp_path / "paths").mkdir()
    (tmp_path / "paths" / "a.yaml").write_text("x: {get: {responses: {'200': {description: ok}}}}\n")
    docs = read_api_docs(_doc(tmp_path, "paths/a.yaml#/x", "./paths/../paths/a.yaml#/x"))
    assert docs.skipped == () and len(docs.operations) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_or_device_is_a_sentence_not_a_hang_or_a_memory_error(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    os.symlink("/dev/zero", tmp_path / "zero")
    start = time.monotonic()
    docs = read_api_docs(_doc(tmp_path, "fifo#/x", "zero#/x"))
    assert time.monotonic() - start < 5
    assert len(docs.skipped) == 2 and "'fifo'" in docs.skipped[0] and "not a regular file" in docs.skipped[0]
    assert "'zero'" in docs.skipped[1] and "outside the document's folder" in docs.skipped[1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_chosen_as_the_document_itself_is_a_sentence(tmp_path):
    os.mkfifo(tmp_path / "api.yaml")
    with pytest.raises(CatalogError, match="not a regular file"):
        read_api_docs(tmp_path / "api.yaml")


def test_a_referenced_file_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    import app.core.openapi.load as load

    monkeypatch.setattr(load, "MAX_DOCUMENT_BYTES", 1000)
    (tmp_path / "big.yaml").write_text("x: '" + "a" * 2000 + "'\n")
    docs = read_api_docs(_doc(tmp_path, "big.yaml#/x"))
    assert "larger than" in docs.skipped[0]
