"""Shared helpers of the document tests: read a PDF back as text."""
from __future__ import annotations

import io
import re

import pypdf
import pytest


def pdf_text(data: bytes) -> str:
    """The text of every page of the PDF DATA, whitespace folded to single spaces."""
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def pdf_pages(data: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def walidata_profile() -> dict:
    return {"name": "diskominfo", "title": "Dinas Komunikasi dan Informatika",
            "alamat": "Jl. Hayam Wuruk No. 14, Pasuruan 67153", "telepon": "(0343) 424207",
            "faksimile": "(0343) 424208", "email": "diskominfo@pasuruankab.go.id"}
