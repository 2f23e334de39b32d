"""Each file of the corpus ends in an exact status and exact error types (run.validate_file)."""
import pytest

from ckanext.satudata.validation import run

from ckanext.satudata.tests.faults import hostile
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
    # No option set: the convention is detected from the numeric columns (issue #12, item 9).
    ("angka_indonesia.csv", SCHEMA, {}, "success", [],
     {"format": "csv", "encoding": "utf-8", "delimiter": ";", "header_row": 1}),
    ("angka_indonesia.csv", SCHEMA, {"decimal_char": ".", "group_char": ""}, "failure",
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


# ------------------------------------------------ hostile files (issue #12, items 6 and 9)

@pytest.mark.parametrize("make, schema, expected", [
    ("html_csv", SCHEMA, [("not-tabular", None, None)]),
    ("html_csv", NO_SCHEMA, [("not-tabular", None, None)]),
    ("header_only_csv", SCHEMA, [("no-data-rows", None, None)]),
    ("header_only_csv", NO_SCHEMA, [("no-data-rows", None, None)]),
    ("repeated_byte_csv", NO_SCHEMA, [("line-too-long", None, None)]),
    ("null_bytes_csv", NO_SCHEMA, [("not-tabular", None, None)]),
])
def test_a_file_without_data_rows_fails(tmp_path, make, schema, expected):
    path = getattr(hostile, make)(tmp_path / "berkas.csv")
    status, report = run.validate_file(str(path), "csv", schema)
    assert (status, errors(report)) == ("failure", expected)


def test_one_repeated_byte_short_of_the_line_bound_has_no_data_rows(tmp_path):
    path = tmp_path / "ulang.csv"
    path.write_bytes(b"\xff" * 5000)
    status, report = run.validate_file(str(path), "csv", None)
    assert (status, errors(report)) == ("failure", [("no-data-rows", None, None)])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_files_are_read(tmp_path, encoding):
    path = tmp_path / "unicode.csv"
    path.write_bytes("tahun,kecamatan,jumlah,luas_km2\n2023,Purwosari,10,1.5\n".encode(encoding))
    status, report = run.validate_file(str(path), "csv", SCHEMA)
    assert (status, errors(report)) == ("success", [])
    assert report["satudata"]["layout"]["encoding"] == encoding


def test_a_title_above_the_header_gets_a_hint(tmp_path):
    path = hostile.title_rows_csv(tmp_path / "judul.csv")
    status, report = run.validate_file(str(path), "csv", SCHEMA)
    assert status == "failure"
    assert report["satudata"]["layout"]["header_hint"] == 4
    status, report = run.validate_file(str(path), "csv", SCHEMA, {"header_row": 4})
    assert (status, errors(report)) == ("success", [])
    assert "header_hint" not in report["satudata"]["layout"]


@pytest.mark.parametrize("rows, options, convention, status", [
    # Indonesian Excel export: ';' and 12.000 thousands, 1,5 decimals.
    (["2023;A;12.000;1,5", "2023;B;9.500;2,5"], {},
     {"decimal_char": ",", "group_char": ".", "source": "detected"}, "success"),
    # English numbers stay English.
    (["2023;A;12000;1.5", "2023;B;9500;2.25"], {},
     {"decimal_char": ".", "group_char": "", "source": "default"}, "success"),
    # Both conventions in one file: nothing is guessed, the odd values are reported.
    (["2023;A;12.000;1.5", "2023;B;9500;2,5"], {},
     {"decimal_char": ".", "group_char": "", "source": "default"}, "failure"),
    # The resource's own options win.
    (["2023;A;12000;1.5"], {"decimal_char": ".", "group_char": ","},
     {"decimal_char": ".", "group_char": ",", "source": "resource"}, "success"),
])
def test_the_number_convention_is_detected_and_reported(tmp_path, rows, options, convention,
                                                          status):
    path = tmp_path / "angka.csv"
    path.write_text("tahun;kecamatan;jumlah;luas_km2\n" + "\n".join(rows) + "\n")
    got, report = run.validate_file(str(path), "csv", SCHEMA, options)
    assert (got, report["satudata"]["number_format"]) == (status, convention)


def test_an_ambiguous_comma_file_is_not_guessed(tmp_path):
    """12.000 in a number column of a ','-separated file could be twelve: left as it is."""
    path = tmp_path / "ragu.csv"
    path.write_text("tahun,kecamatan,jumlah,luas_km2\n2023,A,12,12.000\n")
    _, report = run.validate_file(str(path), "csv", SCHEMA)
    assert report["satudata"]["number_format"]["source"] == "default"


def test_the_portal_convention_is_reported_as_such():
    _, report = run.validate_file(str(FILES / "angka_indonesia.csv"), "csv", SCHEMA, {},
                                  {"decimal_char": ",", "group_char": "."})
    assert report["satudata"]["number_format"]["source"] == "portal"
