"""Shared helpers for the OpenAPI tests: the vendored documents under tests/data/openapi."""

from __future__ import annotations

import gzip
from pathlib import Path

from app.core.openapi.catalog import OpenApiCatalog

DATA = Path(__file__).resolve().parents[2] / "data" / "openapi"


def catalog(name: str) -> OpenApiCatalog:
    path = DATA / name
    raw = path.read_bytes()
    if name.endswith(".gz"):
        raw, name = gzip.decompress(raw), name[:-3]
    return OpenApiCatalog.from_bytes(raw, Path(name).name, read_file=lambda rel: (path.parent / rel).read_bytes())
