"""File → Open API documentation… with an OpenAPI document: the window explains answers per operation."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QLabel

from app.core.draft import RequestDraft
from app.demo.openapi import document

from tests.ui.workspace_support import make_window, send_and_wait  # noqa: F401 (fixtures)


def text(w, name: str) -> str:
    return w.findChild(QLabel, name).text()


def test_an_openapi_document_explains_per_operation_and_is_remembered(qtbot, make_window, demo, tmp_path):
    docs = tmp_path / "practice.yaml"  # YAML is JSON's superset: the suffix sends it to the OpenAPI reader
    docs.write_text(json.dumps(document(demo)), encoding="utf-8")
    w = make_window()
    assert w.load_api_docs(str(docs)) is True
    assert "practice.yaml" in w.docs_label.text()
    tab = w.new_tab(RequestDraft(method="GET", url=f"{demo}/orders/999?misbehave=problem"))
    send_and_wait(qtbot, tab)
    assert text(tab, "statusLine").startswith("404")
    assert "No order has this id." in text(tab, "statusExplanation")
    assert "OpenAPI document · getOrder" in text(tab, "statusExplanation")
    assert "response-schema-mismatch" in {f.id for f in tab.last_diagnosis.findings}
    w.shutdown()
    again = make_window()
    assert again.catalogs.get().source_name == "practice.yaml"


def test_a_broken_openapi_document_keeps_the_current_docs_and_names_the_place(qtbot, make_window, tmp_path):
    bad = tmp_path / "api.json"
    bad.write_text('{"openapi": "3.1.0",\n "paths": {"/a": }}', encoding="utf-8")
    w = make_window()
    before = w.catalogs.get()
    assert w.load_api_docs(str(bad)) is False
    assert w.catalogs.get() is before
    assert "api.json: line 2" in w.statusBar().currentMessage()
