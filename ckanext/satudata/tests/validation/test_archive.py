"""Every reader checks an XLSX archive before opening it (issue #12, item 3)."""
from __future__ import annotations

import resource
import zipfile

import pytest

from ckanext.satudata.public import tabular
from ckanext.satudata.tests.faults import hostile
from ckanext.satudata.tests.validation.conftest import SCHEMA
from ckanext.satudata.validation import archive, inference, run
from ckanext.satudata.validation.problems import Unreadable


def _code(call) -> tuple[str, dict]:
    with pytest.raises(Unreadable) as caught:
        call()
    return caught.value.code, caught.value.details


def test_a_shared_strings_bomb_is_refused_before_it_is_inflated(tmp_path):
    path = hostile.shared_strings_bomb(tmp_path / "bom.xlsx")
    assert 300_000 < path.stat().st_size < 500_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert _code(lambda: archive.check(str(path)))[0] == "archive-too-large"
    # The check itself reads a bounded part: the process grew by less than 50 MB.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024


def test_strings_are_counted_when_the_ratio_looks_normal(tmp_path):
    """600,000 different strings compress like real text; their number is the bomb."""
    path = tmp_path / "banyak.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/sharedStrings.xml", "<sst>" + "".join(
            f"<si><t>{i * 7919 % 1000003}</t></si>" for i in range(600_000)) + "</sst>")
    code, details = _code(lambda: archive.check(str(path)))
    assert (code, details["reason"]) == ("archive-too-large", "strings")
    assert details["count"] > archive.MAX_SHARED_STRINGS


def test_a_size_the_zip_lies_about_is_measured(tmp_path):
    """The declared size of the shared strings says 1 KB; inflating says otherwise."""
    path = tmp_path / "bohong.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>ab</t></si>" * 4_000_000 + "</sst>")
    data = bytearray(path.read_bytes())
    # The central directory's uncompressed size of sharedStrings.xml becomes 1024.
    header = data.rindex(b"PK\x01\x02", 0, data.rindex(b"xl/sharedStrings.xml"))
    data[header + 24:header + 28] = (1024).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    code, _ = _code(lambda: archive.check(str(path)))
    assert code in ("archive-too-large", "broken-archive")


def test_a_sheet_that_says_it_spans_too_many_cells_is_refused(tmp_path):
    path = tmp_path / "luas.xlsx"
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
        book.writestr("xl/worksheets/sheet1.xml",
                      '<worksheet><dimension ref="A1:XFD1048576"/><sheetData/></worksheet>')
    assert _code(lambda: archive.check(str(path)))[1]["reason"] == "cells"


@pytest.mark.parametrize("make", [hostile.truncated_workbook, hostile.garbage_zip])
def test_a_broken_zip_is_named_by_every_reader(tmp_path, make):
    path = str(make(tmp_path / "rusak.xlsx"))
    assert _code(lambda: archive.check(path))[0] == "broken-archive"
    status, report = run.validate_file(path, "xlsx", SCHEMA)
    assert (status, report["tasks"][0]["errors"][0]["type"]) == ("failure", "broken-archive")
    assert _code(lambda: inference.infer(path, "xlsx"))[0] == "broken-archive"
    assert _code(lambda: list(tabular._xlsx_rows(path)))[0] == "broken-archive"


def test_a_normal_workbook_passes(tmp_path):
    path = hostile.workbook(tmp_path / "baik.xlsx", rows=500)
    archive.check(str(path))
    assert len(list(tabular._xlsx_rows(str(path)))) == 501
