"""One resource-path helper for the source tree, a wheel install and the frozen app."""

from __future__ import annotations

import sys

from app import paths


def test_source_tree_resources_are_found():
    assert paths.default_api_docs().is_file()
    assert paths.default_api_docs().read_text(encoding="utf-8").startswith("# Errors")


def test_frozen_app_looks_inside_its_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == tmp_path / "resources"


def test_wheel_install_looks_in_the_prefix_share_folder(monkeypatch, tmp_path):
    share = tmp_path / "share" / "request-inspector" / "api-docs"
    share.mkdir(parents=True)
    (share / "errors.md").write_text("# Errors\n")
    monkeypatch.setattr(paths, "__file__", str(tmp_path / "site-packages" / "app" / "paths.py"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    assert paths.default_api_docs() == share / "errors.md"


def test_data_home_honours_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("REQUEST_INSPECTOR_HOME", str(tmp_path / "home"))
    assert paths.data_home() == tmp_path / "home" and (tmp_path / "home").is_dir()
