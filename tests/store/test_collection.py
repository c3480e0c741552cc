"""app/store/collection.py on real folders in tmp dirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import app.store.atomic as atomic
from app.store.collection import Collection, CollectionError

REQUEST = "### Get user\nGET http://127.0.0.1:8000/users/1\nAccept: application/json\n"


@pytest.fixture
def coll(tmp_path: Path) -> Collection:
    return Collection(tmp_path / "requests")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


def test_save_then_read_round_trips_text(coll: Collection) -> None:
    text = "POST http://127.0.0.1/x\r\nContent-Type: text/plain\r\n\r\nhéllo ✓\n"
    coll.save("users/get.http", text)
    assert coll.read("users/get.http") == text
    assert (coll.folder / "users" / "get.http").read_bytes() == text.encode("utf-8")
    assert leftovers(coll.folder) == []


def test_tree_lists_folders_first_sorted_and_hides_other_files(coll: Collection) -> None:
    coll.save("b.http", REQUEST)
    coll.save("A.http", REQUEST)
    coll.save("zeta/inner.http", REQUEST)
    coll.save("alpha/deep/x.rest", REQUEST)
    coll.mkdir("empty")
    (coll.folder / "notes.txt").write_text("not a request")
    (coll.folder / ".hidden.http").write_text(REQUEST)
    (coll.folder / ".b.http.abc.tmp").write_text("leftover")
    tree = coll.tree()
    assert [(n.rel_path, n.is_dir) for n in tree] == [
        ("alpha", True), ("empty", True), ("zeta", True), ("A.http", False), ("b.http", False)]
    alpha = tree[0]
    assert alpha.children[0].rel_path == "alpha/deep"
    assert alpha.children[0].children[0].rel_path == "alpha/deep/x.rest"
    assert alpha.children[0].children[0].name == "x.rest"
    assert tree[1].children == ()
    assert tree[2].children[0].name == "inner.http"


def test_save_replaces_atomically_and_failure_keeps_old_file(coll: Collection, monkeypatch) -> None:
    coll.save("a.http", "old text\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(CollectionError, match="previous version is unchanged"):
        coll.save("a.http", "new text that never lands\n" * 1000)
    monkeypatch.undo()
    assert coll.read("a.http") == "old text\n"
    assert leftovers(coll.folder) == []
    assert [p.name for p in coll.folder.iterdir()] == ["a.http"]


def test_failed_write_midway_leaves_no_temp_and_no_half_file(coll: Collection, monkeypatch) -> None:
    coll.save("a.http", "old\n")
    real_fsync = os.fsync

    def failing_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)
    with pytest.raises(CollectionError):
        coll.save("a.http", "x" * 100_000)
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    assert coll.read("a.http") == "old\n"
    assert leftovers(coll.folder) == []


@pytest.mark.parametrize(
    "bad",
    ["../outside.http", "a/../../outside.http", "/etc/passwd.http", "..", "C:\\x.http", "\\\\server\\share\\x.http",
     "a\\..\\..\\x.http"],
)
def test_paths_escaping_the_folder_are_refused(coll: Collection, bad: str, tmp_path: Path) -> None:
    with pytest.raises(CollectionError) as info:
        coll.save(bad, REQUEST)
    assert "outside the collection" in str(info.value) or "absolute path" in str(info.value)
    for call in (lambda: coll.read(bad), lambda: coll.delete(bad), lambda: coll.mkdir(bad),
                 lambda: coll.rename("x.http", bad), lambda: coll.duplicate(bad)):
        with pytest.raises(CollectionError):
            call()
    assert not (tmp_path / "outside.http").exists()


def test_symlink_leading_outside_is_refused(coll: Collection, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (coll.folder / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(CollectionError, match="outside"):
        coll.save("link/x.http", REQUEST)
    assert list(outside.iterdir()) == []
    assert [n.name for n in coll.tree()] == []


def test_rename_moves_and_never_overwrites(coll: Collection) -> None:
    coll.save("a.http", "A")
    coll.save("b.http", "B")
    with pytest.raises(CollectionError, match="already exists"):
        coll.rename("a.http", "b.http")
    coll.rename("a.http", "folder/renamed.http")
    assert coll.read("folder/renamed.http") == "A"
    assert not coll.exists("a.http")
    coll.rename("folder", "moved")
    assert coll.read("moved/renamed.http") == "A"
    with pytest.raises(CollectionError, match="into itself"):
        coll.rename("moved", "moved/sub")
    with pytest.raises(CollectionError, match="must end in .http"):
        coll.rename("b.http", "b.txt")
    with pytest.raises(CollectionError, match="no saved request"):
        coll.rename("missing.http", "z.http")


def test_duplicate_picks_copy_names(coll: Collection) -> None:
    coll.save("dir/name.http", "N")
    assert coll.duplicate("dir/name.http") == "dir/name copy.http"
    assert coll.duplicate("dir/name.http") == "dir/name copy 2.http"
    assert coll.duplicate("dir/name.http") == "dir/name copy 3.http"
    assert coll.read("dir/name copy 2.http") == "N"
    assert coll.duplicate("dir") == "dir copy"
    assert coll.read("dir copy/name copy.http") == "N"


def test_delete_file_and_folder(coll: Collection) -> None:
    coll.save("a.http", "A")
    coll.save("f/b.http", "B")
    coll.delete("a.http")
    coll.delete("f")
    assert coll.tree() == []
    with pytest.raises(CollectionError, match="no saved request"):
        coll.delete("a.http")
    with pytest.raises(CollectionError, match="cannot be deleted"):
        coll.delete(".")
    assert coll.folder.is_dir()


def test_read_errors_are_sentences(coll: Collection) -> None:
    with pytest.raises(CollectionError, match="no saved request 'nope.http'"):
        coll.read("nope.http")
    (coll.folder / "latin1.http").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(CollectionError, match="not UTF-8"):
        coll.read("latin1.http")
    coll.mkdir("d")
    with pytest.raises(CollectionError, match="is a folder"):
        coll.read("d")
    with pytest.raises(CollectionError, match="needs a name"):
        coll.save("  ", "x")
    with pytest.raises(CollectionError, match="must end in .http"):
        coll.save("notes.txt", "x")


def test_mkdir_over_a_file_is_refused(coll: Collection) -> None:
    coll.save("a.http", "A")
    with pytest.raises(CollectionError, match="already exists as a file"):
        coll.mkdir("a.http")
    coll.mkdir("x/y")
    coll.mkdir("x/y")  # idempotent
    assert (coll.folder / "x" / "y").is_dir()


def test_saved_file_permissions_follow_umask(coll: Collection) -> None:
    coll.save("a.http", "A")
    mode = (coll.folder / "a.http").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
