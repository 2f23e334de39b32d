"""Writes the small fixture corpus of tests/validation (run once; the outputs are committed).

python ckanext/satudata/tests/validation/files/make_files.py
"""
import io
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ROWS = [("2023", "Purwodadi", "14716", "1234.5"), ("2023", "Tutur", "25910", "980.25"),
        ("2023", "Puspo", "20059", "1500")]


def text(name, content, encoding="utf-8"):
    (HERE / name).write_bytes(content.encode(encoding))


def lines(rows, sep=","):
    return "".join(sep.join(r) + "\r\n" for r in rows)


HEADER = ("tahun", "kecamatan", "jumlah", "luas_km2")
text("valid.csv", lines([HEADER, *ROWS]))
text("bom_semicolon.csv", "\ufeff" + lines([HEADER, *ROWS], ";"))
text("cp1252_semicolon.csv", lines([("tahun", "kecamatan", "keterangan"),
                                    ("2023", "Purwodadi", "Pemkab – data “sementara”"),
                                    ("2023", "Tutur", "café")], ";"), "cp1252")
text("latin1.csv", lines([("tahun", "kecamatan", "keterangan"),
                          ("2023", "Purwodadi", "señal ±5"), ("2023", "Tutur", "naïve")]), "latin-1")
text("angka_indonesia.csv", lines([HEADER, ("2023", "Purwodadi", "14.716", "1.234,5"),
                                   ("2023", "Tutur", "25.910", "980,25")], ";"))
text("trailing_blank_rows.csv", lines([HEADER, *ROWS]) + ",,,\r\n,,,\r\n\r\n")
text("bad_values.csv", lines([HEADER, ("2023", "Purwodadi", "banyak", "12.5"),
                              ("", "Tutur", "25910", "-3"), ("2023", "", "20059", "abc"),
                              ("2023", "Puspo", "20059", "1", "lebih")]))
(HERE / "empty.csv").write_bytes(b"")
(HERE / "laporan.pdf.csv").write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
(HERE / "grafik.png.csv").write_bytes(
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as archive:
    archive.writestr("data.csv", lines([HEADER, *ROWS]))
(HERE / "arsip.zip.csv").write_bytes(buffer.getvalue())

book = openpyxl.Workbook()
cover = book.active
cover.title = "Sampul"
cover["A1"] = "Dinas Kesehatan Kabupaten Pasuruan"
cover["A3"] = "Data Penduduk 2023"
data = book.create_sheet("Data")
data["A1"] = "Jumlah Penduduk menurut Kecamatan, 2023"
data["A2"] = "Sumber: Dispendukcapil"
data.append([])
data.append(list(HEADER))
for t, k, j, l in ROWS:
    data.append([int(t), k, int(j), float(l)])
data.append([])
data.append([None, None, None, None])
book.save(HERE / "multi_sheet_title_rows.xlsx")

book = openpyxl.Workbook()
sheet = book.active
sheet.title = "Data"
sheet.append(list(HEADER))
for t, k, j, l in ROWS:
    sheet.append([int(t), k, int(j), float(l)])
sheet.append([2023, "Tosari", "banyak", 3.5])
book.save(HERE / "invalid.xlsx")
