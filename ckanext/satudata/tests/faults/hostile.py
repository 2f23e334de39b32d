"""The hostile-file corpus, generated at test time (no big binaries in the repository).

Each function writes one file to PATH and returns PATH.
"""
from __future__ import annotations

import random
import zipfile
from pathlib import Path

HEADER = ["tahun", "kecamatan", "jumlah", "luas_km2"]
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
    '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
    'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
    'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
    'Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def shared_strings_bomb(path: Path, strings: int = 10_000_000) -> Path:
    """A valid workbook whose shared-strings part inflates to ~170 MB (10 M strings)
    from a ~400 KB file: openpyxl would hold every string in memory."""
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
             'org/spreadsheetml/2006/main"><dimension ref="A1:B2"/><sheetData>'
             '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
             '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
             '</sheetData></worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                       f'openxmlformats.org/spreadsheetml/2006/main" count="{strings}" '
                       f'uniqueCount="{strings}">'.encode())
            block = b"<si><t>x</t></si>" * 10_000
            for _ in range(strings // 10_000):
                part.write(block)
            part.write(b"</sst>")
    return path


def workbook(path: Path, rows: int = 20, merged_header: bool = False) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    if merged_header:
        # Two header rows, "Penduduk" merged over its two columns, as BPS tables are laid out.
        sheet.append(["tahun", "kecamatan", "Penduduk", None])
        sheet.append([None, None, "jumlah", "luas_km2"])
        sheet.merge_cells("C1:D1")
        sheet.merge_cells("A1:A2")
        sheet.merge_cells("B1:B2")
    else:
        sheet.append(HEADER)
    for i in range(rows):
        sheet.append([2023, f"Kecamatan {i}", 100 + i, 1.5 + i])
    book.save(path)
    return path


def truncated_workbook(path: Path) -> Path:
    whole = workbook(path, rows=2000).read_bytes()
    path.write_bytes(whole[:len(whole) // 2])
    return path


def garbage_zip(path: Path) -> Path:
    rng = random.Random(12)
    path.write_bytes(b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(200_000)))
    return path


def big_csv(path: Path, rows: int = 1_100_000) -> Path:
    """~60 MB, past the 1,048,576 rows an XLSX sheet holds; written in blocks."""
    with path.open("w") as out:
        out.write(",".join(HEADER) + ",keterangan\n")
        block = []
        for i in range(rows):
            block.append(f"{2000 + i % 25},Kecamatan {i % 400},{i * 7 % 100000},{i % 977}.5,"
                         f"catatan baris nomor {i:08d}\n")
            if len(block) == 10_000:
                out.write("".join(block))
                block.clear()
        out.write("".join(block))
    return path


def null_bytes_csv(path: Path) -> Path:
    path.write_bytes(b"tahun,kecamatan,jumlah,luas_km2\n2023,Tu\x00tur,10,1.5\n" * 50)
    return path


def utf16_csv(path: Path) -> Path:
    text = "tahun,kecamatan,jumlah,luas_km2\n2023,Purwosari,10,1.5\n2023,Gondangwetan,12,2.5\n"
    path.write_bytes(text.encode("utf-16"))  # with its BOM, as Excel's "Unicode text" writes
    return path


def title_rows_csv(path: Path) -> Path:
    path.write_text("Jumlah penduduk per kecamatan\nSumber: BPS Kabupaten\n\n"
                    "tahun;kecamatan;jumlah;luas_km2\n2023;Purwosari;12.000;1,5\n"
                    "2023;Gondangwetan;9.500;2,5\n")
    return path


def indonesian_csv(path: Path) -> Path:
    path.write_text("tahun;kecamatan;jumlah;luas_km2\n2023;Purwosari;12.000;1.234,5\n"
                    "2023;Gondangwetan;9.500;980,25\n")
    return path


def html_csv(path: Path) -> Path:
    path.write_text("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                    "<body><h1>502 Bad Gateway</h1><hr>nginx</body></html>\n")
    return path


def header_only_csv(path: Path) -> Path:
    path.write_text(",".join(HEADER) + "\n")
    return path


def repeated_byte_csv(path: Path) -> Path:
    path.write_bytes(b"A" * 2_000_000)
    return path
