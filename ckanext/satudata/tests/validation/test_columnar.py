"""The columnar fast path (validation/columnar.py) ends every file exactly as Frictionless does.

Each case validates a file twice, with the fast path and without it
(``fast=False``: Frictionless only), and compares the outcome: status, the
errors, the task's stats (rows, fields, bytes, hashes), labels, name and
the satudata part of the report. Where the fast path vouches for a file,
the report must be the one Frictionless would have written.
"""
import pytest

from ckanext.satudata.validation import limits, run

from ckanext.satudata.tests.faults import hostile
from ckanext.satudata.tests.validation.conftest import FILES, SCHEMA, write_csv

INDONESIAN = {"decimal_char": ",", "group_char": "."}
TYPED = {"fields": [
    {"name": "tahun", "type": "year", "constraints": {"required": True, "minimum": 2000}},
    {"name": "kode", "type": "integer", "constraints": {"enum": ["1", "2", 3]}},
    {"name": "status", "type": "string", "constraints": {"enum": ["desa", "kelurahan"],
                                                         "maxLength": 9}},
    {"name": "nilai", "type": "number", "constraints": {"minimum": 0, "maximum": "100.5"}},
    {"name": "tanggal", "type": "date"},
    {"name": "aktif", "type": "boolean"},
]}
TYPED_HEADER = "tahun,kode,status,nilai,tanggal,aktif\n"


def outcome(report):
    task = report["tasks"][0]
    stats = {k: v for k, v in task.get("stats", {}).items() if k != "seconds"}
    part = {k: v for k, v in report["satudata"].items() if k != "engine"}
    return {"valid": report["valid"], "errors": report["stats"].get("errors"),
            "task_errors": [(e["type"], e.get("rowNumber"), e.get("fieldName"), e.get("cell"))
                            for e in task["errors"]],
            "stats": stats, "labels": task.get("labels"), "name": task.get("name"),
            "warnings": task.get("warnings"), "satudata": part}


def both(path, fmt="csv", schema=SCHEMA, options=None, config=None):
    fast = run.validate_file(str(path), fmt, schema, dict(options or {}), config)
    slow = run.validate_file(str(path), fmt, schema, dict(options or {}), config, fast=False)
    assert slow[1]["satudata"].get("engine") in ("frictionless", None)
    assert (fast[0], outcome(fast[1])) == (slow[0], outcome(slow[1]))
    return fast[0], fast[1]["satudata"].get("engine")


CORPUS = sorted(p.name for p in FILES.iterdir() if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize("name", CORPUS)
@pytest.mark.parametrize("schema, options", [(SCHEMA, {}), (None, {}), (SCHEMA, INDONESIAN),
                                             (SCHEMA, {"decimal_char": ".", "group_char": ""})])
def test_every_corpus_file_ends_as_frictionless_ends_it(name, schema, options):
    both(FILES / name, "xlsx" if name.endswith(".xlsx") else "csv", schema, options)


@pytest.mark.parametrize("name, options", [("valid.csv", {}), ("bom_semicolon.csv", {}),
                                           ("angka_indonesia.csv", {}),
                                           ("angka_indonesia.csv", INDONESIAN)])
def test_valid_csvs_are_decided_by_the_fast_path(name, options):
    assert both(FILES / name, options=options) == ("success", "columnar")


def test_the_portal_number_convention_goes_through_the_fast_path():
    assert both(FILES / "angka_indonesia.csv", config=INDONESIAN) == ("success", "columnar")


@pytest.mark.parametrize("make", ["html_csv", "header_only_csv", "null_bytes_csv", "utf16_csv",
                                  "title_rows_csv", "indonesian_csv", "big_csv"])
def test_hostile_files_end_as_frictionless_ends_them(tmp_path, make):
    kwargs = {"rows": 30_000} if make == "big_csv" else {}
    path = getattr(hostile, make)(tmp_path / "berkas.csv", **kwargs)
    both(path)


def test_a_file_of_many_blocks_is_decided_by_the_fast_path(tmp_path):
    path = write_csv(tmp_path / "besar.csv", rows=120_000)  # ~3 MB: three pyarrow blocks
    assert both(path) == ("success", "columnar")


def test_one_bad_cell_in_the_last_block_gets_frictionless_report(tmp_path):
    path = write_csv(tmp_path / "besar.csv", rows=120_000, bad_at=119_999, blanks_at_end=2)
    assert both(path) == ("failure", "frictionless")


def test_trailing_blank_rows_get_frictionless_report(tmp_path):
    path = write_csv(tmp_path / "kosong.csv", rows=10, blanks_at_end=2)
    assert both(path) == ("success", "frictionless")


GOOD_ROWS = ["2023,1,desa,0,2024-02-29,true", "2001,3,kelurahan,100.5,2023-12-31,false",
             "2023,,desa,,,"]


@pytest.mark.parametrize("row, engine", [
    (None, "columnar"),
    # Each of these is a problem Frictionless reports, or a value the fast path leaves to it.
    ("1999,1,desa,1,2023-01-01,true", "frictionless"),          # below minimum
    (",1,desa,1,2023-01-01,true", "frictionless"),              # required
    ("2023,4,desa,1,2023-01-01,true", "frictionless"),          # not in enum
    ("2023,1,kota,1,2023-01-01,true", "frictionless"),          # not in enum
    ("2023,1,desa,100.50000000001,2023-01-01,true", "frictionless"),  # just over maximum
    ("2023,1,desa,-0.0000001,2023-01-01,true", "frictionless"),  # just under minimum
    ("2023,1,desa,100.500,2023-01-01,true", "columnar"),         # the maximum itself
    ("2023,1,desa,1,2023-02-29,true", "frictionless"),           # no such day
    ("2023,1,desa,1,2023-04-31,true", "frictionless"),
    ("2023,1,desa,1,23-04-01,true", "frictionless"),
    ("2023,1,desa,1,2023-01-01,ya", "frictionless"),             # not a boolean
    ("2023,+1,desa,1,2023-01-01,true", "frictionless"),          # valid, but not followed here
    ("2023, 1,desa,1,2023-01-01,true", "frictionless"),
    ("2023,1,desa,1e1,2023-01-01,true", "frictionless"),
    ("2023,1.0,desa,1,2023-01-01,true", "frictionless"),
    ("+203,1,desa,1,2023-01-01,true", "frictionless"),
    ("2023,1,desa,1,2023-01-01,true,lebih", "frictionless"),     # extra cell
    ("2023,1,desa,1,2023-01-01", "frictionless"),                # missing cell
    (",,,,,", "frictionless"),                                   # blank row in the middle
    ("", "frictionless"),                                        # empty line
    ('2023,1,"de\nsa",1,2023-01-01,true', "frictionless"),      # quoted line break, not in enum
    ("2023,99999999999999999999999,desa,1,2023-01-01,true", "frictionless"),
])
def test_typed_cells_end_as_frictionless_ends_them(tmp_path, row, engine):
    lines = GOOD_ROWS[:2] + ([row] if row is not None else []) + GOOD_ROWS[2:]
    path = tmp_path / "tipe.csv"
    path.write_text(TYPED_HEADER + "\n".join(lines) + "\n")
    assert both(path, schema=TYPED)[1] == engine


@pytest.mark.parametrize("text, schema, engine", [
    # A quoted line break inside a free-text cell is read as Frictionless reads it.
    ('tahun,kecamatan,jumlah,luas_km2\n2023,"Kec\nA",1,1.5\n2023,B,2,2\n', SCHEMA, "columnar"),
    # Spaces after the delimiter: Frictionless's sniffer may skip them; left to it.
    ("tahun, kecamatan, jumlah, luas_km2\n2023, A, 1, 1.5\n2023, B, 2, 2\n", SCHEMA,
     "frictionless"),
    # Labels that differ from the schema's names.
    ("Tahun,kecamatan,jumlah,luas_km2\n2023,A,1,1.5\n", SCHEMA, "frictionless"),
    ("tahun,kecamatan,jumlah\n2023,A,1\n", SCHEMA, "frictionless"),
    # Constraints and schema parts the fast path does not follow.
    ("tahun,kecamatan,jumlah,luas_km2\n2023,A,1,1.5\n",
     {"fields": SCHEMA["fields"][:1] + [{"name": "kecamatan", "type": "string",
                                         "constraints": {"pattern": "[A-Z]"}}]
      + SCHEMA["fields"][2:]}, "frictionless"),
    ("tahun,kecamatan,jumlah,luas_km2\n2023,A,1,1.5\n",
     {**SCHEMA, "primaryKey": ["kecamatan"]}, "frictionless"),
    # Missing values of the schema's own.
    ("tahun,kecamatan,jumlah,luas_km2\n2023,A,-,1.5\n2023,B,2,NA\n",
     {**SCHEMA, "missingValues": ["", "-", "NA"]}, "columnar"),
    ("tahun,kecamatan,jumlah,luas_km2\n2023,-,-,1.5\n",
     {**SCHEMA, "missingValues": ["", "-"]}, "frictionless"),   # required kecamatan
])
def test_dialects_and_schemas_end_as_frictionless_ends_them(tmp_path, text, schema, engine):
    path = tmp_path / "dialek.csv"
    path.write_text(text)
    assert both(path, schema=schema)[1] == engine


def test_a_nul_byte_past_the_sniffed_sample_goes_to_frictionless(tmp_path):
    path = write_csv(tmp_path / "nul.csv", rows=2000)
    data = path.read_bytes()
    path.write_bytes(data[:-10] + b"\x00" + data[-9:])
    assert both(path)[1] == "frictionless"


def test_header_row_option_and_title_rows(tmp_path):
    path = tmp_path / "judul.csv"
    path.write_text("Jumlah penduduk\nSumber: BPS\n\ntahun,kecamatan,jumlah,luas_km2\n"
                    "2023,A,1,1.5\n2023,B,2,2.5\n")
    assert both(path, options={"header_row": 4}) == ("success", "columnar")
    assert both(path, options={"header_row": 3})[1] == "frictionless"


def test_an_undecodable_byte_goes_to_frictionless(tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_bytes(b"tahun,kecamatan,jumlah,luas_km2\n" + b"2023,A,1,1.5\n" * 20_000
                     + b"2023,Caf\xe9,1,1.5\n")
    both(path)


def test_the_fast_path_runs_under_the_job_memory_cap(tmp_path):
    path = write_csv(tmp_path / "besar.csv", rows=120_000)
    with limits.memory_cap(200):
        status, report = run.validate_file(str(path), "csv", SCHEMA)
    assert (status, report["satudata"]["engine"]) == ("success", "columnar")
