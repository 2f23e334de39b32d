"""Fixtures of the validation tests: the file corpus, a schema, uploads of corpus files."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.tests import factories

from ckanext.satudata.tests import factories as sd

FILES = Path(__file__).parent / "files"

SCHEMA = {"fields": [
    {"name": "tahun", "title": "Tahun", "type": "year", "constraints": {"required": True}},
    {"name": "kecamatan", "title": "Kecamatan", "type": "string", "constraints": {"required": True}},
    {"name": "jumlah", "title": "Jumlah penduduk", "type": "integer"},
    {"name": "luas_km2", "title": "Luas wilayah", "type": "number", "constraints": {"minimum": 0}},
]}
VARIABLES = [
    {"name": "tahun", "title": "Tahun", "type": "year", "wajib_diisi": True},
    {"name": "kecamatan", "title": "Kecamatan", "type": "string", "wajib_diisi": True},
    {"name": "jumlah", "title": "Jumlah penduduk", "type": "integer"},
    {"name": "luas_km2", "title": "Luas wilayah", "type": "number", "minimum": 0},
]


def write_csv(path: Path, rows: int, bad_at: int | None = None, blanks_at_end: int = 0) -> Path:
    """A generated CSV of ``rows`` data rows in SCHEMA's columns, streamed to disk."""
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["tahun", "kecamatan", "jumlah", "luas_km2"])
        for i in range(1, rows + 1):
            writer.writerow([2000 + i % 25, f"Kecamatan {i % 400}",
                             "banyak" if i == bad_at else i * 7 % 100000, f"{i % 977}.5"])
        for _ in range(blanks_at_end):
            writer.writerow(["", "", "", ""])
    return path


@pytest.fixture
def producer():
    user = factories.User(name="produsen-dinkes")
    org = sd.opd(users=[{"name": user["name"], "capacity": "editor"}])
    return {"user": user, "org": org}


@pytest.fixture
def upload():
    """Create a resource from a corpus file (or any path), stored like a real upload."""
    def create(dataset_id: str, source, user: str, **fields) -> dict:
        path = Path(source) if isinstance(source, Path) else FILES / source
        fmt = "XLSX" if path.suffix == ".xlsx" else "CSV"
        with path.open("rb") as stream:
            return tk.get_action("resource_create")({"user": user}, {
                "package_id": dataset_id, "name": path.name, "url": path.name, "format": fmt,
                "upload": FileStorage(stream=stream, filename=path.name), **fields})
    return create
