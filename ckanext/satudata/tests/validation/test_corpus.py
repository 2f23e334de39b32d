"""Each file of the corpus ends in an exact status and exact error types (run.validate_file)."""
import pytest

from ckanext.satudata.validation import run

from ckanext.satudata.tests.validation.conftest import FILES, SCHEMA, write_csv

NO_SCHEMA = None
INDONESIAN = {"decimal_char": ",", "group_char": "."}


def errors(report):
    return [(e["type"], e.get("rowNumber"), e.get("fieldName") or None)
            for task in report["tasks"] for e in task["errors"]]


@pytest.mark.parametrize("name, schema, options, status, expected, layout", [
    ("valid.csv", SCHEMA, {}, "success", [],
     {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": 1}),
    ("bom_semicolon.csv", SCHEMA, {}, "success", [],
     {"format": "csv", "encoding": "utf-8-sig", "delimiter": ";", "header_row": 1}),
    ("cp1252_semicolon.csv", NO_SCHEMA, {}, "success", [],
     {"format": "csv", "encoding": "cp1252", "delimiter": ";", "header_row": 1}),
    ("latin1.csv", NO_SCHEMA, {}, "success", [],
     {"format": "csv", "encoding": "cp1252", "delimiter": ",", "header_row": 1}),
    ("angka_indonesia.csv", SCHEMA, INDONESIAN, "success", [],
     {"format": "csv", "encoding": "utf-8", "delimiter": ";", "header_row": 1}),
    ("angka_indonesia.csv", SCHEMA, {}, "failure",
     [("type-error", 2, "jumlah"), ("type-error", 2, "luas_km2"),
      ("type-error", 3, "jumlah"), ("type-error", 3, "luas_km2")],
     {"format": "csv", "encoding": "utf-8", "delimiter": ";", "header_row": 1}),
    ("trailing_blank_rows.csv", SCHEMA, {}, "success", [],
     {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": 1}),
    ("bad_values.csv", SCHEMA, {}, "failure",
     [("type-error", 2, "jumlah"), ("constraint-error", 3, "tahun"),
      ("constraint-error", 3, "luas_km2"), ("constraint-error", 4, "kecamatan"),
      ("type-error", 4, "luas_km2"), ("extra-cell", 5, None)],
     {"format": "csv", "encoding": "utf-8", "delimiter": ",", "header_row": 1}),
    ("empty.csv", SCHEMA, {}, "failure", [("empty-file", None, None)], {}),
    ("laporan.pdf.csv", SCHEMA, {}, "failure", [("not-tabular", None, None)], {}),
    ("grafik.png.csv", SCHEMA, {}, "failure", [("not-tabular", None, None)], {}),
    ("arsip.zip.csv", SCHEMA, {}, "failure", [("not-tabular", None, None)], {}),
    ("multi_sheet_title_rows.xlsx", SCHEMA, {}, "success", [],
     {"format": "xlsx", "sheet": "Data", "header_row": 4, "sheets": ["Sampul", "Data"]}),
    ("invalid.xlsx", SCHEMA, {}, "failure", [("type-error", 5, "jumlah")],
     {"format": "xlsx", "sheet": "Data", "header_row": 1, "sheets": ["Data"]}),
])
def test_corpus_file_ends_in_its_exact_result(name, schema, options, status, expected, layout):
    fmt = "xlsx" if name.endswith(".xlsx") else "csv"
    got_status, report = run.validate_file(str(FILES / name), fmt, schema, options)
    assert (got_status, errors(report)) == (status, expected)
    assert report["satudata"]["layout"] == layout


def test_not_tabular_names_what_the_file_is():
    _, report = run.validate_file(str(FILES / "laporan.pdf.csv"), "csv", SCHEMA)
    assert report["tasks"][0]["errors"][0]["kind"] == "pdf"
    _, report = run.validate_file(str(FILES / "grafik.png.csv"), "csv", SCHEMA)
    assert report["tasks"][0]["errors"][0]["kind"] == "png"


def test_a_csv_uploaded_as_xlsx_is_not_tabular():
    status, report = run.validate_file(str(FILES / "valid.csv"), "xlsx", SCHEMA)
    assert (status, errors(report)) == ("failure", [("not-tabular", None, None)])


def test_indonesian_numbers_from_the_portal_configuration():
    status, report = run.validate_file(str(FILES / "angka_indonesia.csv"), "csv", SCHEMA, {},
                                       {"decimal_char": ",", "group_char": "."})
    assert (status, errors(report)) == ("success", [])


def test_integer_columns_stay_whole_with_indonesian_numbers(tmp_path):
    path = tmp_path / "pecahan.csv"
    path.write_text("tahun;kecamatan;jumlah;luas_km2\n2023;Tutur;1.234,5;3,5\n")
    status, report = run.validate_file(str(path), "csv", SCHEMA, INDONESIAN)
    assert (status, errors(report)) == ("failure", [("type-error", 2, "jumlah")])


def test_blank_rows_inside_the_table_are_still_reported(tmp_path):
    path = tmp_path / "tengah.csv"
    path.write_text("tahun,kecamatan,jumlah,luas_km2\n2023,A,1,1\n,,,\n2023,B,2,2\n,,,\n")
    status, report = run.validate_file(str(path), "csv", SCHEMA)
    assert (status, errors(report)) == ("failure", [("blank-row", 3, None)])
    assert report["satudata"]["trailing_blank_rows"] == 1


def test_large_file_is_streamed_to_its_single_error(tmp_path):
    path = write_csv(tmp_path / "besar.csv", rows=100_000, bad_at=99_990, blanks_at_end=3)
    status, report = run.validate_file(str(path), "csv", SCHEMA)
    assert (status, errors(report)) == ("failure", [("type-error", 99_991, "jumlah")])
    assert report["tasks"][0]["stats"]["rows"] == 100_000
    assert report["satudata"]["trailing_blank_rows"] == 3


def test_error_limit_stops_the_check_and_says_so(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("tahun,kecamatan,jumlah,luas_km2\n" + "2023,A,x,1\n" * 500)
    status, report = run.validate_file(str(path), "csv", SCHEMA, {"limit_errors": 50})
    assert status == "failure"
    assert len(errors(report)) == 50
    assert report["satudata"]["limit_reached"] is True
