"""The Surat Permintaan Data renders in Indonesian and reads back with its letterhead and entries."""
from __future__ import annotations

import datetime as dt
import os

import pytest
from PIL import Image

from ckanext.satudata.documents import layout, surat_permintaan
from ckanext.satudata.tests.documents.conftest import pdf_pages, pdf_text


ENTRIES = [
    {"title": "Jumlah Puskesmas", "hints": ["Standar data: SD-KES-01", "Satuan: unit",
                                            "Frekuensi: tahunan"],
     "due_date": dt.date(2027, 3, 31)},
    {"title": "Angka Kematian Ibu", "hints": "per 100.000 kelahiran hidup",
     "due_date": "2027-02-01T17:30:00Z"},
    {"title": "Cakupan Imunisasi", "due_date": None},
]


def test_letter_reads_back(walidata_profile):
    data = surat_permintaan.render(walidata_profile, {"name": "dinkes", "title": "Dinas Kesehatan"},
                                   "2026", ENTRIES, number="000.7/123/435.114/2027",
                                   date=dt.date(2027, 1, 15))
    text = pdf_text(data)
    # letterhead from the Walidata's profile
    for part in ("DINAS KOMUNIKASI DAN INFORMATIKA", "Jl. Hayam Wuruk No. 14, Pasuruan 67153",
                 "Telepon (0343) 424207", "Faksimile (0343) 424208",
                 "Email diskominfo@pasuruankab.go.id"):
        assert part in text
    assert "15 Januari 2027" in text
    assert "Nomor : 000.7/123/435.114/2027" in text
    assert "Perihal : Permintaan Data Sektoral Periode 2026" in text
    assert "Kepala Dinas Kesehatan" in text
    for part in ("Jumlah Puskesmas", "Standar data: SD-KES-01", "Satuan: unit",
                 "Frekuensi: tahunan", "31 Maret 2027", "Angka Kematian Ibu",
                 "per 100.000 kelahiran hidup", "Cakupan Imunisasi"):
        assert part in text
    # a moment is a date in the portal's time zone (Asia/Jakarta: 2 Feb 00:30 WIB)
    assert "2 Februari 2027" in text
    assert "Walidata Dinas Komunikasi dan Informatika" in text


def test_defaults_today_and_blank_number(walidata_profile):
    text = pdf_text(surat_permintaan.render(walidata_profile, {"name": "dinkes"}, "2027", []))
    assert layout.tanggal(layout.today()) in text
    assert "Nomor : …" in text
    assert "Kepala dinkes" in text
    assert "Tidak ada data yang diminta" in text


def test_hostile_text_prints_as_text(walidata_profile):
    hostile = "<b>Data</b> & <font size=90>x</font> <para> ]]> \x00\x07 " + "Panjang" * 120
    walidata = dict(walidata_profile, title="Dinas <Kominfo> & Co", alamat="<script>alert(1)</script>")
    data = surat_permintaan.render(walidata, {"title": "OPD <i>miring</i> &amp;"}, "2027 & <2028>",
                                   [{"title": hostile, "hints": ["<br/>", "€ “kutip” — é ñ 中文 😀"],
                                     "due_date": "bukan tanggal"}] * 40,
                                   number="<nomor & 1>")
    text = pdf_text(data)
    assert "DINAS <KOMINFO> & CO" in text
    assert "<script>alert(1)</script>" in text
    assert "OPD <i>miring</i> &amp;" in text
    assert "Periode 2027 & <2028>" in text
    assert "<b>Data</b> & <font size=90>x</font>" in text
    assert "“kutip” — é ñ" in text
    assert "<nomor & 1>" in text
    # forty rows with a word longer than the column split across pages instead of failing
    assert pdf_pages(data) > 2


def test_uploaded_logo_is_drawn_remote_never_fetched(walidata_profile, ckan_config):
    from ckan.lib.uploader import get_storage_path

    folder = os.path.join(get_storage_path(), "storage", "uploads", "group")
    os.makedirs(folder, exist_ok=True)
    Image.new("RGB", (120, 120), (10, 80, 160)).save(os.path.join(folder, "logo-test.png"))
    with_logo = dict(walidata_profile, image_url="logo-test.png")
    assert layout.logo_path(with_logo) == os.path.join(folder, "logo-test.png")
    assert b"/Subtype /Image" in surat_permintaan.render(with_logo, {"title": "X"}, "2027", [])
    # a remote logo, a path escaping the upload folder, a missing or broken file: no image, no failure
    with open(os.path.join(folder, "broken.png"), "wb") as f:
        f.write(b"not a png")
    for url in ("http://127.0.0.1:9/logo.png", "//example.org/logo.png", "../../../etc/passwd",
                "missing.png", "broken.png"):
        profile = dict(walidata_profile, image_url=url)
        assert layout.logo_path(profile) in (None, os.path.join(folder, "broken.png"))
        data = surat_permintaan.render(profile, {"title": "X"}, "2027", [])
        assert b"/Subtype /Image" not in data
        assert "DINAS KOMUNIKASI DAN INFORMATIKA" in pdf_text(data)
